"""The shapes of a SHACL shapes graph compiled into :class:`Shape` objects: each shape's own
checks on a focus node, its property shapes, counts and required values, and a list of the
constraints the fast checks do not implement (for which the importer runs pySHACL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..store.terms import compact
from .items import Lit, Term

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]


def term(node: Any) -> Term:
    if isinstance(node, ox.Literal):
        lang = node.language
        return Lit(node.value, node.datatype.value, lang)
    return node.value if isinstance(node, ox.NamedNode) else "_:" + node.value


class ShapesGraph:
    """A shapes graph as subject -> predicate -> objects, read once from a store."""

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


def _true(node: Any) -> bool:
    return node is not None and getattr(node, "value", "") in ("true", "1")


_INTEGERS = ("minCount", "maxCount", "minLength", "maxLength")
_IRIS = ("datatype", "class", "nodeKind")
_TERMS = ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "hasValue")
_FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X}


class ShapeCompiler:
    """Compiles shapes from a :class:`ShapesGraph`, each node once (shapes may refer to each
    other), noting in :attr:`unsupported` the constraints the fast checks do not implement."""

    def __init__(self, graph: ShapesGraph):
        self.graph = graph
        self.unsupported: list[tuple[str, str]] = []
        self._compiled: dict[Any, Shape] = {}

    def compile(self, node: Any) -> Shape:
        if node in self._compiled:
            return self._compiled[node]
        g = self.graph
        name = node.value if isinstance(node, ox.NamedNode) else "_:" + node.value
        message = g.one(node, SH + "message")
        severity = g.one(node, SH + "severity")
        shape = Shape(
            name,
            self._path(node, name),
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
                self._parameter(shape, node, key, value)
        if shape.path is not None and shape.properties:
            # Property shapes of a property shape constrain the values' own properties,
            # which lie outside a batch: pySHACL checks those.
            self.unsupported.append((name, "sh:property of a property shape"))
        shape.finish()
        return shape

    def _path(self, node: Any, name: str) -> str | None:
        path_node = self.graph.one(node, SH + "path")
        if path_node is None:
            return None
        if isinstance(path_node, ox.NamedNode):
            return path_node.value
        self.unsupported.append((name, "sh:path that is not a single property"))
        return "_:complex-path"

    def _parameter(self, shape: Shape, node: Any, key: str, value: Any) -> None:
        if key == "property":
            shape.properties.append(self.compile(value))
            return
        argument = self._argument(node, key, value)
        if argument is not None:
            shape.checks.append((key, argument))

    def _argument(self, node: Any, key: str, value: Any) -> Any:
        """A constraint's compiled argument; ``None`` for targets, messages and annotations,
        which need no check of their own."""
        if key in _INTEGERS:
            return int(value.value)
        if key in _IRIS:
            return value.value
        if key in _TERMS:
            return term(value)
        g = self.graph
        if key == "in":
            return frozenset(term(v) for v in g.items(value))
        if key == "languageIn":
            return tuple(v.value.lower() for v in g.items(value))
        if key == "pattern":
            return self._pattern(node, value)
        if key in ("or", "and", "xone"):
            return [self.compile(v) for v in g.items(value)]
        if key in ("not", "node"):
            return self.compile(value)
        if key == "closed" and _true(value):
            return self._allowed(node)
        return None

    def _pattern(self, node: Any, value: Any) -> re.Pattern:
        flags_node = self.graph.one(node, SH + "flags")
        flags = 0
        for letter in flags_node.value if flags_node is not None else "":
            flags |= _FLAGS.get(letter, 0)
        return re.compile(value.value, flags)

    def _allowed(self, node: Any) -> frozenset[str]:
        """The properties a closed shape allows: its property shapes' and those it ignores."""
        g = self.graph
        allowed: set[str] = set()
        for prop in g.objects(node, SH + "property"):
            path = g.one(prop, SH + "path")
            if isinstance(path, ox.NamedNode):
                allowed.add(path.value)
        for ignored in g.objects(node, SH + "ignoredProperties"):
            allowed.update(v.value for v in g.items(ignored))
        return frozenset(allowed)
