"""Reading 360Giving files as funders publish them: a JSON package (``{"grants": [...]}``),
read grant by grant so a large file never has to be held as Python objects all at once, and
the spreadsheet forms (XLSX, CSV) in the standard's flattened layout with column titles
("Identifier", "Recipient Org:Identifier", "Beneficiary Location:Geographic Code", ...),
turned into the same JSON as the standard's own tool, flattentool, makes of them.

What the flattened layout means, as flattentool reads it: a column title is a path of field
titles separated by ``:`` (matched without regard to case or surrounding spaces); a list of
objects takes the first item unless the path gives a number (``Beneficiary Location:1:Name``);
a list of text splits a cell on ``;``; numbers become JSON numbers (whole ones as integers),
text fields hold text (a number cell ``514479`` becomes ``"514479"``), dates and date-times
become ``2021-01-26T00:00:00+00:00``; empty cells are left out; a title that is not a field of
the standard is kept as it is, as an extra. Rows (on any sheet with an ``Identifier`` column)
that repeat a grant's identifier add items to its lists.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from ...errors import MissingFileError
from .schema import load_schema, path_text

FORMATS = {".json": "json", ".xlsx": "xlsx", ".csv": "csv"}
"""The file forms read, by extension."""


class FileProblem(ValueError):
    """A file that cannot be read as 360Giving data at all: ``where`` says which line, row or
    column."""

    def __init__(self, message: str, where: str | None = None, row: int | None = None):
        super().__init__(message)
        self.where = where
        self.row = row


@dataclass
class Source:
    """Where one grant came from: its position in a JSON package (``/grants/4``) or its sheet
    and row in a spreadsheet, and for a spreadsheet which column gave each field."""

    position: int
    pointer: str | None = None
    sheet: str | None = None
    row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)

    def column_for(self, path: str) -> str | None:
        """The column title that gave the field at ``path`` (or the nearest one above it)."""
        while path:
            if path in self.columns:
                return self.columns[path]
            path = path.rpartition("/")[0]
        return None


@dataclass
class Package:
    """A package being read: its grants (an iterator of ``(grant, Source)``), then, once they
    have been read, its metadata (publisher, licence, ...)."""

    path: Path
    form: str
    grants: Iterator[tuple[Any, Source]]
    meta: dict[str, Any] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)


def form_of(path: Path) -> str:
    """The form of a file from its extension: ``json``, ``xlsx`` or ``csv``."""
    form = FORMATS.get(path.suffix.lower())
    if form is None:
        raise FileProblem(
            f"cannot tell how to read {path.name!r}: expected a 360Giving file ending in "
            + ", ".join(FORMATS)
        )
    return form


def read_package(path: str | Path) -> Package:
    """Open a 360Giving file of any form for reading.

    Raises :class:`FileProblem` when the file is not readable as that form (the JSON's line
    and column, a missing ``Identifier`` column, ...); grants are read as the iterator is.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"no file {path}")
    form = form_of(path)
    if form == "json":
        return _read_json(path)
    return _read_flat(path, form)


# ---------------------------------------------------------------------------------------------
# JSON, grant by grant
# ---------------------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\n\r]*")


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    return f"line {line}, column {column}"


def _read_json(path: Path) -> Package:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileProblem(f"is not UTF-8 text (byte {err.start}): 360Giving JSON is UTF-8") from None
    del raw
    package = Package(path=path, form="json", grants=iter(()))
    package.grants = _json_grants(text, package)
    return package


class _Cursor:
    """A position in the text of a JSON package, moved value by value."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.decoder = json.JSONDecoder()

    def skip(self) -> str:
        """Skip white space; the next character ("" at the end)."""
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]  # it matches "" too
        return self.text[self.pos : self.pos + 1]

    def value(self) -> Any:
        self.skip()
        try:
            value, self.pos = self.decoder.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as err:
            raise FileProblem(f"is not valid JSON: {err.msg}", _where(self.text, err.pos)) from None
        return value

    def expect(self, char: str, what: str) -> None:
        if self.skip() != char:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "the end of the file"
            raise FileProblem(
                f"is not a 360Giving package: expected {what}, found {found}", _where(self.text, self.pos)
            )
        self.pos += 1

    def more(self, closing: str, what: str) -> bool:
        """After a value: True at a comma (moved past it), False at ``closing`` (moved past)."""
        if self.skip() == ",":
            self.pos += 1
            return True
        self.expect(closing, what)
        return False


def _json_grants(text: str, package: Package) -> Iterator[tuple[Any, Source]]:
    """Each grant of the package's ``grants`` list in turn; the other keys go to ``meta``."""
    cursor = _Cursor(text)
    cursor.expect("{", 'a JSON object {"grants": [...]}')
    seen_grants = False
    if cursor.skip() == "}":
        cursor.pos += 1
    else:
        while True:
            key = cursor.value()
            if not isinstance(key, str):
                raise FileProblem("is not valid JSON: object keys must be strings", _where(text, cursor.pos))
            cursor.expect(":", "':' after a key")
            if key == "grants" and cursor.skip() == "[":
                seen_grants = True
                yield from _grants_list(cursor, package)
            else:
                package.meta[key] = cursor.value()
            if not cursor.more("}", "',' or '}' after a value"):
                break
    if cursor.skip():
        raise FileProblem("is not valid JSON: extra data after the package", _where(text, cursor.pos))
    if not seen_grants:
        if "grants" in package.meta:
            raise FileProblem("is not a 360Giving package: 'grants' must be a list of grants")
        raise FileProblem('is not a 360Giving package: it has no "grants" list')


