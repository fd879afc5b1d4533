"""The official 360Giving JSON schemas, bundled, and checking grants against them offline.

Both schemas declare ``"$schema": "http://json-schema.org/draft/2020-12/schema"`` (http, not
the dialect's https IRI), so the dialect is given to the validator here rather than read from
the file. Formats are asserted (``date-time``, ``uri``), as 360Giving's own checker does: the
schema's dates are a ``oneOf`` of a date-time format and a date pattern, which only works when
the format is checked.

Checking has two paths that must agree (the tests hold them to it). A fast one, compiled from
the schema into plain Python checks of the few keywords it uses, says whether a grant is valid;
only a grant it rejects goes through :mod:`jsonschema` (about ten times slower) for the full,
located list of what is wrong, each described in words by :func:`describe`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ...resources import giving360_dir

GRANT_SCHEMA = "360-giving-schema.json"
PACKAGE_SCHEMA = "360-giving-package-schema.json"

_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))\Z"
)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}]*\Z")


def is_date_time(value: Any) -> bool:
    """Whether ``value`` is an RFC 3339 date-time (``format: date-time``): a real date and time
    with a UTC offset. Values that are not strings pass, as the format applies to strings only.

    >>> is_date_time("2021-01-26T00:00:00+00:00"), is_date_time("2021-01-26"), is_date_time(5)
    (True, False, True)
    >>> is_date_time("2021-02-30T10:00:00Z")
    False
    """
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    try:
        dt.datetime(year, month, day, hour, minute, min(second, 59))  # 60: a leap second
    except ValueError:
        return False
    offset_ok = match[9] is None or (int(match[9]) < 24 and int(match[10]) < 60)
    return second <= 60 and offset_ok


def is_uri(value: Any) -> bool:
    """Whether ``value`` is an absolute URI (``format: uri``): a scheme, a colon and no
    spaces or characters RFC 3986 excludes. Non-strings pass.

    >>> is_uri("http://www.atjf.org.uk"), is_uri("www.atjf.org.uk"), is_uri("http://a b")
    (True, False, False)
    """
    return not isinstance(value, str) or bool(_URI.match(value))


FORMATS: dict[str, Callable[[Any], bool]] = {"date-time": is_date_time, "uri": is_uri}
"""The formats asserted; any other format is an annotation and passes."""


@cache
def load_schema(name: str = GRANT_SCHEMA) -> dict:
    """One of the bundled schemas (:data:`GRANT_SCHEMA`, :data:`PACKAGE_SCHEMA`) as a dict.

    >>> load_schema()["$id"].endswith("360-giving-schema.json")
    True
    """
    return json.loads((giving360_dir() / "schema" / name).read_text(encoding="utf-8"))


def package_meta_schema() -> dict:
    """The package schema without its ``grants`` (those are checked one by one against the
    grant schema, which the package schema names by a URL of another version)."""
    schema = json.loads(json.dumps(load_schema(PACKAGE_SCHEMA)))
    schema["properties"].pop("grants")
    schema["required"] = [key for key in schema.get("required", ()) if key != "grants"]
    return schema


# ---------------------------------------------------------------------------------------------
# jsonschema: the full list of errors, for the grants the fast check rejects
# ---------------------------------------------------------------------------------------------


@cache
def _validator(name: str):
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for fmt, check in FORMATS.items():
        checker.checks(fmt)(check)
    schema = load_schema(name) if name != "package-meta" else package_meta_schema()
    # The dialect is draft 2020-12 whatever the file's $schema says (see the module docstring).
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def errors(instance: Any, *, package: bool = False) -> list:
    """What is wrong with a grant (or, with ``package=True``, a package's metadata: everything
    but its grants), in document order: objects with the attributes of
    :class:`jsonschema.ValidationError` that :func:`describe` reads. They come from the schema's
    own compiled checks (:class:`SchemaError`); only a schema using a keyword those do not know
    is handed to :mod:`jsonschema`."""
    check = _error_check(package)
    if check is None:
        validator = _validator("package-meta" if package else GRANT_SCHEMA)
        found = list(validator.iter_errors(instance))
    else:
        found = check(instance, ())
    return sorted(found, key=lambda e: [str(p) for p in e.absolute_path])


def jsonschema_errors(instance: Any, *, package: bool = False) -> list:
    """The same, from :mod:`jsonschema` itself (the tests compare the two)."""
    validator = _validator("package-meta" if package else GRANT_SCHEMA)
    return sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])


class SchemaError:
    """One thing wrong, as :class:`jsonschema.ValidationError` describes it: the keyword
    (``validator``), its value in the schema, the instance, where it is, and for a ``oneOf``
    the errors of each alternative (``context``)."""

    def __init__(self, validator: str, value: Any, instance: Any, path: tuple, message: str, context=()):
        self.validator, self.validator_value, self.instance = validator, value, instance
        self.absolute_path = list(path)
        self.relative_path = list(path)
        self.message = message
        self.context = list(context)

    def __repr__(self) -> str:
        return f"<SchemaError {self.validator} at {path_text(self.absolute_path)!r}: {self.message}>"


Errors = Callable[[Any, tuple], list]


class _ErrorCompiler:
    """The schema compiled into functions listing what is wrong (for the grants the fast check
    rejects), keyword by keyword as jsonschema reports them."""

    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Errors] = {}

    def ref(self, pointer: str) -> Errors:
        if not pointer.startswith("#/"):
            raise NotCompilable(f"external $ref {pointer}")
        if pointer not in self.refs:
            target: Any = self.root
            for part in pointer[2:].split("/"):
                target = target[part]
            self.refs[pointer] = lambda v, p: []
            self.refs[pointer] = self.compile(target)
        return lambda v, p: self.refs[pointer](v, p)

    def compile(self, schema: Any) -> Errors:  # noqa: C901 - one branch per keyword
        if schema is True or schema == {}:
            return lambda v, p: []
        parts: list[Errors] = []
        for key, arg in schema.items():
            if key in _ANNOTATIONS:
                continue
            parts.append(self.keyword(key, arg))
        return lambda v, p: [e for part in parts for e in part(v, p)]

    def keyword(self, key: str, arg: Any) -> Errors:  # noqa: C901 - one branch per keyword
        if key == "type":
            tests = [_TYPES[t] for t in ([arg] if isinstance(arg, str) else arg)]
            return lambda v, p: (
                []
                if any(t(v) for t in tests)
                else [SchemaError("type", arg, v, p, f"{v!r} is not of type {arg!r}")]
            )
        if key == "properties":
            props = {name: self.compile(sub) for name, sub in arg.items()}
            return lambda v, p: (
                []
                if not isinstance(v, dict)
                else [e for name, check in props.items() if name in v for e in check(v[name], (*p, name))]
            )
        if key == "required":
            return lambda v, p: (
                []
                if not isinstance(v, dict)
                else [
                    SchemaError("required", arg, v, p, f"{name!r} is a required property")
                    for name in arg
                    if name not in v
                ]
            )
        if key == "items":
            item = self.compile(arg)
            return lambda v, p: (
                [] if not isinstance(v, list) else [e for i, x in enumerate(v) for e in item(x, (*p, i))]
            )
        if key == "oneOf":
            options = [self.compile(sub) for sub in arg]

            def one_of(v, p):
                found = [option(v, p) for option in options]
                if sum(1 for f in found if not f) == 1:
                    return []
                context = [e for f in found for e in f]
                for e in context:
                    e.relative_path = e.absolute_path[len(p) :]
                return [
                    SchemaError(
                        "oneOf",
                        arg,
                        v,
                        p,
                        f"{v!r} is not valid under exactly one of the given schemas",
                        context,
                    )
                ]

            return one_of
        if key == "$ref":
            return self.ref(arg)
        simple = _SIMPLE.get(key)
        if simple is None:
            raise NotCompilable(f"keyword {key!r}")
        test, words = simple(arg)
        return lambda v, p: [] if test(v) else [SchemaError(key, arg, v, p, words(v))]


def _enum_check(allowed):
    strings = frozenset(a for a in allowed if isinstance(a, str))
    return (lambda v: isinstance(v, str) and v in strings), (
        lambda v: f"{v!r} is not one of the allowed values"
    )


def _pattern(arg):
    search = re.compile(arg).search
    return (lambda v: not isinstance(v, str) or bool(search(v))), (lambda v: f"{v!r} does not match {arg!r}")


def _format(arg):
    check = FORMATS.get(arg, lambda v: True)
    return check, (lambda v: f"{v!r} is not a {arg!r}")


_SIMPLE: dict[str, Callable] = {
    "minItems": lambda n: (
        (lambda v: not isinstance(v, list) or len(v) >= n),
        lambda v: f"{v!r} is too short",
    ),
    "minimum": lambda n: (
        (lambda v: not _TYPES["number"](v) or v >= n),
        lambda v: f"{v!r} is less than the minimum of {n!r}",
    ),
    "enum": lambda allowed: _enum_check(allowed),
    "pattern": _pattern,
    "format": _format,
    "uniqueItems": lambda on: (
        (lambda v: not on or not isinstance(v, list) or _unique(v)),
        lambda v: "has non-unique elements",
    ),
}


@cache
def _error_check(package: bool = False) -> Errors | None:
    schema = package_meta_schema() if package else load_schema()
    try:
        return _ErrorCompiler(schema).compile(schema)
    except NotCompilable:
        return None


# ---------------------------------------------------------------------------------------------
# The fast path: the schema compiled into Python checks
# ---------------------------------------------------------------------------------------------

_ANNOTATIONS = frozenset(
    {"$id", "$schema", "title", "description", "codelist", "openCodelist", "rollUp", "$defs"}
)
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _unique(items: list) -> bool:
    seen = {json.dumps(item, sort_keys=True) for item in items}
    return len(seen) == len(items)


class NotCompilable(ValueError):
    """The schema uses a keyword the fast checks do not implement (then only jsonschema runs)."""


def _all_of(checks: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """One check that passes when each of ``checks`` does (two or three spelt out: a generator
    per value was a fifth of the time of checking a grant)."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)
    return lambda v: all(check(v) for check in checks)


