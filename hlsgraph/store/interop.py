"""RDF coming in and going out of a store: files, strings and rdflib graphs as sources to load,
and store content as rdflib graphs (for pySHACL, for users' rdflib code). rdflib is for interop
only; it is imported here when a conversion needs it, never to query."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import ArgumentTypeError, InvalidArgumentError, MissingFileError
from ..namespaces import PREFIXES
from .terms import find_format, ntriples, rdf_format


@dataclass(frozen=True)
class RdfSource:
    """One source to load: a file (``path``) or the data itself (``data``), its format, how
    errors name it (``source``) and a stable name for it (``key``: the file's stem, or a hash
    of the data)."""

    path: Path | None
    data: bytes | str | None
    format: ox.RdfFormat
    source: str
    key: str

    @property
    def size(self) -> int:
        """Its size in bytes."""
        if self.path is not None:
            return self.path.stat().st_size
        return len(self.data or b"")


def rdf_source(
    path: str | os.PathLike | None = None, *, data: Any = None, format: str | None = None
) -> RdfSource:
    """What to load from ``path`` or ``data`` (a ``str``, ``bytes`` or rdflib graph).

    >>> rdf_source(data="<http://x/a> <http://x/b> <http://x/c> .", format="nt").format.name
    'N-Triples'
    """
    if (path is None) == (data is None):
        raise InvalidArgumentError("give exactly one of path= (a file) or data= (the RDF itself)")
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise MissingFileError(
                f"no file {path} to load; give the path of an RDF file (such as .ttl or .nt)"
            )
        return RdfSource(
            path, None, rdf_format(format, path), str(path), re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem)
        )
    if type(data).__module__.startswith("rdflib"):
        data, format = from_rdflib(data)
    if not isinstance(data, (str, bytes)):
        raise ArgumentTypeError(f"data= takes str, bytes or an rdflib graph, not {type(data).__name__}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return RdfSource(None, data, rdf_format(format), "<data>", hashlib.sha256(raw).hexdigest()[:16])


def from_rdflib(graph: Any) -> tuple[bytes, str]:
    """An rdflib ``Graph`` (as N-Triples) or ``Dataset`` (as N-Quads), and the format's name."""
    import rdflib

    if isinstance(graph, (rdflib.Dataset, rdflib.ConjunctiveGraph)):
        fmt = find_format("nquads")
    elif isinstance(graph, rdflib.Graph):
        fmt = find_format("ntriples")
    else:
        raise ArgumentTypeError(f"data= takes str, bytes or an rdflib graph, not {type(graph).__name__}")
    return graph.serialize(format=fmt.rdflib, encoding="utf-8"), fmt.name


def to_rdflib(triples: Iterable[ox.Quad] | Iterable[ox.Triple]) -> Any:
    """Triples (or the triples of quads) as a new ``rdflib.Graph`` with hlsgraph's prefixes
    bound.

    >>> t = ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c"))
    >>> len(to_rdflib([t]))
    1
    """
    import rdflib

    graph = rdflib.Graph()
    for name, iri in PREFIXES.items():
        graph.bind(name, iri, override=True)
    data = ntriples(triples)
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph
