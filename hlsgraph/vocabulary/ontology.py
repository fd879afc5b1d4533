"""The HLS ontology and its SHACL shapes as rdflib graphs, parsed from the bundled ``ontology/``
files (each ontology parse cached by file and modification time; callers get a graph of their own)."""

from __future__ import annotations

import functools

import rdflib

from ..namespaces import PREFIXES
from ..resources import ontology_dir

SHAPES_FILE = "shapes.ttl"
"""The file in ``ontology/`` that holds the SHACL shapes (validation only, not ontology)."""


def ontology_graph() -> rdflib.Graph:
    """The HLS ontology (every ``*.ttl`` in ``ontology/`` except the shapes) as a new rdflib Graph.

    Each call parses afresh and returns a graph the caller may change freely.

    >>> g = ontology_graph()
    >>> from rdflib import URIRef
    >>> (URIRef("https://w3id.org/hls/concept/trust"), None, None) in g
    True
    """
    graph = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    files = tuple(
        (str(path), path.stat().st_mtime_ns)
        for path in sorted(ontology_dir().glob("*.ttl"))
        if path.name != SHAPES_FILE
    )
    graph.addN((s, p, o, graph) for s, p, o in _parsed(files))
    return graph


@functools.lru_cache(maxsize=4)
def _parsed(files: tuple[tuple[str, int], ...]) -> tuple:
    """The triples of the ontology files, parsed once per set of (path, modification time):
    an edited file is parsed again, and callers always get a graph of their own."""
    graph = rdflib.Graph()
    for path, _mtime in files:
        graph.parse(path, format="turtle")
    return tuple(graph)


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes (``ontology/shapes.ttl``) as a new rdflib Graph.

    >>> from rdflib.namespace import SH, RDF
    >>> len(set(shapes_graph().subjects(RDF.type, SH.NodeShape))) > 10
    True
    """
    graph = rdflib.Graph()
    graph.parse(ontology_dir() / SHAPES_FILE, format="turtle")
    return graph
