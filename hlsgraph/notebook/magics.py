"""IPython magics for hlsgraph: ``%load_ext hlsgraph`` registers

``%%sparql [-o NAME] [--kb VAR | --store PATH|URL] [--quiet] [key=value ...]``
    runs the cell's SPARQL query and shows the answer as a table (a pandas DataFrame); ``-o``
    also keeps the DataFrame in the notebook under ``NAME``; ``key=value`` pairs bind the query's
    parameters, as ``kb.select(query, **params)`` does. ``%sparql QUERY`` runs a one-line query.

``%inquire NAME [key=value ...] [-o NAME] [--kb VAR | --store PATH|URL] [--quiet]``
    runs a named inquiry, as ``kb.inquire(NAME, key=value, ...)`` does.

Which knowledge base a magic runs against, first match wins:

1. ``--store PATH|URL``: a store on disk or a SPARQL endpoint, opened with ``hlsgraph.open`` (once
   per notebook; later cells naming the same store reuse it);
2. ``--kb VAR``: the knowledge base held in the notebook variable ``VAR``;
3. the variable ``kb``, when it holds a knowledge base;
4. the only knowledge base held in any notebook variable (with several and no ``kb``, the magic
   asks you to pick one with ``--kb``);
5. otherwise the bundled evidence base, opened on first use and kept in the variable ``kb`` so
   that later cells and your own Python see the same one.

The magics print nothing of their own and ask nothing interactively, so notebooks using them run
the same when executed headless (``jupyter nbconvert --execute``, nbval).
"""

from __future__ import annotations

import re
import shlex
from decimal import Decimal

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from ..errors import HLSGraphError, QuerySyntaxError
from ..store.syntax import relocated

DEFAULT_KB_NAME = "kb"


def _knowledge_base_class():
    from ..kb import KnowledgeBase

    return KnowledgeBase


def _parse(magic, line: str):
    """A magic's arguments, split as a shell would (``place="North East England"`` is one word)."""
    try:
        words = shlex.split(line, posix=True)
    except ValueError as err:
        raise UsageError(f"cannot read the magic's arguments {line!r}: {err}") from None
    return magic.parser.parse_args(words)


def parse_params(pairs: list[str], *, typed: bool = False) -> dict[str, object]:
    """``key=value`` words (as the magic's line splits into them, quotes already taken off) as a
    dict of parameters. Quotes left in a value are part of it: ``keyword='"a b"'`` searches for
    ``"a b"`` with its quotes.

    With ``typed`` (for ``%%sparql``, whose variables declare no types) whole numbers become
    ``int``, decimals ``Decimal`` and ``true``/``false`` ``bool``, so they bind as typed literals;
    named inquiries convert values by their declared parameter types themselves.

    >>> parse_params(["concept=hlsc:trust", "place=Plymouth City", 'keyword="a b"'])
    {'concept': 'hlsc:trust', 'place': 'Plymouth City', 'keyword': '"a b"'}
    >>> parse_params(["n=3", "x=2.5", "ok=true"], typed=True)
    {'n': 3, 'x': Decimal('2.5'), 'ok': True}
    """
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(
                f"cannot read parameter {pair!r}: expected key=value, e.g. concept=hlsc:trust "
                '(quote values with spaces: place="Plymouth City")'
            )
        if key in params:
            raise UsageError(f"parameter {key!r} is given twice")
        params[key] = _typed(value) if typed else value
    return params


def _typed(value: str) -> object:
    if re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return Decimal(value)
    if value in ("true", "false"):
        return value == "true"
    return value


