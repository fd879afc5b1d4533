"""The remote back-end: a SPARQL 1.1 endpoint reached over HTTP with ``urllib`` (query, update and
graph store protocols)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pyoxigraph as ox

from ..errors import QueryTimeoutError
from ..namespaces import sparql_prologue
from ..resources import sparql
from .base import Backend
from .syntax import first_line, query_syntax_error
from .terms import bind_values, ntriples, parse_rdf


class RemoteStore(Backend):
    """A SPARQL 1.1 endpoint reached over HTTP with ``urllib`` (no extra dependency).

    ``url`` may be an Oxigraph server's root (``http://host:7878``) or its ``/query`` URL: then
    updates go to ``/update`` and graph-store requests to ``/store``, and every request asks for
    the union of the graphs as default graph. Any other URL is used for query, update and graph
    store requests alike (the layout of Fuseki's dataset URL) unless ``update_url`` /
    ``store_url`` say otherwise; such a server must be configured to query the union graph.
    """

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float | None = 60.0,
    ):
        import urllib.parse

        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"not an http(s) SPARQL endpoint URL: {url!r}")
        self.kind, self.location = "remote", url
        path = parsed.path.rstrip("/")
        self.oxigraph_layout = path == "" or path.endswith("/query")
        if self.oxigraph_layout:
            root = url.rstrip("/")
            root = root[: -len("/query")] if root.endswith("/query") else root
            self.query_url = root + "/query?union-default-graph"
            self.update_url = update_url or root + "/update?using-union-graph"
            self.store_url = store_url or root + "/store"
        else:
            self.query_url = url
            self.update_url = update_url or url
            self.store_url = store_url or url
        self.timeout = timeout
        self.prologue = sparql_prologue()
        self._shift = self.prologue.count("\n")

    def _request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        timeout: float | None = None,
        what: str = "request",
        query: str = "",
        source: str = "<query>",
    ) -> tuple[str, bytes]:
        import urllib.error
        import urllib.request

        headers = {"User-Agent": "hlsgraph"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        limit = timeout if timeout is not None else self.timeout
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip()
            if err.code == 400 and query and ("error at" in detail or "Parser error" in detail):
                raise query_syntax_error(detail, query, source, line_shift=self._shift) from None
            if err.code in (503, 504) and "timeout" in detail.lower():
                raise QueryTimeoutError(
                    f"the endpoint stopped the {what} at its time limit: {detail}"
                ) from None
            raise OSError(
                f"SPARQL endpoint {url} refused the {what}: HTTP {err.code} {err.reason}: {detail[:500]}"
            ) from None
        except TimeoutError:
            raise QueryTimeoutError(
                f"the {what} to {self.location} ran past its timeout of {limit:g} s: {first_line(query)}"
            ) from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeoutError(
                    f"the {what} to {self.location} timed out after {limit:g} s"
                ) from None
            raise OSError(f"cannot reach the SPARQL endpoint {self.location}: {err.reason}") from None

    def _post_query(self, query, terms, timeout, source, accept):
        text = bind_values(query, terms) if terms else query
        full = self.prologue + text
        return self._request(
            "POST",
            self.query_url,
            body=full.encode("utf-8"),
            content_type="application/sparql-query; charset=utf-8",
            accept=accept,
            timeout=timeout,
            what="query",
            query=text,
            source=source,
        )

    def select_tsv(self, query, terms=None, *, timeout=None, source="<query>") -> bytes:
        from .frames import tsv_from_json

        kind, body = self._post_query(
            query,
            terms,
            timeout,
            source,
            "text/tab-separated-values, application/sparql-results+json;q=0.9",
        )
        if "json" in kind:
            return tsv_from_json(body).encode("utf-8")
        if "tab-separated" not in kind:
            raise ValueError(f"{source} did not return SELECT results (got {kind or 'no content type'})")
        return body

    def ask(self, query, terms=None, *, timeout=None, source="<query>") -> bool:
        kind, body = self._post_query(query, terms, timeout, source, "application/sparql-results+json")
        document = json.loads(body)
        if "boolean" not in document:
            raise ValueError(f"{source} is not an ASK query; use kb.select() or kb.construct()")
        return bool(document["boolean"])

    def construct(self, query, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        kind, body = self._post_query(query, terms, timeout, source, "application/n-triples")
        if "n-triples" not in kind:
            raise ValueError(
                f"{source} is not a CONSTRUCT or DESCRIBE query (got {kind or 'no content type'})"
            )
        return [q.triple for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)]

    def construct_ntriples(
        self, query: str, terms=None, *, source: str = "<query>", exclude_inferred: bool = False
    ) -> bytes:
        kind, body = self._post_query(query, terms, None, source, "application/n-triples")
        if "n-triples" not in kind:
            raise ValueError(f"{source} is not a CONSTRUCT query (got {kind or 'no content type'})")
        return body

    def update(self, text: str, *, source: str = "<update>") -> None:
        self._request(
            "POST",
            self.update_url,
            body=(self.prologue + text).encode("utf-8"),
            content_type="application/sparql-update; charset=utf-8",
            what="update",
            query=text,
            source=source,
        )

    def _graph_url(self, graph: ox.NamedNode) -> str:
        import urllib.parse

        separator = "&" if "?" in self.store_url else "?"
        return self.store_url + separator + urllib.parse.urlencode({"graph": graph.value})

    def load_file(self, graph, *, path=None, data=None, format, source, replace=False) -> None:
        quads = parse_rdf(path=path, data=data, format=format, source=source)
        self.put_triples(graph, ntriples(quads), replace=replace)

    def put_triples(self, graph, triples: bytes, *, replace: bool) -> None:
        # One graph store request: the server applies it as one write (PUT replaces the graph).
        self._request(
            "PUT" if replace else "POST",
            self._graph_url(graph),
            body=triples,
            content_type="application/n-triples",
            what="graph store request",
        )

    def graphs(self) -> list[str]:
        _, body = self._post_query(
            sparql("store/graphs.rq"),
            None,
            None,
            "queries/store/graphs.rq",
            "application/sparql-results+json",
        )
        rows = json.loads(body)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows if row["g"]["type"] == "uri")

    def has_graph(self, graph) -> bool:
        return self.ask(sparql("store/has-graph.rq"), {"graph": graph}, source="queries/store/has-graph.rq")

    def count(self) -> int:
        _, body = self._post_query(
            sparql("store/count.rq"),
            None,
            None,
            "queries/store/count.rq",
            "application/sparql-results+json",
        )
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    def quads(self, graph=None) -> Iterator[ox.Quad]:
        if graph is not None:
            _, body = self._request(
                "GET", self._graph_url(graph), accept="application/n-triples", what="graph store request"
            )
            return iter(
                [
                    ox.Quad(q.subject, q.predicate, q.object, graph)
                    for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)
                ]
            )
        _, body = self._request(
            "GET", self.store_url, accept="application/n-quads", what="graph store request"
        )
        return iter(list(ox.parse(input=body, format=ox.RdfFormat.N_QUADS)))
