"""SPARQL results as typed pandas DataFrames.

A SELECT result arrives as SPARQL 1.1 TSV (from pyoxigraph's serialiser or from a remote
endpoint): every value is an RDF term in N-Triples syntax, so the datatype survives the trip and
the rows are split by C string routines rather than a Python loop over solution objects. Each
column then becomes one pandas dtype chosen from the datatypes found in it (see :func:`frame_from_tsv`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..namespaces import PREFIXES
from .terms import Compactor, compactor, literal_syntax

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset({XSD + "decimal", XSD + "double", XSD + "float"})
_BOOLEAN = XSD + "boolean"
_DATE = XSD + "date"
_DATETIME = XSD + "dateTime"
_STRING = XSD + "string"

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_REPLACES = tuple(("\\" + k, v) for k, v in _SIMPLE_ESCAPES.items() if k != "\\")
_SAFE_DELETE = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:>\n")
# The column-wide compaction below must agree with Compactor, IRI by IRI (tested): these
# spell terms._LOCAL's rule for a whole column at once.
_BAD_LOCAL = re.compile(r"[^A-Za-z0-9_.\-]")
# A compacted item (a line not starting with "<") whose local name needs escaping: a character
# outside the safe set, or a leading "." / "-", or a trailing ".".
_BAD_COMPACT = re.compile(r"^[^<\n][^:\n]*:(?:[.\-]|[^\n>]*(?:[^A-Za-z0-9_.\-\n>]|\.>))", re.MULTILINE)


def _unescape_match(match: re.Match) -> str:
    four, eight, char = match.groups()
    if char is not None:
        return _SIMPLE_ESCAPES.get(char, char)
    return chr(int(four or eight, 16))


def unescape(text: str) -> str:
    r"""Undo N-Triples string escapes.

    >>> unescape(r'a\"b\tc\u00e9 \\n')
    'a"b\tcé \\n'
    """
    if "\\" not in text:
        return text
    if "\\u" in text or "\\U" in text:
        return _ESCAPE.sub(_unescape_match, text)
    # The common case, without numeric escapes: split on escaped backslashes (every backslash
    # starts an escape, so the split cannot cut one in two) and undo the one-letter escapes
    # with C-speed replaces.
    parts = text.split("\\\\")
    for index, part in enumerate(parts):
        if "\\" in part:
            for escaped, char in _REPLACES:
                part = part.replace(escaped, char)
            parts[index] = part
    return "\\".join(parts)


def _term_parts(value: str) -> tuple[str, str | None]:
    """(lexical or IRI, datatype) of one TSV term; datatype None for IRIs and blank nodes."""
    head = value[0]
    if head == '"':
        end = value.rfind('"')
        lexical = unescape(value[1:end])
        suffix = value[end + 1 :]
        if not suffix:
            return lexical, _STRING
        if suffix[0] == "@":
            return lexical, RDF_LANGSTRING
        return lexical, suffix[3:-1]
    if head == "<":
        return unescape(value[1:-1]), None
    if head == "_":
        return value, None
    if value in ("true", "false"):
        return value, _BOOLEAN
    if "e" in value or "E" in value:
        return value, XSD + "double"
    if "." in value:
        return value, XSD + "decimal"
    return value, XSD + "integer"


def _iri_column(values, compact: Compactor | None) -> pd.api.extensions.ExtensionArray:
    joined = "\n".join(values)
    if compact is None or "\\" in joined:
        return _iri_column_each(values, compact)
    joined = _compact_joined(joined, compact)
    if _compacted_cleanly(joined):
        items = joined.replace("<", "").replace(">", "").split("\n")
        array = pd.array(items, dtype="string")
        if "" in values:
            array[array == ""] = pd.NA
        return array
    return _split_compacted(joined, compact)


def _iri_column_each(values, compact: Compactor | None) -> pd.api.extensions.ExtensionArray:
    """IRIs unescaped (and compacted) one distinct value at a time: the slow, general path."""
    mapping: dict[str, str | None] = {"": None}
    for value in set(values):
        if value:
            iri = unescape(value[1:-1])
            mapping[value] = compact(iri) if compact is not None else iri
    return pd.array([mapping[v] for v in values], dtype="string")


def _compact_joined(joined: str, compact: Compactor) -> str:
    """A column of ``<IRI>`` lines with every known namespace replaced by its prefix at once:
    one C-speed replace per namespace, longest first so hlsc: wins over hls: (IRIs hold no
    newline, "<" or ">", so this is safe)."""
    for root, group in compact.grouped:
        if root in joined:
            for namespace, name in group:
                if namespace in joined:
                    joined = joined.replace("<" + namespace, name + ":")
    return joined


def _compacted_cleanly(joined: str) -> bool:
    """Whether every prefixed name in a compacted column has a valid local name."""
    if "<" not in joined:
        # Every value was compacted: the local names are fine unless a character outside the
        # safe set survives deleting the safe ones, or a local name starts with "." or "-"
        # or ends with ".".
        return not joined.translate(_SAFE_DELETE) and not any(mark in joined for mark in (":.", ":-", ".>"))
    return not _BAD_COMPACT.search(joined)


def _split_compacted(joined: str, compact: Compactor) -> pd.api.extensions.ExtensionArray:
    """A compacted column item by item, keeping whole the IRIs whose local name is not valid."""
    out: list[str | None] = []
    append = out.append
    bad = _BAD_LOCAL.search
    for item in joined.split("\n"):
        if not item:
            append(None)
        elif item[0] == "<":
            append(item[1:-1])
        else:
            colon = item.index(":")
            if bad(item, colon + 1, len(item) - 1) or item[-2] == "." or item[colon + 1] in ".-":
                # Not a valid local name (e.g. holds "/"): keep the IRI whole.
                append(compact.namespaces[item[:colon]] + item[colon + 1 : -1])
                continue
            append(item[:-1])
    return pd.array(out, dtype="string")


def _plain_string_column(values) -> pd.api.extensions.ExtensionArray:
    joined = "\n".join(values)
    if "\\" not in joined:
        # Without escapes every double quote is a delimiter: drop them all at once.
        array = pd.array(joined.replace('"', "").split("\n"), dtype="string")
        if "" in values:
            array[pd.array([v == "" for v in values], dtype="boolean")] = pd.NA
        return array
    if "\\" in joined:
        if "\\u" in joined or "\\U" in joined or "\x00" in joined or "\x01" in joined:
            out = [unescape(v[1:-1]) if v else None for v in values]
            return pd.array(out, dtype="string")
        # Unescape the whole column at once. Escaped backslashes and newlines are parked on
        # control characters that cannot occur here (checked above) until the rows are split.
        parts = joined.split("\\\\")
        for index, part in enumerate(parts):
            if "\\" in part:
                part = part.replace("\\n", "\x01")
                for escaped, char in _REPLACES:
                    part = part.replace(escaped, char)
                parts[index] = part
        joined = "\x00".join(parts)
        items = [
            (v[1:-1].replace("\x01", "\n").replace("\x00", "\\") if ("\x00" in v or "\x01" in v) else v[1:-1])
            if v
            else v
            for v in joined.split("\n")
        ]
    else:
        items = [v[1:-1] for v in joined.split("\n")]
    array = pd.array(items, dtype="string")
    if "" in values:
        array[pd.array([v == "" for v in values], dtype="boolean")] = pd.NA
    return array


def _integers(lexicals: list) -> pd.api.extensions.ExtensionArray:
    try:
        return pd.array([None if v is None else int(v) for v in lexicals], dtype="Int64")
    except (OverflowError, TypeError, ValueError):
        return _floats(lexicals)


def _floats(lexicals: list) -> pd.api.extensions.ExtensionArray:
    return pd.array(
        [None if v is None else float(v.replace("INF", "inf")) for v in lexicals], dtype="Float64"
    )


def _datetimes(lexicals: list, kind: str):
    if kind == _DATE:
        # A date may carry a time zone ("2020-01-02Z"); a calendar day is what a reader means.
        lexicals = [None if v is None else v[:10] if v[0] != "-" else v for v in lexicals]
        return pd.to_datetime(pd.Series(lexicals, dtype=object), format="ISO8601").array
    zoned = any(v is not None and (v.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", v)) for v in lexicals)
    series = pd.Series(lexicals, dtype=object)
    return pd.to_datetime(series, format="ISO8601", utc=zoned).array


def _general_column(values: list, compact: Compactor | None):
    parsed: dict[str, tuple[str, str | None]] = {}
    for value in set(values):
        if value:
            parsed[value] = _term_parts(value)
    datatypes = {datatype for _, datatype in parsed.values()}
    lexicals = [parsed[v][0] if v else None for v in values]
    try:
        typed = _one_kind_of_literal(datatypes, lexicals)
        if typed is not None:
            return typed
    except (ValueError, OverflowError):
        pass  # an ill-typed literal (e.g. "soon"^^xsd:date): fall back to its text
    if compact is not None and None in datatypes:
        for value, (lexical, datatype) in parsed.items():
            if datatype is None and value[0] == "<":
                parsed[value] = (compact(lexical), None)
        lexicals = [parsed[v][0] if v else None for v in values]
    return pd.array(lexicals, dtype="string")


def _one_kind_of_literal(datatypes: set, lexicals: list):
    """The typed array for literals all of one kind (integers, numbers, booleans, dates or
    date-times), else None."""
    if datatypes and datatypes <= _INTEGER_TYPES:
        return _integers(lexicals)
    if datatypes and datatypes <= (_INTEGER_TYPES | _FLOAT_TYPES):
        return _floats(lexicals)
    if datatypes == {_BOOLEAN}:
        return pd.array([None if v is None else v in ("true", "1") for v in lexicals], dtype="boolean")
    if datatypes == {_DATE} or datatypes == {_DATETIME}:
        return _datetimes(lexicals, datatypes.pop())
    return None


_NUMBER_HEADS = frozenset("0123456789+-.")


def _typed_column(values, joined: str, present: int):
    """Fast path for a column whose values all carry one and the same datatype IRI.

    Raw double quotes in TSV only delimit literals (inner ones are escaped), so counting
    ``"^^<`` and the first value's suffix proves every value has that datatype.
    """
    if joined.count('"^^<') != present:
        return None
    first = next(v for v in values if v)
    suffix = first[first.rfind('"') :]
    if joined.count(suffix) != present:
        return None
    datatype = suffix[4:-1]
    text = ("\n" + joined.replace(suffix, "")).replace('\n"', "\n")[1:]
    lexicals = [v if v else None for v in text.split("\n")]
    if datatype in _INTEGER_TYPES:
        return _integers(lexicals)
    if datatype in _FLOAT_TYPES:
        return _floats(lexicals)
    if datatype == _BOOLEAN:
        return pd.array([None if v is None else v in ("true", "1") for v in lexicals], dtype="boolean")
    if datatype in (_DATE, _DATETIME):
        return _datetimes(lexicals, datatype)
    if "\\" in text:
        lexicals = [None if v is None else unescape(v) for v in lexicals]
    return pd.array(lexicals, dtype="string")


def _column(values: list, compact: Compactor | None):
    if len(values) > 64:
        codes, distinct = pd.factorize(np.array(values, dtype=object))
        if 2 * len(distinct) < len(values):
            # Few distinct values (kinds, access levels, places, dates): convert each once and
            # spread them by position.
            return _convert(distinct.tolist(), compact).take(codes)
    return _convert(values, compact)


_LANG_SUFFIX = re.compile(r'"@[A-Za-z0-9\-]+(?=\n|\Z)')


def _number_column(values: list):
    """Numbers written bare (Turtle's short forms, as TSV gives them)."""
    joined = "\n".join(values)
    lexicals = [v if v else None for v in values]
    if "." in joined or "e" in joined or "E" in joined:
        return _floats(lexicals)
    return _integers(lexicals)


def _quoted_column(values: list):
    """Literals in quotes by the fast paths (plain, language-tagged only, one datatype), or
    None for the general path."""
    joined = "\n".join(values)
    present = len(values) - values.count("")
    if '"^^<' not in joined and '"@' not in joined:
        return _plain_string_column(values)
    if '"^^<' not in joined and joined.count('"@') == present:
        # Language-tagged strings only: drop the tags and read them as plain strings.
        return _plain_string_column(_LANG_SUFFIX.sub('"', joined).split("\n"))
    return _typed_column(values, joined, present)


def _convert(values: list, compact: Compactor | None):
    heads = {v[:1] for v in values}
    heads.discard("")
    if not heads:
        return pd.array([None] * len(values), dtype="string")
    if heads == {"<"}:
        return _iri_column(values, compact)
    try:
        if heads <= _NUMBER_HEADS:
            return _number_column(values)
        if heads <= {"t", "f"}:
            return pd.array([None if not v else v == "true" for v in values], dtype="boolean")
        if heads == {'"'}:
            quoted = _quoted_column(values)
            if quoted is not None:
                return quoted
    except (ValueError, OverflowError):
        pass  # an ill-typed literal (e.g. "soon"^^xsd:date): the general path keeps its text
    return _general_column(values, compact)


def frame_from_tsv(
    data: bytes | str, *, compact: bool = True, prefixes: Mapping[str, str] = PREFIXES
) -> pd.DataFrame:
    """A DataFrame from SPARQL 1.1 TSV results.

    Columns are the result's variables in order (also when there are no rows). Per column:
    integers → ``Int64``; any other numbers (decimal, double, float) → ``Float64``; booleans →
    ``boolean``; ``xsd:date`` or ``xsd:dateTime`` alone → ``datetime64`` (UTC when any value has a
    time zone); everything else, including a column that mixes datatypes, → ``string`` holding IRIs
    (compacted with ``prefixes`` when ``compact``), literals' lexical forms and blank-node labels.
    Unbound → ``<NA>``.

    >>> df = frame_from_tsv(b'?s\\t?n\\n<https://w3id.org/hls/Story>\\t3\\n\\t\\n')
    >>> df["s"].tolist(), df["n"].dtype.name
    (['hls:Story', <NA>], 'Int64')
    """
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if text.endswith("\n"):
        text = text[:-1]
    header, _, body = text.partition("\n")
    variables = [name[1:] if name.startswith("?") else name for name in header.split("\t")] if header else []
    rows = body.count("\n") + 1 if _ else 0
    if not variables:
        return pd.DataFrame(index=range(rows))
    width = len(variables)
    if rows:
        # Every row has exactly one field per variable (values hold no raw tab or newline),
        # so one split of the whole body and strided slices give the columns at C speed.
        fields = body.replace("\n", "\t").split("\t")
        if len(fields) != rows * width:
            # The engine's answer, not the user's input: remote answers are checked whole before.
            raise ValueError(f"malformed SPARQL TSV results: {len(fields)} fields for {rows} rows of {width}")
        columns = [fields[index::width] for index in range(width)]
    else:
        columns = [[] for _ in range(width)]
    compact_fn = compactor(prefixes) if compact else None
    arrays = {name: _column(values, compact_fn) for name, values in zip(variables, columns, strict=True)}
    return pd.DataFrame(arrays, copy=False)


_SELECT_STAR = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)


