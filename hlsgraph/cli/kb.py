"""Knowledge-base commands: ``inquiries``, ``inquire``, ``select``, ``load``, ``copy``, ``stats``
and ``tour``. Each opens the bundled knowledge base in memory unless ``--store PATH|URL`` names an
on-disk store or a SPARQL endpoint."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap

from ..csvsafe import frame_to_csv
from ..errors import InvalidArgumentError
from ..store.terms import FORMAT_NAMES
from ..tables import rows_phrase
from . import EXIT_ERROR, EXIT_NO_RESULT, EXIT_OK

# The named inquiries the tour shows, with the parameters it gives them and the columns it
# prints (the rest are a --format csv away).
TOUR_INQUIRIES: tuple[tuple[str, dict[str, str], tuple[str, ...]], ...] = (
    ("evidence-mix", {}, ("placeLabel", "stories", "numbers", "items")),
    ("stories-by-concept", {"concept": "Trust"}, ("title", "kind", "placeLabel")),
    ("trust-based-funding", {}, ("title", "funderLabel", "recipients")),
)


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH|URL",
        default=None,
        help="an on-disk store (built on first use) or a SPARQL endpoint URL; "
        "default: the bundled knowledge base in memory",
    )


FORMATS = ("table", "csv", "json", "markdown")


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="how to print the answer: table (fitted to the terminal; cut cells end in …), csv, "
        "json or markdown (default: table)",
    )
    parser.add_argument(
        "--width",
        type=int,
        default=None,
        metavar="COLUMNS",
        help="the width a table is fitted to (default: the terminal's, or 100 when not a terminal)",
    )


def _params_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter value (repeatable); labels, prefixed names and IRIs work",
    )


def register(subparsers) -> None:
    p = subparsers.add_parser("inquiries", help="list the named inquiries and their parameters")
    _store_option(p)
    _format_option(p)
    p.set_defaults(handler=cmd_inquiries)

    p = subparsers.add_parser("inquire", help="run a named inquiry")
    p.add_argument("name", help="the inquiry's name (see `hlsgraph inquiries`)")
    _params_option(p)
    _store_option(p)
    _format_option(p)
    p.add_argument("--timeout", type=float, default=None, help="give up after this many seconds")
    p.set_defaults(handler=cmd_inquire)

    p = subparsers.add_parser("select", help="run a SPARQL SELECT query from a file or stdin")
    p.add_argument("file", metavar="FILE|-", help="the query file, or - to read it from stdin")
    _params_option(p)
    _store_option(p)
    _format_option(p)
    p.add_argument("--timeout", type=float, default=None, help="give up after this many seconds")
    p.set_defaults(handler=cmd_select)

    p = subparsers.add_parser("load", help="load RDF files, each into a named graph of its own")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--graph", default=None, help="the graph to load into (one file only)")
    p.add_argument("--replace", action="store_true", help="replace the graph if it exists")
    p.add_argument(
        "--base",
        metavar="IRI",
        default=None,
        help='the base IRI relative IRIs in the files (<#me>, rdf:about="#x") resolve against',
    )
    p.add_argument(
        "--rdf-format",
        dest="rdf_format",
        default=None,
        metavar="FORMAT",
        help=f"the files' RDF format when their extension does not say: {', '.join(FORMAT_NAMES)}",
    )
    _store_option(p)
    p.set_defaults(handler=cmd_load)

    p = subparsers.add_parser(
        "copy",
        help="copy a store's own graphs into another store or a server (the bundled base is put there too)",
    )
    _store_option(p)
    p.add_argument(
        "--to", required=True, metavar="PATH|URL", help="the store or SPARQL endpoint to copy into"
    )
    p.add_argument("--graph", action="append", default=None, help="copy only this graph (repeatable)")
    p.set_defaults(handler=cmd_copy)

    p = subparsers.add_parser("stats", help="triples per graph and resources per kind")
    _store_option(p)
    _format_option(p)
    p.set_defaults(handler=cmd_stats)

    p = subparsers.add_parser("tour", help="a short look at the bundled knowledge base")
    _store_option(p)
    p.add_argument("--width", type=int, default=None, metavar="COLUMNS", help="fit the tables to this width")
    p.set_defaults(handler=cmd_tour)


def _open(args):
    import hlsgraph

    return hlsgraph.open(args.store)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidArgumentError(f"parameter {pair!r} is not KEY=VALUE, such as concept=trust")
        params[key.strip()] = value
    return params


def terminal_width(width: int | None = None) -> int:
    """The width tables are fitted to: ``width`` when given, else the terminal's (``COLUMNS``
    first), else 100."""
    if width:
        return max(width, 20)
    return shutil.get_terminal_size((100, 24)).columns


def _print_frame(frame, fmt: str, width: int | None = None) -> None:
    from ..tables import markdown_table, text_table

    if fmt == "csv":
        frame_to_csv(frame, sys.stdout)
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", date_format="iso", force_ascii=False) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(markdown_table(frame) + "\n")
    elif len(frame.columns) == 0 or len(frame) == 0:
        sys.stdout.write(
            "(no rows)" + ("  columns: " + ", ".join(frame.columns) if len(frame.columns) else "") + "\n"
        )
    else:
        sys.stdout.write(text_table(frame, width=terminal_width(width)) + "\n")


def _say(text: str, width: int | None = None) -> None:
    """Print a sentence wrapped to the terminal."""
    print(textwrap.fill(text, terminal_width(width), break_long_words=False, break_on_hyphens=False))


def _print_inquiries(frame, width: int | None) -> None:
    """The inquiries one per paragraph: name and title, then the parameters wrapped (never cut)."""
    room = terminal_width(width)
    name_width = min(max(len(n) for n in frame["name"]) + 2, room // 2)
    for row in frame.itertuples(index=False):
        head = row.name.ljust(name_width) + row.title
        print(textwrap.fill(head, room, subsequent_indent=" " * name_width, break_long_words=False))
        for parameter in (row.parameters or "").split("; "):
            if parameter:
                print(textwrap.fill(parameter, room, initial_indent="    ", subsequent_indent="      "))
    print()
    _say(
        "Run one with `hlsgraph inquire NAME -p key=value`; --format csv lists their descriptions too.", width
    )


def cmd_inquiries(args) -> int:
    kb = _open(args)
    frame = kb.inquiries()
    if args.format == "table":
        _print_inquiries(frame, args.width)
    else:
        _print_frame(frame, args.format)
    return EXIT_OK


def cmd_inquire(args) -> int:
    kb = _open(args)
    frame = kb.inquire(args.name, timeout=args.timeout, **_params(args.param))
    _print_frame(frame, args.format, args.width)
    return EXIT_OK if len(frame) else EXIT_NO_RESULT


def cmd_select(args) -> int:
    from ..errors import QuerySyntaxError
    from ..store.syntax import relocated

    if args.file == "-":
        query, source = sys.stdin.read(), "<stdin>"
    else:
        with open(args.file, encoding="utf-8") as handle:
            query, source = handle.read(), args.file
    kb = _open(args)
    try:
        frame = kb.select(query, timeout=args.timeout, **_params(args.param))
    except QuerySyntaxError as err:
        raise relocated(err, query, source, 1) from None  # named by its file, not "<query>"
    _print_frame(frame, args.format, args.width)
    return EXIT_OK if len(frame) else EXIT_NO_RESULT


def cmd_load(args) -> int:
    if args.graph and len(args.paths) > 1:
        print(
            "hlsgraph: error: --graph takes one file; each file goes into a graph of its own", file=sys.stderr
        )
        return EXIT_ERROR
    kb = _open(args)
    before = len(kb)
    for path in args.paths:
        graph = kb.load(
            path, format=args.rdf_format, graph=args.graph, replace=args.replace, base_iri=args.base
        )
        print(f"loaded {path} into <{graph}>")
    added = len(kb) - before
    print(f"{'+' if added >= 0 else '-'}{rows_phrase(abs(added), 'triple')}; {len(kb):,} in all")
    if kb.kind == "memory":
        print("(the store is in memory and was not kept: give --store PATH to keep what you load)")
    kb.close()
    return EXIT_OK


def cmd_copy(args) -> int:
    import hlsgraph

    source = _open(args)
    target = hlsgraph.open(args.to, bundled=True)
    copied = source.copy_to(target, graphs=args.graph)
    for graph, triples in copied.items():
        print(f"copied <{graph}>: {triples} triples")
    print(f"{target!r} now holds {len(target)} triples in {len(target.graphs())} graphs")
    source.close()
    target.close()
    return EXIT_OK


def cmd_stats(args) -> int:
    kb = _open(args)
    graphs = kb.stats()
    if args.format == "table":
        print(f"{len(kb)} triples in {len(graphs)} named graphs")
        _print_frame(graphs, "table", args.width)
        print()
        _print_frame(kb.kinds(), "table", args.width)
    else:
        _print_frame(graphs, args.format)
    kb.close()
    return EXIT_OK


def cmd_tour(args) -> int:
    kb = _open(args)
    print(f"hlsgraph tour: {kb!r}, {len(kb)} triples in {len(kb.graphs())} named graphs")
    print()
    print("What is in it, by kind:")
    _print_frame(kb.kinds().head(25), "table", args.width)
    names = set(kb.inquiries()["name"])
    for name, params, columns in TOUR_INQUIRIES:
        if name not in names:
            continue
        frame = kb.inquire(name, **params)
        kept = [c for c in columns if c in frame.columns] or list(frame.columns)
        shown = "".join(f' -p {k}="{v}"' if " " in v else f" -p {k}={v}" for k, v in params.items())
        print()
        print(f"$ hlsgraph inquire {name}{shown}")
        print(f"({rows_phrase(len(frame))}; the first 10, some of the columns)")
        _print_frame(frame[kept].head(10), "table", args.width)
    print()
    _say(
        "More: `hlsgraph inquiries` lists every named inquiry; `hlsgraph inquire NAME -p key=value` "
        "runs one.",
        args.width,
    )
    return EXIT_OK
