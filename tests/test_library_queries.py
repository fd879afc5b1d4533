"""The SPARQL the library runs for itself (ontology checks, the label index, the widgets, the
reasoner's bookkeeping, the importer, kb summaries, the remote store) lives in sub-folders of
queries/: every file parses, says what it is for, declares the variables its callers bind, and
is not mistaken for a named inquiry."""

import pyoxigraph as ox
import pytest

from hlsgraph import reasoning
from hlsgraph.inquiries import load_inquiries
from hlsgraph.labels import LABEL_PROPERTIES, LabelIndex
from hlsgraph.namespaces import HLS, HLSD, HLSG, PREFIXES
from hlsgraph.resources import leading_comment, queries_dir, sparql, sparql_names
from hlsgraph.store.terms import bind_values

FOLDERS = sorted(p.name for p in queries_dir().iterdir() if p.is_dir())
FILES = [name for folder in FOLDERS for name in sparql_names(folder)]

# What each caller binds, as terms, in the files it runs.
BOUND = {
    "importing/collisions.rq": {
        "graph": ox.NamedNode(HLSG + "import/x"),
        "prefix": ox.Literal(HLSD + "story-"),
    },
    "importing/stored-digest.rq": {
        "graph": ox.NamedNode(HLSG + "import/x"),
        "activity": ox.NamedNode(HLSD + "a"),
    },
    "store/has-graph.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "store/graph-triples.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "reasoning/graph-subjects.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "reasoning/about-graph.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "rules/widens.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "rules/shapes-inference.rq": {"graph": ox.NamedNode(HLSG + "g")},
    "widgets/items.rq": {"kind_": ox.NamedNode(HLS + "Story")},
    "giving360/organisations.rq": {"graph": ox.NamedNode(HLSG + "import/x")},
    "giving360/places.rq": {"graph": ox.NamedNode(HLSG + "import/x")},
    "giving360/grants-elsewhere.rq": {"graph": ox.NamedNode(HLSG + "import/x")},
    "giving360/public-grants.rq": {"funder": ox.NamedNode(HLSD + "org-x")},
    "giving360/grant-organisations.rq": {
        "grant": ox.NamedNode(HLSD + "grant-x"),
        "link": ox.NamedNode(HLS + "funder"),
    },
    "giving360/organisation-by-id.rq": {"id": ox.Literal("GB-CHC-1")},
    "widgets/most-used.rq": {"kind": ox.NamedNode(PREFIXES["skos"] + "Concept")},
    "widgets/members.rq": {"kind": ox.NamedNode(HLS + "Role")},
    "widgets/item-text.rq": {"item": ox.NamedNode(HLSD + "story-jacob")},
    "cids/levels.rq": {"item": (ox.NamedNode(HLSD + "story-a"), ox.NamedNode(HLSD + "story-b"))},
    "cids/export.rq": {
        "itemLevel": (ox.NamedNode(HLSD + "access-open"),),
        "measureLevel": (ox.NamedNode(HLSD + "access-open"),),
        "organisationLevel": (ox.NamedNode(HLSD + "access-open"),),
    },
}


def test_the_folders_are_the_library_s():
    assert FOLDERS == [
        "bundled",
        "checks",
        "cids",
        "giving360",
        "importing",
        "kb",
        "labels",
        "publishing",
        "reasoning",
        "rules",
        "store",
        "widgets",
    ]
    assert len(FILES) > 40


@pytest.mark.parametrize("name", FILES)
def test_each_file_parses_and_says_what_it_is_for(name):
    text = sparql(name)
    assert leading_comment(text), f"{name} opens with no comment saying what it is for"
    if name.endswith(".ru"):
        ox.Store().update(text, prefixes=PREFIXES)
    elif "PROPERTY" not in text:  # the transitive rule's property is put in by the reasoner
        ox.Store().query(text.replace("DATA{", "{"), prefixes=PREFIXES)


@pytest.mark.parametrize("name", [n for n in BOUND if n in FILES])
def test_bound_parameters_are_variables_of_their_queries(name):
    text = sparql(name)
    for variable in BOUND[name]:
        assert f"?{variable}" in text, f"{name} has no ?{variable}"
    ox.Store().query(bind_values(text, BOUND[name]), prefixes=PREFIXES)


def test_named_inquiries_are_only_the_top_level_files():
    inquiries = load_inquiries()
    assert set(inquiries) == {p.stem for p in queries_dir().glob("*.rq")}
    assert all(inquiry.path.parent == queries_dir() for inquiry in inquiries.values())


def test_the_label_query_reads_exactly_the_label_properties():
    store = ox.Store()
    for index, prop in enumerate([*LABEL_PROPERTIES, PREFIXES["rdfs"] + "comment"]):
        store.add(ox.Quad(ox.NamedNode(f"{HLSD}x{index}"), ox.NamedNode(prop), ox.Literal(f"label {index}")))
    found = {solution["p"].value for solution in store.query(sparql("labels/labels.rq"))}
    assert found == set(LABEL_PROPERTIES)
    assert LabelIndex.from_store(store).resolve("label 0") == ox.NamedNode(HLSD + "x0")


def test_the_removal_plan_limit_is_the_query_s():
    assert f"LIMIT {reasoning._PLAN_LIMIT + 1}" in sparql("reasoning/graph-subjects.rq")


def test_the_stale_mark_is_what_the_stale_query_asks_about():
    store = ox.Store()
    ask = sparql("reasoning/stale.rq")
    assert not store.query(ask, prefixes=PREFIXES)
    store.update(sparql("reasoning/mark-stale.ru"), prefixes=PREFIXES)
    assert store.query(ask, prefixes=PREFIXES)
    store.update(sparql("reasoning/unmark-stale.ru"), prefixes=PREFIXES)
    assert not store.query(ask, prefixes=PREFIXES)


def test_an_unknown_file_is_an_error_naming_it():
    with pytest.raises(FileNotFoundError, match="queries/checks/nope.rq"):
        sparql("checks/nope.rq")
