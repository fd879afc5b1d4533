"""Named inquiries: the ``.rq`` files in ``queries/`` loaded as a catalogue (also as a
DataFrame), the safe binding of parameters as RDF terms, and the pivot of an answer.

A header declares a title, a description, tags and typed parameters (the format is defined in
``docs/inquiries.md`` and read by :mod:`hlsgraph.inquiry_format`, whose names are importable
from here too). Parameter values never become query text unescaped: :func:`bind_parameters`
turns each one into a pyoxigraph term, and :func:`bound_query` writes them into the query
(:func:`hlsgraph.store.terms.bind_throughout`), leaving an optional one without a value unbound.
Every engine (pyoxigraph embedded, an Oxigraph server, Virtuoso) then runs the same text, and an
inquiry tests an optional parameter with ``!BOUND(?p) || ...``, which holds on all of them
(pyoxigraph's own ``substitutions`` are not used for inquiries: ``BOUND()`` does not see them).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .errors import (
    InquiryFormatError,
    InquiryParameterError,
    MissingFileError,
    UnknownInquiryError,
    did_you_mean,
)
from .inquiry_format import (
    HEADER_SCHEMA,
    PARAMETER_TYPES,
    RESOURCE_KINDS,
    Inquiry,
    Parameter,
    parameter_literal,
    parse_inquiry,
)
from .store.terms import bind_throughout, check_text, compact, parse_iri

__all__ = [
    "HEADER_SCHEMA",
    "PARAMETER_TYPES",
    "RESOURCE_KINDS",
    "Inquiry",
    "InquiryFormatError",
    "InquiryParameterError",
    "Parameter",
    "Resolver",
    "apply_pivot",
    "bind_parameters",
    "catalogue_frame",
    "convert_value",
    "describe_parameter",
    "get_inquiry",
    "load_inquiries",
    "parameters_frame",
    "parse_inquiry",
]


class Resolver(Protocol):
    """What :func:`bind_parameters` needs to turn a label into a resource
    (:class:`hlsgraph.labels.LabelIndex` is one)."""

    def resolve(self, value: Any, *, kind: str | None = None) -> ox.NamedNode: ...


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
        raise MissingFileError(f"no inquiry directory at {directory}; give a folder of .rq files")
    inquiries: dict[str, Inquiry] = {}
    for path in sorted(directory.glob("*.rq")):
        inquiry = parse_inquiry(path.read_text(encoding="utf-8"), path)
        inquiries[inquiry.name] = inquiry
    return inquiries


def get_inquiry(inquiries: dict[str, Inquiry], name: str) -> Inquiry:
    """The inquiry called ``name``, or :class:`UnknownInquiryError` suggesting the nearest.

    >>> get_inquiry(load_inquiries(), "storys-by-concept")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hlsgraph.errors.UnknownInquiryError: no inquiry ... did you mean 'stories-by-concept'? See kb.inquiries()
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
    kind = p.type if not p.multiple else f"list of {p.type} (at least {p.min_values})"
    parts = [f"{p.name}: {kind}", "required" if p.required else "optional"]
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
    ['inquiry', 'parameter', 'type', 'required', 'default', 'values_from', 'description', 'multiple']
    """
    import pandas as pd

    columns = [
        "inquiry",
        "parameter",
        "type",
        "required",
        "default",
        "values_from",
        "description",
        "multiple",
    ]
    rows = [
        (inq.name, p.name, p.type, p.required, p.default, p.values_from, p.description, p.multiple)
        for inq in sorted(inquiries.values(), key=lambda i: i.name)
        for p in inq.parameters
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"required": "boolean", "multiple": "boolean"})


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
                    + f"); e.g. kb.inquire({inquiry.name!r}, "
                    + f"{p.name}={'[..., ...]' if p.multiple else '...'})"
                )
            value = p.default
        if value is None:
            continue
        if p.required and isinstance(value, str) and not value.strip():
            raise InquiryParameterError(
                f"inquiry {inquiry.name!r}: parameter {p.name!r} needs a value, not an empty string"
            )
        if p.multiple:
            bound[p.name] = _convert_list(p, value, resolver, inquiry.name)
        else:
            bound[p.name] = convert_value(p, value, resolver, inquiry=inquiry.name)
    return bound


def bound_query(inquiry: Inquiry, bound: dict[str, Any]) -> str:
    """The inquiry's query with the terms of ``bound`` (from :func:`bind_parameters`) written
    into it by :func:`hlsgraph.store.terms.bind_throughout`: first in its outermost WHERE group
    and in every sub-select using them; a parameter without a value stays unbound. The bindings
    are written into lines of the query, so line numbers in errors are the file's.

    >>> inq = Inquiry("k", "K", "", (), (Parameter("place", "iri"),), "SELECT ?place WHERE { }")
    >>> bound_query(inq, {"place": ox.NamedNode("https://a.org/p")})
    'SELECT ?place WHERE { BIND(<https://a.org/p> AS ?place) }'
    >>> bound_query(inq, {})
    'SELECT ?place WHERE { }'
    """
    return bind_throughout(inquiry.query, {p.name: bound.get(p.name) for p in inquiry.parameters})


def parameter_attrs(terms: Mapping[str, Any]) -> dict[str, Any]:
    """Bound terms as a frame's ``attrs["parameters"]`` records them: each in N-Triples syntax,
    a list for a list-valued parameter.

    >>> parameter_attrs({"n": ox.Literal("2"), "places": (ox.NamedNode("https://a.org/"),)})
    {'n': '"2"', 'places': ['<https://a.org/>']}
    """
    return {k: [str(x) for x in v] if isinstance(v, tuple) else str(v) for k, v in terms.items()}


def _convert_list(p: Parameter, value: Any, resolver: Resolver | None, inquiry: str) -> tuple:
    """The values of a list-valued parameter as a tuple of terms, each converted by the
    parameter's type, duplicates dropped and order kept. A string may hold several values
    separated by ``;`` (as typed in a terminal: ``-p places="Plymouth; Gateshead"``).

    >>> inq = "compare"
    >>> p = Parameter("places", "iri", multiple=True, min_values=2)
    >>> [t.value for t in _convert_list(p, "hlsd:place-a; hlsd:place-b", None, inq)]
    ['https://w3id.org/hls/id/place-a', 'https://w3id.org/hls/id/place-b']
    """
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        items = [v.strip() for v in value.split(";")] if isinstance(value, str) else [value]
    else:
        items = list(value)
    items = [v for v in items if v is not None and not (isinstance(v, str) and not v.strip())]
    terms = tuple(dict.fromkeys(convert_value(p, v, resolver, inquiry=inquiry) for v in items))
    if len(terms) < p.min_values:
        raise InquiryParameterError(
            f"inquiry {inquiry!r}: parameter {p.name!r} needs at least {p.min_values} different "
            f"values, not {len(terms)}; e.g. kb.inquire({inquiry!r}, {p.name}=[..., ...])"
        )
    return terms


def convert_value(p: Parameter, value: Any, resolver: Resolver | None, inquiry: str = "") -> Any:
    """One parameter value as a pyoxigraph term, by the parameter's declared type.

    >>> convert_value(Parameter("n", "integer"), "12", None)
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    where = f"inquiry {inquiry!r}, parameter {p.name!r}" if inquiry else f"parameter {p.name!r}"
    if isinstance(value, str):
        check_text(value, f"{where}:")
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
        return parameter_literal(value, p.type)
    except InquiryParameterError as err:
        raise InquiryParameterError(f"{where}: {err}") from None


