"""The hlsgraph benchmark: load, inquire, select, import and export on generated evidence graphs,
side by side with raw pyoxigraph (the engine underneath) and rdflib (what notebooks reach for).

One command::

    python benchmarks/run.py [--sizes 1e4,1e5,1e6] [--rows 1e4,1e5] [--smoke] [--out DIR]

writes ``<out>/<YYYY-MM-DD>.json`` (every figure) and ``<out>/<YYYY-MM-DD>.md`` (the tables, the
ratios hlsgraph/raw-pyoxigraph and rdflib/hlsgraph, the targets met or not, and the machine).
``--smoke`` runs the smallest graph and a small spreadsheet with two repeats, for CI, and writes
``<date>-smoke.*``. The exit code is 0 when every phase ran, 1 when a phase failed (its error is in
the results), 2 on bad arguments: never a figure.

Each phase runs in a fresh subprocess (``run.py --worker PHASE``) so that its peak memory (VmHWM
from /proc, which counts the Rust allocations tracemalloc misses) is its own and a hung engine can
be stopped. Workers write their results to a JSON file as they go, so a phase stopped by its time
limit still reports what it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # run as a script: generate.py sits beside this file

import generate  # noqa: E402
import import_xlsx  # noqa: E402
import scale  # noqa: E402
from import_xlsx import worker_import_xlsx  # noqa: E402, F401 - registered in WORKERS below
from publish import publish_targets, worker_publish  # noqa: E402,F401 - the publishing phase (issue 12)

RESULTS_DIR = BENCH_DIR / "results"
RDFLIB_QUERY_LIMIT = 60.0  # seconds; a longer rdflib query is stopped and the rest skipped for it
QUERY_LIMIT = 120.0  # seconds; a longer hlsgraph or pyoxigraph inquiry run is stopped
SMOKE_QUERY_LIMIT = 5.0
SMOKE_RDFLIB_LIMIT = 3.0  # the smoke run only shows that each engine runs, within about a minute
SELECT_ROWS = 10_000

# What the issues ask for (issues 5, 7 and 8; issue 15 tightened the in-memory inquiry target to
# 0.3 s); the markdown table reports each as met / not met.
TARGETS = {
    "inquiry_disk_median_s": 1.0,
    "inquiry_memory_median_s": 0.3,
    "select_ratio": 1.0,
    "load_ratio": 0.8,
    "import_rows_per_s": 10_000,
    "open_base_s": 0.5,
}
TARGET_SIZE = 1_000_000
TARGET_ROWS = 100_000


# ================================================================================ worker side


class _Recorder:
    """The result of one worker, written to its JSON file after every measurement."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict = {}
        self.data["rss_start_mb"] = _rss_mb("VmRSS")

    def save(self) -> None:
        self.data["peak_rss_mb"] = _rss_mb("VmHWM")
        # Other work on the machine slows every engine alike; the load average says how much.
        self.data["load_average_1min"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str))
        tmp.replace(self.path)

    def mark(self, name: str) -> None:
        """Record the peak resident memory so far, at the end of a part of the phase."""
        self.data.setdefault("peak_rss_after_mb", {})[name] = _rss_mb("VmHWM")
        self.save()


