"""Import users' own evidence from spreadsheets (CSV or XLSX) into a knowledge base.

Each row is checked (required values, types, allowed values, dates, numbers, references to
concepts, places and organisations by label or IRI), turned into triples with a stable IRI and
PROV-O provenance, checked against the ontology's SHACL shapes (:mod:`hlsgraph.shape_check`)
and loaded as one named graph per file, replaced as a unit. ``mode="strict"`` loads nothing when
any row has a problem; ``mode="quarantine"`` loads the good rows and writes the bad ones, with
the reasons, to ``<name>.problems.csv`` beside the input. Every problem names the file, sheet,
row, column, the value and what was expected: :class:`ImportReport` holds them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import html
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import AmbiguousLabelError, ImportProblemsError, UnknownLabelError, nearest
from ..namespaces import ACCESS_LEVELS, HLS, HLSD, HLSG, PREFIXES
from ..reports import Report
from ..resources import sparql
from ..store.terms import iri_syntax, literal_syntax, shorten
from ..validation.shapes import ItemSet, Lit, ShapeChecker
from .templates import Column, Kind, get_kind

XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]

MODES = ("strict", "quarantine")
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "expected"]

# The class a reference column's value must be an instance of.
_REFERENCE_CLASS = {
    "place": HLS + "Place",
    "organisation": HLS + "Organisation",
    "measure": HLS + "Measure",
    "evidence": HLS + "EvidenceItem",
    "concept": SKOS_CONCEPT,
}
# Which IRI prefixes an id typed into a reference column may stand for (hlsd:<prefix>-<id>).
_REFERENCE_PREFIXES = {
    "place": ("place",),
    "organisation": ("org",),
    "measure": ("measure",),
    "evidence": ("story", "obs", "measure", "reflection", "assessment", "case"),
    "concept": (),
}
_CURRENCIES = {"£": "GBP", "$": "USD", "€": "EUR"}


STRING = XSD + "string"
# Lit(...) goes through a Python-level __new__; tuple.__new__ builds the same thing in C, which
# matters for the hundreds of thousands of text cells of a large sheet.
_new_lit = partial(tuple.__new__, Lit)


# ---------------------------------------------------------------------------------------------
# Values: dates, numbers, slugs
# ---------------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DATE_FORMS = "a date such as 2024-04-03, 03/04/2024 (day first), 3 April 2024, April 2024 or 2024"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_SPELLED_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", re.I)
_SPELLED_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_SPELLED_MONTH = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})", re.I)
_DATETIME_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]00:00(?::00(?:\.0+)?)?")


def _month(name: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        close = nearest(name.lower(), [m for m in _MONTHS if len(m) > 3], n=1)
        hint = f" (did you mean {close[0].capitalize()}?)" if close else ""
        raise ValueError(f"{name!r} is not a month{hint}; expected {_DATE_FORMS}")
    return number


def _real_date(year: int, month: int, day: int, text: str) -> Lit:
    if not 1 <= month <= 12:
        raise ValueError(
            f"{text!r} has no month {month}; dates are read day first (DD/MM/YYYY), so expected {_DATE_FORMS}"
        )
    try:
        value = dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        raise ValueError(
            f"{text!r} is not a real date: {dt.date(year, month, 1):%B %Y} has {last} days"
        ) from None
    return Lit(value.isoformat(), XSD + "date")


@lru_cache(maxsize=65536)
def parse_date(text: str) -> Lit:
    """A date as typed in a sheet, as an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``
    literal. Slashed dates are read day first, as in the UK.

    Raises ``ValueError`` saying what was wrong and which forms are accepted.

    >>> parse_date("03/04/2024").lex
    '2024-04-03'
    >>> parse_date("April 2024").lex, parse_date("2024").datatype.rsplit("#")[1]
    ('2024-04', 'gYear')
    >>> parse_date("31/02/2024")
    Traceback (most recent call last):
    ...
    ValueError: '31/02/2024' is not a real date: February 2024 has 29 days
    """
    value = " ".join(text.split())
    midnight = _DATETIME_MIDNIGHT.fullmatch(value)
    if midnight:
        value = midnight.group(1)
    if m := _ISO_DATE.fullmatch(value):
        return _real_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _ISO_MONTH.fullmatch(value):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"{text!r} has no month {int(m[2])}; expected {_DATE_FORMS}")
        return Lit(f"{m[1]}-{int(m[2]):02d}", XSD + "gYearMonth")
    if _YEAR.fullmatch(value):
        return Lit(value, XSD + "gYear")
    if m := _DAY_FIRST.fullmatch(value):
        if len(m[3]) == 2:
            raise ValueError(f"{text!r} has a two-digit year; write the year in full (e.g. 2024)")
        return _real_date(int(m[3]), int(m[2]), int(m[1]), text)
    if m := _SPELLED_DAY.fullmatch(value):
        return _real_date(int(m[3]), _month(m[2]), int(m[1]), text)
    if m := _SPELLED_MONTH_FIRST.fullmatch(value):
        return _real_date(int(m[3]), _month(m[1]), int(m[2]), text)
    if m := _SPELLED_MONTH.fullmatch(value):
        return Lit(f"{m[2]}-{_month(m[1]):02d}", XSD + "gYearMonth")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*", value):
        raise ValueError(f"{text!r} has a time of day; expected {_DATE_FORMS}")
    raise ValueError(f"{text!r} is not a date; expected {_DATE_FORMS}")


_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<cur>[£$€]?)(?P<sign2>[-+]?)"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?P<frac>\.\d+)?(?P<exp>[eE][-+]?\d+)?(?P<pct>%?)"
)
_NUMBER_FORMS = "a number such as 1200, 1,200.50, £1,200.50 or 45%"


@lru_cache(maxsize=65536)
def parse_number(text: str) -> tuple[Lit, str | None]:
    """A number as typed in a sheet: its literal (``xsd:integer`` or ``xsd:decimal``) and the
    unit its sign implies (``"GBP"`` for £, ``"percent"`` for %, else ``None``).

    Commas group thousands; the decimal mark is a point.

    >>> literal, unit = parse_number("£1,200.50")
    >>> literal.lex, literal.datatype.rsplit("#")[1], unit
    ('1200.50', 'decimal', 'GBP')
    >>> parse_number("45%")[0].lex, parse_number("45%")[1]
    ('45', 'percent')
    >>> parse_number("1,20")
    Traceback (most recent call last):
    ...
    ValueError: '1,20' is not a number: commas must group thousands (1,200); the decimal mark is a point
    """
    value = text.replace(" ", "").replace("\u00a0", "")
    negative = value.startswith("(") and value.endswith(")")
    if negative:
        value = value[1:-1]
    m = _NUMBER.fullmatch(value)
    if not m or not (m["int"] or m["frac"]):
        if re.fullmatch(r"[-+]?[£$€]?[\d,]*\d(\.\d+)?%?", value):
            raise ValueError(
                f"{text!r} is not a number: commas must group thousands (1,200); the decimal mark is a point"
            )
        raise ValueError(f"{text!r} is not a number; expected {_NUMBER_FORMS}")
    if m["sign"] and m["sign2"]:
        raise ValueError(f"{text!r} has two signs; expected {_NUMBER_FORMS}")
    if m["cur"] and m["pct"]:
        raise ValueError(f"{text!r} has both a currency sign and %; expected {_NUMBER_FORMS}")
    digits = (m["int"] or "0").replace(",", "") + (m["frac"] or "") + (m["exp"] or "")
    negative = negative or "-" in (m["sign"] + m["sign2"])
    unit = _CURRENCIES.get(m["cur"]) if m["cur"] else ("percent" if m["pct"] else None)
    if m["frac"] is None and m["exp"] is None:
        number = int(digits)
        return Lit(str(-number if negative else number), XSD + "integer"), unit
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError(f"{text!r} is not a number; expected {_NUMBER_FORMS}") from None
    lexical = format(-number if negative else number, "f")
    if "." not in lexical:
        lexical += ".0"
    return Lit(lexical, XSD + "decimal"), unit


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str) -> str:
    """The kebab-case slug of an id or file name: ASCII letters and digits, lower case,
    joined by hyphens.

    >>> slugify("  Rosa's Story (2024) ")
    'rosa-s-story-2024'
    >>> slugify("Café Déjà-vu")
    'cafe-deja-vu'
    """
    if _SLUG.fullmatch(text):
        return text  # already a slug: the common case for ids, so skip the work
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _normal_choice(text: str) -> str:
    return " ".join(re.sub(r"[-_]+", " ", text).split()).casefold()


def _loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _normal_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff")).casefold()


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


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


def _read_csv(path: Path, encoding: str | None) -> Table:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    text = _decode(path, data, encoding)
    table = Table(path, None, [], [], [], digest=digest)
    if not text.strip():
        table.file_problems.append((None, None, None, "a header row naming the columns; the file is empty"))
        return table
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        for other in (";", "\t"):
            if other in first_line:
                delimiter = other
                break
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


def _cell_text(value: Any) -> str:
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
            if _normal_header(name) == _normal_header(kind.name):
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
                    values.append(_cell_text(value))
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
                    table.cell_problems.append(
                        (
                            row_index,
                            index,
                            text,
                            "a value: formulas are not imported; paste values "
                            "(in Excel: Copy, then Paste Special > Values)",
                        )
                    )
    finally:
        workbook.close()
    if not seen_header:
        table.file_problems.append(
            (None, None, None, f"a header row naming the columns; sheet {table.sheet!r} is empty")
        )
    return table


def read_table(
    path: str | Path, *, kind: str | Kind | None = None, encoding: str | None = None, sheet: str | None = None
) -> Table:
    """Read a CSV or XLSX file into a :class:`Table` of text cells.

    CSV must be UTF-8 (a byte-order mark is fine) unless ``encoding=`` says otherwise; from an
    XLSX workbook the sheet ``sheet``, else the one named after ``kind``, else the first that is
    not ``columns`` is read, without evaluating formulas (a formula cell is a problem).
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
# The report
# ---------------------------------------------------------------------------------------------


