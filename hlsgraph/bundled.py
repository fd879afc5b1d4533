"""The bundled graphs: the ontology and the evidence base shipped with hlsgraph, each file in a
named graph of its own, kept in step with the files by their SHA-256 fingerprints (recorded in
``hlsg:meta``) so that reopening a store on disk reloads only what changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from .namespaces import HLSG
from .reasoning import INFERRED_GRAPH, META_GRAPH, Reasoner
from .resources import base_data_dir, ontology_dir, sparql
from .store.base import Backend
from .store.terms import ntriples, parse_rdf, rdf_format, sparql_term

ONTOLOGY_GRAPH = ox.NamedNode(HLSG + "ontology")
BASE_GRAPH_PREFIX = HLSG + "base/"
_FINGERPRINT = ox.NamedNode(HLSG + "sha256")


def bundled_sources() -> list[tuple[ox.NamedNode, list[Path]]]:
    """The bundled graphs and their files: the ontology (every module but the shapes) and one
    graph per bundled data file.

    >>> graphs = [graph.value for graph, _ in bundled_sources()]
    >>> graphs[0], "https://w3id.org/hls/graph/base/stories" in graphs
    ('https://w3id.org/hls/graph/ontology', True)
    """
    ontology = sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")
    sources = [(ONTOLOGY_GRAPH, ontology)]
    for path in sorted(base_data_dir().glob("*.ttl")):
        sources.append((ox.NamedNode(BASE_GRAPH_PREFIX + path.stem), [path]))
    return sources


def fingerprint(paths: list[Path]) -> str:
    """The SHA-256 of some files' names and bytes, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sync_bundled(store: Backend, reasoner: Reasoner, *, force: bool = False) -> bool:
    """Load the bundled graphs that are missing or out of date (all of them when ``force``),
    drop bundled graphs whose file is gone, then reason if anything changed or an earlier
    reasoning did not finish. Whether anything was written."""
    sources = bundled_sources()
    lasting = store.kind != "memory"
    present = set(store.graphs())
    if not present and not force and store.kind != "remote":
        _load_new_store(store, reasoner, sources, lasting)
        return True
    recorded = {} if force else _recorded_fingerprints(store)
    wanted = {graph.value for graph, _ in sources}
    gone = sorted(g for g in present if g.startswith(BASE_GRAPH_PREFIX) and g not in wanted)
    digests = [(graph, paths, fingerprint(paths)) for graph, paths in sources]
    outdated = [
        (graph, paths, digest)
        for graph, paths, digest in digests
        if force or recorded.get(graph.value) != digest or graph.value not in present
    ]
    changed = bool(gone or outdated)
    if changed:
        reasoner.mark_stale()
    for graph_name in gone:
        store.remove_graph(ox.NamedNode(graph_name))
        _record_fingerprints(store, [(ox.NamedNode(graph_name), None)])
    for graph, paths, digest in outdated:
        quads = []
        for path in paths:
            quads.extend(parse_rdf(path=path, format=rdf_format(None, path), source=str(path)))
        # Each graph is replaced in one write, with its fingerprint recorded after it.
        store.put_triples(graph, ntriples(quads), replace=graph.value in present)
        _record_fingerprints(store, [(graph, digest)])
    if changed or (lasting and reasoner.stale()):
        reasoner.reason(count=False)
        return True
    return False


def _load_new_store(store: Backend, reasoner: Reasoner, sources, lasting: bool) -> None:
    """A new store: load each file straight in (each load all-or-nothing), then record the
    fingerprints in one write. A crash half-way leaves graphs without fingerprints, which the
    next open reloads."""
    if lasting:
        reasoner.mark_stale()
    for graph, paths in sources:
        for path in paths:
            store.load_file(graph, path=path, format=rdf_format(None, path), source=str(path))
    if lasting:
        _record_fingerprints(store, [(graph, fingerprint(paths)) for graph, paths in sources])
    reasoner.reason(count=False)


def _recorded_fingerprints(store: Backend) -> dict[str, str]:
    tsv = store.select_tsv(
        sparql("bundled/fingerprints.rq"), source="queries/bundled/fingerprints.rq"
    ).decode("utf-8")
    recorded = {}
    for line in tsv.split("\n")[1:]:
        if line:
            graph, digest = line.split("\t")
            recorded[graph[1:-1]] = digest.strip('"')
    return recorded


def _record_fingerprints(store: Backend, pairs) -> None:
    """Set (or, with ``None``, clear) the recorded SHA-256 of bundled graphs, in one update.

    The update is data, not a fixed query: each term is written by ``sparql_term``."""
    meta = sparql_term(META_GRAPH)
    operations = []
    for graph, digest in pairs:
        operations.append(
            f"DELETE WHERE {{ GRAPH {meta} {{ {sparql_term(graph)} {sparql_term(_FINGERPRINT)} ?h }} }}"
        )
        if digest is not None:
            operations.append(
                f"INSERT DATA {{ GRAPH {meta} {{ {sparql_term(graph)} "
                f"{sparql_term(_FINGERPRINT)} {sparql_term(ox.Literal(digest))} }} }}"
            )
    store.update(" ;\n".join(operations))


def copy_own_graphs(source, target, graphs: list[str] | None = None) -> dict[str, int]:
    """Copy ``source``'s own graphs (all but the bundled and bookkeeping ones, or the ``graphs``
    named) into the knowledge base ``target``, each as one load that replaces the graph of that
    name there; the triples copied, by graph (see :meth:`hlsgraph.KnowledgeBase.copy_to`)."""
    from .errors import ReservedGraphError

    reserved = {ONTOLOGY_GRAPH.value, INFERRED_GRAPH.value, META_GRAPH.value}
    names = graphs if graphs is not None else source.graphs()
    present = set(target.graphs())
    copied: dict[str, int] = {}
    for name in names:
        node = source._graph_node(name)
        if node.value in reserved or node.value.startswith(BASE_GRAPH_PREFIX):
            if graphs is not None:
                raise ReservedGraphError(f"graph {node.value} is kept by hlsgraph itself; it is not copied")
            continue
        data = source.store.construct_ntriples(
            sparql("store/graph-triples.rq"), {"graph": node}, source="queries/store/graph-triples.rq"
        )
        target.load(data=data, format="ntriples", graph=node.value, replace=node.value in present)
        copied[node.value] = data.count(b"\n")
    return copied
