"""Label resolution: IRIs, prefixed names and labels to resources of the expected kind, with
errors that list the nearest or all candidates; on small rows and on the bundled base."""

import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import AmbiguousLabelError, UnknownLabelError
from hlsgraph.labels import LabelIndex, normalise
from hlsgraph.namespaces import PREFIXES
from hlsgraph.store.terms import compact, parse_iri

HLS, HLSC, HLSD = PREFIXES["hls"], PREFIXES["hlsc"], PREFIXES["hlsd"]
SKOS, RDFS, DCT = PREFIXES["skos"], PREFIXES["rdfs"], PREFIXES["dcterms"]


@pytest.fixture(scope="module")
def index():
    return LabelIndex(
        labels=[
            (HLSC + "trust", SKOS + "prefLabel", "Trust"),
            (HLSC + "trust-based-funding", SKOS + "prefLabel", "trust-based funding"),
            (HLSD + "org-tudor-trust", RDFS + "label", "Tudor Trust"),
            (HLSD + "org-tudor-trust", SKOS + "altLabel", "The Tudor Trust"),
            (HLSD + "place-plymouth", RDFS + "label", "Plymouth"),
            (HLSD + "org-plymouth-alliance", RDFS + "label", "Plymouth"),
            (HLSD + "story-jacob", DCT + "title", "Jacob\u2019s story"),
            (HLSC + "citizens", SKOS + "prefLabel", "Citizens"),
            (HLS + "Story", RDFS + "label", "Story"),
        ],
        types=[
            (HLSC + "trust", HLS + "HLSFeature"),
            (HLSD + "org-tudor-trust", HLS + "CharitableFunder"),
            (HLSD + "place-plymouth", HLS + "Place"),
            (HLSD + "org-plymouth-alliance", HLS + "Alliance"),
            (HLSD + "story-jacob", HLS + "Story"),
            (HLSC + "citizens", SKOS + "Concept"),
            (HLS + "Story", PREFIXES["owl"] + "Class"),
        ],
        subclasses=[
            (HLS + "HLSFeature", SKOS + "Concept"),
            (HLS + "CharitableFunder", HLS + "Organisation"),
            (HLS + "Alliance", HLS + "Organisation"),
        ],
    )


def test_normalise_folds_case_space_and_typography():
    assert normalise("  Jacob\u2019s\tSTORY ") == "jacob's story"
    assert normalise("\u201cBe realistic\u201d") == '"be realistic"'


@pytest.mark.parametrize(
    "value, iri",
    [
        ("hlsc:trust", HLSC + "trust"),
        ("<http://example.org/a b>", None),
        ("<urn:x:y>", "urn:x:y"),
        ("https://w3id.org/hls/id/x", HLSD + "x"),
        ("hlsg:base/stories", PREFIXES["hlsg"] + "base/stories"),
        ("nope:thing", None),
        ("Plymouth", None),
        ("Keep it Local: Principle 1", None),
        ("hlsd:", HLSD),
    ],
)
def test_parse_iri(value, iri):
    parsed = parse_iri(value)
    assert (parsed.value if parsed else None) == iri


def test_compact():
    assert compact(HLSD + "story-jacob") == "hlsd:story-jacob"
    assert compact("urn:x") == "<urn:x>"


def test_labels_resolve_case_insensitively(index):
    assert index.resolve("TRUST") == ox.NamedNode(HLSC + "trust")
    assert index.resolve("jacob's   story") == ox.NamedNode(HLSD + "story-jacob")
    assert index.resolve("the tudor trust") == ox.NamedNode(HLSD + "org-tudor-trust")  # altLabel


