"""The store back-ends behind a knowledge base: pyoxigraph in memory, pyoxigraph on disk, and a
remote SPARQL 1.1 endpoint (query, update and graph store protocols, over ``urllib``).

Each back-end offers the same small set of operations to :mod:`hlsgraph.kb`: SELECT results as
SPARQL TSV bytes, ASK as a bool, CONSTRUCT as pyoxigraph triples, updates, and whole-graph
writes that either happen completely or not at all. Queries always see the union of the named
graphs as their default graph.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from .errors import QuerySyntaxError, QueryTimeoutError, RDFSyntaxError, StoreLockedError
from .namespaces import PREFIXES, sparql_prologue

_TSV = ox.QueryResultsFormat.TSV
# Below this many bytes a transaction is quicker on disk than bulk loading (about 20 ms of
# fixed cost per bulk load); above it bulk loading is several times quicker.
_BULK_THRESHOLD = 2_000_000

_FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES, "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS, "nq": ox.RdfFormat.N_QUADS,
    "json-ld": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD,
    "rdf/xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
}
FORMAT_CHOICES = ("turtle", "trig", "ntriples", "nquads", "json-ld", "rdf/xml")


def rdf_format(format: str | ox.RdfFormat | None, path: str | Path | None = None) -> ox.RdfFormat:
    """The RDF format named by ``format`` or, when it is ``None``, by ``path``'s extension.

    >>> rdf_format("ttl").name
    'Turtle'
    >>> rdf_format(None, "stories.nq").name
    'N-Quads'
    """
    if isinstance(format, ox.RdfFormat):
        return format
    if format is not None:
        key = str(format).strip().lower()
        found = _FORMAT_NAMES.get(key) or ox.RdfFormat.from_media_type(key)
        if found is None:
            raise ValueError(f"unknown RDF format {format!r}; expected one of {', '.join(FORMAT_CHOICES)}")
        return found
    if path is None:
        raise ValueError(f"format= is needed with data=; one of {', '.join(FORMAT_CHOICES)}")
    suffix = Path(path).suffix.lower().lstrip(".")
    found = _FORMAT_NAMES.get(suffix) or ox.RdfFormat.from_extension(suffix)
    if found is None:
        raise ValueError(
            f"cannot tell the RDF format of {path} from its extension {('.' + suffix) if suffix else '(none)'}; "
            f"pass format= (one of {', '.join(FORMAT_CHOICES)})"
        )
    return found


# --------------------------------------------------------------------------- errors

_AT = re.compile(r"(?:error )?at (\d+):(\d+)")
_BETWEEN = re.compile(r"line (\d+) column (\d+)")


def query_syntax_error(message: str, query: str, source: str = "<query>", line_shift: int = 0) -> QuerySyntaxError:
    """hlsgraph's error for a query the engine could not parse: position, reason and excerpt.

    ``message`` is the engine's text (``"error at 3:2: expected ..."``); ``line_shift`` lines are
    taken off when text was put in front of the query before sending it.

    >>> err = query_syntax_error("error at 2:7: expected '}'", "SELECT * {\\n  ?s ?p\\n}")
    >>> err.lineno, err.offset
    (2, 7)
    """
    match = _AT.search(message) or _BETWEEN.search(message)
    line = column = None
    if match:
        line, column = int(match.group(1)) - line_shift, int(match.group(2))
        reason = message[match.end():].lstrip(": ").strip() or message
    else:
        reason = message.strip()
    lines = query.split("\n")
    excerpt = ""
    if line is not None and 1 <= line <= len(lines):
        text = lines[line - 1]
        excerpt = f"\n    {text}\n    {' ' * max(column - 1, 0)}^"
        where = f"{source}, line {line}, column {column}"
    else:
        text = None
        where = source
    error = QuerySyntaxError(f"SPARQL syntax error in {where}: {reason}{excerpt}")
    error.filename, error.lineno, error.offset, error.text = source, line, column, text
    error.reason = reason
    return error


def rdf_syntax_error(err: SyntaxError, source: str) -> RDFSyntaxError:
    """hlsgraph's error for RDF that does not parse, naming the file (or data), line and column."""
    details = err.args[1] if len(err.args) > 1 and isinstance(err.args[1], tuple) else ()
    line = details[1] if len(details) > 1 else getattr(err, "lineno", None)
    column = details[2] if len(details) > 2 else getattr(err, "offset", None)
    reason = str(err.args[0]) if err.args else str(err)
    where = source if line is None else f"{source}, line {line}, column {column}"
    error = RDFSyntaxError(f"{where}: {reason}; nothing was loaded")
    error.filename, error.lineno, error.offset = source, line, column
    return error


