"""What a row's reference cells may name: resources of the knowledge base (by IRI, prefixed name,
id or label, through its label index) and items of the same file (a place within a place of the
sheet, an organisation member of another). A reference that names nothing, or the wrong kind of
thing, is a :class:`~.batch.CellProblem` with the nearest labels."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..errors import AmbiguousLabelError, UnknownLabelError, nearest
from ..namespaces import HLS, HLSD, PREFIXES
from ..store.terms import compact, parse_iri
from .batch import CellProblem
from .templates import Column
from .values import loose_text, normal_choice, slugify

SKOS_CONCEPT = PREFIXES["skos"] + "Concept"

# The class a reference column's value must be an instance of.
_REFERENCE_CLASS = {
    "place": HLS + "Place",
    "organisation": HLS + "Organisation",
    "measure": HLS + "Measure",
    "evidence": HLS + "EvidenceItem",
    "concept": SKOS_CONCEPT,
}
# Which IRI prefixes an id typed into a reference column may stand for (hlsd:<prefix>-<id>).
_REFERENCE_PREFIXES = {
    "place": ("place",),
    "organisation": ("org",),
    "measure": ("measure",),
    "evidence": ("story", "obs", "measure", "reflection", "assessment", "case"),
    "concept": (),
}


def select_rows(kb: Any, query: str, **terms) -> list[tuple[str, ...]]:
    """A SELECT's rows as tuples of strings (``""`` for unbound), IRIs in full; ``terms`` are
    bound to the query's variables of those names."""
    import pandas as pd

    frame = kb.select(query, compact=False, **terms)
    return [
        tuple("" if pd.isna(v) else str(v) for v in row) for row in frame.itertuples(index=False, name=None)
    ]


@dataclass
class LocalItems:
    """The items a file of places or organisations defines, which its own rows may name."""

    cls: str | None = None
    """Their class (``None``: the file's rows cannot name each other)."""
    iris: set[str] = field(default_factory=set)
    keys: dict[str, str | None] = field(default_factory=dict)
    """Normalised id or name -> IRI (names given to two items are left out; ``None`` for a row
    whose id gives no IRI)."""


class References:
    """Resolves reference cells against the knowledge base ``kb`` and the file's own items."""

    def __init__(self, kb: Any, local: LocalItems | None = None):
        self.kb = kb
        self.local = local or LocalItems()
        self._index = None
        self._labels_by_class: dict[str, list[str]] = {}
        self._loose_cache: dict[str, dict[str, set[str]]] = {}

    # ------------------------------------------------------------------ the knowledge base

    @property
    def index(self):
        """The knowledge base's label index (kept by the knowledge base until its next write;
        a bare store-like object without one gets its own)."""
        if self._index is None:
            from ..labels import LabelIndex

            cached = getattr(self.kb, "labels", None)
            self._index = cached() if callable(cached) else LabelIndex.from_kb(self.kb)
        return self._index

    def superclasses(self, cls: str) -> frozenset[str]:
        return self.index.superclasses(cls)

    def types_of(self, iri: str) -> set[str]:
        return self.index.types_of(iri)

    def label_of(self, iri: str) -> str | None:
        return self.index.label_of(iri)

    def is_a(self, iri: str, cls: str) -> bool:
        return any(cls in self.superclasses(t) for t in self.types_of(iri))

    def known(self, iri: str) -> bool:
        return bool(self.types_of(iri)) or self.index.label_of(iri) is not None

    # ------------------------------------------------------------------ resolving

    def resolve(self, col: Column, text: str) -> str:
        """The IRI the reference cell ``text`` of column ``col`` names."""
        cls = col.concept_class or _REFERENCE_CLASS[col.type]
        if not text.isascii():
            _visible(text, self._noun(cls))
        iri_node = parse_iri(text)
        if iri_node is not None:
            return self._given_iri(iri_node.value, cls)
        local = self.local.keys.get(normal_choice(text)) if self.local.cls == cls else None
        if local is not None:
            return local
        slug = slugify(text)
        for prefix in _REFERENCE_PREFIXES.get(col.type, ()):
            candidate = f"{HLSD}{prefix}-{slug}"
            if candidate in self.local.iris and self.local.cls == cls:
                return candidate
            if slug and self.is_a(candidate, cls):
                return candidate
        return self._by_label(text, cls)

    def _noun(self, cls: str) -> str:
        label = self.index.label_of(cls)
        return label or cls.rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()

    def _given_iri(self, iri: str, cls: str) -> str:
        if iri in self.local.iris:
            return iri
        if not self.known(iri):
            raise CellProblem(
                f"a {self._noun(cls)} in the knowledge base; nothing is known about {compact(iri)}"
            )
        if not self.is_a(iri, cls):
            types = ", ".join(sorted(compact(t) for t in self.types_of(iri))) or "untyped"
            raise CellProblem(f"a {self._noun(cls)}; {compact(iri)} is a {types}")
        return iri

    def _by_label(self, text: str, cls: str) -> str:
        noun = self._noun(cls)
        try:
            return self.index.resolve(text, kind=cls).value
        except AmbiguousLabelError as err:
            raise CellProblem(f"a label naming one {noun}: {err}") from None
        except UnknownLabelError:
            loose = self._loose_labels(cls).get(loose_text(text), set())
            if len(loose) == 1:
                return next(iter(loose))
            raise CellProblem(
                f"a {noun} label or IRI: no {noun} is labelled {text!r}{self._hint(text, cls)}"
            ) from None

    def _hint(self, text: str, cls: str) -> str:
        labels = self._labels_of(cls)
        close = nearest(text, labels, n=3)
        if not close:
            close = nearest(text.casefold(), [lab.casefold() for lab in labels], n=3)
            close = [lab for lab in labels if lab.casefold() in close][:3]
        if close:
            return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        return f"; see LabelIndex.candidates({compact(cls)}) for the {len(labels)} known"

    def _loose_labels(self, cls: str) -> dict[str, set[str]]:
        """Labels of ``cls`` without punctuation ("Start upstream" for "Start 'upstream'")."""
        cache = self._loose_cache
        if cls not in cache:
            table: dict[str, set[str]] = defaultdict(set)
            for iri, label in self.index.candidates(cls):
                table[loose_text(label)].add(iri)
            cache[cls] = table
        return cache[cls]

    def _labels_of(self, cls: str) -> list[str]:
        if cls not in self._labels_by_class:
            self._labels_by_class[cls] = [label for _, label in self.index.candidates(cls)]
        return self._labels_by_class[cls]


def _visible(text: str, noun: str) -> None:
    """Refuse a reference holding an invisible character (a zero-width space, a soft hyphen, a
    joiner...): it would match by its slug in one column and not by its label in another, and
    nobody can see why. They come in with text pasted from web pages and PDFs."""
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "a format character")
            raise CellProblem(
                f"a {noun} label or IRI with no invisible characters: {text!r} holds U+{ord(char):04X} "
                f"{name} at character {position} (pasted in with the text?); delete it"
            )
