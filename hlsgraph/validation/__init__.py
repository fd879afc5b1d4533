"""Validation against the ontology's SHACL shapes: the fast checker of the shapes' core
constraints (``shapes``), the pySHACL path for everything else (``shacl``), and the report both
give."""

from .shacl import COLUMNS, ValidationReport, ValidationResult, validate

__all__ = ["COLUMNS", "ValidationReport", "ValidationResult", "validate"]