def _rss_mb(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status, in MB (None where there is no /proc)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    if field == "VmHWM":
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return None


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - t0, value


def _stats(times: list[float]) -> dict:
    return {"min": min(times), "median": statistics.median(times), "max": max(times), "repeats": len(times)}


def _store_of(kb):
    """The pyoxigraph Store behind a knowledge base (for dumping exactly what its queries see)."""
    import pyoxigraph as ox

    for attribute in ("store", "_store"):
        inner = getattr(kb, attribute, None)
        if isinstance(inner, ox.Store):
            return inner
        for nested in ("store", "_store", "oxigraph"):
            candidate = getattr(inner, nested, None)
            if isinstance(candidate, ox.Store):
                return candidate
    raise TypeError(f"cannot find the pyoxigraph Store inside {type(kb).__name__}")


def _close(kb) -> None:
    close = getattr(kb, "close", None)
    if callable(close):
        close()


def _graph_node():
    import pyoxigraph as ox

    return ox.NamedNode(generate.GRAPH_IRI)


class _QueryTimeout(Exception):
    """A query stopped at its time limit."""


def _alarm(signum, frame):
    raise _QueryTimeout()


def _settled_without_running(name: str, plan: dict, spec: dict, previous: dict) -> dict | None:
    """The figure of an inquiry that is not run in this worker: done by an earlier worker,
    stopped at a smaller size, or not measurable; else None."""
    if name in previous:
        return previous[name]
    if name in spec.get("stopped_before", {}):
        return {"stopped": spec["stopped_before"][name]}
    if "skip" in plan:
        return {"not_measured": plan["skip"]}
    return None


def _timed_runs(spec: dict, run_one, name: str, plan: dict) -> dict:
    """The warm-up run and then the timed repeats of one inquiry, within its time budget."""
    budget = spec.get("inquiry_budget", 30.0)
    times, rows, first = [], None, None
    spent = 0.0
    if spec.get("warmup", 0):
        # An untimed run first, so the figures are of a warm store; its time is kept.
        first, rows = _timed(run_one, name, plan)
        spent = first
    if first is not None and first > budget:
        times = [first]  # too slow to repeat: the one run is the figure
    else:
        for _ in range(spec["repeats"]):
            t, rows = _timed(run_one, name, plan)
            times.append(t)
            spent += t
            if spent > budget:
                break
    return {**_stats(times), "rows": rows, "first_s": first}


def _inquiry_runs(spec: dict, rec: _Recorder, key: str, run_one, *, findings=()) -> None:
    """Time every planned inquiry with ``run_one(name, plan) -> rows``.

    One untimed warm-up run (``spec['warmup']``), then up to ``spec['repeats']`` timed runs,
    fewer once an inquiry has used ``spec['inquiry_budget']`` seconds (a run at 10^6 on disk can
    take minutes; one run of it says enough). Before each inquiry the worker notes which one it is
    on and since when, so the parent can stop a run that exceeds the per-query limit and start a
    fresh worker that goes on with the next inquiry (``spec['previous']`` holds what was done).
    Exceptions of the types in ``findings`` are the engine's inability to answer, recorded as
    ``failed`` (a finding), not as an error of the benchmark.
    """
    results = rec.data.setdefault(key, {})
    previous = (spec.get("previous") or {}).get(key, {})
    for name, plan in spec["plans"].items():
        settled = _settled_without_running(name, plan, spec, previous)
        if settled is not None:
            results[name] = settled
            continue
        rec.data["current"] = {"key": key, "name": name, "started": time.time()}
        rec.save()
        try:
            results[name] = _timed_runs(spec, run_one, name, plan)
        except _QueryTimeout:
            results[name] = {"stopped": f"a run exceeded {spec.get('query_limit', 0):.0f} s (stopped)"}
        except findings as err:
            results[name] = {"failed": f"{type(err).__name__}: {err}"}
        except Exception as err:  # noqa: BLE001 - a benchmark records any engine failure and goes on
            results[name] = {"error": f"{type(err).__name__}: {err}"}
        rec.data.pop("current", None)
        rec.save()


def worker_open_base(spec: dict, rec: _Recorder) -> None:
    """Opening the bundled base in memory: Python's imports timed apart from ``open()``."""
    t_import, _ = _timed(__import__, "hlsgraph.kb")
    import hlsgraph

    rec.data["import_s"] = t_import
    times = []
    for _ in range(spec["repeats"]):
        t, kb = _timed(hlsgraph.open)
        times.append(t)
        rec.data["triples"] = len(kb)
        _close(kb)
        del kb
    rec.data["open"] = _stats(times)
    rec.data["first_open_s"] = times[0]


def worker_hlsgraph_memory(spec: dict, rec: _Recorder) -> None:
    """hlsgraph in memory: open, load the generated graph, every inquiry, kb.select; then dump
    the whole dataset (with whatever the engine inferred) for the raw engines to query."""
    import hlsgraph

    t_open, kb = _timed(hlsgraph.open)
    before = len(kb)
    t_load, _ = _timed(kb.load, path=spec["nt"], graph=generate.GRAPH_IRI)
    after = len(kb)
    rec.data["open_s"] = t_open
    rec.data["load"] = {
        "seconds": t_load,
        "triples": spec["triples"],
        "triples_per_s": spec["triples"] / t_load,
        "store_triples_before": before,
        "store_triples_after": after,
    }
    rec.mark("load")
    _inquiry_runs(spec, rec, "inquiries", _kb_runner(kb))
    rec.mark("inquiries")
    times, frame = [], None
    for _ in range(spec["repeats"]):
        t, frame = _timed(kb.select, spec["select_query"])
        times.append(t)
    rec.data["select"] = {
        **_stats(times),
        "rows": len(frame),
        "dtypes": {c: str(frame[c].dtype) for c in frame.columns},
    }
    rec.mark("select")
    if spec.get("dump"):
        import pyoxigraph as ox

        t_dump, _ = _timed(_store_of(kb).dump, spec["dump"], ox.RdfFormat.N_QUADS)
        rec.data["dump_s"] = t_dump


def worker_dump(spec: dict, rec: _Recorder) -> None:
    """Load the generated graph into hlsgraph in memory and dump the whole dataset (inferred
    graph included) as N-Quads: what the raw engines query when hlsgraph's phase was kept from an
    interrupted run."""
    import pyoxigraph as ox

    import hlsgraph

    kb = hlsgraph.open()
    kb.load(path=spec["nt"], graph=generate.GRAPH_IRI)
    _store_of(kb).dump(spec["dump"], ox.RdfFormat.N_QUADS)


def worker_hlsgraph_disk_build(spec: dict, rec: _Recorder) -> None:
    """hlsgraph on disk, first open (builds the store) and load of the generated graph."""
    import hlsgraph

    t_open, kb = _timed(hlsgraph.open, spec["store"])
    t_load, _ = _timed(kb.load, path=spec["nt"], graph=generate.GRAPH_IRI)
    rec.data["first_open_s"] = t_open
    rec.data["load"] = {
        "seconds": t_load,
        "triples": spec["triples"],
        "triples_per_s": spec["triples"] / t_load,
        "store_triples_after": len(kb),
    }
    t_close, _ = _timed(_close, kb)
    rec.data["close_s"] = t_close


def worker_hlsgraph_disk_query(spec: dict, rec: _Recorder) -> None:
    """hlsgraph on disk: reopen the store built before, then every inquiry."""
    import hlsgraph

    t_open, kb = _timed(hlsgraph.open, spec["store"])
    rec.data["reopen_s"] = t_open
    rec.mark("reopen")
    _inquiry_runs(spec, rec, "inquiries", _kb_runner(kb))
    _close(kb)


def _raw_load(store_factory, spec: dict, rec: _Recorder, prefix: str) -> None:
    """Time raw pyoxigraph's transactional ``load`` and its ``bulk_load`` of the generated file."""
    import pyoxigraph as ox

    for method in ("load", "bulk_load"):
        store = store_factory(method)
        t, _ = _timed(
            getattr(store, method), path=spec["nt"], format=ox.RdfFormat.N_TRIPLES, to_graph=_graph_node()
        )
        if hasattr(store, "flush") and method == "bulk_load":
            store.flush()
        rec.data[f"{prefix}{method}"] = {
            "seconds": t,
            "triples": spec["triples"],
            "triples_per_s": spec["triples"] / t,
            "store_triples": len(store),
        }
        del store
        rec.mark(f"{prefix}{method}")


def _kb_runner(kb):
    """Run a planned inquiry through kb.inquire, counting the rows the query answers (before a
    declared pivot turns them into columns), as the raw engines count them."""
    return lambda name, plan: len(kb.inquire(name, pivot=False, **plan["params"]))


def _raw_query_runner(store, spec: dict):
    """Run a planned inquiry on a raw Store as the engine would: the same prologue, the
    parameters written into the query text as kb.inquire writes them (bound_query), the union of
    the graphs as default graph, rows materialised as tuples."""
    from hlsgraph.namespaces import PREFIXES

    def run_one(name, plan):
        result = store.query(plan["query"], prefixes=PREFIXES, use_default_graph_as_union=True)
        return len([tuple(row) for row in result])

    return run_one


def _raw_select(store, spec: dict, rec: _Recorder) -> None:
    """The select query on raw pyoxigraph, rows as tuples; and pandas over its CSV, for scale."""
    import io

    import pandas as pd
    import pyoxigraph as ox

    from hlsgraph.namespaces import PREFIXES

    query = spec["select_query"]
    times, rows = [], None
    for _ in range(spec["repeats"]):
        t, rows = _timed(
            lambda: [tuple(r) for r in store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)]
        )
        times.append(t)
    rec.data["select_tuples"] = {**_stats(times), "rows": len(rows)}
    times = []
    for _ in range(spec["repeats"]):

        def via_csv():
            data = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.CSV
            )
            return pd.read_csv(io.BytesIO(data))

        t, frame = _timed(via_csv)
        times.append(t)
    rec.data["select_csv_pandas"] = {**_stats(times), "rows": len(frame)}


def worker_pyoxigraph_memory(spec: dict, rec: _Recorder) -> None:
    """Raw pyoxigraph in memory: load and bulk_load of the generated graph, then the inquiries'
    SPARQL over the dataset hlsgraph held (dumped by the hlsgraph worker)."""
    import pyoxigraph as ox

    _raw_load(lambda method: ox.Store(), spec, rec, "")
    store = ox.Store()
    t, _ = _timed(store.bulk_load, path=spec["dump"], format=ox.RdfFormat.N_QUADS)
    rec.data["dataset_load_s"] = t
    rec.data["dataset_quads"] = len(store)
    rec.mark("dataset")
    _inquiry_runs(spec, rec, "inquiries", _raw_query_runner(store, spec))
    rec.mark("inquiries")
    _raw_select(store, spec, rec)


def worker_pyoxigraph_disk_build(spec: dict, rec: _Recorder) -> None:
    """Raw pyoxigraph on disk: load and bulk_load into fresh stores, then build the query store."""
    import pyoxigraph as ox

    base = Path(spec["store"])

    def factory(method):
        path = base.parent / f"{base.name}-{method}"
        shutil.rmtree(path, ignore_errors=True)
        return ox.Store(str(path))

    _raw_load(factory, spec, rec, "")
    for method in ("load", "bulk_load"):
        shutil.rmtree(base.parent / f"{base.name}-{method}", ignore_errors=True)
    store = ox.Store(str(base))
    t, _ = _timed(store.bulk_load, path=spec["dump"], format=ox.RdfFormat.N_QUADS)
    store.flush()
    rec.data["dataset_load_s"] = t
    rec.data["dataset_quads"] = len(store)


def worker_pyoxigraph_disk_query(spec: dict, rec: _Recorder) -> None:
    """Raw pyoxigraph on disk: reopen the store, then the inquiries' SPARQL."""
    import pyoxigraph as ox

    t, store = _timed(ox.Store, spec["store"])
    rec.data["reopen_s"] = t
    _inquiry_runs(spec, rec, "inquiries", _raw_query_runner(store, spec))


