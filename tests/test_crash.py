"""Crash safety of the on-disk store: a process killed (SIGKILL) in the middle of a large load
leaves the store exactly as it was before the load."""

import os
import select
import signal
import subprocess
import sys
import time

import pytest

import hlsgraph

EX = "https://example.org/"

CHILD = """
import sys
import hlsgraph
kb = hlsgraph.open(sys.argv[1], bundled=False)
print("loading", flush=True)
kb.load(sys.argv[2])
print("loaded", flush=True)
"""


def _quads(path):
    with hlsgraph.open(path, bundled=False) as kb:
        return sorted(str(q) for q in kb.quads())


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_during_a_large_load_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "store"
    with hlsgraph.open(store, bundled=False) as kb:
        kb.load(
            data=f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <{EX}Story> rdfs:subClassOf <{EX}Evidence> .
            <{EX}jacob> a <{EX}Story> ; <{EX}title> "Jacob" .""",
            format="turtle",
            graph=EX + "before",
        )
    before = _quads(store)
    assert any("Evidence" in q for q in before)  # the inference is part of the state

    big = tmp_path / "big.nt"
    with open(big, "w") as out:
        for i in range(400_000):
            out.write(f'<{EX}s{i}> <{EX}p{i % 7}> "value number {i} of the large load" .\n')

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 120)
        assert ready, "the loading process did not start"
        assert child.stdout.readline().strip() == "loading"
        time.sleep(0.5)  # well inside a load that takes seconds
        assert child.poll() is None, "the load finished before it could be interrupted"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert "loaded" not in child.stdout.read()

    assert _quads(store) == before
    with hlsgraph.open(store, bundled=False) as kb:
        assert "https://w3id.org/hls/graph/load/big" not in kb.graphs()
        assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
