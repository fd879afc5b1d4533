"""The remote back-end: a SPARQL 1.1 endpoint reached over HTTP with ``urllib`` (query, update and
graph store protocols), in the forms every engine answers, with a small profile per engine
(Oxigraph server, Virtuoso, any other) worked out by asking the server once.

Every failure is one of :class:`~hlsgraph.errors.EndpointError`'s family, naming the URL and
the server's own message; a time limit the server applied is raised, never returned as data.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from ..errors import (
    ConnectionLostError,
    EndpointRefusedError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    InvalidArgumentError,
    QueryFormError,
    QueryTimeoutError,
    did_you_mean,
)
from ..namespaces import HLSG, sparql_prologue
from ..resources import sparql
from .base import Backend
from .syntax import first_line, query_syntax_error
from .terms import bind_first, bind_values, ntriples, parse_rdf

# Longer queries go as a form-encoded POST: some servers and proxies refuse longer URLs.
_GET_LIMIT = 2000
_JSON = "application/sparql-results+json"
_XML = "application/sparql-results+xml"
_TSV = "text/tab-separated-values"
_RDF_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# What Oxigraph writes into a 200 answer already under way when its --timeout-s is reached.
_OXIGRAPH_CANCELLED = "The SPARQL operation has been cancelled"
# The graphs a fresh Virtuoso holds for itself (its RDF views, LDP and URIQA set-up).
_VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
#: How a connection broken while a request or its answer was under way shows itself (a refused
#: connection is not among them: nothing was under way). RemoteDisconnected and IncompleteRead are
#: HTTPExceptions; RemoteDisconnected is a ConnectionResetError too.
CONNECTION_LOST = (http.client.HTTPException, BrokenPipeError, ConnectionAbortedError, ConnectionResetError)
_INFERRED = HLSG + "inferred"
# Seconds the client waits past a limit the server was given, for the server's own answer.
_SERVER_GRACE = 2.0
# A write may take this many times the query timeout (a large graph store upload).
_WRITE_PATIENCE = 10


@dataclass(frozen=True)
class EngineProfile:
    """What hlsgraph knows about one endpoint's engine: where each protocol lives and which of
    the standard's options it answers correctly.

    Attributes
    ----------
    engine
        ``"oxigraph"``, ``"virtuoso"`` or ``"sparql"`` (any other SPARQL 1.1 server).
    query_url, update_url, store_url
        The query, update and Graph Store Protocol endpoints.
    query_params, update_params
        Parameters sent with every query or update (Oxigraph's union default graph).
    select_formats
        The result formats asked for, best first: TSV only where it is SPARQL 1.1 TSV.
    system_graphs
        The engine's own graphs, hidden from graphs(), len() and stats() (not from queries:
        Virtuoso answers ``GRAPH <g>`` wrongly under its pragmas that would leave them out).
    open_paths
        Whether ``+``/``*`` paths with both ends unbound are answered (Virtuoso refuses them).
    timeout_param
        The request parameter that gives the server a time limit in milliseconds, if any.
    binding
        How parameters are bound: ``"values"`` (a ``VALUES`` block first in the outermost
        group) or ``"bind"`` (a ``BIND`` each, the same thing; Virtuoso plans some queries with
        a ``VALUES`` block so badly that the whole server stops answering).
    """

    engine: str
    query_url: str
    update_url: str
    store_url: str
    query_params: tuple[tuple[str, str], ...] = ()
    update_params: tuple[tuple[str, str], ...] = ()
    select_formats: tuple[str, ...] = (_JSON, _XML)
    system_graphs: tuple[str, ...] = ()
    open_paths: bool | None = None
    timeout_param: str | None = None
    binding: str = "values"
    server: str = field(default="", compare=False)


def _root(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def engine_profile(url: str, engine: str, server: str = "", **overrides) -> EngineProfile:
    """The profile of ``engine`` serving ``url``, with ``update_url`` / ``store_url`` overrides.

    >>> p = engine_profile("http://127.0.0.1:8890/sparql", "virtuoso")
    >>> p.store_url, p.open_paths
    ('http://127.0.0.1:8890/sparql-graph-crud', False)
    >>> engine_profile("http://127.0.0.1:7878", "oxigraph").query_url
    'http://127.0.0.1:7878/query'
    """
    overrides = {k: v for k, v in overrides.items() if v}
    if engine == "oxigraph":
        root = url.rstrip("/")
        root = root[: -len("/query")] if root.endswith("/query") else root
        profile = EngineProfile(
            "oxigraph",
            root + "/query",
            root + "/update",
            root + "/store",
            query_params=(("union-default-graph", ""),),
            update_params=(("using-union-graph", ""),),
            select_formats=(_TSV, _JSON),
            open_paths=True,
            server=server,
        )
    elif engine == "virtuoso":
        path = urllib.parse.urlsplit(url).path.rstrip("/")
        query = url if path else _root(url) + "/sparql"
        profile = EngineProfile(
            "virtuoso",
            query,
            query,
            _root(url) + "/sparql-graph-crud",
            system_graphs=_VIRTUOSO_SYSTEM_GRAPHS,
            open_paths=False,
            timeout_param="timeout",
            binding="bind",
            server=server,
        )
    else:
        profile = EngineProfile("sparql", url, url, url, server=server)
    return replace(profile, **overrides)


class RemoteStore(Backend):
    """A SPARQL 1.1 endpoint reached over HTTP with ``urllib`` (no extra dependency).

    ``url`` is an Oxigraph server's root or ``/query`` URL, a Virtuoso ``/sparql`` endpoint (or
    its root), or any other SPARQL 1.1 endpoint. The engine is found from the server's answer to
    one request (its ``Server`` header) unless ``engine=`` names it; its profile
    (:class:`EngineProfile`) says where updates and graph store requests go. For other engines
    the URL serves all three protocols (the layout of a Fuseki dataset) unless ``update_url`` /
    ``store_url`` say otherwise, and the server must query the union of its graphs by default.

    Queries are sent as GET, or as a form-encoded POST when long; SELECT results come as SPARQL
    JSON (TSV from Oxigraph, whose TSV is SPARQL 1.1 TSV). ``timeout`` is the default limit in
    seconds for each request.
    """

    location: str  # the endpoint's URL

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        engine: str | None = None,
        timeout: float | None = 60.0,
    ):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InvalidArgumentError(
                f"not an http(s) SPARQL endpoint URL: {url!r}; expected one such as http://127.0.0.1:7878/query"
            )
        if engine not in (None, "oxigraph", "virtuoso", "sparql"):
            raise InvalidArgumentError(
                f"engine= takes 'oxigraph', 'virtuoso' or 'sparql', not {engine!r}"
                + did_you_mean(str(engine), ["oxigraph", "virtuoso", "sparql"])
            )
        self.kind, self.location = "remote", url
        self.timeout = timeout
        self._overrides = {"update_url": update_url, "store_url": store_url}
        self._engine = engine
        self._profile: EngineProfile | None = None
        self.prologue = sparql_prologue()
        # Another engine's N-Triples may write the same triple differently from pyoxigraph.
        self.canonical_ntriples = False

    # ------------------------------------------------------------------ the engine

    @property
    def profile(self) -> EngineProfile:
        """The engine's profile, found on first use."""
        if self._profile is None:
            engine, server = self._engine, ""
            if engine is None:
                engine, server = self._probe()
            self._profile = engine_profile(self.location, engine, server, **self._overrides)
        return self._profile

    def _probe(self) -> tuple[str, str]:
        """Which engine serves the URL, from the ``Server`` header of its answer to a GET."""
        request = urllib.request.Request(self.location, headers={"User-Agent": "hlsgraph"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                server = response.headers.get("Server", "")
        except urllib.error.HTTPError as err:  # an error page still names the server
            server = err.headers.get("Server", "") if err.headers else ""
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            raise self._unreachable(self.location, "request", getattr(err, "reason", err)) from None
        lowered = server.lower()
        if lowered.startswith("oxigraph"):
            return "oxigraph", server
        if lowered.startswith("virtuoso"):
            return "virtuoso", server
        return "sparql", server

    @property
    def open_paths(self) -> bool:
        """Whether the engine answers ``+``/``*`` paths with both ends unbound (asked once)."""
        profile = self.profile
        if profile.open_paths is None:
            try:
                self.ask(sparql("store/open-paths.rq"), source="queries/store/open-paths.rq")
                answer = True
            except EndpointRefusedError:
                answer = False
            self._profile = profile = replace(profile, open_paths=answer)
        return bool(profile.open_paths)

    @property
    def system_graphs(self) -> tuple[str, ...]:
        """The engine's own graphs, which graphs(), len() and stats() leave out."""
        return self.profile.system_graphs

    # ------------------------------------------------------------------ requests

    def _unreachable(self, url: str, what: str, reason) -> EndpointUnreachableError:
        return EndpointUnreachableError(
            f"cannot reach the SPARQL endpoint {url} for the {what}: {reason}", url=url
        )

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        timeout: float | None = None,
        what: str = "request",
        query: str = "",
        source: str = "<query>",
        idempotent: bool = False,
        writes: bool = False,
    ) -> tuple[str, bytes, http.client.HTTPMessage]:
        """One HTTP exchange; the answer's media type, body and headers. Errors are hlsgraph's:
        a request that may be repeated safely is tried once more if the connection breaks."""
        endpoint = url  # messages name the endpoint, not the query in its URL
        if params:
            url = url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        headers = {"User-Agent": "hlsgraph"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        limit = timeout
        if limit is None and self.timeout is not None:
            # A large graph store upload takes its time.
            limit = self.timeout * (_WRITE_PATIENCE if writes else 1)
        attempts = 2 if idempotent else 1
        lost: BaseException | str | None = None
        for attempt in range(attempts):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=limit) as response:
                    data = response.read()
                    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                    return kind, data, response.headers
            except urllib.error.HTTPError as err:
                raise self._refused(err, endpoint, what, query, source) from None
            except (OSError, http.client.HTTPException) as err:
                lost = self._broken(err, lost, endpoint, what, query, limit, writes)
            if attempt + 1 < attempts:
                time.sleep(0.2)  # the server may have been closing a kept-alive connection
        raise self._lost(endpoint, what, lost, writes, retried=attempts > 1)

    def _broken(self, err, lost, url, what, query, limit, writes) -> BaseException | str:
        """Raise the error for a failed exchange, or return its cause when the connection broke
        and the request may be tried again."""
        failure, cause = _failure(err)
        if failure == "unreachable":
            if lost is not None:  # trying again found the server gone
                raise self._lost(url, what, lost, writes, again=cause) from None
            raise self._unreachable(url, what, cause) from None
        if failure == "timeout" and not writes:
            raise QueryTimeoutError(
                f"the {what} to {self.location} ran past its timeout of {limit:g} s"
                + (f": {first_line(query)}" if query else "")
            ) from None
        if failure == "timeout":
            raise self._lost(url, what, TimeoutError(f"no answer within {limit:g} s"), writes) from None
        return cause

    def _lost(
        self, url: str, what: str, err, writes: bool, *, retried: bool = False, again=None
    ) -> ConnectionLostError:
        reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        message = f"the connection to {url} broke off during the {what} ({reason})"
        if again is not None:
            message += f", and trying once more the endpoint could not be reached: {again}"
        elif retried:
            message += "; trying once more did not help"
        if writes:
            message += "; the server may have applied all, part or none of it, so it is not sent again"
        return ConnectionLostError(message, url=url)

    def _refused(self, err: urllib.error.HTTPError, url: str, what: str, query: str, source: str):
        try:
            detail = err.read().decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            detail = ""
        detail = _plain(detail)
        if err.code in (400, 500) and query and _looks_like_syntax_error(detail):
            return query_syntax_error(_virtuoso_position(detail), query, source, line_shift=self._shift)
        lowered = detail.lower()
        if err.code in (500, 503, 504) and ("timeout" in lowered or "cancelled" in lowered):
            return EndpointTimeoutError(
                f"the SPARQL endpoint {url} stopped the {what} at its time limit: {detail[:500]}",
                url=url,
                status=err.code,
            )
        hint = ""
        if err.code in (401, 403) and self.profile.engine == "virtuoso":
            hint = (
                " (Virtuoso lets the anonymous SPARQL user write only when granted: run "
                'GRANT SPARQL_UPDATE TO "SPARQL"; and DB.DBA.RDF_DEFAULT_USER_PERMS_SET '
                "('nobody', 7); in isql, then restart it; see docs/scaling.md)"
            )
        return EndpointRefusedError(
            f"the SPARQL endpoint {url} refused the {what}: HTTP {err.code} {err.reason}: "
            f"{detail[:500]}{hint}",
            url=url,
            status=err.code,
        )

    @property
    def _shift(self) -> int:
        return self.prologue.count("\n")

    # ------------------------------------------------------------------ queries

    def _query(self, query, terms, timeout, source, accept, default_graphs=None) -> tuple[str, bytes]:
        """Send a query; ``default_graphs`` names the graphs of the default graph (the
        protocol's ``default-graph-uri``) in place of the engine's union of every graph."""
        profile = self.profile
        if not terms:
            text = query
        elif profile.binding == "bind":
            text = bind_first(query, terms)
        else:
            text = bind_values(query, terms)
        if default_graphs is None:
            params = [*profile.query_params]
        else:
            params = [("default-graph-uri", graph) for graph in default_graphs]
        # The server gets the limit too, where it takes one, so that it stops the work.
        limit = timeout if timeout is not None else self.timeout
        if limit is not None and profile.timeout_param:
            # Virtuoso checks its limit every so often and stops at up to twice it (2 s at
            # least): ask for half, so that it stops near the caller's limit.
            params.append((profile.timeout_param, str(max(int(limit * 500), 1))))
        full = self.prologue + text
        # The socket waits a little longer than the server's own limit, so that the server's
        # answer saying it stopped arrives first.
        socket_limit = None if limit is None else limit + (_SERVER_GRACE if profile.timeout_param else 0.0)
        encoded = urllib.parse.urlencode([("query", full)])
        common = {
            "accept": accept,
            "timeout": socket_limit,
            "what": "query",
            "query": text,
            "source": source,
            "idempotent": True,
        }
        if len(profile.query_url) + len(encoded) < _GET_LIMIT:
            kind, body, headers = self._request(
                "GET", profile.query_url, params=params + [("query", full)], **common
            )
        else:
            kind, body, headers = self._request(
                "POST",
                profile.query_url,
                params=params,
                body=encoded.encode("ascii"),
                content_type="application/x-www-form-urlencoded",
                **common,
            )
        state = headers.get("X-SQL-State", "")
        if state == "S1TAT":  # Virtuoso's "anytime" answer: what it found before its limit
            raise EndpointTimeoutError(
                f"the SPARQL endpoint {profile.query_url} stopped the query at its time limit and "
                f"sent what it had found so far ({headers.get('X-SQL-Message', '').strip()[:200]}); "
                f"hlsgraph does not return part of an answer: {first_line(text)}",
                url=profile.query_url,
            )
        return kind, body

    def _cut_off(self, body: bytes, source: str) -> Exception:
        """The error for an answer that broke off: the server's time limit when it says so."""
        tail = body[-300:].decode("utf-8", "replace").strip()
        url = self.profile.query_url
        if _OXIGRAPH_CANCELLED in tail or "timeout" in tail.lower():
            return EndpointTimeoutError(
                f"the SPARQL endpoint {url} stopped {source} at its time limit "
                f"(its answer ends: {tail.splitlines()[-1][:200]!r}); hlsgraph does not return "
                "part of an answer",
                url=url,
            )
        return ConnectionLostError(
            f"the answer of the SPARQL endpoint {url} to {source} is incomplete or malformed "
            f"(it ends: {tail[-200:]!r})",
            url=url,
        )

    def select_tsv(self, query, terms=None, *, timeout=None, source="<query>") -> bytes:
        from .frames import tsv_from_json, tsv_from_xml

        formats = self.profile.select_formats
        accept = ", ".join(f"{f};q={1 - i / 10:.1f}" if i else f for i, f in enumerate(formats))
        kind, body = self._query(query, terms, timeout, source, accept)
        try:
            if kind == _TSV and _TSV in formats:
                return _checked_tsv(body)
            if kind in (_JSON, "application/json"):
                return tsv_from_json(body).encode("utf-8")
            if kind in (_XML, "application/xml", "text/xml"):
                return tsv_from_xml(body).encode("utf-8")
        except (ValueError, KeyError, TypeError, SyntaxError) as err:
            if isinstance(err, KeyError) and b'"boolean"' in body:
                raise QueryFormError(f"{source} is an ASK query; use kb.ask() for it") from None
            raise self._cut_off(body, source) from None
        raise QueryFormError(
            f"{source} did not return SELECT results (the endpoint sent {kind or 'no content type'}); "
            "use kb.construct() for CONSTRUCT and DESCRIBE queries"
        )

    def ask(self, query, terms=None, *, timeout=None, source="<query>") -> bool:
        kind, body = self._query(query, terms, timeout, source, f"{_JSON}, {_XML};q=0.9")
        not_ask = f"{source} is not an ASK query; use kb.select() or kb.construct()"
        if kind in (_XML, "application/xml", "text/xml"):
            match = re.search(rb"<boolean>\s*(true|false)\s*</boolean>", body)
            if match:
                return match.group(1) == b"true"
            if b"__ASK_RETVAL" in body:
                return b">1<" in body
            if b"<results" in body:
                raise QueryFormError(not_ask)
            raise self._cut_off(body, source)
        try:
            document = json.loads(body)
        except ValueError:
            raise self._cut_off(body, source) from None
        if "boolean" in document:
            return bool(document["boolean"])
        if document.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
            # Virtuoso answers ASK as a SELECT of one variable: a row with 1 for true, none for false.
            rows = document["results"]["bindings"]
            return bool(rows) and rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
        raise QueryFormError(not_ask)

    def _rdf(self, query, terms, timeout, source, default_graphs=None) -> tuple[ox.RdfFormat, bytes]:
        kind, body = self._query(query, terms, timeout, source, _RDF_ACCEPT, default_graphs)
        if kind not in _RDF_FORMATS:
            sent = kind or "no content type"
            raise QueryFormError(f"{source} is not a CONSTRUCT or DESCRIBE query (the endpoint sent {sent})")
        return _RDF_FORMATS[kind], body

    def construct(self, query, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        format, body = self._rdf(query, terms, timeout, source)
        try:
            return [q.triple for q in ox.parse(input=body, format=format)]
        except SyntaxError:
            raise self._cut_off(body, source) from None

    def construct_ntriples(
        self, query: str, terms=None, *, source: str = "<query>", exclude_inferred: bool = False
    ) -> bytes:
        graphs = None
        if exclude_inferred:
            graphs = [g for g in self.graphs() if g != _INFERRED]
            if not graphs:
                return b""
        format, body = self._rdf(query, terms, None, source, graphs)
        if format == ox.RdfFormat.N_TRIPLES and self.profile.engine == "oxigraph":
            if body and not body.endswith(b"\n") or _OXIGRAPH_CANCELLED.encode() in body[-200:]:
                raise self._cut_off(body, source)
            return body
        try:
            return ntriples(q.triple for q in ox.parse(input=body, format=format))
        except SyntaxError:
            raise self._cut_off(body, source) from None

    # ------------------------------------------------------------------ writes

    def update(self, text: str, *, source: str = "<update>") -> None:
        profile = self.profile
        self._request(
            "POST",
            profile.update_url,
            params=[*profile.update_params],
            body=urllib.parse.urlencode([("update", self.prologue + text)]).encode("ascii"),
            content_type="application/x-www-form-urlencoded",
            what="update",
            query=text,
            source=source,
            writes=True,
        )

    def _graph_params(self, graph: ox.NamedNode) -> list[tuple[str, str]]:
        return [("graph", graph.value)]

    def load_file(self, graph, *, path=None, data=None, format, source, replace=False, base_iri=None) -> None:
        quads = parse_rdf(path=path, data=data, format=format, source=source, base_iri=base_iri)
        self.put_triples(graph, ntriples(quads), replace=replace)

    def put_triples(self, graph, triples: bytes, *, replace: bool) -> None:
        # One graph store request: the server applies it as one write (PUT replaces the graph).
        what = f"graph store request {'replacing' if replace else 'adding to'} graph <{graph.value}>"
        self._request(
            "PUT" if replace else "POST",
            self.profile.store_url,
            params=self._graph_params(graph),
            body=triples,
            content_type="application/n-triples",
            what=what,
            idempotent=replace,
            writes=True,
        )

    def graphs(self) -> list[str]:
        rows = self.select_tsv(sparql("store/graphs.rq"), source="queries/store/graphs.rq")
        hidden = set(self.profile.system_graphs)
        found = (line[1:-1] for line in rows.decode("utf-8").split("\n")[1:] if line.startswith("<"))
        return sorted(g for g in found if g not in hidden)

    def has_graph(self, graph) -> bool:
        if graph.value in self.profile.system_graphs:
            return False
        return self.ask(sparql("store/has-graph.rq"), {"graph": graph}, source="queries/store/has-graph.rq")

    def count(self) -> int:
        # Per graph, so that the engine's own graphs can be left out.
        rows = self.select_tsv(sparql("store/graph-sizes.rq"), source="queries/store/graph-sizes.rq")
        hidden = {f"<{g}>" for g in self.profile.system_graphs}
        total = 0
        for line in rows.decode("utf-8").split("\n")[1:]:
            if line:
                graph, size = line.split("\t")
                if graph not in hidden:
                    total += int(size.split("^^")[0].strip('"'))
        return total

    def quads(self, graph=None) -> Iterator[ox.Quad]:
        graphs = [ox.NamedNode(g) for g in self.graphs()] if graph is None else [graph]
        found: list[ox.Quad] = []
        for name in graphs:
            # A CONSTRUCT rather than a graph store GET: every engine answers it, in N-Triples.
            body = self.construct_ntriples(
                sparql("store/graph-triples.rq"), {"graph": name}, source="queries/store/graph-triples.rq"
            )
            found.extend(
                ox.Quad(q.subject, q.predicate, q.object, name)
                for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)
            )
        return iter(found)


def _failure(err: BaseException) -> tuple[str, BaseException | str]:
    """What a failed exchange means: ``"timeout"``, ``"lost"`` (the connection broke while the
    request or its answer was under way) or ``"unreachable"`` (no connection was made)."""
    cause = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return "timeout", cause
    if isinstance(cause, CONNECTION_LOST):
        return "lost", cause
    if isinstance(err, urllib.error.URLError) or isinstance(cause, ConnectionRefusedError):
        return "unreachable", cause
    return "lost", cause


def _checked_tsv(body: bytes) -> bytes:
    """SPARQL 1.1 TSV, checked to be whole: every row as wide as the header, ending in a newline
    (an Oxigraph answer cut off by its time limit ends with the server's message instead).
    Its ValueErrors are internal: ``select_tsv`` turns them into the endpoint's own message."""
    if not body.endswith(b"\n") and body:
        raise ValueError("no final newline")
    header, _, rest = body.partition(b"\n")
    width = header.count(b"\t")
    if rest and (rest.count(b"\t") != width * rest.count(b"\n")):
        raise ValueError("ragged rows")
    if _OXIGRAPH_CANCELLED.encode() in rest[-200:]:
        raise ValueError("cancelled")
    return body


def _plain(detail: str) -> str:
    """A server's error message as text: Virtuoso's HTML pages reduced to their message, and
    the copy of the query Virtuoso appends left out."""
    echo = re.search(r"\n\s*SPARQL query:", detail)
    if echo:
        detail = detail[: echo.start()].strip()
    if "<html" not in detail.lower():
        return detail
    pre = re.search(r"<(?:xmp|pre)>(.*?)</(?:xmp|pre)>", detail, re.DOTALL | re.IGNORECASE)
    text = pre.group(1) if pre else re.sub(r"<[^>]+>", " ", detail)
    return re.sub(r"\s+", " ", text).strip()


def _looks_like_syntax_error(detail: str) -> bool:
    # Virtuoso's SP030 is a syntax error; its other compiler errors (SP031 ...) are not.
    return "error at" in detail or "Parser error" in detail or "SP030" in detail


def _virtuoso_position(detail: str) -> str:
    """Virtuoso's ``SP030: SPARQL compiler, line 3: syntax error at 'x'`` in the ``error at L:C``
    form :func:`query_syntax_error` reads (its line 0 means it gave no line)."""
    match = re.search(r"SPARQL compiler, line (\d+): (.*)$", detail, re.DOTALL)
    if not match:
        return detail
    line, reason = int(match.group(1)), match.group(2).strip()
    return f"error at {line}:1: {reason}" if line > 0 else reason
