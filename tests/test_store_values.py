"""Binding parameters by VALUES (the remote store's way): the block lands first in the outermost
WHERE group whatever the query's shape, and no term can break out of it."""

import pyoxigraph as ox
import pytest

from hlsgraph.store.terms import bind_values, rdf_format, sparql_term

EX = "https://example.org/"


def _store():
    store = ox.Store()
    g = ox.NamedNode(EX + "g")
    for i in range(3):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i), g))
    return store


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s <https://example.org/p> ?o }",
        "SELECT ?s { ?s <https://example.org/p> ?o }",
        "# a comment with { braces }\nSELECT ?s WHERE { ?s <https://example.org/p> ?o }",
        'SELECT ?s (STR("{") AS ?brace) WHERE { ?s <https://example.org/p> ?o }',
        "SELECT ?s WHERE { ?s <https://example.org/p> ?o FILTER(?o < 5 && ?o >= 0) }",
        "SELECT ?s WHERE { { SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } } }",
        "SELECT ?where WHERE { ?s <https://example.org/p> ?o BIND(?s AS ?where) }",
    ],
)
def test_values_binding_gives_the_bound_row_only(query):
    bound = bind_values(query, {"o": ox.Literal(1)})
    rows = list(_store().query(bound, use_default_graph_as_union=True))
    assert len(rows) == 1
    assert list(rows[0])[0] == ox.NamedNode(EX + "s1")


def test_construct_binds_inside_where_not_the_template():
    query = "CONSTRUCT { ?s <https://example.org/q> ?o } WHERE { ?s <https://example.org/p> ?o }"
    bound = bind_values(query, {"o": ox.Literal(2)})
    assert bound.index("VALUES") > bound.index("WHERE")
    triples = list(_store().query(bound, use_default_graph_as_union=True))
    assert [t.subject for t in triples] == [ox.NamedNode(EX + "s2")]


@pytest.mark.parametrize("value", ['x" } UNION { ?s ?p ?o } #', "a\n}\n", "\\", '"""', "'''"])
def test_hostile_literals_stay_one_literal(value):
    query = "SELECT ?s WHERE { ?s <https://example.org/p> ?o }"
    bound = bind_values(query, {"o": ox.Literal(value)})
    assert list(_store().query(bound, use_default_graph_as_union=True)) == []
    # The term reads back as exactly the value.
    parsed = list(ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {sparql_term(ox.Literal(value))} }} }}"))
    assert parsed[0]["v"] == ox.Literal(value)


def test_only_iris_and_literals_with_safe_parts_are_written():
    with pytest.raises(TypeError):
        sparql_term(ox.BlankNode("b"))
    with pytest.raises(ValueError, match="not a SPARQL variable name"):
        bind_values("SELECT * { ?s ?p ?o }", {"o } #": ox.Literal("x")})
    with pytest.raises(ValueError, match="no WHERE group"):
        bind_values("ASK", {"o": ox.Literal("x")})
    assert sparql_term(ox.Literal("chat", language="fr")) == '"chat"@fr'


def test_formats_by_name_and_extension():
    assert rdf_format("TriG") == ox.RdfFormat.TRIG
    assert rdf_format(None, "x.jsonld") == ox.RdfFormat.JSON_LD
    assert rdf_format("application/n-quads") == ox.RdfFormat.N_QUADS
    with pytest.raises(ValueError, match="pass format="):
        rdf_format(None, "notes.csv")


def test_a_list_of_values_binds_one_row_each_and_combines_with_single_values():
    """A list-valued parameter (compare-places' places) becomes one VALUES row per value; with a
    single-valued parameter beside it, each row carries that value too."""
    store = _store()
    query = "SELECT ?s ?o ?tag WHERE { ?s <https://example.org/p> ?o }"
    text = bind_values(query, {"o": (ox.Literal(0), ox.Literal(2)), "tag": ox.Literal("x")})
    block = text[text.index("VALUES") : text.index("} ?s")]
    assert block.startswith("VALUES (?o ?tag) {") and block.count('"x")') == 2
    rows = list(store.query(text, use_default_graph_as_union=True))
    assert sorted(r["s"].value for r in rows) == [EX + "s0", EX + "s2"]
    assert {r["tag"].value for r in rows} == {"x"}
