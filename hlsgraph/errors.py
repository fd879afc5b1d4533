"""hlsgraph's errors. Each also subclasses the built-in a caller would reach for, so
``except KeyError`` or ``except SyntaxError`` keeps working; each message names the offending
value and, where there are some, the nearest valid choices.

    HLSGraphError
    ├── QuerySyntaxError(SyntaxError)    a SPARQL query does not parse: line, column, excerpt
    ├── RDFSyntaxError(SyntaxError)      a data file does not parse: file, line, column
    ├── InquiryFormatError(SyntaxError)  an .rq file's #+ header is malformed: file, line
    ├── UnknownInquiryError(KeyError)    no named inquiry by that name
    ├── InquiryParameterError(ValueError) a parameter value is missing or not of its type
    ├── UnknownParameterError(KeyError)  an inquiry has no such parameter
    ├── UnknownLabelError(KeyError)      a label names no resource
    ├── UnknownColumnError(KeyError)     a template or a DataFrame has no column by that name
    ├── AmbiguousLabelError(ValueError)  a label names more than one resource
    ├── InvalidArgumentError(ValueError) an argument or option a function cannot take: what it can
    ├── ArgumentTypeError(TypeError)     an argument of a type (or a keyword) a function does not take
    ├── QueryFormError(ValueError)       a query of another form than asked for (ASK to kb.select)
    ├── InvalidValueError(ValueError)    a value (date, number, code) that cannot be read as expected
    ├── MissingFileError(FileNotFoundError) a file named as input does not exist
    ├── OutputExistsError(FileExistsError) where to write holds something hlsgraph may not replace
    ├── UnknownFormatError(ValueError)   a format name or file extension hlsgraph does not read or write
    ├── GraphExistsError(ValueError)     loading into a graph that exists, without ``replace=True``
    ├── ReservedGraphError(ValueError)   writing or removing a graph hlsgraph keeps for itself
    ├── StoreLockedError(OSError)        another process has the on-disk store open for writing
    ├── StoreClosedError(ValueError)     the knowledge base was closed
    ├── QueryTimeoutError(TimeoutError)  a query ran past its ``timeout=`` (or the server's limit)
    ├── EndpointError(OSError)           a remote SPARQL endpoint failed: its URL and message
    │   ├── EndpointUnreachableError     no connection could be made (nothing was sent)
    │   ├── EndpointRefusedError         the server answered with an error status
    │   ├── ConnectionLostError          the connection broke before the answer was whole (a
    │   │                                write: the store is marked, see InterruptedWriteWarning)
    │   └── EndpointTimeoutError(QueryTimeoutError)  the server stopped at its own time limit
    ├── ValidationError(ValueError)      data does not conform to the SHACL shapes
    ├── ImportProblemsError(ValueError)  an import found problems (see its report)
    ├── NothingToPublishError(ValueError) no resource carries the access levels asked for
    └── MissingExtraError(ImportError)   an optional part is used without its extra installed

One warning: ``InterruptedWriteWarning`` (a ``UserWarning``), given by ``hlsgraph.open`` when an
earlier write to that store did not finish; it names the graph and what to do.

In a notebook (IPython), an hlsgraph error shows as its one-line type and message, without the
traceback into hlsgraph's internals: what went wrong is said by the message, not by the stack.

Failures of the operating system itself (a disk that cannot be written, a port already taken, a
store directory that cannot be opened, Java that cannot be started) stay ``OSError``, as Python
raises them, with hlsgraph's context added by ``raise ... from err``.
"""

import difflib
from collections.abc import Iterable
from pathlib import Path


class HLSGraphError(Exception):
    """Base of every error hlsgraph raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows what this returns in place of the traceback; the message says what to do.
        return [f"{type(self).__name__}: {self}"]


class QuerySyntaxError(HLSGraphError, SyntaxError):
    """A SPARQL query that does not parse; ``reason`` is the engine's words for what is wrong."""

    reason: str = ""

    def __str__(self) -> str:  # SyntaxError would say the location a second time
        return str(self.msg)


class RDFSyntaxError(HLSGraphError, SyntaxError):
    """An RDF file or string that does not parse; ``reason`` is the parser's words for what is
    wrong."""

    reason: str = ""

    def __str__(self) -> str:
        return str(self.msg)


class InquiryFormatError(HLSGraphError, SyntaxError):
    """An ``.rq`` file whose ``#+`` header does not follow the format of ``docs/inquiries.md``."""

    def __init__(self, message: str, path: Path | str, line: int, text: str = ""):
        super().__init__(f"{path}, line {line}: {message}", (str(path), line, 1, text))
        self.path = str(path)
        self.line = line

    def __str__(self) -> str:
        return str(self.args[0])


