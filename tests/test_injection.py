"""Parameter values can never change an inquiry's query. Values holding quotes, braces, ``#``,
newlines or SPARQL keywords are bound as RDF terms: a literal parameter matches nothing (no rows,
not more rows), and a resource parameter that is not an IRI is a label that names nothing (an
error, not rows). Checked through ``kb.inquire`` and through the VALUES form used for remote
endpoints."""

import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import UnknownLabelError
from hlsgraph.inquiries import bind_parameters, load_inquiries
from hlsgraph.namespaces import sparql_prologue
from hlsgraph.store.terms import bind_values

HOSTILE = [
    'x" ) } UNION { ?item ?p ?o } #',
    "x' ) } UNION { ?item ?p ?o } #",
    'x"""} } SELECT * WHERE { ?s ?p ?o } #',
    "jacob } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "\n} UNION { ?item ?p ?o }\n# ",
    "# everything after is a comment",
    'x\\" } FILTER(true) #',
    "SELECT * WHERE { ?s ?p ?o }",
    ") || true || (",
    "}}}}{{{{",
    "<https://w3id.org/hls/id/story-jacob> } UNION {",
    "\u0000\u2028 } #",
]


@pytest.fixture(scope="module")
def kb():
    return hlsgraph.open()


@pytest.mark.parametrize("value", HOSTILE)
def test_keyword_values_return_no_rows(kb, value):
    before = len(kb)
    df = kb.inquire("keyword-search", keyword=value)
    assert len(df) == 0
    assert list(df.columns) == ["item", "title", "field", "excerpt", "access", "keyword"]
    assert len(kb) == before  # nothing written


def test_the_same_search_without_hostile_text_finds_rows(kb):
    """So the zero rows above come from the binding, not from a search that never matches."""
    assert len(kb.inquire("keyword-search", keyword="jacob")) > 0


@pytest.mark.parametrize("value", HOSTILE)
def test_resource_values_are_unknown_labels_not_rows(kb, value):
    with pytest.raises(UnknownLabelError):
        kb.inquire("stories-by-concept", concept=value)
    with pytest.raises(UnknownLabelError):
        kb.inquire("stories-by-concept", concept="Strengths", place=value)


@pytest.mark.parametrize(
    "value", ["<https://w3id.org/hls/id/x> } UNION { ?s ?p ?o", "hlsd:x } #", "https://x.org/ a"]
)
def test_iri_like_values_that_are_not_iris_resolve_to_nothing(kb, value):
    with pytest.raises(UnknownLabelError):
        kb.inquire("provenance", item=value)


@pytest.mark.parametrize("value", HOSTILE)
def test_values_form_binds_hostile_literals_safely(value):
    """The VALUES form (remote endpoints) on an in-memory copy of the bundled base."""
    kb = hlsgraph.open()
    store = ox.Store()
    store.extend(kb.quads())
    inquiry = load_inquiries()["keyword-search"]
    bound = bind_parameters(inquiry, {"keyword": value}, None)
    query = bind_values(sparql_prologue() + inquiry.query, bound)
    result = store.query(query, use_default_graph_as_union=True)
    assert [v.value for v in result.variables][-1] == "keyword"
    assert list(result) == []
    sane = bind_values(
        sparql_prologue() + inquiry.query, bind_parameters(inquiry, {"keyword": "jacob"}, None)
    )
    assert len(list(store.query(sane, use_default_graph_as_union=True))) > 0


def test_hostile_date_and_number_values_are_rejected_before_any_query(kb):
    from hlsgraph.inquiries import InquiryParameterError

    with pytest.raises(InquiryParameterError, match="YYYY-MM-DD"):
        kb.inquire("outcomes-by-place", since='2019-01-01"^^xsd:date) || true || ("')