@magics_class
class HLSMagics(Magics):
    """The ``%%sparql`` and ``%inquire`` magics; see the module docstring for how they choose a
    knowledge base."""

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell=shell, **kwargs)
        self._opened: dict[str, object] = {}  # --store location -> knowledge base

    # -- choosing the knowledge base -------------------------------------------------------
    def knowledge_base(self, store: str | None = None, kb_name: str | None = None):
        """The knowledge base a magic runs against (see the module docstring for the order)."""
        import hlsgraph

        assert self.shell is not None  # a magic runs in the shell it was registered with
        namespace = self.shell.user_ns
        if store:
            if store not in self._opened:
                self._opened[store] = hlsgraph.open(store)
            return self._opened[store]
        cls = _knowledge_base_class()
        if kb_name:
            if kb_name not in namespace:
                raise UsageError(f"--kb {kb_name}: no variable {kb_name!r} in this notebook")
            if not isinstance(namespace[kb_name], cls):
                raise UsageError(
                    f"--kb {kb_name}: {kb_name!r} holds a {type(namespace[kb_name]).__name__}, "
                    "not a knowledge base from hlsgraph.open()"
                )
            return namespace[kb_name]
        current = namespace.get(DEFAULT_KB_NAME)
        if isinstance(current, cls):
            return current
        found = {
            name: value
            for name, value in namespace.items()
            if not name.startswith("_") and isinstance(value, cls)
        }
        distinct = {id(value): name for name, value in found.items()}
        if len(distinct) == 1:
            return found[next(iter(distinct.values()))]
        if len(distinct) > 1:
            raise UsageError(
                "several knowledge bases in this notebook ("
                + ", ".join(sorted(found))
                + "); pick one with --kb NAME"
            )
        if DEFAULT_KB_NAME in namespace:
            raise UsageError(
                f"the variable {DEFAULT_KB_NAME!r} holds a {type(current).__name__}, not a knowledge "
                "base; name one with --kb NAME or --store PATH"
            )
        opened = hlsgraph.open()
        namespace[DEFAULT_KB_NAME] = opened
        return opened

    def _finish(self, frame, args):
        if args.output:
            if not args.output.isidentifier():
                raise UsageError(f"-o {args.output!r}: not a valid Python variable name")
            self.shell.user_ns[args.output] = frame
        if args.quiet:
            return None
        return frame

    # -- the magics ------------------------------------------------------------------------
    @magic_arguments()
    @argument("-o", "--output", metavar="NAME", help="also keep the DataFrame in variable NAME")
    @argument("--store", metavar="PATH|URL", help="run against this store or SPARQL endpoint")
    @argument("--kb", dest="kb_name", metavar="VAR", help="run against the knowledge base in variable VAR")
    @argument("-q", "--quiet", action="store_true", help="do not show the table (use with -o)")
    @argument("params", nargs="*", help="key=value parameters bound in the query")
    @line_cell_magic
    def sparql(self, line, cell=None):
        """Run a SPARQL query against the notebook's knowledge base and show the answer."""
        if cell is None:
            # Line form: leading options, then the query exactly as typed (quotes kept).
            options, query = _split_line_options(line)
            args = _parse(self.sparql, options)
        else:
            args = _parse(self.sparql, line)
            query = cell
        if not query.strip():
            raise UsageError("%%sparql: the cell holds no query")
        params = parse_params(args.params, typed=True)
        kb = self.knowledge_base(args.store, args.kb_name)
        try:
            frame = kb.select(query, **params)
        except QuerySyntaxError as err:
            # Point into the cell as the notebook numbers it (In [n]; IPython has counted on to
            # the next cell already) and its lines: the query starts on the cell's line 2.
            where = f"cell [{max(self.shell.execution_count - 1, 1)}]"
            located = relocated(err, f"%%sparql {line}\n{cell}", where, 2) if cell is not None else err
            raise UsageError(f"%%sparql: {located}") from err
        except HLSGraphError as err:
            raise UsageError(f"%%sparql: {err}") from err
        return self._finish(frame, args)

    @magic_arguments()
    @argument("name", help="the inquiry's name (see kb.inquiries())")
    @argument("params", nargs="*", help="key=value parameters of the inquiry")
    @argument("-o", "--output", metavar="NAME", help="also keep the DataFrame in variable NAME")
    @argument("--store", metavar="PATH|URL", help="run against this store or SPARQL endpoint")
    @argument("--kb", dest="kb_name", metavar="VAR", help="run against the knowledge base in variable VAR")
    @argument("-q", "--quiet", action="store_true", help="do not show the table (use with -o)")
    @line_magic
    def inquire(self, line):
        """Run a named inquiry with ``key=value`` parameters and show the answer."""
        args = _parse(self.inquire, line)
        params = parse_params(args.params)
        kb = self.knowledge_base(args.store, args.kb_name)
        try:
            frame = kb.inquire(args.name, **params)
        except HLSGraphError as err:
            raise UsageError(f"%inquire {args.name}: {err}") from err
        return self._finish(frame, args)


_LEADING_OPTION = re.compile(r"\s*(?:(?:-o|--output|--store|--kb)\s+\S+|-q|--quiet)(?=\s|$)")


def _split_line_options(line: str) -> tuple[str, str]:
    """Split a ``%sparql`` line into its leading options and the query text.

    >>> _split_line_options('-o df SELECT * { ?s ?p "a b" }')
    ('-o df', 'SELECT * { ?s ?p "a b" }')
    """
    end = 0
    while match := _LEADING_OPTION.match(line, end):
        end = match.end()
    return line[:end].strip(), line[end:].strip()


def load_ipython_extension(ipython) -> None:
    """Register the magics with an IPython shell (called by ``%load_ext hlsgraph``)."""
    ipython.register_magics(HLSMagics)