def solutions_frame(tsv: bytes | str, query: str, *, compact: bool = True) -> pd.DataFrame:
    """The DataFrame of a SELECT query's TSV results (see :func:`frame_from_tsv`), its columns in
    the order the query names them even for ``SELECT *``, where engines list variables in an
    order of their own.

    >>> solutions_frame(b"?b\\t?a\\n1\\t2\\n", "SELECT * WHERE { ?a ?p ?b }").columns.tolist()
    ['a', 'b']
    """
    from .terms import query_variables

    frame = frame_from_tsv(tsv, compact=compact)
    if _SELECT_STAR.search(query) and frame.shape[1] > 1:
        order = {name: index for index, name in enumerate(query_variables(query))}
        frame = frame[sorted(frame.columns, key=lambda c: order.get(c, len(order)))]
    return frame


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _blank(label: str) -> str:
    """A blank node in N-Triples syntax: engines' own labels (Virtuoso's ``nodeID://b10000``)
    made into valid ones, the same label always giving the same node."""
    if _BLANK_LABEL.fullmatch(label) and not label.endswith("."):
        return "_:" + label
    return "_:x" + label.encode().hex()


def _json_term(term: Mapping) -> str:
    kind = term["type"]
    value = term["value"]
    if kind == "uri":
        return f"<{value}>"  # as the engine gave it: results are read, not checked
    if kind == "bnode":
        return _blank(value)
    # "typed-literal" is SPARQL 1.0's name for a literal with a datatype (Virtuoso still uses it).
    return literal_syntax(value, term.get("datatype"), term.get("xml:lang"))


