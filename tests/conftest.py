"""Shared fixtures: the bundled knowledge base in memory, and real servers on free loopback ports
for remote-store tests: an Oxigraph server and a Virtuoso (Debian's virtuoso-opensource)."""

from __future__ import annotations

import os
import re
import shutil
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
    process, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"), "--union-default-graph")
    process_of[url] = process
    try:
        yield url
    finally:
        stop_process(process)


def start_oxigraph(location: Path, *extra: str):
    """A started ``oxigraph serve`` over ``location`` on a free port: ``(process, url)``; stop
    it with :func:`stop_process`."""
    binary = oxigraph_binary()
    assert binary.exists(), f"the oxigraph server binary is missing at {binary}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(location.parent / f"oxigraph-{port}.log", "w+b")  # noqa: SIM115 (stop_process closes it)
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    try:
        _wait_for(process, log, url + "/query?query=ASK%7B%7D", 30)
    except BaseException:
        stop_process(process)
        raise
    return process, url


def _wait_for(process, log, url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}: {log.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{process.args[0]} did not answer on {url} within {seconds} s") from None
            time.sleep(0.2)


def stop_process(process, *, seconds: float = 20) -> None:
    """Stop a server this session started: SIGTERM, then SIGKILL after ``seconds``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log = getattr(process, "log", None)
    if log is not None:
        log.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# A Virtuoso of its own for the tests: its database and ini in a temporary directory, SQL and
# HTTP on free loopback ports, no result-row cap and no server-wide query time limit (hlsgraph
# sends its own per request), memory sized for a shared 2-core CI machine.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 12000
ThreadsPerQuery = 2
MaxQueryMem = 500M
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""

# What the anonymous SPARQL user needs to write through /sparql and /sparql-graph-crud. Granted
# before the first HTTP request: Virtuoso caches the user's rights at its first request.
VIRTUOSO_GRANTS = """\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


def virtuoso_binaries() -> tuple[str, str]:
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    assert server and client, "Virtuoso is missing: `make setup` installs virtuoso-opensource"
    return server, client


def start_virtuoso(directory: Path):
    """A started Virtuoso with its own database in ``directory``: ``(process, sparql_url, sql_port)``."""
    server, client = virtuoso_binaries()
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    log = open(directory / "virtuoso-stdout.log", "w+b")  # noqa: SIM115 (stop_process closes it)
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)], cwd=directory, stdout=log, stderr=subprocess.STDOUT
    )
    process.log = log
    try:
        # A new database takes 10-30 s to build on a busy 2-core machine.
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(
                    f"virtuoso-t exited with {process.returncode}: {log.read().decode()[-2000:]}"
                )
            done = subprocess.run(
                [client, f"127.0.0.1:{sql_port}", "dba", "dba", "exec=SELECT 1;"],
                capture_output=True,
                timeout=60,
            )
            if done.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not answer on SQL port {sql_port} within 180 s")
            time.sleep(0.5)
        grants = directory / "grants.sql"
        grants.write_text(VIRTUOSO_GRANTS)
        done = subprocess.run(
            [client, f"127.0.0.1:{sql_port}", "dba", "dba", str(grants)], capture_output=True, timeout=60
        )
        assert done.returncode == 0 and b"Error" not in done.stdout, done.stdout.decode()
        url = f"http://127.0.0.1:{http_port}/sparql"
        _wait_for(process, log, url + "?query=ASK%7B%7D", 60)
    except BaseException:
        stop_process(process)
        raise
    return process, url, sql_port


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A Virtuoso on free 127.0.0.1 ports with its own empty database, the anonymous SPARQL user
    allowed to write; its ``/sparql`` URL. Stopped at the end of the session. Shared: put test
    data in graphs of your own and remove them afterwards."""
    process, url, _ = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    process_of[url] = process
    try:
        yield url
    finally:
        stop_process(process, seconds=30)


# The process behind each server URL a fixture started, for tests that read its CPU time.
process_of: dict[str, subprocess.Popen] = {}


# Parameters for the inquiries that need some; the others run with their defaults.
INQUIRY_PARAMS = {
    "actors-and-relationships": {"place": "hlsd:place-plymouth"},
    "case-study-profile": {"case": "hlsd:case-blagrave-trust"},
    "compare-places": {"places": ["hlsd:place-plymouth", "hlsd:place-gateshead", "hlsd:place-oxfordshire"]},
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


def check_same_answers(other, kb, name: str) -> None:
    """The named inquiry, with a value for each required parameter from ``INQUIRY_PARAMS``,
    gives the same DataFrame on both knowledge bases (columns, dtypes, rows; their order where
    the query orders them)."""
    import pandas as pd

    from hlsgraph.inquiries import load_inquiries

    inquiry = load_inquiries()[name]
    params = dict(INQUIRY_PARAMS.get(name, {}))
    missing = [p.name for p in inquiry.parameters if p.required and p.name not in params]
    assert not missing, f"add values for {missing} of {name!r} to INQUIRY_PARAMS in conftest.py"
    expected, got = kb.inquire(name, **params), other.inquire(name, **params)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected), f"{len(got)} rows where {len(expected)} were expected"
    assert got.dtypes.tolist() == expected.dtypes.tolist()
    ordered = any("ORDER BY" in line.upper() for line in inquiry.query.splitlines())
    pd.testing.assert_frame_equal(
        _comparable(got, inquiry.query, ordered=ordered),
        _comparable(expected, inquiry.query, ordered=ordered),
    )
    assert got.attrs["inquiry"] == name


@pytest.fixture(scope="session")
def same_answers():
    """``check(other_kb, kb, name)``: see :func:`check_same_answers`."""
    return check_same_answers
