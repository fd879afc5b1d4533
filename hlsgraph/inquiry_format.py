"""The format of a named inquiry's ``.rq`` file: its ``#+`` header read as YAML and checked
against :data:`HEADER_SCHEMA` (messages name the file, the line and the nearest valid key), and
what it declares, an :class:`Inquiry` with typed :class:`Parameter` s, whose values read as
literals of their type by :func:`parameter_literal`. The format is described in
``docs/inquiries.md``; :mod:`hlsgraph.inquiries` loads a folder of them and binds parameters.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import InquiryFormatError, InquiryParameterError, UnknownParameterError, did_you_mean
from .namespaces import PREFIXES
from .store.terms import parse_iri

XSD = PREFIXES["xsd"]

PARAMETER_TYPES = (
    "iri",
    "concept",
    "place",
    "organisation",
    "class",
    "string",
    "integer",
    "decimal",
    "date",
    "boolean",
)
"""The types a parameter may declare."""

RESOURCE_KINDS: dict[str, str | None] = {
    "iri": None,
    "concept": PREFIXES["skos"] + "Concept",
    "place": PREFIXES["hls"] + "Place",
    "organisation": PREFIXES["hls"] + "Organisation",
    "class": PREFIXES["rdfs"] + "Class",
}
"""Parameter types whose values are resources, with the class a label must resolve within
(``None``: any resource)."""

_DEFAULT_VALUES_FROM = {
    "concept": "skos:Concept",
    "place": "hls:Place",
    "organisation": "hls:Organisation",
    "class": "owl:Class",
}


def _is_query(text: str) -> bool:
    """Whether a ``values_from`` is a SPARQL query rather than a class."""
    return bool(re.match(r"\s*(PREFIX|BASE|SELECT)\b", text, re.IGNORECASE))


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of an inquiry.

    ``name`` is the query variable it binds (without ``?``); ``type`` one of
    :data:`PARAMETER_TYPES`; ``default`` the value used when none is given (as written in the
    header, converted like a given value), ``values_from`` where the allowed values come from:
    a class as a prefixed name or IRI, or a ``SELECT ?value ?label`` query.
    """

    name: str
    type: str
    default: str | None = None
    required: bool = False
    values_from: str | None = None
    description: str = ""
    multiple: bool = False  # takes a list of values (bound as one VALUES row each)
    min_values: int = 1  # for a list-valued parameter: how many values it needs at least

    @property
    def kind(self) -> str | None:
        """The class a label given for this parameter must resolve within, or ``None``: the
        class ``values_from`` names when it names one (so "Trust" given for a parameter whose
        values come from ``hls:HLSFeature`` finds the HLS feature), else the type's class.

        >>> Parameter("place", "place").kind
        'https://w3id.org/hls/Place'
        >>> Parameter("case", "iri", values_from="hls:CaseStudy").kind
        'https://w3id.org/hls/CaseStudy'
        """
        if self.type not in RESOURCE_KINDS:
            return None
        if self.values_from and not _is_query(self.values_from):
            iri = parse_iri(self.values_from)
            if iri is not None:
                return iri.value
        return RESOURCE_KINDS[self.type]

    @property
    def is_resource(self) -> bool:
        """Whether values of this parameter are resources (IRIs) rather than literals."""
        return self.type in RESOURCE_KINDS


