"""Importing users' evidence: spreadsheets in the templates' layout (``templates``), read
(``readers``, ``values``), checked row by row and cell by cell, and loaded all or nothing, or
with bad rows quarantined into a report (``pipeline`` runs the steps; ``report``)."""

from .pipeline import import_table
from .report import ImportReport

__all__ = ["ImportReport", "import_table"]
