"""The remote back-end against a real Virtuoso (Debian's virtuoso-opensource 7.2): the bundled
base loaded through hlsgraph, Virtuoso's own graphs hidden, reasoning done without the paths it
refuses, and every named inquiry answering as it does embedded, with its defaults and with
optional parameters given."""

import pytest

import hlsgraph
from hlsgraph.errors import EndpointRefusedError, EndpointTimeoutError, QuerySyntaxError, RDFSyntaxError
from hlsgraph.inquiries import load_inquiries

EX = "https://example.org/"
META = "https://w3id.org/hls/graph/meta"

pytestmark = pytest.mark.slow

# Every named inquiry answers on Virtuoso 7.2.5 as embedded. Parameters reach every engine as the
# same text (hlsgraph.inquiries.bound_query), so `!BOUND(?p) || ...` holds everywhere; the
# comments in the .rq files say which constructs Virtuoso mishandles and what stands in for them.

# Optional parameters given a value: `!BOUND(?p) || EXISTS {...}` with ?p bound holds on
# Virtuoso too (each case chosen so that the value keeps some rows and drops others).
WITH_PARAMETERS = [
    ("outcomes-by-place", {"place": "hlsd:place-gateshead"}),
    ("places", {"area": "hlsd:place-england"}),
    ("trust-based-funding", {"place": "hlsd:place-england"}),
    ("system-behaviour-evidence", {"place": "hlsd:place-gateshead"}),
    ("evidence-mix", {"within": "hlsd:place-england"}),
    ("stories-by-concept", {"concept": "hlsc:trust", "place": "hlsd:place-gateshead"}),
    ("stories-by-concept", {"concept": "hlsc:trust", "basis": "stated"}),
]


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server):
    kb = hlsgraph.open(virtuoso_server)
    assert kb.kind == "remote" and kb.graphs() == [] and len(kb) == 0  # its own graphs are hidden
    kb.load_bundled()
    return kb


def test_the_engine_is_recognised_and_its_graph_store_used(virtuoso, virtuoso_server):
    profile = virtuoso.store.profile
    assert profile.engine == "virtuoso" and profile.server.startswith("Virtuoso/")
    assert profile.store_url == virtuoso_server.replace("/sparql", "/sparql-graph-crud")
    assert profile.open_paths is False  # it refuses ?a <p>+ ?b with both ends open
    root = hlsgraph.open(virtuoso_server.replace("/sparql", ""))  # its root URL works too
    assert root.store.profile.query_url == virtuoso_server and len(root) == len(virtuoso)


def test_virtuosos_own_graphs_are_hidden_from_graphs_len_and_stats(virtuoso, kb):
    assert set(virtuoso.graphs()) == set(kb.graphs()) | {META}
    meta = len(list(virtuoso.quads(META)))
    assert len(virtuoso) == len(kb) + meta
    stats = virtuoso.stats()
    assert stats["graph"].tolist() == sorted(set(kb.graphs()) | {META})
    assert int(stats["triples"].sum()) == len(virtuoso)
    # They are there all the same: what is hidden is Virtuoso's, not hlsgraph's.
    every = virtuoso.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")["n"].iloc[0]
    assert every > len(virtuoso)


def test_the_inferences_are_the_embedded_ones(virtuoso, kb):
    def inferred(base):
        return sorted(str(q.triple) for q in base.quads("hlsg:inferred"))

    assert inferred(virtuoso) == inferred(kb)
    assert virtuoso.reason() == len(inferred(kb))  # a recomputation finds nothing to change


@pytest.mark.parametrize("name", sorted(load_inquiries()))
def test_every_inquiry_answers_as_embedded(virtuoso, kb, name, same_answers):
    same_answers(virtuoso, kb, name)