@dataclass(frozen=True)
class Inquiry:
    """A named inquiry: one ``.rq`` file, its header and its query text."""

    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    query: str
    path: Path | None = None
    pivot: dict[str, str] | None = None  # the post-step that turns long rows into columns

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; :class:`UnknownParameterError` naming the valid ones.

        >>> inq = Inquiry("x", "X", "", (), (Parameter("concept", "concept"),), "SELECT * {}")
        >>> inq.parameter("concept").type
        'concept'
        """
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        names = [p.name for p in self.parameters]
        valid = ", ".join(names) if names else "none"
        raise UnknownParameterError(
            f"inquiry {self.name!r} has no parameter {name!r}{did_you_mean(name, names)} "
            f"Its parameters: {valid}."
        )


# --------------------------------------------------------------------------- the header

HEADER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The #+ header of a named inquiry (docs/inquiries.md)",
    "type": "object",
    "required": ["summary", "description"],
    "additionalProperties": False,
    "properties": {
        "summary": {"type": "string", "minLength": 1, "description": "the title, one line"},
        "description": {"type": "string", "minLength": 1, "description": "what the inquiry asks"},
        "tags": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "params": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "pivot": {"$ref": "#/$defs/pivot"},
    },
    "$defs": {
        "item": {
            "description": "one parameter: its name (a SPARQL variable) and its fields",
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "additionalProperties": {"$ref": "#/$defs/parameter"},
        },
        "parameter": {
            "type": "object",
            "required": ["type"],
            "additionalProperties": False,
            "properties": {
                "type": {"enum": list(PARAMETER_TYPES)},
                "required": {"type": "boolean"},
                "default": {"type": ["string", "number", "boolean"]},
                "description": {"type": "string"},
                "values_from": {"type": "string", "minLength": 1},
                "multiple": {"type": "boolean"},
                "min_values": {"type": "integer", "minimum": 1},
            },
        },
        "pivot": {
            "description": "turn the long rows into one column per value of a variable (docs/inquiries.md)",
            "type": "object",
            "required": ["columns", "values"],
            "additionalProperties": False,
            "properties": {
                "columns": {"type": "string", "minLength": 1},
                "label": {"type": "string", "minLength": 1},
                "values": {"type": "string", "minLength": 1},
                "fill": {"type": ["number", "string"]},
            },
        },
    },
}
"""The JSON Schema of a ``#+`` header, read as YAML: the keys it may have and the fields of a
parameter. :func:`parse_inquiry` checks a header against it (with messages naming the file, the
line and the nearest valid key or type); the tests check every bundled header with jsonschema."""

_TOP_KEYS = tuple(HEADER_SCHEMA["properties"])
_PARAM_KEYS = tuple(HEADER_SCHEMA["$defs"]["parameter"]["properties"])
_NAME = re.compile(HEADER_SCHEMA["$defs"]["item"]["propertyNames"]["pattern"])
_PIVOT_KEYS = tuple(HEADER_SCHEMA["$defs"]["pivot"]["properties"])
# libyaml's parser when PyYAML has it (several times faster), else PyYAML's own; both build
# only plain YAML values, as yaml.safe_load does.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_QUOTE_HINT = "quote a value that holds ': ', e.g. summary: \"Why: how\""
_YAML_HINTS = {
    "mapping values are not allowed here": _QUOTE_HINT,
    "mapping values are not allowed in this context": _QUOTE_HINT,
    "found unexpected end of stream": "a quoted value or a bracket is not closed",
}


class _Header:
    """One ``.rq`` file's ``#+`` header as it is read: its lines, its YAML and its query."""

    def __init__(self, text: str, path: Path):
        self.path = path
        self.lines = text.splitlines()
        self.body_start = self._split()
        self.node, self.data = self._load()

    def error(self, message: str, line: int) -> InquiryFormatError:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return InquiryFormatError(message, self.path, line, text)

    def _split(self) -> int:
        """Where the query starts, checking that the header lines are well formed."""
        body_start = next(
            (i for i, line in enumerate(self.lines) if not line.startswith("#+")), len(self.lines)
        )
        for index, line in enumerate(self.lines):
            if index < body_start and line[2:] and not line.startswith("#+ "):
                raise self.error("expected a space after '#+'", index + 1)
            if index >= body_start and line.startswith("#+"):
                raise self.error("'#+' header lines must all come before the query", index + 1)
        return body_start

    def _load(self):
        """The header's YAML: its node tree (which knows each key's line) and its value."""
        text = "\n".join(line[3:] for line in self.lines[: self.body_start])
        loader = _YAML_LOADER(text)
        try:
            # yaml.safe_load in its two steps, keeping the nodes for the lines of keys.
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        except yaml.MarkedYAMLError as err:
            raise self.error(self._yaml_message(err), self._yaml_line(err)) from None
        except yaml.YAMLError as err:
            raise self.error(f"not valid YAML: {err}", 1) from None
        finally:
            loader.dispose()
        self._check_unique_keys(node)
        return node, data

    def _yaml_message(self, err: yaml.MarkedYAMLError) -> str:
        what = ", ".join(part for part in (err.context, err.problem) if part)
        hint = _YAML_HINTS.get(err.problem or "")
        return f"not valid YAML ({what})" + (f"; {hint}" if hint else "")

    def _yaml_line(self, err: yaml.MarkedYAMLError) -> int:
        # The header's YAML has one line per header line, so YAML's line is the file's; a
        # problem found only at the end (an unclosed quote) is placed where its context began.
        mark = err.problem_mark
        if (mark is None or mark.line >= self.body_start) and err.context_mark is not None:
            mark = err.context_mark
        return min(mark.line, max(self.body_start - 1, 0)) + 1 if mark is not None else 1

    def _check_unique_keys(self, node) -> None:
        """YAML forbids a key twice in one mapping, but PyYAML keeps the last one silently."""
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if key.value in seen:
                    raise self.error(f"{key.value!r} given twice", key.start_mark.line + 1)
                seen.add(key.value)
                self._check_unique_keys(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._check_unique_keys(item)

    def line_of(self, *keys: str | int) -> int:
        """The file line of the value at ``keys`` (mapping keys and list indices), as far as it
        is found (line 1 for the header as a whole)."""
        node, line = self.node, 1
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                found = [(k, v) for k, v in node.value if k.value == key]
                if not found:
                    break
                line, node = found[0][0].start_mark.line + 1, found[0][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    # ------------------------------------------------------------------ against the schema

    def top(self) -> dict[str, Any]:
        """The header's keys, checked against :data:`HEADER_SCHEMA`."""
        data = self.data
        if not isinstance(data, dict):
            raise self.error(f"expected 'key: value' lines with keys {', '.join(_TOP_KEYS)}", 1)
        for key in data:
            if key not in _TOP_KEYS:
                raise self.error(
                    f"unknown header key {key!r}{did_you_mean(str(key), _TOP_KEYS)} "
                    f"(expected one of {', '.join(_TOP_KEYS)})",
                    self.line_of(key),
                )
        for key in ("summary", "description"):
            if data.get(key) in (None, ""):
                raise self.error(f"the header lacks '{key}:'", 1)
            if not isinstance(data[key], str):
                raise self.error(
                    f"{key!r} must be text, not {_yaml_text(data[key])}; quote it", self.line_of(key)
                )
        self._check_lists(data)
        return data

    def _check_lists(self, data: dict[str, Any]) -> None:
        tags = data.get("tags", [])
        if not isinstance(tags, list):
            raise self.error("expected a list in brackets, e.g. [stories, places]", self.line_of("tags"))
        for tag in tags:
            if not isinstance(tag, str) or not tag:
                raise self.error(f"a tag must be text, not {_yaml_text(tag)}", self.line_of("tags"))
        if not isinstance(data.get("params") or [], list):
            raise self.error(
                "'params:' takes its items on the following lines ('#+   - name: {...}') or '[]' for none",
                self.line_of("params"),
            )

    def parameter(self, index: int, item: Any) -> Parameter:
        """Parameter ``index`` of ``params:``, checked against :data:`HEADER_SCHEMA`."""
        line = self.line_of("params", index)
        if not isinstance(item, dict) or len(item) != 1:
            raise self.error("expected a parameter item '- name: {type: ..., ...}' under 'params:'", line)
        ((name, fields),) = item.items()
        if not isinstance(name, str) or not _NAME.match(name):
            raise self.error(
                f"expected '- name: {{type: ..., ...}}' with name a SPARQL variable name (letters, "
                f"digits, underscore), not {_yaml_text(name)}",
                line,
            )
        if not isinstance(fields, dict):
            raise self.error(
                f"parameter {name!r}: expected its fields in braces, e.g. {{type: concept, "
                f"required: true}}, not {_yaml_text(fields)}",
                line,
            )
        for key in fields:
            if key not in _PARAM_KEYS:
                raise self.error(
                    f"parameter {name!r}: unknown field {key!r}{did_you_mean(str(key), _PARAM_KEYS)} "
                    f"(expected {', '.join(_PARAM_KEYS)})",
                    self.line_of("params", index, name, key),
                )
        return self._parameter_fields(name, fields, lambda *keys: self.line_of("params", index, name, *keys))

    def _parameter_fields(self, name: str, fields: dict, line_of) -> Parameter:
        ptype = self._parameter_type(name, fields, line_of)
        required = self._flag(name, fields, "required", line_of)
        default = self._parameter_default(name, fields, ptype, required, line_of)
        for key in ("description", "values_from"):
            if key in fields and not isinstance(fields[key], str):
                raise self.error(
                    f"parameter {name!r}: {key!r} must be text, not {_yaml_text(fields[key])}", line_of(key)
                )
        multiple = self._flag(name, fields, "multiple", line_of)
        min_values = fields.get("min_values", 1)
        if (
            isinstance(min_values, bool)
            or not isinstance(min_values, int)
            or min_values < 1
            or (min_values > 1 and not multiple)
        ):
            raise self.error(
                f"parameter {name!r}: 'min_values' must be a whole number of at least 1, and only a "
                f"list-valued parameter (multiple: true) takes more than one, not {_yaml_text(min_values)}",
                line_of("min_values"),
            )
        return Parameter(
            name=name,
            type=ptype,
            default=default,
            required=required,
            values_from=fields.get("values_from", _DEFAULT_VALUES_FROM.get(ptype)),
            description=fields.get("description", ""),
            multiple=multiple,
            min_values=min_values,
        )

    def _parameter_type(self, name: str, fields: dict, line_of) -> str:
        ptype = fields.get("type")
        choices = f"(expected one of {', '.join(PARAMETER_TYPES)})"
        if ptype is None:
            raise self.error(f"parameter {name!r} has no 'type' {choices}", line_of())
        if ptype not in PARAMETER_TYPES:
            raise self.error(
                f"parameter {name!r}: unknown type {_yaml_text(ptype)}"
                f"{did_you_mean(str(ptype), PARAMETER_TYPES)} {choices}",
                line_of("type"),
            )
        return ptype

    def _flag(self, name: str, fields: dict, key: str, line_of) -> bool:
        """A true/false field (``required``, ``multiple``), false when absent."""
        value = fields.get(key, False)
        if not isinstance(value, bool):
            raise self.error(
                f"parameter {name!r}: {key!r} must be true or false, not {_yaml_text(value)}",
                line_of(key),
            )
        return value

    def _parameter_default(self, name: str, fields: dict, ptype: str, required: bool, line_of) -> str | None:
        default = fields.get("default")
        if default is not None and not isinstance(default, (str, int, float)):
            raise self.error(
                f"parameter {name!r}: default must be text, a number or true/false, not "
                f"{_yaml_text(default)}; quote it",
                line_of("default"),
            )
        default = _default_text(default)
        if required and default is not None:
            raise self.error(
                f"parameter {name!r} is required and so cannot have a default", line_of("default")
            )
        if default is not None and ptype not in RESOURCE_KINDS:
            try:
                parameter_literal(default, ptype)
            except InquiryParameterError as err:
                raise self.error(f"parameter {name!r}: default {err}", line_of("default")) from err
        return default

    def pivot(self) -> dict[str, str] | None:
        """The ``pivot:`` post-step, checked against :data:`HEADER_SCHEMA`."""
        spec = self.data.get("pivot")
        if spec is None:
            return None
        if not isinstance(spec, dict):
            raise self.error(
                "pivot: expected its fields in braces, e.g. {columns: places, values: value}",
                self.line_of("pivot"),
            )
        for key in spec:
            if key not in _PIVOT_KEYS:
                raise self.error(
                    f"pivot: unknown field {key!r}{did_you_mean(str(key), _PIVOT_KEYS)} "
                    f"(expected {', '.join(_PIVOT_KEYS)})",
                    self.line_of("pivot", key),
                )
        for key in ("columns", "values"):
            if not spec.get(key):
                raise self.error(f"pivot: needs '{key}:', the variable it takes", self.line_of("pivot"))
        return {key: str(value) for key, value in spec.items()}


def _yaml_text(value: Any) -> str:
    """A YAML value as the header would write it (``true``, ``[a, b]``, ``'iri'``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def _default_text(value: str | float | None) -> str | None:
    """A default as a user would give it: text (YAML reads ``10`` as a number, ``true`` as a
    boolean; the parameter's type decides what it becomes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None or isinstance(value, str) else str(value)


def parse_inquiry(text: str, path: Path | str, name: str | None = None) -> Inquiry:
    """Read one ``.rq`` file's text: its ``#+`` header (YAML, checked against
    :data:`HEADER_SCHEMA`) and its query.

    Raises :class:`InquiryFormatError` naming the file and line of the first problem.

    >>> q = '''#+ summary: All stories
    ... #+ description: Every story.
    ... #+ tags: [stories]
    ... #+ params:
    ... #+   - place: {type: place, description: "where the story happened"}
    ... SELECT ?story ?place WHERE { ?story a ?t }'''
    >>> inq = parse_inquiry(q, "all-stories.rq")
    >>> inq.name, inq.tags, inq.parameters[0].type
    ('all-stories', ('stories',), 'place')
    """
    path = Path(path)
    header = _Header(text, path)
    data = header.top()
    parameters = [header.parameter(i, item) for i, item in enumerate(data.get("params") or [])]
    names = [p.name for p in parameters]
    for index, parameter in enumerate(parameters):
        if parameter.name in names[:index]:
            raise header.error(
                f"parameter {parameter.name!r} declared twice", header.line_of("params", index)
            )
    query = "\n".join(header.lines[header.body_start :]).strip() + "\n"
    if not query.strip():
        raise header.error("the file has a header but no query", len(header.lines))
    return Inquiry(
        name=name or path.stem,
        title=data["summary"].strip(),
        description=data["description"].strip(),
        tags=tuple(data.get("tags", ())),
        parameters=tuple(parameters),
        query=query,
        path=path,
        pivot=header.pivot(),
    )


# --------------------------------------------------------------------------- literal values


def parameter_literal(value: Any, ptype: str) -> ox.Literal:
    """A Python value or its text as a literal of the declared type."""
    convert = _LITERALS.get(ptype)
    if convert is None:
        raise InquiryParameterError(f"parameter type {ptype!r} takes resources, not literals")
    return convert(value)


def _string(value: Any) -> ox.Literal:
    if not isinstance(value, str):
        raise InquiryParameterError(f"expected text, not {type(value).__name__} {value!r}")
    return ox.Literal(value)


def _boolean(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return ox.Literal(True)
    if text in ("false", "0", "no"):
        return ox.Literal(False)
    raise InquiryParameterError(f"expected true or false, not {value!r}")


def _integer(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        raise InquiryParameterError(f"expected a whole number, not {value!r}")
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise InquiryParameterError(f"expected a whole number, not {value!r}")
    return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))


def _decimal(value: Any) -> ox.Literal:
    if isinstance(value, bool):
        raise InquiryParameterError(f"expected a number, not {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InquiryParameterError(f"expected a number, not {value!r}") from None
    if not number.is_finite():
        raise InquiryParameterError(f"expected a finite number, not {value!r}")
    return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))


def _date(value: Any) -> ox.Literal:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    text = str(value).strip()
    try:
        day = _dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        raise InquiryParameterError(f"expected a date as YYYY-MM-DD, not {value!r}")
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))


_LITERALS = {"string": _string, "boolean": _boolean, "integer": _integer, "decimal": _decimal, "date": _date}
