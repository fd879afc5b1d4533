"""The benchmark's scale phase: hlsgraph on disk at sizes past what memory holds (10^7 triples).

For each ``--disk-sizes`` size (none by default; the lead runs ``--disk-sizes 1e7`` on a quiet
machine) the generated graph is loaded into a new on-disk store, timed with the peak memory of the
process after the load, then the store is reopened in a fresh process and every named inquiry is
timed there, each run stopped after the query limit. Registered in run.py; its figures go to the
results' ``scale`` section and a table of their own in the markdown.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

TARGET_INQUIRY_S = 3.0  # issue 15: every inquiry at 10^7 on disk in 3 s or less


def add_arguments(parser) -> None:
    parser.add_argument(
        "--disk-sizes",
        default=None,
        help="graph sizes in triples for the on-disk scale phase (e.g. 1e7; default none)",
    )


def worker_scale_build(spec: dict, rec) -> None:
    """A new on-disk store: the bundled base, then the generated graph loaded and timed."""
    import run as bench

    import hlsgraph

    t_open, kb = bench._timed(hlsgraph.open, spec["store"])
    rec.data["first_open_s"] = t_open
    rec.data["rss_before_load_mb"] = bench._rss_mb("VmRSS")
    t_load, _ = bench._timed(kb.load, path=spec["nt"], graph=spec["graph"])
    rec.data["load"] = {
        "seconds": t_load,
        "triples": spec["triples"],
        "triples_per_s": spec["triples"] / t_load,
        "store_triples_after": len(kb),
        "peak_rss_mb": bench._rss_mb("VmHWM"),
    }
    rec.mark("load")
    t_close, _ = bench._timed(bench._close, kb)
    rec.data["close_s"] = t_close


def worker_scale_query(spec: dict, rec) -> None:
    """The store built before, reopened; every named inquiry timed; the peak memory after."""
    import run as bench

    import hlsgraph

    t_open, kb = bench._timed(hlsgraph.open, spec["store"])
    rec.data["reopen_s"] = t_open
    rec.mark("reopen")
    bench._inquiry_runs(spec, rec, "inquiries", bench._kb_runner(kb))
    rec.data["peak_rss_mb"] = bench._rss_mb("VmHWM")
    bench._close(kb)


WORKERS = {"scale_build": worker_scale_build, "scale_query": worker_scale_query}


def run(results: dict, args, vocab, workdir: Path, save) -> None:
    """Every ``--disk-sizes`` size into ``results["scale"]``; ``save()`` after each phase."""
    import generate
    import run as bench

    sizes = generate.parse_sizes(args.disk_sizes) if args.disk_sizes else []
    scale = results.setdefault("scale", {})
    for size in sorted(sizes):
        tag = generate.size_name(size)
        if tag in scale and not scale[tag].get("incomplete"):
            continue
        bench._log(f"scale {size} on disk")
        meta = generate.ensure_graph(args.data, size, args.seed, vocab)
        plans = bench.plan_inquiries(vocab, meta["sample"])
        stores = Path(tempfile.mkdtemp(prefix=f"scale-{tag}-", dir=workdir))
        out = scale[tag] = {"generated": {"triples": meta["triples"]}, "incomplete": True}
        spec = {
            "nt": meta["path"],
            "triples": meta["triples"],
            "graph": generate.GRAPH_IRI,
            "store": str(stores / "hlsgraph"),
            "tag": f"scale-{tag}",
            "plans": plans,
            "repeats": args.repeats,
            "warmup": args.warmup,
            "inquiry_budget": args.inquiry_budget,
        }
        try:
            out["build"] = bench.run_worker("scale_build", spec, workdir, args.phase_timeout)
            save()
            if "error" not in out["build"]:
                out["query"] = bench.run_worker(
                    "scale_query", spec, workdir, args.phase_timeout, args.query_limit
                )
        finally:
            shutil.rmtree(stores, ignore_errors=True)
        out.pop("incomplete")
        save()


def markdown(results: dict) -> list[str]:
    """The scale section of the report (nothing when the phase did not run)."""
    import run as bench

    scale = results.get("scale") or {}
    lines: list[str] = []
    for tag in sorted(scale, key=bench._size_from_name):
        s = scale[tag]
        build, query = s.get("build", {}), s.get("query", {})
        load = build.get("load", {})
        lines += [
            "",
            f"## {tag} triples on disk (scale phase)",
            "",
            f"Load of {bench._fmt_n(_number(s, 'generated', 'triples'))} triples: "
            f"{bench._fmt_s(load.get('seconds'))} ({bench._fmt_n(load.get('triples_per_s'))} triples/s, "
            f"inferences included; {bench._fmt_n(load.get('store_triples_after'))} triples after it), "
            f"peak memory {bench._fmt_n(load.get('peak_rss_mb'))} MB; reopen "
            f"{bench._fmt_s(query.get('reopen_s'))}; peak memory while inquiring "
            f"{bench._fmt_n(query.get('peak_rss_mb'))} MB."
            + (f" Error: {build['error']}" if "error" in build else "")
            + (f" Error: {query['error']}" if "error" in query else ""),
            "",
            f"| inquiry | rows | hlsgraph disk | ≤ {TARGET_INQUIRY_S:g} s |",
            "| --- | --- | --- | --- |",
        ]
        for name, cell in sorted((query.get("inquiries") or {}).items()):
            median = cell.get("median")
            met = "–" if median is None else ("met" if median <= TARGET_INQUIRY_S else "not met")
            lines.append(f"| {name} | {bench._fmt_n(cell.get('rows'))} | {bench._cell(cell)} | {met} |")
    return lines


def _number(data: dict, *keys):
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