def _run_with_timeout(function, timeout: float | None, query: str):
    """Call ``function``; with a timeout, on a worker thread the caller stops waiting for.

    pyoxigraph releases the GIL while it evaluates but cannot cancel an embedded query, so
    when the time is up the caller gets :class:`QueryTimeoutError` at once and the abandoned
    evaluation finishes (and is discarded) in the background.
    """
    if timeout is None:
        return function()
    if timeout <= 0:
        raise ValueError(f"timeout= must be a positive number of seconds, not {timeout!r}")
    outcome: dict[str, object] = {}

    def work():
        try:
            outcome["value"] = function()
        except BaseException as err:  # handed to the waiting caller below
            outcome["error"] = err

    worker = threading.Thread(target=work, name="hlsgraph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeoutError(f"the query ran past its timeout of {timeout:g} s: {_first_line(query)}")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _first_line(query: str) -> str:
    for line in query.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "PREFIX", "prefix", "BASE", "base")):
            return line if len(line) <= 80 else line[:77] + "..."
    return "(empty query)"


# --------------------------------------------------------------------------- terms and VALUES

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_INFERRED = "https://w3id.org/hls/graph/inferred"


def sparql_term(term) -> str:
    """A pyoxigraph IRI or literal in SPARQL syntax, refusing anything that could escape it.

    >>> sparql_term(ox.Literal('a "b" } #'))
    '"a \\\\"b\\\\" } #"'
    >>> sparql_term(ox.NamedNode("https://w3id.org/hls/Story"))
    '<https://w3id.org/hls/Story>'
    """
    if isinstance(term, ox.NamedNode):
        if _IRI_FORBIDDEN.search(term.value):
            raise ValueError(f"cannot bind IRI {term.value!r}: it holds a character IRIs may not")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = term.value
        escaped = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t").replace("\b", "\\b").replace("\f", "\\f")
        )
        if term.language:
            if not _LANG.match(term.language):
                raise ValueError(f"cannot bind a literal with language tag {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype.value == _XSD_STRING:
            return f'"{escaped}"'
        return f'"{escaped}"^^{sparql_term(term.datatype)}'
    raise TypeError(f"can bind only an IRI or a literal, not {type(term).__name__} {term!r}")


def _skip_string(query: str, i: int) -> int:
    quote = query[i]
    if query.startswith(quote * 3, i):
        end = query.find(quote * 3, i + 3)
        return len(query) if end < 0 else end + 3
    j = i + 1
    while j < len(query) and query[j] != quote and query[j] != "\n":
        j += 2 if query[j] == "\\" else 1
    return j + 1


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _outer_where_brace(query: str) -> int:
    """Index of the ``{`` opening the outermost WHERE group, skipping comments, strings and IRIs.

    For SELECT and ASK (where the keyword WHERE is optional) it is the first ``{`` at depth 0;
    for CONSTRUCT and DESCRIBE the first ``{`` after the keyword WHERE (a CONSTRUCT template
    also opens with ``{``).
    """
    i, n = 0, len(query)
    form = None
    after_where = False
    depth = 0
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            i = _skip_string(query, i)
            continue
        if c == "<":
            match = _IRIREF.match(query, i)
            i = match.end() if match else i + 1  # else: a less-than operator
            continue
        if c.isalpha():
            j = i
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            word = query[i:j].upper()
            if depth == 0 and form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif depth == 0 and word == "WHERE":
                after_where = True
            i = j
            continue
        if c in "?$":  # a variable: its name may spell a keyword
            i += 1
            while i < n and (query[i].isalnum() or query[i] == "_"):
                i += 1
            continue
        if c == "{":
            if depth == 0 and (after_where or form in ("SELECT", "ASK")):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    raise ValueError("the query has no WHERE group to bind parameters in")


def bind_values(query: str, terms: Mapping[str, object]) -> str:
    """``query`` with ``terms`` bound by a ``VALUES`` block first in its outermost WHERE group.

    This is how parameters reach an engine without pyoxigraph's substitutions. Every term goes
    through :func:`sparql_term`, so no value can change the query's structure.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x } #")})
    'SELECT ?s WHERE { VALUES (?o) { ("x } #") } ?s ?p ?o }'
    """
    if not terms:
        return query
    for name in terms:
        if not _VARIABLE.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    variables = " ".join("?" + name for name in terms)
    values = " ".join(sparql_term(term) for term in terms.values())
    position = _outer_where_brace(query)
    return f"{query[:position + 1]} VALUES ({variables}) {{ ({values}) }}{query[position + 1:]}"


def ntriples(quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> bytes:
    """Triples (the graph of quads dropped) as N-Triples bytes."""
    triples = (q.triple if isinstance(q, ox.Quad) else q for q in quads)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def parse_rdf(*, path: str | Path | None = None, data: bytes | str | None = None,
              format: ox.RdfFormat, source: str, base_iri: str | None = None) -> list[ox.Quad]:
    """Every quad of a file or string, parsed completely before anything is written."""
    try:
        if path is not None:
            return list(ox.parse(path=str(path), format=format, base_iri=base_iri))
        return list(ox.parse(input=data, format=format, base_iri=base_iri))
    except SyntaxError as err:
        raise rdf_syntax_error(err, source) from None


# --------------------------------------------------------------------------- back-ends


class Backend:
    """What every back-end offers :class:`hlsgraph.KnowledgeBase`."""

    kind: str = ""
    location: str | None = None

    def select_tsv(self, query: str, terms: Mapping[str, object] | None = None, *,
                   timeout: float | None = None, source: str = "<query>") -> bytes:
        raise NotImplementedError

    def ask(self, query: str, terms=None, *, timeout=None, source="<query>") -> bool:
        raise NotImplementedError

    def construct(self, query: str, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        raise NotImplementedError

    def construct_ntriples(self, query: str, *, source: str = "<query>", exclude_inferred: bool = False) -> bytes:
        """A CONSTRUCT query's triples as N-Triples bytes, without Python objects per triple
        (``exclude_inferred``: over every graph but ``hlsg:inferred``, where the back-end can)."""
        return ntriples(self.construct(query, source=source))

    def update(self, text: str, *, source: str = "<update>") -> None:
        raise NotImplementedError

    def load_file(self, graph: ox.NamedNode, *, path=None, data=None, format: ox.RdfFormat,
                  source: str, replace: bool = False) -> None:
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


class EmbeddedStore(Backend):
    """pyoxigraph in memory (``path=None``) or on disk.

    The pyoxigraph store is :attr:`oxigraph`; writes go through ``Store.load``, ``extend`` or a
    single ``update``, each of which pyoxigraph applies as one transaction.
    """

    def __init__(self, path: str | Path | None = None):
        if path is None:
            self.kind, self.location = "memory", None
            self.oxigraph = ox.Store()
            return
        self.kind, self.location = "disk", str(Path(path))
        try:
            self.oxigraph = ox.Store(str(path))
        except OSError as err:
            text = str(err)
            if "LOCK" in text or "lock" in text:
                raise StoreLockedError(
                    f"the store at {path} is open for writing in another process (or elsewhere "
                    "in this one); close that knowledge base first, or copy the store directory "
                    "and open the copy"
                ) from None
            raise OSError(f"cannot open the store at {path}: {text}") from err

    def _query(self, query: str, terms, timeout, source):
        substitutions = {ox.Variable(name): term for name, term in terms.items()} if terms else None

        def run():
            try:
                try:
                    result = self.oxigraph.query(
                        query, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=substitutions
                    )
                except RuntimeError as err:
                    # pyoxigraph substitutes only variables the query projects; bind the others
                    # with a VALUES block as the remote store does.
                    if not substitutions or "does not contain" not in str(err):
                        raise
                    result = self.oxigraph.query(
                        bind_values(query, terms), prefixes=PREFIXES, use_default_graph_as_union=True
                    )
            except SyntaxError as err:
                raise query_syntax_error(str(err), query, source) from None
            if isinstance(result, ox.QuerySolutions):
                return "select", result.serialize(format=_TSV)
            if isinstance(result, ox.QueryTriples):
                return "construct", list(result)
            return "ask", bool(result)

        return _run_with_timeout(run, timeout, query)

    def _expect(self, wanted: str, query: str, terms, timeout, source):
        form, value = self._query(query, terms, timeout, source)
        if form != wanted:
            raise ValueError(
                f"{source} is a {form.upper()} query; use kb.{form}() for it, not kb.{wanted}()"
            )
        return value

    def select_tsv(self, query, terms=None, *, timeout=None, source="<query>") -> bytes:
        return self._expect("select", query, terms, timeout, source)

    def ask(self, query, terms=None, *, timeout=None, source="<query>") -> bool:
        return self._expect("ask", query, terms, timeout, source)

    def construct(self, query, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        return self._expect("construct", query, terms, timeout, source)

    def construct_ntriples(self, query: str, *, source: str = "<query>", exclude_inferred: bool = False) -> bytes:
        try:
            if exclude_inferred:
                graphs = [g for g in self.oxigraph.named_graphs() if g.value != _INFERRED]
                result = self.oxigraph.query(query, prefixes=PREFIXES,
                                             default_graph=[ox.DefaultGraph(), *graphs])
            else:
                result = self.oxigraph.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise query_syntax_error(str(err), query, source) from None
        return result.serialize(format=ox.RdfFormat.N_TRIPLES)

    def update(self, text: str, *, source: str = "<update>") -> None:
        try:
            self.oxigraph.update(text, prefixes=PREFIXES)
        except SyntaxError as err:
            raise query_syntax_error(str(err), text, source) from None

    def _write(self, **arguments) -> None:
        """Parse and add in one all-or-nothing step.

        In memory that is ``Store.load`` (one transaction). On disk, ``Store.bulk_load``: since
        pyoxigraph 0.5 it builds SST files and ingests them in a single atomic RocksDB step only
        once the whole input has parsed, which is also several times faster on disk than a
        transaction (measured here: 100,000 triples in 1.8 s against 8.6 s).
        """
        if self.kind == "disk" and self._size(arguments) > _BULK_THRESHOLD:
            self.oxigraph.bulk_load(**arguments)
        else:
            self.oxigraph.load(**arguments)

    @staticmethod
    def _size(arguments) -> int:
        if "path" in arguments:
            return Path(arguments["path"]).stat().st_size
        return len(arguments["input"])

    def load_file(self, graph, *, path=None, data=None, format, source, replace=False) -> None:
        if not replace and not format.supports_datasets:
            # Parsing and writing in one all-or-nothing step: a syntax error anywhere
            # leaves the store as it was.
            try:
                if path is not None:
                    self._write(path=str(path), format=format, to_graph=graph)
                else:
                    self._write(input=data, format=format, to_graph=graph)
            except SyntaxError as err:
                raise rdf_syntax_error(err, source) from None
            self.oxigraph.add_graph(graph)  # so that an empty source still has its graph
            return
        quads = parse_rdf(path=path, data=data, format=format, source=source)
        self.put_triples(graph, ntriples(quads), replace=replace)

    def put_triples(self, graph, triples: bytes, *, replace: bool) -> None:
        if not replace:
            self._write(input=triples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            self.oxigraph.add_graph(graph)
            return
        # Drop and insert in one update, so the graph is replaced as a unit.
        name = sparql_term(graph)
        self.oxigraph.update(
            f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n"
            + triples.decode("utf-8") + "\n} }"
        )
        self.oxigraph.add_graph(graph)

    def remove_graph(self, graph) -> None:
        if self.oxigraph.contains_named_graph(graph):
            self.oxigraph.remove_graph(graph)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph) -> bool:
        return self.oxigraph.contains_named_graph(graph)

    def count(self) -> int:
        return len(self.oxigraph)

    def quads(self, graph=None) -> Iterator[ox.Quad]:
        return iter(self.oxigraph.quads_for_pattern(None, None, None, graph))

    def close(self) -> None:
        if isinstance(self.oxigraph, _Closed):
            return
        if self.kind == "disk":
            self.oxigraph.flush()
        # Dropping the last reference releases RocksDB's lock.
        self.oxigraph = _Closed(self.location)


class _Closed:
    """Stands in for the pyoxigraph store of a closed knowledge base."""

    def __init__(self, location):
        self.location = location

    def __getattr__(self, name):
        where = f"hlsgraph.open({self.location!r})" if self.location else "hlsgraph.open()"
        raise ValueError(f"this knowledge base is closed; open it again with {where}")

    def __len__(self):
        return self.__getattr__("len")

    def __iter__(self):
        return self.__getattr__("iter")


class RemoteStore(Backend):
    """A SPARQL 1.1 endpoint reached over HTTP with ``urllib`` (no extra dependency).

    ``url`` may be an Oxigraph server's root (``http://host:7878``) or its ``/query`` URL: then
    updates go to ``/update`` and graph-store requests to ``/store``, and every request asks for
    the union of the graphs as default graph. Any other URL is used for query, update and graph
    store requests alike (the layout of Fuseki's dataset URL) unless ``update_url`` /
    ``store_url`` say otherwise; such a server must be configured to query the union graph.
    """

    def __init__(self, url: str, *, update_url: str | None = None, store_url: str | None = None,
                 timeout: float | None = 60.0):
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

    def _request(self, method: str, url: str, *, body: bytes | None = None,
                 content_type: str | None = None, accept: str | None = None,
                 timeout: float | None = None, what: str = "request", query: str = "",
                 source: str = "<query>") -> tuple[str, bytes]:
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
                raise QueryTimeoutError(f"the endpoint stopped the {what} at its time limit: {detail}") from None
            raise OSError(f"SPARQL endpoint {url} refused the {what}: HTTP {err.code} {err.reason}: {detail[:500]}") from None
        except (TimeoutError, socket.timeout):
            raise QueryTimeoutError(
                f"the {what} to {self.location} ran past its timeout of {limit:g} s: {_first_line(query)}"
            ) from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeoutError(f"the {what} to {self.location} timed out after {limit:g} s") from None
            raise OSError(f"cannot reach the SPARQL endpoint {self.location}: {err.reason}") from None

    def _post_query(self, query, terms, timeout, source, accept):
        text = bind_values(query, terms) if terms else query
        full = self.prologue + text
        return self._request(
            "POST", self.query_url, body=full.encode("utf-8"),
            content_type="application/sparql-query; charset=utf-8", accept=accept,
            timeout=timeout, what="query", query=text, source=source,
        )

    def select_tsv(self, query, terms=None, *, timeout=None, source="<query>") -> bytes:
        from .frames import tsv_from_json

        kind, body = self._post_query(
            query, terms, timeout, source,
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
            raise ValueError(f"{source} is not a CONSTRUCT or DESCRIBE query (got {kind or 'no content type'})")
        return [q.triple for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)]

    def construct_ntriples(self, query: str, *, source: str = "<query>", exclude_inferred: bool = False) -> bytes:
        kind, body = self._post_query(query, None, None, source, "application/n-triples")
        if "n-triples" not in kind:
            raise ValueError(f"{source} is not a CONSTRUCT query (got {kind or 'no content type'})")
        return body

    def update(self, text: str, *, source: str = "<update>") -> None:
        self._request(
            "POST", self.update_url, body=(self.prologue + text).encode("utf-8"),
            content_type="application/sparql-update; charset=utf-8", what="update",
            query=text, source=source,
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
            "PUT" if replace else "POST", self._graph_url(graph), body=triples,
            content_type="application/n-triples", what="graph store request",
        )

    def graphs(self) -> list[str]:
        _, body = self._post_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None, None,
                                   "<graphs>", "application/sparql-results+json")
        rows = json.loads(body)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows if row["g"]["type"] == "uri")

    def has_graph(self, graph) -> bool:
        return self.ask(f"ASK {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}")

    def count(self) -> int:
        _, body = self._post_query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", None, None,
                                   "<count>", "application/sparql-results+json")
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    def quads(self, graph=None) -> Iterator[ox.Quad]:
        if graph is not None:
            _, body = self._request("GET", self._graph_url(graph), accept="application/n-triples",
                                    what="graph store request")
            return iter([ox.Quad(q.subject, q.predicate, q.object, graph)
                         for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)])
        _, body = self._request("GET", self.store_url, accept="application/n-quads", what="graph store request")
        return iter(list(ox.parse(input=body, format=ox.RdfFormat.N_QUADS)))


def open_backend(location: str | Path | None, **options) -> Backend:
    """The back-end for ``location``: ``None`` in memory, an http(s) URL remote, else a path."""
    if location is None:
        if options:
            raise TypeError(f"unexpected options for an in-memory store: {', '.join(options)}")
        return EmbeddedStore()
    text = str(location)
    if re.match(r"https?://", text, re.IGNORECASE):
        return RemoteStore(text, **options)
    if options:
        raise TypeError(f"unexpected options for an on-disk store: {', '.join(options)}")
    return EmbeddedStore(Path(location).expanduser())
