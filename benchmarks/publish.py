"""Benchmark of publishing (issue 12): ``kb.publish`` of a generated evidence graph, and a SELECT
through the served endpoint (``hlsgraph serve``: Werkzeug in front of a real Oxigraph server)
against the same query on an embedded store of the same published data.

The targets: publishing the 10^6-triple graph in under 60 s, with the 10^6 time at most 12 times
the 10^5 time (cost linear in the data); the served SELECT within 1.5 times the embedded one at
10^5.

Run on its own::

    python benchmarks/publish.py [--sizes 1e4,1e5,1e6] [--repeats 5] [--out FILE]

or as the ``publish`` phase of ``benchmarks/run.py`` (one worker per size, its figures in the
size's ``publish`` entry and the targets in the results table).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # run as a script: generate.py sits beside this file

import generate  # noqa: E402

PUBLISH_LIMIT_S = 60.0
LINEAR_RATIO = 12.0
SERVED_RATIO = 1.5
SERVED_QUERY = """PREFIX hls: <https://w3id.org/hls/> PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?item ?kind ?title ?place WHERE {
  ?item a ?kind ; dcterms:title ?title .
  OPTIONAL { ?item hls:place ?place }
} LIMIT 5000
"""
EXAMPLE = {
    "base": "https://data.example.org/bench/",
    "title": "Benchmark data",
    "publisher": "hlsgraph benchmark",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}


def _median_time(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(nt_path: str, out: Path, repeats: int = 5) -> dict:
    """Publish the graph in ``nt_path`` into ``out``, then time the served and embedded SELECT."""
    import pyoxigraph as ox

    import hlsgraph
    from hlsgraph.publishing.serve import Preview

    kb = hlsgraph.open()
    kb.load(path=nt_path, graph=generate.GRAPH_IRI)
    store_triples = len(kb)
    started, cpu = time.perf_counter(), time.process_time()
    report = kb.publish(out, **EXAMPLE, progress=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = {
        "publish": {
            "seconds": seconds,
            "cpu_seconds": cpu,  # this process's own CPU time: the figure a busy machine distorts least
            "store_triples": store_triples,
            "triples_published": report.triples,
            "pages": report.resources,
            "files": report.files,
            "bytes": report.bytes,
            "store_triples_per_s": store_triples / seconds,
        }
    }
    kb.close()
    del kb

    # The embedded store: the same published data, as the endpoint holds it.
    import gzip

    embedded = ox.Store()
    embedded.bulk_load(
        gzip.decompress((out / "dumps" / "dataset.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES
    )
    # ... and its description, which the endpoint holds too.
    embedded.bulk_load((out / "dataset.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)

    # The same again on disk (RocksDB), as `oxigraph serve-read-only` must keep it: this
    # separates what the storage costs from what the server and the HTTP in front of it cost.
    on_disk_folder = tempfile.mkdtemp(prefix="bench-disk-")
    on_disk = ox.Store(on_disk_folder)
    for dump in (
        gzip.decompress((out / "dumps" / "dataset.nt.gz").read_bytes()),
        (out / "dataset.nt").read_bytes(),
    ):
        on_disk.bulk_load(dump, format=ox.RdfFormat.N_TRIPLES)

    def rows_of(store):
        return [[None if t is None else str(t) for t in row] for row in store.query(SERVED_QUERY)]

    def embedded_select():
        return rows_of(embedded)

    with Preview(out) as preview:
        body = urllib.parse.urlencode({"query": SERVED_QUERY}).encode()

        def served_select():
            request = urllib.request.Request(
                preview.sparql_url, data=body, headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read())["results"]["bindings"]

        served_select()  # warm both up once
        embedded_select()
        served_s, served_rows = _median_time(served_select, repeats)
        embedded_s, embedded_rows = _median_time(embedded_select, repeats)
        rows_of(on_disk)
        disk_s, _ = _median_time(lambda: rows_of(on_disk), repeats)
    on_disk = None  # let RocksDB close before its folder goes
    shutil.rmtree(on_disk_folder, ignore_errors=True)
    figures["served_select"] = {
        "served_median_s": served_s,
        "embedded_median_s": embedded_s,
        "embedded_on_disk_median_s": disk_s,
        "ratio": served_s / embedded_s if embedded_s else None,
        "ratio_to_on_disk": served_s / disk_s if disk_s else None,
        "rows": len(served_rows),
        "embedded_rows": len(embedded_rows),
        "repeats": repeats,
    }
    return figures


def worker_publish(spec: dict, rec) -> None:
    """The ``publish`` phase of ``benchmarks/run.py``."""
    out = Path(spec["out"])
    try:
        rec.data.update(measure(spec["nt"], out, repeats=max(1, int(spec.get("repeats", 3)))))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def publish_targets(results: dict, add) -> None:
    """Add the publishing targets to ``benchmarks/run.py``'s table (``add(name, goal, value,
    met, where, note)``)."""
    sizes = results.get("sizes", {})
    by_size = {int(float(name)): name for name in sizes} if sizes else {}
    big, mid = by_size.get(10**6), by_size.get(10**5)
    t6 = _get(sizes.get(big, {}), "publish", "publish", "seconds")
    t5 = _get(sizes.get(mid, {}), "publish", "publish", "seconds")
    add(
        f"publish 10^6 triples < {PUBLISH_LIMIT_S:.0f} s",
        PUBLISH_LIMIT_S,
        t6,
        None if t6 is None else t6 < PUBLISH_LIMIT_S,
        big or "-",
        "" if t6 else "10^6 not run",
    )
    ratio = t6 / t5 if t6 and t5 else None
    add(
        f"publish cost linear: 10^6 time ≤ {LINEAR_RATIO:.0f}× the 10^5 time",
        LINEAR_RATIO,
        ratio,
        None if ratio is None else ratio <= LINEAR_RATIO,
        "1e5/1e6",
        "" if ratio else "needs 10^5 and 10^6",
    )
    served = _get(sizes.get(mid, {}), "publish", "served_select", "ratio")
    add(
        f"served SELECT ≤ {SERVED_RATIO}× the embedded store at 10^5",
        SERVED_RATIO,
        served,
        None if served is None else served <= SERVED_RATIO,
        mid or "-",
        "" if served else "10^5 not run",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--data", type=Path, default=generate.DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    vocab = generate.read_vocabulary()
    results: dict = {"sizes": {}}
    for size in generate.parse_sizes(args.sizes):
        meta = generate.ensure_graph(args.data, size, args.seed, vocab)
        site = Path(tempfile.mkdtemp(prefix="bench-site-")) / "site"
        try:
            figures = measure(meta["path"], site, repeats=args.repeats)
        finally:
            shutil.rmtree(site.parent, ignore_errors=True)
        results["sizes"][generate.size_name(size)] = {"publish": figures}
        p, s = figures["publish"], figures["served_select"]
        print(
            f"{generate.size_name(size)}: publish {p['seconds']:.2f} s ({p['pages']:,} pages, "
            f"{p['triples_published']:,} triples); served SELECT {s['served_median_s'] * 1000:.1f} ms vs "
            f"embedded {s['embedded_median_s'] * 1000:.1f} ms ({s['ratio']:.2f}x, {s['rows']} rows)"
        )
    targets = []
    publish_targets(
        results,
        lambda *row: targets.append(
            dict(zip(("target", "goal", "value", "met", "where", "note"), row, strict=True))
        ),
    )
    results["targets"] = targets
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
