"""Named inquiries: the ``.rq`` files in ``queries/``, their ``#+`` headers, the catalogue of
them as a DataFrame, and the safe binding of parameters as RDF terms.

A header declares a title, a description, tags and typed parameters (the format is defined in
``docs/inquiries.md``). Parameter values never become query text: :func:`bind_parameters` turns
each one into a pyoxigraph term, which the engine passes to ``Store.query(substitutions=...)`` or,
for a remote endpoint, puts in a ``VALUES`` block (:func:`hlsgraph.store.terms.bind_values`).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .errors import (
    InquiryFormatError,
    InquiryParameterError,
    UnknownInquiryError,
    UnknownParameterError,
    did_you_mean,
)
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


_PARAM_KEYS = ("type", "required", "default", "description", "values_from")
_TOP_KEYS = ("summary", "description", "tags", "params")


class Resolver(Protocol):
    """What :func:`bind_parameters` needs to turn a label into a resource
    (:class:`hlsgraph.labels.LabelIndex` is one)."""

    def resolve(self, value: Any, kind: str | None = None) -> ox.NamedNode: ...


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


# --------------------------------------------------------------------------- header parsing


def parse_inquiry(text: str, path: Path | str, name: str | None = None) -> Inquiry:
    """Read one ``.rq`` file's text: its ``#+`` header and its query.

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
    if name is None:
        name = path.stem
    lines = text.splitlines()
    header: dict[str, Any] = {}
    params: list[Parameter] = []
    current: str | None = None  # the top-level key whose continuation lines may follow
    body_start = len(lines)
    for index, line in enumerate(lines):
        lineno = index + 1
        if not line.startswith("#+"):
            body_start = index
            break
        content = line[2:]
        if not content.strip():
            current = None
            continue
        if not content.startswith(" "):
            raise InquiryFormatError("expected a space after '#+'", path, lineno, line)
        content = content[1:]
        if content.startswith(" "):  # indented: a parameter item or a continuation line
            stripped = content.strip()
            if current == "params":
                if not stripped.startswith("- "):
                    raise InquiryFormatError(
                        "expected a parameter item '- name: {type: ..., ...}' under 'params:'",
                        path,
                        lineno,
                        line,
                    )
                params.append(_parse_param_item(stripped[2:].strip(), path, lineno, line))
            elif current == "description":
                header["description"] = (header["description"] + " " + stripped).strip()
            else:
                raise InquiryFormatError(
                    "unexpected indented line; only 'description:' continues on indented lines "
                    "and only 'params:' takes items",
                    path,
                    lineno,
                    line,
                )
            continue
        key, sep, value = content.partition(":")
        key = key.strip()
        if not sep or not re.fullmatch(r"[a-z_]+", key):
            raise InquiryFormatError(
                f"expected 'key: value' with key one of {', '.join(_TOP_KEYS)}", path, lineno, line
            )
        if key not in _TOP_KEYS:
            raise InquiryFormatError(
                f"unknown header key {key!r}{did_you_mean(key, _TOP_KEYS)} "
                f"(expected one of {', '.join(_TOP_KEYS)})",
                path,
                lineno,
                line,
            )
        if key in header:
            raise InquiryFormatError(f"header key {key!r} given twice", path, lineno, line)
        value = value.strip()
        if key == "tags":
            header[key] = tuple(_parse_flow_list(value, path, lineno, line))
        elif key == "params":
            if value not in ("", "[]"):
                raise InquiryFormatError(
                    "'params:' takes its items on the following lines ('#+   - name: {...}') "
                    "or '[]' for none",
                    path,
                    lineno,
                    line,
                )
            header[key] = True
        else:
            header[key] = _unquote(value, path, lineno, line)
        current = key
    else:
        body_start = len(lines)
    for index in range(body_start, len(lines)):
        if lines[index].startswith("#+"):
            raise InquiryFormatError(
                "'#+' header lines must all come before the query", path, index + 1, lines[index]
            )
    for required in ("summary", "description"):
        if not header.get(required):
            raise InquiryFormatError(f"the header lacks '{required}:'", path, 1)
    names = [p.name for p in params]
    for p in params:
        if names.count(p.name) > 1:
            raise InquiryFormatError(f"parameter {p.name!r} declared twice", path, 1)
    query = "\n".join(lines[body_start:]).strip() + "\n"
    if not query.strip():
        raise InquiryFormatError("the file has a header but no query", path, len(lines))
    return Inquiry(
        name=name,
        title=header["summary"],
        description=header["description"],
        tags=header.get("tags", ()),
        parameters=tuple(params),
        query=query,
        path=path,
    )


