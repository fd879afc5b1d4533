"""The embedded back-ends: pyoxigraph in memory and pyoxigraph on disk.

Writes go through ``Store.load``, ``bulk_load``, ``extend`` or a single ``update``, each of which
pyoxigraph applies as one transaction; queries see the union of the named graphs as their default
graph.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import (
    InvalidArgumentError,
    QueryFormError,
    QueryTimeoutError,
    StoreClosedError,
    StoreLockedError,
)
from ..namespaces import HLSG, PREFIXES
from .base import Backend
from .syntax import first_line, query_syntax_error, rdf_syntax_error
from .terms import bind_values, ntriples, parse_rdf, sparql_term

_TSV = ox.QueryResultsFormat.TSV
# Below this many bytes a transaction is quicker on disk than bulk loading (about 20 ms of
# fixed cost per bulk load); above it bulk loading is several times quicker.
_BULK_THRESHOLD = 2_000_000
_INFERRED = HLSG + "inferred"


def _run_with_timeout(function, timeout: float | None, query: str):
    """Call ``function``; with a timeout, in a forked worker process that is killed when the
    time is up, so that the query stops using CPU at once.

    pyoxigraph cannot cancel a query it is evaluating, and a thread cannot be stopped: a
    forked child holds the store as it is (copy-on-write, nothing copied up front) and can be.
    ``function`` must return something picklable. Where there is no ``fork`` (Windows), the
    query runs on a worker thread the caller stops waiting for, and finishes unseen.
    """
    if timeout is None:
        return function()
    if timeout <= 0:
        raise InvalidArgumentError(f"timeout= must be a positive number of seconds, not {timeout!r}")
    if not hasattr(os, "fork"):
        return _run_on_thread(function, timeout, query)
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns that a multi-threaded process may deadlock in a forked child; the
        # child runs only the query (no lock another thread may hold) and leaves by _exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the worker
        try:
            os.close(reader)
            _send(writer, function)
        finally:
            os._exit(0)
    os.close(writer)
    try:
        payload = _receive(reader, pid, timeout, query)
    finally:
        os.close(reader)
    return _unpack(payload)


def _send(writer: int, function) -> None:
    try:
        payload = pickle.dumps(("value", function()))
    except SyntaxError as err:  # its position does not survive pickling: send it apart
        details = (str(err), err.filename, err.lineno, err.offset, err.text, getattr(err, "reason", None))
        payload = pickle.dumps(("syntax", type(err), details))
    except BaseException as err:
        try:
            payload = pickle.dumps(("error", err))
        except Exception:
            payload = pickle.dumps(("error", RuntimeError(f"{type(err).__name__}: {err}")))
    view = memoryview(payload)
    while view:
        view = view[os.write(writer, view) :]


def _receive(reader: int, pid: int, timeout: float, query: str) -> bytes:
    deadline = time.monotonic() + timeout
    chunks = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeoutError(
                    f"the query ran past its timeout of {timeout:g} s and was stopped: {first_line(query)}"
                )
            ready, _, _ = select.select([reader], [], [], remaining)
            if ready:
                chunk = os.read(reader, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        # Stopped now, whatever stopped the caller (the time limit, a KeyboardInterrupt).
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    os.waitpid(pid, 0)
    if not chunks:  # the worker was killed (out of memory, a signal): not the caller's mistake
        raise RuntimeError("the query worker ended without an answer")
    return b"".join(chunks)


def _unpack(payload: bytes):
    kind, *rest = pickle.loads(payload)
    if kind == "value":
        return rest[0]
    if kind == "syntax":
        cls, (message, filename, lineno, offset, text, reason) = rest
        error = cls(message)
        error.filename, error.lineno, error.offset, error.text = filename, lineno, offset, text
        if reason is not None:
            error.reason = reason
        raise error
    raise rest[0]


def _run_on_thread(function, timeout: float, query: str):
    outcome: dict[str, Any] = {}

    def work():
        try:
            outcome["value"] = function()
        except BaseException as err:  # handed to the waiting caller below
            outcome["error"] = err

    worker = threading.Thread(target=work, name="hlsgraph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeoutError(f"the query ran past its timeout of {timeout:g} s: {first_line(query)}")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


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
            raise OSError(f"cannot open the store at {path}: {text}") from err  # the OS's own error

    def _query(self, query: str, terms, timeout, source):
        if terms and any(isinstance(term, (tuple, list)) for term in terms.values()):
            # A list-valued parameter has several values: only a VALUES block can bind it.
            query, terms = bind_values(query, terms), None
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
                # As N-Triples: what a worker process can hand back.
                return "construct", result.serialize(format=ox.RdfFormat.N_TRIPLES)
            return "ask", bool(result)

        return _run_with_timeout(run, timeout, query)

    def _expect(self, wanted: str, query: str, terms, timeout, source):
        form, value = self._query(query, terms, timeout, source)
        if form != wanted:
            article = "an" if form.upper()[0] in "AEIOU" else "a"
            raise QueryFormError(
                f"{source} is {article} {form.upper()} query; use kb.{form}() for it, not kb.{wanted}()"
            )
        return value

    def select_tsv(self, query, terms=None, *, timeout=None, source="<query>") -> bytes:
        return self._expect("select", query, terms, timeout, source)

    def ask(self, query, terms=None, *, timeout=None, source="<query>") -> bool:
        return self._expect("ask", query, terms, timeout, source)

    def construct(self, query, terms=None, *, timeout=None, source="<query>") -> list[ox.Triple]:
        data = self._expect("construct", query, terms, timeout, source)
        return [q.triple for q in ox.parse(input=data, format=ox.RdfFormat.N_TRIPLES)]

    def construct_ntriples(
        self, query: str, terms=None, *, source: str = "<query>", exclude_inferred: bool = False
    ) -> bytes:
        if terms:
            query = bind_values(query, terms)
        try:
            if exclude_inferred:
                graphs = [g for g in self.oxigraph.named_graphs() if g.value != _INFERRED]
                result = self.oxigraph.query(
                    query, prefixes=PREFIXES, default_graph=[ox.DefaultGraph(), *graphs]
                )
            else:
                result = self.oxigraph.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise query_syntax_error(str(err), query, source) from None
        if not isinstance(result, ox.QueryTriples):
            raise QueryFormError(
                f"{source} is not a CONSTRUCT or DESCRIBE query; use kb.select() or kb.ask()"
            )
        return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""  # bytes, as no output is given

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
        data = arguments["input"]
        if isinstance(data, (bytes, str)):
            return len(data)
        return os.fstat(data.fileno()).st_size  # a file being read with a progress bar

    def load_file(self, graph, *, path=None, data=None, format, source, replace=False, base_iri=None) -> None:
        if not replace and not format.supports_datasets:
            # Parsing and writing in one all-or-nothing step: a syntax error anywhere
            # leaves the store as it was.
            try:
                if path is not None:
                    self._write(path=str(path), format=format, to_graph=graph, base_iri=base_iri)
                else:
                    self._write(input=data, format=format, to_graph=graph, base_iri=base_iri)
            except SyntaxError as err:
                raise rdf_syntax_error(err, source, path=path, data=data, format=format) from None
            self.oxigraph.add_graph(graph)  # so that an empty source still has its graph
            return
        quads = parse_rdf(path=path, data=data, format=format, source=source, base_iri=base_iri)
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
            + triples.decode("utf-8")
            + "\n} }"
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
        self.oxigraph = _Closed(self.location)  # type: ignore[assignment]  # stands in, raising on use


class _Closed:
    """Stands in for the pyoxigraph store of a closed knowledge base."""

    def __init__(self, location):
        self.location = location

    def __getattr__(self, name):
        where = f"hlsgraph.open({self.location!r})" if self.location else "hlsgraph.open()"
        raise StoreClosedError(f"this knowledge base is closed; open it again with {where}")

    def __len__(self):
        return self.__getattr__("len")

    def __iter__(self):
        return self.__getattr__("iter")
