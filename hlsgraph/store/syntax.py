"""The engine's syntax errors turned into hlsgraph's, written for people: a query or a data file
that does not parse is reported once with its source (file, cell or ``<query>``), line and
column, what was wrong in words (an unknown prefix is named, with the prefixes one may use), and
the line itself with a caret under the offending token."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import QuerySyntaxError, RDFSyntaxError, did_you_mean, nearest
from ..namespaces import PREFIXES

_AT = re.compile(r"(?:error )?at (\d+):(\d+)")
_BETWEEN = re.compile(r"line (\d+) column (\d+)")
_ENGINE_PREFIX = re.compile(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ")
_ENGINE_SUFFIX = re.compile(r" \(line \d+\)$")
_PNAME_BEFORE = re.compile(r"([A-Za-z][\w.\-]*)?:[\w.\-%]*$")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.\-]*|):", re.IGNORECASE)
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_KEYWORDS = """
    A ABS ADD ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT
    CONTAINS COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP
    ENCODE_FOR_URI EXISTS FALSE FILTER FLOOR FROM GRAPH GROUP GROUP_CONCAT HASLANG HASLANGDIR
    HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI ISLITERAL ISNUMERIC ISTRIPLE ISURI LANG
    LANGDIR LANGMATCHES LCASE LIMIT LOAD MAX MD5 MIN MINUS MINUTES MONTH MOVE NAMED NOT NOW OBJECT
    OFFSET OPTIONAL ORDER PREDICATE PREFIX RAND REDUCED REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS
    SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512 SILENT STR STRAFTER STRBEFORE STRDT STRENDS
    STRLANG STRLANGDIR STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM TIMEZONE TO TRIPLE TRUE TZ UCASE
    UNDEF UNION URI USING UUID VALUES WHERE WITH YEAR
"""
KEYWORDS = frozenset(_KEYWORDS.split())
"""SPARQL 1.1 (and SPARQL 1.2) keywords and built-in function names: any other bare word in a
query is a mistake, such as ``LIMT`` for ``LIMIT``."""

_FUNCTIONS = frozenset(["ABS", "AVG", "DAY", "IRI", "MAX", "MIN", "NOT", "NOW", "STR", "SUM", "URI"])

_SENTENCES = {
    "The SELECT contains a variable that is unbound": (
        "a selected variable is neither grouped nor computed: with GROUP BY or an aggregate such "
        "as COUNT, every other variable of the SELECT must be in the GROUP BY"
    ),
}
"""Sentences of the engine put in the user's terms."""

# What a bare word can hide in: comments, strings, IRIs, variables, prefixed names, language tags.
_NOT_WORDS = re.compile(
    r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^\s<>"{}|^`]*>|[?$][\w]+|@[A-Za-z][\w-]*|[A-Za-z_][\w.\-]*:[\w.\-:%]*|:[\w.\-:%]*|\d[\w.]*'
)
_WORD = re.compile(r"[A-Za-z_]\w*")


# ------------------------------------------------------------------------ excerpts


def excerpt(text: str, start: int, end: int | None = None) -> str:
    """The line ``text`` indented, with carets under columns ``start`` to ``end`` (1-based,
    inclusive); tabs in the line are kept in the padding so the carets stay in place.

    >>> print(excerpt("WHERE { ?s a foo:Story }", 14, 22))
    <BLANKLINE>
        WHERE { ?s a foo:Story }
                     ^^^^^^^^^
    """
    start = max(start, 1)
    end = max(end or start, start)
    pad = "".join("\t" if ch == "\t" else " " for ch in text[: start - 1])
    return f"\n    {text}\n    {pad}{'^' * (end - start + 1)}"


_EXPECTED_ITEM = re.compile(
    r'"(?:[^"\\]|\\.)*"'  # a literal token: "}"
    r"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]"  # a character class: ['A' ..= 'Z' | ...]
    r"|[^,]+"  # a keyword or one of the engine's sentences
)


def _split_expected(reason: str) -> list[str] | None:
    """The items of the engine's ``expected one of A, B, ...`` list, or ``None``.

    >>> _split_expected("expected one of FILTER, ['a' ..= 'z'], OPTIONAL")
    ['FILTER', "['a' ..= 'z']", 'OPTIONAL']
    """
    for lead in ("expected one of ", "expected "):
        if reason.startswith(lead):
            body = reason[len(lead) :]
            return [m.group(0).strip() for m in _EXPECTED_ITEM.finditer(body) if m.group(0).strip(", ")]
    return None


