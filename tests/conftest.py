"""Shared fixtures: the bundled knowledge base in memory, and a real Oxigraph server on a free
loopback port for remote-store tests."""

from __future__ import annotations

import re
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
        [
            str(binary),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
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


# Parameters for the inquiries that need some; the others run with their defaults.
INQUIRY_PARAMS = {
    "actors-and-relationships": {"place": "hlsd:place-plymouth"},
    "case-study-profile": {"case": "hlsd:case-blagrave-trust"},
    "compare-places": {"placeA": "hlsd:place-plymouth", "placeB": "hlsd:place-gateshead"},
    "funder-profile": {"funder": "hlsd:org-blagrave-trust"},
    "keyword-search": {"keyword": "trust"},
    "provenance": {"item": "hlsd:story-jacob"},
    "stories-by-concept": {"concept": "hlsc:trust"},
}


def _comparable(frame, query: str, *, ordered: bool):
    """``frame`` with what SPARQL leaves to the engine made comparable: the parts of a
    GROUP_CONCAT as a sorted set, SAMPLE columns only as bound or not, and (without ORDER BY)
    the rows sorted."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if str(frame[column].dtype) == "string":
            frame[column] = (
                frame[column]
                .map(
                    lambda v: v if v is pd.NA or "; " not in v else "; ".join(sorted(v.split("; "))),
                    na_action="ignore",
                )
                .astype("string")
            )
    sampled = re.findall(r"SAMPLE\s*\(\s*(?:DISTINCT\s+)?\?\w+\s*\)\s+AS\s+\?(\w+)", query, re.IGNORECASE)
    for column in sampled:
        frame[column] = frame[column].notna()
    if len(frame) and not ordered:
        frame = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frame


@pytest.fixture(scope="session")
def same_answers():
    """``check(other_kb, kb, name)``: the named inquiry, with a value for each required
    parameter from ``INQUIRY_PARAMS``, gives the same DataFrame on both knowledge bases."""
    import pandas as pd

    from hlsgraph.inquiries import load_inquiries

    def check(other, kb, name):
        inquiry = load_inquiries()[name]
        params = dict(INQUIRY_PARAMS.get(name, {}))
        missing = [p.name for p in inquiry.parameters if p.required and p.name not in params]
        assert not missing, f"add values for {missing} of {name!r} to INQUIRY_PARAMS in conftest.py"
        expected, got = kb.inquire(name, **params), other.inquire(name, **params)
        assert list(got.columns) == list(expected.columns)
        assert got.dtypes.tolist() == expected.dtypes.tolist()
        ordered = any("ORDER BY" in line.upper() for line in inquiry.query.splitlines())
        pd.testing.assert_frame_equal(
            _comparable(got, inquiry.query, ordered=ordered),
            _comparable(expected, inquiry.query, ordered=ordered),
        )
        assert got.attrs["inquiry"] == name

    return check
