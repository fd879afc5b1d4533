"""Publishing commands: ``publish`` writes a static linked-open-data site of what the knowledge
base lets out; ``serve`` previews a published site on 127.0.0.1 with content negotiation and a
read-only SPARQL endpoint built only from its dumps."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys

from . import EXIT_OK


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "publish",
        help="write a static linked-open-data site (pages, dumps, DCAT/VoID, server rules)",
        description="Publish what is marked public (or the --level given) as a static site any web "
        "host can serve: a page per resource with its Turtle, JSON-LD and N-Triples, whole-dataset "
        "dumps, a DCAT / VoID description, aggregate pages and content-negotiation rules.",
        epilog="Docs: docs/publishing.md. Exit codes: 0 published, 2 error (nothing changed).",
    )
    p.add_argument(
        "outdir", metavar="OUTDIR", help="the folder to write (a site published before is replaced)"
    )
    p.add_argument("--base", required=True, metavar="URL", help="the address the site will live at")
    p.add_argument("--title", required=True, help="the dataset's title")
    p.add_argument("--publisher", required=True, help="who publishes it (your organisation's name)")
    p.add_argument(
        "--license",
        "--licence",
        dest="license",
        required=True,
        metavar="URL",
        help="the licence's URL, e.g. https://creativecommons.org/licenses/by/4.0/",
    )
    p.add_argument("--description", default=None, help="a sentence or two about the dataset")
    p.add_argument(
        "--level",
        dest="levels",
        action="append",
        default=None,
        metavar="LEVEL",
        help="an access level to publish (repeatable; default: public)",
    )
    p.add_argument(
        "--endpoint",
        default=None,
        metavar="URL",
        help="a public SPARQL endpoint serving this data, for the description and landing page",
    )
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        default=None,
        help="an on-disk store or a SPARQL endpoint; default: the bundled knowledge base",
    )
    p.set_defaults(handler=cmd_publish)

    p = subparsers.add_parser(
        "serve",
        help="preview a published site on 127.0.0.1, with a read-only SPARQL endpoint",
        description="Serve a site written by `hlsgraph publish` on 127.0.0.1: its pages, content "
        "negotiation (303 by Accept, Vary: Accept) and a read-only SPARQL endpoint at /sparql run by "
        "an Oxigraph server over a store built only from the site's dumps. Needs the [server] extra.",
        epilog="Stop it with Ctrl-C. Exit codes: 0 stopped, 2 error.",
    )
    p.add_argument("outdir", metavar="OUTDIR", help="a folder written by `hlsgraph publish`")
    p.add_argument(
        "--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000; 0: any free one)"
    )
    p.add_argument("--cors", action="store_true", help="allow pages of other sites to query it (CORS)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds a SPARQL query may run (default 10)")
    p.set_defaults(handler=cmd_serve)


def cmd_publish(args: argparse.Namespace) -> int:
    import hlsgraph

    kb = hlsgraph.open(args.store)
    report = kb.publish(
        args.outdir,
        base=args.base,
        title=args.title,
        publisher=args.publisher,
        license=args.license,
        description=args.description,
        levels=tuple(args.levels or ("public",)),
        endpoint=args.endpoint,
    )
    print(report.summary())
    for label, count in list(report.kinds.items())[:12]:
        print(f"  {count:>7,}  {label}")
    for finding in report.findings:
        print(f"{finding.severity}: {finding.finding}" + (f" ({finding.count:,})" if finding.count else ""))
    print(f"Landing page: {report.landing_page}")
    print(f"Preview it:   hlsgraph serve {args.outdir}")
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Stop the server cleanly, its SPARQL endpoint process included, whichever way it is asked to.

    Without a handler, SIGTERM (a service manager, ``kill``) or SIGHUP (the terminal closed) ends
    Python at once and leaves the ``oxigraph serve-read-only`` child running with its temporary
    store; and a shell starts background jobs with SIGINT ignored, so Ctrl-C sent to them later
    would do nothing.
    """
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..publishing.serve import Preview

    _stop_on_signals()  # before the endpoint process starts, so that no stop can orphan it
    try:
        preview = Preview(
            args.outdir, port=args.port or None, cors=args.cors, timeout=args.timeout, quiet=False
        )
    except KeyboardInterrupt:  # Preview stops what it started when it is interrupted
        print("stopped")
        return EXIT_OK
    # Werkzeug's loop ends quietly on KeyboardInterrupt; a stop before it starts may not.
    with contextlib.suppress(KeyboardInterrupt):
        try:
            print(f"Serving {args.outdir} at {preview.url}  (SPARQL: {preview.sparql_url}); Ctrl-C stops it.")
            sys.stdout.flush()
            preview.serve_forever()
        finally:
            preview.stop()
    print("stopped")
    return EXIT_OK
