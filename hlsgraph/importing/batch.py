"""One import of one sheet as it passes through the pipeline's steps: the table and template
kind, what each step has worked out so far (the template column of each table column, the
parsed values, the items' IRIs) and every problem found, with the rows that have them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..namespaces import HLSD
from .readers import Table
from .templates import Kind
from .values import slugify

Problem = tuple[int | None, str | None, str | None, str]
"""(spreadsheet row number or ``None``, column or ``None``, the value, what was expected)."""


class CellProblem(Exception):
    """A cell that cannot be used: the message says what was expected instead."""


@dataclass
class Batch:
    """The state of one import. Rows are indices into ``table.rows``; problems name the row as
    a spreadsheet shows it (``table.numbers``)."""

    table: Table
    kind: Kind
    graph: str
    columns: dict[str, int] = field(default_factory=dict)
    """Template column name -> index of that column in the table."""
    parsed: dict[str, list[Any]] = field(default_factory=dict)
    """Template column name -> each row's value: ``None``, a term, or a tuple of terms."""
    subjects: list[str] = field(default_factory=list)
    """Each row's item IRI (``""`` where it has none)."""
    local_refs: list[tuple[int, str, int]] = field(default_factory=list)
    """(row, column, row it refers to) for references to items of this same file."""
    assessment_of: list[str | None] = field(default_factory=list)
    """Self-assessment sheets: the IRI of the assessment each row scores a point of."""
    problems: list[Problem] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)
    """The rows with problems."""
    ragged: set[int] = field(default_factory=set)
    """Rows with more values than the header: their other problems would be noise."""

    def __post_init__(self) -> None:
        file_slug = slugify(self.table.path.name) or "file"
        self.activity = f"{HLSD}import-{file_slug}"
        sheet_part = f"-{slugify(self.table.sheet)}" if self.table.sheet else ""
        self._row_base = f"{HLSD}import-{file_slug}{sheet_part}-row-"

    @property
    def n(self) -> int:
        """How many rows were read."""
        return len(self.table.rows)

    def problem(self, row: int | None, column: str | None, value: str | None, expected: str) -> None:
        """Record a problem of row index ``row`` (``None`` for the file or header)."""
        if row is not None and column is not None and row in self.ragged:
            return  # its values are out of line with the header: only that is worth saying
        number = self.table.numbers[row] if row is not None else None
        self.problems.append((number, column, value, expected))
        if row is not None:
            self.bad.add(row)

    def cell(self, row: int, column: str) -> str:
        """The text of row index ``row`` in template column ``column`` as typed (stripped)."""
        j = self.columns.get(column)
        cells = self.table.rows[row]
        return cells[j].strip() if j is not None and j < len(cells) else ""

    def good(self) -> list[int]:
        """The rows without problems, in order."""
        bad = self.bad
        return [i for i in range(self.n) if i not in bad]

    def row_iri(self, row: int) -> str:
        """The IRI of the import row ``row`` came from (its provenance)."""
        return f"{self._row_base}{self.table.numbers[row]}"
