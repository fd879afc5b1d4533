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
    ├── AmbiguousLabelError(ValueError)  a label names more than one resource
    ├── StoreLockedError(OSError)        another process has the on-disk store open for writing
    ├── QueryTimeoutError(TimeoutError)  a query ran past its ``timeout=``
    ├── ValidationError(ValueError)      data does not conform to the SHACL shapes
    └── ImportProblemsError(ValueError)  a spreadsheet import found problems (see its report)
"""

import difflib
from collections.abc import Iterable
from pathlib import Path


class HLSGraphError(Exception):
    """Base of every error hlsgraph raises on purpose."""


class QuerySyntaxError(HLSGraphError, SyntaxError):
    """A SPARQL query that does not parse."""


class RDFSyntaxError(HLSGraphError, SyntaxError):
    """An RDF file or string that does not parse."""


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


class AmbiguousLabelError(HLSGraphError, ValueError):
    """A label that names more than one resource."""


class StoreLockedError(HLSGraphError, OSError):
    """Another process holds the on-disk store open for writing."""


class QueryTimeoutError(HLSGraphError, TimeoutError):
    """A query ran longer than the ``timeout=`` it was given."""


class ValidationError(HLSGraphError, ValueError):
    """Data that does not conform to the ontology's SHACL shapes."""


class ImportProblemsError(HLSGraphError, ValueError):
    """A spreadsheet import found problems; ``.report`` holds them row by row."""

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


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
