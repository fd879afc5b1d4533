"""Fast checks of a batch of new items against the ontology's SHACL shapes, without pySHACL.

The shapes in ``ontology/shapes.ttl`` are read once and compiled into plain Python checks of
the SHACL core constraints (``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``,
``sh:in``, ``sh:pattern``, ``sh:nodeKind``, ranges, lengths, ``sh:hasValue``, ``sh:or`` /
``sh:and`` / ``sh:not`` / ``sh:xone`` of such shapes, ``sh:node``, ``sh:closed``) that run over the
items a spreadsheet import builds, before any triple reaches a store. pySHACL checks about
5,000 rows a second; these checks keep imports above 10,000. A shape using a constraint not
compiled here is reported by :attr:`ShapeChecker.unsupported`, and the importer then also runs
pySHACL on the batch, so nothing goes unchecked.

The parts: :mod:`.items` (what is checked and the results), :mod:`.compiled` (the shapes graph
compiled), :mod:`.constraints` (the value-level constraints), :mod:`.checking` (one batch's check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import MissingFileError
from ..namespaces import PREFIXES
from .checking import BatchCheck
from .compiled import Shape, ShapeCompiler, ShapesGraph, _true, term
from .items import ItemSet, Lit, Term, Violation

__all__ = ["ItemSet", "Lit", "Shape", "ShapeChecker", "Term", "Violation"]

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
RDF_TYPE = RDF + "type"
_TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")


class ShapeChecker:
    """The SHACL shapes of a shapes graph, compiled for checking batches of items.

    >>> checker = ShapeChecker.from_turtle('''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ... ex:S a sh:NodeShape ; sh:targetClass ex:Story ;
    ...   sh:property [ sh:path ex:title ; sh:minCount 1 ] .''')
    >>> items = ItemSet(["http://example.org/a"], [(2,)],
    ...                 {RDF_TYPE: ["http://example.org/Story"], "http://example.org/title": [None]})
    >>> [v.message for v in checker.check([items])]
    ['<http://example.org/title>: at least 1 value expected, found 0']
    """

    def __init__(self, graph: ShapesGraph):
        self._graph = graph
        self._sources: list[str] = []  # the shapes' Turtle, for pySHACL
        compiler = ShapeCompiler(graph)
        self.unsupported: list[tuple[str, str]] = compiler.unsupported
        self.targets_class: dict[str, list[Shape]] = {}
        self.targets_subjects_of: dict[str, list[Shape]] = {}
        self.targets_objects_of: dict[str, list[Shape]] = {}
        self.targets_node: dict[str, list[Shape]] = {}
        tables: dict[str, dict[Any, list[Shape]]] = {
            "targetClass": self.targets_class,
            "targetSubjectsOf": self.targets_subjects_of,
            "targetObjectsOf": self.targets_objects_of,
            "targetNode": self.targets_node,
        }
        for node, props in graph.spo.items():
            targets = [(key, props.get(SH + key, [])) for key in _TARGETS]
            implicit = _implicit_target(props)
            if not any(values for _, values in targets) and not implicit:
                continue
            if _true(graph.one(node, SH + "deactivated")):
                continue
            shape = compiler.compile(node)
            for key, values in targets:
                for value in values:
                    tables[key].setdefault(term(value), []).append(shape)
            if implicit:
                self.targets_class.setdefault(node.value, []).append(shape)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_turtle(cls, text: str) -> ShapeChecker:
        """Compile the shapes in a Turtle string."""
        store = ox.Store()
        store.load(input=text, format=ox.RdfFormat.TURTLE)
        checker = cls(ShapesGraph(store))
        checker._sources = [text]
        return checker

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> ShapeChecker:
        """Compile the shapes in Turtle files."""
        store = ox.Store()
        texts = []
        for path in paths:
            texts.append(Path(path).read_text(encoding="utf-8"))
            store.load(input=texts[-1], format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri())
        checker = cls(ShapesGraph(store))
        checker._sources = texts
        return checker

    def shapes_graph(self):
        """The shapes as an rdflib Graph, for pySHACL (used when :attr:`unsupported` is not
        empty)."""
        import rdflib

        graph = rdflib.Graph()
        for text in getattr(self, "_sources", []):
            graph.parse(data=text, format="turtle")
        return graph

    @classmethod
    def default(cls) -> ShapeChecker:
        """The checker for the ontology's bundled shapes (``shapes*.ttl`` in the ontology
        directory), compiled once per process."""
        return _default_checker()

    # ------------------------------------------------------------------ checking

    def check(
        self,
        sets: Sequence[ItemSet],
        types_of: Callable[[str], Iterable[str]] = lambda iri: (),
        superclasses: Callable[[str], Iterable[str]] = lambda cls: (cls,),
        *,
        severities: Iterable[str] = (SH + "Violation",),
    ) -> list[Violation]:
        """Check every item of ``sets`` against the shapes that target it.

        Items of one set with the same types are checked together, column by column, and a
        value-level result is computed once per distinct value (or, for checks that look only
        at a value's kind, datatype and classes, once per such signature).

        Parameters
        ----------
        sets : sequence of ItemSet
            The batch. The items' ``rdf:type`` values are read from their ``props``.
        types_of : callable
            The asserted types of a resource outside the batch (for ``sh:class`` on values).
        superclasses : callable
            A class and every class above it (``rdfs:subClassOf*``), for targets and
            ``sh:class``.
        severities : iterable of str
            Which result severities to report (violations only, by default, as
            :func:`hlsgraph.validation.validate` counts them).
        """
        wanted = frozenset(severities)
        batch: dict[str, tuple[int, int]] = {}
        for set_index, items in enumerate(sets):
            for index, subject in enumerate(items.subjects):
                batch[subject] = (set_index, index)
        run = BatchCheck(self, sets, batch, types_of, superclasses)
        results: list[Violation] = []
        extra_targets = bool(self.targets_node or self.targets_subjects_of or self.targets_objects_of)
        objects_targets = self._objects_targets(sets, batch) if self.targets_objects_of else {}
        for set_index, items in enumerate(sets):
            groups = _by_type(run, items)
            for types, indices in groups.items():
                shapes = run.shapes_for(types)
                for shape in shapes:
                    run.check_group(set_index, items, indices, shape, results, wanted)
                if extra_targets:
                    done = {id(shape) for shape in shapes}
                    for index in indices:
                        for shape in self._extra_shapes(items, set_index, index, objects_targets, done):
                            run.check_group(set_index, items, [index], shape, results, wanted)
        return results

    def _objects_targets(
        self, sets: Sequence[ItemSet], batch: dict[str, tuple[int, int]]
    ) -> dict[tuple[int, int], list[Shape]]:
        """The shapes targeting items of the batch as objects of a property (``sh:targetObjectsOf``)."""
        found: dict[tuple[int, int], list[Shape]] = {}
        for items in sets:
            for predicate, shapes in self.targets_objects_of.items():
                if predicate not in items.props:
                    continue
                for index in range(len(items.subjects)):
                    for value in items.values(index, predicate):
                        if isinstance(value, str) and value in batch:
                            found.setdefault(batch[value], []).extend(shapes)
        return found

    def _extra_shapes(
        self, items: ItemSet, set_index: int, index: int, objects_targets: dict, done: set[int]
    ) -> list[Shape]:
        """The shapes targeting one item otherwise than by its class, each once and none of ``done``."""
        extra = list(self.targets_node.get(items.subjects[index], ()))
        for predicate, targeted in self.targets_subjects_of.items():
            if items.values(index, predicate):
                extra.extend(targeted)
        extra.extend(objects_targets.get((set_index, index), ()))
        seen = set(done)
        found = []
        for shape in extra:
            if id(shape) not in seen:
                seen.add(id(shape))
                found.append(shape)
        return found

    def needs_pyshacl(self) -> bool:
        """Whether some shape uses a constraint these checks do not implement."""
        return bool(self.unsupported)


def _by_type(run: BatchCheck, items: ItemSet) -> dict[tuple[str, ...], list[int]]:
    """The items' indices grouped by their types."""
    column = items.props.get(RDF_TYPE)
    if column and type(column[0]) is str and column.count(column[0]) == len(column):
        return {(column[0],): list(range(len(column)))}  # one type for all: the usual batch
    groups: dict[tuple[str, ...], list[int]] = {}
    for index in range(len(items.subjects)):
        groups.setdefault(run.type_key(items, index), []).append(index)
    return groups


def _implicit_target(props: dict[str, list[Any]]) -> bool:
    """A shape that is also a class targets that class's instances (SHACL's implicit target)."""
    types = {t.value for t in props.get(RDF_TYPE, []) if isinstance(t, ox.NamedNode)}
    return bool(types & {RDFS + "Class", PREFIXES["owl"] + "Class"}) and (
        SH + "NodeShape" in types or SH + "property" in props
    )


@lru_cache(maxsize=1)
def _default_checker() -> ShapeChecker:
    from ..resources import ontology_dir

    paths = sorted(ontology_dir().glob("shapes*.ttl"))
    if not paths:
        raise MissingFileError(f"no SHACL shapes (shapes*.ttl) in {ontology_dir()}")
    return ShapeChecker.from_files(paths)
