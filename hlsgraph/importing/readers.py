"""Reading a spreadsheet file (CSV, or a sheet of an XLSX workbook) into a
:class:`Table` of text cells, with the row numbers a spreadsheet program shows. A file that cannot
be read at all is an :class:`~hlsgraph.errors.ImportProblemsError` naming it and what is wrong;
cells unusable as read (formulas) are recorded for the importer to report."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ImportProblemsError
from .templates import Kind, get_kind
from .values import normal_header

FORMULA_EXPECTED = (
    "a value: formulas are not imported; paste values (in Excel: Copy, then Paste Special > Values)"
)


@dataclass
class Table:
    """A sheet as read from a file: header, the rows that hold anything, and each row's number
    as a spreadsheet program shows it (the header being row 1)."""

    path: Path
    sheet: str | None
    header: list[str]
    rows: list[list[str]]
    numbers: list[int]
    cell_problems: list[tuple[int, int, str, str]] = field(default_factory=list)
    """(row index, column index, value, expected) for cells unusable as read (formulas)."""
    file_problems: list[tuple[int | None, str | None, str | None, str]] = field(default_factory=list)
    """(row number, column, value, expected) for problems of the whole file."""
    digest: str = ""


def read_table(
    path: str | Path, *, kind: str | Kind | None = None, encoding: str | None = None, sheet: str | None = None
) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text cells.

    CSV must be UTF-8 (a byte-order mark is fine) unless ``encoding=`` says otherwise; from an
    XLSX workbook the sheet ``sheet``, else the one named after ``kind``, else the first that is
    not ``columns`` is read, without evaluating formulas (a formula cell is a problem).

    >>> import tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "stories.csv"
    >>> _ = sheet.write_text("id,title\\n\\nrosa,Rosa's story\\n", encoding="utf-8")
    >>> table = read_table(sheet)
    >>> table.header, table.rows, table.numbers
    (['id', 'title'], [['rosa', "Rosa's story"]], [3])
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file {path}")
    suffix = path.suffix.lower()
    kind_obj = get_kind(kind) if isinstance(kind, str) else kind
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, kind_obj, sheet)
    if suffix in (".xls", ".ods", ".numbers"):
        raise ImportProblemsError(
            f"{path}: {suffix} files are not read; save it as an Excel Workbook (.xlsx) or as "
            "CSV UTF-8 (.csv)"
        )
    raise ImportProblemsError(f"{path}: expected a .csv or .xlsx file, not {suffix or 'no extension'}")


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as err:
            raise ImportProblemsError(f"{path}: cannot decode as {encoding!r}: {err}") from err
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        byte = data[err.start]
        raise ImportProblemsError(
            f"{path}: byte {err.start} (0x{byte:02x}, line {line}, character {column}) is not "
            "valid UTF-8; the file is probably saved as Latin-1 or Windows-1252. Save it as "
            "UTF-8 (in Excel: Save As, 'CSV UTF-8') or pass the encoding it was saved in, "
            "e.g. encoding='cp1252'"
        ) from err


def _delimiter(first_line: str) -> str:
    """A comma, unless the header has none and a semicolon or tab instead (as some locales save)."""
    if "," not in first_line:
        for other in (";", "\t"):
            if other in first_line:
                return other
    return ","


def _read_csv(path: Path, encoding: str | None) -> Table:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    text = _decode(path, data, encoding)
    table = Table(path, None, [], [], [], digest=digest)
    if not text.strip():
        table.file_problems.append((None, None, None, "a header row naming the columns; the file is empty"))
        return table
    delimiter = _delimiter(text.split("\n", 1)[0])
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as err:
        raise ImportProblemsError(f"{path}: not a readable CSV file: {err}") from err
    table.header = records[0] if records else []
    for number, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record):
            table.rows.append(record)
            table.numbers.append(number)
    return table


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A workbook cell's value as the text the importer parses: dates in ISO form (a date-time
    at midnight as its date), whole numbers without a decimal point, booleans as Excel shows them.

    >>> cell_text(1200.0), cell_text(0.1), cell_text(dt.datetime(2024, 4, 3)), cell_text(True)
    ('1200', '0.1', '2024-04-03', 'TRUE')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _pick_sheet(workbook, kind: Kind | None, sheet: str | None, path: Path):
    names = workbook.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise ImportProblemsError(
                f"{path}: no sheet named {sheet!r}; the workbook has {', '.join(map(repr, names))}"
            )
        return workbook[sheet]
    if kind is not None:
        for name in names:
            if normal_header(name) == normal_header(kind.name):
                return workbook[name]
    data_sheets = [n for n in names if n.casefold() != "columns"]
    return workbook[(data_sheets or names)[0]]


def _read_xlsx(path: Path, kind: Kind | None, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    data = path.read_bytes()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise ImportProblemsError(
            f"{path}: not a readable Excel workbook (.xlsx): {err}; save it from Excel as "
            "'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
        ) from err
    try:
        worksheet = _pick_sheet(workbook, kind, sheet, path)
        table = Table(path, worksheet.title, [], [], [], digest=hashlib.sha256(data).hexdigest())
        seen_header = False
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            values = []
            formulas = []
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or type(value).__name__ in (
                    "ArrayFormula",
                    "DataTableFormula",
                ):
                    text = value if isinstance(value, str) else getattr(value, "text", str(value))
                    formulas.append((index, str(text)))
                    values.append(str(text))
                else:
                    values.append(cell_text(value))
            if not seen_header:
                if any(v.strip() for v in values):
                    table.header = values
                    seen_header = True
                    for index, text in formulas:
                        table.file_problems.append((number, None, text, "a column name, not a formula"))
                continue
            if any(v.strip() for v in values):
                row_index = len(table.rows)
                table.rows.append(values)
                table.numbers.append(number)
                for index, text in formulas:
                    table.cell_problems.append((row_index, index, text, FORMULA_EXPECTED))
    finally:
        workbook.close()
    if not seen_header:
        table.file_problems.append(
            (None, None, None, f"a header row naming the columns; sheet {table.sheet!r} is empty")
        )
    return table
