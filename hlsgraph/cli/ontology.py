"""Ontology commands: ``hlsgraph docs OUTDIR`` writes the HTML reference of the ontology;
``hlsgraph validate PATH...`` checks RDF files against the SHACL shapes (exit 0 conforms,
1 violations, 2 error); ``hlsgraph check-ontology`` runs the quality checks and HermiT."""

from __future__ import annotations

import argparse
import sys

from ..csvsafe import frame_to_csv
from . import EXIT_ERROR, EXIT_NO_RESULT, EXIT_OK


def register(subparsers) -> None:
    docs = subparsers.add_parser(
        "docs",
        help="write the HTML reference of the HLS ontology",
        description="Write the HTML reference of the HLS ontology (classes, properties, concept schemes "
        "and their members, with definitions and sources), a diagram and the ontology files to OUTDIR.",
    )
    docs.add_argument("outdir", metavar="OUTDIR", help="directory to write (created if missing)")
    docs.set_defaults(handler=_docs)

    validate = subparsers.add_parser(
        "validate",
        help="validate RDF files against the hlsgraph SHACL shapes",
        description="Validate RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) together "
        "against the hlsgraph SHACL shapes, with the ontology available so concept references are checked.",
        epilog="Exit codes: 0 the data conforms, 1 there are violations, "
        "2 a file could not be read or parsed.",
    )
    validate.add_argument("paths", metavar="PATH", nargs="+", help="RDF files to validate together")
    validate.add_argument("--csv", action="store_true", help="print the results as CSV instead of text lines")
    validate.add_argument(
        "--no-ontology",
        action="store_true",
        help="do not add the ontology (concept types then have to be in the files themselves)",
    )
    validate.set_defaults(handler=_validate)

    check = subparsers.add_parser(
        "check-ontology",
        help="run the ontology quality checks and the HermiT consistency check",
        description="Run the SPARQL quality checks (labels, definitions, sources, hierarchy, schemes) over "
        "the bundled ontology and, unless --no-reasoner, HermiT through owlready2 (needs Java).",
        epilog="Exit codes: 0 nothing found, 1 findings or inconsistency, 2 error.",
    )
    check.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    check.set_defaults(handler=_check)


def _docs(args: argparse.Namespace) -> int:
    from ..vocabulary.reference import build_reference

    index = build_reference(args.outdir)
    print(f"wrote the ontology reference to {index}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from ..errors import RDFSyntaxError
    from ..validation import validate

    try:
        report = validate(args.paths, include_ontology=not args.no_ontology)
    except (RDFSyntaxError, FileNotFoundError, ValueError) as err:
        print(f"hlsgraph validate: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    if args.csv:
        frame_to_csv(report.to_dataframe(compact=True), sys.stdout)
    else:
        for result in report.results:
            print(f"{result.severity}: {result.describe()}")
        print(report.summary())
    return EXIT_OK if report.conforms else EXIT_NO_RESULT


def _check(args: argparse.Namespace) -> int:
    from ..vocabulary.checks import check_consistency, quality_report

    findings = quality_report()
    for row in findings.itertuples(index=False):
        print(f"{row.check}: {row.term}: {row.detail}")
    print(f"quality checks: {len(findings)} finding(s)")
    ok = findings.empty
    if not args.no_reasoner:
        result = check_consistency()
        if not result.consistent:
            print(f"HermiT: inconsistent: {result.message}")
        elif result.unsatisfiable:
            print("HermiT: unsatisfiable classes: " + ", ".join(result.unsatisfiable))
        else:
            print("HermiT: consistent, no unsatisfiable class")
        ok = ok and result.ok
    return EXIT_OK if ok else EXIT_NO_RESULT
