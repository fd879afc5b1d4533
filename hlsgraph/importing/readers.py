"""Reading a spreadsheet file (CSV, or a sheet of an XLSX workbook through python-calamine) into a
:class:`Table` of text cells, with the row numbers a spreadsheet program shows. A file that cannot
be read at all is an :class:`~hlsgraph.errors.ImportProblemsError` naming it and what is wrong;
cells unusable as read (formulas) are recorded for the importer to report."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ImportProblemsError, MissingFileError
from .templates import Kind, get_kind
from .values import normal_header

FORMULA_EXPECTED = (
    "a value: formulas are not imported; paste values (in Excel: Copy, then Paste Special > Values)"
)
_SAVE_AS = "save it from Excel as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: old .xls, or an encrypted .xlsx


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
        raise MissingFileError(f"no file {path}")
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
    records = csv_records(text, delimiter, path)
    table.header = records[0] if records else []
    for number, record in enumerate(records[1:], start=2):
        if any(map(str.strip, record)):
            table.rows.append(record)
            table.numbers.append(number)
    return table


def csv_records(text: str, delimiter: str, path) -> list[list[str]]:
    """The records of a CSV text, header first. A text the csv module cannot read is refused
    with the row (as a spreadsheet numbers it, the header being row 1), the line of the file
    and the column where reading failed: a cell longer than the csv module's limit, or a quote
    that opens a cell and never closes.

    >>> csv_records('a,b\\n1,"x\\n', ",", "f.csv")
    Traceback (most recent call last):
    ...
    hlsgraph.errors.ImportProblemsError: f.csv, row 2 (line 2), column 'b': a quoted cell opens ...
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    start_line = 1
    try:
        for record in reader:
            records.append(record)
            start_line = reader.line_num + 1
    except csv.Error as err:
        raise _unreadable_csv(err, text, delimiter, path, records, start_line) from None
    return records


def _field_at_fault(record_text: str, delimiter: str, limit: int) -> tuple[int, str]:
    """Scan one record as the csv module does: the index of the field it stopped in, and why
    (``"long"``, ``"unclosed"`` quote, text ``"after-quote"``, or ``""`` when nothing was found)."""
    index, length, quoted, closed = 0, 0, False, False
    position = 0
    while position < len(record_text):
        char = record_text[position]
        position += 1
        if quoted:
            if char == '"' and record_text[position : position + 1] == '"':
                position += 1  # "" is one quote inside a quoted cell
            elif char == '"':
                quoted, closed = False, True
                continue
            length += 1
        elif char == delimiter:
            index, length, closed = index + 1, 0, False
            continue
        elif char in "\r\n":
            return index, ""
        elif closed:
            return index, "after-quote"
        elif char == '"' and length == 0:
            quoted = True
            continue
        else:
            length += 1
        if length > limit:
            return index, "long"
    return index, "unclosed" if quoted else ""


def _unreadable_csv(err, text, delimiter, path, records, start_line) -> ImportProblemsError:
    lines = text.split("\n")
    record_text = "\n".join(lines[start_line - 1 :])
    limit = csv.field_size_limit()
    field, why = _field_at_fault(record_text, delimiter, limit)
    header = records[0] if records else []
    column = f"column {header[field]!r}" if field < len(header) else f"column {field + 1}"
    row = len(records) + 1
    where = f"{path}, row {row} (line {start_line}), {column}"
    if why == "long" or "field larger than field limit" in str(err):
        return ImportProblemsError(
            f"{where}: a cell of more than {limit:,} characters, the most a CSV cell may hold here; "
            "shorten it, or keep the long text in a document and link it"
        )
    if why == "unclosed" or "unexpected end of data" in str(err):
        return ImportProblemsError(
            f'{where}: a quoted cell opens with " and never closes, so the rest of the file was read '
            'into it; close the quote (a " inside a quoted cell is written "")'
        )
    if why == "after-quote":
        return ImportProblemsError(
            f"{where}: text follows the closing quote of a quoted cell ({err}); quote the whole cell, "
            'writing a " inside it as ""'
        )
    return ImportProblemsError(f"{where}: not readable as CSV: {err}")


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


def _unreadable(path: Path, what: str) -> ImportProblemsError:
    return ImportProblemsError(f"{path}: not a readable Excel workbook (.xlsx): {what}; {_SAVE_AS}")