def _expected_in_words(items: list[str]) -> tuple[str | None, list[str]]:
    """What the engine expected, readable: ``(a sentence it gave, the tokens)``; character
    classes become "a name" and "any character" is left out."""
    sentence, tokens = None, []
    for item in items:
        if item.startswith("[") and item.endswith("]"):
            if "'A'" in item or "'a'" in item:
                tokens.append("a name")
            elif "'0'" in item:
                tokens.append("a digit")
            continue  # [_]: any character
        if item[:1] in "\"'" and item[-1:] == item[:1]:
            tokens.append(f"'{item[1:-1]}'")
        elif " " in item:
            sentence = item  # the engine's own sentence, e.g. "Prefix not found"
        else:
            tokens.append(item)
    return sentence, list(dict.fromkeys(tokens))


def _known_prefixes(query: str) -> list[str]:
    declared = _DECLARED.findall(query)
    return list(dict.fromkeys([*declared, *PREFIXES]))


def explain(
    reason: str, query: str, line: int | None, column: int | None
) -> tuple[str, int | None, int | None]:
    """The engine's ``reason`` in words, with the columns the caret should span.

    >>> explain("expected one of Prefix not found, ['%']", "SELECT * { ?s a foo:Story }", 1, 26)[0][:35]
    "unknown prefix 'foo:' in foo:Story;"
    """
    lines = query.split("\n")
    text = lines[line - 1] if line and 1 <= line <= len(lines) else ""
    items = _split_expected(reason) or []
    sentence, tokens = _expected_in_words(items)
    if sentence == "Prefix not found" and column:
        match = _PNAME_BEFORE.search(text[: column - 1])
        if match:
            prefix, token = match.group(1) or "", match.group(0)
            known = _known_prefixes(query)
            listed = ", ".join(f"{p}:" for p in known[:12]) + (", ..." if len(known) > 12 else "")
            close = nearest(prefix, known)
            hint = f"; did you mean '{close[0]}:'? Otherwise declare it" if close else "; declare it"
            return (
                f"unknown prefix '{prefix}:' in {token}{hint} with PREFIX {prefix}: <...> "
                f"or use one of {listed}",
                match.start() + 1,
                match.end(),
            )
    form = _first_word(query)
    if form and form[0].upper() not in _FORMS + ("PREFIX", "BASE", "INSERT", "DELETE", "WITH", "LOAD"):
        word, form_line, form_column = form
        if line is None or form_line <= line:
            return (
                f"a query begins with SELECT, CONSTRUCT, ASK or DESCRIBE (after any PREFIX and BASE "
                f"lines), not {word!r}{did_you_mean(word.upper(), _FORMS)}",
                form_column,
                form_column + len(word) - 1,
            )
    unknown = _unknown_word(query, line, column)
    if unknown:
        word, word_line, word_column = unknown
        if word_line == line or (line or 0) > word_line or _at_end(query, line, column):
            return (
                (
                    f"unknown word {word!r}{did_you_mean(word.upper(), KEYWORDS)}",
                    word_column if word_line == line else column,
                    word_column + len(word) - 1 if word_line == line else None,
                )
                if word_line == line
                else (
                    f"unknown word {word!r} on line {word_line}{did_you_mean(word.upper(), KEYWORDS)}",
                    column,
                    None,
                )
            )
    found = _found_at(text, column, _at_end(query, line, column))
    sentence = _SENTENCES.get(sentence or "", sentence)
    if sum(t in _FUNCTIONS for t in tokens) >= 4:
        tokens = ["an expression (a variable, a value, or a function call such as STR(?x))"]
    if sentence and not tokens:
        return sentence[:1].lower() + sentence[1:], column, None
    if tokens:
        wanted = tokens[0] if len(tokens) == 1 else "one of " + ", ".join(tokens)
        lead = f"{sentence[:1].lower() + sentence[1:]}; " if sentence else ""
        return f"{lead}expected {wanted}{found}", column, None
    return reason, column, None


