"""RDF terms as hlsgraph writes and reads them: the table of RDF formats, terms as SPARQL and
N-Triples text (refusing anything that could escape them), prefixed names (one compaction for
every caller, always valid, read back by :func:`parse_iri`), parameters bound by a ``VALUES``
block, Python values as terms, and parsing that reads everything before anything is written.

Every layer above uses this one module for these jobs.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import (
    ArgumentTypeError,
    InquiryParameterError,
    InvalidArgumentError,
    InvalidValueError,
    UnknownFormatError,
    did_you_mean,
    nearest,
)
from ..namespaces import PREFIXES
from .syntax import rdf_syntax_error

XSD = PREFIXES["xsd"]


# --------------------------------------------------------------------------- RDF formats


@dataclass(frozen=True)
class Format:
    """One RDF format: the names a person may write for it and what each library calls it."""

    name: str
    """The name hlsgraph writes (``turtle``, ``json-ld``)."""
    oxigraph: ox.RdfFormat
    aliases: tuple[str, ...] = ()
    """Other names accepted for it (``ttl``)."""
    extensions: tuple[str, ...] = ()
    """File extensions it is recognised by, first the one hlsgraph writes (``.ttl``)."""
    media_types: tuple[str, ...] = ()
    """Media types it is served as, first the registered one."""
    rdflib: str = ""
    """rdflib's name for it, for ``Graph.parse`` and ``Graph.serialize``."""
    datasets: bool = False
    """Whether it holds named graphs (quads), not just triples."""


FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        ox.RdfFormat.TURTLE,
        ("ttl",),
        (".ttl", ".turtle"),
        ("text/turtle", "application/turtle", "application/x-turtle"),
        "turtle",
    ),
    Format(
        "ntriples",
        ox.RdfFormat.N_TRIPLES,
        ("n-triples", "nt"),
        (".nt", ".ntriples"),
        ("application/n-triples", "text/plain"),
        "nt",
    ),
    Format(
        "nquads",
        ox.RdfFormat.N_QUADS,
        ("n-quads", "nq"),
        (".nq", ".nquads"),
        ("application/n-quads", "text/x-nquads"),
        "nquads",
        datasets=True,
    ),
    Format(
        "trig", ox.RdfFormat.TRIG, (), (".trig",), ("application/trig", "application/x-trig"), "trig", True
    ),
    Format(
        "json-ld",
        ox.RdfFormat.JSON_LD,
        ("jsonld",),
        (".jsonld", ".json"),
        ("application/ld+json", "application/json", "application/activity+json"),
        "json-ld",
        datasets=True,
    ),
    Format(
        "rdf/xml",
        ox.RdfFormat.RDF_XML,
        ("rdfxml", "xml", "rdf", "owl"),
        (".rdf", ".owl", ".xml"),
        ("application/rdf+xml", "application/xml", "text/xml"),
        "xml",
    ),
    Format("n3", ox.RdfFormat.N3, ("notation3",), (".n3",), ("text/n3",), "n3"),
)
"""Every RDF format hlsgraph reads and writes: the one table the loader, the exporter, the
validator and the command line take format names, extensions and media types from."""

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
_BY_NAME: dict[str, Format] = {key: f for f in FORMATS for key in (f.name, *f.aliases, *f.media_types)}
_SPELLINGS = [name for f in FORMATS for name in (f.name, *f.aliases)]
_BY_EXTENSION: dict[str, Format] = {ext: f for f in FORMATS for ext in f.extensions}
_BY_OXIGRAPH: dict[ox.RdfFormat, Format] = {f.oxigraph: f for f in FORMATS}