def _parse_param_item(text: str, path, lineno: int, line: str) -> Parameter:
    name, sep, rest = text.partition(":")
    name = name.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InquiryFormatError(
            "expected '- name: {type: ..., ...}' with name a SPARQL variable name (letters, "
            "digits, underscore)",
            path,
            lineno,
            line,
        )
    fields = _parse_flow_mapping(rest.strip(), path, lineno, line)
    for key in fields:
        if key not in _PARAM_KEYS:
            raise InquiryFormatError(
                f"parameter {name!r}: unknown field {key!r}{did_you_mean(key, _PARAM_KEYS)} "
                f"(expected {', '.join(_PARAM_KEYS)})",
                path,
                lineno,
                line,
            )
    ptype = fields.get("type")
    if ptype is None:
        raise InquiryFormatError(f"parameter {name!r} has no 'type'", path, lineno, line)
    if ptype not in PARAMETER_TYPES:
        raise InquiryFormatError(
            f"parameter {name!r}: unknown type {ptype!r}{did_you_mean(ptype, PARAMETER_TYPES)} "
            f"(expected one of {', '.join(PARAMETER_TYPES)})",
            path,
            lineno,
            line,
        )
    required_text = fields.get("required", "false")
    if required_text not in ("true", "false"):
        raise InquiryFormatError(
            f"parameter {name!r}: 'required' must be true or false, not {required_text!r}",
            path,
            lineno,
            line,
        )
    required = required_text == "true"
    default = fields.get("default")
    if required and default is not None:
        raise InquiryFormatError(
            f"parameter {name!r} is required and so cannot have a default", path, lineno, line
        )
    if default is not None and ptype not in RESOURCE_KINDS:
        try:
            _literal(default, ptype)
        except InquiryParameterError as err:
            raise InquiryFormatError(f"parameter {name!r}: default {err}", path, lineno, line) from err
    values_from = fields.get("values_from", _DEFAULT_VALUES_FROM.get(ptype))
    return Parameter(
        name=name,
        type=ptype,
        default=default,
        required=required,
        values_from=values_from,
        description=fields.get("description", ""),
    )


_SCALAR = re.compile(r'"((?:[^"\\]|\\.)*)"|([^,{}\[\]"]*)')


