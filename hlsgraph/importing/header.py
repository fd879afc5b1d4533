"""The first step of an import: the file's header against the template's columns (unknown,
repeated, missing and nameless columns), and rows out of line with the header."""

from __future__ import annotations

from ..errors import nearest
from .batch import Batch
from .values import normal_header


def check_header(batch: Batch) -> bool:
    """Map the header's columns to the template's (``batch.columns``) and pad short rows;
    ``False`` when the file or its header has a problem, so no row can be read."""
    table = batch.table
    if table.file_problems:
        batch.problems.extend(table.file_problems)
        return False
    names = [normal_header(h) for h in table.header]
    if _no_header(batch, names):
        return False
    _map_columns(batch, names)
    _required_columns(batch)
    if not table.rows and not batch.problems:
        batch.problems.append((None, None, None, "rows of data below the header; the file has only a header"))
    if batch.problems:
        return False
    _fit_rows(batch, len(names))
    return True


def _no_header(batch: Batch, names: list[str]) -> bool:
    """A first row that names no column of the template holds data: it is put back among the
    rows (so it is counted, and quarantined with the others) and the missing header is the
    file's problem."""
    table, kind = batch.table, batch.kind
    if not any(names) or any(name in kind.header for name in names):
        return False
    table.rows.insert(0, list(table.header))
    table.numbers.insert(0, 1)
    shown = ", ".join(repr(cell.strip()) for cell in table.header if cell.strip())
    table.header = []
    batch.problems.append(
        (
            None,
            None,
            None,
            f"a header row naming the columns ({', '.join(kind.header[:4])}, ...) first; row 1 holds "
            f"{shown[:120]}, which name no column of the {kind.name} template: add the header "
            f"(`hlsgraph template {kind.name} FILE` writes one)",
        )
    )
    return True


def _map_columns(batch: Batch, names: list[str]) -> None:
    table, kind = batch.table, batch.kind
    known = kind.header
    columns = batch.columns
    for index, name in enumerate(names):
        if not name:
            if any(index < len(r) and r[index].strip() for r in table.rows):
                batch.problems.append(
                    (1, f"#{index + 1}", None, "a column name: this column has values but no header")
                )
        elif name in columns:
            batch.problems.append(
                (
                    1,
                    name,
                    table.header[index],
                    f"each column once: {name!r} is also column {columns[name] + 1}",
                )
            )
        elif name not in known:
            close = nearest(name, known, n=2)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            batch.problems.append(
                (
                    1,
                    table.header[index].strip(),
                    table.header[index],
                    f"a column of the {kind.name} template{hint} (columns: {', '.join(known)})",
                )
            )
        else:
            columns[name] = index


def _required_columns(batch: Batch) -> None:
    kind = batch.kind
    for name in kind.required:
        if name not in batch.columns:
            col = kind.column(name)
            batch.problems.append(
                (
                    1,
                    name,
                    None,
                    f"a column named {name!r}: the {kind.name} template requires it ({col.type_text})",
                )
            )


def _fit_rows(batch: Batch, width: int) -> None:
    """A row with values beyond the header's last column is that row's problem (often a comma
    inside a value that lacks its quotes); shorter rows are padded to the header's width."""
    for i, row in enumerate(batch.table.rows):
        if len(row) > width:
            extra = [cell.strip() for cell in row[width:]]
            if any(extra):
                batch.ragged.add(i)
                batch.problem(
                    i,
                    None,
                    ", ".join(c for c in extra if c),
                    f"at most {width} values, one per header column; this row has "
                    f"{width + len(extra)} (is a comma inside a value missing its quotes?)",
                )
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