def _first_word(query: str) -> tuple[str, int, int] | None:
    """The first word of the query that is not in a comment: ``(word, line, column)``."""
    for number, text in enumerate(query.split("\n"), start=1):
        stripped = text.split("#", 1)[0]
        match = re.search(r"[A-Za-z]+", stripped)
        if match:
            return match.group(0), number, match.start() + 1
        if stripped.strip():
            return None
    return None


def _unknown_word(query: str, line: int | None, column: int | None) -> tuple[str, int, int] | None:
    """The first bare word of the query (outside strings, IRIs, names and comments) that is no
    SPARQL keyword, up to the point the engine stopped: ``(word, line, column)``."""
    masked = _NOT_WORDS.sub(
        lambda m: " " * len(m.group(0)) if "\n" not in m.group(0) else re.sub(r"[^\n]", " ", m.group(0)),
        query,
    )
    lines = masked.split("\n")
    for number, text in enumerate(lines, start=1):
        if line is not None and number > line:
            break
        for match in _WORD.finditer(text):
            if line is not None and number == line and column is not None and match.start() + 1 > column:
                break
            if match.group(0).upper() not in KEYWORDS:
                return match.group(0), number, match.start() + 1
    return None


def _at_end(query: str, line: int | None, column: int | None) -> bool:
    """Whether the engine stopped at the end of the query (then its position says little)."""
    if line is None or column is None:
        return False
    lines = query.split("\n")
    rest = "\n".join([lines[line - 1][column - 1 :], *lines[line:]]) if line <= len(lines) else ""
    return not rest.strip()


def _found_at(text: str, column: int | None, at_end: bool = False) -> str:
    if column is None:
        return ""
    if at_end:
        return " at the end of the query"
    rest = text[column - 1 :]
    if not rest.strip():
        return " at the end of the line"
    word = re.match(r"\s*(\S+)", rest)
    return f", found {word.group(1)[:30]!r}" if word else ""


# ------------------------------------------------------------------------ queries


def _position(message: str) -> tuple[int | None, int | None, str]:
    match = _AT.search(message) or _BETWEEN.search(message)
    if not match:
        return None, None, message.strip()
    reason = message[match.end() :].lstrip(": ").strip() or message
    return int(match.group(1)), int(match.group(2)), reason


def _render(reason: str, text: str, source: str, line: int | None, start, end) -> QuerySyntaxError:
    lines = text.split("\n")
    if line is not None and 1 <= line <= len(lines):
        shown = lines[line - 1]
        where = f"{source}, line {line}" + (f", column {start}" if start else "")
        after = excerpt(shown, start, end) if start else ""
    else:
        shown, where, after = None, source, ""
    error = QuerySyntaxError(f"SPARQL syntax error in {where}: {reason}{after}")
    error.filename, error.lineno, error.offset, error.text = source, line, start, shown
    error.end_offset = end
    error.reason = reason
    return error


def query_syntax_error(
    message: str, query: str, source: str = "<query>", line_shift: int = 0
) -> QuerySyntaxError:
    """hlsgraph's error for a query the engine could not parse: where, what in words, excerpt.

    ``message`` is the engine's text (``"error at 3:2: expected ..."``); ``line_shift`` lines are
    taken off when text was put in front of the query before sending it.

    >>> err = query_syntax_error("error at 2:7: expected '}'", "SELECT * {\\n  ?s ?p\\n}")
    >>> err.lineno, err.offset
    (2, 7)
    """
    line, column, reason = _position(message)
    if line is not None:
        line -= line_shift
    explained, start, end = explain(reason, query, line, column)
    return _render(explained, query, source, line, start, end)


def relocated(err: QuerySyntaxError, text: str, source: str, first_line: int) -> QuerySyntaxError:
    """``err`` (raised for a query) re-pointed into ``text``, the file or cell holding the query
    from its line ``first_line`` on, and named ``source``."""
    if err.lineno is None:
        return _render(getattr(err, "reason", str(err)), text, source, None, None, None)
    return _render(
        getattr(err, "reason", str(err)),
        text,
        source,
        err.lineno + first_line - 1,
        err.offset,
        getattr(err, "end_offset", None),
    )


def in_file(err: QuerySyntaxError, query: str, path: str | None) -> QuerySyntaxError:
    """A syntax error in a query read from a file, re-pointed at the line of that file (the query
    text may follow a header there, as in an inquiry's ``.rq``)."""
    if not path:
        return err
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return err
    start = text.find(query)
    if start < 0:
        return err
    return relocated(err, text, str(path), text.count("\n", 0, start) + 1)