def _unquote(value: str, path, lineno: int, line: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', value)
        if not match:
            raise InquiryFormatError("unterminated or malformed quoted string", path, lineno, line)
        return re.sub(r"\\(.)", r"\1", match.group(1))
    return value


def _scan_scalar(text: str, pos: int, path, lineno: int, line: str) -> tuple[str, int]:
    """Read a quoted or plain scalar at ``pos``; return it and the position after it."""
    match = _SCALAR.match(text, pos)
    if match.group(1) is not None:
        return re.sub(r"\\(.)", r"\1", match.group(1)), match.end()
    if pos < len(text) and text[pos] == '"':
        raise InquiryFormatError("unterminated quoted string", path, lineno, line)
    return match.group(2).strip(), match.end()


def _parse_flow_list(value: str, path, lineno: int, line: str) -> list[str]:
    if not (value.startswith("[") and value.endswith("]")):
        raise InquiryFormatError("expected a list in brackets, e.g. [stories, places]", path, lineno, line)
    inner = value[1:-1]
    items: list[str] = []
    pos = 0
    while pos < len(inner):
        while pos < len(inner) and inner[pos] == " ":
            pos += 1
        if pos >= len(inner):
            break
        item, pos = _scan_scalar(inner, pos, path, lineno, line)
        if not item:
            raise InquiryFormatError("empty item in list", path, lineno, line)
        items.append(item)
        while pos < len(inner) and inner[pos] == " ":
            pos += 1
        if pos < len(inner):
            if inner[pos] != ",":
                raise InquiryFormatError(f"expected ',' in list at {inner[pos:]!r}", path, lineno, line)
            pos += 1
    return items


def _parse_flow_mapping(value: str, path, lineno: int, line: str) -> dict[str, str]:
    if not (value.startswith("{") and value.endswith("}")):
        raise InquiryFormatError(
            "expected the parameter's fields in braces, e.g. {type: concept, required: true}",
            path,
            lineno,
            line,
        )
    inner = value[1:-1]
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(inner):
        while pos < len(inner) and inner[pos] == " ":
            pos += 1
        if pos >= len(inner):
            break
        match = re.compile(r"([a-z_]+)\s*:\s*").match(inner, pos)
        if not match:
            raise InquiryFormatError(f"expected 'field: value' at {inner[pos:]!r}", path, lineno, line)
        key = match.group(1)
        if key in fields:
            raise InquiryFormatError(f"field {key!r} given twice", path, lineno, line)
        item, pos = _scan_scalar(inner, match.end(), path, lineno, line)
        fields[key] = item
        while pos < len(inner) and inner[pos] == " ":
            pos += 1
        if pos < len(inner):
            if inner[pos] != ",":
                raise InquiryFormatError(
                    f"expected ',' between fields at {inner[pos:]!r} (quote values that hold "
                    "commas, braces or colons)",
                    path,
                    lineno,
                    line,
                )
            pos += 1
    return fields


# --------------------------------------------------------------------------- loading


def load_inquiries(directory: Path | str | None = None) -> dict[str, Inquiry]:
    """Every named inquiry in ``directory`` (default: the bundled ``queries/``), by name.

    >>> inquiries = load_inquiries()
    >>> inquiries["stories-by-concept"].parameters[0].name
    'concept'
    """
    if directory is None:
        from .resources import queries_dir

        directory = queries_dir()
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no inquiry directory at {directory}")
    inquiries: dict[str, Inquiry] = {}
    for path in sorted(directory.glob("*.rq")):
        inquiry = parse_inquiry(path.read_text(encoding="utf-8"), path)
        inquiries[inquiry.name] = inquiry
    return inquiries


def get_inquiry(inquiries: dict[str, Inquiry], name: str) -> Inquiry:
    """The inquiry called ``name``, or :class:`UnknownInquiryError` suggesting the nearest.

    >>> get_inquiry(load_inquiries(), "storys-by-concept")
    Traceback (most recent call last):
    ...
    hlsgraph.errors.UnknownInquiryError: no inquiry named 'storys-by-concept'; did you mean 'stories-by-concept'? See kb.inquiries()
    """
    try:
        return inquiries[name]
    except (KeyError, TypeError):
        suggestion = did_you_mean(str(name), inquiries)
        if not suggestion:
            suggestion = "; the inquiries are " + ", ".join(sorted(inquiries)) + "."
        raise UnknownInquiryError(f"no inquiry named {name!r}{suggestion} See kb.inquiries()") from None


def describe_parameter(p: Parameter) -> str:
    """A one-line description of a parameter for the catalogue.

    >>> describe_parameter(Parameter("place", "place", values_from="hls:Place"))
    'place: place, optional, from hls:Place'
    """
    parts = [f"{p.name}: {p.type}", "required" if p.required else "optional"]
    if p.default is not None:
        parts.append(f"default {p.default}")
    if p.values_from:
        source = " ".join(p.values_from.split())
        parts.append(f"from {source if len(source) <= 60 else 'a query'}")
    return ", ".join(parts)


def catalogue_frame(inquiries: dict[str, Inquiry]):
    """The catalogue as a DataFrame: one row per inquiry with name, title, description, tags
    and parameters (each with its type, whether required, its default and where values come from).

    >>> df = catalogue_frame(load_inquiries())
    >>> list(df.columns)
    ['name', 'title', 'description', 'tags', 'parameters']
    """
    import pandas as pd

    rows = [
        {
            "name": inq.name,
            "title": inq.title,
            "description": inq.description,
            "tags": ", ".join(inq.tags),
            "parameters": "; ".join(describe_parameter(p) for p in inq.parameters),
        }
        for inq in sorted(inquiries.values(), key=lambda i: i.name)
    ]
    return pd.DataFrame(rows, columns=["name", "title", "description", "tags", "parameters"])


def parameters_frame(inquiries: dict[str, Inquiry]):
    """Every parameter of every inquiry, one row each: what a widget needs to build its inputs.

    >>> df = parameters_frame(load_inquiries())
    >>> list(df.columns)
    ['inquiry', 'parameter', 'type', 'required', 'default', 'values_from', 'description']
    """
    import pandas as pd

    columns = ["inquiry", "parameter", "type", "required", "default", "values_from", "description"]
    rows = [
        (inq.name, p.name, p.type, p.required, p.default, p.values_from, p.description)
        for inq in sorted(inquiries.values(), key=lambda i: i.name)
        for p in inq.parameters
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"required": "boolean"})


