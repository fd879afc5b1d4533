"""Importing users' evidence: spreadsheets in the templates' layout (``templates``), read, checked
row by row and cell by cell, and loaded all or nothing, or with bad rows quarantined into a
report (``pipeline``)."""

from .pipeline import ImportReport, import_table

__all__ = ["ImportReport", "import_table"]
