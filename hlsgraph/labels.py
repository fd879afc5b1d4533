"""Resolve what people type to resources: an IRI, a prefixed name, or a label such as
"Strengths" or "Plymouth" that names exactly one resource of the expected kind.

A :class:`LabelIndex` is built once from a knowledge base (labels, types and the class
hierarchy) into plain dictionaries, so that resolving many values (a spreadsheet's cells, an
inquiry's parameters) costs a dictionary look-up each.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .errors import AmbiguousLabelError, ArgumentTypeError, UnknownLabelError, nearest
from .namespaces import PREFIXES
from .resources import sparql
from .store.terms import compact, parse_iri

RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_PREF = PREFIXES["skos"] + "prefLabel"
SKOS_ALT = PREFIXES["skos"] + "altLabel"
DCT_TITLE = PREFIXES["dcterms"] + "title"
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
RDFS_CLASS = PREFIXES["rdfs"] + "Class"
OWL_CLASS = PREFIXES["owl"] + "Class"

LABEL_PROPERTIES = (SKOS_PREF, RDFS_LABEL, DCT_TITLE, SKOS_ALT)
"""Properties read as labels, in order of preference for display."""

_RANK = {p: i for i, p in enumerate(LABEL_PROPERTIES)}

# The label index reads three queries: labels, types and the class hierarchy.
_QUERIES = ("labels/labels.rq", "labels/types.rq", "labels/subclasses.rq")


_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def normalise(label: str) -> str:
    """The form labels are compared in: Unicode-normalised, typographic quotes and dashes made
    plain, case-folded, whitespace collapsed.

    >>> normalise("  Jacob’s   STORY ")
    "jacob's story"
    """
    text = unicodedata.normalize("NFKC", str(label)).translate(_QUOTES)
    return " ".join(text.split()).casefold()


class LabelIndex:
    """Labels, types and class hierarchy of a knowledge base, indexed for resolving values.

    Build it with :meth:`from_kb`, :meth:`from_store` or directly from rows:

    >>> index = LabelIndex(
    ...     labels=[("https://w3id.org/hls/id/place-plymouth", RDFS_LABEL, "Plymouth")],
    ...     types=[("https://w3id.org/hls/id/place-plymouth", "https://w3id.org/hls/Place")],
    ... )
    >>> index.resolve("plymouth", kind="https://w3id.org/hls/Place")
    <NamedNode value=https://w3id.org/hls/id/place-plymouth>
    """

    def __init__(
        self,
        labels: Iterable[tuple[str, str, str]],
        types: Iterable[tuple[str, str]] = (),
        subclasses: Iterable[tuple[str, str]] = (),
    ):
        self._by_label: dict[str, set[str]] = defaultdict(set)
        self._display: dict[str, tuple[int, str]] = {}
        for iri, prop, label in labels:
            iri, label = str(iri), str(label)
            key = normalise(label)
            if not key:
                continue
            self._by_label[key].add(iri)
            rank = (_RANK.get(str(prop), len(_RANK)), label)
            if iri not in self._display or rank < self._display[iri]:
                self._display[iri] = rank
        self._types: dict[str, set[str]] = defaultdict(set)
        for iri, cls in types:
            self._types[str(iri)].add(str(cls))
        self._supers: dict[str, set[str]] = defaultdict(set)
        for sub, sup in subclasses:
            self._supers[str(sub)].add(str(sup))
        # owl:Class is an rdfs:Class, so "class" parameters find OWL classes by their labels.
        self._supers[OWL_CLASS].add(RDFS_CLASS)
        self._closure: dict[str, frozenset[str]] = {}
        self._members: dict[str | None, frozenset[str]] = {}

    # ------------------------------------------------------------------ building

    @classmethod
    def from_store(cls, store: ox.Store) -> LabelIndex:
        """Index a pyoxigraph store (its default graph being the union of its graphs, or every
        named graph read through ``GRAPH``-free queries when the store was opened that way)."""

        def rows(query: str) -> list[Any]:
            result = store.query(query, use_default_graph_as_union=True)
            assert isinstance(result, ox.QuerySolutions)  # the label queries are SELECTs
            return [tuple(_text(term) for term in solution) for solution in result]

        labels, types, subclasses = (rows(sparql(name)) for name in _QUERIES)
        return cls(labels, types, subclasses)

    @classmethod
    def from_kb(cls, kb: Any) -> LabelIndex:
        """Index a :class:`hlsgraph.KnowledgeBase` through ``kb.select(..., compact=False)``
        (so it works the same on an embedded store and on a remote endpoint)."""

        def rows(query: str) -> list[Any]:
            frame = kb.select(query, compact=False)
            return [tuple(str(v) for v in row) for row in frame.itertuples(index=False, name=None)]

        labels, types, subclasses = (rows(sparql(name)) for name in _QUERIES)
        return cls(labels, types, subclasses)

    # ------------------------------------------------------------------ kinds

    def superclasses(self, cls_iri: str) -> frozenset[str]:
        """``cls_iri`` and every class above it (rdfs:subClassOf*), cycles tolerated."""
        cached = self._closure.get(cls_iri)
        if cached is not None:
            return cached
        seen = {cls_iri}
        stack = [cls_iri]
        while stack:
            for sup in self._supers.get(stack.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    stack.append(sup)
        result = frozenset(seen)
        self._closure[cls_iri] = result
        return result

    def members(self, kind: str | None) -> frozenset[str]:
        """IRIs of the labelled resources of class ``kind`` or a subclass (all labelled
        resources when ``kind`` is ``None``)."""
        kind = None if kind is None else str(kind)
        cached = self._members.get(kind)
        if cached is not None:
            return cached
        if kind is None:
            result = frozenset(self._display)
        else:
            result = frozenset(
                iri
                for iri in self._display
                if any(kind in self.superclasses(t) for t in self._types.get(iri, ()))
            )
        self._members[kind] = result
        return result

    def types_of(self, iri: str) -> set[str]:
        """The asserted types of a resource."""
        return set(self._types.get(str(iri), ()))

    def label_of(self, iri: str) -> str | None:
        """The preferred label of a resource (skos:prefLabel, rdfs:label, dcterms:title,
        skos:altLabel in that order), or ``None``."""
        found = self._display.get(str(iri))
        return found[1] if found else None

    def candidates(self, kind: str | None = None) -> list[tuple[str, str]]:
        """``(iri, label)`` for every labelled resource of ``kind``, sorted by label: what a
        dropdown offers.

        >>> LabelIndex([("http://x/b", RDFS_LABEL, "B"), ("http://x/a", RDFS_LABEL, "a")]).candidates()
        [('http://x/a', 'a'), ('http://x/b', 'B')]
        """
        return sorted(
            ((iri, self._display[iri][1]) for iri in self.members(kind)),
            key=lambda pair: (normalise(pair[1]), pair[0]),
        )

    # ------------------------------------------------------------------ resolving

    def resolve(self, value: Any, kind: str | None = None) -> ox.NamedNode:
        """The resource ``value`` names.

        ``value`` is an IRI (``<...>`` or bare ``http(s)://``), a prefixed name (any prefix of
        :data:`hlsgraph.namespaces.PREFIXES`) or a label; labels compare case-insensitively with
        whitespace collapsed, and must name exactly one resource of class ``kind`` (or one of its
        subclasses). IRIs and prefixed names are taken as given.

        Raises :class:`UnknownLabelError` (with the nearest labels) when nothing matches and
        :class:`AmbiguousLabelError` (with every candidate and its IRI) when more than one does.

        >>> index = LabelIndex([("http://x/a", RDFS_LABEL, "Trust"), ("http://x/b", SKOS_ALT, "trust")])
        >>> index.resolve("hlsc:trust")
        <NamedNode value=https://w3id.org/hls/concept/trust>
        >>> index.resolve("TRUST")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        hlsgraph.errors.AmbiguousLabelError: 'TRUST' names 2 resources: 'Trust' <http://x/a>, ...
        """
        if isinstance(value, ox.NamedNode):
            return value
        if not isinstance(value, str):
            raise ArgumentTypeError(
                f"expected an IRI, a prefixed name or a label, not {type(value).__name__}"
            )
        iri = parse_iri(value)
        if iri is not None:
            return iri
        key = normalise(value)
        found = self._by_label.get(key, set())
        kind = None if kind is None else str(kind)
        matches = sorted(found & self.members(kind)) if kind is not None else sorted(found)
        if len(matches) == 1:
            return ox.NamedNode(matches[0])
        if len(matches) > 1:
            listed = ", ".join(f"{self.label_of(m)!r} {compact(m)}" for m in matches)
            raise AmbiguousLabelError(
                f"{value!r} names {len(matches)} resources: {listed}; give the IRI or prefixed "
                "name of the one you mean"
            )
        raise UnknownLabelError(self._unknown_message(value, key, found, kind))

    def _unknown_message(self, value: str, key: str, found: set[str], kind: str | None) -> str:
        what = f"no {compact(kind)}" if kind else "nothing"
        message = f"{what} labelled {value!r}"
        if found:
            others = ", ".join(
                f"{compact(m)} ({', '.join(sorted(compact(t) for t in self._types.get(m, ()))) or 'untyped'})"
                for m in sorted(found)
            )
            message += f"; that label names {others}"
        pool: dict[str, str] = {}
        members = self.members(kind)
        for label_key, iris in self._by_label.items():
            for iri in iris:
                if iri in members:
                    pool.setdefault(label_key, iri)
        close = nearest(key, pool, n=5)
        if close:
            message += "; nearest: " + ", ".join(
                f"{self.label_of(pool[c])!r} {compact(pool[c])}" for c in close
            )
        return message

    def __len__(self) -> int:
        """The number of labelled resources."""
        return len(self._display)


def _text(term: Any) -> str:
    """A pyoxigraph term's lexical form (IRI string or literal value)."""
    return "" if term is None else term.value