# --------------------------------------------------------------------------- binding


def bind_parameters(inquiry: Inquiry, params: dict[str, Any], resolver: Resolver | None) -> dict[str, Any]:
    """Turn the values given for an inquiry's parameters into RDF terms, by declared type.

    Resource types (``iri``, ``concept``, ``place``, ``organisation``, ``class``) take a full IRI
    (``<...>`` or bare ``http(s)://``), a prefixed name, or a label that ``resolver`` resolves to
    exactly one resource of the type's class. Literal types become XSD-typed literals. Defaults
    fill in what is not given; a missing required parameter, an unknown parameter name, or a value
    that cannot be read as its type is an error. ``None`` counts as not given. Parameters left
    without a value are absent from the result (their variables stay unbound).

    Returns a dict from variable name (without ``?``) to a pyoxigraph term.

    >>> inq = Inquiry("k", "K", "", (), (Parameter("keyword", "string", required=True),), "")
    >>> bound = bind_parameters(inq, {"keyword": 'x" } #'}, None)
    >>> bound["keyword"].value
    'x" } #'
    """
    for name in params:
        inquiry.parameter(name)  # raises UnknownParameterError naming the valid ones
    bound: dict[str, Any] = {}
    for p in inquiry.parameters:
        value = params.get(p.name)
        if value is None:
            if p.required:
                raise InquiryParameterError(
                    f"inquiry {inquiry.name!r} needs parameter {p.name!r} ({p.type}"
                    + (f": {p.description}" if p.description else "")
                    + f"); e.g. kb.inquire({inquiry.name!r}, {p.name}=...)"
                )
            value = p.default
        if value is None:
            continue
        if p.required and isinstance(value, str) and not value.strip():
            raise InquiryParameterError(
                f"inquiry {inquiry.name!r}: parameter {p.name!r} needs a value, not an empty string"
            )
        bound[p.name] = convert_value(p, value, resolver, inquiry=inquiry.name)
    return bound


def convert_value(p: Parameter, value: Any, resolver: Resolver | None, inquiry: str = "") -> Any:
    """One parameter value as a pyoxigraph term, by the parameter's declared type.

    >>> convert_value(Parameter("n", "integer"), "12", None)
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    where = f"inquiry {inquiry!r}, parameter {p.name!r}" if inquiry else f"parameter {p.name!r}"
    if p.is_resource:
        if isinstance(value, ox.NamedNode):
            return value
        if not isinstance(value, str):
            raise InquiryParameterError(
                f"{where}: expected an IRI, a prefixed name or a label, not {type(value).__name__} {value!r}"
            )
        iri = parse_iri(value)
        if iri is not None:
            return iri
        if resolver is None:
            raise InquiryParameterError(
                f"{where}: {value!r} is not an IRI or prefixed name, and there is no label index "
                "to resolve it as a label"
            )
        return resolver.resolve(value, kind=p.kind)
    try:
        return _literal(value, p.type)
    except InquiryParameterError as err:
        raise InquiryParameterError(f"{where}: {err}") from None


def _literal(value: Any, ptype: str) -> ox.Literal:
    """A Python value or its text as a literal of the declared type."""
    if ptype == "string":
        if not isinstance(value, str):
            raise InquiryParameterError(f"expected text, not {type(value).__name__} {value!r}")
        return ox.Literal(value)
    if ptype == "boolean":
        if isinstance(value, bool):
            return ox.Literal(value)
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return ox.Literal(True)
        if text in ("false", "0", "no"):
            return ox.Literal(False)
        raise InquiryParameterError(f"expected true or false, not {value!r}")
    if ptype == "integer":
        if isinstance(value, bool):
            raise InquiryParameterError(f"expected a whole number, not {value!r}")
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise InquiryParameterError(f"expected a whole number, not {value!r}")
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if ptype == "decimal":
        if isinstance(value, bool):
            raise InquiryParameterError(f"expected a number, not {value!r}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InquiryParameterError(f"expected a number, not {value!r}") from None
        if not number.is_finite():
            raise InquiryParameterError(f"expected a finite number, not {value!r}")
        return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if ptype == "date":
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
    raise InquiryParameterError(f"parameter type {ptype!r} takes resources, not literals")
