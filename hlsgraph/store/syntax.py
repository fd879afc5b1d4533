"""The engine's syntax errors turned into hlsgraph's: a query or a data file that does not
parse is reported with its source, line, column and an excerpt with a caret."""

from __future__ import annotations

import re

from ..errors import QuerySyntaxError, RDFSyntaxError

_AT = re.compile(r"(?:error )?at (\d+):(\d+)")
_BETWEEN = re.compile(r"line (\d+) column (\d+)")


def query_syntax_error(
    message: str, query: str, source: str = "<query>", line_shift: int = 0
) -> QuerySyntaxError:
    """hlsgraph's error for a query the engine could not parse: position, reason and excerpt.

    ``message`` is the engine's text (``"error at 3:2: expected ..."``); ``line_shift`` lines are
    taken off when text was put in front of the query before sending it.

    >>> err = query_syntax_error("error at 2:7: expected '}'", "SELECT * {\\n  ?s ?p\\n}")
    >>> err.lineno, err.offset
    (2, 7)
    """
    match = _AT.search(message) or _BETWEEN.search(message)
    line = column = None
    if match:
        line, column = int(match.group(1)) - line_shift, int(match.group(2))
        reason = message[match.end() :].lstrip(": ").strip() or message
    else:
        reason = message.strip()
    lines = query.split("\n")
    excerpt = ""
    if line is not None and 1 <= line <= len(lines):
        text = lines[line - 1]
        excerpt = f"\n    {text}\n    {' ' * max(column - 1, 0)}^"
        where = f"{source}, line {line}, column {column}"
    else:
        text = None
        where = source
    error = QuerySyntaxError(f"SPARQL syntax error in {where}: {reason}{excerpt}")
    error.filename, error.lineno, error.offset, error.text = source, line, column, text
    error.reason = reason
    return error


def rdf_syntax_error(err: SyntaxError, source: str) -> RDFSyntaxError:
    """hlsgraph's error for RDF that does not parse, naming the file (or data), line and column."""
    details = err.args[1] if len(err.args) > 1 and isinstance(err.args[1], tuple) else ()
    line = details[1] if len(details) > 1 else getattr(err, "lineno", None)
    column = details[2] if len(details) > 2 else getattr(err, "offset", None)
    reason = str(err.args[0]) if err.args else str(err)
    where = source if line is None else f"{source}, line {line}, column {column}"
    error = RDFSyntaxError(f"{where}: {reason}; nothing was loaded")
    error.filename, error.lineno, error.offset = source, line, column
    return error


def first_line(query: str) -> str:
    """The first line of a query that is not a comment or prologue, cut to 80 characters (for
    messages)."""
    for line in query.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "PREFIX", "prefix", "BASE", "base")):
            return line if len(line) <= 80 else line[:77] + "..."
    return "(empty query)"


def in_file(err: QuerySyntaxError, query: str, path: str | None) -> QuerySyntaxError:
    """A syntax error in a query read from a file, re-pointed at the line of that file (the query
    text may follow a header there, as in an inquiry's ``.rq``)."""
    from pathlib import Path

    if not path or err.lineno is None:
        return err
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return err
    start = text.find(query)
    if start < 0:
        return err
    line = err.lineno + text.count("\n", 0, start)
    return query_syntax_error(f"error at {line}:{err.offset}: {getattr(err, 'reason', err)}", text, str(path))
