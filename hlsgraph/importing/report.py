"""What an import did, as a report (:class:`ImportReport`, following :mod:`hlsgraph.reports`), and
the quarantine file the bad rows are written to in ``mode="quarantine"``."""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from ..errors import ImportProblemsError
from ..reports import Report
from ..tables import html_table
from .readers import Table

PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "expected"]


class ImportReport(Report):
    """What an import did: rows read, loaded and quarantined, and every problem found.

    ``rows_loaded + rows_quarantined == rows_read`` always. In quarantine mode the quarantined
    rows are those with problems (written to :attr:`problems_file`); in strict mode a single
    problem means nothing was loaded, so every row read counts as quarantined (the summary
    says "rejected": nothing is written aside). Use
    :attr:`problems` (a DataFrame of file, sheet, row, column, value and what was expected)
    and :meth:`raise_for_problems`.
    """

    def __init__(
        self,
        *,
        file: Path,
        sheet: str | None,
        kind: str,
        mode: str,
        graph: str,
        rows_read: int,
        rows_loaded: int,
        rows_quarantined: int,
        problems: list[tuple[int | None, str | None, str | None, str]],
        problems_file: Path | None = None,
        unchanged: bool = False,
        started: str | None = None,
        items: int = 0,
        timings: dict[str, float] | None = None,
    ):
        self.file = file
        self.sheet = sheet
        self.kind = kind
        self.mode = mode
        self.graph = graph
        self.rows_read = rows_read
        self.rows_loaded = rows_loaded
        self.rows_quarantined = rows_quarantined
        self.problems_file = problems_file
        self.unchanged = unchanged
        self.started = started
        self.items = items
        self.timings = dict(timings or {})
        """Seconds spent in each phase (read, cells, identity, shapes, triples, load), for
        benchmarks."""
        # In the order of the file, as a person fixes them (the steps find them in another):
        # the file's own first, then row by row, each row's in the order they were found.
        self._problems: list[tuple] = sorted(problems, key=lambda p: (p[0] is not None, p[0] or 0))

    title = "Import"

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self._problems

    @property
    def rows_rejected(self) -> int:
        """Rows not loaded: in strict mode every row once any has a problem."""
        return self.rows_read - self.rows_loaded

    @property
    def problems(self):
        """The problems as a DataFrame with the columns file, sheet, row, column, value,
        expected (one line per problem; ``row`` is the spreadsheet's row number, the header
        being row 1; ``<NA>`` where a problem concerns the whole file or column)."""
        import pandas as pd

        frame = pd.DataFrame(
            [
                (self.file.name, self.sheet, row, column, value, expected)
                for row, column, value, expected in self._problems
            ],
            columns=PROBLEM_COLUMNS,
        )
        frame["row"] = frame["row"].astype("Int64")
        for name in ("file", "sheet", "column", "value", "expected"):
            frame[name] = frame[name].astype("string")
        return frame

    def to_dataframe(self):
        """Same as :attr:`problems`."""
        return self.problems

    def summary(self) -> str:
        """One line: what was read, loaded and quarantined."""
        where = f"{self.file.name}" + (f" (sheet {self.sheet!r})" if self.sheet else "")
        # In strict mode nothing is written aside: the rows not loaded are simply rejected.
        aside = "quarantined" if self.mode == "quarantine" else "rejected"
        text = (
            f"{where}: {self.rows_read} row{'s' if self.rows_read != 1 else ''} read, "
            f"{self.rows_loaded} loaded, {self.rows_quarantined} {aside}, "
            f"{len(self._problems)} problem{'s' if len(self._problems) != 1 else ''}"
        )
        if self.unchanged:
            text += "; the store already held exactly this import, so nothing changed"
        elif self.mode == "strict" and self._problems:
            text += "; strict mode: nothing was loaded"
        if self.problems_file is not None:
            text += f"; bad rows written to {self.problems_file}"
        return text

    def problems_text(self, limit: int | None = 50) -> str:
        """The problems as a plain-text table (for terminals)."""
        lines = []
        shown = self._problems if limit is None else self._problems[:limit]
        for row, column, value, expected in shown:
            place = f"row {row}" if row is not None else "file"
            if column:
                place += f", column {column!r}"
            got = f" {value!r}" if value not in (None, "") else ""
            lines.append(f"  {place}{got}: {expected}")
        if limit is not None and len(self._problems) > limit:
            lines.append(f"  ... and {len(self._problems) - limit} more")
        return "\n".join(lines)

    def raise_for_problems(self) -> ImportReport:
        """Raise :class:`~hlsgraph.errors.ImportProblemsError` when there were problems;
        return the report otherwise (so calls can be chained)."""
        if self._problems:
            raise ImportProblemsError(
                f"{self.summary()}\n{self.problems_text(limit=20)}\n"
                "See report.problems for every problem; docs/templates.md describes each column.",
                self,
            )
        return self

    def _repr_html_(self) -> str:
        head = html.escape(self.summary())
        if not self._problems:
            return f"<p><b>Import</b>: {head}</p>"
        # pandas writes <NA> for an empty string cell whatever na_rep says: hlsgraph's own table.
        table = html_table(self.problems, max_rows=200, note_more="report.problems has them all.")
        return f"<p><b>Import</b>: {head}</p>{table}"


def write_quarantine(
    table: Table, problems: list[tuple[int | None, str | None, str | None, str]], bad: set[int], path: Path
) -> None:
    """Write the rows ``bad`` (indices into ``table.rows``) to ``path`` as CSV, each with the
    spreadsheet row it came from and its problems (a file's or header's problems concern every
    row), so they can be fixed and imported again."""
    reasons: dict[int, list[str]] = defaultdict(list)
    whole_file: list[str] = []
    data_rows = set(table.numbers)
    for number, column, _value, expected in problems:
        reason = f"{column}: {expected}" if column else expected
        if number in data_rows:
            reasons[number].append(reason)
        else:
            whole_file.append(reason)  # the header's or the file's: it concerns every row
    header = ["source_row", "problems", *table.header]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        from ..csvsafe import writer as safe_writer  # a sheet meant for Excel: no cell may be a formula

        writer = safe_writer(handle)
        writer.writerow(header)
        for i in sorted(bad):
            number = table.numbers[i]
            writer.writerow([number, " | ".join(reasons.get(number) or whole_file), *table.rows[i]])
