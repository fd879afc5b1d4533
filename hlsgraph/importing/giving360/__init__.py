"""Importing grants published in the 360Giving Data Standard: the readers of its JSON and
flattened spreadsheet forms (``readers``), the bundled schema and its checks (``schema``), and
the import into a knowledge base (``importer``). The mapping is in docs/360giving.md."""

from pathlib import Path

from ...resources import giving360_dir
from .importer import GrantsImportReport, for_individual, graph_for, import_360giving
from .readers import read_package


def example_file() -> Path:
    """The bundled example: 475 grants of the Andrew Lloyd Webber Foundation, as it published
    them (CC BY 4.0; see data/360giving/README.md).

    >>> example_file().name
    'alwf-a003W000001B7PzQAK.json'
    """
    return giving360_dir() / "examples" / "alwf-a003W000001B7PzQAK.json"


__all__ = [
    "GrantsImportReport",
    "example_file",
    "for_individual",
    "graph_for",
    "import_360giving",
    "read_package",
]