def _grants_list(cursor: _Cursor, package: Package) -> Iterator[tuple[Any, Source]]:
    cursor.pos += 1  # the [
    index = 0
    if cursor.skip() == "]":
        cursor.pos += 1
    else:
        while True:
            yield cursor.value(), Source(position=index, pointer=f"/grants/{index}")
            index += 1
            if not cursor.more("]", "',' or ']' in the list of grants"):
                break
    package.meta["grants_count"] = index


# ---------------------------------------------------------------------------------------------
# The flattened spreadsheet forms
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    key: str
    index: int | None  # the item of a list, or None for an object or a leaf
    schema: dict | None  # the schema of the value at this step (None for an extra)


def _resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    if not ref:
        return schema
    target: Any = load_schema()
    for part in ref[2:].split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


def _types(schema: dict | None) -> set[str]:
    if schema is None:
        return set()
    kind = schema.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)


@cache
def _titles(pointer: str) -> dict[str, tuple[str, dict]]:
    """The fields of the object schema at ``pointer``, by lower-case title and by key."""
    target: Any = load_schema()
    for part in pointer.split("/")[1:]:
        target = target[part]
    target = _resolve(target)
    found: dict[str, tuple[str, dict]] = {}
    for key, sub in target.get("properties", {}).items():
        sub = _resolve(sub)
        found.setdefault(key.lower(), (key, sub))
        if "title" in sub:
            found[sub["title"].strip().lower()] = (key, sub)
    return found


def _object_pointer(sub: dict, pointer: str, key: str) -> str:
    """The pointer of the object schema that items of ``key`` follow."""
    items = sub.get("items", sub)
    ref = items.get("$ref") if isinstance(items, dict) else None
    if ref:
        return "#" + ref[1:]
    return f"{pointer}/properties/{key}" + ("/items" if "items" in sub else "")


def parse_title(title: str) -> list[_Step]:
    """A column title as the steps of its JSON path.

    >>> [(s.key, s.index) for s in parse_title("Recipient Org:Identifier")]
    [('recipientOrganization', 0), ('id', None)]
    >>> [(s.key, s.index) for s in parse_title("Beneficiary Location:1:Geographic Code")]
    [('beneficiaryLocation', 1), ('geoCode', None)]
    >>> [(s.key, s.schema) for s in parse_title("Website: Decision Notes")]
    [('Website', None), ('Decision Notes', None)]
    """
    parts = [part.strip() for part in title.split(":")]
    steps: list[_Step] = []
    pointer: str | None = "#"
    i = 0
    while i < len(parts):
        part = parts[i]
        match = _titles(pointer).get(part.lower()) if pointer is not None else None
        if match is None:
            pointer = None
            steps.append(_Step(part, None, None))
            i += 1
            continue
        key, sub = match
        kinds = _types(sub)
        items = _resolve(sub.get("items", {})) if "items" in sub else {}
        if "array" in kinds and "object" in _types(items):
            index = 0
            if i + 1 < len(parts) and parts[i + 1].isdigit():
                index = int(parts[i + 1])
                i += 1
            steps.append(_Step(key, index, items))
            pointer = _object_pointer(sub, pointer, key)  # type: ignore[arg-type]  # not None: matched
        elif "object" in kinds:
            steps.append(_Step(key, None, sub))
            pointer = f"{pointer}/properties/{key}"
        else:
            steps.append(_Step(key, None, sub))
            pointer = None
        i += 1
    return steps


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return value  # left as text: the schema says it is not a number
    if not number.is_finite():
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).isoformat()


