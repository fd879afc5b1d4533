"""Knowledge-base commands: ``inquiries``, ``inquire``, ``select``, ``load``, ``copy``, ``stats``
and ``tour``. Each opens the bundled knowledge base in memory unless ``--store PATH|URL`` names an
on-disk store or a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys

from ..csvsafe import frame_to_csv
from ..store.terms import FORMAT_NAMES
from . import EXIT_ERROR, EXIT_NO_RESULT, EXIT_OK

# The named inquiries the tour shows, with the parameters it gives them.
TOUR_INQUIRIES = (
    ("evidence-mix", {}),
    ("stories-by-concept", {"concept": "hlsc:trust"}),
    ("trust-based-funding", {}),
)


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH|URL",
        default=None,
        help="an on-disk store (built on first use) or a SPARQL endpoint URL; "
        "default: the bundled knowledge base in memory",
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="how to print the answer (default: table)",
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
    p.set_defaults(handler=cmd_tour)


def _open(args):
    import hlsgraph

    return hlsgraph.open(args.store)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"parameter {pair!r} is not KEY=VALUE")
        params[key.strip()] = value
    return params


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        frame_to_csv(frame, sys.stdout)
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", date_format="iso", force_ascii=False) + "\n")
    elif len(frame.columns) == 0 or len(frame) == 0:
        sys.stdout.write(
            "(no rows)" + ("  columns: " + ", ".join(frame.columns) if len(frame.columns) else "") + "\n"
        )
    else:
        sys.stdout.write(frame.to_string(index=False, max_colwidth=60) + "\n")


def cmd_inquiries(args) -> int:
    kb = _open(args)
    frame = kb.inquiries()
    _print_frame(frame[["name", "title", "parameters"]] if args.format == "table" else frame, args.format)
    return EXIT_OK


def cmd_inquire(args) -> int:
    kb = _open(args)
    frame = kb.inquire(args.name, timeout=args.timeout, **_params(args.param))
    _print_frame(frame, args.format)
    return EXIT_OK if len(frame) else EXIT_NO_RESULT


def cmd_select(args) -> int:
    if args.file == "-":
        query = sys.stdin.read()
    else:
        with open(args.file, encoding="utf-8") as handle:
            query = handle.read()
    kb = _open(args)
    frame = kb.select(query, timeout=args.timeout, **_params(args.param))
    _print_frame(frame, args.format)
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
        graph = kb.load(path, format=args.rdf_format, graph=args.graph, replace=args.replace)
        print(f"loaded {path} into <{graph}>")
    print(f"{len(kb) - before:+d} triples; {len(kb)} in all")
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
        _print_frame(graphs, "table")
        print()
        _print_frame(kb.kinds(), "table")
    else:
        _print_frame(graphs, args.format)
    kb.close()
    return EXIT_OK


def cmd_tour(args) -> int:
    kb = _open(args)
    print(f"hlsgraph tour: {kb!r}, {len(kb)} triples in {len(kb.graphs())} named graphs")
    print()
    print("What is in it, by kind:")
    _print_frame(kb.kinds().head(25), "table")
    names = set(kb.inquiries()["name"])
    for name, params in TOUR_INQUIRIES:
        if name not in names:
            continue
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        print()
        print(f"kb.inquire({name!r}{', ' + shown if shown else ''}):")
        _print_frame(kb.inquire(name, **params).head(10), "table")
    print()
    print("More: `hlsgraph inquiries` lists every named inquiry; `hlsgraph inquire NAME -p key=value`.")
    return EXIT_OK
