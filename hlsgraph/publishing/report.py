"""The report of one publication: where the site went, what it holds, what was left out and
why, following the protocol of :mod:`hlsgraph.reports`."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ValidationError
from ..reports import Report

FINDING_COLUMNS = ["severity", "finding", "count", "example"]


@dataclass
class Finding:
    """One thing a publisher should know: ``severity`` is ``"error"`` (the site must not go
    out as it is), ``"warning"`` (it may, but read this) or ``"note"``."""

    severity: str
    finding: str
    count: int = 0
    example: str = ""


@dataclass(repr=False)  # Report's repr: the one-line summary
class PublishReport(Report):
    """What :func:`hlsgraph.publishing.publish` wrote.

    Attributes
    ----------
    outdir : pathlib.Path
        The site's folder.
    base : str
        The address the site is published at.
    resources, triples, files, bytes : int
        Pages (one per published resource), statements in the dataset, files and bytes written.
    kinds : dict
        Published resources per kind (label → count).
    withheld : int
        Resources carrying an access level that was not asked for.
    findings : list of Finding
    """

    outdir: Path
    base: str
    resources: int = 0
    triples: int = 0
    files: int = 0
    bytes: int = 0
    kinds: dict = field(default_factory=dict)
    withheld: int = 0
    seconds: float = 0.0
    findings: list = field(default_factory=list)

    title = "Publication"

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def landing_page(self) -> Path:
        """The site's ``index.html``."""
        return self.outdir / "index.html"

    def summary(self) -> str:
        warnings = sum(f.severity == "warning" for f in self.findings)
        errors = sum(f.severity == "error" for f in self.findings)
        tail = f"; {errors} errors" if errors else ""
        tail += f"; {warnings} warnings" if warnings else ""
        return (
            f"{self.resources:,} resource pages and {self.triples:,} triples published to {self.outdir} "
            f"({self.files:,} files, {self.bytes / 1e6:.1f} MB) for {self.base}; "
            f"{self.withheld:,} resources withheld{tail}"
        )

    def to_dataframe(self):
        import pandas as pd

        rows = [[f.severity, f.finding, f.count, f.example] for f in self.findings]
        frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
        return frame.astype(
            {"severity": "string", "finding": "string", "count": "Int64", "example": "string"}
        )

    def raise_for_problems(self) -> PublishReport:
        errors = [f for f in self.findings if f.severity == "error"]
        if errors:
            raise ValidationError(
                f"the publication in {self.outdir} has {len(errors)} problems: "
                + "; ".join(f.finding for f in errors[:5])
            )
        return self

    def _repr_html_(self) -> str:
        link = f"<p>Landing page: <code>{html.escape(str(self.landing_page))}</code></p>"
        kinds = "".join(f"<li>{html.escape(k)}: {n:,}</li>" for k, n in list(self.kinds.items())[:12])
        return super()._repr_html_() + link + (f"<ul>{kinds}</ul>" if kinds else "")


__all__ = ["Finding", "PublishReport"]
