"""Where the ontology, the named inquiries and the bundled data are found: inside an installed
wheel (``hlsgraph/_bundled``, put there by the build backend) or, in a source checkout or an
editable install, at the top of the source tree."""

import functools
from importlib.resources import files
from pathlib import Path

from hlsgraph.errors import InvalidArgumentError, MissingFileError

_KINDS = ("ontology", "queries", "data/base", "data/templates", "data/360giving")


def resource_dir(kind: str) -> Path:
    """The directory holding one kind of bundled resource.

    ``kind`` is one of ``"ontology"``, ``"queries"``, ``"data/base"``, ``"data/templates"`` or
    ``"data/360giving"``.

    >>> resource_dir("queries").is_dir()
    True
    """
    if kind not in _KINDS:
        raise InvalidArgumentError(f"no bundled resource {kind!r}; expected one of {', '.join(_KINDS)}")
    bundled = Path(str(files("hlsgraph") / "_bundled" / kind))
    if bundled.is_dir():
        return bundled
    source = Path(__file__).resolve().parent.parent / kind
    if source.is_dir():
        return source
    raise MissingFileError(
        f"hlsgraph's {kind} directory is missing: looked in {bundled} and {source}; "
        "reinstall hlsgraph or run from a complete source checkout"
    )


def ontology_dir() -> Path:
    """The directory of the ontology's Turtle modules and SHACL shapes."""
    return resource_dir("ontology")


def queries_dir() -> Path:
    """The directory of the named inquiries (``.rq`` files at its top) and, in sub-folders, of
    the other SPARQL the library runs (``rules/``, ``checks/``, ...)."""
    return resource_dir("queries")


@functools.cache
def sparql(name: str) -> str:
    """The text of ``queries/<name>``: a query (``.rq``) or update (``.ru``) the library runs,
    such as ``"rules/types.rq"`` or ``"checks/missing_label.rq"``. Parameters are not part of
    the text: callers bind them as terms.

    >>> "CONSTRUCT" in sparql("rules/types.rq")
    True
    """
    path = queries_dir() / name
    if path.suffix not in (".rq", ".ru") or not path.is_file():
        raise MissingFileError(
            f"no bundled SPARQL file queries/{name}: expected a .rq query or .ru update under {queries_dir()}"
        )
    return path.read_text(encoding="utf-8")


def sparql_names(folder: str) -> list[str]:
    """The names of the SPARQL files in ``queries/<folder>``, sorted, as :func:`sparql` takes
    them.

    >>> sparql_names("rules")[0]
    'rules/edges.rq'
    """
    directory = queries_dir() / folder
    return sorted(f"{folder}/{p.name}" for p in directory.iterdir() if p.suffix in (".rq", ".ru"))


def leading_comment(text: str) -> str:
    r"""The ``#`` comment a SPARQL file opens with, as one paragraph: what the file is for.

    >>> leading_comment("# Finds things\n# that are odd.\nSELECT * {}")
    'Finds things that are odd.'
    """
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(line for line in lines if line)


def base_data_dir() -> Path:
    """The directory of the bundled evidence base (Turtle files)."""
    return resource_dir("data/base")


def templates_dir() -> Path:
    """The directory of the spreadsheet templates for users' own evidence."""
    return resource_dir("data/templates")


def giving360_dir() -> Path:
    """The directory of the bundled 360Giving schemas (``schema/``) and example file
    (``examples/``)."""
    return resource_dir("data/360giving")
