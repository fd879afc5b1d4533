"""The 360Giving phase of the benchmark: importing generated grants packages and answering
``grants-by-place`` on them, against the targets of issue 13.

    python benchmarks/run.py giving360 [--json 1e5] [--xlsx 1e5] [--disk 1e6] [--smoke] [--out DIR]

measures, each in a fresh subprocess so its peak memory (VmHWM) is its own:

- importing a JSON package of ``--json`` grants into memory (target: 10,000 grants/s or more);
- importing the XLSX form of ``--xlsx`` grants into memory (target: at least half that);
- importing a ``--disk``-grant package into an on-disk store: time and peak memory;
- ``grants-by-place`` on that store, reopened (target: under 1 s), median of five runs.

Writes ``<out>/<date>-giving360.json`` and ``.md`` (``-smoke`` with ``--smoke``, which runs 1,000
grants of each). Generated grants look like the published ones: 2,000 recipients, 20 funders,
beneficiary places drawn from local authority and region codes, one grant in twenty to an
individual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TARGETS = {"json_grants_per_s": 10_000, "xlsx_grants_per_s": 5_000, "grants_by_place_disk_s": 1.0}
_PLACES = [f"E0{k}{i:06d}" for k in (6, 7, 8, 9) for i in range(1, 40)] + [
    f"E1200000{i}" for i in range(1, 10)
]
_PROGRAMMES = ["Arts", "Music", "Communities", "Health", "Justice", "Young people"]


def grant(i: int, rng: random.Random) -> dict:
    """One generated grant, valid against the 360Giving schema."""
    year = 2013 + i % 10
    made = {
        "id": f"360G-BENCH-{i}",
        "title": f"Grant {i} to a charity",
        "description": "Core costs for work with people in the area, over three years.",
        "currency": "GBP",
        "amountAwarded": rng.randrange(500, 250_000),
        "awardDate": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "plannedDates": [{"duration": rng.choice((12, 24, 36))}],
        "fundingOrganization": [{"id": f"GB-CHC-9{i % 20:05d}", "name": f"Funder {i % 20}"}],
        "grantProgramme": [{"code": f"P{i % 6}", "title": _PROGRAMMES[i % 6]}],
        "beneficiaryLocation": [{"name": "Area", "geoCode": rng.choice(_PLACES), "countryCode": "GB"}],
        "dataSource": "https://example.org/grants",
    }
    if i % 20 == 0:
        made["recipientIndividual"] = {"id": f"360G-BENCH-P{i}", "name": "Individual Recipient"}
        made["toIndividualsDetails"] = {"primaryGrantReason": "GTIR010", "grantPurpose": ["GTIP010"]}
    else:
        org = rng.randrange(2000)
        made["recipientOrganization"] = [
            {"id": f"GB-CHC-{100000 + org}", "name": f"Charity {org}", "postalCode": "NE8 1HH"}
        ]
    return made


def write_json(n: int, path: Path, seed: int = 360) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"grants": [\n')
        for i in range(n):
            out.write(("," if i else "") + json.dumps(grant(i, rng)) + "\n")
        out.write("]}\n")
    return path


_COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Beneficiary Location:Geographic Code", ("beneficiaryLocation", 0, "geoCode")),
    ("Data Source", ("dataSource",)),
]


def write_xlsx(n: int, path: Path, seed: int = 360) -> Path:
    """The same grants in the flattened layout (grants to organisations only: the flattened
    layout of individuals' details is not measured)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("grants")
    sheet.append([title for title, _ in _COLUMNS])
    written = 0
    i = 0
    while written < n:
        made = grant(i, rng)
        i += 1
        if "recipientIndividual" in made:
            continue
        row = []
        for _, steps in _COLUMNS:
            value = made
            for step in steps:
                value = value[step]
            row.append(value)
        sheet.append(row)
        written += 1
    book.save(path)
    return path


def _peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def worker(phase: str, path: str, store: str | None) -> dict:
    import hlsgraph

    if phase == "query":
        kb = hlsgraph.open(store)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            frame = kb.inquire("grants-by-place")
            times.append(time.perf_counter() - t0)
        kb.close()
        return {"median_s": statistics.median(times), "rows": len(frame), "peak_mb": _peak_mb()}
    kb = hlsgraph.open(store) if store else hlsgraph.open()
    t0 = time.perf_counter()
    report = kb.import_360giving(path, progress=False)
    took = time.perf_counter() - t0
    assert report.ok, report.problems_text(5)
    kb.close()
    return {
        "grants": report.grants_loaded,
        "seconds": took,
        "grants_per_s": report.grants_loaded / took,
        "phases_s": {k: round(v, 3) for k, v in report.timings.items()},
        "peak_mb": _peak_mb(),
    }


def _run(phase: str, path: Path, store: Path | None = None) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", phase, str(path), str(store or "")],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        print(json.dumps(worker(argv[1], argv[2], argv[3] or None)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=float, default=1e5, help="grants in the JSON package (default 1e5)")
    parser.add_argument("--xlsx", type=float, default=1e5, help="grants in the XLSX file (default 1e5)")
    parser.add_argument("--disk", type=float, default=1e6, help="grants imported on disk (default 1e6)")
    parser.add_argument("--smoke", action="store_true", help="1,000 grants of each, for CI")
    parser.add_argument("--out", type=Path, default=ROOT / "results")
    args = parser.parse_args(argv)
    sizes = {key: 1000 if args.smoke else int(getattr(args, key)) for key in ("json", "xlsx", "disk")}
    results: dict = {"date": dt.date.today().isoformat(), "machine": platform.platform(), "sizes": sizes}
    with tempfile.TemporaryDirectory(prefix="hlsgraph-bench-360-") as work:
        work = Path(work)
        results["json_memory"] = _run("import", write_json(sizes["json"], work / "grants.json"))
        results["xlsx_memory"] = _run("import", write_xlsx(sizes["xlsx"], work / "grants.xlsx"))
        big = write_json(sizes["disk"], work / "big.json")
        results["json_disk"] = _run("import", big, work / "store")
        results["grants_by_place_disk"] = _run("query", big, work / "store")
    figures = {
        "json_grants_per_s": results["json_memory"].get("grants_per_s"),
        "xlsx_grants_per_s": results["xlsx_memory"].get("grants_per_s"),
        "grants_by_place_disk_s": results["grants_by_place_disk"].get("median_s"),
    }
    results["targets"] = {
        name: {
            "target": target,
            "measured": figures[name],
            "met": None
            if figures[name] is None
            else (figures[name] < target if name == "grants_by_place_disk_s" else figures[name] >= target),
        }
        for name, target in TARGETS.items()
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{results['date']}-giving360" + ("-smoke" if args.smoke else "")
    (args.out / f"{stem}.json").write_text(json.dumps(results, indent=2))
    lines = [
        f"# 360Giving benchmark, {results['date']}",
        "",
        f"Machine: {results['machine']}; sizes {sizes}",
        "",
    ]
    lines += ["| figure | target | measured | met |", "| --- | --- | --- | --- |"]
    for name, row in results["targets"].items():
        measured = "error" if row["measured"] is None else f"{row['measured']:,.2f}"
        lines.append(f"| {name} | {row['target']:,} | {measured} | {row['met']} |")
    disk = results["json_disk"]
    lines += [
        "",
        f"On-disk import of {sizes['disk']:,} grants: {disk.get('seconds', 0):,.1f} s, "
        f"peak memory {disk.get('peak_mb')} MB.",
    ]
    (args.out / f"{stem}.md").write_text("\n".join(lines) + "\n")
    errors = [k for k, v in results.items() if isinstance(v, dict) and "error" in v]
    for key in errors:
        sys.stderr.write(f"{key}: {results[key]['error']}\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