class ImportReport(Report):
    """What an import did: rows read, loaded and quarantined, and every problem found.

    ``rows_loaded + rows_quarantined == rows_read`` always. In quarantine mode the quarantined
    rows are those with problems (written to :attr:`problems_file`); in strict mode a single
    problem means nothing was loaded, so every row read counts as quarantined (the summary
    says "rejected": nothing is written aside). Use
    :attr:`problems` (a DataFrame of file, sheet, row, column, value and what was expected)
    and :meth:`raise_for_problems`.
    """

    def __init__(
        self,
        *,
        file: Path,
        sheet: str | None,
        kind: str,
        mode: str,
        graph: str,
        rows_read: int,
        rows_loaded: int,
        rows_quarantined: int,
        problems: list[tuple[int | None, str | None, str | None, str]],
        problems_file: Path | None = None,
        unchanged: bool = False,
        started: str | None = None,
        items: int = 0,
        timings: dict[str, float] | None = None,
    ):
        self.file = file
        self.sheet = sheet
        self.kind = kind
        self.mode = mode
        self.graph = graph
        self.rows_read = rows_read
        self.rows_loaded = rows_loaded
        self.rows_quarantined = rows_quarantined
        self.problems_file = problems_file
        self.unchanged = unchanged
        self.started = started
        self.items = items
        self.timings = dict(timings or {})
        """Seconds spent in each phase (read, cells, identity, shapes, triples, load), for
        benchmarks."""
        self._problems = problems

    title = "Import"

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self._problems

    @property
    def rows_rejected(self) -> int:
        """Rows not loaded: in strict mode every row once any has a problem."""
        return self.rows_read - self.rows_loaded

    @property
    def problems(self):
        """The problems as a DataFrame with the columns file, sheet, row, column, value,
        expected (one line per problem; ``row`` is the spreadsheet's row number, the header
        being row 1; ``<NA>`` where a problem concerns the whole file or column)."""
        import pandas as pd

        frame = pd.DataFrame(
            [
                (self.file.name, self.sheet, row, column, value, expected)
                for row, column, value, expected in self._problems
            ],
            columns=PROBLEM_COLUMNS,
        )
        frame["row"] = frame["row"].astype("Int64")
        for name in ("file", "sheet", "column", "value", "expected"):
            frame[name] = frame[name].astype("string")
        return frame

    def to_dataframe(self):
        """Same as :attr:`problems`."""
        return self.problems

    def summary(self) -> str:
        """One line: what was read, loaded and quarantined."""
        where = f"{self.file.name}" + (f" (sheet {self.sheet!r})" if self.sheet else "")
        # In strict mode nothing is written aside: the rows not loaded are simply rejected.
        aside = "quarantined" if self.mode == "quarantine" else "rejected"
        text = (
            f"{where}: {self.rows_read} row{'s' if self.rows_read != 1 else ''} read, "
            f"{self.rows_loaded} loaded, {self.rows_quarantined} {aside}, "
            f"{len(self._problems)} problem{'s' if len(self._problems) != 1 else ''}"
        )
        if self.unchanged:
            text += "; the store already held exactly this import, so nothing changed"
        elif self.mode == "strict" and self._problems:
            text += "; strict mode: nothing was loaded"
        if self.problems_file is not None:
            text += f"; bad rows written to {self.problems_file}"
        return text

    def problems_text(self, limit: int | None = 50) -> str:
        """The problems as a plain-text table (for terminals)."""
        lines = []
        shown = self._problems if limit is None else self._problems[:limit]
        for row, column, value, expected in shown:
            place = f"row {row}" if row is not None else "file"
            if column:
                place += f", column {column!r}"
            got = f" {value!r}" if value not in (None, "") else ""
            lines.append(f"  {place}{got}: {expected}")
        if limit is not None and len(self._problems) > limit:
            lines.append(f"  ... and {len(self._problems) - limit} more")
        return "\n".join(lines)

    def raise_for_problems(self) -> ImportReport:
        """Raise :class:`~hlsgraph.errors.ImportProblemsError` when there were problems;
        return the report otherwise (so calls can be chained)."""
        if self._problems:
            raise ImportProblemsError(
                f"{self.summary()}\n{self.problems_text(limit=20)}\n"
                "See report.problems for every problem; docs/templates.md describes each column.",
                self,
            )
        return self

    def _repr_html_(self) -> str:
        head = html.escape(self.summary())
        if not self._problems:
            return f"<p><b>Import</b>: {head}</p>"
        table = self.problems.head(200).to_html(index=False, na_rep="", escape=True)
        more = (
            f"<p>... {len(self._problems) - 200} more in <code>report.problems</code></p>"
            if len(self._problems) > 200
            else ""
        )
        return f"<p><b>Import</b>: {head}</p>{table}{more}"