def find_format(
    format: str | ox.RdfFormat | None = None,
    path: str | os.PathLike | None = None,
    *,
    default: str | None = None,
    what: str = "RDF",
) -> Format:
    """The :class:`Format` named by ``format`` (a name, alias or media type), or else by
    ``path``'s extension, or else ``default``.

    Raises :class:`~hlsgraph.errors.UnknownFormatError` (a ``ValueError``) naming the valid
    choices and the nearest one; ``what`` says whose format it is in the message ("export").

    >>> find_format("TTL").name, find_format(path="stories.jsonld").rdflib
    ('turtle', 'json-ld')
    >>> find_format("turtel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hlsgraph.errors.UnknownFormatError: unknown RDF format 'turtel'; ...; did you mean 'turtle'?
    """
    if isinstance(format, ox.RdfFormat):
        return _BY_OXIGRAPH[format]
    if format is not None:
        key = str(format).strip().lower()
        found = _BY_NAME.get(key) or _BY_NAME.get(key.split(";")[0].strip())
        if found is None:
            raise UnknownFormatError(
                f"unknown {what} format {format!r}; expected one of {', '.join(FORMAT_NAMES)}"
                + _did_you_mean_format(key)
            )
        return found
    if path is not None:
        suffix = Path(path).suffix.lower()
        found = _BY_EXTENSION.get(suffix)
        if found is None:
            raise UnknownFormatError(
                f"cannot tell the {what} format of {str(path)!r} from its extension "
                f"{suffix or '(none)'!r}; pass format= (one of {', '.join(FORMAT_NAMES)}) or "
                f"name the file {', '.join(f.extensions[0] for f in FORMATS)}"
                + (did_you_mean(suffix, _BY_EXTENSION) if suffix else "")
            )
        return found
    if default is not None:
        return _BY_NAME[default]
    raise UnknownFormatError(f"format= is needed with data=; one of {', '.join(FORMAT_NAMES)}")


def _did_you_mean_format(key: str) -> str:
    """``"; did you mean 'turtle'?"`` for a mistyped name: the formats whose names or aliases
    come close, each once by its own name."""
    close = dict.fromkeys(_BY_NAME[spelling].name for spelling in nearest(key, _SPELLINGS))
    return "; did you mean " + " or ".join(repr(name) for name in close) + "?" if close else ""


def rdf_format(
    format: str | ox.RdfFormat | None, path: str | os.PathLike | None = None, **options
) -> ox.RdfFormat:
    """The pyoxigraph format named by ``format`` or, when it is ``None``, by ``path``'s
    extension (see :func:`find_format`, which takes the same options).

    >>> rdf_format("ttl").name
    'Turtle'
    >>> rdf_format(None, "stories.nq").name
    'N-Quads'
    """
    return find_format(format, path, **options).oxigraph


# --------------------------------------------------------------------------- terms as text

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Every escape SPARQL, N-Triples and SPARQL TSV results share: the text can then hold no
# quote, line break or tab of its own, so it cannot close the literal, the line or the cell.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
)
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]').search


def iri_syntax(iri: str) -> str:
    """An IRI as ``<...>`` in SPARQL and N-Triples, refusing characters IRIs may not hold.

    >>> iri_syntax("https://w3id.org/hls/Story")
    '<https://w3id.org/hls/Story>'
    """
    if _IRI_FORBIDDEN.search(iri):
        raise InvalidValueError(
            f"cannot write IRI {iri!r}: it holds a character IRIs may not "
            '(a space or control character, <, >, ", {, }, |, ^, ` or \\)'
        )
    return f"<{iri}>"


