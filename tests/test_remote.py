"""The remote back-end against a real Oxigraph server: the bundled base loaded through the graph
store protocol answers every named inquiry exactly as the embedded store does."""

import pytest

import hlsgraph
from hlsgraph.errors import QuerySyntaxError, RDFSyntaxError
from hlsgraph.inquiries import load_inquiries

EX = "https://example.org/"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def remote(oxigraph_server):
    kb = hlsgraph.open(oxigraph_server)
    assert kb.kind == "remote" and kb.graphs() == []  # nothing is put into a remote unasked
    kb.load_bundled()
    return kb


def test_the_remote_holds_what_the_embedded_store_holds(remote, kb):
    assert set(remote.graphs()) == set(kb.graphs()) | {"https://w3id.org/hls/graph/meta"}
    assert len(remote) == len(kb) + len(list(remote.quads("hlsg:meta")))


@pytest.mark.parametrize("name", sorted(load_inquiries()))
def test_every_inquiry_answers_the_same_remotely(remote, kb, name, same_answers):
    same_answers(remote, kb, name)


def test_parameters_reach_the_server_as_values_and_cannot_inject(remote):
    query = "SELECT ?story WHERE { ?story dcterms:title ?title }"
    jacob = remote.select("SELECT ?title WHERE { ?story dcterms:title ?title }", story="hlsd:story-jacob")
    assert len(jacob) == 1 and jacob["title"].iloc[0].startswith("Jacob")
    for value in ['x" } UNION { ?s ?p ?o } #', "a\n}\nSELECT * WHERE { ?s ?p ?o }", "} } DROP ALL #"]:
        assert len(remote.select(query, title=value)) == 0
    assert len(remote) > 0


def test_label_parameters_resolve_remotely(remote, kb):
    by_label = remote.inquire("stories-by-concept", concept="Trust")
    assert len(by_label) > 0
    assert by_label["story"].tolist() == kb.inquire("stories-by-concept", concept="Trust")["story"].tolist()


def test_load_replace_and_remove_through_the_graph_store_protocol(remote):
    g = EX + "remote-test"
    assert remote.load(data=f'<{EX}a> <{EX}b> "one" .', format="turtle", graph=g) == g
    assert remote.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}b> ?o }}")["o"].tolist() == ["one"]
    size = len(remote)
    with pytest.raises(RDFSyntaxError, match=r"line 2"):
        remote.load(
            data=f'<{EX}a> <{EX}b> "two" .\n<{EX}a> <{EX}b> "broken .', format="turtle", graph=g, replace=True
        )
    assert len(remote) == size
    remote.load(data=f'<{EX}a> <{EX}b> "two" .', format="turtle", graph=g, replace=True)
    assert remote.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}b> ?o }}")["o"].tolist() == ["two"]
    remote.remove_graph(g)
    assert g not in remote.graphs()


def test_syntax_errors_from_the_server_point_into_the_query(remote):
    with pytest.raises(QuerySyntaxError) as info:
        remote.select("SELECT ?s WHERE {\n  ?s a hls:Story\n  FILTER(\n}")
    assert info.value.lineno == 4 and info.value.text == "}"


def test_ask_and_construct_remotely(remote):
    assert remote.ask("ASK { hlsd:story-jacob a hls:EvidenceItem }") is True
    graph = remote.construct(
        "CONSTRUCT { ?s dcterms:title ?t } WHERE { ?s dcterms:title ?t }", s="hlsd:story-jacob"
    )
    assert len(graph) == 1


def test_an_unreachable_endpoint_is_a_clear_error():
    from conftest import free_port

    kb = hlsgraph.open(f"http://127.0.0.1:{free_port()}", bundled=False)
    with pytest.raises(OSError, match="cannot reach the SPARQL endpoint"):
        kb.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_a_remote_query_past_its_timeout_is_a_clear_error(remote):
    from hlsgraph.errors import QueryTimeoutError

    g = EX + "remote-slow"
    remote.load(data="\n".join(f"<{EX}s{i}> <{EX}slow> {i} ." for i in range(200)), format="turtle", graph=g)
    try:
        with pytest.raises(QueryTimeoutError, match="timeout of 0.2 s"):
            remote.select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}slow> ?x . ?b <{EX}slow> ?y . ?c <{EX}slow> ?z }}",
                timeout=0.2,
            )
        assert remote.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}slow> ?x }}", timeout=30)[
            "n"
        ].tolist() == [200]
    finally:
        remote.remove_graph(g)


def test_the_cli_answers_the_same_through_the_server(remote, oxigraph_server, kb, capsys):
    import json

    from hlsgraph.cli import main

    assert main(["inquire", "evidence-mix", "--store", oxigraph_server, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["place"] for row in rows] == kb.inquire("evidence-mix")["place"].tolist()


def test_opening_with_bundled_true_loads_only_what_is_missing(remote, oxigraph_server):
    size = len(remote)
    again = hlsgraph.open(oxigraph_server, bundled=True)
    assert len(again) == size  # fingerprints match: nothing reloaded, nothing duplicated
    assert again.ask("ASK { hlsd:story-jacob a hls:EvidenceItem }")


def test_relative_iris_load_remotely_against_a_base(remote):
    g = EX + "remote-base-test"
    with pytest.raises(RDFSyntaxError, match="relative IRI"):
        remote.load(data="<#me> <https://example.org/p> 1 .", format="turtle", graph=g)
    assert g not in remote.graphs()
    remote.load(data="<#me> <https://example.org/p> 1 .", format="turtle", graph=g, base_iri=EX + "people")
    assert remote.ask(f"ASK {{ <{EX}people#me> <{EX}p> 1 }}")
    remote.remove_graph(g)
