"""The report of a 360Giving import: grants read, loaded and quarantined, and every problem
with the grant, row, field and rule it names."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ...errors import ImportProblemsError
from ..report import ImportReport

PROBLEM_COLUMNS = ["file", "grant", "row", "field", "value", "rule"]


class GrantsImportReport(ImportReport):
    """What a 360Giving import did: grants read, loaded and quarantined, and every problem.

    ``grants_loaded + grants_quarantined == grants_read`` always (in strict mode a single
    problem means nothing was loaded, and every grant read counts as rejected). Each problem
    names the grant's identifier, its row (for a spreadsheet), the field path and the rule
    broken (:attr:`problems`). :attr:`individuals` counts the grants to individuals, loaded as
    restricted; :attr:`places_generalised` and :attr:`places_withheld` the locations of those
    grants that were finer than a local authority.
    """

    title = "360Giving import"

    def __init__(
        self,
        *,
        file: Path,
        mode: str,
        graph: str,
        grants_read: int,
        grants_loaded: int,
        problems: list[tuple],
        started: str,
        form: str,
        individuals: int = 0,
        places_generalised: int = 0,
        places_withheld: int = 0,
        organisations: int = 0,
        places: int = 0,
        timings: dict[str, float] | None = None,
    ):
        quarantined = grants_read - grants_loaded
        super().__init__(
            file=file,
            sheet=None,
            kind="360giving",
            mode=mode,
            graph=graph,
            rows_read=grants_read,
            rows_loaded=grants_loaded,
            rows_quarantined=quarantined,
            problems=[],
            started=started,
            items=grants_loaded,
            timings=timings,
        )
        self._problems = problems
        self.form = form
        self.grants_read = grants_read
        self.grants_loaded = grants_loaded
        self.grants_quarantined = quarantined
        self.individuals = individuals
        self.places_generalised = places_generalised
        self.places_withheld = places_withheld
        self.organisations = organisations
        self.places = places

    @property
    def problems(self):
        """The problems as a DataFrame: file, grant (its identifier), row (for a spreadsheet),
        field (the JSON path in the grant, and for a spreadsheet its column), value, rule."""
        import pandas as pd

        frame = pd.DataFrame([(self.file.name, *p) for p in self._problems], columns=PROBLEM_COLUMNS)
        frame["row"] = frame["row"].astype("Int64")
        for name in ("file", "grant", "field", "value", "rule"):
            frame[name] = frame[name].astype("string")
        return frame

    @property
    def quarantined(self):
        """One row per grant not loaded, with every reason: grant, row, reasons."""
        import pandas as pd

        reasons: dict[tuple, list[str]] = defaultdict(list)
        for grant, row, path, _value, rule in self._problems:
            if grant is not None or row is not None:
                reasons[(grant, row)].append(f"{path}: {rule}" if path else rule)
        frame = pd.DataFrame(
            [(g, r, " | ".join(v)) for (g, r), v in reasons.items()], columns=["grant", "row", "reasons"]
        )
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def summary(self) -> str:
        aside = "quarantined" if self.mode == "quarantine" else "rejected"
        n = len(self._problems)
        text = (
            f"{self.file.name}: {self.grants_read} grant{'s' if self.grants_read != 1 else ''} read, "
            f"{self.grants_loaded} loaded, {self.grants_quarantined} {aside}, "
            f"{n} problem{'s' if n != 1 else ''}"
        )
        if self.individuals:
            text += f"; {self.individuals} to individuals, kept restricted"
        if self.places_generalised or self.places_withheld:
            text += (
                f" ({self.places_generalised} of their locations generalised to a local authority, "
                f"{self.places_withheld} withheld as finer than one)"
            )
        if self.mode == "strict" and self._problems:
            text += "; strict mode: nothing was loaded"
        return text

    def problems_text(self, limit: int | None = 50) -> str:
        lines = []
        shown = self._problems if limit is None else self._problems[:limit]
        for grant, row, path, value, rule in shown:
            where = f"grant {grant}" if grant else "file"
            if row is not None:
                where += f" (row {row})"
            if path:
                where += f", {path}"
            got = f" {value!r}" if value not in (None, "") else ""
            lines.append(f"  {where}{got}:\n      {rule}")
        if limit is not None and len(self._problems) > limit:
            lines.append(f"  ... and {len(self._problems) - limit} more")
        return "\n".join(lines)

    def raise_for_problems(self) -> GrantsImportReport:
        if self._problems:
            raise ImportProblemsError(
                f"{self.summary()}\n{self.problems_text(limit=20)}\n"
                "See report.problems for every problem; docs/360giving.md describes the mapping.",
                self,
            )
        return self

    def _repr_html_(self) -> str:
        import html

        head = f"<p><b>{html.escape(self.title)}</b>: {html.escape(self.summary())}</p>"
        if not self._problems:
            return head
        return head + self.problems.head(self.html_rows).to_html(index=False, na_rep="", escape=True)