# --------------------------------------------------------------------------- the pivot post-step


def apply_pivot(frame, inquiry: Inquiry, bound: dict[str, Any]):
    """An inquiry's long rows turned into one column per value of its ``pivot`` columns
    variable, as its header declares (``pivot: {columns: places, label: placeLabel, values:
    value, fill: 0}``).

    SPARQL gives a fixed set of columns, so an inquiry comparing any number of places answers in
    long form (one row per place and thing counted) and this step pivots it. Every other column
    is part of the row's key, unbound keys included. The new columns are named by ``label`` when
    those are distinct (else by the values themselves) and come in the order the parameter's
    values were given; ``fill`` fills cells with no row; the values are whole numbers where every
    one is. ``kb.inquire(..., pivot=False)`` gives the long form.

    >>> import pandas as pd
    >>> long = pd.DataFrame({"what": ["a", "a", "b"], "place": ["p1", "p2", "p1"],
    ...                      "placeLabel": ["One", "Two", "One"], "n": [1.0, 2.0, 3.0]})
    >>> inq = Inquiry("x", "X", "", (), (), "", pivot={"columns": "place", "label": "placeLabel",
    ...                                                 "values": "n", "fill": "0"})
    >>> apply_pivot(long, inq, {}).to_dict("records")
    [{'what': 'a', 'One': 1, 'Two': 2}, {'what': 'b', 'One': 3, 'Two': 0}]
    """
    import pandas as pd

    spec = inquiry.pivot or {}
    columns, values, label = spec["columns"], spec["values"], spec.get("label")
    missing = [c for c in (columns, values, label) if c and c not in frame.columns]
    if missing:
        raise InquiryFormatError(
            f"pivot: the query has no variable {missing[0]!r} (its columns: {', '.join(frame.columns)})",
            inquiry.path or inquiry.name,
            1,
        )
    keys = [c for c in frame.columns if c not in (columns, values, label)]
    present = list(dict.fromkeys(frame[columns].dropna().astype("string")))
    given = []  # the parameter's values, as the frame writes them (prefixed or in full)
    for term in bound.get(columns, ()):
        full = term.value if hasattr(term, "value") else str(term)
        given.append(next((form for form in (full, compact(full)) if form in present), compact(full)))
    wanted = list(dict.fromkeys(given + present))
    names = {c: c for c in wanted}
    if label:
        labels = frame.dropna(subset=[columns]).drop_duplicates(columns)
        labels = dict(zip(labels[columns].astype("string"), labels[label].astype("string"), strict=True))
        named = {c: labels[c] if pd.notna(labels.get(c, pd.NA)) else c for c in wanted}
        if len(set(named.values())) == len(named):  # two places called the same keep their IRIs
            names = named
    fill = spec.get("fill")
    if frame.empty:
        return frame[keys].assign(**{c: pd.array([], dtype="Int64") for c in wanted})
    # Unbound keys are part of a row's identity too: key each row by its key columns as text.
    text = frame[keys].astype("string").fillna("\x00") if keys else pd.DataFrame(index=frame.index)
    frame = frame.assign(_key=text.agg("\x01".join, axis=1) if keys else "")
    first = frame.drop_duplicates("_key").set_index("_key")[keys]
    wide = frame.assign(**{columns: frame[columns].astype("string")}).pivot_table(
        index="_key", columns=columns, values=values, aggfunc="first", sort=False
    )
    result = first.join(wide.reindex(columns=wanted), how="left").reset_index(drop=True)
    result = result.rename(columns={c: names[c] for c in wanted})
    result.columns.name = None
    pivoted = [names[c] for c in wanted]
    if fill is not None:
        result[pivoted] = result[pivoted].fillna(float(fill))
    numbers = result[pivoted].astype("Float64")
    whole = numbers.isna() | (numbers.fillna(0) % 1 == 0)
    result[pivoted] = numbers.astype("Int64") if bool(whole.all().all()) else numbers
    result.attrs.update(frame.attrs)
    return result