def _type_check(names: list[str]) -> Callable[[Any], bool]:
    if len(names) == 1:
        return _TYPES[names[0]]
    tests = [_TYPES[t] for t in names]
    return lambda v: any(t(v) for t in tests)


def _properties_check(props: dict[str, Callable[[Any], bool]]) -> Callable[[Any], bool]:
    # Over the object's own fields: a grant has a dozen, its schema some thirty.
    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for name, value in v.items():
            field = props.get(name)
            if field is not None and not field(value):
                return False
        return True

    return check


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, list[Callable[[Any], bool]]] = {}

    def ref(self, pointer: str) -> Callable[[Any], bool]:
        if not pointer.startswith("#/"):
            raise NotCompilable(f"external $ref {pointer}")
        if pointer not in self.refs:
            target: Any = self.root
            for part in pointer[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            cell: list[Callable[[Any], bool]] = [lambda v: False]  # a placeholder in a cycle
            self.refs[pointer] = cell
            cell[0] = self.compile(target)
        cell = self.refs[pointer]
        return lambda v: cell[0](v)

    def compile(self, schema: Any) -> Callable[[Any], bool]:  # noqa: C901 - one branch per keyword
        if schema is True or schema == {}:
            return lambda v: True
        if not isinstance(schema, dict):
            raise NotCompilable(f"schema {schema!r}")
        checks: list[Callable[[Any], bool]] = []
        for key, arg in schema.items():
            if key in _ANNOTATIONS:
                continue
            if key == "type":
                checks.append(_type_check([arg] if isinstance(arg, str) else list(arg)))
            elif key == "properties":
                checks.append(_properties_check({name: self.compile(sub) for name, sub in arg.items()}))
            elif key == "required":
                checks.append(
                    lambda v, names=tuple(arg): not isinstance(v, dict) or all(n in v for n in names)
                )
            elif key == "items":
                item = self.compile(arg)
                checks.append(lambda v, item=item: not isinstance(v, list) or all(map(item, v)))
            elif key == "minItems":
                checks.append(lambda v, n=arg: not isinstance(v, list) or len(v) >= n)
            elif key == "uniqueItems":
                if arg:
                    checks.append(lambda v: not isinstance(v, list) or _unique(v))
            elif key == "minimum":
                checks.append(lambda v, n=arg: not _TYPES["number"](v) or v >= n)
            elif key == "enum":
                if not all(isinstance(e, str) for e in arg):
                    raise NotCompilable("enum of values that are not strings")
                allowed = frozenset(arg)
                checks.append(lambda v, allowed=allowed: isinstance(v, str) and v in allowed)
            elif key == "pattern":
                search = re.compile(arg).search
                checks.append(lambda v, search=search: not isinstance(v, str) or bool(search(v)))
            elif key == "format":
                fmt = FORMATS.get(arg)
                if fmt is not None:
                    checks.append(fmt)
            elif key == "oneOf":
                options = [self.compile(sub) for sub in arg]
                checks.append(lambda v, options=options: sum(1 for o in options if o(v)) == 1)
            elif key == "$ref":
                checks.append(self.ref(arg))
            else:
                raise NotCompilable(f"keyword {key!r}")
        return _all_of(checks)


@cache
def fast_check(package: bool = False) -> Callable[[Any], bool] | None:
    """The grant schema (or, with ``package=True``, the package's metadata schema) compiled into
    one function saying whether an instance is valid, or ``None`` when the schema uses a keyword
    the compiler does not know.

    >>> check = fast_check()
    >>> check({"id": "360G-x", "title": "t", "description": "d", "currency": "GBP",
    ...        "amountAwarded": 10, "awardDate": "2021-01-26",
    ...        "recipientOrganization": [{"id": "GB-CHC-1", "name": "R"}],
    ...        "fundingOrganization": [{"id": "GB-CHC-2", "name": "F"}]})
    True
    >>> check({"id": "360G-x", "currency": "GBX"})
    False
    """
    schema = package_meta_schema() if package else load_schema()
    try:
        return _Compiler(schema).compile(schema)
    except NotCompilable:
        return None


def is_valid(instance: Any, *, package: bool = False) -> bool:
    """Whether a grant (or a package's metadata) conforms to the schema, by the fast path when
    the schema compiles (jsonschema itself is imported only for what it rejects)."""
    check = fast_check(package)
    if check is None:
        return not errors(instance, package=package)
    return check(instance)


# ---------------------------------------------------------------------------------------------
# Errors in words
# ---------------------------------------------------------------------------------------------

_TYPE_WORDS = {
    "string": "text",
    "number": "a number (no commas or currency signs)",
    "integer": "a whole number",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "empty",
}
_DATE_RULE = (
    "a date as YYYY-MM-DD (e.g. 2021-01-26) or a date-time with its offset (e.g. 2021-01-26T00:00:00+00:00)"
)
_DATE_OR_MONTH_RULE = "a date as YYYY-MM-DD, YYYY-MM or YYYY, or a date-time with its offset"


def path_text(path) -> str:
    """A JSON path as ``recipientOrganization/0/id`` (``""`` for the grant itself).

    >>> path_text(["recipientOrganization", 0, "id"])
    'recipientOrganization/0/id'
    """
    return "/".join(str(part) for part in path)


def _types(schema_type) -> str:
    names = [schema_type] if isinstance(schema_type, str) else list(schema_type)
    return " or ".join(_TYPE_WORDS.get(t, t) for t in names if t != "null") or "empty"


def _one_of(error) -> Iterator[tuple[str, str]]:
    """A failed ``oneOf`` in words: the date alternatives, the recipient alternatives, or the
    requirements every alternative shares."""
    options = error.validator_value
    if all(set(o) <= {"format", "pattern"} for o in options):
        months = any("?$" in o.get("pattern", "") for o in options)
        yield "", _DATE_OR_MONTH_RULE if months else _DATE_RULE
        return
    required = [set(o.get("required", ())) for o in options]
    if required and all(required):
        common = set.intersection(*required)
        present = set(error.instance) if isinstance(error.instance, dict) else set()
        missing = sorted(common - present)
        for name in missing:
            yield name, f"{name} is required"
        alternatives = sorted(set.union(*required) - common)
        given = [a for a in alternatives if a in present]
        if len(given) > 1:
            yield "", f"exactly one of {' or '.join(alternatives)}, not both"
        elif not given and alternatives:
            yield "", f"one of {' or '.join(alternatives)} is required"
        if missing or len(given) != 1:
            return
    for sub in sorted(error.context, key=lambda e: [str(p) for p in e.relative_path]):
        yield from describe(sub, _nested=True)


def describe(error, *, _nested: bool = False) -> Iterator[tuple[str, str]]:
    """A :class:`jsonschema.ValidationError` as ``(field path, rule in words)`` pairs (a
    failed ``oneOf`` may give several). The path is relative to the grant.

    >>> error = next(e for e in errors({"amountAwarded": "£10"}) if e.validator == "type")
    >>> list(describe(error))
    [('amountAwarded', 'a number (no commas or currency signs)')]
    """
    path = path_text(error.absolute_path if not _nested else error.relative_path)
    kind, arg = error.validator, error.validator_value
    if kind == "oneOf":
        for sub_path, rule in _one_of(error):
            yield "/".join(p for p in (path, sub_path) if p), rule
        return
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        yield "/".join(p for p in (path, missing) if p), f"{missing} is required"
        return
    words = _RULES.get(kind)
    yield path, words(arg) if words else error.message


def _enum_rule(allowed) -> str:
    if len(allowed) <= 5:
        return "one of " + ", ".join(str(v) for v in allowed)
    example = next((c for c in ("GBP", "GB") if c in allowed), allowed[0])
    return f"one of the standard's codes, such as {example}"


_RULES: dict[str, Callable[[Any], str]] = {
    "type": _types,
    "enum": _enum_rule,
    "format": lambda arg: {"uri": "a web address starting with its scheme, e.g. https://example.org/"}.get(
        arg, f"a value of format {arg}"
    ),
    "pattern": lambda arg: f"text matching the pattern {arg}",
    "minItems": lambda arg: f"at least {arg} item{'s' if arg != 1 else ''}",
    "minimum": lambda arg: f"a number no less than {arg}",
    "uniqueItems": lambda arg: "no two items the same",
}
"""Each keyword's rule in words, from its value in the schema."""
