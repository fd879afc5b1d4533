"""The knowledge base: one store (in memory, on disk or a remote SPARQL endpoint) holding the
ontology, the bundled evidence base and users' sources, each in a named graph of its own;
queries and named inquiries answered as typed pandas DataFrames.

``hlsgraph.open()`` is the way in. Reasoning is materialised into the graph ``hlsg:inferred``
after every write (see ``docs/knowledge-base.md``).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import bundled, reasoning
from .errors import (
    GraphExistsError,
    QuerySyntaxError,
    ReservedGraphError,
    UnknownParameterError,
    did_you_mean,
)
from .namespaces import HLSG, PREFIXES
from .progress import reading, shows
from .reasoning import Reasoner
from .resources import sparql
from .store import Backend, open_backend
from .store.interop import rdf_source, to_rdflib
from .store.syntax import in_file
from .store.terms import absolute_iri, parse_iri, query_variables, to_term

if TYPE_CHECKING:  # inquiries load on first use
    from .inquiries import Inquiry

__all__ = ["KnowledgeBase", "open"]

ONTOLOGY_GRAPH = bundled.ONTOLOGY_GRAPH
INFERRED_GRAPH = reasoning.INFERRED_GRAPH
META_GRAPH = reasoning.META_GRAPH
LOAD_GRAPH_PREFIX = HLSG + "load/"
_RESERVED = (ONTOLOGY_GRAPH.value, INFERRED_GRAPH.value, META_GRAPH.value)


def open(location: str | Path | None = None, *, bundled: bool | None = None, **options) -> KnowledgeBase:
    """Open a knowledge base.

    Parameters
    ----------
    location
        ``None`` (default): a new store in memory. A path: a store on disk, built on first
        open and reopened fast after; only one process may have it open. An ``http(s)://`` URL:
        a remote SPARQL 1.1 endpoint (an Oxigraph server's root URL, or see
        :class:`hlsgraph.store.remote.RemoteStore` for other servers and their ``options``).
    bundled
        Whether the ontology and the bundled evidence base are put in: by default yes in memory
        and on disk, no for a remote endpoint (whose data is its owner's; call
        :meth:`KnowledgeBase.load_bundled` to put them there).

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    StoreLockedError
        When another process has the on-disk store open.

    Examples
    --------
    >>> import hlsgraph
    >>> kb = hlsgraph.open()
    >>> len(kb) > 0 and "https://w3id.org/hls/graph/ontology" in kb.graphs()
    True
    """
    backend = open_backend(location, **options)
    if bundled is None:
        bundled = backend.kind != "remote"
    kb = KnowledgeBase(backend)
    if backend.kind == "remote":
        kb._reasoner.warn_of_interrupted_writes(kb.location)
    if bundled:
        kb._sync_bundled()
    elif backend.kind == "disk" and kb._reasoner.stale():
        kb.reason()
    return kb


class KnowledgeBase:
    """A store of the ontology, the evidence base and users' sources, queried as DataFrames.

    Create one with :func:`hlsgraph.open`. Every query sees the union of the named graphs;
    reasoning is materialised into ``hlsg:inferred``.
    """

    def __init__(self, store: Backend):
        self.store = store
        self._reasoner = Reasoner(store)
        self._labels = None
        self._inquiries: dict[str, Inquiry] | None = None

    # ------------------------------------------------------------------ basics

    @property
    def kind(self) -> str:
        """``"memory"``, ``"disk"`` or ``"remote"``."""
        return self.store.kind

    @property
    def location(self) -> str | None:
        """The store's path or URL (``None`` in memory)."""
        return self.store.location

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes every query may use without declaring them (a copy)."""
        return dict(PREFIXES)

    def __len__(self) -> int:
        """The number of triples across all graphs (the same triple in two graphs counts twice)."""
        return self.store.count()

    def __repr__(self) -> str:
        where = {
            "memory": "in memory",
            "disk": f"on disk at {self.location}",
            "remote": f"at {self.location}",
        }[self.kind]
        return f"<KnowledgeBase {where}>"

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (for a store on disk: its lock, so another process may open it)."""
        self.store.close()

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted.

        >>> import hlsgraph
        >>> "https://w3id.org/hls/graph/inferred" in hlsgraph.open().graphs()
        True
        """
        return self.store.graphs()

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one graph, when ``graph`` is given) as pyoxigraph quads."""
        return self.store.quads(self._graph_node(graph) if graph is not None else None)

    # ------------------------------------------------------------------ queries

    def select(self, query: str, /, *, compact: bool = True, timeout: float | None = None, **params):
        """Run a SELECT query and return its solutions as a typed DataFrame.

        Parameters
        ----------
        query
            SPARQL text; every prefix of :attr:`prefixes` is declared for it.
        compact
            Write IRIs as prefixed names where a prefix is known (``False``: whole IRIs).
        timeout
            Seconds after which :class:`hlsgraph.QueryTimeoutError` is raised.
        **params
            Values for the query's variables, bound as RDF terms (see :func:`to_term`), never
            pasted into the text.

        Returns
        -------
        pandas.DataFrame
            One column per variable in order; integers ``Int64``, other numbers ``Float64``,
            booleans ``boolean``, ``xsd:date``/``xsd:dateTime`` columns ``datetime64``, the rest
            ``string``; unbound is ``<NA>``. ``attrs`` holds the query and parameters.

        Examples
        --------
        >>> import hlsgraph
        >>> kb = hlsgraph.open()
        >>> kb.select("SELECT ?c WHERE { ?c a owl:Class } LIMIT 1").columns.tolist()
        ['c']
        >>> len(kb.select("SELECT ?c WHERE { ?c rdfs:label ?label }", label='x" } UNION { ?c ?p ?o } #'))
        0
        """
        variables = query_variables(query)
        terms = {}
        for name, value in params.items():
            if name not in variables:
                raise UnknownParameterError(
                    f"the query has no variable ?{name}{did_you_mean(name, variables)}; "
                    f"its variables: {', '.join('?' + v for v in variables) or 'none'}"
                )
            terms[name] = to_term(value)
        return self._select_terms(query, terms, compact=compact, timeout=timeout)

    def _select_terms(
        self,
        query: str,
        terms: Mapping[str, Any],
        *,
        compact: bool = True,
        timeout: float | None = None,
        attrs: Mapping[str, Any] | None = None,
        source: str = "<query>",
    ):
        """The shared SELECT path: ``terms`` already pyoxigraph terms by variable name."""
        from .inquiries import parameter_attrs
        from .store.frames import solutions_frame

        tsv = self.store.select_tsv(query, terms, timeout=timeout, source=source)
        frame = solutions_frame(tsv, query, compact=compact)
        frame.attrs.update(
            {
                "query": query,
                "parameters": parameter_attrs(terms),
            }
        )
        frame.attrs.update(attrs or {})
        return frame

    def ask(self, query: str, /, *, timeout: float | None = None, **params) -> bool:
        """Run an ASK query.

        >>> import hlsgraph
        >>> hlsgraph.open().ask("ASK { ?x a owl:Class }")
        True
        """
        return self.store.ask(query, {k: to_term(v) for k, v in params.items()}, timeout=timeout)

    def construct(self, query: str, /, *, timeout: float | None = None, **params):
        """Run a CONSTRUCT (or DESCRIBE) query; the triples as an ``rdflib.Graph``.

        >>> import hlsgraph
        >>> g = hlsgraph.open().construct("CONSTRUCT { ?c a owl:Class } WHERE { ?c a owl:Class }")
        >>> len(g) > 0
        True
        """
        return to_rdflib(
            self.store.construct(query, {k: to_term(v) for k, v in params.items()}, timeout=timeout)
        )

    def update(self, text: str, /) -> None:
        """Run a SPARQL 1.1 update (as one transaction), then refresh the inferences.

        Name a graph (``INSERT DATA { GRAPH <...> { ... } }``): triples written to the store's
        default graph are seen by queries but belong to no source, so no ``remove_graph`` or
        ``load(..., replace=True)`` can take them out again.
        """
        with self._reasoner.writing(None, "an update"):
            self.store.update(text)
        self._changed()

    # ------------------------------------------------------------------ inquiries

    @property
    def catalogue(self) -> dict[str, Inquiry]:
        """The named inquiries this knowledge base answers: name → :class:`hlsgraph.inquiries.Inquiry`
        (read once from ``queries/``; what widgets build their inputs from).

        >>> import hlsgraph
        >>> hlsgraph.open().catalogue["stories-by-concept"].parameters[0].name
        'concept'
        """
        if self._inquiries is None:
            from .inquiries import load_inquiries

            self._inquiries = load_inquiries()
        return self._inquiries

    def inquiries(self):
        """The named inquiries as a DataFrame: name, title, description, tags, parameters.

        >>> import hlsgraph
        >>> "stories-by-concept" in hlsgraph.open().inquiries()["name"].tolist()
        True
        """
        from .inquiries import catalogue_frame

        return catalogue_frame(self.catalogue)

    def inquire(
        self,
        name: str,
        /,
        *,
        compact: bool = True,
        timeout: float | None = None,
        pivot: bool = True,
        **params,
    ):
        """Run the named inquiry ``queries/<name>.rq`` with its parameters; a DataFrame.

        Parameters are bound as RDF terms by their declared types: an IRI, a prefixed name, a
        literal, or a label naming exactly one resource (an unknown or ambiguous label is an
        error listing the candidates); a list-valued parameter takes a list. ``attrs`` records
        the inquiry and parameters. An inquiry whose header declares a ``pivot`` answers with one
        column per value (``compare-places``: one per place); ``pivot=False`` gives its rows in
        long form.
        """
        from .inquiries import apply_pivot, bind_parameters, bound_query, get_inquiry, parameter_attrs

        inquiry = get_inquiry(self.catalogue, name)
        # kb.resolve builds the label index only if a value is a label (not an IRI).
        terms = bind_parameters(inquiry, params, self)
        path = getattr(inquiry, "path", None)
        source = str(path) if path else f"inquiry {name}"
        try:
            # Bound as text, the same on every back-end (see hlsgraph.inquiries).
            frame = self._select_terms(
                bound_query(inquiry, terms),
                {},
                compact=compact,
                timeout=timeout,
                attrs={"inquiry": name, "query": inquiry.query, "parameters": parameter_attrs(terms)},
                source=source,
            )
        except QuerySyntaxError as err:
            raise in_file(err, inquiry.query, path) from None
        return apply_pivot(frame, inquiry, terms) if pivot and getattr(inquiry, "pivot", None) else frame

    def labels(self):
        """The label index used to resolve labels to resources: built on first use and kept
        until the next write (see :class:`hlsgraph.labels.LabelIndex`)."""
        if self._labels is None:
            from .labels import LabelIndex

            self._labels = LabelIndex.from_kb(self)
        return self._labels

    def resolve(self, value, *, kind: str | None = None) -> ox.NamedNode:
        """The resource ``value`` names: an IRI, a prefixed name, or a label naming exactly one
        resource (of class ``kind`` or a subclass, when given).

        >>> import hlsgraph
        >>> hlsgraph.open().resolve("hlsc:trust")
        <NamedNode value=https://w3id.org/hls/concept/trust>
        """
        if isinstance(value, ox.NamedNode):
            return value
        return self.labels().resolve(value, kind=kind)

    # ------------------------------------------------------------------ writing

    def _graph_node(self, graph) -> ox.NamedNode:
        if isinstance(graph, ox.NamedNode):
            return graph
        # parse_iri takes <...>, http(s) IRIs and prefixed names; any other IRI is used as given.
        return parse_iri(str(graph)) or ox.NamedNode(str(graph))

    def load(
        self,
        path: str | Path | None = None,
        *,
        data=None,
        format: str | None = None,
        graph: str | None = None,
        replace: bool = False,
        base_iri: str | None = None,
        progress: bool | None = None,
    ) -> str:
        """Load RDF into a named graph of its own, all or nothing.

        Parameters
        ----------
        path
            A Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML file; its format comes
            from its extension unless ``format`` is given.
        data
            Instead of ``path``: the RDF as ``str`` or ``bytes`` (``format`` required), or an
            ``rdflib.Graph`` / ``Dataset``.
        graph
            The graph to load into (default ``hlsg:load/<file stem>``, or ``hlsg:load/<hash>``
            for data). Triples a TriG or N-Quads source puts in its own graphs go there too.
        replace
            Replace that graph as a unit; without it, loading into an existing graph is an error.
        base_iri
            The IRI that relative IRIs in the source (``<#me>``, ``rdf:about="#x"``) resolve
            against, where the source declares no ``@base`` of its own; without one, a relative
            IRI is an error.
        progress
            Show a bar while the file is read and the inferences computed: ``None`` (default)
            when someone can see it and the work takes a while, ``True`` always, ``False`` never
            (see :mod:`hlsgraph.progress`).

        Returns
        -------
        str
            The graph's IRI.

        Raises
        ------
        RDFSyntaxError
            The source does not parse (file, line and column given); the store is unchanged.
        GraphExistsError
            The graph exists and ``replace`` is false.
        """
        what = rdf_source(path, data=data, format=format)
        default = LOAD_GRAPH_PREFIX + what.key
        target = self._graph_node(graph if graph is not None else default)
        if target.value in _RESERVED:
            raise ReservedGraphError(
                f"graph {target.value} is kept by hlsgraph itself; load into another graph"
            )
        exists = self.store.has_graph(target)
        if exists and not replace:
            raise GraphExistsError(
                f"graph {target.value} already exists; pass replace=True to replace it, "
                "or graph= to load into another"
            )
        plan = self._reasoner.removal_plan(target) if exists else None
        with self._reasoner.writing(target, f"loading {what.source}"), contextlib.ExitStack() as stack:
            path, data = what.path, what.data
            if path is not None and shows(progress):
                # The parser reads the file through the bar (all or nothing as before).
                data = stack.enter_context(reading(path, desc=f"Loading {path.name}", progress=progress))
                path = None
            self.store.load_file(
                target,
                path=path,
                data=data,
                format=what.format,
                source=what.source,
                replace=exists,
                base_iri=absolute_iri(base_iri, what="base_iri"),
            )
        self._labels = None
        if exists:
            self._reasoner.after_removal(plan, also=target, progress=progress)
        else:
            self._reasoner.reason(added=target, progress=progress, count=False)
        return target.value

    def remove_graph(self, graph: str) -> None:
        """Remove a named graph as a unit (nothing happens if there is no such graph)."""
        target = self._graph_node(graph)
        if target.value in _RESERVED:
            raise ReservedGraphError(f"graph {target.value} is kept by hlsgraph itself and cannot be removed")
        plan = self._reasoner.removal_plan(target)
        with self._reasoner.writing(target, "removing the graph"):
            self.store.remove_graph(target)
        self._labels = None
        self._reasoner.after_removal(plan)

    def copy_to(self, target: KnowledgeBase, *, graphs: list[str] | None = None) -> dict[str, int]:
        """Copy this knowledge base's own graphs into ``target``, each as one load there that
        replaces the graph of that name; the triples copied, by graph.

        "Own" is every graph but the bundled ones (the ontology and ``hlsg:base/...``, which
        ``hlsgraph.open(location, bundled=True)`` puts in ``target`` from the package itself)
        and hlsgraph's bookkeeping (``hlsg:inferred``, ``hlsg:meta``): ``target`` reasons over
        what it holds. This is how a base moves from memory or disk to a server
        (``hlsgraph copy --store PATH --to URL``; see ``docs/scaling.md``).

        >>> import hlsgraph
        >>> mine = hlsgraph.open()
        >>> mine.load(data="<https://e.org/a> <https://e.org/b> 1 .", format="turtle", graph="hlsg:load/m")
        'https://w3id.org/hls/graph/load/m'
        >>> mine.copy_to(hlsgraph.open())
        {'https://w3id.org/hls/graph/load/m': 1}
        """
        return bundled.copy_own_graphs(self, target, graphs)

    def load_bundled(self) -> None:
        """Put the ontology and the bundled evidence base in (replacing their graphs)."""
        self._sync_bundled(force=True)

    # ------------------------------------------------------------------ reasoning

    def reason(self, *, added: str | None = None, progress: bool | None = None) -> int:
        """Bring the materialised entailments in ``hlsg:inferred`` up to date; the number of
        inferred triples.

        Done for you after every write; the rules are in ``queries/rules/`` and
        ``docs/knowledge-base.md`` (see :class:`hlsgraph.reasoning.Reasoner`).
        """
        added_graph = None if added is None else self._graph_node(added)
        count = self._reasoner.reason(added=added_graph, progress=progress)
        assert count is not None  # counted, as count=False was not asked for
        if added is None:
            self._reasoner.write_done(None)  # an interrupted update is dealt with by now
        return count

    def _changed(self, added: str | None = None) -> None:
        self._labels = None
        self._reasoner.reason(added=None if added is None else self._graph_node(added), count=False)
        if added is None:
            self._reasoner.write_done(None)

    def _sync_bundled(self, force: bool = False) -> None:
        if bundled.sync_bundled(self.store, self._reasoner, force=force):
            self._labels = None

    # ------------------------------------------------------------------ other modules

    def validate(self, graph: str | None = None, **kw):
        """Check data against the ontology's SHACL shapes; a ``ValidationReport``.

        The validator (:func:`hlsgraph.validation.validate`, which brings in the ontology
        itself) gets an rdflib copy of the data graphs, or of the one ``graph`` given; never
        the store.
        """
        from .validation import validate

        return validate(self._rdflib_copy(graph), **kw)

    def _rdflib_copy(self, graph: str | None = None):
        """An rdflib copy of the data graphs (everything but the ontology, the inferred and
        the bookkeeping graphs), or of one graph."""
        if graph is not None:
            names = [self._graph_node(graph)]
        else:
            names = [ox.NamedNode(g) for g in self.graphs() if g not in _RESERVED]
        return to_rdflib(itertools.chain.from_iterable(self.store.quads(name) for name in names))

    def import_table(self, path, kind: str, *, mode: str = "strict", progress: bool | None = None, **kw):
        """Import a spreadsheet of evidence (see :func:`hlsgraph.importing.import_table`)."""
        from .importing import import_table

        return import_table(self, path, kind, mode=mode, progress=progress, **kw)

    def import_360giving(self, path, *, mode: str = "strict", graph: str | None = None, **kw):
        """Import grants in the 360Giving Data Standard (see
        :func:`hlsgraph.importing.giving360.import_360giving`)."""
        from .importing.giving360 import import_360giving

        return import_360giving(self, path, mode=mode, graph=graph, **kw)

    def export_360giving(self, path, *, funder=None, **kw):
        """Write the public grants as a 360Giving JSON package (see
        :func:`hlsgraph.publishing.giving360.export_360giving`)."""
        from .publishing.giving360 import export_360giving

        return export_360giving(self, path, funder=funder, **kw)

    def export(self, path=None, *, format: str | None = None, access=("public",), **kw):
        """Export the knowledge base (see :func:`hlsgraph.publishing.export.export`)."""
        from .publishing.export import export

        return export(self, path, format=format, access=access, **kw)

    def publish(self, outdir, *, base, title, publisher, license, description=None, levels=("public",), **kw):
        """Publish what ``levels`` lets out as a static linked-open-data site in ``outdir``; a
        ``PublishReport`` (see :func:`hlsgraph.publishing.publish` and ``docs/publishing.md``)."""
        from .publishing import publish

        return publish(
            self,
            outdir,
            base=base,
            title=title,
            publisher=publisher,
            license=license,
            description=description,
            levels=levels,
            **kw,
        )

    def export_cids(self, path=None, *, access=("public",)):
        """Write outcomes, indicators and indicator reports as the Common Impact Data Standard
        3.2.1 (see :func:`hlsgraph.publishing.cids.export_cids`)."""
        from .publishing.cids import export_cids

        return export_cids(self, path, access=access)

    # ------------------------------------------------------------------ summaries

    def stats(self):
        """Triples per named graph, as a DataFrame (``graph``, ``triples``); an engine's own
        graphs (a Virtuoso's) are left out."""
        frame = self.select(sparql("kb/stats.rq"), compact=False)
        hidden = self.store.system_graphs
        if hidden:
            frame = frame[~frame["graph"].isin(hidden)].reset_index(drop=True)
        return frame

    def kinds(self):
        """How many resources of each class of the HLS ontology there are, most first."""
        return self.select(sparql("kb/kinds.rq"))
