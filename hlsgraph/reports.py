"""The one protocol every report follows (validation, import, publishing): ``ok``, a one-line
``summary()``, ``to_dataframe()`` with stable columns, ``raise_for_problems()`` and a
``_repr_html_`` for notebooks. A report is an object even when it found nothing, so it is always
true in a boolean context; ask ``report.ok``."""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from typing import Any

from .tables import html_table


class Report(ABC):
    """Base of hlsgraph's reports. Subclasses give :attr:`ok`, :meth:`summary`,
    :meth:`to_dataframe` and :meth:`raise_for_problems`; the representations come from them."""

    title = "Report"
    """What the report is of, shown first in a notebook ("Import", "Validation", ...)."""

    html_rows = 200
    """How many rows of :meth:`to_dataframe` a notebook shows."""

    @property
    @abstractmethod
    def ok(self) -> bool:
        """True when nothing is wrong."""

    @abstractmethod
    def summary(self) -> str:
        """One line saying what was done and found."""

    @abstractmethod
    def to_dataframe(self) -> Any:
        """The findings as a DataFrame, with the same columns even when there are none."""

    @abstractmethod
    def raise_for_problems(self) -> Report:
        """Raise the matching :mod:`hlsgraph.errors` error when not :attr:`ok`; else return self."""

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.summary()}>"

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.title)}</b>: {html.escape(self.summary())}</p>"
        frame = self.to_dataframe()
        if not len(frame):
            return head
        # pandas writes <NA> for an empty string cell whatever na_rep says: hlsgraph's own table.
        return head + html_table(
            frame, max_rows=self.html_rows, note_more="report.to_dataframe() has them all."
        )
