"""hlsgraph.open(): what the in-memory knowledge base holds, graph by graph."""

import hlsgraph
from hlsgraph.resources import base_data_dir, ontology_dir

HLSG = "https://w3id.org/hls/graph/"


def test_each_bundled_file_has_its_graph_and_the_ontology_one(kb):
    expected = {HLSG + "ontology", HLSG + "inferred"} | {
        HLSG + "base/" + p.stem for p in base_data_dir().glob("*.ttl")
    }
    assert set(kb.graphs()) == expected
    stats = kb.stats()
    assert int(stats["triples"].sum()) == len(kb)
    assert (stats["triples"] > 0).all()


def test_the_ontology_graph_holds_every_module_but_the_shapes(kb):
    import pyoxigraph as ox

    shapes_only = kb.ask("ASK { GRAPH hlsg:ontology { ?s a sh:NodeShape } }")
    assert not shapes_only
    for path in ontology_dir().glob("*.ttl"):
        if path.name == "shapes.ttl":
            continue
        first = next(q for q in ox.parse(path=str(path)) if isinstance(q.subject, ox.NamedNode))
        assert kb.ask(
            "ASK { GRAPH hlsg:ontology { ?s ?p ?o } }", s=first.subject, p=first.predicate, o=first.object
        )


def test_open_without_the_bundled_base_is_empty():
    empty = hlsgraph.open(bundled=False)
    assert len(empty) == 0 and empty.graphs() == []
    assert repr(empty) == "<KnowledgeBase in memory>" and empty.kind == "memory" and empty.location is None


def test_kinds_counts_resources_by_hls_class(kb):
    kinds = kb.kinds()
    counts = dict(zip(kinds["kind"], kinds["count"], strict=True))
    stories = kb.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hls:Story }")["n"].iloc[0]
    assert counts["hls:Story"] == stories
    assert counts["hls:EvidenceItem"] >= counts["hls:Story"]
