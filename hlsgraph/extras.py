"""The optional parts of hlsgraph and the extras that install them: the core
(``pip install hlsgraph``) queries, imports and exports; ``[notebook]`` adds the widgets and
plots, ``[reasoner]`` the HermiT consistency check, ``[server]`` the Oxigraph server for
``hlsgraph serve``, ``[all]`` everything."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtraError

EXTRAS: dict[str, str] = {
    "ipywidgets": "notebook",
    "matplotlib": "notebook",
    "networkx": "notebook",
    "owlready2": "reasoner",
    "oxigraph": "server",
    "werkzeug": "server",
}
"""The module each extra brings, by module name."""


def require_program(name: str, what: str) -> str:
    """The path of a program an extra installs (the ``oxigraph`` server binary ships in a wheel
    with no Python module): beside the running Python first, then on ``PATH``; or raise
    :class:`MissingExtraError` naming the extra.

    >>> require_program("python3", "a doctest").endswith("python3")
    True
    """
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    extra = EXTRAS.get(name, "all")
    raise MissingExtraError(
        f"{what} needs the {name} program, which a plain `pip install hlsgraph` leaves out; "
        f"install it with `pip install 'hlsgraph[{extra}]'` (or 'hlsgraph[all]')"
    )


def require(module: str, what: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming the extra that installs it
    and what needed it.

    >>> require("json", "reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        extra = EXTRAS.get(module.split(".")[0], "all")
        raise MissingExtraError(
            f"{what} needs {module.split('.')[0]}, which a plain `pip install hlsgraph` leaves out; "
            f"install it with `pip install 'hlsgraph[{extra}]'` (or 'hlsgraph[all]')"
        ) from err
