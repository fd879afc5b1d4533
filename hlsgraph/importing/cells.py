"""Reading every cell of a sheet as its template column's type says: free text, ids, dates,
numbers, whole numbers in a range, codes matching a pattern, one of a column's allowed values,
or references (:mod:`.references`). A required cell left empty, or one that cannot be read, is
a problem of its row naming the column and what was expected."""

from __future__ import annotations

import re
from functools import partial
from operator import itemgetter
from typing import Any

from ..errors import nearest
from ..namespaces import ACCESS_LEVELS, PREFIXES
from ..store.terms import parse_iri
from ..validation.shapes import Lit
from .batch import Batch, CellProblem
from .references import References
from .templates import Column
from .values import normal_choice, normal_header, parse_date, parse_number

XSD = PREFIXES["xsd"]
STRING = XSD + "string"
# Lit(...) goes through a Python-level __new__; tuple.__new__ builds the same thing in C, which
# matters for the hundreds of thousands of text cells of a large sheet.
_new_lit = partial(tuple.__new__, Lit)
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def parse_cells(batch: Batch, refs: References) -> None:
    """Fill ``batch.parsed`` with every template column's values, one per row; record the
    problems of cells that are missing or cannot be read."""
    table = batch.table
    for row, index, value, expected in table.cell_problems:
        header = table.header[index] if index < len(table.header) else f"#{index + 1}"
        batch.problem(row, normal_header(header) or header, value, expected)
    parser = _CellParser(refs)
    for col in batch.kind.columns:
        j = batch.columns.get(col.name)
        if j is None:
            batch.parsed[col.name] = [None] * batch.n
            continue
        values = list(map(str.strip, map(itemgetter(j), table.rows)))
        formulas = {i for i, j2, _, _ in table.cell_problems if j2 == j}
        if col.type in ("text", "id", "unit") and not col.multi:
            batch.parsed[col.name] = _text_column(batch, col, values, formulas)
        else:
            batch.parsed[col.name] = _typed_column(batch, col, values, formulas, parser)


def _text_column(batch: Batch, col: Column, values: list[str], formulas: set[int]) -> list[Any]:
    """Free text needs no parsing: only the required check."""
    make = _new_lit
    out = [make((text, STRING, None)) if text else None for text in values]
    for i in formulas:
        out[i] = None
    if col.required:
        for i in [i for i, text in enumerate(values) if not text]:
            if i not in formulas:
                batch.problem(i, col.name, "", required_text(col))
    return out


def _typed_column(
    batch: Batch, col: Column, values: list[str], formulas: set[int], parser: _CellParser
) -> list[Any]:
    """Each distinct value is parsed once; the column is then a dictionary look-up per cell,
    and only the cells with problems are visited again."""
    good: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for text in set(values):
        if not text:
            continue
        try:
            good[text] = parser.parse(col, text)
        except CellProblem as err:
            bad[text] = str(err)
    out = list(map(good.get, values))
    for i in formulas:
        out[i] = None
    missing = [i for i, text in enumerate(values) if not text] if col.required else []
    wrong = [i for i, text in enumerate(values) if text in bad] if bad else []
    for i in sorted({*missing, *wrong} - formulas):
        text = values[i]
        batch.problem(i, col.name, text, bad[text] if text else required_text(col))
    return out


def required_text(col: Column) -> str:
    """What a required cell left empty should hold."""
    if col.type == "access":
        return (
            f"an access level, one of {', '.join(ACCESS_LEVELS)}; there is no default, "
            "so say who may see this row"
        )
    return f"a value: {col.name} is required ({col.type_text})"


class _CellParser:
    """Parses cell text by column type; the parts of multi-valued cells (``a; b``) are parsed
    once per column, however many cells combine them."""

    def __init__(self, refs: References):
        self.refs = refs
        self._parts: dict[tuple[str, str], Any] = {}

    def parse(self, col: Column, text: str) -> Any:
        if not col.multi:
            return self.parse_one(col, text)
        results = []
        errors = []
        for part in text.split(";"):
            part = part.strip()
            if not part:
                continue
            key = (col.name, part)
            found = self._parts.get(key)
            if found is None:
                try:
                    found = self.parse_one(col, part)
                except CellProblem as problem:
                    found = problem
                self._parts[key] = found
            if isinstance(found, CellProblem):
                errors.append(str(found))
            else:
                results.append(found)
        if errors:
            raise CellProblem("; ".join(errors))
        return tuple(dict.fromkeys(results))

    def parse_one(self, col: Column, text: str) -> Any:
        kind = col.type
        try:
            if kind in ("text", "unit", "id"):
                return Lit(text, STRING)
            if kind == "date":
                return parse_date(text)
            if kind == "number":
                return parse_number(text)
            if kind == "integer":
                return _integer(col, text)
            if kind == "code":
                if col.pattern and not re.fullmatch(col.pattern.strip("^$"), text):
                    raise CellProblem(f"text matching {col.pattern} (e.g. {col.example})")
                return Lit(text, STRING)
            if kind in ("access", "choice"):
                return _choice(col, text)
            return self.refs.resolve(col, text)
        except ValueError as err:
            raise CellProblem(str(err)) from None


def _integer(col: Column, text: str) -> Lit:
    if not _WHOLE_NUMBER.fullmatch(text):
        raise CellProblem(f"a whole number ({col.type_text}), not {text!r}")
    number = int(text)
    if (col.minimum is not None and number < col.minimum) or (
        col.maximum is not None and number > col.maximum
    ):
        raise CellProblem(f"{col.type_text}; {number} is out of range")
    return Lit(str(number), XSD + "integer")


def _choice(col: Column, text: str) -> str:
    key = normal_choice(text)
    for label, iri in col.allowed.items():
        if key == normal_choice(label):
            return iri
    node = parse_iri(text)
    if node is not None and node.value in col.allowed.values():
        return node.value
    close = nearest(key, list(col.allowed), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise CellProblem("one of " + ", ".join(col.allowed) + hint)
