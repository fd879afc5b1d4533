"""The steps of an import, in order: read the file (:mod:`.readers`), check its header
(:mod:`.header`), read every cell (:mod:`.cells`, :mod:`.references`), give each row its item's
IRI (:mod:`.identity`), work out derived values (:mod:`.derived`), build the items and check them
against the ontology's SHACL shapes (:mod:`.triples`, :mod:`.conformance`), and load them as one
named graph per file, replaced as a unit.

``mode="strict"`` loads nothing when any row has a problem; ``mode="quarantine"`` loads the good
rows and writes the bad ones, with the reasons, to ``<name>.problems.csv`` beside the input.
Every problem names the file, sheet, row, column, the value and what was expected:
:class:`~.report.ImportReport` holds them.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gc
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InvalidArgumentError
from ..namespaces import HLSG
from ..progress import bar
from ..resources import sparql
from ..validation.shapes import ItemSet, ShapeChecker
from .batch import Batch
from .cells import parse_cells
from .conformance import shape_problems
from .derived import derive
from .header import check_header
from .identity import assessment_keys, assign_subjects, check_collisions, local_items
from .readers import read_table
from .references import References, select_rows
from .report import ImportReport, write_quarantine
from .templates import get_kind
from .triples import build, ntriples_chunks, provenance
from .values import slugify

MODES = ("strict", "quarantine")
_STEPS = {
    "cells": "reading cells",
    "identity": "identifying items",
    "shapes": "checking shapes",
    "triples": "writing triples",
    "load": "loading",
}
"""The steps after reading, as :attr:`ImportReport.timings` and the progress bar name them."""


def graph_for(path: str | Path) -> str:
    """The named graph an import of ``path`` goes into: ``hlsg:import/<slug of file name>``.

    >>> graph_for("data/My Stories.csv")
    'https://w3id.org/hls/graph/import/my-stories-csv'
    """
    return f"{HLSG}import/{slugify(Path(path).name)}"


def import_table(
    kb: Any,
    path: str | Path,
    kind: str,
    *,
    mode: str = "strict",
    encoding: str | None = None,
    sheet: str | None = None,
    graph: str | None = None,
    problems_path: str | Path | None = None,
    shapes: ShapeChecker | None = None,
    progress: bool | None = None,
) -> ImportReport:
    """Import a CSV or XLSX sheet of ``kind`` into the knowledge base ``kb``.

    Parameters
    ----------
    kb : hlsgraph.KnowledgeBase
        Where to load (through ``kb.load(..., replace=True)``, so a load is all-or-nothing).
    path : str or Path
        A ``.csv`` (UTF-8) or ``.xlsx`` file laid out as the template of ``kind``.
    kind : str
        ``stories``, ``measures``, ``observations``, ``organisations``, ``places``,
        ``reflections`` or ``self-assessment`` (see ``docs/templates.md``).
    mode : {"strict", "quarantine"}
        ``strict``: any problem and nothing is loaded. ``quarantine``: the good rows are loaded
        and the bad ones written with their reasons to ``<name>.problems.csv`` beside the file.
    encoding : str, optional
        The CSV file's encoding when it is not UTF-8 (e.g. ``"cp1252"``).
    sheet : str, optional
        Which sheet of a workbook to read (default: the one named after the kind, else the
        first that is not ``columns``).
    graph : str, optional
        The named graph to load into (default ``hlsg:import/<slug of file name>``).
    problems_path : str or Path, optional
        Where quarantine mode writes the bad rows (default ``<name>.problems.csv``).
    shapes : ShapeChecker, optional
        The shapes to check items against (default: the ontology's).
    progress : bool, optional
        Show a progress bar counting rows through each step (``None``, the default: only
        when a person can see it and the import takes a while; see :mod:`hlsgraph.progress`).

    Returns
    -------
    ImportReport
        Counts, problems (``.problems`` DataFrame) and the graph loaded.

    Raises
    ------
    ImportProblemsError
        When the file cannot be read at all (wrong encoding, not a workbook, a damaged or
        password-protected workbook).

    Examples
    --------
    >>> import hlsgraph, tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "stories.csv"
    >>> _ = sheet.write_text("id,title,summary,date,place,concepts,access_level\\n"
    ...                      "rosa,Rosa's story,What changed,03/04/2024,Plymouth,Trust,internal\\n"
    ...                      "lee,Lee's story,What changed,31/02/2024,Plymouth,Trsut,public\\n")
    >>> kb = hlsgraph.open()
    >>> report = kb.import_table(sheet, "stories")
    >>> report.rows_read, report.rows_loaded
    (2, 0)
    >>> report.problems[["row", "column", "expected"]].values.tolist()[1]
    [3, 'concepts', "a concept label or IRI: no concept is labelled 'Trsut'; did you mean 'Trust'?"]
    >>> kb.import_table(sheet, "stories", mode="quarantine").rows_loaded
    1
    """
    if mode not in MODES:
        raise InvalidArgumentError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    kind_obj = get_kind(kind)
    path = Path(path)
    problems_file = Path(problems_path) if problems_path else path.with_name(path.stem + ".problems.csv")
    with _cycles_uncollected():
        clock = _Clock(path.name)
        table = read_table(path, kind=kind_obj, encoding=encoding, sheet=sheet)
        clock.lap("read")
        batch = Batch(table, kind_obj, graph or graph_for(path))
        run = _Run(kb, batch, mode, shapes if shapes is not None else ShapeChecker.default(), clock)
        # Built once per write of the knowledge base, the label index is set-up rather than
        # work on the rows: the bar (which a person sees after a couple of seconds) follows
        # the rows alone.
        run.refs.index  # noqa: B018
        with bar(batch.n, desc=f"Importing {path.name}", unit="rows", progress=progress) as shown:
            clock.follow(shown, redraw=progress is True)
            loaded, unchanged, items = run.run()
    return _report(batch, mode, run, loaded, unchanged, items, problems_file)


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """Pause Python's cycle collector for the import, and restore it after.

    An import builds a few container objects per cell (rows, literals, columns) that all live
    until it ends and form no reference cycles; the collector would walk them again and again
    as they age, finding nothing. Measured at 10^5 rows, that was a third of the import's own
    time (8.3 s of CPU with the collector, 5.4 s without). Garbage without cycles is still freed
    at once by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Run:
    """One import of one batch, step by step (see :func:`import_table` for the order)."""

    def __init__(self, kb: Any, batch: Batch, mode: str, checker: ShapeChecker, clock: _Clock):
        self.kb = kb
        self.batch = batch
        self.mode = mode
        self.checker = checker
        self.clock = clock
        self.started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self.refs = References(kb)

    def run(self) -> tuple[int, bool, int]:
        """(rows loaded, whether the store already held exactly this import, items loaded)."""
        batch = self.batch
        if not check_header(batch):
            batch.bad = set(range(batch.n))
            return 0, False, 0
        self.clock.begin("cells", batch.n)
        self.refs.local = local_items(batch)
        parse_cells(batch, self.refs)
        self.clock.lap("cells")
        self.clock.begin("identity", batch.n)
        self._identify()
        derive(batch, self.refs)
        self.clock.lap("identity")
        self.clock.begin("shapes", batch.n)
        sets = self._settle()
        self.clock.lap("shapes")
        if self.mode == "strict" and batch.problems:
            return 0, False, 0
        return self._load(sets)

    def _identify(self) -> None:
        batch = self.batch
        if batch.kind.name == "self-assessment":
            assessment_keys(batch)
            assessments = [a or "" for a in batch.assessment_of]
            check_collisions(batch, self.kb, assessments, ("assessment",), "assessment")
        else:
            assign_subjects(batch)
            check_collisions(batch, self.kb, batch.subjects, (batch.kind.iri_prefix,), "id")

    def _settle(self) -> list[ItemSet]:
        """Items are built from the rows without problems; shape problems and references to
        quarantined rows of the same file take more rows out until none is left to take."""
        batch = self.batch
        while True:
            changed = self._held_back()
            sets = build(batch, batch.good(), self.refs.label_of)
            if shape_problems(batch, sets, self.checker, self.refs):
                changed = True
            if not changed:
                return sets

    def _held_back(self) -> bool:
        """Rows naming a row of the same file that has problems have a problem too."""
        batch = self.batch
        changed = False
        for i, column, target in batch.local_refs:
            if target in batch.bad and i not in batch.bad:
                batch.problem(
                    i,
                    column,
                    batch.cell(i, column),
                    f"a {column.replace('_', ' ')} that can be loaded: it names "
                    f"row {batch.table.numbers[target]}, which has problems; fix that row",
                )
                changed = True
        return changed

    def _load(self, sets: list[ItemSet]) -> tuple[int, bool, int]:
        batch = self.batch
        self.clock.begin("triples", batch.n)
        good = len(batch.good())
        chunks = ntriples_chunks(sets)
        digest = hashlib.sha256(f"{batch.kind.name}\n{batch.table.sheet}\n".encode())
        for chunk in chunks:
            digest.update(chunk)
        identifier = digest.hexdigest()
        items = len(sets[0].subjects) if sets else 0
        self.clock.lap("triples")
        if self._stored_digest() == f"sha256:{identifier}":
            return good, True, items
        self.clock.begin("load", batch.n)
        chunks.append(provenance(batch, self.started, identifier).encode("utf-8"))
        data = b"".join(chunks)
        chunks.clear()  # the joined copy is all the store needs
        self.kb.load(
            data=data, format="application/n-triples", graph=batch.graph, replace=True, progress=False
        )
        self.clock.lap("load")
        return good, False, items

    def _stored_digest(self) -> str | None:
        batch = self.batch
        rows = select_rows(
            self.kb,
            sparql("importing/stored-digest.rq"),
            graph=ox.NamedNode(batch.graph),
            activity=ox.NamedNode(batch.activity),
        )
        return rows[0][0] if rows else None


def _report(
    batch: Batch, mode: str, run: _Run, loaded: int, unchanged: bool, items: int, problems_file: Path
) -> ImportReport:
    """The report, with the quarantine file written (or an outdated one removed)."""
    n = batch.n
    if mode == "strict" and batch.problems:
        loaded, quarantined = 0, n
    else:
        quarantined = n - loaded if mode == "quarantine" else 0
    written = None
    if mode == "quarantine" and batch.bad:
        write_quarantine(batch.table, batch.problems, batch.bad, problems_file)
        written = problems_file
    elif (
        not batch.problems
        and problems_file.exists()
        and problems_file.read_bytes().startswith(codecs.BOM_UTF8 + b"source_row,problems")
    ):
        problems_file.unlink()  # an earlier list of problems this file no longer has
    return ImportReport(
        file=batch.table.path,
        sheet=batch.table.sheet,
        kind=batch.kind.name,
        mode=mode,
        graph=batch.graph,
        rows_read=n,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        problems=batch.problems,
        problems_file=written,
        unchanged=unchanged,
        started=run.started,
        items=items,
        timings=run.clock.laps,
    )


class _Clock:
    """Seconds spent in each step of an import (for :attr:`ImportReport.timings`), and the
    progress bar that follows the rows through the steps."""

    def __init__(self, name: str):
        self.shown: Any = None
        self._redraw = False
        self._name = name
        self._last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def follow(self, shown: Any, *, redraw: bool) -> None:
        """Move ``shown`` through the steps; ``redraw`` when it is shown from the start."""
        self.shown, self._redraw = shown, redraw

    def begin(self, step: str, rows: int) -> None:
        if self.shown is None:
            return
        desc = f"{self._name}: {_STEPS[step]}"
        if self._redraw:
            self.shown.reset(total=rows)
            self.shown.set_description_str(desc)
        else:
            # tqdm's reset() and a refreshing description draw the bar at once: an automatic
            # bar would show for quick imports too, instead of after progress.DELAY.
            self.shown.set_description_str(desc, refresh=False)
            self.shown.n = 0

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps[step] = self.laps.get(step, 0.0) + now - self._last
        self._last = now
        if self.shown is not None and self.shown.total:
            self.shown.update(self.shown.total - self.shown.n)
