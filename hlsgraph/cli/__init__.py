"""The ``hlsgraph`` command: one console script with subcommands.

Each module in this package that defines ``register(subparsers)`` adds its subcommands; the
handler it sets with ``set_defaults(handler=...)`` returns the exit code: 0 ok, 1 no result or
violations where that applies, 2 error.
"""

import argparse
import importlib
import pkgutil
import re
import sys

from .._version import __version__
from ..errors import HLSGraphError

EXIT_OK, EXIT_NO_RESULT, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hlsgraph",
        description=(
            "Human Learning Systems knowledge graph: open the bundled knowledge base or your own "
            "store, run named inquiries, load and import evidence, validate and export."
        ),
        epilog="Exit codes: 0 ok, 1 no result or violations, 2 error. Docs: docs/ in the source tree.",
    )
    parser.add_argument("--version", action="version", version=f"hlsgraph {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


# The library's messages name Python calls; at the command line the same advice is an option
# or a command. One list, so each message has one CLI wording.
CLI_TERMS = (
    (r"See kb\.inquiries\(\)", "See `hlsgraph inquiries`"),
    (
        r"pass replace=True to replace it, or graph= to load into another",
        "give --replace to replace it, or --graph to load into another",
    ),
    (r"base_iri='https://\.\.\.'", "--base https://..."),
    (r"\bbase_iri=", "--base "),
    (r"pass format= \(one of ", "give --rdf-format (one of "),
    (r"format= is needed with data=", "--rdf-format is needed"),
    (r"; use kb\.\w+\(\) for it, not kb\.select\(\)", "; `hlsgraph select` runs SELECT queries only"),
    (r"; see LabelIndex\.candidates\(([^)]+)\) for the (\d+) known", r"; none of the \2 known (\1) is close"),
    (r"e\.g\. kb\.inquire\('([\w-]+)', (\w+)=\.\.\.\)", r"e.g. hlsgraph inquire \1 -p \2=..."),
)


def in_cli_terms(message: str) -> str:
    """A library message with its Python advice said as the command line's options.

    >>> in_cli_terms("no inquiry named 'x'. See kb.inquiries()")
    "no inquiry named 'x'. See `hlsgraph inquiries`"
    """
    for pattern, replacement in CLI_TERMS:
        message = re.sub(pattern, replacement, message)
    return message


def main(argv: list[str] | None = None) -> int:
    """Run the ``hlsgraph`` command with ``argv`` (default: the process's arguments)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    try:
        return handler(args)
    except (HLSGraphError, OSError, ValueError, KeyError) as err:
        # Library errors already say what went wrong and what to do; the CLI shows them
        # without a traceback.
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"hlsgraph: error: {in_cli_terms(str(message))}", file=sys.stderr)
        return EXIT_ERROR