def tsv_from_json(data: bytes | str) -> str:
    """SPARQL 1.1 JSON results re-written as TSV, for endpoints whose TSV is not SPARQL 1.1 TSV.

    >>> tsv_from_json('{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"http://e/a"}}]}}')
    '?x\\n<http://e/a>\\n'
    """
    document = json.loads(data)
    variables = document["head"].get("vars", [])
    lines = ["\t".join("?" + v for v in variables)]
    for binding in document["results"]["bindings"]:
        lines.append("\t".join(_json_term(binding[v]) if v in binding else "" for v in variables))
    return "\n".join(lines) + "\n"


_RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tsv_from_xml(data: bytes | str) -> str:
    """SPARQL XML results re-written as TSV (for endpoints that offer neither JSON nor
    conformant TSV).

    >>> tsv_from_xml('''<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>
    ...   <variable name="x"/></head><results><result><binding name="x">
    ...   <literal xml:lang="en">hi</literal></binding></result></results></sparql>''')
    '?x\\n"hi"@en\\n'
    """
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(data)
    variables = [v.attrib["name"] for v in root.iter(_RESULTS_NS + "variable")]
    lines = ["\t".join("?" + v for v in variables)]
    for result in root.iter(_RESULTS_NS + "result"):
        row = {}
        for binding in result.findall(_RESULTS_NS + "binding"):
            term = binding[0]
            kind = term.tag[len(_RESULTS_NS) :]
            text = term.text or ""
            if kind == "uri":
                row[binding.get("name")] = f"<{text}>"
            elif kind == "bnode":
                row[binding.get("name")] = _blank(text)
            else:
                row[binding.get("name")] = literal_syntax(text, term.get("datatype"), term.get(_XML_LANG))
        lines.append("\t".join(row.get(v, "") for v in variables))
    return "\n".join(lines) + "\n"