# ---------------------------------------------------------------------------------------------
# The import
# ---------------------------------------------------------------------------------------------


def ntriples(sets: list[ItemSet]) -> str:
    """Items as N-Triples text, written column by column (order does not matter in
    N-Triples, and one predicate at a time keeps the loop tight).

    >>> items = ItemSet(["http://example.org/a"], [(0,)],
    ...                 {"http://example.org/p": [Lit('say "hi"', STRING)]})
    >>> print(ntriples([items]), end="")
    <http://example.org/a> <http://example.org/p> "say \\"hi\\"" .
    """
    lines: list[str] = []
    append = lines.append
    for items in sets:
        subjects = items.subjects
        for predicate, column in items.props.items():
            middle = f"> <{predicate}> "
            kinds = set(map(type, column)) - {type(None)}
            # Columns are built from one template column each, so nearly always hold one kind
            # of value; those are written by a comprehension, the rest value by value.
            if kinds == {str}:
                lines.extend([f"<{s}{middle}<{v}> ." for s, v in zip(subjects, column) if v is not None])
                continue
            if kinds == {Lit}:
                lines.extend(
                    [f"<{s}{middle}{literal_syntax(*v)} ." for s, v in zip(subjects, column) if v is not None]
                )
                continue
            for subject, value in zip(subjects, column):
                if value is None:
                    continue
                kind = type(value)
                if kind is str:
                    append(f"<{subject}{middle}<{value}> .")
                elif kind is tuple:
                    for v in value:
                        append(
                            f"<{subject}{middle}{iri_syntax(v) if type(v) is str else literal_syntax(*v)} ."
                        )
                else:
                    append(f"<{subject}{middle}{literal_syntax(*value)} .")
    return "\n".join(lines) + ("\n" if lines else "")


def graph_for(path: str | Path) -> str:
    """The named graph an import of ``path`` goes into: ``hlsg:import/<slug of file name>``.

    >>> graph_for("data/My Stories.csv")
    'https://w3id.org/hls/graph/import/my-stories-csv'
    """
    return f"{HLSG}import/{slugify(Path(path).name)}"


class _Bad(Exception):
    """A cell that cannot be used: what was expected instead."""


@dataclass
class _Context:
    kind: Kind
    table: Table
    columns: dict[str, int]  # template column name -> index in the table
    parsed: dict[str, list[Any]] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    local_refs: list[tuple[int, str, int]] = field(default_factory=list)


