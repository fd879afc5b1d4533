"""Shared fixtures: the bundled knowledge base in memory, and a real Oxigraph server on a free
loopback port for remote-store tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def kb():
    """The bundled knowledge base in memory, shared by the session: do not write to it (open
    your own with ``hlsgraph.open()`` for tests that load or update)."""
    import hlsgraph

    return hlsgraph.open()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server binary of the environment running the tests."""
    return Path(sys.executable).parent / "oxigraph"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """The base URL of an Oxigraph server (``--union-default-graph``) on a free 127.0.0.1 port,
    with its own empty on-disk store; stopped at the end of the session. Shared by the session:
    put test data into graphs of your own and remove them afterwards."""
    binary = oxigraph_binary()
    assert binary.exists(), f"the oxigraph server binary is missing at {binary}"
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(location.parent / f"oxigraph-{port}.log", "w+b")
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"oxigraph serve exited with {process.returncode}: {log.read().decode()}")
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer on {url} within 30 s") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
