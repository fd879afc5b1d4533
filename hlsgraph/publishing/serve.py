"""Serve a published site on 127.0.0.1: the pages and files as a web host would, with real
content negotiation (a resource's IRI answers ``303 See Other`` to its HTML, Turtle, JSON-LD or
N-Triples document by ``Accept``, every answer with ``Vary: Accept``), and a read-only SPARQL
1.1 endpoint at ``/sparql``.

The endpoint is a real Oxigraph server (``oxigraph serve-read-only``, from the ``[server]``
extra) over a store of its own, built by ``oxigraph load`` from the site's dumps and dataset
description and from nothing else: graph selection is no security boundary, so what the
endpoint can answer is only what was published. Requests reach it through this module, which
refuses updates, ``SERVICE`` and ``LOAD`` (403 / 400, with a message saying why), bounds the
query time (the server's own timeout; 504 when it is hit) and the size of an answer (507 when it
is passed, never a 200 with an error inside). HTTP is Werkzeug's: its request parsing, ``Accept``
weighing, static files (``ETag``, ranges, ``HEAD``) and threaded server.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from ..errors import EndpointError, MissingFileError
from ..extras import require, require_program
from ..resources import sparql
from ..store.remote import CONNECTION_LOST
from .description import dataset_iri
from .paths import DOCUMENT_FORMATS
from .site import MARKER

QUERY_TIMEOUT_S = 10
"""Seconds a query may run before the endpoint answers 504."""
MAX_RESULT_BYTES = 20 * 1024 * 1024
"""The largest answer the endpoint sends; a larger one is a 507."""
MAX_QUERY_BYTES = 64 * 1024

_OFFERS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")
# What a query's keywords are read from: its text less comments, strings and IRIs.
_NOT_KEYWORDS = re.compile(
    r"""'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|\#[^\n]*""",
    re.DOTALL,
)
_KEYWORD = re.compile(r"(?<![\w:?$])(SERVICE|" + "|".join(_UPDATES) + r")(?![\w:-])", re.IGNORECASE)


def refused(query: str) -> str | None:
    """Why the endpoint refuses a query, or None: updates and ``LOAD`` (the endpoint is read
    only) and ``SERVICE`` (a query may not make the server call another).

    >>> refused("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    'SERVICE is refused: this endpoint answers from its own data only and calls no other'
    >>> refused('SELECT ?service { ?service <http://x/p> "SERVICE" } # SERVICE')
    >>> refused("INSERT DATA { <a:b> <a:c> <a:d> }")
    'INSERT is refused: this endpoint is read-only'
    """
    bare = _NOT_KEYWORDS.sub(" ", query)
    found = _KEYWORD.search(bare)
    if found is None:
        return None
    word = found.group(1).upper()
    if word == "SERVICE":
        return "SERVICE is refused: this endpoint answers from its own data only and calls no other"
    return f"{word} is refused: this endpoint is read-only"


