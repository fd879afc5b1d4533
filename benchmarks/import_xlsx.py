"""The benchmark's XLSX import phase: the stories sheet that ``generate.py`` writes as CSV, saved
as an Excel workbook, imported in strict mode like the CSV; and the same workbook read by
python-calamine (what hlsgraph reads workbooks with) and by openpyxl's read-only mode (what it
read them with before), for the comparison.

``run.py`` registers :func:`worker_import_xlsx` and calls :func:`xlsx_spec` and
:func:`markdown` from its import phase.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

SHEET = "stories"


def ensure_xlsx(csv_path: Path) -> Path:
    """The workbook beside ``csv_path`` with the same cells, written unless it is newer."""
    xlsx_path = csv_path.with_suffix(".xlsx")
    if xlsx_path.exists() and xlsx_path.stat().st_mtime >= csv_path.stat().st_mtime:
        return xlsx_path
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    partial = xlsx_path.with_suffix(".xlsx.tmp")
    workbook.save(partial)
    partial.replace(xlsx_path)
    return xlsx_path


def xlsx_spec(spec: dict) -> dict:
    """The import phase's spec for the workbook of the CSV in ``spec``."""
    return {**spec, "xlsx": str(ensure_xlsx(Path(spec["csv"]))), "tag": spec["tag"] + "-xlsx"}


def _openpyxl_read_s(path: str) -> float:
    """Seconds for openpyxl (read-only, formulas kept) to give every cell of the sheet."""
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=False)
    cells = 0
    for row in workbook[SHEET].iter_rows():
        for cell in row:
            _ = cell.value, cell.data_type
            cells += 1
    workbook.close()
    return time.perf_counter() - t0


def worker_import_xlsx(spec: dict, rec) -> None:
    """kb.import_table of the stories workbook in strict mode, with validation; then the
    workbook read alone by hlsgraph's reader (python-calamine) and by openpyxl."""
    import hlsgraph
    from hlsgraph.importing.readers import read_table

    kb = hlsgraph.open()
    before = len(kb)
    rec.mark("open")
    t0 = time.perf_counter()
    report = kb.import_table(spec["xlsx"], "stories", mode="strict")
    seconds = time.perf_counter() - t0
    rec.data["import"] = {
        "seconds": seconds,
        "rows": spec["rows"],
        "rows_per_s": spec["rows"] / seconds,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "problems": len(report.problems),
        "triples_added": len(kb) - before,
        "phases_s": dict(report.timings),
    }
    kb.close()
    t0 = time.perf_counter()
    read_table(spec["xlsx"], kind="stories")
    rec.data["read_s"] = {
        "python-calamine": time.perf_counter() - t0,
        "openpyxl": _openpyxl_read_s(spec["xlsx"]),
    }
    rec.save()


def markdown(imports: dict, fmt_s, fmt_n) -> list[str]:
    """The XLSX rows of the results: import rate, phases and the two readers' times."""
    lines = []
    for name, result in imports.items():
        found = result.get("strict_import_xlsx", {})
        done = found.get("import")
        if not done:
            lines.append(f"- XLSX, {name} rows: not measured: {found.get('error', 'not run')}")
            continue
        read = found.get("read_s", {})
        lines.append(
            f"- XLSX, {name} rows: import {fmt_s(done['seconds'])} ({fmt_n(done['rows_per_s'])} rows/s, "
            f"{done['rows_loaded']} loaded, {done['problems']} problems); phases "
            + ", ".join(f"{k} {fmt_s(v)}" for k, v in done["phases_s"].items())
            + f"; reading the workbook alone: python-calamine {fmt_s(read.get('python-calamine'))}, "
            f"openpyxl {fmt_s(read.get('openpyxl'))} (load average {found.get('load_average_1min', 0):.2f})."
        )
    return ["", "XLSX (the same sheet saved as a workbook):", "", *lines] if lines else []