def _open_workbook(path: Path, data: bytes):
    """The workbook, or an error naming the file and what is wrong with it."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportProblemsError(
                f"{path}: the workbook is password-protected (encrypted), so it cannot be read; "
                "save a copy without the password (in Excel: File > Info > Protect Workbook > "
                "Encrypt with Password, and clear it) or save it as 'CSV UTF-8'"
            )
        raise _unreadable(path, "it is an old Excel 97-2003 (.xls) file with an .xlsx name")
    if not data.startswith(b"PK"):
        raise _unreadable(path, "it is not a workbook at all (an .xlsx file is a zip archive)")
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as err:
        raise ImportProblemsError(
            f"{path}: the workbook is password-protected, so it cannot be read; save a copy "
            "without the password or save it as 'CSV UTF-8'"
        ) from err
    except CalamineError as err:
        raise _unreadable(path, f"it is damaged ({_calamine_reason(err)})") from err


def _calamine_reason(err: Exception) -> str:
    """What calamine found wrong, in a user's words where they are known."""
    text = str(err).strip() or type(err).__name__
    lowered = text.lower()
    if "detect file format" in lowered or "zip" in type(err).__name__.lower() or "zip" in lowered:
        return "its zip archive is incomplete or corrupt"
    if "deflate" in lowered or "checksum" in lowered:
        return "its compressed data is corrupt"
    if type(err).__name__ == "XmlError":
        return f"its XML is malformed: {text}"
    return text


def _pick_sheet(names: list[str], kind: Kind | None, sheet: str | None, path: Path) -> str:
    if sheet is not None:
        if sheet not in names:
            raise ImportProblemsError(
                f"{path}: no sheet named {sheet!r}; the workbook has {', '.join(map(repr, names))}"
            )
        return sheet
    if kind is not None:
        for name in names:
            if normal_header(name) == normal_header(kind.name):
                return name
    data_sheets = [n for n in names if n.casefold() != "columns"]
    return (data_sheets or names)[0]


def _read_xlsx(path: Path, kind: Kind | None, sheet: str | None) -> Table:
    from python_calamine import CalamineError

    data = path.read_bytes()
    with _open_workbook(path, data) as workbook:
        if not workbook.sheet_names:
            raise _unreadable(path, "it has no sheets")
        name = _pick_sheet(workbook.sheet_names, kind, sheet, path)
        try:
            # From cell A1 (not the first cell holding data), so the row numbers are the sheet's.
            grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except CalamineError as err:
            raise _unreadable(path, f"sheet {name!r} is damaged ({_calamine_reason(err)})") from err
    formulas = _formula_cells(path, data, name)
    table = Table(path, name, [], [], [], digest=hashlib.sha256(data).hexdigest())
    _fill(table, grid, formulas)
    return table


def _fill(table: Table, grid: list[list[Any]], formulas: dict[tuple[int, int], str]) -> None:
    """The header (the first row holding anything) and the data rows below it, from the grid."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), text in sorted(formulas.items()):
        by_row.setdefault(row, []).append((column, text))
    header_at = None
    for index, cells in enumerate(grid):
        values = [value if type(value) is str else cell_text(value) for value in cells]
        for column, text in by_row.get(index, ()):
            if column < len(values):
                values[column] = text
        if not any(v.strip() for v in values):
            continue
        if header_at is None:
            header_at = index
            table.header = values
            for _, text in by_row.get(index, ()):
                table.file_problems.append((index + 1, None, text, "a column name, not a formula"))
            continue
        for column, text in by_row.get(index, ()):
            table.cell_problems.append((len(table.rows), column, text, FORMULA_EXPECTED))
        table.rows.append(values)
        table.numbers.append(index + 1)
    if header_at is None:
        table.file_problems.append(
            (None, None, None, f"a header row naming the columns; sheet {table.sheet!r} is empty")
        )


# A cell holding a formula: <c r="B3" ...><f ...>text</f> (or a shared formula's <f .../>).
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')


def _formula_cells(path: Path, data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """Formula cells of ``sheet`` as {(row index, column index): "=formula"}.

    Calamine gives a formula cell's cached value (or nothing); whether a cell holds a formula is
    read from the sheet's XML, which has none in the common case."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet)
            xml = archive.read(part) if part else b""
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError) as err:
        raise _unreadable(path, f"sheet {sheet!r} is damaged ({err})") from err
    if b"<f" not in xml and b":f" not in xml:
        return {}
    found = {}
    for match in _FORMULA_CELL.finditer(xml):
        ref = _CELL_REF.search(match[1])
        if ref is None:
            continue
        column = 0
        for letter in ref[1]:
            column = column * 26 + letter - 64
        text = html.unescape(match[2].decode("utf-8", "replace")) if match[2] else "(a shared formula)"
        found[(int(ref[2]) - 1, column - 1)] = "=" + text
    return found


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet``'s cells, through the workbook's relationships."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for attributes in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        name = re.search(r'\bname="([^"]*)"', attributes)
        rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', attributes)
        if name is None or rid is None or html.unescape(name[1]) != sheet:
            continue
        for rel in re.findall(r"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
            if re.search(rf'\bId="{re.escape(rid[1] or rid[2])}"', rel):
                target = re.search(r'\bTarget="([^"]*)"', rel)
                if target is None:
                    return None
                return target[1].lstrip("/") if target[1].startswith("/") else "xl/" + target[1]
    return None