@pytest.mark.parametrize(("name", "params"), WITH_PARAMETERS, ids=[n for n, _ in WITH_PARAMETERS])
def test_optional_parameters_answer_as_embedded(virtuoso, kb, name, params):
    import pandas as pd
    from conftest import INQUIRY_PARAMS, _comparable

    expected, got = kb.inquire(name, **params), virtuoso.inquire(name, **params)
    assert 0 < len(expected) < len(kb.inquire(name, **INQUIRY_PARAMS.get(name, {})))  # the value restricts
    query = load_inquiries()[name].query
    pd.testing.assert_frame_equal(
        _comparable(got, query, ordered=True), _comparable(expected, query, ordered=True)
    )


def test_parameters_are_bound_as_terms_and_cannot_inject(virtuoso):
    query = "SELECT ?story WHERE { ?story dcterms:title ?title }"
    jacob = virtuoso.select("SELECT ?title WHERE { ?story dcterms:title ?title }", story="hlsd:story-jacob")
    assert len(jacob) == 1 and jacob["title"].iloc[0].startswith("Jacob")
    for value in ['x" } UNION { ?s ?p ?o } #', "a\n}\nSELECT * WHERE { ?s ?p ?o }", "} } DROP ALL #"]:
        assert len(virtuoso.select(query, title=value)) == 0
    assert len(virtuoso) > 0


def test_frames_keep_datatypes_and_language_tags(virtuoso, kb):
    query = (
        "SELECT ?title ?date ?n ?x WHERE { hlsd:story-jacob dcterms:title ?title "
        'BIND("2024-01-02"^^xsd:date AS ?date) BIND(42 AS ?n) BIND(2.5 AS ?x) }'
    )
    got, expected = virtuoso.select(query), kb.select(query)
    assert got.dtypes.tolist() == expected.dtypes.tolist()
    assert got.iloc[0].tolist() == expected.iloc[0].tolist()
    tagged = virtuoso.select('SELECT ?l (LANG(?l) AS ?lang) WHERE { BIND("Vertrauen"@de AS ?l) }')
    assert tagged.iloc[0].tolist() == ["Vertrauen", "de"]
    # Virtuoso has no boolean: true comes back as the integer 1 (docs/scaling.md says so).
    assert virtuoso.select("SELECT ?yes WHERE { BIND(true AS ?yes) }")["yes"].tolist() == [1]


def test_load_replace_and_remove_through_the_graph_store(virtuoso):
    g = EX + "virtuoso-test"
    assert virtuoso.load(data=f'<{EX}a> <{EX}b> "one" .', format="turtle", graph=g) == g
    assert virtuoso.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}b> ?o }}")["o"].tolist() == ["one"]
    size = len(virtuoso)
    with pytest.raises(RDFSyntaxError, match=r"line 2"):
        virtuoso.load(
            data=f'<{EX}a> <{EX}b> "two" .\n<{EX}a> <{EX}b> "broken .', format="turtle", graph=g, replace=True
        )
    assert len(virtuoso) == size
    virtuoso.load(data=f'<{EX}a> <{EX}b> "two" .', format="turtle", graph=g, replace=True)
    assert virtuoso.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}b> ?o }}")["o"].tolist() == ["two"]
    virtuoso.remove_graph(g)
    assert g not in virtuoso.graphs() and len(virtuoso) == size - 1