class InquiryParameterError(HLSGraphError, ValueError):
    """A parameter value that is missing or cannot be read as the parameter's declared type."""


class UnknownInquiryError(HLSGraphError, KeyError):
    """No named inquiry by that name."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class UnknownParameterError(HLSGraphError, KeyError):
    """An inquiry was given a parameter it does not declare."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownLabelError(HLSGraphError, KeyError):
    """A label that names no resource in the knowledge base."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownColumnError(HLSGraphError, KeyError):
    """A column name that a spreadsheet template or a DataFrame does not have; the message lists
    the nearest or the available ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class AmbiguousLabelError(HLSGraphError, ValueError):
    """A label that names more than one resource."""


class InvalidArgumentError(HLSGraphError, ValueError):
    """An argument or option that a function cannot take; the message says what it can."""


class ArgumentTypeError(HLSGraphError, TypeError):
    """An argument of a type, or a keyword option, that a function does not take; the message
    says which it does."""


class QueryFormError(HLSGraphError, ValueError):
    """A query of another form than the method runs: an ASK query given to ``kb.select``, a
    SELECT to ``kb.construct``; the message names the method to use."""


class InvalidValueError(HLSGraphError, ValueError):
    """A value (a date, a number, a code) that cannot be read as what was expected."""


class MissingFileError(HLSGraphError, FileNotFoundError):
    """A file named as input that does not exist."""


class OutputExistsError(HLSGraphError, FileExistsError):
    """The file or folder to write to holds something that hlsgraph did not write and so will not
    replace (a folder of other files where a site is to be published)."""


class UnknownFormatError(HLSGraphError, ValueError):
    """A format name, media type or file extension that hlsgraph does not read or write."""


class GraphExistsError(HLSGraphError, ValueError):
    """Loading into a named graph that exists already, without ``replace=True``."""


class ReservedGraphError(HLSGraphError, ValueError):
    """Writing or removing one of the graphs hlsgraph keeps for itself (ontology, inferred, meta)."""


class StoreLockedError(HLSGraphError, OSError):
    """Another process holds the on-disk store open for writing."""


class StoreClosedError(HLSGraphError, ValueError):
    """The knowledge base was closed; open it again."""


class QueryTimeoutError(HLSGraphError, TimeoutError):
    """A query ran longer than the ``timeout=`` it was given."""


class EndpointError(HLSGraphError, OSError):
    """A remote SPARQL endpoint could not be reached, refused a request or broke off; the
    message names the URL and gives the server's own message."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class EndpointUnreachableError(EndpointError):
    """No connection to the endpoint could be made (refused, unknown host): nothing was sent."""


class EndpointRefusedError(EndpointError):
    """The endpoint answered a request with an error status; the message gives the server's."""


class ConnectionLostError(EndpointError):
    """The connection broke off before the whole answer arrived (the server stopped or dropped
    it). A query is tried once more; a write is not (it may have been applied in full, in part
    or not at all), and the store keeps a mark that the next ``hlsgraph.open`` reports."""


class EndpointTimeoutError(EndpointError, QueryTimeoutError):
    """The endpoint stopped a query at its own time limit (Oxigraph's ``--timeout-s``,
    Virtuoso's per-request limit) and said so, often inside an answer that looks like data."""


class InterruptedWriteWarning(UserWarning):
    """An earlier write to this store did not finish (its process or connection ended half-way);
    the message names the graph and how to put it right."""


class ValidationError(HLSGraphError, ValueError):
    """Data that does not conform to the ontology's SHACL shapes."""


class ImportProblemsError(HLSGraphError, ValueError):
    """A spreadsheet import found problems; ``.report`` holds them row by row."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class NothingToPublishError(HLSGraphError, ValueError):
    """A publication or export whose access levels select no resource at all; mark what may
    leave with ``hls:accessLevel``."""


class MissingExtraError(HLSGraphError, ImportError):
    """An optional part of hlsgraph is used without the extra that installs it."""


def nearest(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The valid choices closest to a mistyped ``value``, best first.

    >>> nearest("storys-by-concept", ["stories-by-concept", "evidence-gap-map"])
    ['stories-by-concept']
    """
    choices = list(choices)
    close = difflib.get_close_matches(value, choices, n=n, cutoff=0.6)
    if close:
        return close
    lowered = value.casefold()
    return [c for c in choices if lowered in c.casefold()][:n]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` suffix for an error message, or ``""`` when nothing is close.

    >>> did_you_mean("storys", ["stories", "places"])
    "; did you mean 'stories'?"
    """
    close = nearest(value, choices)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
