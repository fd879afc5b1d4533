"""The built items against the ontology's SHACL shapes, before anything reaches the store: the
fast checks of :class:`~hlsgraph.validation.shapes.ShapeChecker`, or pySHACL over the batch when
some shape uses a constraint those checks do not implement. Each violation becomes a problem of
the rows the item came from, naming the column its property comes from."""

from __future__ import annotations

from ..namespaces import PREFIXES
from ..store.terms import shorten
from ..validation.shapes import ItemSet, ShapeChecker, Violation
from .batch import Batch
from .references import References
from .triples import ntriples

RDF_TYPE = PREFIXES["rdf"] + "type"


def shape_problems(batch: Batch, sets: list[ItemSet], checker: ShapeChecker, refs: References) -> set[int]:
    """Check the items against the shapes; record problems; return the rows affected."""
    affected: set[int] = set()
    by_predicate = {c.predicate: c.name for c in batch.kind.columns if c.predicate}
    if batch.kind.name == "organisations":
        by_predicate[RDF_TYPE] = "kind"
    if checker.unsupported:
        violations = _pyshacl(sets, checker, refs)
    else:
        violations = checker.check(sets, refs.types_of, refs.superclasses)
    for violation in violations:
        items = sets[violation.set_index]
        column = by_predicate.get(violation.path) if violation.path else None
        shape = "" if violation.shape.startswith("_:") else f" (shape {shorten(violation.shape)})"
        for i in items.rows[violation.item_index]:
            if i in affected and column is None:
                continue
            cell = batch.cell(i, column) if column and column in batch.columns else None
            batch.problem(i, column, cell, f"{violation.message}{shape}")
            affected.add(i)
    return affected


def _pyshacl(sets: list[ItemSet], checker: ShapeChecker, refs: References) -> list[Violation]:
    """The shapes' results from pySHACL, for shapes using constraints the fast checks do not
    implement: over the batch plus the types of what it refers to (slower, but complete)."""
    import rdflib

    from ..validation import validate

    graph = rdflib.Graph()
    graph.parse(data=ntriples(sets), format="nt")
    batch = {subject: (n, i) for n, items in enumerate(sets) for i, subject in enumerate(items.subjects)}
    for node in {o for o in graph.objects() if isinstance(o, rdflib.URIRef)}:
        if str(node) not in batch:
            for cls in refs.types_of(str(node)):
                graph.add((node, rdflib.RDF.type, rdflib.URIRef(cls)))
    frame = validate(graph, shapes=checker.shapes_graph()).to_dataframe()
    found = []
    for focus, path, message, severity, shape in (
        frame[["focus_node", "path", "message", "severity", "shape"]].astype(object).itertuples(index=False)
    ):
        where = batch.get(str(focus))
        if where is None or not str(severity).endswith("Violation"):
            continue
        path = None if path is None or path != path or str(path) in ("", "<NA>") else str(path)
        shape = str(shape) if shape == shape and shape is not None else "_:"
        found.append(Violation(where[0], where[1], str(focus), path, None, str(message), shape))
    return found