def test_reasoning_after_a_load_uses_no_open_paths(virtuoso):
    g = EX + "virtuoso-reasoning"
    virtuoso.load(
        data=f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <{EX}Story> rdfs:subClassOf <{EX}Evidence> . <{EX}Evidence> rdfs:subClassOf <{EX}Thing> .
        <{EX}within> a owl:TransitiveProperty .
        <{EX}jacob> a <{EX}Story> .
        <{EX}street> <{EX}within> <{EX}town> . <{EX}town> <{EX}within> <{EX}county> .""",
        format="turtle",
        graph=g,
    )
    try:
        assert virtuoso.ask(f"ASK {{ <{EX}jacob> a <{EX}Thing> }}")
        assert virtuoso.ask(f"ASK {{ <{EX}street> <{EX}within> <{EX}county> }}")
    finally:
        virtuoso.remove_graph(g)
    assert not virtuoso.ask(f"ASK {{ <{EX}jacob> a <{EX}Thing> }}")


def test_a_failed_recomputation_keeps_the_inferences_it_had(virtuoso, monkeypatch):
    from hlsgraph.errors import ConnectionLostError

    before = len(list(virtuoso.quads("hlsg:inferred")))
    # Take some inferences away, so that reasoning has something to write, and make that
    # write break off as a dropped connection would.
    virtuoso.store.update(
        "DELETE { GRAPH hlsg:inferred { ?s a hls:EvidenceItem } } "
        "WHERE { GRAPH hlsg:inferred { ?s a hls:EvidenceItem } }"
    )
    missing = before - len(list(virtuoso.quads("hlsg:inferred")))
    assert missing > 0

    def broken(graph, triples, *, replace):
        raise ConnectionLostError("the connection broke off (for the test)")

    with monkeypatch.context() as patch:
        patch.setattr(virtuoso.store, "put_triples", broken)
        with pytest.raises(ConnectionLostError):
            virtuoso.reason()
    assert len(list(virtuoso.quads("hlsg:inferred"))) == before - missing  # nothing dropped
    assert virtuoso.reason() == before


def test_syntax_errors_name_the_line(virtuoso):
    with pytest.raises(QuerySyntaxError, match="Parentheses are not balanced"):
        virtuoso.select("SELECT ?s WHERE {\n  ?s a hls:Story\n  FILTER(\n}")
    with pytest.raises(QuerySyntaxError) as info:
        virtuoso.select("SELECT ?s WHERE {\n  ?s a hls:Story .\n  ?s ?p ?o ?x\n}")
    assert info.value.lineno == 3 and "?x" in info.value.text


def test_refusals_carry_the_servers_message_not_a_copy_of_the_query(virtuoso, virtuoso_server):
    with pytest.raises(EndpointRefusedError) as info:
        virtuoso.select("SELECT ?s WHERE { ?s <urn:x>+ ?o }")  # both ends open: refused
    message = str(info.value)
    assert virtuoso_server in message and "transitive" in message.lower()
    assert "PREFIX" not in message and "?timeout=" not in message


def test_a_query_virtuoso_stops_at_its_limit_raises_and_returns_no_rows(virtuoso):
    # A triple cross join over the base: Virtuoso's own limit (sent with the request) stops it
    # and its "anytime" answer holds part of the rows, which hlsgraph must not return.
    with pytest.raises(EndpointTimeoutError, match="time limit"):
        virtuoso.select(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?x . ?c ?r ?x . ?d ?t ?x }", timeout=2
        )
    assert virtuoso.ask("ASK { hlsd:story-jacob a hls:EvidenceItem }")  # and the server answers


def test_a_base_on_disk_moves_to_virtuoso_with_hlsgraph_copy(virtuoso, virtuoso_server, tmp_path, capsys):
    from hlsgraph.cli import main

    store = tmp_path / "store"
    graph = EX + "moved"
    with hlsgraph.open(store) as kb:
        kb.load(
            data=f'<{EX}moved> a <https://w3id.org/hls/Story> ; <http://purl.org/dc/terms/title> "Moved" .',
            format="turtle",
            graph=graph,
        )
    try:
        assert main(["copy", "--store", str(store), "--to", virtuoso_server]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"copied <{graph}>: 2 triples\n")  # only its own graph: not the base
        assert virtuoso.ask(f"ASK {{ <{EX}moved> a hls:EvidenceItem }}")  # reasoned over there
        assert virtuoso.select(f"SELECT ?t WHERE {{ <{EX}moved> dcterms:title ?t }}")["t"].tolist() == [
            "Moved"
        ]
    finally:
        virtuoso.remove_graph(graph)