def _werkzeug():
    """Werkzeug's parts this module uses, through :func:`hlsgraph.extras.require`."""
    what = "`hlsgraph serve`"
    utils, wrappers = require("werkzeug.utils", what), require("werkzeug.wrappers", what)
    return SimpleNamespace(
        Request=wrappers.Request,
        Response=wrappers.Response,
        send_from_directory=utils.send_from_directory,
        redirect=utils.redirect,
        make_server=require("werkzeug.serving", what).make_server,
        RequestHandler=require("werkzeug.serving", what).WSGIRequestHandler,
    )


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Endpoint:
    """A real ``oxigraph serve-read-only`` over a store built only from a site's dumps."""

    def __init__(self, site: Path, *, timeout: float = QUERY_TIMEOUT_S, served_at: str | None = None):
        self.site = site
        self.timeout = timeout
        self.served_at = served_at
        self.binary = require_program("oxigraph", "the SPARQL endpoint of `hlsgraph serve`")
        self.location = Path(tempfile.mkdtemp(prefix="hlsgraph-endpoint-"))
        self.process: subprocess.Popen | None = None
        self.url = ""
        self._restarting = threading.Lock()

    def _load(self, data: bytes, fmt: str, graph: str) -> None:
        done = subprocess.run(
            [self.binary, "load", "--location", str(self.location), "--format", fmt, "--graph", graph],
            input=data,
            capture_output=True,
            timeout=3600,
        )
        if done.returncode != 0:
            raise EndpointError(
                f"oxigraph load of the published {fmt} failed: "
                + done.stderr.decode("utf-8", "replace")[-800:]
            )

    def start(self) -> Endpoint:
        marker = json.loads((self.site / MARKER).read_text(encoding="utf-8"))
        base = marker["base"]
        with gzip.open(self.site / "dumps" / "dataset.nt.gz", "rb") as dump:
            self._load(dump.read(), "nt", base + "dataset")
        description = (self.site / "dataset.nt").read_bytes()
        if self.served_at:
            sparql = self.served_at + "sparql"
            description += (
                f"<{dataset_iri(base)}> <http://rdfs.org/ns/void#sparqlEndpoint> <{sparql}> .\n".encode()
            )
        self._load(description, "nt", base + "dataset#description")
        self.log = open(self.location.parent / f"{self.location.name}.log", "w+b")  # noqa: SIM115
        self._launch()
        return self

    def _launch(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve-read-only",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
                "--timeout-s",
                str(max(1, int(self.timeout))),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise EndpointError(f"oxigraph serve-read-only exited: {self.log.read().decode()[-800:]}")
            try:
                ready = urllib.parse.urlencode({"query": sparql("publishing/ready.rq")})
                with urllib.request.urlopen(f"{self.url}/query?{ready}", timeout=2) as answer:
                    answer.read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise EndpointError(f"oxigraph did not answer on {self.url} within 30 s") from None
                time.sleep(0.05)

    def restart(self) -> None:
        """Stop the server and start it again over the same store: Oxigraph does not stop every
        query at its timeout, and a query left running would hold a core."""
        with self._restarting:
            self._end_process()
            self._launch()

    def wait_for_restart(self) -> None:
        """Return once no restart is under way (the server's address is current again)."""
        with self._restarting:
            pass

    def _end_process(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        self._end_process()
        if self.process is not None:
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)
        shutil.rmtree(self.location, ignore_errors=True)


class SiteApp:
    """The WSGI application: the site's files, content negotiation and ``/sparql``."""

    def __init__(
        self,
        site: Path,
        endpoint: Endpoint | None,
        *,
        cors: bool = False,
        max_result_bytes: int = MAX_RESULT_BYTES,
    ):
        self.wz = _werkzeug()
        self.site = site.resolve()
        self.endpoint = endpoint
        self.cors = cors
        self.max_result_bytes = max_result_bytes

    def __call__(self, environ, start_response):
        request = self.wz.Request(environ)
        response = self.respond(request)
        if self.cors:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        return response(environ, start_response)

    # ------------------------------------------------------------------ answers

    def _text(self, status: int, message: str, **headers):
        response = self.wz.Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
        for name, value in headers.items():
            response.headers[name.replace("_", "-")] = value
        return response

    def respond(self, request):
        path = request.path
        if request.method == "OPTIONS":
            return self._text(204, "")
        if path.rstrip("/") == "/sparql":
            return self.sparql(request)
        if request.method not in ("GET", "HEAD"):
            return self._text(
                405, f"{request.method} is not allowed here: the site is read-only", Allow="GET, HEAD"
            )
        relative = path.lstrip("/")
        parts = [p for p in relative.split("/") if p]
        if any(p.startswith(".") for p in parts) and relative != ".well-known/void":
            return self._text(404, f"no page {path}")
        if relative in ("", "index.html") or relative.endswith("/"):
            return self._file(
                relative + "index.html" if relative.endswith("/") or not relative else relative, request
            )
        target = self.site / relative
        if target.is_file():
            return self._file(relative, request)
        if relative == "dataset" or (self.site / (relative + ".html")).is_file():
            return self._negotiate(relative, request)
        return self._text(404, f"no page {path}; the site's pages are listed in /sitemap.xml")

    def _file(self, relative: str, request):
        ext = relative.rsplit(".", 1)[-1] if "." in relative.rsplit("/", 1)[-1] else ""
        # Werkzeug adds "; charset=utf-8" to text types itself.
        mimetype = DOCUMENT_FORMATS.get(ext, "").split(";")[0] or None
        if relative.endswith(".nt.gz"):
            mimetype = "application/gzip"
        elif relative == ".well-known/void":
            mimetype = "text/turtle"
        elif ext == "css":
            mimetype = "text/css"
        elif ext == "xml":
            mimetype = "application/xml"
        response = self.wz.send_from_directory(self.site, relative, request.environ, mimetype=mimetype)
        response.headers["Vary"] = "Accept"
        return response

    def _negotiate(self, relative: str, request):
        offers = list(_OFFERS)
        best = request.accept_mimetypes.best_match(offers) if request.accept_mimetypes else offers[0]
        if best is None:
            return self._text(
                406,
                f"{request.path} is available as "
                + ", ".join(sorted(set(_OFFERS)))
                + "; ask for one in Accept",
                Vary="Accept",
            )
        ext = _OFFERS[best]
        if relative == "dataset":
            location = "/" if ext == "html" else f"/dataset.{ext}"
        else:
            location = f"/{relative}.{ext}"
        response = self.wz.redirect(request.host_url.rstrip("/") + location, code=303)
        response.headers["Vary"] = "Accept"
        return response

    # ------------------------------------------------------------------ SPARQL

    def sparql(self, request):
        if self.endpoint is None:
            return self._text(503, "this preview was started without a SPARQL endpoint")
        if request.method not in ("GET", "HEAD", "POST"):
            return self._text(405, f"{request.method} is not allowed at /sparql", Allow="GET, POST")
        content_type = (request.mimetype or "").lower()
        if "update" in request.values or content_type == "application/sparql-update":
            return self._text(403, "updates are refused: this SPARQL endpoint is read-only")
        if request.method == "POST" and content_type == "application/sparql-query":
            if (request.content_length or 0) > MAX_QUERY_BYTES:
                return self._text(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
            query = request.get_data(as_text=True)
        else:
            query = request.values.get("query")
        if query is None:
            return self._form()
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            return self._text(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
        why = refused(query)
        if why:
            return self._text(400, why)
        return self._forward(query, request)

    def _forward(self, query: str, request):
        endpoint = self.endpoint
        assert endpoint is not None  # only called when the site serves SPARQL
        params = [("query", query)]
        for name in ("default-graph-uri", "named-graph-uri"):
            params += [(name, v) for v in request.values.getlist(name)]
        accept = request.headers.get("Accept", "application/sparql-results+json")
        # A query is read-only, so one broken-off answer is asked for again: the server drops a
        # connection when it is restarted under another request, or now and then when the machine
        # is overloaded. A second break is the server's fault, said as such (502), never a 500.
        try:
            return self._answer(endpoint, params, accept)
        except CONNECTION_LOST:
            endpoint.wait_for_restart()
        try:
            return self._answer(endpoint, params, accept)
        except CONNECTION_LOST as err:
            return self._text(502, f"the SPARQL server behind this site broke off its answer twice ({err!r})")

    def _answer(self, endpoint: Endpoint, params: list[tuple[str, str]], accept: str):
        upstream = urllib.request.Request(
            endpoint.url + "/query",
            data=urllib.parse.urlencode(params).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            method="POST",
        )
        try:
            with urllib.request.urlopen(upstream, timeout=endpoint.timeout + 1) as answer:
                body = answer.read(self.max_result_bytes + 1)
                status, media = answer.status, answer.headers.get("Content-Type", "application/octet-stream")
        except urllib.error.HTTPError as err:
            message = err.read(4000).decode("utf-8", "replace")
            if "timeout" in message.lower() or "timed out" in message.lower():
                return self._text(504, f"the query ran past the endpoint's limit of {endpoint.timeout:g} s")
            return self._text(err.code if 400 <= err.code < 600 else 502, message or err.reason)
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                endpoint.restart()
                return self._text(504, f"the query ran past the endpoint's limit of {endpoint.timeout:g} s")
            if isinstance(err.reason, CONNECTION_LOST):
                raise err.reason from err
            return self._text(502, f"the SPARQL server behind this site did not answer: {err.reason}")
        except TimeoutError:
            endpoint.restart()  # the query may still be running inside the server
            return self._text(504, f"the query ran past the endpoint's limit of {endpoint.timeout:g} s")
        if len(body) > self.max_result_bytes:
            return self._text(
                507,
                f"the answer is larger than this endpoint sends ({self.max_result_bytes:,} bytes); "
                "ask for less (LIMIT, fewer variables) or download the dumps",
            )
        return self.wz.Response(body, status=status, content_type=media)

    def _form(self):
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>SPARQL</title>"
            "<link rel='stylesheet' href='/style.css'></head><body><main><h1>SPARQL endpoint</h1>"
            "<p>A read-only SPARQL 1.1 endpoint over the published data only.</p>"
            "<form method='get' action='/sparql'><p><textarea name='query' rows='8' cols='70'>"
            "SELECT ?kind (COUNT(*) AS ?n) WHERE { ?s a ?kind } GROUP BY ?kind ORDER BY DESC(?n)"
            "</textarea></p><p><button>Run</button></p></form></main></body></html>"
        )
        return self.wz.Response(page, mimetype="text/html")


class Preview:
    """A running preview of a published site: ``url``, ``sparql_url``; ``stop()`` ends it (or use
    it as a context manager).

    Examples
    --------
    >>> import hlsgraph, tempfile, urllib.request
    >>> site = tempfile.mkdtemp() + "/site"
    >>> _ = hlsgraph.open().publish(site, base="https://data.example.org/", title="Example",
    ...     publisher="Example Fund", license="https://creativecommons.org/licenses/by/4.0/")
    >>> with Preview(site) as preview:
    ...     urllib.request.urlopen(preview.url).status
    200
    """

    def __init__(
        self,
        site,
        *,
        port: int | None = None,
        cors: bool = False,
        sparql: bool = True,
        timeout: float = QUERY_TIMEOUT_S,
        max_result_bytes: int = MAX_RESULT_BYTES,
        quiet: bool = True,
    ):
        self.site = Path(site)
        if not (self.site / MARKER).is_file():
            raise MissingFileError(
                f"{str(self.site)!r} is not a site published by hlsgraph (no {MARKER}); "
                "publish one with kb.publish(...) or `hlsgraph publish`"
            )
        chosen = port if port else _free_port()
        self.url = f"http://127.0.0.1:{chosen}/"
        self.endpoint = Endpoint(self.site, timeout=timeout, served_at=self.url) if sparql else None
        try:
            if self.endpoint is not None:
                self.endpoint.start()
            app = SiteApp(self.site, self.endpoint, cors=cors, max_result_bytes=max_result_bytes)
            handler = app.wz.RequestHandler
            if quiet:  # no request log in a notebook's output or a test's
                handler = type("QuietHandler", (handler,), {"log_request": lambda *a, **k: None})
            # Werkzeug ends the process (SystemExit) when the port is taken: look first.
            if not _port_free(chosen):
                raise OSError(  # the OS's: the port is taken
                    f"port {chosen} on 127.0.0.1 is in use; give another port "
                    "(--port N, or 0 for any free one)"
                )
            self.server = app.wz.make_server("127.0.0.1", chosen, app, threaded=True, request_handler=handler)
        except BaseException:
            if self.endpoint is not None:
                self.endpoint.stop()
            raise
        self._thread: threading.Thread | None = None

    @property
    def sparql_url(self) -> str:
        return self.url + "sparql"

    def start(self) -> Preview:
        """Serve in a background thread (for notebooks and tests)."""
        self._thread = threading.Thread(target=self.server.serve_forever, name="hlsgraph-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the CLI)."""
        try:
            self.server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server.server_close()
        if self.endpoint is not None:
            self.endpoint.stop()
            self.endpoint = None

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Preview of {self.site} at {self.url}>"


__all__ = ["MAX_RESULT_BYTES", "Preview", "QUERY_TIMEOUT_S", "refused"]