def first_line(query: str) -> str:
    """The first line of a query that is not a comment or prologue, cut to 80 characters (for
    messages)."""
    for line in query.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "PREFIX", "prefix", "BASE", "base")):
            return line if len(line) <= 80 else line[:77] + "..."
    return "(empty query)"


# ------------------------------------------------------------------------ RDF data


def _engine_details(err: SyntaxError) -> tuple[int | None, int | None, int | None]:
    details = err.args[1] if len(err.args) > 1 and isinstance(err.args[1], tuple) else ()
    line = details[1] if len(details) > 1 else getattr(err, "lineno", None)
    column = details[2] if len(details) > 2 else getattr(err, "offset", None)
    end = details[5] if len(details) > 5 and details[4] == line else None
    return line, column, end


def _content(path, data) -> str | None:
    """The text of the source, to quote a line from or to search (``None`` when unreadable)."""
    try:
        raw: bytes | str
        if path is not None:
            raw = Path(path).read_bytes()
        elif isinstance(data, (bytes, str)):
            raw = data
        else:
            return None
    except OSError:
        return None
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def xml_position(text: str, reason: str) -> tuple[int, int] | None:
    """Where in an RDF/XML document the engine's complaint (which carries no position) applies:
    the first point XML parsing fails, the first element outside any namespace, or the first
    place the quoted value of the message appears.

    >>> xml_position("<a>\\n  <b></c>\\n</a>", "ill-formed document")
    (2, 8)
    """
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    outside: list[tuple[int, int]] = []

    def start(name, _attributes):
        if " " not in name and not outside:
            outside.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartElementHandler = start
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as err:
        return err.lineno, err.offset + 1
    if "namespace" in reason.lower() and outside:
        return outside[0]
    quoted = re.search(r"'([^']+)'|`([^`]+)`", reason)
    if quoted:
        value = quoted.group(1) or quoted.group(2)
        for mark in ('"', "'"):
            at = text.find(f"{mark}{value}{mark}")
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                return line, at - (text.rfind("\n", 0, at) + 1) + 2
    return None


def _relative_iri(reason: str, text: str, column, end) -> str:
    """The words for an IRI that needs a base the data does not give."""
    quoted = re.search(r"IRI '([^']*)'", reason)
    iri = quoted.group(1) if quoted else (text[column - 1 : end - 1] if column and end else "")
    iri = iri.strip("<>")
    shown = f"<{iri}>" if iri else "an IRI"
    return (
        f"{shown} is a relative IRI and the data sets no @base to resolve it against: load it with "
        "base_iri='https://...' (the base its relative IRIs are relative to), or write the IRI in full"
    )


def rdf_syntax_error(err: SyntaxError, source: str, *, path=None, data=None, format=None) -> RDFSyntaxError:
    """hlsgraph's error for RDF that does not parse: the file (or data), line and column once,
    the reason in words and the line with a caret. ``path``/``data`` are read again only to
    quote the line (and, for RDF/XML, whose errors carry no position, to find it)."""
    line, column, end = _engine_details(err)
    reason = str(err.args[0]) if err.args else str(err)
    reason = _ENGINE_SUFFIX.sub("", _ENGINE_PREFIX.sub("", reason))
    content = _content(path, data)
    if line is None and content is not None and format is not None and "XML" in str(format).upper():
        found = xml_position(content, reason)
        if found:
            line, column = found
    lines = content.split("\n") if content is not None else []
    text = lines[line - 1].rstrip("\r") if line and line <= len(lines) else None
    if "No scheme found in an absolute IRI" in reason:
        reason = _relative_iri(reason, text or "", column, end)
    where = source if line is None else f"{source}, line {line}" + (f", column {column}" if column else "")
    shown = excerpt(text, column or 1, end - 1 if end and column and end > column else None) if text else ""
    if text is not None and len(text) > 200:
        shown = ""  # a minified file: the line says nothing a person can read
    error = RDFSyntaxError(f"{where}: {reason}; nothing was loaded{shown}")
    error.filename, error.lineno, error.offset, error.text = source, line, column, text
    error.reason = reason
    return error
