"""RDF terms as hlsgraph writes and reads them: RDF format names, terms in SPARQL syntax (refusing
anything that could escape them), parameters bound by a ``VALUES`` block, Python values as terms,
N-Triples bytes, and parsing that reads everything before anything is written.

Every layer above uses this one module for these jobs.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .syntax import rdf_syntax_error

XSD = PREFIXES["xsd"]

_FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "json-ld": ox.RdfFormat.JSON_LD,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf/xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
}
FORMAT_CHOICES = ("turtle", "trig", "ntriples", "nquads", "json-ld", "rdf/xml")


def rdf_format(format: str | ox.RdfFormat | None, path: str | Path | None = None) -> ox.RdfFormat:
    """The RDF format named by ``format`` or, when it is ``None``, by ``path``'s extension.

    >>> rdf_format("ttl").name
    'Turtle'
    >>> rdf_format(None, "stories.nq").name
    'N-Quads'
    """
    if isinstance(format, ox.RdfFormat):
        return format
    if format is not None:
        key = str(format).strip().lower()
        found = _FORMAT_NAMES.get(key) or ox.RdfFormat.from_media_type(key)
        if found is None:
            raise ValueError(f"unknown RDF format {format!r}; expected one of {', '.join(FORMAT_CHOICES)}")
        return found
    if path is None:
        raise ValueError(f"format= is needed with data=; one of {', '.join(FORMAT_CHOICES)}")
    suffix = Path(path).suffix.lower().lstrip(".")
    found = _FORMAT_NAMES.get(suffix) or ox.RdfFormat.from_extension(suffix)
    if found is None:
        raise ValueError(
            f"cannot tell the RDF format of {path} from its extension {('.' + suffix) if suffix else '(none)'}; "
            f"pass format= (one of {', '.join(FORMAT_CHOICES)})"
        )
    return found


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def sparql_term(term) -> str:
    """A pyoxigraph IRI or literal in SPARQL syntax, refusing anything that could escape it.

    >>> sparql_term(ox.Literal('a "b" } #'))
    '"a \\\\"b\\\\" } #"'
    >>> sparql_term(ox.NamedNode("https://w3id.org/hls/Story"))
    '<https://w3id.org/hls/Story>'
    """
    if isinstance(term, ox.NamedNode):
        if _IRI_FORBIDDEN.search(term.value):
            raise ValueError(f"cannot bind IRI {term.value!r}: it holds a character IRIs may not")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = term.value
        escaped = (
            text.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
            .replace("\b", "\\b")
            .replace("\f", "\\f")
        )
        if term.language:
            if not _LANG.match(term.language):
                raise ValueError(f"cannot bind a literal with language tag {term.language!r}")
            return f'"{escaped}"@{term.language}'
        if term.datatype.value == _XSD_STRING:
            return f'"{escaped}"'
        return f'"{escaped}"^^{sparql_term(term.datatype)}'
    raise TypeError(f"can bind only an IRI or a literal, not {type(term).__name__} {term!r}")


def _skip_string(query: str, i: int) -> int:
    quote = query[i]
    if query.startswith(quote * 3, i):
        end = query.find(quote * 3, i + 3)
        return len(query) if end < 0 else end + 3
    j = i + 1
    while j < len(query) and query[j] != quote and query[j] != "\n":
        j += 2 if query[j] == "\\" else 1
    return j + 1


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _outer_where_brace(query: str) -> int:
    """Index of the ``{`` opening the outermost WHERE group, skipping comments, strings and IRIs.

    For SELECT and ASK (where the keyword WHERE is optional) it is the first ``{`` at depth 0;
    for CONSTRUCT and DESCRIBE the first ``{`` after the keyword WHERE (a CONSTRUCT template
    also opens with ``{``).
    """
    i, n = 0, len(query)
    form = None
    after_where = False
    depth = 0
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            i = _skip_string(query, i)
            continue
        if c == "<":
            match = _IRIREF.match(query, i)
            i = match.end() if match else i + 1  # else: a less-than operator
            continue
        if c.isalpha():
            j = i
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            word = query[i:j].upper()
            if depth == 0 and form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif depth == 0 and word == "WHERE":
                after_where = True
            i = j
            continue
        if c in "?$":  # a variable: its name may spell a keyword
            i += 1
            while i < n and (query[i].isalnum() or query[i] == "_"):
                i += 1
            continue
        if c == "{":
            if depth == 0 and (after_where or form in ("SELECT", "ASK")):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    raise ValueError("the query has no WHERE group to bind parameters in")


def bind_values(query: str, terms: Mapping[str, object]) -> str:
    """``query`` with ``terms`` bound by a ``VALUES`` block first in its outermost WHERE group.

    This is how parameters reach an engine without pyoxigraph's substitutions. Every term goes
    through :func:`sparql_term`, so no value can change the query's structure.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x } #")})
    'SELECT ?s WHERE { VALUES (?o) { ("x } #") } ?s ?p ?o }'
    """
    if not terms:
        return query
    for name in terms:
        if not _VARIABLE.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    variables = " ".join("?" + name for name in terms)
    values = " ".join(sparql_term(term) for term in terms.values())
    position = _outer_where_brace(query)
    return f"{query[: position + 1]} VALUES ({variables}) {{ ({values}) }}{query[position + 1 :]}"


def ntriples(quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> bytes:
    """Triples (the graph of quads dropped) as N-Triples bytes."""
    triples = (q.triple if isinstance(q, ox.Quad) else q for q in quads)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def parse_rdf(
    *,
    path: str | Path | None = None,
    data: bytes | str | None = None,
    format: ox.RdfFormat,
    source: str,
    base_iri: str | None = None,
) -> list[ox.Quad]:
    """Every quad of a file or string, parsed completely before anything is written."""
    try:
        if path is not None:
            return list(ox.parse(path=str(path), format=format, base_iri=base_iri))
        return list(ox.parse(input=data, format=format, base_iri=base_iri))
    except SyntaxError as err:
        raise rdf_syntax_error(err, source) from None


def compact(iri: str) -> str:
    """``iri`` as a prefixed name when a known prefix covers it.

    >>> compact("https://w3id.org/hls/concept/trust")
    'hlsc:trust'
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*|", local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else f"<{iri}>"


def parse_iri(value: str) -> ox.NamedNode | None:
    """``value`` as an IRI if it is written as one: ``<...>``, a bare ``http(s)://`` IRI or a
    prefixed name with a known prefix; ``None`` when it is not (then it is a label).

    >>> parse_iri("hlsc:strengths")
    <NamedNode value=https://w3id.org/hls/concept/strengths>
    >>> parse_iri("hlsg:base/stories").value
    'https://w3id.org/hls/graph/base/stories'
    >>> parse_iri("Strengths") is None
    True
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">") and len(text) > 2:
        try:
            return ox.NamedNode(text[1:-1])
        except ValueError:
            return None
    if re.fullmatch(r"https?://\S+", text):
        try:
            return ox.NamedNode(text)
        except ValueError:
            return None
    # Local names may hold "/" (hlsg:base/stories names a graph), as people write them.
    match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_.-]*|):([A-Za-z0-9_][A-Za-z0-9_.\-/]*)?", text)
    if match and match.group(1) in PREFIXES:
        return ox.NamedNode(PREFIXES[match.group(1)] + (match.group(2) or ""))
    return None


def to_term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as the RDF term a query parameter binds.

    pyoxigraph and rdflib terms stay what they are; ``bool``, ``int``, ``float``, ``Decimal``,
    ``date`` and ``datetime`` become typed literals; a string is an IRI when written as one
    (``<...>``, ``http(s)://...`` or a prefixed name with a known prefix) and otherwise a plain
    literal (wrap it in ``pyoxigraph.Literal`` to be explicit).

    >>> to_term("hlsc:trust")
    <NamedNode value=https://w3id.org/hls/concept/trust>
    >>> to_term('x" } #').value
    'x" } #'
    """
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal(value)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(value)
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, _dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, _dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    module = type(value).__module__
    if module.startswith("rdflib"):
        return _from_rdflib(value)
    if isinstance(value, str):
        iri = parse_iri(value)
        return iri if iri is not None else ox.Literal(value)
    raise TypeError(f"cannot bind {type(value).__name__} {value!r} as an RDF term")


def _from_rdflib(value) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    import rdflib

    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    raise TypeError(f"cannot bind {type(value).__name__} {value!r} as an RDF term")


_VARIABLES = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def query_variables(query: str) -> list[str]:
    """The variables a query mentions, in the order they first appear.

    >>> query_variables("SELECT ?s ?o WHERE { ?s ?p ?o }")
    ['s', 'o', 'p']
    """
    found: dict[str, None] = {}
    for match in _VARIABLES.finditer(query):
        found.setdefault(match.group(1))
    return list(found)
