"""Checking a batch of items against compiled shapes, column by column: items of one set with
the same types are checked together, a property's counts in one pass over its column, and each
value-level result computed once per distinct value (or once per kind, datatype and classes, for
constraints that look at nothing else)."""

from __future__ import annotations

from typing import Any

from ..namespaces import PREFIXES
from ..store.terms import compact
from .compiled import Shape
from .constraints import PLACEHOLDER, WELL_FORMED, failure, show, well_formed
from .items import ItemSet, Lit, Term, Violation

RDF_TYPE = PREFIXES["rdf"] + "type"


class BatchCheck:
    """One check of one batch against a checker's shapes: caches the value-level results it
    computes, and the classes of the nodes it meets."""

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
        if shape.severity in wanted and (shape.has_values or shape.value_checks or shape.closed is not None):
            for index in indices:
                self._node(set_index, items, index, shape, results)
        for prop in shape.properties:
            if prop.path == "_:complex-path" or prop.severity not in wanted:
                continue
            column = items.props.get(prop.path) if prop.path is not None else None
            if column is None:
                cells: list = [None] * len(indices)
            elif len(indices) == len(column):
                cells = column
            else:
                cells = [column[i] for i in indices]
            # Whole-column passes first; the per-item report runs only where one failed.
            suspects = _miscounted(prop, cells)
            failing = self._failing(prop, cells) if prop.value_checks else {}
            if failing:
                suspects.update(_holding(cells, failing))
            if suspects:
                self._report(set_index, items, indices, cells, sorted(suspects), prop, failing, results)

    def _node(
        self, set_index: int, items: ItemSet, index: int, shape: Shape, results: list[Violation]
    ) -> None:
        """The shape's checks on the item itself: required identity, own constraints, closure."""
        subject = items.subjects[index]
        for wanted_value in shape.has_values:
            if wanted_value != subject:
                message = shape.message or f"only {show(wanted_value)} may have this shape"
                results.append(Violation(set_index, index, subject, None, subject, message, shape.name))
        if shape.value_checks:
            for message in self.failures(shape, subject):
                text = message.replace(PLACEHOLDER, subject)
                results.append(Violation(set_index, index, subject, None, subject, text, shape.name))
        if shape.closed is not None:
            for predicate in sorted(items.predicates(index) - shape.closed):
                message = shape.message or f"{compact(predicate)} is not allowed here"
                results.append(Violation(set_index, index, subject, predicate, None, message, shape.name))

    def _failing(self, prop: Shape, cells: list) -> dict[Term, tuple[str, ...]]:
        """The distinct values of ``cells`` that fail ``prop``'s value-level checks, with why."""
        distinct = set(cells)
        distinct.discard(None)
        several = [v for v in distinct if type(v) is tuple]
        if several:
            distinct.difference_update(several)
            for values in several:
                distinct.update(values)
        failing: dict[Term, tuple[str, ...]] = {}
        mode = self._mode(prop)
        if mode == "value":
            for value in distinct:
                messages = self.failures(prop, value)
                if messages:
                    failing[value] = messages
            return failing
        # The result depends only on a value's kind, datatype and classes (and of its lexical
        # form, only on whether it is well formed): work it out once per such group.
        by_group: dict[Any, tuple[str, ...]] = {}
        classes = self.classes if mode == "class" else None
        patterns = WELL_FORMED
        for value in distinct:
            group: tuple
            if type(value) is str:
                group = (value.startswith("_:"), classes(value) if classes else None)
            else:
                pattern = patterns.get(value[1])
                group = (value[1], value[2], pattern is None or pattern.fullmatch(value[0]) is not None)
            known = by_group.get(group)
            if known is None:
                known = by_group[group] = self.failures(prop, value)
            if known:
                failing[value] = known
        return failing

    def _report(self, set_index, items, indices, cells, suspects, prop, failing, results):
        """The violations of ``prop`` by the items at positions ``suspects`` of ``indices``."""
        for k in suspects:
            index = indices[k]
            value = cells[k]
            values = () if value is None else (value if type(value) is tuple else (value,))
            subject = items.subjects[index]
            for item, message in _property_messages(prop, values, failing):
                results.append(Violation(set_index, index, subject, prop.path, item, message, prop.name))

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
                mode = self._nested_mode(arg if isinstance(arg, list) else [arg], mode)
            else:
                mode = "value"
            if mode == "value":
                break
        self._modes[id(shape)] = mode
        return mode

    def _nested_mode(self, shapes: list[Shape], mode: str) -> str:
        """The sharing mode of a logical constraint over ``shapes``, starting from ``mode``."""
        for nested in shapes:
            if (
                nested.properties
                or nested.closed is not None
                or nested.min_count
                or nested.max_count is not None
            ):
                return "value"
            inner = self._mode(nested)
            if inner == "value":
                mode = "value"
            elif inner == "class" and mode == "kind":
                mode = "class"
        return mode

    def _signature(self, shape: Shape, value: Term) -> tuple:
        mode = self._mode(shape)
        if mode == "value":
            return (id(shape), value)
        if isinstance(value, Lit):
            # Of a literal's lexical form, these constraints see only whether it is well formed.
            return (id(shape), "L", value.datatype, value.lang, well_formed(value))
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
                message = failure(check, arg, value, self)
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


def _miscounted(prop: Shape, cells: list) -> set[int]:
    """Positions of ``cells`` that may break ``prop``'s counts or required values."""
    low, high, has_values = prop.min_count, prop.max_count, prop.has_values
    suspects: set[int] = set()
    if low or high is not None or has_values:
        for k, value in enumerate(cells):
            count = 0 if value is None else (len(value) if type(value) is tuple else 1)
            if (low and count < low) or (high is not None and count > high) or has_values:
                suspects.add(k)
    return suspects


def _property_messages(prop: Shape, values: tuple, failing: dict) -> list[tuple[Term | None, str]]:
    """(the offending value or ``None``, message) for each way ``values`` break ``prop``."""
    low, high, name = prop.min_count, prop.max_count, prop.label
    count = len(values)
    found: list[tuple[Term | None, str]] = []
    if low and count < low:
        found.append(
            (
                None,
                prop.message
                or f"{name}: at least {low} value{'s' if low > 1 else ''} expected, found {count}",
            )
        )
    if high is not None and count > high:
        found.append(
            (
                None,
                prop.message
                or f"{name}: at most {high} value{'s' if high > 1 else ''} expected, found {count}",
            )
        )
    for wanted_value in prop.has_values:
        if wanted_value not in values:
            found.append((None, prop.message or f"{name}: the value {show(wanted_value)} expected"))
    for item in values:
        for message in failing.get(item, ()):
            found.append((item, (prop.message or f"{name}: {message}").replace(PLACEHOLDER, show(item))))
    return found


def _holding(cells: list, failing: dict) -> set[int]:
    """Positions of ``cells`` holding a failing value."""
    found = set()
    for k, value in enumerate(cells):
        if value is None:
            continue
        if type(value) is tuple:
            if any(v in failing for v in value):
                found.add(k)
        elif value in failing:
            found.add(k)
    return found
