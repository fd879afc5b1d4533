"""Validate RDF data against hlsgraph's SHACL shapes (``ontology/shapes.ttl``) with pySHACL,
with the ontology at hand so ``sh:class`` checks see concept and class types. Returns a
:class:`ValidationReport`, never pySHACL's bare tuple.

Only an rdflib copy of the data is handed to pySHACL (never a whole pyoxigraph Store), and
rdflib's process-wide literal settings that pySHACL flips are restored afterwards.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from ..errors import ArgumentTypeError, MissingFileError, RDFSyntaxError, ValidationError
from ..reports import Report
from ..store.terms import rdf_format, shorten
from ..tables import html_table
from ..vocabulary import ontology_graph, shapes_graph

COLUMNS = ["focus_node", "path", "value", "message", "severity", "shape", "constraint", "file"]
"""The columns of :meth:`ValidationReport.to_dataframe`, in order."""


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which property, which value, and what was expected."""

    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    constraint: str | None
    file: str | None = None

    def describe(self, compact: bool = True) -> str:
        """One line for a person: ``<node> <path> = <value>: <message> [in <file>]``."""
        show = shorten if compact else (lambda x: x)
        parts = [show(self.focus_node)]
        if self.path:
            parts.append(show(self.path))
        text = " ".join(parts)
        if self.value is not None:
            text += f" = {show(self.value)}"
        text += f": {self.message}"
        if self.file:
            text += f" (in {self.file})"
        return text


@dataclass
class ValidationReport(Report):
    """What validating some data against the shapes found.

    ``conforms`` is true when there is no result of severity ``Violation``; warnings and info
    results are reported but do not make data non-conforming.
    """

    results: list[ValidationResult] = field(default_factory=list)
    source: str | None = None

    @property
    def violations(self) -> int:
        """How many results have severity ``Violation``."""
        return sum(1 for r in self.results if r.severity == "Violation")

    title = "Validation"

    @property
    def conforms(self) -> bool:
        """True when the data has no violation."""
        return self.violations == 0

    @property
    def ok(self) -> bool:
        """The same as :attr:`conforms`."""
        return self.conforms

    def __len__(self) -> int:
        return len(self.results)

    def to_dataframe(self, *, compact: bool = False):
        """The results as a DataFrame with the columns of :data:`COLUMNS` (even when empty).

        With ``compact=True`` IRIs are shortened with the known prefixes (``hlsd:story-x``).
        """
        import pandas as pd

        show = shorten if compact else (lambda x: x)
        rows = [
            {
                "focus_node": show(r.focus_node),
                "path": None if r.path is None else show(r.path),
                "value": None if r.value is None else show(r.value),
                "message": r.message,
                "severity": r.severity,
                "shape": None if r.shape is None else show(r.shape),
                "constraint": r.constraint,
                "file": r.file,
            }
            for r in self.results
        ]
        frame = pd.DataFrame(rows, columns=COLUMNS).astype("string")
        frame.attrs["conforms"] = self.conforms
        frame.attrs["violations"] = self.violations
        return frame

    def raise_for_violations(self) -> None:
        """Raise :class:`hlsgraph.errors.ValidationError` when there is any violation.

        The message counts the violations and describes the first few of them.
        """
        if self.conforms:
            return
        where = f" in {self.source}" if self.source else ""
        lines = [r.describe() for r in self.results if r.severity == "Violation"]
        shown = "\n  ".join(lines[:10])
        more = f"\n  ... and {len(lines) - 10} more" if len(lines) > 10 else ""
        raise ValidationError(
            f"{self.violations} SHACL violation(s){where}:\n  {shown}{more}\n"
            "See report.to_dataframe() for all of them, and docs/model.md for what each item needs."
        )

    def raise_for_problems(self) -> ValidationReport:
        """Raise :class:`hlsgraph.errors.ValidationError` when there is any violation; return the
        report otherwise (the name every report shares; see :mod:`hlsgraph.reports`)."""
        self.raise_for_violations()
        return self

    def summary(self) -> str:
        """One line: conforms, or how many violations (and other results) were found."""
        if not self.results:
            return "conforms: no violations"
        others = len(self.results) - self.violations
        text = "conforms" if self.conforms else f"does not conform: {self.violations} violation(s)"
        if others:
            text += f", {others} warning(s) or note(s)"
        return text

    def _repr_html_(self) -> str:
        head = f"<p><strong>{html.escape(self.summary())}</strong></p>"
        if not self.results:
            return head
        return head + html_table(self.to_dataframe(compact=True), max_rows=len(self.results))


