"""``hlsgraph import`` (a spreadsheet of evidence into a store) and ``hlsgraph template`` (a
blank spreadsheet to fill in)."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from . import EXIT_ERROR, EXIT_NO_RESULT, EXIT_OK

GRANTS_KIND = "360giving"


def register(subparsers) -> None:
    from ..importing.templates import KINDS

    kinds = ", ".join([*KINDS, GRANTS_KIND])
    importer = subparsers.add_parser(
        "import",
        help="import a CSV or XLSX sheet of stories, measures, ..., or a 360Giving grants file",
        description=(
            "Check a spreadsheet laid out as one of the templates (docs/templates.md), or a "
            "360Giving file (--kind 360giving: JSON, or its XLSX or CSV form; docs/360giving.md), "
            "and load it into the store, each file into a named graph of its own (replaced as a "
            "unit on re-import). Exit code 0 when everything loaded, 1 when rows or grants were "
            "rejected (the problems are printed), 2 on an error."
        ),
    )
    importer.add_argument("path", metavar="PATH", help="the .csv, .xlsx (or, for 360giving, .json) file")
    importer.add_argument("--kind", required=True, metavar="KIND", help=f"one of: {kinds}")
    importer.add_argument(
        "--quarantine",
        action="store_true",
        help="load the good rows and write the bad ones to <name>.problems.csv, or for 360giving "
        "load the valid grants and list the others (default: strict, any problem and nothing is "
        "loaded)",
    )
    importer.add_argument(
        "--store",
        metavar="PATH|URL",
        help="the on-disk store or SPARQL endpoint to import into (default: a store in memory, "
        "which only checks the file)",
    )
    importer.add_argument("--sheet", help="the workbook sheet to read (default: the kind's)")
    importer.add_argument("--encoding", help="the CSV file's encoding when it is not UTF-8")
    importer.set_defaults(handler=run_import)

    template = subparsers.add_parser(
        "template",
        help="write a blank spreadsheet template of one kind (or all of them)",
        description=(
            "Write a blank template: PATH ending in .csv gives the CSV with its companion "
            "<name>.columns.csv describing every column; .xlsx gives a workbook whose second "
            "sheet describes them. KIND 'all' writes every kind's CSV and XLSX into the "
            "directory PATH."
        ),
    )
    template.add_argument("kind", metavar="KIND", help=f"one of: {kinds}, or all")
    template.add_argument("path", metavar="PATH", help="the file (or, for all, the directory)")
    template.set_defaults(handler=run_template)


def _table(report, width: int | None = None) -> str:
    """The problems as an aligned text table fitted to the terminal: row, column and value cut
    to fit (marked "…"), what was expected wrapped under its own column, never cut."""
    import pandas as pd

    from ..tables import fit
    from . import in_cli_terms

    width = width or shutil.get_terminal_size((100, 24)).columns
    rows = [("row", "column", "value", "expected")]
    for _, _sheet, row, column, value, expected in report.problems.itertuples(index=False):
        rows.append(
            (
                "" if pd.isna(row) else str(row),
                "" if pd.isna(column) else str(column),
                "" if pd.isna(value) or value == "" else repr(str(value)),
                in_cli_terms(str(expected)),
            )
        )
    widths = [min(max(len(r[i]) for r in rows), limit) for i, limit in enumerate((6, 18, 20))]
    indent = sum(widths) + 2 * 3
    room = max(width - indent, 30)
    lines = []
    for r in rows:
        cells = "  ".join(fit(r[i], widths[i]).ljust(widths[i]) for i in range(3))
        wrapped = textwrap.wrap(r[3], room, break_long_words=False) or [""]
        lines.append(f"{cells}  {wrapped[0]}".rstrip())
        lines.extend(" " * indent + more for more in wrapped[1:])
    return "\n".join(lines)


def run_grants_import(args: argparse.Namespace, kb) -> int:
    report = kb.import_360giving(args.path, mode="quarantine" if args.quarantine else "strict")
    print(report.summary())
    if not report.ok:
        print(report.problems_text(limit=50))
        return EXIT_NO_RESULT
    if not args.store:
        print("(checked only: no --store was given, so nothing was kept)")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    import hlsgraph

    from ..errors import ImportProblemsError

    kb = hlsgraph.open(args.store) if args.store else hlsgraph.open()
    try:
        if args.kind.strip().lower() == GRANTS_KIND:
            try:
                return run_grants_import(args, kb)
            except FileNotFoundError as err:
                print(f"hlsgraph: error: {err}", file=sys.stderr)
                return EXIT_ERROR
        try:
            report = kb.import_table(
                args.path,
                args.kind,
                mode="quarantine" if args.quarantine else "strict",
                sheet=args.sheet,
                encoding=args.encoding,
            )
        except ImportProblemsError as err:
            print(f"hlsgraph: error: {err}", file=sys.stderr)
            return EXIT_ERROR
        print(
            textwrap.fill(
                report.summary(), shutil.get_terminal_size((100, 24)).columns, break_long_words=False
            )
        )
        if not report.ok:
            print(_table(report))
            return EXIT_NO_RESULT
        if not args.store:
            print("(checked only: no --store was given, so nothing was kept)")
        return EXIT_OK
    finally:
        kb.close()


def run_template(args: argparse.Namespace) -> int:
    from ..importing.template_files import write_all, write_template

    if args.kind.strip().lower() == "all":
        written = write_all(Path(args.path))
    else:
        written = write_template(args.kind, Path(args.path))
    for path in written:
        print(path)
    return EXIT_OK
