"""The on-disk store: built on first open, reopened without rebuilding, one writer at a time,
inferences recomputed when a process died before finishing them, and every named inquiry
answering as it does in memory."""

import subprocess
import sys

import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import StoreLockedError
from hlsgraph.inquiries import load_inquiries

EX = "https://example.org/"


def test_first_open_builds_the_bundled_base_and_reopen_keeps_it(tmp_path, kb):
    path = tmp_path / "store"
    with hlsgraph.open(path) as first:
        assert first.kind == "disk" and first.location == str(path)
        assert len(first) == len(kb) + len(list(first.quads("hlsg:meta")))
        assert set(first.graphs()) - {"https://w3id.org/hls/graph/meta"} == set(kb.graphs())
        fingerprints = sorted(str(q) for q in first.quads("hlsg:meta"))
        first.load(data=f'<{EX}a> <{EX}b> "kept" .', format="turtle", graph=EX + "mine")
        size = len(first)
    with hlsgraph.open(path) as second:
        assert len(second) == size
        assert sorted(str(q) for q in second.quads("hlsg:meta")) == fingerprints
        assert second.select(f"SELECT ?o WHERE {{ <{EX}a> <{EX}b> ?o }}")["o"].tolist() == ["kept"]
        # Same answers as the in-memory base.
        query = "SELECT ?s WHERE { ?s a hls:EvidenceItem } ORDER BY ?s"
        assert second.select(query).equals(kb.select(query))


def test_a_second_writer_gets_a_clear_error(tmp_path):
    path = tmp_path / "store"
    holder = hlsgraph.open(path, bundled=False)
    with pytest.raises(StoreLockedError, match="open for writing in another process"):
        hlsgraph.open(path, bundled=False)
    code = (
        "import sys, hlsgraph\n"
        "try:\n"
        f"    hlsgraph.open({str(path)!r}, bundled=False)\n"
        "except hlsgraph.StoreLockedError as err:\n"
        "    print(err); sys.exit(3)\n"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert other.returncode == 3, other.stderr
    assert "is open for writing in another process" in other.stdout
    assert "LOCK" not in other.stdout  # not RocksDB's own text
    holder.close()
    reopened = hlsgraph.open(path, bundled=False)
    reopened.close()


def test_unfinished_reasoning_is_redone_on_open(tmp_path):
    path = tmp_path / "store"
    with hlsgraph.open(path, bundled=False) as kb:
        kb.load(
            data=f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <{EX}Story> rdfs:subClassOf <{EX}Evidence> . <{EX}jacob> a <{EX}Story> .""",
            format="turtle",
            graph=EX + "g",
        )
        assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
    # Simulate a process that died after its write but before reasoning: the stale mark is
    # set and the inferred graph is gone.
    raw = ox.Store(str(path))
    raw.remove_graph(ox.NamedNode("https://w3id.org/hls/graph/inferred"))
    raw.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/hls/graph/inferred"),
            ox.NamedNode("https://w3id.org/hls/graph/state"),
            ox.Literal("stale"),
            ox.NamedNode("https://w3id.org/hls/graph/meta"),
        )
    )
    del raw
    with hlsgraph.open(path, bundled=False) as kb:
        assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
        assert not kb.ask("ASK { GRAPH hlsg:meta { ?s hlsg:state ?o } }")


def test_a_changed_bundled_file_is_reloaded(tmp_path):
    path = tmp_path / "store"
    with hlsgraph.open(path) as kb:
        jacob = kb.select("SELECT ?t WHERE { hlsd:story-jacob dcterms:title ?t }")
        graph = ox.NamedNode("https://w3id.org/hls/graph/base/stories")
        # Tamper with the stored copy and its fingerprint, as an older release would have left it.
        kb.store.oxigraph.remove_graph(graph)
        kb.store.oxigraph.update(
            "DELETE WHERE { GRAPH hlsg:meta { <https://w3id.org/hls/graph/base/stories> hlsg:sha256 ?h } } ;"
            ' INSERT DATA { GRAPH hlsg:meta { <https://w3id.org/hls/graph/base/stories> hlsg:sha256 "old" } '
            "}",
            prefixes={"hlsg": "https://w3id.org/hls/graph/"},
        )
    with hlsgraph.open(path) as kb:
        assert kb.select("SELECT ?t WHERE { hlsd:story-jacob dcterms:title ?t }").equals(jacob)


def test_a_bundled_graph_whose_file_is_gone_is_dropped(tmp_path):
    path = tmp_path / "store"
    stale = "https://w3id.org/hls/graph/base/withdrawn-file"
    with hlsgraph.open(path) as kb:
        kb.store.put_triples(
            ox.NamedNode(stale), f'<{EX}old> <{EX}p> "from a withdrawn file" .\n'.encode(), replace=False
        )
        assert stale in kb.graphs()
    with hlsgraph.open(path) as kb:
        assert stale not in kb.graphs()
        assert not kb.ask(f"ASK {{ <{EX}old> ?p ?o }}")


def test_a_closed_knowledge_base_says_so(tmp_path):
    kb = hlsgraph.open(tmp_path / "store", bundled=False)
    kb.close()
    kb.close()  # closing twice is harmless
    with pytest.raises(ValueError, match=r"closed; open it again with hlsgraph.open\("):
        kb.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ValueError, match="closed"):
        len(kb)


@pytest.fixture(scope="module")
def disk_kb(tmp_path_factory):
    kb = hlsgraph.open(tmp_path_factory.mktemp("disk-store") / "store")
    yield kb
    kb.close()


@pytest.mark.parametrize("name", sorted(load_inquiries()))
def test_every_inquiry_answers_the_same_on_disk(disk_kb, kb, name, same_answers):
    same_answers(disk_kb, kb, name)
