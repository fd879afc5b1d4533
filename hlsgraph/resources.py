"""Where the ontology, the named inquiries and the bundled data are found: inside an installed
wheel (``hlsgraph/_bundled``, put there by the build backend) or, in a source checkout or an
editable install, at the top of the source tree."""

from importlib.resources import files
from pathlib import Path

_KINDS = ("ontology", "queries", "data/base", "data/templates")


def resource_dir(kind: str) -> Path:
    """The directory holding one kind of bundled resource.

    ``kind`` is one of ``"ontology"``, ``"queries"``, ``"data/base"`` or ``"data/templates"``.

    >>> resource_dir("queries").is_dir()
    True
    """
    if kind not in _KINDS:
        raise ValueError(f"no bundled resource {kind!r}; expected one of {', '.join(_KINDS)}")
    bundled = Path(str(files("hlsgraph") / "_bundled" / kind))
    if bundled.is_dir():
        return bundled
    source = Path(__file__).resolve().parent.parent / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(
        f"hlsgraph's {kind} directory is missing: looked in {bundled} and {source}; "
        "reinstall hlsgraph or run from a complete source checkout"
    )


def ontology_dir() -> Path:
    """The directory of the ontology's Turtle modules and SHACL shapes."""
    return resource_dir("ontology")


def queries_dir() -> Path:
    """The directory of the named inquiries (``.rq`` files)."""
    return resource_dir("queries")


def base_data_dir() -> Path:
    """The directory of the bundled evidence base (Turtle files)."""
    return resource_dir("data/base")


def templates_dir() -> Path:
    """The directory of the spreadsheet templates for users' own evidence."""
    return resource_dir("data/templates")
