"""What every store back-end offers :class:`hlsgraph.KnowledgeBase`, and :func:`open_backend`,
which picks the back-end for a location."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import ArgumentTypeError
from .terms import ntriples, sparql_term


class Backend:
    """What every back-end offers :class:`hlsgraph.KnowledgeBase`."""

    kind: str = ""
    location: str | None = None

    @property
    def system_graphs(self) -> tuple[str, ...]:
        """The engine's own graphs (a Virtuoso's), left out of graphs(), len() and stats()."""
        return ()

    def select_tsv(
        self,
        query: str,
        terms: Mapping[str, object] | None = None,
        *,
        timeout: float | None = None,
        source: str = "<query>",
    ) -> bytes:
        raise NotImplementedError

    def ask(self, query: str, terms=None, *, timeout=None, source="<query>") -> bool:
        raise NotImplementedError

    def construct(self, query: str, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        raise NotImplementedError

    def construct_ntriples(
        self, query: str, terms=None, *, source: str = "<query>", exclude_inferred: bool = False
    ) -> bytes:
        """A CONSTRUCT query's triples as N-Triples bytes, without Python objects per triple
        (``exclude_inferred``: over every graph but ``hlsg:inferred``, where the back-end can)."""
        return ntriples(self.construct(query, terms, source=source))

    def update(self, text: str, *, source: str = "<update>") -> None:
        raise NotImplementedError

    def load_file(
        self,
        graph: ox.NamedNode,
        *,
        path=None,
        data=None,
        format: ox.RdfFormat,
        source: str,
        replace: bool = False,
        base_iri: str | None = None,
    ) -> None:
        raise NotImplementedError

    def put_triples(self, graph: ox.NamedNode, triples: bytes, *, replace: bool) -> None:
        raise NotImplementedError

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {sparql_term(graph)}")

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return graph.value in self.graphs()

    def count(self) -> int:
        raise NotImplementedError

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the store (the on-disk lock, for a store on disk)."""


def open_backend(location: str | Path | None, **options) -> Backend:
    """The back-end for ``location``: ``None`` in memory, an http(s) URL remote, else a path."""
    if location is None:
        if options:
            raise ArgumentTypeError(
                f"unexpected options for an in-memory store: {', '.join(options)}; "
                "an in-memory store takes none"
            )
        from .embedded import EmbeddedStore

        return EmbeddedStore()
    text = str(location)
    if re.match(r"https?://", text, re.IGNORECASE):
        from .remote import RemoteStore

        return RemoteStore(text, **options)
    if options:
        raise ArgumentTypeError(
            f"unexpected options for an on-disk store: {', '.join(options)}; "
            "the options of hlsgraph.open are for remote (http) stores"
        )
    from .embedded import EmbeddedStore

    return EmbeddedStore(Path(location).expanduser())
