"""``hlsgraph serve``: a published site on 127.0.0.1 with real content negotiation and a read-only
SPARQL endpoint run by a real Oxigraph server over a store built only from the site's dumps,
each checked with a real client (urllib per Accept header, rdflib dereferencing a resource,
SPARQLWrapper running a SELECT)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from conftest import free_port
from publish_helpers import EXAMPLE, generate, ontology_only_kb

import hlsgraph
from hlsgraph.publishing.serve import Preview

JACOB = "https://w3id.org/hls/id/story-jacob"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    kb = hlsgraph.open()
    kb.publish(folder / "site", **EXAMPLE)
    return folder / "site"


@pytest.fixture(scope="module")
def preview(site):
    with Preview(site) as running:
        yield running


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, accept=None, follow=True):
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.mark.parametrize(
    ("accept", "extension", "media"),
    [
        ("text/html", "html", "text/html"),
        ("application/xhtml+xml", "html", "text/html"),
        ("text/turtle", "ttl", "text/turtle"),
        ("application/ld+json", "jsonld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "jsonld", "application/ld+json"),
        ("*/*", "html", "text/html"),
        (None, "html", "text/html"),
    ],
)
def test_each_accept_header_gets_a_303_to_its_document(preview, accept, extension, media):
    status, headers, _ = _get(preview.url + "id/story-jacob", accept, follow=False)
    assert status == 303
    assert headers["Location"] == preview.url + f"id/story-jacob.{extension}"
    assert headers["Vary"] == "Accept"
    status, headers, body = _get(preview.url + "id/story-jacob", accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert headers["Vary"] == "Accept"
    assert b"story-jacob" in body


def test_an_accept_header_the_site_cannot_meet_is_a_406(preview):
    status, headers, body = _get(preview.url + "id/story-jacob", "image/png")
    assert status == 406 and headers["Vary"] == "Accept" and b"text/turtle" in body


def test_the_dataset_iri_negotiates_to_the_landing_page_or_its_description(preview):
    status, headers, _ = _get(preview.url + "dataset", "text/turtle", follow=False)
    assert status == 303 and headers["Location"] == preview.url + "dataset.ttl"
    status, headers, body = _get(preview.url + "dataset", "text/html")
    assert status == 200 and b"<h1>Example Fund open data</h1>" in body


def test_files_pages_and_refusals(preview):
    assert _get(preview.url)[0] == 200
    status, headers, _ = _get(preview.url + "dumps/dataset.nt.gz")
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    assert _get(preview.url + "id/no-such-thing")[0] == 404
    assert _get(preview.url + ".htaccess")[0] == 404  # the host's rules are not the visitor's
    assert _get(preview.url + ".hlsgraph-site.json")[0] == 404
    assert _get(preview.url + "%2e%2e/%2e%2e/etc/passwd")[0] == 404
    status, headers, body = _get(preview.url + ".well-known/void")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    request = urllib.request.Request(preview.url + "index.html", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code == 405


def test_rdflib_dereferences_a_resource_through_content_negotiation(preview, site):
    graph = rdflib.Graph()
    graph.parse(preview.url + "id/story-jacob")
    jacob = rdflib.URIRef(JACOB)
    assert (jacob, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/hls/Story")) in graph
    assert str(graph.value(jacob, rdflib.URIRef("http://purl.org/dc/terms/title"))).startswith(
        "Jacob's story"
    )
    assert graph.isomorphic(rdflib.Graph().parse(site / "id/story-jacob.nt", format="nt"))


def test_sparqlwrapper_runs_a_select_on_the_endpoint(preview, site):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(preview.sparql_url)
    client.setQuery(
        "PREFIX hls: <https://w3id.org/hls/> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?story ?title WHERE { ?story a hls:Story ; dcterms:title ?title } ORDER BY ?story"
    )
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    expected = hlsgraph.open().select(
        "SELECT ?story WHERE { ?story a hls:Story ; hls:accessLevel hls:public } ORDER BY ?story",
        compact=False,
    )
    assert [r["story"]["value"] for r in rows] == list(expected["story"])
    assert JACOB in {r["story"]["value"] for r in rows}


def test_the_endpoint_holds_only_the_dumps_and_the_description(preview, site):
    import gzip

    import pyoxigraph as ox

    status, _, body = _ask(preview, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    dump = list(
        ox.parse(gzip.decompress((site / "dumps/dataset.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    )
    description = list(ox.parse(path=str(site / "dataset.nt")))
    assert counts == {
        EXAMPLE["base"] + "dataset": len(dump),
        EXAMPLE["base"] + "dataset#description": len(description) + 1,
    }
    # The one triple more: the served copy names its own endpoint.
    status, _, body = _ask(preview, "SELECT ?e WHERE { ?d <http://rdfs.org/ns/void#sparqlEndpoint> ?e }")
    assert [b["e"]["value"] for b in json.loads(body)["results"]["bindings"]] == [preview.sparql_url]


def _ask(preview, query, *, accept="application/sparql-results+json", method="POST", field="query"):
    if method == "GET":
        request = urllib.request.Request(
            preview.sparql_url + "?" + urllib.parse.urlencode({field: query}), headers={"Accept": accept}
        )
    else:
        request = urllib.request.Request(
            preview.sparql_url,
            data=urllib.parse.urlencode({field: query}).encode(),
            headers={"Accept": accept},
        )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_get_and_direct_post_both_answer(preview):
    status, headers, body = _ask(preview, "ASK { ?s ?p ?o }", method="GET")
    assert status == 200 and json.loads(body)["boolean"] is True
    request = urllib.request.Request(
        preview.sparql_url,
        data=b"SELECT * WHERE { ?s ?p ?o } LIMIT 2",
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/csv")
        assert sorted(answer.read().decode().splitlines()[0].split(",")) == ["o", "p", "s"]


@pytest.mark.parametrize(
    ("query", "field", "status", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "update", 403, b"read-only"),
        (
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "query",
            400,
            b"INSERT is refused: this endpoint is read-only",
        ),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "query", 400, b"LOAD is refused"),
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "query",
            400,
            b"SERVICE is refused",
        ),
        (
            "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
            "query",
            400,
            b"SERVICE is refused",
        ),
        ("SELECT * WHERE { ?s ?p }", "query", 400, b""),
    ],
)
def test_updates_service_load_and_bad_queries_are_clear_4xx(preview, query, field, status, message):
    got, headers, body = _ask(preview, query, field=field)
    assert got == status and message in body
    assert headers["Content-Type"].startswith("text/plain")


def test_a_sparql_update_post_is_refused(preview):
    request = urllib.request.Request(
        preview.sparql_url,
        data=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=30)
    assert err.value.code == 403 and b"read-only" in err.value.read()
    status, _, body = _ask(preview, "ASK { ?s ?p ?o }")
    assert json.loads(body)["boolean"] is True  # nothing was cleared


def test_time_and_size_bounds_answer_5xx_never_a_200(site):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with Preview(site, timeout=1, max_result_bytes=50_000) as bounded:
        started = time.monotonic()
        status, headers, body = _ask(bounded, heavy)
        assert status == 504 and b"limit of 1 s" in body
        assert time.monotonic() - started < 10
        status, headers, body = _ask(bounded, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 507 and b"larger than this endpoint sends" in body
        status, _, body = _ask(bounded, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5  # still serving


def test_cors_only_when_asked(site, preview):
    _, headers, _ = _get(preview.url)
    assert "Access-Control-Allow-Origin" not in headers
    with Preview(site, cors=True, sparql=False) as open_to_all:
        _, headers, _ = _get(open_to_all.url + "id/story-jacob.ttl")
        assert headers["Access-Control-Allow-Origin"] == "*"


def test_serving_a_folder_that_is_no_site_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a site published by hlsgraph"):
        Preview(tmp_path)


def _endpoint_processes_of(pid):
    """The ``oxigraph serve-read-only`` children of process ``pid`` still alive (from /proc)."""
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        if fields.get("PPid", "").strip() == str(pid) and b"serve-read-only" in command:
            children.append(int(status.parent.name))
    return children


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_the_serve_command_runs_until_stopped_and_takes_its_endpoint_with_it(tmp_path, stop_signal):
    kb = ontology_only_kb()
    generate(9, tmp_path, base=kb)
    kb.publish(tmp_path / "site", **EXAMPLE)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hlsgraph", "serve", str(tmp_path / "site"), "--port", str(port), "--cors"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # As a shell starts a background job: SIGINT ignored. Ctrl-C must stop it all the same.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first and "Ctrl-C" in first
        status, headers, body = _get(f"http://127.0.0.1:{port}/index.html")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        status, _, body = _get(
            f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
            "application/sparql-results+json",
        )
        assert status == 200 and json.loads(body)["boolean"] is True
        endpoints = _endpoint_processes_of(process.pid)
        assert len(endpoints) == 1
    finally:
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.rstrip().endswith("stopped"), (out, err)
    assert "GET /index.html" in err  # the request log, on the terminal only
    assert (
        not Path(f"/proc/{endpoints[0]}").exists()
        or b"zombie" in Path(f"/proc/{endpoints[0]}/status").read_bytes().lower()
    )


def test_a_missing_server_binary_names_the_extra(monkeypatch):
    import shutil as shell

    from hlsgraph.errors import MissingExtraError
    from hlsgraph.extras import require_program

    monkeypatch.setattr(shell, "which", lambda name: None)
    with pytest.raises(
        MissingExtraError, match=r"needs the no-such-server program.*pip install 'hlsgraph\[all\]'"
    ):
        require_program("no-such-server", "the SPARQL endpoint")


def test_a_port_in_use_is_a_clear_error(site):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"port {port} on 127.0.0.1 is in use; give another port"):
            Preview(site, port=port, sparql=False)


class _DroppingRelay:
    """A TCP relay on loopback in front of the real endpoint that hangs up on its first ``drops``
    connections as soon as the request arrives, as an overloaded or restarting server does."""

    def __init__(self, target_url: str, drops: int):
        self.target = urllib.parse.urlsplit(target_url)
        self.drops = drops
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            if self.drops > 0:
                self.drops -= 1
                client.recv(65536)
                client.close()
                continue
            server = socket.create_connection((self.target.hostname, self.target.port))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self):
        self.listener.close()


@pytest.mark.parametrize(
    ("drops", "status", "answer"),
    [(1, 200, True), (2, 502, "broke off its answer twice")],
    ids=["once-asked-again", "twice-a-502"],
)
def test_an_answer_the_server_breaks_off_is_asked_for_again_then_a_502(preview, drops, status, answer):
    endpoint = preview.endpoint
    real_url = endpoint.url
    relay = _DroppingRelay(real_url, drops)
    endpoint.url = relay.url
    try:
        got, _, body = _ask(preview, "ASK { ?s ?p ?o }")
    finally:
        endpoint.url = real_url
        relay.close()
    assert got == status, body
    if answer is True:
        assert json.loads(body)["boolean"] is True
    else:
        assert answer in body.decode()
    assert relay.drops == 0
