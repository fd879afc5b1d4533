"""Every CSV file hlsgraph writes goes through here, so none carries a spreadsheet formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=cmd|' /C calc'!A0`` runs a program): such a text
cell is written with a leading apostrophe, which spreadsheets show as text (OWASP, "CSV
Injection"). Numbers stay numbers. Lines end in CRLF as RFC 4180 says, which also makes the
writer quote a cell holding a lone carriage return.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any, overload

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""

LINE_END = "\r\n"


def neutralise(value: Any) -> Any:
    """``value`` made safe for a CSV cell: a text starting like a formula gets a leading ``'``;
    anything else is returned as it is.

    >>> neutralise("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    >>> neutralise("-3"), neutralise(-3), neutralise("Plymouth")
    ("'-3", -3, 'Plymouth')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_frame(frame):
    """A copy of ``frame`` whose text cells and column names are neutralised."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if is_object_dtype(series.dtype) or is_string_dtype(series.dtype):
            safe[column] = series.map(neutralise, na_action="ignore")
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


@overload
def frame_to_csv(frame, target: None = None, **options) -> str: ...
@overload
def frame_to_csv(frame, target: IO[str], **options) -> None: ...
def frame_to_csv(frame, target: IO[str] | None = None, **options) -> str | None:
    """Write a DataFrame as CSV (no index), formulas neutralised; the text when ``target`` is
    None. ``options`` go to :meth:`pandas.DataFrame.to_csv`.

    >>> import pandas as pd
    >>> frame_to_csv(pd.DataFrame({"title": ["=1+1", "fine"], "n": [1, 2]}))
    "title,n\\r\\n'=1+1,1\\r\\nfine,2\\r\\n"
    """
    options.setdefault("index", False)
    return _safe_frame(frame).to_csv(target, lineterminator=LINE_END, **options)


class _SafeWriter:
    """A ``csv.writer`` whose cells are neutralised."""

    def __init__(self, handle: IO[str]):
        self._writer = csv.writer(handle, lineterminator=LINE_END)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: IO[str]) -> _SafeWriter:
    """A CSV writer (``writerow``, ``writerows``) over an open text file that neutralises every
    cell; open the file with ``newline=""``.

    >>> import io
    >>> out = io.StringIO()
    >>> writer(out).writerow(["@SUM(A1)", 2])
    >>> out.getvalue()
    "'@SUM(A1),2\\r\\n"
    """
    return _SafeWriter(handle)


__all__ = ["FORMULA_STARTS", "frame_to_csv", "neutralise", "writer"]
