"""The value-level SHACL core constraints, each a function saying why a value fails it (or
``None``): datatype and well-formed lexical forms, class, node kind, ``sh:in``, pattern, lengths,
ranges, language tags, and the logical ``sh:or`` / ``sh:and`` / ``sh:xone`` / ``sh:not`` /
``sh:node``. Messages hold :data:`PLACEHOLDER` where the value goes, so that one message serves
every value that fails alike."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from ..namespaces import PREFIXES
from ..store.terms import compact
from .items import Lit, Term

SH = PREFIXES["sh"]
XSD = PREFIXES["xsd"]
PLACEHOLDER = "\x00"


class Context(Protocol):
    """What the class and logical constraints need of the check they run in."""

    def classes(self, node: Term) -> frozenset[str]: ...

    def conforms(self, shape: Any, value: Term) -> bool: ...


_NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def _number(term: Term) -> Decimal | None:
    if isinstance(term, Lit) and term.datatype in _NUMERIC:
        try:
            return Decimal(term.lex)
        except InvalidOperation:
            return None
    return None


def _compare(value: Term, bound: Term) -> int | None:
    a, b = _number(value), _number(bound)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    if isinstance(value, Lit) and isinstance(bound, Lit) and value.datatype == bound.datatype:
        return (value.lex > bound.lex) - (value.lex < bound.lex)
    return None


def show(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Lit):
        return term.lex
    return term


WELL_FORMED = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "gYearMonth": re.compile(r"-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
}


def well_formed(value: Lit) -> bool:
    pattern = WELL_FORMED.get(value.datatype)
    return pattern is None or bool(pattern.fullmatch(value.lex))


def _datatype(arg: str, value: Term, context: Context) -> str | None:
    if not isinstance(value, Lit) or value.datatype != arg:
        got = compact(value.datatype) if isinstance(value, Lit) else "an IRI"
        return f"{PLACEHOLDER} should be of datatype {compact(arg)}, not {got}"
    if not well_formed(value):
        return f"{PLACEHOLDER} is not a valid {compact(arg)}"
    return None


def _class(arg: str, value: Term, context: Context) -> str | None:
    if isinstance(value, Lit) or arg not in context.classes(value):
        return f"{PLACEHOLDER} should be a {compact(arg)}"
    return None


def _node_kind(arg: str, value: Term, context: Context) -> str | None:
    kind = "Literal" if isinstance(value, Lit) else ("BlankNode" if value.startswith("_:") else "IRI")
    if kind not in arg[len(SH) :]:
        return f"{PLACEHOLDER} should be a {arg[len(SH) :]}"
    return None


def _in(arg: frozenset, value: Term, context: Context) -> str | None:
    if value in arg or (isinstance(value, Lit) and Lit(value.lex, value.datatype, None) in arg):
        return None
    allowed = ", ".join(sorted(show(a) if isinstance(a, Lit) else compact(a) for a in arg))
    return f"{PLACEHOLDER} should be one of {allowed}"


def _pattern(arg: re.Pattern, value: Term, context: Context) -> str | None:
    if (not isinstance(value, Lit) and value.startswith("_:")) or not arg.search(show(value)):
        return f"{PLACEHOLDER} should match {arg.pattern}"
    return None


def _length(key: str):
    def check(arg: int, value: Term, context: Context) -> str | None:
        if not isinstance(value, Lit) and value.startswith("_:"):
            return f"a blank node has no length ({key})"
        size = len(show(value))
        if (key == "minLength" and size < arg) or (key == "maxLength" and size > arg):
            bound = "at least" if key == "minLength" else "at most"
            return f"{PLACEHOLDER} should be {bound} {arg} characters long"
        return None

    return check


_RANGES = {
    "minInclusive": ("at least", lambda order: order >= 0),
    "maxInclusive": ("at most", lambda order: order <= 0),
    "minExclusive": ("more than", lambda order: order > 0),
    "maxExclusive": ("less than", lambda order: order < 0),
}


def _range(key: str):
    words, holds = _RANGES[key]

    def check(arg: Term, value: Term, context: Context) -> str | None:
        order = _compare(value, arg)
        if order is None or not holds(order):
            return f"{PLACEHOLDER} should be {words} {show(arg)}"
        return None

    return check


def _language_in(arg: tuple[str, ...], value: Term, context: Context) -> str | None:
    lang = value.lang.lower() if isinstance(value, Lit) and value.lang else None
    if lang is None or not any(lang == tag or lang.startswith(tag + "-") for tag in arg):
        return f"{PLACEHOLDER} should have a language tag among {', '.join(arg)}"
    return None


def _logical(key: str):
    def check(arg: Any, value: Term, context: Context) -> str | None:
        conforming = [context.conforms(s, value) for s in (arg if isinstance(arg, list) else [arg])]
        if key == "or" and not any(conforming):
            return f"{PLACEHOLDER} matches none of the allowed forms"
        if key == "and" and not all(conforming):
            return f"{PLACEHOLDER} does not meet every required form"
        if key == "xone" and sum(conforming) != 1:
            return f"{PLACEHOLDER} should match exactly one of the allowed forms"
        if key == "not" and conforming[0]:
            return f"{PLACEHOLDER} has a form that is not allowed"
        if key == "node" and not conforming[0]:
            return f"{PLACEHOLDER} does not conform to {arg.name}"
        return None

    return check


CHECKS = {
    "datatype": _datatype,
    "class": _class,
    "nodeKind": _node_kind,
    "in": _in,
    "pattern": _pattern,
    "minLength": _length("minLength"),
    "maxLength": _length("maxLength"),
    **{key: _range(key) for key in _RANGES},
    "languageIn": _language_in,
    **{key: _logical(key) for key in ("or", "and", "xone", "not", "node")},
}
"""Constraint name -> ``check(argument, value, context)``: why ``value`` fails it, or ``None``."""


def failure(key: str, arg: Any, value: Term, context: Context) -> str | None:
    """Why ``value`` fails the value-level constraint ``key`` with argument ``arg``, or ``None``
    (also for constraints that are not value-level).

    >>> failure("datatype", PREFIXES["xsd"] + "date", Lit("2024-13", PREFIXES["xsd"] + "gYearMonth"), None)
    '\\x00 should be of datatype xsd:date, not xsd:gYearMonth'
    """
    check = CHECKS.get(key)
    return None if check is None else check(arg, value, context)
