"""Fast checks of a batch of new items against the ontology's SHACL shapes, without pySHACL.

The shapes in ``ontology/shapes.ttl`` are read once and compiled into plain Python checks of
the SHACL core constraints (``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``,
``sh:in``, ``sh:pattern``, ``sh:nodeKind``, ranges, lengths, ``sh:hasValue``, ``sh:or`` /
``sh:and`` / ``sh:not`` / ``sh:xone`` of such shapes, ``sh:node``, ``sh:closed``) that run over the
items a spreadsheet import builds, before any triple reaches a store. pySHACL checks about
5,000 rows a second; these checks keep imports above 10,000. A shape using a constraint not
compiled here is reported by :attr:`ShapeChecker.unsupported`, and the importer then also runs
pySHACL on the batch, so nothing goes unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..store.terms import compact

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
RDF_TYPE = RDF + "type"
STRING = XSD + "string"
LANG_STRING = RDF + "langString"


class Lit(NamedTuple):
    """A literal term: lexical form, datatype IRI and (for ``rdf:langString``) language."""

    lex: str
    datatype: str
    lang: str | None = None


Term = str | Lit
"""An IRI (a plain ``str``) or a :class:`Lit`."""


@dataclass
class ItemSet:
    """Items built from a batch, column by column.

    ``props[predicate][i]`` is the value(s) of item ``i``: ``None``, one term, or a tuple of
    terms. ``rows[i]`` says which rows of the source the item came from.
    """

    subjects: list[str]
    rows: list[tuple[int, ...]]
    props: dict[str, list[Any]] = field(default_factory=dict)

    def values(self, index: int, predicate: str) -> tuple[Term, ...]:
        column = self.props.get(predicate)
        if column is None:
            return ()
        value = column[index]
        if value is None:
            return ()
        if isinstance(value, tuple) and not isinstance(value, Lit):
            return value
        return (value,)

    def predicates(self, index: int) -> set[str]:
        return {p for p, column in self.props.items() if column[index] not in (None, ())}


class Violation(NamedTuple):
    """One result: which item (set and index within it), the property path (``None`` for the
    node itself), the offending value (or ``None``), the message and the shape."""

    set_index: int
    item_index: int
    focus: str
    path: str | None
    value: Term | None
    message: str
    shape: str


# ---------------------------------------------------------------------------------------------
# Reading the shapes graph
# ---------------------------------------------------------------------------------------------


def _term(node: Any) -> Term:
    if isinstance(node, ox.Literal):
        lang = node.language
        return Lit(node.value, node.datatype.value, lang)
    return node.value if isinstance(node, ox.NamedNode) else "_:" + node.value


class _Graph:
    def __init__(self, store: ox.Store):
        self.spo: dict[Any, dict[str, list[Any]]] = {}
        for quad in store:
            self.spo.setdefault(quad.subject, {}).setdefault(quad.predicate.value, []).append(quad.object)

    def objects(self, node: Any, predicate: str) -> list[Any]:
        return self.spo.get(node, {}).get(predicate, [])

    def one(self, node: Any, predicate: str) -> Any | None:
        found = self.objects(node, predicate)
        return found[0] if found else None

    def items(self, node: Any) -> list[Any]:
        out = []
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            first = self.one(node, RDF + "first")
            if first is None:
                break
            out.append(first)
            node = self.one(node, RDF + "rest")
        return out


@dataclass
class Shape:
    """A compiled shape: its own checks on a focus node, and those of its property shapes."""

    name: str
    path: str | None = None  # None for a node shape
    message: str | None = None
    checks: list[tuple[str, Any]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    severity: str = SH + "Violation"
    min_count: int = 0
    max_count: int | None = None
    has_values: tuple[Term, ...] = ()
    value_checks: tuple[tuple[str, Any], ...] = ()
    closed: frozenset[str] | None = None
    label: str = ""

    def finish(self) -> None:
        """Sort the checks into counts, required values and value-level checks."""
        self.value_checks = tuple(
            (k, a) for k, a in self.checks if k not in ("minCount", "maxCount", "hasValue", "closed")
        )
        for key, arg in self.checks:
            if key == "minCount":
                self.min_count = max(self.min_count, arg)
            elif key == "maxCount":
                self.max_count = arg if self.max_count is None else min(self.max_count, arg)
            elif key == "hasValue":
                self.has_values += (arg,)
            elif key == "closed":
                self.closed = arg
        self.label = compact(self.path) if self.path and not self.path.startswith("_:") else self.name


_PARAMETERS = {
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "in",
    "pattern",
    "flags",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "hasValue",
    "languageIn",
    "or",
    "and",
    "not",
    "xone",
    "node",
    "closed",
    "ignoredProperties",
    "property",
    "path",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
    "order",
    "group",
    "defaultValue",
    "uniqueLang",
}
_UNSUPPORTED = {
    "qualifiedValueShape",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
    "sparql",
    "target",
    "rule",
}


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

    def __init__(self, graph: _Graph):
        self._graph = graph
        self.unsupported: list[tuple[str, str]] = []
        self.targets_class: dict[str, list[Shape]] = {}
        self.targets_subjects_of: dict[str, list[Shape]] = {}
        self.targets_objects_of: dict[str, list[Shape]] = {}
        self.targets_node: dict[str, list[Shape]] = {}
        self._compiled: dict[Any, Shape] = {}
        for node, props in graph.spo.items():
            types = {t.value for t in props.get(RDF_TYPE, []) if isinstance(t, ox.NamedNode)}
            targets = [
                (key, props.get(SH + key, []))
                for key in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
            ]
            implicit = bool(types & {RDFS + "Class", PREFIXES["owl"] + "Class"}) and (
                SH + "NodeShape" in types or SH + "property" in props
            )
            if not any(values for _, values in targets) and not implicit:
                continue
            if _true(graph.one(node, SH + "deactivated")):
                continue
            shape = self._compile(node)
            for key, values in targets:
                table = {
                    "targetClass": self.targets_class,
                    "targetSubjectsOf": self.targets_subjects_of,
                    "targetObjectsOf": self.targets_objects_of,
                    "targetNode": self.targets_node,
                }[key]
                for value in values:
                    table.setdefault(_term(value), []).append(shape)
            if implicit:
                self.targets_class.setdefault(node.value, []).append(shape)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_turtle(cls, text: str) -> ShapeChecker:
        """Compile the shapes in a Turtle string."""
        store = ox.Store()
        store.load(input=text, format=ox.RdfFormat.TURTLE)
        checker = cls(_Graph(store))
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
        checker = cls(_Graph(store))
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

    def _compile(self, node: Any) -> Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self._graph
        name = node.value if isinstance(node, ox.NamedNode) else "_:" + node.value
        path_node = g.one(node, SH + "path")
        path = None
        if path_node is not None:
            if isinstance(path_node, ox.NamedNode):
                path = path_node.value
            else:
                self.unsupported.append((name, "sh:path that is not a single property"))
                path = "_:complex-path"
        message = g.one(node, SH + "message")
        severity = g.one(node, SH + "severity")
        shape = Shape(
            name,
            path,
            message.value if message is not None else None,
            severity=severity.value if severity is not None else SH + "Violation",
        )
        self._compiled[node] = shape
        for predicate, values in g.spo.get(node, {}).items():
            if not predicate.startswith(SH):
                continue
            key = predicate[len(SH) :]
            if key in _UNSUPPORTED or (key not in _PARAMETERS):
                self.unsupported.append((name, "sh:" + key))
                continue
            for value in values:
                self._compile_parameter(shape, node, key, value)
        if shape.path is not None and shape.properties:
            # Property shapes of a property shape constrain the values' own properties,
            # which lie outside a batch: pySHACL checks those.
            self.unsupported.append((name, "sh:property of a property shape"))
        shape.finish()
        return shape

    def _compile_parameter(self, shape: Shape, node: Any, key: str, value: Any) -> None:
        g = self._graph
        if key == "property":
            shape.properties.append(self._compile(value))
        elif key in ("minCount", "maxCount", "minLength", "maxLength"):
            shape.checks.append((key, int(value.value)))
        elif key in ("datatype", "class", "nodeKind"):
            shape.checks.append((key, value.value))
        elif key in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "hasValue"):
            shape.checks.append((key, _term(value)))
        elif key == "in":
            shape.checks.append(("in", frozenset(_term(v) for v in g.items(value))))
        elif key == "languageIn":
            shape.checks.append(("languageIn", tuple(v.value.lower() for v in g.items(value))))
        elif key == "pattern":
            flags_node = g.one(node, SH + "flags")
            flags = 0
            for letter in flags_node.value if flags_node is not None else "":
                flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter, 0)
            shape.checks.append(("pattern", re.compile(value.value, flags)))
        elif key in ("or", "and", "xone"):
            shape.checks.append((key, [self._compile(v) for v in g.items(value)]))
        elif key in ("not", "node"):
            shape.checks.append((key, self._compile(value)))
        elif key == "closed" and _true(value):
            allowed: set[str] = set()
            for prop in g.objects(node, SH + "property"):
                path = g.one(prop, SH + "path")
                if isinstance(path, ox.NamedNode):
                    allowed.add(path.value)
            for ignored in g.objects(node, SH + "ignoredProperties"):
                allowed.update(v.value for v in g.items(ignored))
            shape.checks.append(("closed", frozenset(allowed)))
        # targets, messages and annotations need no check of their own

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
        run = _Run(self, sets, batch, types_of, superclasses)
        results: list[Violation] = []
        extra_targets = bool(self.targets_node or self.targets_subjects_of or self.targets_objects_of)
        objects_targets: dict[tuple[int, int], list[Shape]] = {}
        for set_index, items in enumerate(sets):
            for predicate, shapes in self.targets_objects_of.items():
                if predicate not in items.props:
                    continue
                for index in range(len(items.subjects)):
                    for value in items.values(index, predicate):
                        if isinstance(value, str) and value in batch:
                            objects_targets.setdefault(batch[value], []).extend(shapes)
        for set_index, items in enumerate(sets):
            groups: dict[tuple[str, ...], list[int]] = {}
            for index in range(len(items.subjects)):
                groups.setdefault(run.type_key(items, index), []).append(index)
            for types, indices in groups.items():
                shapes = run.shapes_for(types)
                for shape in shapes:
                    run.check_group(set_index, items, indices, shape, results, wanted)
                if not extra_targets:
                    continue
                done = {id(shape) for shape in shapes}
                for index in indices:
                    subject = items.subjects[index]
                    extra = list(self.targets_node.get(subject, ()))
                    for predicate, targeted in self.targets_subjects_of.items():
                        if items.values(index, predicate):
                            extra.extend(targeted)
                    extra.extend(objects_targets.get((set_index, index), ()))
                    seen = set(done)
                    for shape in extra:
                        if id(shape) not in seen:
                            seen.add(id(shape))
                            run.check_group(set_index, items, [index], shape, results, wanted)
        return results

    def needs_pyshacl(self) -> bool:
        """Whether some shape uses a constraint these checks do not implement."""
        return bool(self.unsupported)


def _true(node: Any) -> bool:
    return node is not None and getattr(node, "value", "") in ("true", "1")


_NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def _number(term: Term) -> Decimal | None:
    if isinstance(term, Lit) and term.datatype in _NUMERIC:
        try:
            return Decimal(term.lex)
        except InvalidOperation:
            return None
    return None


def _compare(value: Term, bound: Term) -> int | None:
    a, b = _number(value), _number(bound)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    if isinstance(value, Lit) and isinstance(bound, Lit) and value.datatype == bound.datatype:
        return (value.lex > bound.lex) - (value.lex < bound.lex)
    return None


def _show(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Lit):
        return term.lex
    return term


_PLACEHOLDER = "\x00"


class _Run:
    """One check of one batch: caches the value-level results it computes."""

    def __init__(self, checker, sets, batch, types_of, superclasses):
        self.checker = checker
        self.sets = sets
        self.batch = batch
        self.types_of = types_of
        self.superclasses = superclasses
        self._failures: dict[tuple, tuple[str, ...]] = {}
        self._node_classes: dict[str, frozenset[str]] = {}
        self._type_closure: dict[tuple[str, ...], frozenset[str]] = {}
        self._shapes_for: dict[tuple[str, ...], list[Shape]] = {}
        self._modes: dict[int, str] = {}
        self._set_keys: dict[int, list[tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ types

    @staticmethod
    def type_key(items: ItemSet, index: int) -> tuple[str, ...]:
        column = items.props.get(RDF_TYPE)
        value = None if column is None else column[index]
        if type(value) is str:
            return (value,)
        return tuple(sorted(v for v in items.values(index, RDF_TYPE) if isinstance(v, str)))

    def closure(self, types: tuple[str, ...]) -> frozenset[str]:
        cached = self._type_closure.get(types)
        if cached is None:
            cached = frozenset(c for t in types for c in self.superclasses(t)) | frozenset(types)
            self._type_closure[types] = cached
        return cached

    def shapes_for(self, types: tuple[str, ...]) -> list[Shape]:
        cached = self._shapes_for.get(types)
        if cached is None:
            cached, seen = [], set()
            for cls in sorted(self.closure(types)):
                for shape in self.checker.targets_class.get(cls, ()):
                    if id(shape) not in seen:
                        seen.add(id(shape))
                        cached.append(shape)
            self._shapes_for[types] = cached
        return cached

    def classes(self, node: Term) -> frozenset[str]:
        if not isinstance(node, str):
            return frozenset()
        where = self.batch.get(node)
        if where is not None:
            # A node of the batch is (re)defined by it: its types are the batch's.
            keys = self._set_keys.get(where[0])
            if keys is None:
                items = self.sets[where[0]]
                keys = self._set_keys[where[0]] = [
                    self.type_key(items, i) for i in range(len(items.subjects))
                ]
            return self.closure(keys[where[1]])
        cached = self._node_classes.get(node)
        if cached is None:
            cached = self.closure(tuple(sorted(set(self.types_of(node)))))
            self._node_classes[node] = cached
        return cached

    # ------------------------------------------------------------------ checking

    def check_group(
        self,
        set_index: int,
        items: ItemSet,
        indices: list[int],
        shape: Shape,
        results: list[Violation],
        wanted: frozenset[str],
    ) -> None:
        """Check the items ``indices`` of ``items`` against ``shape``."""
        subjects = items.subjects
        if shape.severity in wanted:
            own = shape.value_checks
            for index in indices:
                subject = subjects[index]
                for wanted_value in shape.has_values:
                    if wanted_value != subject:
                        results.append(
                            Violation(
                                set_index,
                                index,
                                subject,
                                None,
                                subject,
                                shape.message or f"only {_show(wanted_value)} may have this shape",
                                shape.name,
                            )
                        )
                if own:
                    for message in self.failures(shape, subject):
                        results.append(
                            Violation(
                                set_index,
                                index,
                                subject,
                                None,
                                subject,
                                message.replace(_PLACEHOLDER, subject),
                                shape.name,
                            )
                        )
                if shape.closed is not None:
                    for predicate in sorted(items.predicates(index) - shape.closed):
                        results.append(
                            Violation(
                                set_index,
                                index,
                                subject,
                                predicate,
                                None,
                                shape.message or f"{compact(predicate)} is not allowed here",
                                shape.name,
                            )
                        )
        for prop in shape.properties:
            if prop.path == "_:complex-path" or prop.severity not in wanted:
                continue
            column = items.props.get(prop.path)
            if column is None:
                cells: list = [None] * len(indices)
            elif len(indices) == len(column):
                cells = column
            else:
                cells = [column[i] for i in indices]
            # Whole-column passes first; the per-item loop below runs only where one failed.
            suspects: set[int] = set()
            low, high, has_values = prop.min_count, prop.max_count, prop.has_values
            if low or high is not None or has_values:
                for k, value in enumerate(cells):
                    count = 0 if value is None else (len(value) if type(value) is tuple else 1)
                    if (low and count < low) or (high is not None and count > high) or has_values:
                        suspects.add(k)
            failing: dict[Term, tuple[str, ...]] = {}
            if prop.value_checks:
                distinct: set = set()
                for value in cells:
                    if value is None:
                        continue
                    if type(value) is tuple:
                        distinct.update(value)
                    else:
                        distinct.add(value)
                if self._mode(prop) == "value":
                    for value in distinct:
                        messages = self.failures(prop, value)
                        if messages:
                            failing[value] = messages
                else:
                    # The result depends only on a value's kind, datatype and classes: work it
                    # out once per such group rather than once per value.
                    by_group: dict[Any, tuple[str, ...]] = {}
                    classes = self.classes if self._mode(prop) == "class" else None
                    for value in distinct:
                        if type(value) is str:
                            group = (value.startswith("_:"), classes(value) if classes else None)
                        elif value.datatype in _WELL_FORMED:
                            group = value
                        else:
                            group = (value.datatype, value.lang)
                        messages = by_group.get(group)
                        if messages is None:
                            messages = by_group[group] = self.failures(prop, value)
                        if messages:
                            failing[value] = messages
                if failing:
                    for k, value in enumerate(cells):
                        if value is None:
                            continue
                        if type(value) is tuple:
                            if any(v in failing for v in value):
                                suspects.add(k)
                        elif value in failing:
                            suspects.add(k)
            if suspects:
                self._report(set_index, items, indices, cells, sorted(suspects), prop, failing, results)

    def _report(self, set_index, items, indices, cells, suspects, prop, failing, results):
        """The violations of ``prop`` by the items at positions ``suspects`` of ``indices``."""
        low, high, has_values = prop.min_count, prop.max_count, prop.has_values
        name = prop.label
        for k in suspects:
            index = indices[k]
            value = cells[k]
            values = () if value is None else (value if type(value) is tuple else (value,))
            count = len(values)
            subject = items.subjects[index]
            if low and count < low:
                results.append(
                    Violation(
                        set_index,
                        index,
                        subject,
                        prop.path,
                        None,
                        prop.message
                        or f"{name}: at least {low} value{'s' if low > 1 else ''} expected, found {count}",
                        prop.name,
                    )
                )
            if high is not None and count > high:
                results.append(
                    Violation(
                        set_index,
                        index,
                        subject,
                        prop.path,
                        None,
                        prop.message
                        or f"{name}: at most {high} value{'s' if high > 1 else ''} expected, found {count}",
                        prop.name,
                    )
                )
            for wanted_value in has_values:
                if wanted_value not in values:
                    results.append(
                        Violation(
                            set_index,
                            index,
                            subject,
                            prop.path,
                            None,
                            prop.message or f"{name}: the value {_show(wanted_value)} expected",
                            prop.name,
                        )
                    )
            for item in values:
                for message in failing.get(item, ()):
                    text = prop.message or f"{name}: {message}"
                    results.append(
                        Violation(
                            set_index,
                            index,
                            subject,
                            prop.path,
                            item,
                            text.replace(_PLACEHOLDER, _show(item)),
                            prop.name,
                        )
                    )

    def _mode(self, shape: Shape) -> str:
        """How a value-level result of ``shape`` may be shared between values: 'value' (only
        by equal values), 'class' (by values of equal kind, datatype and classes) or 'kind'."""
        mode = self._modes.get(id(shape))
        if mode is not None:
            return mode
        self._modes[id(shape)] = "value"  # provisional, for shapes that refer to themselves
        mode = "kind"
        for key, arg in shape.value_checks:
            if key == "class":
                mode = "class" if mode == "kind" else mode
            elif key in ("datatype", "nodeKind"):
                pass
            elif key in ("or", "and", "xone", "not", "node"):
                for nested in arg if isinstance(arg, list) else [arg]:
                    if (
                        nested.properties
                        or nested.closed is not None
                        or nested.min_count
                        or nested.max_count is not None
                    ):
                        mode = "value"
                        break
                    inner = self._mode(nested)
                    if inner == "value":
                        mode = "value"
                    elif inner == "class" and mode == "kind":
                        mode = "class"
            else:
                mode = "value"
            if mode == "value":
                break
        self._modes[id(shape)] = mode
        return mode

    def _signature(self, shape: Shape, value: Term) -> tuple:
        mode = self._mode(shape)
        if mode == "value":
            return (id(shape), value)
        if isinstance(value, Lit):
            lexical = value.lex if value.datatype in _WELL_FORMED else None
            return (id(shape), "L", value.datatype, value.lang, lexical)
        blank = value.startswith("_:")
        if mode == "class":
            return (id(shape), "I", blank, self.classes(value))
        return (id(shape), "I", blank)

    def failures(self, shape: Shape, value: Term) -> tuple[str, ...]:
        """Messages (with a placeholder for the value) for each value-level check of ``shape``
        that ``value`` fails."""
        key = self._signature(shape, value)
        cached = self._failures.get(key)
        if cached is None:
            out = []
            for check, arg in shape.value_checks:
                message = self._check(check, arg, value)
                if message:
                    out.append(message)
            cached = tuple(out)
            self._failures[key] = cached
        return cached

    def conforms(self, shape: Shape, value: Term) -> bool:
        """Whether ``value`` meets ``shape`` (an alternative of sh:or and the like): its own
        checks and, for a node of the batch, its property shapes."""
        if self.failures(shape, value):
            return False
        if shape.properties or shape.closed is not None:
            where = self.batch.get(value) if isinstance(value, str) else None
            if where is not None:
                found: list[Violation] = []
                self.check_group(
                    where[0],
                    self.sets[where[0]],
                    [where[1]],
                    shape,
                    found,
                    frozenset({shape.severity, *(p.severity for p in shape.properties)}),
                )
                return not found
        return True

    def _check(self, key: str, arg: Any, value: Term) -> str | None:
        """Why ``value`` fails one value-level constraint, or ``None``."""
        is_literal = isinstance(value, Lit)
        shown = _PLACEHOLDER
        if key == "datatype":
            if not is_literal or value.datatype != arg:
                got = compact(value.datatype) if is_literal else "an IRI"
                return f"{shown} should be of datatype {compact(arg)}, not {got}"
            if not _well_formed(value):
                return f"{shown} is not a valid {compact(arg)}"
        elif key == "class":
            if is_literal or arg not in self.classes(value):
                return f"{shown} should be a {compact(arg)}"
        elif key == "nodeKind":
            kind = "Literal" if is_literal else ("BlankNode" if value.startswith("_:") else "IRI")
            if kind not in arg[len(SH) :]:
                return f"{shown} should be a {arg[len(SH) :]}"
        elif key == "in":
            if value not in arg and not (is_literal and Lit(value.lex, value.datatype, None) in arg):
                allowed = ", ".join(sorted(_show(a) if isinstance(a, Lit) else compact(a) for a in arg))
                return f"{shown} should be one of {allowed}"
        elif key == "pattern":
            if (not is_literal and value.startswith("_:")) or not arg.search(_show(value)):
                return f"{shown} should match {arg.pattern}"
        elif key in ("minLength", "maxLength"):
            text = _show(value)
            if not is_literal and value.startswith("_:"):
                return f"a blank node has no length ({key})"
            if (key == "minLength" and len(text) < arg) or (key == "maxLength" and len(text) > arg):
                return f"{shown} should be {'at least' if key == 'minLength' else 'at most'} {arg} characters long"
        elif key in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            order = _compare(value, arg)
            ok = (
                order is not None
                and {
                    "minInclusive": order >= 0,
                    "maxInclusive": order <= 0,
                    "minExclusive": order > 0,
                    "maxExclusive": order < 0,
                }[key]
            )
            if not ok:
                words = {
                    "minInclusive": "at least",
                    "maxInclusive": "at most",
                    "minExclusive": "more than",
                    "maxExclusive": "less than",
                }[key]
                return f"{shown} should be {words} {_show(arg)}"
        elif key == "languageIn":
            if (
                not is_literal
                or not value.lang
                or not any(
                    value.lang.lower() == tag or value.lang.lower().startswith(tag + "-") for tag in arg
                )
            ):
                return f"{shown} should have a language tag among {', '.join(arg)}"
        elif key in ("or", "and", "xone", "not", "node"):
            conforming = [self.conforms(s, value) for s in (arg if isinstance(arg, list) else [arg])]
            if key == "or" and not any(conforming):
                return f"{shown} matches none of the allowed forms"
            if key == "and" and not all(conforming):
                return f"{shown} does not meet every required form"
            if key == "xone" and sum(conforming) != 1:
                return f"{shown} should match exactly one of the allowed forms"
            if key == "not" and conforming[0]:
                return f"{shown} has a form that is not allowed"
            if key == "node" and not conforming[0]:
                return f"{shown} does not conform to {arg.name}"
        return None


_WELL_FORMED = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "gYearMonth": re.compile(r"-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
}


def _well_formed(value: Lit) -> bool:
    pattern = _WELL_FORMED.get(value.datatype)
    return pattern is None or bool(pattern.fullmatch(value.lex))


@lru_cache(maxsize=1)
def _default_checker() -> ShapeChecker:
    from ..resources import ontology_dir

    paths = sorted(ontology_dir().glob("shapes*.ttl"))
    if not paths:
        raise FileNotFoundError(f"no SHACL shapes (shapes*.ttl) in {ontology_dir()}")
    return ShapeChecker.from_files(paths)