def worker_rdflib(spec: dict, rec: _Recorder) -> None:
    """rdflib in memory: Graph.parse of the generated graph, then the inquiries' SPARQL over the
    dataset hlsgraph held (a Dataset whose default graph is the union), each query stopped after
    60 s (rdflib evaluates in Python, so a SIGALRM handler can interrupt it)."""
    import rdflib

    graph = rdflib.Graph()
    t, _ = _timed(graph.parse, spec["nt"], format="nt")
    rec.data["load"] = {
        "seconds": t,
        "triples": spec["triples"],
        "triples_per_s": spec["triples"] / t,
        "store_triples": len(graph),
    }
    del graph
    rec.mark("load")
    dataset = rdflib.Dataset(default_union=True)
    t, _ = _timed(dataset.parse, spec["dump"], format="nquads")
    rec.data["dataset_load_s"] = t
    rec.mark("dataset")
    limit = spec.get("rdflib_limit", RDFLIB_QUERY_LIMIT)
    prologue = spec["prologue"]

    def run_one(name, plan):
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return len([tuple(r) for r in dataset.query(prologue + plan["query"])])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    signal.signal(signal.SIGALRM, _alarm)
    # rdflib raising on a query is its inability to answer (a finding), recorded as "failed".
    _inquiry_runs({**spec, "query_limit": limit}, rec, "inquiries", run_one, findings=(Exception,))
    rec.mark("inquiries")


def worker_export(spec: dict, rec: _Recorder) -> None:
    """kb.export of the loaded graph (public items, N-Triples) and raw pyoxigraph's dump."""
    import pyoxigraph as ox

    import hlsgraph

    kb = hlsgraph.open()
    kb.load(path=spec["nt"], graph=generate.GRAPH_IRI)
    size = len(kb)
    rec.mark("load")
    out = Path(spec["out"])
    t, _ = _timed(kb.export, str(out), format="ntriples")
    with open(out, "rb") as f:
        written = sum(1 for _ in f)
    rec.data["export"] = {
        "seconds": t,
        "store_triples": size,
        "triples_written": written,
        "triples_written_per_s": written / t,
        "store_triples_per_s": size / t,
    }
    rec.mark("export")
    out.unlink()
    t, _ = _timed(_store_of(kb).dump, str(out), ox.RdfFormat.N_QUADS)
    rec.data["raw_dump"] = {"seconds": t, "quads": size, "quads_per_s": size / t}
    out.unlink()


def worker_import(spec: dict, rec: _Recorder) -> None:
    """kb.import_table of a stories spreadsheet in strict mode, with validation."""
    import hlsgraph

    kb = hlsgraph.open()
    before = len(kb)
    rec.mark("open")
    t, report = _timed(kb.import_table, spec["csv"], "stories", mode="strict")
    rec.data["import"] = {
        "seconds": t,
        "rows": spec["rows"],
        "rows_per_s": spec["rows"] / t,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "triples_added": len(kb) - before,
    }
    timings = getattr(report, "timings", None)
    if timings:
        rec.data["import"]["phases_s"] = dict(timings)  # where the import's time goes
    problems = getattr(report, "problems", None)
    if problems is not None and len(problems):
        rec.data["import"]["problems"] = len(problems)
        rec.data["import"]["first_problems"] = problems.head(5).astype(str).to_dict("records")


def worker_import_nt(spec: dict, rec: _Recorder) -> None:
    """Loading the N-Triples equivalent of the spreadsheet directly, for comparison."""
    import hlsgraph

    kb = hlsgraph.open()
    before = len(kb)
    t, _ = _timed(kb.load, path=spec["nt"], graph=generate.HLSG + "bench-stories")
    rec.data["load"] = {
        "seconds": t,
        "rows": spec["rows"],
        "rows_per_s": spec["rows"] / t,
        "triples": spec["nt_triples"],
        "triples_added": len(kb) - before,
    }


WORKERS = {name[len("worker_") :]: fn for name, fn in globals().items() if name.startswith("worker_")}
WORKERS.update(scale.WORKERS)