def test_kind_counts_subclasses(index):
    org = HLS + "Organisation"
    assert index.resolve("Tudor Trust", kind=org) == ox.NamedNode(HLSD + "org-tudor-trust")
    assert index.resolve("Plymouth", kind=HLS + "Place") == ox.NamedNode(HLSD + "place-plymouth")
    assert index.resolve("Plymouth", kind=org) == ox.NamedNode(HLSD + "org-plymouth-alliance")
    # Concepts of every kind count as skos:Concept; OWL classes as rdfs:Class.
    assert index.resolve("Trust", kind=SKOS + "Concept") == ox.NamedNode(HLSC + "trust")
    assert index.resolve("story", kind=RDFS + "Class") == ox.NamedNode(HLS + "Story")


def test_iris_are_taken_as_given(index):
    assert index.resolve("hlsd:anything", kind=HLS + "Place") == ox.NamedNode(HLSD + "anything")
    node = ox.NamedNode("http://example.org/x")
    assert index.resolve(node) is node


def test_ambiguous_label_lists_every_candidate(index):
    with pytest.raises(AmbiguousLabelError) as caught:
        index.resolve("plymouth")
    message = str(caught.value)
    assert "'plymouth' names 2 resources" in message
    assert "hlsd:org-plymouth-alliance" in message and "hlsd:place-plymouth" in message
    assert isinstance(caught.value, ValueError)


def test_unknown_label_lists_the_nearest(index):
    with pytest.raises(UnknownLabelError) as caught:
        index.resolve("Trusst", kind=SKOS + "Concept")
    message = str(caught.value)
    assert message.startswith("no skos:Concept labelled 'Trusst'; nearest: 'Trust' hlsc:trust")
    assert isinstance(caught.value, KeyError)


def test_label_of_another_kind_says_what_it_names(index):
    with pytest.raises(UnknownLabelError) as caught:
        index.resolve("Tudor Trust", kind=HLS + "Place")
    assert "that label names hlsd:org-tudor-trust (hls:CharitableFunder)" in str(caught.value)


def test_candidates_for_a_dropdown(index):
    assert index.candidates(HLS + "Organisation") == [
        (HLSD + "org-plymouth-alliance", "Plymouth"),
        (HLSD + "org-tudor-trust", "Tudor Trust"),  # the rdfs:label, not the altLabel
    ]
    assert [iri for iri, _ in index.candidates(SKOS + "Concept")] == [HLSC + "citizens", HLSC + "trust"]
    assert len(index) == 8


def test_from_store_reads_labels_types_schemes_and_subclasses():
    store = ox.Store()
    store.load(
        input=f"""
        @prefix skos: <{SKOS}> . @prefix rdfs: <{RDFS}> . @prefix hls: <{HLS}> .
        <{HLSC}a> skos:prefLabel "Alpha"@en ; skos:inScheme <{HLSC}s> .
        <{HLSD}p> a hls:Town ; rdfs:label "Bicester" .
        hls:Town rdfs:subClassOf hls:Place .
        """,
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:g"),
    )
    index = LabelIndex.from_store(store)
    assert index.resolve("alpha", kind=SKOS + "Concept") == ox.NamedNode(HLSC + "a")
    assert index.resolve("bicester", kind=HLS + "Place") == ox.NamedNode(HLSD + "p")


def test_on_the_bundled_base():
    kb = hlsgraph.open()
    index = LabelIndex.from_kb(kb)
    assert index.resolve("Strengths", kind=SKOS + "Concept") == ox.NamedNode(HLSC + "strengths")
    assert index.resolve("plymouth", kind=HLS + "Place") == ox.NamedNode(HLSD + "place-plymouth")
    assert index.resolve("Gateshead Council", kind=HLS + "Organisation") == ox.NamedNode(
        HLSD + "org-gateshead-council"
    )
    assert index.resolve("Accountability is mutual", kind=HLS + "SystemBehaviour") == ox.NamedNode(
        HLSC + "accountability-is-mutual"
    )
    places = dict(index.candidates(HLS + "Place"))
    assert places[HLSD + "place-gateshead"] == "Gateshead"
    assert all(iri.startswith(HLSD) for iri in places)
    with pytest.raises(UnknownLabelError, match="nearest: 'Gateshead'"):
        index.resolve("Gatehsead", kind=HLS + "Place")
