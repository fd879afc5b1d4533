"""kb.load(..., base_iri=...): the W3C RDF 1.1 positive syntax and evaluation tests whose data
holds relative IRIs (tests/fixtures/w3c-rdf-tests/, 53 of the 680 positive tests) load against
the base their manifest assumes, evaluation results match by graph isomorphism, and without a
base each is refused with a message that says what to do, changing nothing."""

import csv
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import hlsgraph
from hlsgraph.errors import RDFSyntaxError

SUITE = Path(__file__).parent / "fixtures" / "w3c-rdf-tests"
TESTS = list(csv.DictReader((SUITE / "needs-base.csv").open(encoding="utf-8")))
FORMATS = {"rdf-turtle": "turtle", "rdf-trig": "trig", "rdf-xml": "xml"}


@pytest.fixture(scope="module")
def empty():
    return hlsgraph.open(bundled=False)


def test_the_fixture_is_the_whole_set():
    assert len(TESTS) == 53
    assert {t["suite"] for t in TESTS} == set(FORMATS)


@pytest.mark.parametrize("test", TESTS, ids=[t["action"] for t in TESTS])
def test_w3c_positive_tests_that_need_a_base(empty, test):
    path = SUITE / test["suite"] / test["action"]
    graph = f"https://example.org/w3c/{test['suite']}/{test['action']}"
    before = len(empty)
    with pytest.raises(RDFSyntaxError) as info:
        empty.load(path, graph=graph)
    assert "relative IRI" in str(info.value) and "base_iri=" in str(info.value)
    assert len(empty) == before and graph not in empty.graphs()
    empty.load(path, graph=graph, base_iri=test["base"])
    assert graph in empty.graphs()
    if test["result"]:
        expected = rdflib.Dataset()
        result = SUITE / test["suite"] / test["result"]
        expected.parse(result, format="nquads" if result.suffix == ".nq" else "nt")
        loaded = rdflib.Graph()
        for quad in empty.quads(graph):
            loaded.add(_rdflib_triple(quad))
        for quad in empty.quads():
            if quad.graph_name.value != graph and quad.graph_name.value.startswith(graph):
                loaded.add(_rdflib_triple(quad))
        wanted = rdflib.Graph()
        for s, p, o, _g in expected.quads():
            wanted.add((s, p, o))
        assert isomorphic(loaded, wanted), test["action"]
    empty.remove_graph(graph)


def _rdflib_triple(quad):
    def term(t):
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        plain = t.language or t.datatype.value == "http://www.w3.org/2001/XMLSchema#string"
        return rdflib.Literal(
            t.value, lang=t.language, datatype=None if plain else rdflib.URIRef(t.datatype.value)
        )

    return term(quad.subject), term(quad.predicate), term(quad.object)


def test_a_base_must_be_absolute(empty):
    with pytest.raises(ValueError, match="not an absolute IRI"):
        empty.load(data="<#me> <http://x/p> 1 .", format="turtle", base_iri="people/")
    empty.load(
        data="<#me> <http://x/p> 1 .",
        format="turtle",
        base_iri="<https://example.org/people>",
        graph="https://example.org/g",
    )
    assert empty.ask("ASK { <https://example.org/people#me> ?p 1 }")
    empty.remove_graph("https://example.org/g")