def worker_main(phase: str, spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    rec = _Recorder(Path(spec["result"]))
    rec.save()
    try:
        WORKERS[phase](spec, rec)
    except Exception as err:  # noqa: BLE001 - the parent reports the phase's failure, text and all
        rec.data["error"] = f"{type(err).__name__}: {err}"
        rec.data["traceback"] = traceback.format_exc(limit=8)
        rec.save()
        return 1
    rec.save()
    return 0


# ================================================================================ parent side


def run_worker(
    phase: str, spec: dict, workdir: Path, timeout: float, query_limit: float | None = None
) -> dict:
    """Run one phase in a fresh Python process; its results, or an error saying what happened.

    ``timeout`` bounds the whole phase. With ``query_limit``, a single inquiry run longer than
    that is stopped (its worker killed) and recorded as such, and a fresh worker goes on with the
    remaining inquiries: pyoxigraph cannot be interrupted from inside its process.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    tag = f"{phase}-{spec.get('tag', '')}"
    result_path = workdir / f"{tag}.result.json"
    spec = {**spec, "result": str(result_path), "query_limit": query_limit or 0}
    spec_path = workdir / f"{tag}.spec.json"
    _log(f"  {phase} ({spec.get('tag', '')})")
    t0 = time.perf_counter()
    failure, previous, restarts, result = None, None, 0, {}
    while True:
        spec_path.write_text(json.dumps({**spec, "previous": previous}))
        result_path.unlink(missing_ok=True)
        with open(workdir / f"{tag}.stderr", "w+") as stderr:
            proc = subprocess.Popen(
                [sys.executable, __file__, "--worker", phase, str(spec_path)],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            failure, stopped = _watch(proc, t0, timeout, query_limit, result_path)
            proc.wait()
            stderr.seek(0)
            error_text = stderr.read().strip()
        result = _read_json(result_path)
        if stopped:
            restarts += 1
            done = result.setdefault(stopped["key"], {})
            done[stopped["name"]] = {"stopped": f"a run exceeded {query_limit:.0f} s (stopped)"}
            previous = {stopped["key"]: done}
            _log(f"    {stopped['name']}: stopped after {query_limit:.0f} s; going on in a fresh worker")
            continue
        if failure is None and proc.returncode != 0 and "error" not in result:
            failure = f"worker exited with code {proc.returncode}: {error_text[-2000:]}"
        break
    return _finished(result, t0, restarts, failure)


def _watch(proc, t0: float, timeout: float, query_limit, result_path: Path) -> tuple[str | None, dict | None]:
    """Wait for a worker; kill it at the phase's time limit (a failure) or when one inquiry
    runs past ``query_limit`` (the inquiry it was on, to go on without)."""
    while proc.poll() is None:
        time.sleep(0.2)
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            return f"stopped after the phase's time limit of {timeout:.0f} s", None
        if query_limit:
            current = _read_json(result_path).get("current")
            if current and time.time() - current["started"] > query_limit:
                proc.kill()
                return None, current
    return None, None


def _finished(result: dict, t0: float, restarts: int, failure: str | None) -> dict:
    result.pop("current", None)
    result["wall_s"] = time.perf_counter() - t0
    if restarts:
        result["restarts"] = restarts
    if failure and "error" not in result:
        result["error"] = failure
    if "error" in result:
        _log(f"    error: {result['error']}")
    return result


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# Which member of the generated vocabulary a concept parameter takes, by words in its name:
# (words, vocabulary key, preferred member or None for the first).
_CONCEPT_PARAMETERS = (
    (("behaviour",), "behaviours", None),
    (("condition",), "conditions", None),
    (("outcome",), "outcomes", None),
    (("practice",), "practices", "appreciative-inquiry"),
    (("stage",), "stages", None),
    (("perspective",), "perspectives", "citizens"),
    (("purpose",), "purposes", "learning-purpose"),
    (("question",), "questions", "effective"),
    (("learning_point", "point"), "learning_points", None),
    (("role",), "roles", "frontline-worker"),
    (("arrangement", "funding"), "funding", "trust-based-philanthropy"),
    (("principle",), "principles", None),
    (("driver",), "drivers", None),
)
# An IRI parameter: the sample's (word in the name, sample key), else a story.
_IRI_PARAMETERS = (
    ("case", "case"),
    ("journey", "journey"),
    ("place", "district"),
    ("org", "alliance"),
    ("funder", "funder"),
)


def _concept_value(name: str, vocab, sample: dict) -> str:
    from hlsgraph.namespaces import HLSC

    def first(key, preferred=None):
        if preferred and HLSC + preferred in vocab.members[key]:
            return HLSC + preferred
        return vocab.members[key][0]

    for words, key, preferred in _CONCEPT_PARAMETERS:
        if any(w in name for w in words):
            return first(key, preferred)
    return first("features", "trust")


def _place_value(name: str, vocab, sample: dict) -> str:
    if any(w in name for w in ("other", "second", "_b", "2", "with")):
        return sample["district_2"]
    return sample["district"]


def _organisation_value(name: str, vocab, sample: dict) -> str:
    if "funder" in name:
        return sample["funder"]
    if "provider" in name:
        return sample["provider"]
    if "commission" in name or "council" in name:
        return sample["commissioner"]
    return sample["alliance"]


def _iri_value(name: str, vocab, sample: dict) -> str:
    for word, key in _IRI_PARAMETERS:
        if word in name:
            return sample[key]
    return sample["story"]


def _date_value(name: str, vocab, sample: dict) -> str:
    if any(w in name for w in ("to", "end", "until", "before")):
        return "2023-12-31"
    return "2018-01-01"


def _class_value(name: str, vocab, sample: dict) -> str:
    from hlsgraph.namespaces import HLS

    return HLS + "Story"


_VALUE_BY_KIND = {
    "concept": _concept_value,
    "place": _place_value,
    "organisation": _organisation_value,
    "iri": _iri_value,
    "class": _class_value,
    "string": lambda name, vocab, sample: "trust",
    "date": _date_value,
}
# Literal kinds: the parameter's default, else this.
_DEFAULT_BY_KIND = {"integer": "10", "decimal": "0", "boolean": "false"}


def choose_value(parameter, vocab, sample: dict) -> str | list[str] | None:
    """A sensible value present in the generated data for one declared parameter, or None."""
    kind = parameter.type
    if getattr(parameter, "multiple", False) and kind == "place":
        return [sample["district"], sample["district_2"]]
    if kind in _VALUE_BY_KIND:
        return _VALUE_BY_KIND[kind](parameter.name.lower(), vocab, sample)
    if kind in _DEFAULT_BY_KIND:
        return parameter.default or _DEFAULT_BY_KIND[kind]
    return None


def plan_inquiries(vocab, sample: dict) -> dict:
    """For every named inquiry: its query text, the parameters given (required ones get a value
    present in the generated data; optional ones keep their defaults) and their RDF terms."""

    from hlsgraph.inquiries import bind_parameters, bound_query, load_inquiries

    plans = {}
    for name, inquiry in sorted(load_inquiries().items()):
        params, missing = {}, []
        for p in inquiry.parameters:
            if p.required:
                value = choose_value(p, vocab, sample)
                if value is None:
                    missing.append(p.name)
                else:
                    params[p.name] = value
        if missing:
            plans[name] = {"skip": f"no value chosen for required parameter(s) {', '.join(missing)}"}
            continue
        terms = bind_parameters(inquiry, params, None)
        # The raw engines run the very text kb.inquire sends: the parameters written into the
        # query (bound_query), so both sides answer one query and no engine's binding is favoured.
        plans[name] = {
            "params": params,
            "query": bound_query(inquiry, terms),
            "binding": "text",
        }
    return plans


def generate_prologue() -> str:
    from hlsgraph.namespaces import sparql_prologue

    return sparql_prologue()


SELECT_QUERY = f"""SELECT ?item ?kind ?title ?access ?date ?place WHERE {{
  GRAPH <{generate.GRAPH_IRI}> {{
    ?item a ?kind ; dcterms:title ?title ; hls:accessLevel ?access .
    OPTIONAL {{ ?item dcterms:date ?date }}
    OPTIONAL {{ ?item hls:place ?place }}
  }}
}} LIMIT {SELECT_ROWS:d}
"""


def machine_info() -> dict:
    """CPU model, cores, memory, OS, Python and library versions, and the commit measured."""
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        info["cpu"] = platform.processor()
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("hlsgraph", "pyoxigraph", "rdflib", "pandas", "pyshacl"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    info["versions"] = versions
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        info["commit"] = None
    with contextlib.suppress(OSError):
        info["load_average_at_start"] = os.getloadavg()
    return info


def _stopped_before(earlier: dict, engine: str) -> dict:
    """Inquiries stopped at their time limit at a smaller size, for one engine: not run again at
    a larger size, where they can only take longer (and would cost the limit each time)."""
    notes = {}
    for name in sorted(earlier, key=_size_from_name):
        for inquiry, figure in (_get(earlier[name], engine, "inquiries") or {}).items():
            if isinstance(figure, dict) and "stopped" in figure and inquiry not in notes:
                notes[inquiry] = f"not run: already stopped at its time limit at {name} triples"
    return notes


class _Phases:
    """The phases of one size as they run: each result kept in ``out`` (and saved) as it ends."""

    def __init__(self, out: dict, workdir: Path, limit, earlier: dict, save=None):
        self.out, self.workdir, self.limit, self.earlier, self.save = out, workdir, limit, earlier, save

    def done(self, *keys) -> bool:
        return all(k in self.out for k in keys)

    def run(self, key, name, spec, timeout=None, query_limit=None) -> bool:
        timeout = self.limit if timeout is None else timeout
        self.out[key] = run_worker(name, spec, self.workdir, timeout, query_limit)
        if self.save:
            self.save(self.out)
        return "error" not in self.out[key]

    def stopped(self, engine) -> dict:
        return {"stopped_before": _stopped_before(self.earlier, engine)}

    def build_then_query(self, engine: str, spec: dict, query_limit) -> None:
        """``<engine>_build`` then, if it built, ``<engine>`` querying what it built."""
        if not self.done(f"{engine}_build", engine) and self.run(f"{engine}_build", f"{engine}_build", spec):
            self.run(engine, f"{engine}_query", {**spec, **self.stopped(engine)}, query_limit=query_limit)


def _size_spec(size: int, args, vocab) -> tuple[dict, dict, dict]:
    """The generated graph of ``size`` triples, the spec every phase shares, and the plans."""
    meta = generate.ensure_graph(args.data, size, args.seed, vocab)
    plans = plan_inquiries(vocab, meta["sample"])
    base = {
        "nt": meta["path"],
        "triples": meta["triples"],
        "repeats": args.repeats,
        "warmup": args.warmup,
        "inquiry_budget": args.inquiry_budget,
        "plans": plans,
        "prologue": generate_prologue(),
        "select_query": SELECT_QUERY,
        "tag": generate.size_name(size),
    }
    return meta, base, plans


def _kept_phases(partial: dict | None) -> dict:
    """The phases an interrupted run finished without error (kept, not run again)."""
    return {
        key: value
        for key, value in (partial or {}).items()
        if key not in ("generated", "plans", "incomplete")
        and isinstance(value, dict)
        and "error" not in value
    }


def _raw_engines(phases: _Phases, args, base: dict, dump: Path, stores: Path, raw: list[str]) -> None:
    """pyoxigraph in memory and on disk on the dataset hlsgraph held (its dump)."""
    if not dump.exists():
        note = "not measured: hlsgraph did not produce the dataset dump the raw engines query"
        for key in raw:
            phases.out.setdefault(key, {"error": note})
        return
    spec = {**base, "dump": str(dump), "store": str(stores / "pyoxigraph")}
    if not phases.done("pyoxigraph_memory"):
        phases.run(
            "pyoxigraph_memory",
            "pyoxigraph_memory",
            {**spec, **phases.stopped("pyoxigraph_memory")},
            query_limit=args.query_limit,
        )
    phases.build_then_query("pyoxigraph_disk", spec, args.query_limit)


def _rdflib_phase(phases: _Phases, args, base: dict, dump: Path, stores: Path) -> None:
    spec = {**base, "dump": str(dump), "store": str(stores / "pyoxigraph")}
    phases.run(
        "rdflib_memory",
        "rdflib",
        {
            **spec,
            "rdflib_limit": args.rdflib_limit,
            "repeats": min(args.repeats, 3),
            **phases.stopped("rdflib_memory"),
        },
        timeout=args.rdflib_timeout,
        query_limit=args.rdflib_limit + 30,
    )


def bench_size(
    size: int, args, vocab, workdir: Path, earlier: dict | None = None, partial: dict | None = None, save=None
) -> dict:
    """Every phase for one generated graph.

    ``earlier`` holds the results of smaller sizes (inquiries stopped there are not run again);
    ``partial`` the phases of this size finished by an interrupted run (kept, not run again);
    ``save(out)`` is called after each phase, so an interrupted run keeps what it finished.
    """
    _log(f"size {size}")
    meta, base, plans = _size_spec(size, args, vocab)
    tag = base["tag"]
    dump = workdir / f"dataset-{tag}.nq"
    out = {
        "generated": {k: meta[k] for k in ("triples", "blocks", "places", "organisations", "stories")},
        "plans": {
            n: ({"params": p["params"], "binding": p["binding"]} if "params" in p else p)
            for n, p in plans.items()
        },
        **_kept_phases(partial),
    }
    phases = _Phases(out, workdir, args.phase_timeout, earlier or {}, save)
    if not phases.done("hlsgraph_memory"):
        phases.run(
            "hlsgraph_memory",
            "hlsgraph_memory",
            {**base, "dump": str(dump), **phases.stopped("hlsgraph_memory")},
            query_limit=args.query_limit,
        )
    stores = Path(tempfile.mkdtemp(prefix=f"stores-{tag}-", dir=workdir))
    try:
        phases.build_then_query(
            "hlsgraph_disk", {**base, "store": str(stores / "hlsgraph")}, args.query_limit
        )
        raw = ["pyoxigraph_memory", "pyoxigraph_disk_build", "pyoxigraph_disk"]
        if args.rdflib:
            raw.append("rdflib_memory")
        if not phases.done(*raw) and not dump.exists():
            # The dataset hlsgraph held, for the raw engines (its phase was kept from before).
            run_worker("dump", {**base, "dump": str(dump), "tag": tag}, workdir, args.phase_timeout)
        _raw_engines(phases, args, base, dump, stores, raw)
        if not phases.done("export"):
            phases.run("export", "export", {**base, "out": str(workdir / f"export-{tag}.nt")})
        if not phases.done("publish"):
            phases.run("publish", "publish", {**base, "out": str(workdir / f"site-{tag}")})
        # rdflib last: at 10^6 its parse alone takes minutes.
        if args.rdflib and dump.exists() and not phases.done("rdflib_memory"):
            _rdflib_phase(phases, args, base, dump, stores)
    finally:
        shutil.rmtree(stores, ignore_errors=True)
        dump.unlink(missing_ok=True)
    return out


def bench_import(rows: int, args, vocab, workdir: Path) -> dict:
    _log(f"import {rows} rows")
    meta = generate.ensure_table(args.data, rows, args.seed, vocab)
    spec = {
        "csv": meta["csv_path"],
        "nt": meta["nt_path"],
        "rows": rows,
        "nt_triples": meta["nt_triples"],
        "tag": generate.size_name(rows),
    }
    return {
        "strict_import": run_worker("import", spec, workdir, args.phase_timeout),
        "strict_import_xlsx": run_worker(
            "import_xlsx", import_xlsx.xlsx_spec(spec), workdir, args.phase_timeout
        ),
        "load_equivalent_nt": run_worker("import_nt", spec, workdir, args.phase_timeout),
    }


# --------------------------------------------------------------------------- targets and tables


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def evaluate_targets(results: dict) -> list[dict]:
    """Each target of the issues with the measured figure and met / not met (None: not measured)."""
    targets = []
    sizes = results["sizes"]
    big = (
        generate.size_name(max((int(float(s)) for s in map(_size_from_name, sizes)), default=0))
        if sizes
        else None
    )

    def add(name, target, value, met, where, note=""):
        targets.append(
            {"target": name, "goal": target, "value": value, "met": met, "where": where, "note": note}
        )

    if big:
        full = _size_from_name(big) >= TARGET_SIZE
        note = "" if full else f"largest size run is {big}, the target is stated at 1e6"
        for mode, key, limit in (
            ("on disk", "hlsgraph_disk", TARGETS["inquiry_disk_median_s"]),
            ("in memory", "hlsgraph_memory", TARGETS["inquiry_memory_median_s"]),
        ):
            inq = _get(sizes[big], key, "inquiries") or {}
            for name in sorted(_get(sizes[big], "plans") or {}):
                median = _get(inq, name, "median")
                met = None if median is None else median < limit
                if median is None and "stopped" in (inq.get(name) or {}):
                    met = False  # stopped at the query limit: far over the target
                add(
                    f"inquiry {name} {mode}: median < {limit} s",
                    limit,
                    median,
                    met,
                    big,
                    note or _why_missing(inq.get(name)),
                )
        for mode in ("memory", "disk"):
            kb = _get(
                sizes[big],
                f"hlsgraph_{mode}" if mode == "memory" else "hlsgraph_disk_build",
                "load",
                "triples_per_s",
            )
            raw = [
                _get(
                    sizes[big],
                    f"pyoxigraph_{mode}" if mode == "memory" else "pyoxigraph_disk_build",
                    m,
                    "triples_per_s",
                )
                for m in ("load", "bulk_load")
            ]
            raw = [r for r in raw if r]
            ratio = kb / max(raw) if kb and raw else None
            add(
                f"load {mode}: ≥ {TARGETS['load_ratio']}× raw pyoxigraph's best throughput",
                TARGETS["load_ratio"],
                ratio,
                None if ratio is None else ratio >= TARGETS["load_ratio"],
                big,
                note,
            )
        peak = _get(sizes[big], "hlsgraph_memory", "peak_rss_after_mb", "load")
        add(
            "peak memory at the largest size, hlsgraph in memory after load (MB; reported, no goal)",
            None,
            peak,
            None,
            big,
            note,
        )
    # kb.select at a 10^4-row result: the smallest size whose result reached 10^4 rows.
    for name in sorted(sizes, key=_size_from_name):
        rows = _get(sizes[name], "hlsgraph_memory", "select", "rows")
        if rows == SELECT_ROWS:
            kb = _get(sizes[name], "hlsgraph_memory", "select", "median")
            raw = _get(sizes[name], "pyoxigraph_memory", "select_tuples", "median")
            ratio = kb / raw if kb and raw else None
            add(
                f"kb.select ≤ {TARGETS['select_ratio']}× raw pyoxigraph tuples at 10^4 rows",
                TARGETS["select_ratio"],
                ratio,
                None if ratio is None else ratio <= TARGETS["select_ratio"],
                name,
            )
            break
    else:
        add(
            f"kb.select ≤ {TARGETS['select_ratio']}× raw pyoxigraph tuples at 10^4 rows",
            TARGETS["select_ratio"],
            None,
            None,
            "-",
            "no size gave a 10^4-row result",
        )
    imports = results.get("import", {})
    for phase, what in (("strict_import", "CSV"), ("strict_import_xlsx", "XLSX")) if imports else ():
        biggest = max(imports, key=_size_from_name)
        rate = _get(imports[biggest], phase, "import", "rows_per_s")
        full = _size_from_name(biggest) >= TARGET_ROWS
        add(
            f"strict import ≥ {TARGETS['import_rows_per_s']:,} rows/s at 100k rows ({what})",
            TARGETS["import_rows_per_s"],
            rate,
            None if rate is None else rate >= TARGETS["import_rows_per_s"],
            f"{biggest} rows",
            ""
            if full
            else f"largest sheet run is {biggest} rows"
            if rate
            else _why_missing(_get(imports[biggest], phase)),
        )
    median_open = _get(results, "open_base", "open", "median")
    add(
        f"open the bundled base in memory < {TARGETS['open_base_s']} s (median)",
        TARGETS["open_base_s"],
        median_open,
        None if median_open is None else median_open < TARGETS["open_base_s"],
        "base",
    )
    publish_targets(results, add)
    return targets


def _why_missing(entry) -> str:
    if not isinstance(entry, dict):
        return "not measured"
    for key in ("not_measured", "stopped", "skipped", "failed", "error"):
        if key in entry:
            return f"{key.replace('_', ' ')}: {entry[key]}"
    return ""


def _size_from_name(name: str) -> int:
    return int(float(name))


def _fmt_s(v) -> str:
    if v is None:
        return "–"
    if v < 0.001:
        return f"{v * 1e6:.0f} µs"
    if v < 1:
        return f"{v * 1000:.1f} ms"
    return f"{v:.2f} s"


def _fmt_n(v) -> str:
    return "–" if v is None else f"{v:,.0f}"


def _fmt_r(v) -> str:
    return "–" if v is None else f"{v:.2f}×"


def _cell(entry) -> str:
    """A timing cell: median (min–max), or why there is none."""
    if not isinstance(entry, dict):
        return "–"
    if "median" in entry:
        return f"{_fmt_s(entry['median'])} ({_fmt_s(entry['min'])}–{_fmt_s(entry['max'])})"
    why = _why_missing(entry)
    return why.replace("|", "/")[:80] if why else "–"


def _ratio(med: dict, a: str, b: str) -> str:
    return _fmt_r(med[a] / med[b]) if med[a] and med[b] else "–"


def _md_header(results: dict) -> list[str]:
    """The title, the machine and the settings."""
    m = results["machine"]
    lines = [f"# hlsgraph benchmark, {results['date']}", ""]
    lines.append(
        f"Machine: {m.get('cpu', '?')}, {m.get('cores')} cores, {m.get('memory_gb')} GB; "
        f"Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + f"; commit {m.get('commit')}; load average at start "
        + ", ".join(f"{x:.2f}" for x in m.get("load_average_at_start", []))
        + "."
    )
    st = results["settings"]
    lines.append(
        f"Settings: {st['warmup_runs']} untimed warm-up run then up to {st['repeats']} timed runs "
        f"per inquiry (fewer once one has taken {st['inquiry_budget']:.0f} s); a run stopped "
        f"after {st['query_limit']:.0f} s (hlsgraph, pyoxigraph) or {st['rdflib_limit']:.0f} s "
        f"(rdflib); seed {st['seed']}" + (" (smoke run)" if results["settings"]["smoke"] else "") + "."
    )
    return lines


def _md_targets(results: dict) -> list[str]:
    lines: list[str] = []
    lines += ["", "## Targets", ""]
    for mode in ("on disk", "in memory"):
        rows = [
            t for t in results["targets"] if t["target"].startswith("inquiry ") and f" {mode}:" in t["target"]
        ]
        if rows:
            lines.append(
                f"Inquiries {mode} at {rows[0]['where']} triples: {sum(t['met'] is True for t in rows)} "
                f"of {len(rows)} meet the target, {sum(t['met'] is False for t in rows)} do not, "
                f"{sum(t['met'] is None for t in rows)} not measured."
            )
    lines += ["", "| target | measured | met | at | note |", "| --- | --- | --- | --- | --- |"]
    for t in results["targets"]:
        value = t["value"]
        if value is None and t["met"] is False:
            shown = "over the query limit"
        elif value is None:
            shown = "not measured"
        elif "s (median)" in t["target"] or "median <" in t["target"]:
            shown = _fmt_s(value)
        elif "×" in t["target"]:
            shown = _fmt_r(value)
        else:
            shown = _fmt_n(value)
        met = "–" if t["met"] is None else ("met" if t["met"] else "**not met**")
        lines.append(f"| {t['target']} | {shown} | {met} | {t['where']} | {t['note']} |")
    return lines


def _md_open_base(results: dict) -> list[str]:
    lines: list[str] = []
    o = results.get("open_base", {})
    lines += [
        "",
        "## Opening the bundled base in memory",
        "",
        f"`import hlsgraph.kb`: {_fmt_s(o.get('import_s'))}; `hlsgraph.open()`: first "
        f"{_fmt_s(o.get('first_open_s'))}, median {_cell(o.get('open'))}; "
        f"{_fmt_n(o.get('triples'))} triples; peak RSS {o.get('peak_rss_mb')} MB."
        + (f" Error: {o['error']}" if "error" in o else ""),
    ]
    return lines


def _md_loading(s: dict) -> list[str]:
    lines: list[str] = []
    lines += [
        "### Loading the generated N-Triples",
        "",
        "| engine | seconds | triples/s | vs best raw pyoxigraph | peak RSS (MB) |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows = [
        (
            "hlsgraph in memory (`kb.load`)",
            _get(s, "hlsgraph_memory", "load"),
            _get(s, "hlsgraph_memory", "peak_rss_after_mb", "load"),
            "memory",
        ),
        (
            "hlsgraph on disk (`kb.load`)",
            _get(s, "hlsgraph_disk_build", "load"),
            _get(s, "hlsgraph_disk_build", "peak_rss_mb"),
            "disk",
        ),
        (
            "pyoxigraph in memory `Store.load`",
            _get(s, "pyoxigraph_memory", "load"),
            _get(s, "pyoxigraph_memory", "peak_rss_after_mb", "load"),
            "memory",
        ),
        (
            "pyoxigraph in memory `Store.bulk_load`",
            _get(s, "pyoxigraph_memory", "bulk_load"),
            _get(s, "pyoxigraph_memory", "peak_rss_after_mb", "bulk_load"),
            "memory",
        ),
        (
            "pyoxigraph on disk `Store.load`",
            _get(s, "pyoxigraph_disk_build", "load"),
            _get(s, "pyoxigraph_disk_build", "peak_rss_after_mb", "load"),
            "disk",
        ),
        (
            "pyoxigraph on disk `Store.bulk_load`",
            _get(s, "pyoxigraph_disk_build", "bulk_load"),
            _get(s, "pyoxigraph_disk_build", "peak_rss_after_mb", "bulk_load"),
            "disk",
        ),
        (
            "rdflib `Graph.parse`",
            _get(s, "rdflib_memory", "load"),
            _get(s, "rdflib_memory", "peak_rss_after_mb", "load"),
            "memory",
        ),
    ]
    best = {}
    for mode, key in (("memory", "pyoxigraph_memory"), ("disk", "pyoxigraph_disk_build")):
        rates = [_get(s, key, m, "triples_per_s") for m in ("load", "bulk_load")]
        rates = [r for r in rates if r]
        best[mode] = max(rates) if rates else None
    for label, entry, peak, mode in rows:
        tps = _get(entry, "triples_per_s")
        ratio = tps / best[mode] if tps and best[mode] else None
        lines.append(
            f"| {label} | {_fmt_s(_get(entry, 'seconds'))} | {_fmt_n(tps)} | {_fmt_r(ratio)} | "
            f"{peak if peak is not None else '–'} |"
        )
    hm = s.get("hlsgraph_memory", {})
    lines.append("")
    lines.append(
        f"hlsgraph in memory: `open()` {_fmt_s(hm.get('open_s'))} before the load; store "
        f"{_fmt_n(_get(hm, 'load', 'store_triples_after'))} triples after it. On disk: first "
        f"open {_fmt_s(_get(s, 'hlsgraph_disk_build', 'first_open_s'))}, reopen "
        f"{_fmt_s(_get(s, 'hlsgraph_disk', 'reopen_s'))}."
    )
    return lines


def _md_inquiry_row(s: dict, inq: str) -> str:
    cells = {
        k: _get(s, k, "inquiries", inq)
        for k in (
            "hlsgraph_memory",
            "pyoxigraph_memory",
            "hlsgraph_disk",
            "pyoxigraph_disk",
            "rdflib_memory",
        )
    }
    med = {k: _get(v, "median") for k, v in cells.items()}
    rows_seen = {k: _get(v, "rows") for k, v in cells.items() if _get(v, "rows") is not None}
    row_text = _fmt_n(rows_seen.get("hlsgraph_memory"))
    if len(set(rows_seen.values())) > 1:
        row_text += (
            " (differ: "
            + ", ".join(f"{k.split('_')[0]} {k.split('_')[1]} {v}" for k, v in rows_seen.items())
            + ")"
        )

    return (
        f"| {inq} | {row_text} | {_cell(cells['hlsgraph_memory'])} | {_cell(cells['pyoxigraph_memory'])} | "
        f"{_ratio(med, 'hlsgraph_memory', 'pyoxigraph_memory')} | {_cell(cells['hlsgraph_disk'])} | "
        f"{_cell(cells['pyoxigraph_disk'])} | {_ratio(med, 'hlsgraph_disk', 'pyoxigraph_disk')} | "
        f"{_cell(cells['rdflib_memory'])} | {_ratio(med, 'rdflib_memory', 'hlsgraph_memory')} |"
    )


def _md_inquiries(s: dict) -> list[str]:
    lines: list[str] = []
    lines += [
        "",
        "### Named inquiries (median, min–max)",
        "",
        "| inquiry | rows | hlsgraph memory | pyoxigraph memory | hlsgraph/raw | hlsgraph disk | "
        "pyoxigraph disk | hlsgraph/raw (disk) | rdflib memory | rdflib/hlsgraph |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_md_inquiry_row(s, inq) for inq in sorted(s.get("plans", {}))]
    return lines


def _md_select(s: dict) -> list[str]:
    lines: list[str] = []
    sel = _get(s, "hlsgraph_memory", "select")
    raw = _get(s, "pyoxigraph_memory", "select_tuples")
    csvp = _get(s, "pyoxigraph_memory", "select_csv_pandas")
    sel_ratio = (
        _fmt_r(sel["median"] / raw["median"]) if sel and raw and "median" in sel and "median" in raw else "–"
    )
    lines += [
        "",
        "### kb.select (typed DataFrame) vs raw pyoxigraph",
        "",
        f"{_fmt_n(_get(sel, 'rows'))} rows: `kb.select` {_cell(sel)}; raw pyoxigraph rows as tuples "
        f"{_cell(raw)}; ratio {sel_ratio}; pyoxigraph CSV + `pd.read_csv` {_cell(csvp)}.",
    ]
    return lines


def _md_export(s: dict) -> list[str]:
    lines: list[str] = []
    ex = _get(s, "export", "export")
    dump = _get(s, "export", "raw_dump")
    lines += [
        "",
        "### Export",
        "",
        (
            f"`kb.export` (public items, N-Triples): {_fmt_s(ex['seconds'])}, "
            f"{_fmt_n(ex['triples_written'])} triples written of {_fmt_n(ex['store_triples'])} "
            f"({_fmt_n(ex['triples_written_per_s'])} written/s, {_fmt_n(ex['store_triples_per_s'])} "
            f"store triples/s); raw `Store.dump` of everything "
            f"{_fmt_s(_get(dump, 'seconds'))} ({_fmt_n(_get(dump, 'quads_per_s'))} quads/s); "
            f"peak RSS {_get(s, 'export', 'peak_rss_mb')} MB."
        )
        if ex
        else f"not measured: {_get(s, 'export', 'error')}",
    ]
    return lines


def _md_memory(s: dict) -> list[str]:
    lines: list[str] = []
    lines += [
        "",
        "### Peak memory (RSS, MB, each phase its own process)",
        "",
        "| phase | peak RSS | at start |",
        "| --- | --- | --- |",
    ]
    for key in (
        "hlsgraph_memory",
        "hlsgraph_disk_build",
        "hlsgraph_disk",
        "pyoxigraph_memory",
        "pyoxigraph_disk_build",
        "pyoxigraph_disk",
        "rdflib_memory",
        "export",
    ):
        if key in s:
            lines.append(
                f"| {key.replace('_', ' ')} | {s[key].get('peak_rss_mb', '–')} | "
                f"{s[key].get('rss_start_mb', '–')} |"
            )
    return lines


def _md_size(name: str, s: dict) -> list[str]:
    """One size's sections: loading, inquiries, select, export, memory."""
    lines: list[str] = []
    g = s["generated"]
    lines += [
        "",
        f"## {name} triples ({_fmt_n(g['triples'])} generated: {_fmt_n(g['stories'])} "
        f"stories, {_fmt_n(g['blocks'])} case studies, {_fmt_n(g['places'])} places, "
        f"{_fmt_n(g['organisations'])} organisations)",
        "",
    ]
    if s.get("incomplete") or s.get("note"):
        lines += [
            s.get("note")
            or "This size was not finished: a phase with no figures was not "
            "reached before the run was stopped.",
            "",
        ]
    for section in (_md_loading, _md_inquiries, _md_select, _md_export, _md_memory):
        lines += section(s)
    return lines


def _md_import(results: dict) -> list[str]:
    lines: list[str] = []
    lines += [
        "",
        "## Stories spreadsheet import (strict mode, with validation)",
        "",
        "| rows | import | rows/s | rows loaded | problems | peak RSS (MB) | equivalent N-Triples `kb.load` "
        "| rows/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in sorted(results["import"], key=_size_from_name):
        r = results["import"][name]
        imp = _get(r, "strict_import", "import")
        nt = _get(r, "load_equivalent_nt", "load")
        if imp:
            lines.append(
                f"| {name} | {_fmt_s(imp['seconds'])} | {_fmt_n(imp['rows_per_s'])} | "
                f"{imp.get('rows_loaded')} | {imp.get('problems', 0)} | "
                f"{_get(r, 'strict_import', 'peak_rss_mb')} | {_fmt_s(_get(nt, 'seconds'))} | "
                f"{_fmt_n(_get(nt, 'rows_per_s'))} |"
            )
        else:
            lines.append(
                f"| {name} | not measured: {_get(r, 'strict_import', 'error')} | | | | | "
                f"{_fmt_s(_get(nt, 'seconds'))} | {_fmt_n(_get(nt, 'rows_per_s'))} |"
            )
    for name in sorted(results["import"], key=_size_from_name):
        phases = _get(results["import"][name], "strict_import", "import", "phases_s")
        if phases:
            lines.append("")
            lines.append(
                f"Where the import of {name} rows spends its time: "
                + ", ".join(f"{k} {_fmt_s(v)}" for k, v in phases.items())
                + f"; {_fmt_n(_get(results['import'][name], 'strict_import', 'import', 'triples_added'))}"
                " triples added to the store (inferred ones included)."
            )
    lines += import_xlsx.markdown(results["import"], _fmt_s, _fmt_n)
    return lines


def markdown(results: dict) -> str:
    """The results as markdown tables."""
    lines = _md_header(results) + _md_targets(results) + _md_open_base(results)
    for name in sorted(results["sizes"], key=_size_from_name):
        lines += _md_size(name, results["sizes"][name])
    if results.get("import"):
        lines += _md_import(results)
    lines += scale.markdown(results)
    if results.get("errors"):
        lines += ["", "## Errors", ""] + [f"- {e}" for e in results["errors"]]
    return "\n".join(lines) + "\n"


def collect_errors(results: dict) -> list[str]:
    """Every phase or inquiry that failed (not those skipped on purpose), as text."""
    errors = []

    def walk(node, where):
        if isinstance(node, dict):
            if "error" in node and isinstance(node["error"], str):
                errors.append(f"{where}: {node['error']}")
            for k, v in node.items():
                if k not in ("error", "traceback"):
                    walk(v, f"{where}/{k}" if where else k)

    walk({k: v for k, v in results.items() if k not in ("targets", "errors")}, "")
    return errors


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker_main(argv[1], argv[2])
    if argv[:1] == ["giving360"]:  # the 360Giving phase, benchmarks/giving360.py
        import giving360

        return giving360.main(argv[1:])
    if argv[:1] == ["--report"]:
        # Re-write the markdown (and the targets) of an existing results file.
        if len(argv) != 2:
            sys.stderr.write("usage: run.py --report RESULTS.json\n")
            return 2
        path = Path(argv[1])
        results = json.loads(path.read_text())
        _write(results, path.parent, path.stem)
        return 1 if results["errors"] else 0
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        sizes = generate.parse_sizes(args.sizes or ("1e4" if args.smoke else "1e4,1e5,1e6"))
        rows = generate.parse_sizes(args.rows or ("2000" if args.smoke else "1e4,1e5"))
    except ValueError as err:
        parser.error(str(err))
    _apply_defaults(args, parser)
    args.data = args.data.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    today = dt.date.today().isoformat()
    stem = f"{today}-smoke" if args.smoke else today
    results = _new_results(args, today, sizes, rows)
    if args.resume:
        stem = _resume(results, args, sizes, rows)
    workdir = Path(tempfile.mkdtemp(prefix="work-", dir=_ensure(args.data)))
    try:
        _run_phases(results, args, workdir, stem, sizes, rows)
    except (OSError, ValueError, ImportError) as err:
        results["errors"] = [f"the benchmark could not run: {type(err).__name__}: {err}"]
        _write(results, args.out, stem)
        _log(results["errors"][0])
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    paths = _write(results, args.out, stem)
    _log(f"wrote {paths[0]} and {paths[1]}")
    return 1 if results["errors"] else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=None, help="graph sizes in triples (default 1e4,1e5,1e6)")
    parser.add_argument("--rows", default=None, help="stories spreadsheet sizes (default 1e4,1e5)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="smallest graph, a 2,000-row sheet, one run each, rdflib stopped after 3 s a query: for CI",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where the results go")
    parser.add_argument(
        "--data",
        type=Path,
        default=generate.DEFAULT_DATA_DIR,
        help="where generated graphs and sheets are kept (git-ignored)",
    )
    parser.add_argument("--repeats", type=int, default=None, help="runs per inquiry (default 5)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--no-rdflib", dest="rdflib", action="store_false", help="skip rdflib")
    parser.add_argument(
        "--rdflib-limit",
        type=float,
        default=RDFLIB_QUERY_LIMIT,
        help="seconds after which one rdflib query is stopped",
    )
    parser.add_argument(
        "--query-limit",
        type=float,
        default=None,
        help="seconds after which one hlsgraph or pyoxigraph inquiry run is stopped "
        "(default 120; 5 in a smoke run)",
    )
    parser.add_argument(
        "--inquiry-budget",
        type=float,
        default=None,
        help="seconds of repeats per inquiry before fewer repeats are taken (default 30; 5 in a smoke run)",
    )
    parser.add_argument(
        "--resume",
        type=Path,
        default=None,
        help="a results file of an interrupted run: keep its finished sizes and "
        "sheets (and its date) and run the rest",
    )
    parser.add_argument("--phase-timeout", type=float, default=3600, help="seconds per phase")
    parser.add_argument(
        "--rdflib-timeout", type=float, default=5400, help="seconds for the whole rdflib phase of one size"
    )
    scale.add_arguments(parser)
    return parser


def _apply_defaults(args, parser) -> None:
    """The settings a smoke run and a full run differ in, where not given."""
    if args.repeats is None:
        args.repeats = 1 if args.smoke else 5
    args.warmup = 0 if args.smoke else 1
    if args.query_limit is None:
        args.query_limit = SMOKE_QUERY_LIMIT if args.smoke else QUERY_LIMIT
    if args.inquiry_budget is None:
        args.inquiry_budget = 5.0 if args.smoke else 30.0
    if args.smoke and args.rdflib_limit == RDFLIB_QUERY_LIMIT:
        args.rdflib_limit = SMOKE_RDFLIB_LIMIT
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")


def _new_results(args, today: str, sizes: list, rows: list) -> dict:
    return {
        "date": today,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "settings": {
            "sizes": sizes,
            "rows": rows,
            "repeats": args.repeats,
            "warmup_runs": args.warmup,
            "seed": args.seed,
            "rdflib_limit": args.rdflib_limit,
            "query_limit": args.query_limit,
            "inquiry_budget": args.inquiry_budget,
            "smoke": args.smoke,
            "rdflib": args.rdflib,
        },
        "sizes": {},
        "import": {},
    }


def _resume(results: dict, args, sizes: list, rows: list) -> str:
    """Keep the finished sizes and sheets (and the date) of the run resumed; the new stem."""
    earlier = json.loads(args.resume.read_text())
    results["sizes"] = {k: v for k, v in earlier.get("sizes", {}).items() if _size_from_name(k) in sizes}
    results["import"] = {k: v for k, v in earlier.get("import", {}).items() if _size_from_name(k) in rows}
    results["resumed_from"] = earlier.get("started")
    for key in ("date", "started", "open_base"):
        if key in earlier:
            results[key] = earlier[key]
    return results["date"] + ("-smoke" if args.smoke else "")


def _run_phases(results: dict, args, workdir: Path, stem: str, sizes: list, rows: list) -> None:
    vocab = generate.read_vocabulary()
    if "open_base" not in results:
        results["open_base"] = run_worker(
            "open_base", {"repeats": max(args.repeats, 3), "tag": "base"}, workdir, args.phase_timeout
        )
    # The spreadsheets first: they are quick, and the 10^6 graph last, as it takes longest.
    for n in rows:
        if generate.size_name(n) in results["import"]:
            continue  # kept from the results resumed
        results["import"][generate.size_name(n)] = bench_import(n, args, vocab, workdir)
        _write(results, args.out, stem)
    for size in sorted(sizes):
        name = generate.size_name(size)
        partial = results["sizes"].get(name)
        if partial is not None and not partial.get("incomplete"):
            continue  # finished in the run resumed

        def save(out, name=name):
            results["sizes"][name] = {**out, "incomplete": True}
            _write(results, args.out, stem)

        earlier = {k: v for k, v in results["sizes"].items() if _size_from_name(k) < size}
        results["sizes"][name] = bench_size(size, args, vocab, workdir, earlier, partial, save)
        _write(results, args.out, stem)
    scale.run(results, args, vocab, workdir, lambda: _write(results, args.out, stem))


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(results: dict, out: Path, stem: str) -> tuple[Path, Path]:
    results["targets"] = evaluate_targets(results)
    results["errors"] = collect_errors(results)
    json_path, md_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(results, indent=1, default=str))
    md_path.write_text(markdown(results))
    return json_path, md_path


if __name__ == "__main__":
    sys.exit(main())