def _convert(value: Any, schema: dict | None) -> Any:
    """A cell's value as flattentool writes it for a field of ``schema`` (``None``: an extra)."""
    kinds = _types(schema)
    if isinstance(value, (dt.date, dt.datetime)):
        return _iso(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    if kinds & {"number", "integer"}:
        return _number(value)
    if "array" in kinds:
        text = _convert(value, {"type": "string"})
        return [part.strip() for part in str(text).split(";") if part.strip()]
    if "string" in kinds:
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _put(grant: dict, steps: list[_Step], value: Any) -> str:
    """Set the value at ``steps`` in ``grant``; the JSON path it went to."""
    node: Any = grant
    path: list[str] = []
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        path.append(step.key)
        if following is None:
            node[step.key] = value
            break
        if step.index is not None:
            items = node.setdefault(step.key, [])
            while len(items) <= step.index:
                items.append({})
            node = items[step.index]
            path.append(str(step.index))
        else:
            node = node.setdefault(step.key, {})
            if not isinstance(node, dict):
                raise FileProblem(f"column titles give {'/'.join(path)} both a value and fields")
    return "/".join(path)


def _cells(path: Path, form: str) -> Iterator[tuple[str | None, list[list[Any]]]]:
    """Each sheet's name and rows (``None`` for a CSV file)."""
    if form == "csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise FileProblem(
                f"is not UTF-8 text (byte {err.start}); save the CSV as UTF-8 and import it again"
            ) from None
        yield None, list(csv.reader(io.StringIO(text, newline="")))
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types for a broken workbook
        raise FileProblem(f"is not a readable XLSX workbook: {err}") from None
    for name in workbook.sheet_names:
        yield name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _read_flat(path: Path, form: str) -> Package:
    sheets = list(_cells(path, form))
    grants: dict[str, tuple[dict, Source]] = {}
    order: list[str] = []
    conflicts: list[tuple[str, Source, str]] = []
    used: list[str] = []
    for name, rows in sheets:
        if not rows:
            continue
        header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
        steps = [parse_title(title) if title else [] for title in header]
        id_columns = [j for j, s in enumerate(steps) if len(s) == 1 and s[0].key == "id"]
        if not id_columns:
            continue
        used.append(name or path.name)
        id_column = id_columns[0]
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell not in ("", None) for cell in row):
                continue
            source = Source(position=len(order), sheet=name, row=number)
            grant = _row_grant(row, steps, header, source)
            key = str(grant.get("id", f"(row {number} of {name or path.name}: no identifier)"))
            if id_column >= len(row) or row[id_column] in ("", None):
                key = f"\0row {name} {number}"  # no identifier: its own grant, which the schema refuses
            if key in grants:
                _merge(grants[key][0], grant, grants[key][1], conflicts, source)
            else:
                grants[key] = (grant, source)
                order.append(key)
    if not used:
        raise FileProblem(
            "has no sheet with an 'Identifier' column: a 360Giving spreadsheet has one row per "
            "grant under the standard's column titles (Identifier, Title, Amount Awarded, ...)"
        )
    package = Package(path=path, form=form, grants=iter(()), sheets=used)
    package.meta["conflicts"] = conflicts
    package.grants = iter([grants[key] for key in order])
    return package


def _row_grant(row: list, steps: list[list[_Step]], header: list[str], source: Source) -> dict:
    """One row as (part of) a grant; which column gave each field goes to ``source``."""
    grant: dict[str, Any] = {}
    for j, cell in enumerate(row):
        if j >= len(steps) or not steps[j] or cell in ("", None):
            continue
        value = _convert(cell, steps[j][-1].schema)
        source.columns[_put(grant, steps[j], value)] = header[j]
    return grant


def _merge(into: dict, extra: dict, source: Source, conflicts: list, at: Source) -> None:
    """Add a repeated row's values to its grant: list items are appended, equal values kept,
    a different value for a single field recorded as a conflict."""
    for key, value in extra.items():
        if key not in into:
            into[key] = value
        elif isinstance(value, list) and isinstance(into[key], list):
            into[key].extend(v for v in value if v not in into[key])
        elif isinstance(value, dict) and isinstance(into[key], dict):
            _merge(into[key], value, source, conflicts, at)
        elif into[key] != value:
            where = Source(position=source.position, sheet=at.sheet, row=at.row, columns=at.columns)
            conflicts.append((key, where, f"row {at.row} repeats the grant with a different {key}"))


__all__ = [
    "FORMATS",
    "FileProblem",
    "Package",
    "Source",
    "form_of",
    "parse_title",
    "path_text",
    "read_package",
]
