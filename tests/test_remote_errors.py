"""Remote failures say what happened: a server's own time limit is raised (never returned as
data), a server killed in the middle of a query or a load gives hlsgraph's errors (never a raw
ConnectionResetError or RemoteDisconnected), and a load cut off leaves a mark the next open
reports, with the way out. Against real Oxigraph servers started for each test."""

import os
import signal
import threading
import time
import warnings

import pytest
from conftest import cpu_seconds, start_oxigraph, stop_process

import hlsgraph
from hlsgraph.errors import (
    ConnectionLostError,
    EndpointError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    InterruptedWriteWarning,
    QueryTimeoutError,
)

EX = "https://example.org/"
SLOW = "\n".join(f"<{EX}s{i}> <{EX}slow> {i} ." for i in range(300))
# A triple cross join of 300 triples: 27 million rows, seconds of work for any engine.
CROSS = f"?a <{EX}slow> ?x . ?b <{EX}slow> ?y . ?c <{EX}slow> ?z"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """An Oxigraph server with a time limit of 1 s (``--timeout-s 1``) and a slow graph."""
    process, url = start_oxigraph(tmp_path_factory.mktemp("limited"), "--timeout-s", "1")
    try:
        kb = hlsgraph.open(url)
        kb.load(data=SLOW, format="turtle", graph=EX + "slow")
        yield kb
    finally:
        stop_process(process)


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}",
        f"SELECT ?a ?b ?c WHERE {{ {CROSS} FILTER(?x + ?y + ?z = -1) }}",
    ],
    ids=["count", "select"],
)
def test_the_servers_time_limit_is_raised_not_returned_as_rows(limited, query):
    # Oxigraph answers 200 and then writes "The SPARQL operation has been cancelled" into
    # the results: a COUNT would read as one row holding that text, a SELECT as no rows.
    with pytest.raises(EndpointTimeoutError, match="time limit") as info:
        limited.select(query)
    assert limited.location in str(info.value) and "cancelled" in str(info.value)
    assert isinstance(info.value, QueryTimeoutError)  # an except QueryTimeoutError catches it


def test_ask_and_construct_past_the_servers_limit_raise_too(limited):
    with pytest.raises(EndpointTimeoutError):
        limited.ask(f"ASK {{ {CROSS} FILTER(?x + ?y + ?z = -1) }}")
    with pytest.raises(EndpointTimeoutError):
        limited.construct(f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {CROSS} FILTER(?x + ?y + ?z = -1) }}")
    assert limited.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}slow> ?x }}")["n"].tolist() == [300]


def _kill_when(process, condition, seconds=60):
    """SIGKILL ``process`` once ``condition()`` holds (checked every 10 ms)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition for killing the server never held"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)


def test_a_server_killed_mid_query_is_a_connection_lost_error(tmp_path):
    process, url = start_oxigraph(tmp_path / "store")
    try:
        kb = hlsgraph.open(url)
        kb.load(data=SLOW, format="turtle", graph=EX + "slow")
        outcome = {}

        def run():
            try:
                kb.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} . ?d <{EX}slow> ?w }}")
            except BaseException as err:  # handed to the test below
                outcome["error"] = err

        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(1.0)  # the query is under way (it takes minutes)
        os.kill(process.pid, signal.SIGKILL)
        worker.join(60)
        error = outcome.get("error")
        assert isinstance(error, ConnectionLostError), repr(error)
        assert url in str(error) and "broke off during the query" in str(error)
        assert "could not be reached" in str(error)  # it was tried once more: the server is gone
        assert error.__cause__ is None and error.__suppress_context__
    finally:
        stop_process(process)
    with pytest.raises(EndpointUnreachableError, match="cannot reach the SPARQL endpoint"):
        kb.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_a_server_killed_mid_load_leaves_a_mark_the_next_open_reports(tmp_path):
    location = tmp_path / "store"
    big = tmp_path / "big.nt"
    with open(big, "w") as out:
        for i in range(200_000):
            out.write(f'<{EX}s{i}> <{EX}p{i % 7}> "value number {i} of the large load" .\n')
    graph = EX + "big"
    process, url = start_oxigraph(location)
    try:
        kb = hlsgraph.open(url)
        kb.load(data=f'<{EX}a> <{EX}b> "before" .', format="turtle", graph=EX + "before")
        baseline = cpu_seconds(process.pid)
        outcome = {}

        def load():
            try:
                kb.load(big, graph=graph)
            except BaseException as err:  # handed to the test below
                outcome["error"] = err

        worker = threading.Thread(target=load)
        worker.start()
        # Killed once the server has spent 0.1 s of CPU on the upload (parsing and storing it
        # as it arrives takes seconds): in the middle of the request.
        _kill_when(process, lambda: cpu_seconds(process.pid) > baseline + 0.1)
        worker.join(60)
        error = outcome.get("error")
        assert isinstance(error, ConnectionLostError), repr(error)
        assert "graph store request adding to graph <https://example.org/big>" in str(error)
        assert "may have applied all, part or none of it" in str(error)
    finally:
        stop_process(process)

    process, url = start_oxigraph(location)  # the same store, restarted
    try:
        with pytest.warns(InterruptedWriteWarning) as caught:
            again = hlsgraph.open(url)
        message = str(caught[0].message)
        assert f"loading {big}" in message and f"graph <{graph}>" in message
        assert f"kb.load(..., graph={graph!r}, replace=True)" in message
        assert f"kb.remove_graph({graph!r})" in message
        assert again.ask(f'ASK {{ <{EX}a> <{EX}b> "before" }}')  # what was there before is there
        again.load(big, graph=graph, replace=again.store.has_graph(again._graph_node(graph)))
        with warnings.catch_warnings():
            warnings.simplefilter("error", InterruptedWriteWarning)
            fresh = hlsgraph.open(url)  # the reload cleared the mark: no warning
        assert fresh.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[
            "n"
        ].tolist() == [200_000]
    finally:
        stop_process(process)


def test_errors_from_a_refusing_server_are_endpoint_errors(tmp_path):
    process, url = start_oxigraph(tmp_path / "store")
    try:
        kb = hlsgraph.open(url)
        with pytest.raises(EndpointError) as info:
            kb.store.update("LOAD <http://127.0.0.1:1/nothing.ttl>")  # the server cannot fetch it
        assert url in str(info.value) and info.value.status is not None
    finally:
        stop_process(process)
