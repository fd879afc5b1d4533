"""360Giving values as N-Triples terms: text, numbers, dates and the literals of each kind of
field the mapping reads (docs/360giving.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ...namespaces import PREFIXES
from ...vocabulary.giving360 import Field
from . import schema as schemas

XSD = PREFIXES["xsd"]


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_MONTH = re.compile(r"\d{4}-\d{2}\Z")
_YEAR = re.compile(r"\d{4}\Z")


_SPECIAL = re.compile(r'[\\"\n\r]')


def text_literal(value: str) -> str:
    """``value`` as an N-Triples string literal.

    >>> print(text_literal('a "b"'), text_literal("plain"))
    "a \\"b\\"" "plain"
    """
    if _SPECIAL.search(value) is None:  # most text: one scan, no copy through the table
        return '"' + value + '"'
    return '"' + value.translate(_ESCAPES) + '"'


def typed_literal(lex: str, datatype: str) -> str:
    return f"{text_literal(lex)}^^<{XSD}{datatype}>"


def decimal_lexical(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")


def date_literal(value: str) -> str:
    """A 360Giving date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or an RFC 3339 date-time) as an
    N-Triples literal of the matching XSD type.

    >>> date_literal("2021-01-26"), date_literal("2020-11")
    ('"2021-01-26"^^<http://www.w3.org/2001/XMLSchema#date>', '"2020-11"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>')
    >>> date_literal("2021-01-26t00:00:00z")
    '"2021-01-26T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>'
    """
    if _DATE.match(value):
        return typed_literal(value, "date")
    if _MONTH.match(value):
        return typed_literal(value, "gYearMonth")
    if _YEAR.match(value):
        return typed_literal(value, "gYear")
    if schemas.is_date_time(value):
        return typed_literal(value.upper(), "dateTime")
    return text_literal(value)


def field_literals(field: Field, value: Any) -> Iterable[str]:
    kind = field.kind
    if value is None:
        return ()
    if kind == "string":
        return (text_literal(str(value)),)
    if kind == "number":
        return (typed_literal(decimal_lexical(value), "decimal"),)
    if kind == "date":
        return (date_literal(value),)
    if kind == "datetime":
        return (
            typed_literal(value.upper(), "dateTime") if schemas.is_date_time(value) else text_literal(value),
        )
    if kind == "uri":
        return (typed_literal(value, "anyURI"),)
    if kind == "strings":
        return tuple(text_literal(str(v)) for v in value if v is not None)
    raise ValueError(f"no literal for field kind {kind}")  # the kinds are the schema table's own