def validate(data, *, include_ontology: bool = True, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate ``data`` against the hlsgraph shapes.

    Parameters
    ----------
    data
        An rdflib ``Graph`` or ``Dataset`` (all its graphs are validated together), a
        pyoxigraph ``Store`` or ``Dataset`` (copied to rdflib first), a path to an RDF file,
        or a list of paths (validated together, so one file may refer to places or sources in
        another; each result names the file that describes its focus node).
    include_ontology
        Make the ontology available to the validator, so that ``sh:class`` checks find the
        types of concepts (``hlsc:trust`` is a ``skos:Concept``) and subclasses count.
    shapes
        Other shapes to use instead of the bundled ones.

    Returns
    -------
    ValidationReport

    Raises
    ------
    FileNotFoundError
        A path does not exist.
    hlsgraph.errors.RDFSyntaxError
        A file does not parse; the message names file, line and column.

    Examples
    --------
    >>> import rdflib
    >>> g = rdflib.Graph().parse(data='''
    ... @prefix hls: <https://w3id.org/hls/> .
    ... <https://w3id.org/hls/id/story-x> a hls:Story .''', format="turtle")
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> "dcterms:title is required: a short title for the item" in set(report.to_dataframe().message)
    True
    """
    graph, files, source = _as_graph(data)
    if include_ontology:
        # pySHACL's own ont_graph mixing copies only the class and property axioms, not the
        # types of concept individuals, so sh:class skos:Concept would fail for hlsc:trust.
        # Validate a copy of the data with the whole ontology added instead.
        mixed = rdflib.Graph()
        mixed += graph
        mixed += ontology_graph()
        graph = mixed
    shacl = shapes if shapes is not None else shapes_graph()
    results_graph = _run_pyshacl(graph, shacl)
    results = _read_results(results_graph, files, shacl)
    return ValidationReport(results=results, source=source)


def _run_pyshacl(graph: rdflib.Graph, shacl: rdflib.Graph) -> rdflib.Graph:
    """Run pySHACL and put back the rdflib settings it changes for the whole process."""
    import pyshacl
    from rdflib.term import _XSD_PFX, URIRef, _toPythonMapping

    boolean = URIRef(_XSD_PFX + "boolean")
    saved_normalize = rdflib.NORMALIZE_LITERALS
    saved_boolean = _toPythonMapping.get(boolean)
    try:
        _conforms, results_graph, _text = pyshacl.validate(
            graph,
            shacl_graph=shacl,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            inplace=True,  # with no inference and no rules pySHACL only reads the graph: no copy needed
        )
    finally:
        rdflib.NORMALIZE_LITERALS = saved_normalize
        _toPythonMapping[boolean] = saved_boolean
    return results_graph


def _read_results(
    results_graph: rdflib.Graph, files: dict[str, set] | None, shacl: rdflib.Graph
) -> list[ValidationResult]:
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        path = results_graph.value(node, SH.resultPath)
        value = results_graph.value(node, SH.value)
        message = results_graph.value(node, SH.resultMessage)
        severity = results_graph.value(node, SH.resultSeverity)
        shape = results_graph.value(node, SH.sourceShape)
        constraint = results_graph.value(node, SH.sourceConstraintComponent)
        file = None
        if files is not None and focus is not None:
            file = ", ".join(name for name, subjects in files.items() if focus in subjects) or None
        results.append(
            ValidationResult(
                focus_node=_text(focus) or "",
                path=_text(path),
                value=_text(value),
                message=str(message) if message is not None else "does not conform to its shape",
                severity=_local(severity) or "Violation",
                shape=_text(shape)
                if isinstance(shape, rdflib.URIRef)
                else _text(_named_parent(shacl, shape)),
                constraint=_local(constraint),
                file=file,
            )
        )
    results.sort(key=lambda r: (r.file or "", r.focus_node, r.path or "", r.message))
    return results


def _named_parent(graph: rdflib.Graph, shape):
    """For an anonymous property shape, the named node shape that holds it (for the report)."""
    if shape is None:
        return None
    parent = graph.value(predicate=SH.property, object=shape)
    return parent if parent is not None else shape


def _text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        return str(term)
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    return str(term)


def _local(term) -> str | None:
    if term is None:
        return None
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _as_graph(data) -> tuple[rdflib.Graph, dict[str, set] | None, str | None]:
    """The data as one rdflib Graph, which file describes which subjects, and a source name."""
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        graph = rdflib.Graph()
        for s, p, o, _g in data.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph, None, None
    if isinstance(data, rdflib.Graph):
        return data, None, None
    if isinstance(data, str | os.PathLike):
        return _from_paths([Path(data)])
    if isinstance(data, Sequence) and data and all(isinstance(d, str | os.PathLike) for d in data):
        return _from_paths([Path(d) for d in data])
    import pyoxigraph  # a dependency of hlsgraph's core

    if isinstance(data, pyoxigraph.Store | pyoxigraph.Dataset):
        return _from_quads(data), None, None
    raise ArgumentTypeError(
        f"validate() takes an rdflib Graph or Dataset, a pyoxigraph Store, a path or a list of paths, "
        f"not {type(data).__name__}"
    )


def _from_quads(quads: Iterable) -> rdflib.Graph:
    """Copy pyoxigraph quads (any graph) into one rdflib Graph, through N-Triples."""
    import pyoxigraph

    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if text:
        graph.parse(data=text.decode("utf-8"), format="nt")
    return graph


def _from_paths(paths: list[Path]) -> tuple[rdflib.Graph, dict[str, set], str]:
    """Parse each file strictly with pyoxigraph (exact error locations), then copy to rdflib."""
    import pyoxigraph

    graph = rdflib.Graph()
    files: dict[str, set] = {}
    for path in paths:
        if not path.is_file():
            raise MissingFileError(f"no such RDF file: {path}")
        fmt = rdf_format(None, path)
        try:
            quads = list(pyoxigraph.parse(path=str(path), format=fmt))
        except SyntaxError as err:
            raise RDFSyntaxError(f"{path}: {err}") from err
        part = _from_quads(quads)
        files[str(path)] = set(part.subjects())
        graph += part
    source = ", ".join(str(p) for p in paths)
    return graph, files, source