def literal_syntax(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    r"""A literal in SPARQL and N-Triples syntax: ``"text"``, ``"text"@en`` or ``"1"^^<...>``,
    every character that could end it escaped.

    >>> literal_syntax('say "hi"\n')
    '"say \\"hi\\"\\n"'
    >>> literal_syntax("3", XSD + "integer")
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    text = '"' + (lexical.translate(_ESCAPES) if _NEEDS_ESCAPE(lexical) else lexical) + '"'
    if language:
        if not _LANG.match(language):
            raise InvalidValueError(
                f"cannot write a literal with language tag {language!r}; "
                "expected a BCP 47 tag such as 'en' or 'en-GB'"
            )
        return f"{text}@{language}"
    if datatype is None or datatype == _XSD_STRING:
        return text
    suffix = _DATATYPE_SUFFIXES.get(datatype)
    if suffix is None:  # few datatypes occur: check and write each once
        suffix = "^^" + iri_syntax(datatype)
        if len(_DATATYPE_SUFFIXES) < 1000:
            _DATATYPE_SUFFIXES[datatype] = suffix
    return text + suffix


_DATATYPE_SUFFIXES: dict[str, str] = {}


def sparql_term(term) -> str:
    """A pyoxigraph IRI or literal in SPARQL syntax, refusing anything that could escape it.

    The one writer of terms as text: queries, updates and N-Triples all go through it (or its
    parts :func:`iri_syntax` and :func:`literal_syntax`, for callers holding plain strings).

    >>> sparql_term(ox.Literal('a "b" } #'))
    '"a \\\\"b\\\\" } #"'
    >>> sparql_term(ox.NamedNode("https://w3id.org/hls/Story"))
    '<https://w3id.org/hls/Story>'
    """
    if isinstance(term, ox.NamedNode):
        return iri_syntax(term.value)
    if isinstance(term, ox.Literal):
        return literal_syntax(term.value, term.datatype.value, term.language)
    raise ArgumentTypeError(f"can bind only an IRI or a literal, not {type(term).__name__} {term!r}")


# --------------------------------------------------------------------------- binding by VALUES


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
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _word_end(query: str, i: int) -> int:
    while i < len(query) and (query[i].isalnum() or query[i] == "_"):
        i += 1
    return i


def _skip_lexeme(query: str, i: int) -> int | None:
    """The index after the comment, string, IRI or variable starting at ``i``; ``None`` when
    none starts there (a ``<`` that opens no IRI is a less-than operator)."""
    c = query[i]
    if c == "#":
        end = query.find("\n", i)
        return len(query) if end < 0 else end + 1
    if c in "\"'":
        return _skip_string(query, i)
    if c == "<":
        match = _IRIREF.match(query, i)
        return match.end() if match else None
    if c in "?$":  # a variable: its name may spell a keyword
        return _word_end(query, i + 1)
    return None


def _outer_where_brace(query: str) -> int:
    """Index of the ``{`` opening the outermost WHERE group, skipping comments, strings and IRIs.

    For SELECT and ASK (where the keyword WHERE is optional) it is the first ``{`` at depth 0;
    for CONSTRUCT and DESCRIBE (and updates) the first ``{`` after the keyword WHERE (a
    CONSTRUCT template also opens with ``{``).
    """
    i, form, after_where, depth = 0, None, False, 0
    while i < len(query):
        skipped = _skip_lexeme(query, i)
        if skipped is not None:
            i = skipped
            continue
        c = query[i]
        if c.isalpha():
            j = _word_end(query, i)
            word = query[i:j].upper()
            if depth == 0 and form is None and word in _FORMS:
                form = word
            after_where = after_where or (depth == 0 and word == "WHERE")
            i = j
            continue
        if c == "{" and depth == 0 and (after_where or form in ("SELECT", "ASK")):
            return i
        depth += (c == "{") - (c == "}")
        i += 1
    raise InvalidArgumentError(
        "the query has no WHERE group to bind parameters in; write its pattern as WHERE { ... }"
    )


def bind_values(query: str, terms: Mapping[str, object]) -> str:
    """``query`` with ``terms`` bound by a ``VALUES`` block first in its outermost WHERE group.

    This is how parameters reach an engine without pyoxigraph's substitutions. Every term goes
    through :func:`sparql_term`, so no value can change the query's structure.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x } #")})
    'SELECT ?s WHERE { VALUES (?o) { ("x } #") } ?s ?p ?o }'

    A list-valued parameter (a tuple or list of terms) gives one row per value (with several,
    one row per combination):

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": (ox.Literal("a"), ox.Literal("b"))})
    'SELECT ?s WHERE { VALUES (?o) { ("a") ("b") } ?s ?p ?o }'

    """
    if not terms:
        return query
    position = _outer_where_brace(query)
    return f"{query[: position + 1]}{_values_block(terms)}{query[position + 1 :]}"


def _values_block(terms: Mapping[str, object]) -> str:
    """`` VALUES (?a ?b) { ... } `` binding ``terms``: one row per combination of the values of
    list-valued ones; every term written by :func:`sparql_term`."""
    _check_variables(terms)
    variables = " ".join("?" + name for name in terms)
    columns = [
        [sparql_term(t) for t in term] if isinstance(term, (tuple, list)) else [sparql_term(term)]
        for term in terms.values()
    ]
    rows = " ".join("(" + " ".join(row) + ")" for row in itertools.product(*columns))
    return f" VALUES ({variables}) {{ {rows} }}"


def _sub_select_groups(query: str) -> list[tuple[int, int, set[str]]]:
    """The WHERE group of every sub-select: ``(index of its {, index of its }, the names of the
    variables written inside it)``, skipping comments, strings and IRIs."""
    groups: list[tuple[int, int, set[str]]] = []
    opened: list[tuple[int, int, set[str]]] = []  # (index of {, depth outside it, variables)
    pending: list[int] = []  # depths at which a sub-select's SELECT waits for its WHERE group
    depth = parens = i = 0
    while i < len(query):
        c = query[i]
        end = _skip_lexeme(query, i)
        if end is not None:
            for group in opened if c in "?$" else ():
                group[2].add(query[i + 1 : end])
            i = end
            continue
        if c.isalpha():
            end = _word_end(query, i)
            if depth > 0 and _is_keyword(query, i, end, "SELECT"):
                pending.append(depth)
            i = end
            continue
        parens += (c == "(") - (c == ")")
        if c == "{":
            if pending and pending[-1] == depth and parens == 0:
                opened.append((i, depth, set()))
                pending.pop()
            depth += 1
        elif c == "}":
            depth -= 1
            if opened and opened[-1][1] == depth:
                start, _, names = opened.pop()
                groups.append((start, i, names))
        i += 1
    return groups


def _is_keyword(query: str, start: int, end: int, keyword: str) -> bool:
    """Whether ``query[start:end]`` is ``keyword``, not the local part of a prefixed name
    (``hlsc:select``) nor a prefix."""
    before = query[start - 1] if start else " "
    after = query[end] if end < len(query) else " "
    return before != ":" and after != ":" and query[start:end].upper() == keyword


def bind_throughout(query: str, terms: Mapping[str, object]) -> str:
    """``query`` with ``terms`` bound first in its outermost WHERE group and in the WHERE group
    of every sub-select that uses them: a parameter then stands for one value throughout the
    query, as a constant written in its place would (a sub-select is evaluated on its own, so a
    binding outside it would not restrict it).

    One value is bound by ``BIND(term AS ?name)`` (Virtuoso 7.2 hangs on some queries that open
    with a ``VALUES`` block), a list of values by a ``VALUES`` block of one row per value in the
    outer group only, and ``None`` not at all, so that the query sees its variable unbound.
    Every term is written by :func:`sparql_term`, so no value can change the query's structure.

    >>> bind_throughout(
    ...     "SELECT ?s ?o WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", {"o": ox.Literal("x"), "p": None}
    ... )
    'SELECT ?s ?o WHERE { BIND("x" AS ?o) { SELECT ?s WHERE { BIND("x" AS ?o) ?s ?p ?o } } }'
    >>> bind_throughout("SELECT ?o WHERE { ?s ?p ?o }", {"o": (ox.Literal("a"), ox.Literal("b"))})
    'SELECT ?o WHERE { VALUES (?o) { ("a") ("b") } ?s ?p ?o }'
    """
    terms = {name: term for name, term in terms.items() if term is not None}
    if not terms:
        return query
    # A list is bound in the outer group only: Virtuoso 7.2 crashes on a VALUES block in a
    # sub-select, and the sub-selects of an inquiry project and group by what they use.
    single = {name for name, term in terms.items() if not isinstance(term, (tuple, list))}
    groups = [(start, single & names) for start, _, names in _sub_select_groups(query)]
    groups.append((_outer_where_brace(query), set(terms)))
    for start, names in sorted(groups, reverse=True):
        if names:
            block = _binding_block({name: term for name, term in terms.items() if name in names})
            query = f"{query[: start + 1]}{block}{query[start + 1 :]}"
    return query


def bind_first(query: str, terms: Mapping[str, object]) -> str:
    """``query`` with each term bound by a ``BIND`` first in its outermost WHERE group (a list
    by a ``VALUES`` block), every term written by :func:`sparql_term`, so no value can change
    the query's structure.

    >>> bind_first("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal("x } #")})
    'SELECT ?s WHERE { BIND("x } #" AS ?o) ?s ?p ?o }'
    """
    position = _outer_where_brace(query)
    return f"{query[: position + 1]}{_binding_block(terms)}{query[position + 1 :]}"


def _check_variables(names: Iterable[str]) -> None:
    for name in names:
        if not _VARIABLE.match(name):
            raise InvalidArgumentError(
                f"not a SPARQL variable name: {name!r}; expected letters, digits and _, such as 'concept'"
            )


def _binding_block(terms: Mapping[str, object]) -> str:
    """`` BIND(term AS ?a)`` for each single term, then one ``VALUES`` block for the lists."""
    single = {name: term for name, term in terms.items() if not isinstance(term, (tuple, list))}
    lists = {name: term for name, term in terms.items() if name not in single}
    _check_variables(single)
    binds = "".join(f" BIND({sparql_term(term)} AS ?{name})" for name, term in single.items())
    return binds + (_values_block(lists) if lists else "")


def ntriples(quads: Iterable[ox.Quad] | Iterable[ox.Triple]) -> bytes:
    """Triples (the graph of quads dropped) as N-Triples bytes."""
    triples = (q.triple if isinstance(q, ox.Quad) else q for q in quads)
    return serialize(triples, ox.RdfFormat.N_TRIPLES)


def serialize(
    quads: Iterable[ox.Quad] | Iterable[ox.Triple],
    format: ox.RdfFormat,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """``pyoxigraph.serialize`` to bytes: the same call, typed as what it returns when given no
    output file (its stub says ``bytes | None`` for both cases).

    >>> serialize([ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c"))],
    ...           ox.RdfFormat.N_TRIPLES)
    b'<http://x/a> <http://x/b> "c" .\\n'
    """
    data = (
        ox.serialize(quads, format=format, prefixes=dict(prefixes))
        if prefixes
        else ox.serialize(quads, format=format)
    )
    if data is None:  # only with an output file, which is never given here
        raise ValueError("pyoxigraph.serialize wrote to a file instead of returning the bytes")
    return data


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
        raise rdf_syntax_error(err, source, path=path, data=data, format=format) from None


# --------------------------------------------------------------------------- prefixed names

# A local name that can follow ``prefix:`` in SPARQL and Turtle as it is (no escapes), and that
# parse_iri reads back: ASCII letters, digits, "_", "-" and ".", not starting with "-" or "."
# and not ending with ".". Empty is allowed ("hls:" names the namespace itself).
_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?\Z")


class Compactor:
    """Prefixed names for the namespaces it is given, memoising each IRI: the longest namespace
    an IRI starts with wins, and the IRI gets a prefixed name only when what is left is a
    valid local name (``hlsc:trust``, never ``hls:concept/trust`` nor ``hlsg:base/stories``).

    Calling it gives the prefixed name or else the IRI itself, as DataFrame cells show them;
    :meth:`sparql` gives ``<IRI>`` instead, for text that must read as SPARQL or Turtle.

    >>> compact = Compactor({"hls": "https://w3id.org/hls/", "hlsc": "https://w3id.org/hls/concept/"})
    >>> compact("https://w3id.org/hls/concept/trust"), compact("https://w3id.org/hls/concept/a/b")
    ('hlsc:trust', 'https://w3id.org/hls/concept/a/b')
    >>> compact.sparql("http://example.org/x")
    '<http://example.org/x>'
    """

    def __init__(self, prefixes: Mapping[str, str]):
        self.namespaces = dict(prefixes)
        self.by_namespace = {iri: name for name, iri in prefixes.items()}
        # Longest namespace first, so that hlsc: wins over hls: for a concept IRI.
        self.ordered = sorted(self.by_namespace.items(), key=lambda item: -len(item[0]))
        # The same, grouped by scheme and host, so that a DataFrame column is searched for a
        # namespace only when its host occurs at all (see hlsgraph.store.frames).
        groups: dict[str, list[tuple[str, str]]] = {}
        for namespace, name in self.ordered:
            groups.setdefault("/".join(namespace.split("/")[:3]) + "/", []).append((namespace, name))
        self.grouped = list(groups.items())
        # When every namespace ends with "/" or "#", the longest one an IRI starts with is the
        # one ending at its last "/" or "#" if there is one: a dictionary look-up.
        self._cut_at_separator = all(ns.endswith(("/", "#")) for ns in self.by_namespace)
        self.memo: dict[str, str | None] = {}

    def prefixed(self, iri: str) -> str | None:
        """The prefixed name for ``iri``, or ``None`` when no namespace gives a valid one."""
        try:
            return self.memo[iri]
        except KeyError:
            pass
        namespace = None
        if self._cut_at_separator:
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            if iri[:cut] in self.by_namespace:
                namespace = iri[:cut]
        if namespace is None:
            namespace = next((ns for ns, _ in self.ordered if iri.startswith(ns)), None)
        result = None
        if namespace is not None and _LOCAL.match(iri, len(namespace)):
            result = f"{self.by_namespace[namespace]}:{iri[len(namespace) :]}"
        if len(self.memo) > 200_000:  # bound the memory a long session can pin
            self.memo.clear()
        self.memo[iri] = result
        return result

    def __call__(self, iri: str) -> str:
        return self.prefixed(iri) or iri

    def sparql(self, iri: str) -> str:
        """The prefixed name for ``iri``, or else ``<iri>``: always valid SPARQL and Turtle."""
        return self.prefixed(iri) or iri_syntax(iri)


_COMPACTORS: dict[tuple, Compactor] = {}


def compactor(prefixes: Mapping[str, str] = PREFIXES) -> Compactor:
    """The shared :class:`Compactor` for a prefix mapping (by default hlsgraph's own).

    >>> compactor() is compactor()
    True
    """
    key = tuple(prefixes.items())
    found = _COMPACTORS.get(key)
    if found is None:
        found = _COMPACTORS[key] = Compactor(prefixes)
    return found


def compact(iri: str) -> str:
    """``iri`` as a prefixed name of :data:`~hlsgraph.namespaces.PREFIXES`, or else as
    ``<iri>``: what messages and generated SPARQL or Turtle write.

    >>> compact("https://w3id.org/hls/concept/trust")
    'hlsc:trust'
    >>> compact("https://w3id.org/hls/graph/base/stories")
    '<https://w3id.org/hls/graph/base/stories>'
    """
    return compactor().sparql(iri)


def shorten(iri: str) -> str:
    """``iri`` as a prefixed name of :data:`~hlsgraph.namespaces.PREFIXES`, or else the IRI
    itself: what tables and pages show (DataFrame cells are compacted the same way).

    >>> shorten("https://w3id.org/hls/Story"), shorten("http://example.org/x")
    ('hls:Story', 'http://example.org/x')
    """
    return compactor()(iri)


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


def check_text(value: str, what: str = "the value") -> str:
    """``value`` when it is text a store can hold; a clear error for a lone surrogate (half of
    a UTF-16 pair, which is no character: it comes from bytes decoded with
    ``errors="surrogateescape"`` or from a broken JSON escape).

    >>> check_text("Plymouth")
    'Plymouth'
    >>> check_text("tr\\ud800ust", "parameter 'keyword'")
    Traceback (most recent call last):
    ...
    hlsgraph.errors.InquiryParameterError: parameter 'keyword' 'tr\\ud800ust' holds a lone surrogate ...
    """
    for position, char in enumerate(value, start=1):
        if "\ud800" <= char <= "\udfff":
            raise InquiryParameterError(
                f"{what} {value!r} holds a lone surrogate (U+{ord(char):04X}, character {position}), "
                "which is not a character: decode the input as UTF-8 (it often comes from bytes read "
                "with errors='surrogateescape') or remove it"
            )
    return value


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
        check_text(value)
        iri = parse_iri(value)
        return iri if iri is not None else ox.Literal(value)
    raise ArgumentTypeError(
        f"cannot bind {type(value).__name__} {value!r} as an RDF term; "
        "give a str, number, bool, date, or a pyoxigraph or rdflib term"
    )


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
    raise ArgumentTypeError(
        f"cannot bind {type(value).__name__} {value!r} as an RDF term; "
        "give a str, number, bool, date, or a pyoxigraph or rdflib term"
    )


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


def absolute_iri(value: str | None, *, what: str = "the IRI") -> str | None:
    """``value`` checked to be an absolute IRI (``<...>`` taken off); ``None`` stays ``None``.

    >>> absolute_iri("<https://example.org/my-data/>")
    'https://example.org/my-data/'
    """
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) or any(c in text for c in ' <>"{}|\\^`'):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"{what} {value!r} is not an absolute IRI; give one with a scheme, such as "
            "'https://example.org/my-data/'"
        )
    return text