class _Importer:
    """One import of one sheet: its problems, the rows that have them, and the steps from
    cells to items (see :func:`import_table` for the order)."""

    def __init__(self, kb: Any, table: Table, kind: Kind, mode: str, graph: str, checker: ShapeChecker):
        self.kb = kb
        self.table = table
        self.kind = kind
        self.mode = mode
        self.graph = graph
        self.checker = checker
        self.problems: list[tuple[int | None, str | None, str | None, str]] = []
        self.bad: set[int] = set()
        self.ragged: set[int] = set()
        self.n = len(table.rows)
        self._index = None
        self._labels_by_class: dict[str, list[str]] = {}
        self._loose_cache: dict[str, dict[str, set[str]]] = {}
        self._file_slug = slugify(table.path.name) or "file"
        self.activity = f"{HLSD}import-{self._file_slug}"
        sheet_part = f"-{slugify(table.sheet)}" if table.sheet else ""
        self._row_base = f"{HLSD}import-{self._file_slug}{sheet_part}-row-"

    # ------------------------------------------------------------------ problems

    def problem(self, row: int | None, column: str | None, value: str | None, expected: str) -> None:
        if row is not None and column is not None and row in self.ragged:
            return  # its values are out of line with the header: only that is worth saying
        number = self.table.numbers[row] if row is not None else None
        self.problems.append((number, column, value, expected))
        if row is not None:
            self.bad.add(row)

    # ------------------------------------------------------------------ knowledge base

    @property
    def index(self):
        if self._index is None:
            from ..labels import LabelIndex

            # The knowledge base keeps one index until its next write; a bare store-like
            # object without one gets its own.
            cached = getattr(self.kb, "labels", None)
            self._index = cached() if callable(cached) else LabelIndex.from_kb(self.kb)
        return self._index

    def _select(self, query: str, **terms) -> list[tuple[str, ...]]:
        import pandas as pd

        frame = self.kb.select(query, compact=False, **terms)
        return [
            tuple("" if pd.isna(v) else str(v) for v in row)
            for row in frame.itertuples(index=False, name=None)
        ]

    def superclasses(self, cls: str) -> frozenset[str]:
        return self.index.superclasses(cls)

    def types_of(self, iri: str) -> set[str]:
        return self.index.types_of(iri)

    def is_a(self, iri: str, cls: str) -> bool:
        return any(cls in self.superclasses(t) for t in self.types_of(iri))

    def known(self, iri: str) -> bool:
        return bool(self.types_of(iri)) or self.index.label_of(iri) is not None

    # ------------------------------------------------------------------ header

    def check_header(self) -> _Context | None:
        table, kind = self.table, self.kind
        if table.file_problems:
            for number, column, value, expected in table.file_problems:
                self.problems.append((number, column, value, expected))
            return None
        names = [_normal_header(h) for h in table.header]
        columns: dict[str, int] = {}
        known = kind.header
        for index, name in enumerate(names):
            if not name:
                if any(index < len(r) and r[index].strip() for r in table.rows):
                    self.problems.append(
                        (1, f"#{index + 1}", None, "a column name: this column has values but no header")
                    )
                continue
            if name in columns:
                self.problems.append(
                    (
                        1,
                        name,
                        table.header[index],
                        f"each column once: {name!r} is also column {columns[name] + 1}",
                    )
                )
                continue
            if name not in known:
                close = nearest(name, known, n=2)
                hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
                self.problems.append(
                    (
                        1,
                        table.header[index].strip(),
                        table.header[index],
                        f"a column of the {kind.name} template{hint} (columns: {', '.join(known)})",
                    )
                )
                continue
            columns[name] = index
        for name in kind.required:
            if name not in columns:
                col = kind.column(name)
                self.problems.append(
                    (
                        1,
                        name,
                        None,
                        f"a column named {name!r}: the {kind.name} template requires it ({col.type_text})",
                    )
                )
        if not table.rows and not self.problems:
            self.problems.append(
                (None, None, None, "rows of data below the header; the file has only a header")
            )
        if self.problems:
            return None
        # A row with values beyond the header's last column is that row's problem (often a
        # comma inside a value that lacks its quotes); rows are padded to the header's width.
        w = len(names)
        for i, row in enumerate(table.rows):
            if len(row) > w:
                extra = [cell.strip() for cell in row[w:]]
                if any(extra):
                    self.ragged.add(i)
                    self.problem(
                        i,
                        None,
                        ", ".join(c for c in extra if c),
                        f"at most {w} values, one per header column; this row has "
                        f"{w + len(extra)} (is a comma inside a value missing its "
                        "quotes?)",
                    )
            elif len(row) < w:
                row.extend([""] * (w - len(row)))
        return _Context(kind, table, columns)

    # ------------------------------------------------------------------ cells

    def parse_cells(self, ctx: _Context) -> None:
        rows = self.table.rows
        for row, index, value, expected in self.table.cell_problems:
            header = self.table.header[index] if index < len(self.table.header) else f"#{index + 1}"
            self.problem(row, _normal_header(header) or header, value, expected)
        formula_cells = {(row, index) for row, index, _, _ in self.table.cell_problems}
        for col in self.kind.columns:
            j = ctx.columns.get(col.name)
            if j is None:
                ctx.parsed[col.name] = [None] * self.n
                continue
            values = [r[j].strip() for r in rows]
            if col.type in ("text", "id", "unit") and not col.multi:
                # Free text needs no parsing: only the required check.
                make = _new_lit
                out = [make((text, STRING, None)) if text else None for text in values]
                formulas = {i for i, j2 in formula_cells if j2 == j}
                for i in formulas:
                    out[i] = None
                if col.required:
                    for i in [i for i, text in enumerate(values) if not text]:
                        if i not in formulas:
                            self.problem(i, col.name, "", self._required_text(col))
                ctx.parsed[col.name] = out
                continue
            # Each distinct value is parsed once; the column is then a dictionary look-up per
            # cell, and only the cells with problems are visited again.
            good: dict[str, Any] = {}
            bad: dict[str, str] = {}
            for text in set(values):
                if not text:
                    continue
                try:
                    good[text] = self._parse(col, text)
                except _Bad as err:
                    bad[text] = str(err)
            get = good.get
            out = [get(text) for text in values]
            formulas = {i for i, j2 in formula_cells if j2 == j}
            for i in formulas:
                out[i] = None
            missing = [i for i, text in enumerate(values) if not text] if col.required else []
            wrong = [i for i, text in enumerate(values) if text in bad] if bad else []
            for i in sorted({*missing, *wrong} - formulas):
                text = values[i]
                self.problem(i, col.name, text, bad[text] if text else self._required_text(col))
            ctx.parsed[col.name] = out

    @staticmethod
    def _required_text(col: Column) -> str:
        if col.type == "access":
            return (
                f"an access level, one of {', '.join(ACCESS_LEVELS)}; there is no default, "
                "so say who may see this row"
            )
        return f"a value: {col.name} is required ({col.type_text})"

    def _parse(self, col: Column, text: str) -> Any:
        if col.multi:
            parts = [p.strip() for p in text.split(";") if p.strip()]
            results = []
            errors = []
            for part in parts:
                try:
                    results.append(self._parse_one(col, part))
                except _Bad as bad:
                    errors.append(str(bad))
            if errors:
                raise _Bad("; ".join(errors))
            return tuple(dict.fromkeys(results))
        return self._parse_one(col, text)

    def _parse_one(self, col: Column, text: str) -> Any:
        kind = col.type
        try:
            if kind in ("text", "unit", "id"):
                return Lit(text, STRING)
            if kind == "date":
                return parse_date(text)
            if kind == "number":
                return parse_number(text)
            if kind == "integer":
                if not re.fullmatch(r"[+-]?\d+", text):
                    raise _Bad(f"a whole number ({col.type_text}), not {text!r}")
                number = int(text)
                if (col.minimum is not None and number < col.minimum) or (
                    col.maximum is not None and number > col.maximum
                ):
                    raise _Bad(f"{col.type_text}; {number} is out of range")
                return Lit(str(number), XSD + "integer")
            if kind == "code":
                if col.pattern and not re.fullmatch(col.pattern.strip("^$"), text):
                    raise _Bad(f"text matching {col.pattern} (e.g. {col.example})")
                return Lit(text, STRING)
            if kind in ("access", "choice"):
                return self._choice(col, text)
            return self._reference(col, text)
        except ValueError as err:
            raise _Bad(str(err)) from None

    def _choice(self, col: Column, text: str) -> str:
        key = _normal_choice(text)
        for label, iri in col.allowed.items():
            if key == _normal_choice(label):
                return iri
        from ..store.terms import parse_iri

        iri = parse_iri(text)
        if iri is not None and iri.value in col.allowed.values():
            return iri.value
        close = nearest(key, list(col.allowed), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _Bad("one of " + ", ".join(col.allowed) + hint)

    def _class_for(self, col: Column) -> str:
        return col.concept_class or _REFERENCE_CLASS[col.type]

    def _noun(self, cls: str) -> str:
        label = self.index.label_of(cls)
        return label or cls.rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()

    def _reference(self, col: Column, text: str) -> str:
        from ..store.terms import compact, parse_iri

        cls = self._class_for(col)
        noun = self._noun(cls)
        iri_node = parse_iri(text)
        if iri_node is not None:
            iri = iri_node.value
            if iri in self._local_iris:
                return iri
            if not self.known(iri):
                raise _Bad(f"a {noun} in the knowledge base; nothing is known about {compact(iri)}")
            if not self.is_a(iri, cls):
                types = ", ".join(sorted(compact(t) for t in self.types_of(iri))) or "untyped"
                raise _Bad(f"a {noun}; {compact(iri)} is a {types}")
            return iri
        local = self._local_keys.get(_normal_choice(text)) if self._local_class == cls else None
        if local is not None:
            return local
        slug = slugify(text)
        for prefix in _REFERENCE_PREFIXES.get(col.type, ()):
            candidate = f"{HLSD}{prefix}-{slug}"
            if candidate in self._local_iris and self._local_class == cls:
                return candidate
            if slug and self.is_a(candidate, cls):
                return candidate
        try:
            return self.index.resolve(text, kind=cls).value
        except AmbiguousLabelError as err:
            raise _Bad(f"a label naming one {noun}: {err}") from None
        except UnknownLabelError:
            loose = self._loose_labels(cls).get(_loose(text), set())
            if len(loose) == 1:
                return next(iter(loose))
            labels = self._labels_of(cls)
            close = nearest(text, labels, n=3)
            if not close:
                close = nearest(text.casefold(), [lab.casefold() for lab in labels], n=3)
                close = [lab for lab in labels if lab.casefold() in close][:3]
            hint = (
                ("; did you mean " + " or ".join(repr(c) for c in close) + "?")
                if close
                else (f"; see LabelIndex.candidates({compact(cls)}) for the {len(labels)} known")
            )
            raise _Bad(f"a {noun} label or IRI: no {noun} is labelled {text!r}{hint}") from None

    def _loose_labels(self, cls: str) -> dict[str, set[str]]:
        """Labels of ``cls`` without punctuation ("Start upstream" for "Start 'upstream'")."""
        cache = self._loose_cache
        if cls not in cache:
            table: dict[str, set[str]] = defaultdict(set)
            for iri, label in self.index.candidates(cls):
                table[_loose(label)].add(iri)
            cache[cls] = table
        return cache[cls]

    def _labels_of(self, cls: str) -> list[str]:
        if cls not in self._labels_by_class:
            self._labels_by_class[cls] = [label for _, label in self.index.candidates(cls)]
        return self._labels_by_class[cls]

    # ------------------------------------------------------------------ identity

    def prepare_local(self, ctx: _Context) -> None:
        """Which values in this file name items of this same file (for places within places,
        organisations member of organisations)."""
        self._local_iris: set[str] = set()
        self._local_keys: dict[str, str] = {}
        self._local_class = self.kind.rdf_class if self.kind.name in ("places", "organisations") else None
        if self._local_class is None:
            return
        id_col = ctx.columns.get("id")
        name_col = ctx.columns.get("name")
        seen_names: dict[str, int] = {}
        for i, row in enumerate(self.table.rows):
            ident = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
            name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
            subject = self._subject_from(ctx, i, ident)
            if subject:
                self._local_iris.add(subject)
                if ident:
                    self._local_keys[_normal_choice(ident)] = subject
            if name:
                key = _normal_choice(name)
                if key in seen_names and self._local_keys.get(key) != subject:
                    self._local_keys.pop(key, None)
                else:
                    seen_names[key] = i
                    self._local_keys.setdefault(key, subject)

    def _subject_from(self, ctx: _Context, i: int, ident: str) -> str | None:
        if ident:
            slug = slugify(ident)
            prefix = self.kind.iri_prefix + "-"
            if slug.startswith(prefix) and len(slug) > len(prefix):
                slug = slug[len(prefix) :]  # "story-1" names hlsd:story-1, not hlsd:story-story-1
            return f"{HLSD}{prefix}{slug}" if slug else None
        return f"{HLSD}{self.kind.iri_prefix}-{self._content_hash(ctx, i)}"

    def _content_hash(self, ctx: _Context, i: int) -> str:
        row = self.table.rows[i]
        parts = []
        for name, j in sorted(ctx.columns.items()):
            if name in ("id", "assessment"):
                continue
            parts.append(f"{name}\x1f{row[j].strip() if j < len(row) else ''}")
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()[:16]

    def assign_subjects(self, ctx: _Context) -> None:
        id_col = ctx.columns.get("id")
        first: dict[str, int] = {}
        for i, row in enumerate(self.table.rows):
            ident = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
            subject = self._subject_from(ctx, i, ident)
            if subject is None:
                self.problem(i, "id", ident, "an id with at least one letter or digit")
                ctx.subjects.append("")
                continue
            ctx.subjects.append(subject)
            if subject in first:
                other = first[subject]
                if ident:
                    other_id = self.table.rows[other][id_col].strip()
                    same = (
                        "the same id"
                        if other_id == ident
                        else f"the id {other_id!r}, which gives the same IRI"
                    )
                    self.problem(
                        i,
                        "id",
                        ident,
                        f"an id unique in the file: row {self.table.numbers[other]} has "
                        f"{same} ({subject.replace(HLSD, 'hlsd:')})",
                    )
                else:
                    self.problem(
                        i,
                        None,
                        None,
                        f"a row that differs from the others: it repeats row "
                        f"{self.table.numbers[other]} exactly; give each an id if both "
                        f"are meant",
                    )
            else:
                first[subject] = i

    def check_collisions(
        self, ctx: _Context, subjects: list[str], prefixes: tuple[str, ...], column: str
    ) -> None:
        """Ids already naming an item from another source (the bundled base, another file)."""
        if not any(subjects):
            return
        taken: dict[str, str] = {}
        for prefix in prefixes:
            for s, g in self._select(
                sparql("importing/collisions.rq"),
                graph=ox.NamedNode(self.graph),
                prefix=ox.Literal(f"{HLSD}{prefix}-"),
            ):
                taken.setdefault(s, g)
        if not taken:
            return
        ids = ctx.columns.get(column)
        for i, subject in enumerate(subjects):
            if subject in taken:
                row = self.table.rows[i]
                value = row[ids].strip() if ids is not None and ids < len(row) else ""
                self.problem(
                    i,
                    column,
                    value,
                    f"an id not used elsewhere: {subject.replace(HLSD, 'hlsd:')} already "
                    f"names an item of {taken[subject].replace(HLSG, 'hlsg:')}; choose "
                    "another id, or remove that graph first",
                )

    # ------------------------------------------------------------------ kind-specific values

    def derive(self, ctx: _Context) -> None:
        kind = self.kind.name
        parsed = ctx.parsed
        if kind == "observations":
            values, units = parsed["value"], parsed["unit"]
            for i, value in enumerate(values):
                if value is None:
                    continue
                literal, implied = value
                values[i] = literal
                given = units[i].lex if units[i] is not None else None
                if implied and given is None:
                    units[i] = Lit(implied, STRING)
                elif given is None:
                    self.problem(
                        i,
                        "unit",
                        "",
                        "a unit (GBP, people, cases, percent, ...): every observation "
                        "needs one, unless its value has a currency or % sign",
                    )
                elif (
                    implied
                    and given
                    and _normal_choice(given) != _normal_choice(implied)
                    and not (implied == "percent" and given.strip() in ("%", "per cent", "percentage"))
                ):
                    self.problem(
                        i,
                        "unit",
                        given,
                        f"a unit matching the value's sign: the value "
                        f"{self.table.rows[i][ctx.columns['value']].strip()!r} says "
                        f"{implied}",
                    )
            titles = parsed["title"]
            for i in range(self.n):
                if titles[i] is None and parsed["measure"][i] is not None:
                    parts = [self.index.label_of(parsed["measure"][i]) or "Observation"]
                    if parsed["place"][i] is not None:
                        parts.append(self.index.label_of(parsed["place"][i]) or "")
                    when = parsed["date"][i] or parsed["period_end"][i] or parsed["period_start"][i]
                    if when is not None:
                        parts.append(when.lex)
                    titles[i] = Lit(", ".join(p for p in parts if p), STRING)
        if kind == "organisations":
            parsed["kind"] = [v if v is not None else HLS + "Organisation" for v in parsed["kind"]]
        if kind in ("places", "organisations"):
            for name in ("within", "member_of", "partner_of"):
                for i, value in enumerate(parsed.get(name, ())):
                    for target in value if isinstance(value, tuple) else (value,):
                        if target is None:
                            continue
                        if target == ctx.subjects[i]:
                            self.problem(
                                i,
                                name,
                                self.table.rows[i][ctx.columns[name]].strip(),
                                "another item: a row cannot refer to itself",
                            )
                        elif target in self._local_iris:
                            ctx.local_refs.append((i, name, ctx.subjects.index(target)))

    # ------------------------------------------------------------------ building items

    def _row_iri(self, i: int) -> str:
        return f"{self._row_base}{self.table.numbers[i]}"

    def build(self, ctx: _Context, good: list[int]) -> list[ItemSet]:
        kind = self.kind
        parsed = ctx.parsed
        sets: list[ItemSet] = []
        if kind.name == "self-assessment":
            return self._build_self_assessment(ctx, good)
        items = ItemSet([ctx.subjects[i] for i in good], [(i,) for i in good])
        rdf_type = parsed["kind"] if kind.name == "organisations" else None
        items.props[RDF_TYPE] = (
            [rdf_type[i] for i in good] if rdf_type is not None else [kind.rdf_class] * len(good)
        )
        for col in kind.columns:
            if col.predicate is None:
                continue
            column = parsed[col.name]
            items.props[col.predicate] = [column[i] for i in good]
        items.props[PROV + "wasGeneratedBy"] = [self.activity] * len(good)
        items.props[PROV + "wasDerivedFrom"] = [self._row_iri(i) for i in good]
        sets.append(items)
        sets.append(self._rows(good))
        return sets

    def _rows(self, good: list[int]) -> ItemSet:
        rows = ItemSet([self._row_iri(i) for i in good], [(i,) for i in good])
        rows.props[RDF_TYPE] = [HLS + "ImportRow"] * len(good)
        rows.props[HLS + "importActivity"] = [self.activity] * len(good)
        rows.props[HLS + "rowNumber"] = [Lit(str(self.table.numbers[i]), XSD + "integer") for i in good]
        if self.table.sheet:
            rows.props[DCT + "isPartOf"] = [f"{self.activity}-sheet-{slugify(self.table.sheet)}"] * len(good)
        return rows

    def assessment_keys(self, ctx: _Context) -> None:
        """Self-assessment: which assessment each row belongs to, its score's IRI, and rows
        that disagree with their assessment's organisation, date or access level."""
        parsed = ctx.parsed
        col = ctx.columns.get("assessment")
        self._assessment_of: list[str | None] = []
        first_row: dict[str, int] = {}
        seen_scores: dict[str, int] = {}
        for i, row in enumerate(self.table.rows):
            org, date = parsed["organisation"][i], parsed["date"][i]
            ident = row[col].strip() if col is not None and col < len(row) else ""
            if ident:
                slug = slugify(ident)
                if not slug:
                    self.problem(i, "assessment", ident, "an id with at least one letter or digit")
            elif org is not None and date is not None:
                slug = slugify(f"{org.rsplit('/', 1)[-1]}-{date.lex}")
            else:
                slug = ""
            assessment = f"{HLSD}assessment-{slug}" if slug else None
            self._assessment_of.append(assessment)
            point = parsed["learning_point"][i]
            if assessment is None or point is None:
                ctx.subjects.append("")
                continue
            score = f"{HLSD}score-{slug}-{slugify(point.rsplit('/', 1)[-1])}"
            ctx.subjects.append(score)
            if score in seen_scores:
                self.problem(
                    i,
                    "learning_point",
                    row[ctx.columns["learning_point"]].strip(),
                    f"one score per learning point in an assessment: row "
                    f"{self.table.numbers[seen_scores[score]]} already scores it",
                )
            else:
                seen_scores[score] = i
            if assessment in first_row:
                j = first_row[assessment]
                for name in ("organisation", "date", "access_level"):
                    if (
                        parsed[name][i] is not None
                        and parsed[name][j] is not None
                        and parsed[name][i] != parsed[name][j]
                    ):
                        cell = row[ctx.columns[name]].strip()
                        self.problem(
                            i,
                            name,
                            cell,
                            f"the same {name} as row {self.table.numbers[j]} of the same "
                            f"assessment ({_show_value(parsed[name][j])})",
                        )
            else:
                first_row[assessment] = i

    def _build_self_assessment(self, ctx: _Context, good: list[int]) -> list[ItemSet]:
        parsed = ctx.parsed
        scores = ItemSet([ctx.subjects[i] for i in good], [(i,) for i in good])
        scores.props[RDF_TYPE] = [HLS + "Score"] * len(good)
        for name in ("learning_point", "score", "evidence", "notes", "access_level"):
            predicate = self.kind.column(name).predicate
            scores.props[predicate] = [parsed[name][i] for i in good]
        scores.props[PROV + "wasGeneratedBy"] = [self.activity] * len(good)
        scores.props[PROV + "wasDerivedFrom"] = [self._row_iri(i) for i in good]
        groups: dict[str, list[int]] = {}
        for i in good:
            groups.setdefault(self._assessment_of[i], []).append(i)
        assessments = ItemSet(list(groups), [tuple(rows) for rows in groups.values()])
        firsts = [rows[0] for rows in groups.values()]
        assessments.props[RDF_TYPE] = [HLS + "SelfAssessment"] * len(groups)
        assessments.props[DCT + "title"] = [
            Lit(
                f"Self-assessment by {self.index.label_of(parsed['organisation'][i]) or 'organisation'}"
                f", {parsed['date'][i].lex}",
                STRING,
            )
            for i in firsts
        ]
        assessments.props[HLS + "assessedBy"] = [parsed["organisation"][i] for i in firsts]
        assessments.props[DCT + "date"] = [parsed["date"][i] for i in firsts]
        assessments.props[HLS + "accessLevel"] = [parsed["access_level"][i] for i in firsts]
        assessments.props[HLS + "hasScore"] = [
            tuple(ctx.subjects[i] for i in rows) for rows in groups.values()
        ]
        assessments.props[PROV + "wasGeneratedBy"] = [self.activity] * len(groups)
        assessments.props[PROV + "wasDerivedFrom"] = [
            tuple(self._row_iri(i) for i in rows) for rows in groups.values()
        ]
        return [assessments, scores, self._rows(good)]

    # ------------------------------------------------------------------ shapes

    def shape_problems(self, ctx: _Context, sets: list[ItemSet]) -> set[int]:
        """Check the items against the shapes; record problems; return the rows affected."""
        affected: set[int] = set()
        by_predicate = {c.predicate: c.name for c in self.kind.columns if c.predicate}
        if self.kind.name == "organisations":
            by_predicate[RDF_TYPE] = "kind"
        if self.checker.unsupported:
            violations = self._pyshacl(sets)
        else:
            violations = self.checker.check(sets, self.types_of, self.superclasses)
        for violation in violations:
            items = sets[violation.set_index]
            column = by_predicate.get(violation.path) if violation.path else None
            for i in items.rows[violation.item_index]:
                if i in affected and (column is None):
                    continue
                cell = None
                if column and column in ctx.columns:
                    j = ctx.columns[column]
                    row = self.table.rows[i]
                    cell = row[j].strip() if j < len(row) else ""
                shape = "" if violation.shape.startswith("_:") else f" (shape {shorten(violation.shape)})"
                self.problem(i, column, cell, f"{violation.message}{shape}")
                affected.add(i)
        return affected

    def _pyshacl(self, sets: list[ItemSet]) -> list:
        """The shapes' results from pySHACL, for shapes using constraints the fast checks do not
        implement: over the batch plus the types of what it refers to (slower, but complete)."""
        import rdflib

        from ..validation import validate
        from ..validation.shapes import Violation

        graph = rdflib.Graph()
        graph.parse(data=ntriples(sets), format="nt")
        batch = {subject: (n, i) for n, items in enumerate(sets) for i, subject in enumerate(items.subjects)}
        for node in {o for o in graph.objects() if isinstance(o, rdflib.URIRef)}:
            if str(node) not in batch:
                for cls in self.types_of(str(node)):
                    graph.add((node, rdflib.RDF.type, rdflib.URIRef(cls)))
        frame = validate(graph, shapes=self.checker.shapes_graph()).to_dataframe()
        found = []
        for focus, path, message, severity, shape in (
            frame[["focus_node", "path", "message", "severity", "shape"]]
            .astype(object)
            .itertuples(index=False)
        ):
            where = batch.get(str(focus))
            if where is None or not str(severity).endswith("Violation"):
                continue
            path = None if path is None or path != path or str(path) in ("", "<NA>") else str(path)
            found.append(
                Violation(
                    where[0],
                    where[1],
                    str(focus),
                    path,
                    None,
                    str(message),
                    str(shape) if shape == shape and shape is not None else "_:",
                )
            )
        return found

    # ------------------------------------------------------------------ output

    def provenance(self, started: str, digest: str) -> str:
        file_iri = f"{self.activity}-file"
        name = self.table.path.name
        fmt = (
            "text/csv"
            if self.table.sheet is None
            else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        triples = [
            (self.activity, RDF_TYPE, HLS + "ImportActivity"),
            (self.activity, RDFS_LABEL, Lit(f"import of {name} as {self.kind.name}", STRING)),
            (self.activity, HLS + "sourceFile", Lit(name, STRING)),
            (self.activity, PROV + "used", file_iri),
            (self.activity, PROV + "startedAtTime", Lit(started, XSD + "dateTime")),
            (self.activity, DCT + "identifier", Lit(f"sha256:{digest}", STRING)),
            (file_iri, RDF_TYPE, PROV + "Entity"),
            (file_iri, DCT + "title", Lit(name, STRING)),
            (file_iri, DCT + "format", Lit(fmt, STRING)),
            (file_iri, DCT + "identifier", Lit(f"sha256:{self.table.digest}", STRING)),
        ]
        if self.table.sheet:
            sheet_iri = f"{self.activity}-sheet-{slugify(self.table.sheet)}"
            triples += [
                (sheet_iri, RDF_TYPE, PROV + "Entity"),
                (sheet_iri, RDFS_LABEL, Lit(self.table.sheet, STRING)),
                (sheet_iri, DCT + "isPartOf", file_iri),
            ]
        return "".join(
            f"<{s}> <{p}> {iri_syntax(o) if type(o) is str else literal_syntax(*o)} .\n"
            for s, p, o in triples
        )

    def stored_digest(self) -> str | None:
        rows = self._select(
            sparql("importing/stored-digest.rq"),
            graph=ox.NamedNode(self.graph),
            activity=ox.NamedNode(self.activity),
        )
        return rows[0][0] if rows else None


def _show_value(value: Any) -> str:
    if isinstance(value, Lit):
        return value.lex
    return shorten(str(value))


def _write_problems_file(table: Table, importer: _Importer, path: Path) -> None:
    reasons: dict[int, list[str]] = defaultdict(list)
    whole_file: list[str] = []
    data_rows = set(table.numbers)
    for number, column, value, expected in importer.problems:
        reason = f"{column}: {expected}" if column else expected
        if number in data_rows:
            reasons[number].append(reason)
        else:
            whole_file.append(reason)  # the header's or the file's: it concerns every row
    header = ["source_row", "problems", *table.header]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in sorted(importer.bad):
            number = table.numbers[i]
            writer.writerow([number, " | ".join(reasons.get(number) or whole_file), *table.rows[i]])


def import_table(
    kb: Any,
    path: str | Path,
    kind: str,
    *,
    mode: str = "strict",
    encoding: str | None = None,
    sheet: str | None = None,
    graph: str | None = None,
    problems_path: str | Path | None = None,
    shapes: ShapeChecker | None = None,
) -> ImportReport:
    """Import a CSV or XLSX sheet of ``kind`` into the knowledge base ``kb``.

    Parameters
    ----------
    kb : hlsgraph.KnowledgeBase
        Where to load (through ``kb.load(..., replace=True)``, so a load is all-or-nothing).
    path : str or Path
        A ``.csv`` (UTF-8) or ``.xlsx`` file laid out as the template of ``kind``.
    kind : str
        ``stories``, ``measures``, ``observations``, ``organisations``, ``places``,
        ``reflections`` or ``self-assessment`` (see ``docs/templates.md``).
    mode : {"strict", "quarantine"}
        ``strict``: any problem and nothing is loaded. ``quarantine``: the good rows are loaded
        and the bad ones written with their reasons to ``<name>.problems.csv`` beside the file.
    encoding : str, optional
        The CSV file's encoding when it is not UTF-8 (e.g. ``"cp1252"``).
    sheet : str, optional
        Which sheet of a workbook to read (default: the one named after the kind, else the
        first that is not ``columns``).
    graph : str, optional
        The named graph to load into (default ``hlsg:import/<slug of file name>``).
    problems_path : str or Path, optional
        Where quarantine mode writes the bad rows (default ``<name>.problems.csv``).
    shapes : ShapeChecker, optional
        The shapes to check items against (default: the ontology's).

    Returns
    -------
    ImportReport
        Counts, problems (``.problems`` DataFrame) and the graph loaded.

    Raises
    ------
    ImportProblemsError
        When the file cannot be read at all (wrong encoding, not a workbook).

    Examples
    --------
    >>> import hlsgraph, tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "stories.csv"
    >>> _ = sheet.write_text("id,title,summary,date,place,concepts,access_level\\n"
    ...                      "rosa,Rosa's story,What changed,03/04/2024,Plymouth,Trust,internal\\n"
    ...                      "lee,Lee's story,What changed,31/02/2024,Plymouth,Trsut,public\\n")
    >>> kb = hlsgraph.open()
    >>> report = kb.import_table(sheet, "stories")
    >>> report.rows_read, report.rows_loaded
    (2, 0)
    >>> report.problems[["row", "column", "expected"]].values.tolist()[1]
    [3, 'concepts', "a concept label or IRI: no concept is labelled 'Trsut'; did you mean 'Trust'?"]
    >>> kb.import_table(sheet, "stories", mode="quarantine").rows_loaded
    1
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    kind_obj = get_kind(kind)
    path = Path(path)
    clock = _Clock()
    table = read_table(path, kind=kind_obj, encoding=encoding, sheet=sheet)
    clock.lap("read")
    graph = graph or graph_for(path)
    checker = shapes if shapes is not None else _default_shapes()
    importer = _Importer(kb, table, kind_obj, mode, graph, checker)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    n = len(table.rows)
    problems_file = Path(problems_path) if problems_path else path.with_name(path.stem + ".problems.csv")

    def finish(loaded: int, unchanged: bool = False, items: int = 0) -> ImportReport:
        quarantined = n - loaded if mode == "quarantine" else (n if importer.problems else 0)
        if mode == "strict" and importer.problems:
            loaded = 0
            quarantined = n
        written = None
        if mode == "quarantine" and importer.bad:
            _write_problems_file(table, importer, problems_file)
            written = problems_file
        elif (
            not importer.problems
            and problems_file.exists()
            and problems_file.read_bytes().startswith(codecs.BOM_UTF8 + b"source_row,problems")
        ):
            problems_file.unlink()  # an earlier list of problems this file no longer has
        return ImportReport(
            file=path,
            sheet=table.sheet,
            kind=kind_obj.name,
            mode=mode,
            graph=graph,
            rows_read=n,
            rows_loaded=loaded,
            rows_quarantined=quarantined,
            problems=importer.problems,
            problems_file=written,
            unchanged=unchanged,
            started=started,
            items=items,
            timings=clock.laps,
        )

    ctx = importer.check_header()
    if ctx is None:
        importer.bad = set(range(n))
        return finish(0)
    importer.prepare_local(ctx)
    importer.parse_cells(ctx)
    clock.lap("cells")
    if kind_obj.name == "self-assessment":
        importer.assessment_keys(ctx)
        importer.check_collisions(
            ctx, [importer._assessment_of[i] or "" for i in range(n)], ("assessment",), "assessment"
        )
    else:
        importer.assign_subjects(ctx)
        importer.check_collisions(ctx, ctx.subjects, (kind_obj.iri_prefix,), "id")
    importer.derive(ctx)
    clock.lap("identity")

    # Items are built from the rows without problems; shape problems and references to
    # quarantined rows of the same file take more rows out until none is left to take.
    while True:
        changed = False
        for i, column, target in ctx.local_refs:
            if target in importer.bad and i not in importer.bad:
                j = ctx.columns[column]
                importer.problem(
                    i,
                    column,
                    table.rows[i][j].strip(),
                    f"a {column.replace('_', ' ')} that can be loaded: it names "
                    f"row {table.numbers[target]}, which has problems; fix that row",
                )
                changed = True
        good = [i for i in range(n) if i not in importer.bad]
        sets = importer.build(ctx, good)
        if importer.shape_problems(ctx, sets):
            changed = True
        if not changed:
            break
    clock.lap("shapes")
    if mode == "strict" and importer.problems:
        return finish(0)
    good = [i for i in range(n) if i not in importer.bad]
    body = ntriples(sets).encode("utf-8")
    digest = hashlib.sha256(f"{kind_obj.name}\n{table.sheet}\n".encode() + body).hexdigest()
    item_count = len(sets[0].subjects) if sets else 0
    clock.lap("triples")
    if importer.stored_digest() == f"sha256:{digest}":
        return finish(len(good), unchanged=True, items=item_count)
    data = body + importer.provenance(started, digest).encode("utf-8")
    kb.load(data=data, format="application/n-triples", graph=graph, replace=True)
    clock.lap("load")
    return finish(len(good), items=item_count)


def _default_shapes() -> ShapeChecker:
    # A missing shapes file is a broken installation, not a reason to skip validation.
    return ShapeChecker.default()


class _Clock:
    """Seconds spent in each phase of an import, for :attr:`ImportReport.timings`."""

    def __init__(self):
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now
