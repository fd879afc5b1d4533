"""Counts of evidence per place and per concept for a publication, safe to show about people.

The counts take in every evidence item of the knowledge base, published or not, because what a
funder wants to say ("we hold 40 stories from Gateshead, six of them public") is about all of
them; what an item not published individually contributes is a number, never a name. Rules:

* an item not published individually counts as about people (it may be a personal story or a
  grant to an individual), and so does a published story, testimony or vignette or any item
  with a speaker or about-role;
* a count about people of fewer than :data:`SMALL_COUNT` is shown as "fewer than 5", never as
  the number (zero included, so a blank tells nothing either);
* an item about people is counted at the place it names coarsened to a local authority or wider
  (:data:`~hlsgraph.vocabulary.gss.LOCAL_AUTHORITY_LEVEL`): the nearest place, following
  ``hls:within``, that is published and whose GSS code (or kind) says it is that coarse; with
  none it counts under "place not published";
* only published places and the ontology's concepts are named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import HLS, HLSC
from ..vocabulary.gss import AREA_KINDS, LOCAL_AUTHORITY_LEVEL, area_kind
from .export import _NOT_EXPORTED, ACCESS_LEVEL, ONTOLOGY_GRAPH
from .release import RDF_TYPE, RDFS, Release

SMALL_COUNT = 5
"""Counts about people below this are not shown."""
FEWER = f"fewer than {SMALL_COUNT}"
UNPLACED = "place not published"

PLACE = ox.NamedNode(HLS + "place")
WITHIN = ox.NamedNode(HLS + "within")
GSS_CODE = ox.NamedNode(HLS + "gssCode")
PLACE_KIND = ox.NamedNode(HLS + "placeKind")
ILLUSTRATES = ox.NamedNode(HLS + "illustrates")
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
SUBPROPERTY = ox.NamedNode(RDFS + "subPropertyOf")
_ABOUT_PEOPLE_PROPERTIES = (ox.NamedNode(HLS + "aboutRole"), ox.NamedNode(HLS + "speakerRole"))
_ABOUT_PEOPLE_CLASSES = tuple(
    ox.NamedNode(HLS + c) for c in ("Story", "Testimony", "Vignette", "GrantToIndividual")
)
COUNTED_CLASSES = tuple(ox.NamedNode(HLS + c) for c in ("EvidenceItem", "FundingArrangement", "Grant"))
"""Items of these classes (and their subclasses) are counted."""

# The coarse kinds a place without a GSS code may still be placed by (a nation or region is
# coarse whatever code it lacks); finer kinds (city, district, neighbourhood) tell nothing sure.
_KIND_LEVELS = {HLSC + "nation": 1, HLSC + "region": 2, HLSC + "county": 3}
_KIND_LEVELS.update({kind.iri: kind.level for kind in AREA_KINDS.values() if kind.level <= 3})

COLUMNS = ("published about people", "published other", "not published individually")


@dataclass
class Aggregates:
    """The two tables (as lists of rows) and what they were built from."""

    places: list[dict]
    concepts: list[dict]
    counted: int  # evidence items counted

    def frames(self):
        """The tables as DataFrames (``place``/``concept``, ``label``, then :data:`COLUMNS`)."""
        import pandas as pd

        return (
            pd.DataFrame(self.places, columns=["place", "label", "area", *COLUMNS]),
            pd.DataFrame(self.concepts, columns=["concept", "label", *COLUMNS]),
        )


def shown(count: int, *, about_people: bool) -> str:
    """A count as the pages show it.

    >>> shown(3, about_people=True), shown(12, about_people=True), shown(3, about_people=False)
    ('fewer than 5', '12', '3')
    """
    if about_people and count < SMALL_COUNT:
        return FEWER
    return str(count)


def _closure(pairs: list[tuple], roots: tuple) -> set:
    """The roots and everything below them through ``pairs`` (child, parent)."""
    children = defaultdict(set)
    for child, parent in pairs:
        children[parent].add(child)
    found, todo = set(roots), list(roots)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class _Places:
    """Places' levels and parents, to coarsen a place to a local authority or wider."""

    def __init__(self, quads: list[ox.Quad], release: Release):
        self.release = release
        self.parents: dict = defaultdict(list)
        self.levels: dict = {}
        for quad in quads:
            if quad.predicate == WITHIN:
                self.parents[quad.subject].append(quad.object)
            elif quad.predicate == GSS_CODE and isinstance(quad.object, ox.Literal):
                kind = area_kind(quad.object.value)
                if kind is not None:
                    self.levels[quad.subject] = kind.level
            elif quad.predicate == PLACE_KIND and quad.subject not in self.levels:
                level = _KIND_LEVELS.get(quad.object.value) if isinstance(quad.object, ox.NamedNode) else None
                if level is not None:
                    self.levels.setdefault(quad.subject, level)
        self._coarse: dict = {}

    def published(self, place) -> bool:
        return place in self.release.released

    def coarse(self, place):
        """The nearest published place at local-authority level or wider, or None."""
        if place not in self._coarse:
            self._coarse[place] = self._search(place)
        return self._coarse[place]

    def _search(self, place):
        seen, frontier = {place}, [place]
        while frontier:
            hits = [
                p
                for p in frontier
                if self.published(p)
                and self.levels.get(p, LOCAL_AUTHORITY_LEVEL + 1) <= LOCAL_AUTHORITY_LEVEL
            ]
            if hits:
                return min(hits, key=lambda p: (-self.levels[p], p.value))  # the finest allowed
            nxt = []
            for p in frontier:
                for parent in self.parents.get(p, ()):
                    if parent not in seen:
                        seen.add(parent)
                        nxt.append(parent)
            frontier = nxt
        return None


def _items(quads: list[ox.Quad], counted_classes: set, marked: set) -> dict:
    """Every counted item: its classes, places, concepts and whether it is about people."""
    items: dict = defaultdict(lambda: {"places": set(), "concepts": set(), "people": False, "counted": False})
    for quad in quads:
        s, p, o = quad.subject, quad.predicate, quad.object
        if p == RDF_TYPE:
            if o in counted_classes:
                items[s]["counted"] = True
            if o in _ABOUT_PEOPLE_CLASSES:
                items[s]["people"] = True
        elif p == PLACE:
            items[s]["places"].add(o)
        elif p == ILLUSTRATES:
            items[s]["concepts"].add(o)
        elif p in _ABOUT_PEOPLE_PROPERTIES:
            items[s]["people"] = True
    return {s: facts for s, facts in items.items() if facts["counted"] and s in marked}


def aggregate(quads: list[ox.Quad], release: Release) -> Aggregates:
    """Count every evidence item of a knowledge base (``quads``: all of them, any level) per
    place and per concept, by the rules of this module.

    Examples
    --------
    >>> import hlsgraph
    >>> from hlsgraph.publishing.release import build_release
    >>> release, quads = build_release(hlsgraph.open())
    >>> tables = aggregate(quads, release)
    >>> tables.counted > 0 and all(set(row) >= {"label", *COLUMNS} for row in tables.places)
    True
    """
    ontology = [q for q in quads if q.graph_name == ONTOLOGY_GRAPH]
    subclasses = [(q.subject, q.object) for q in ontology if q.predicate == SUBCLASS]
    counted_classes = _closure(subclasses, COUNTED_CLASSES)
    # Entailments are left out: an item counts where the data says it is, not where a rule put it.
    asserted = [q for q in quads if q.graph_name != ONTOLOGY_GRAPH and q.graph_name not in _NOT_EXPORTED]
    items = _items(asserted, counted_classes, {q.subject for q in quads if q.predicate == ACCESS_LEVEL})
    places = _Places(asserted, release)
    concepts = (
        {
            q.subject
            for q in ontology
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(HLSC)
        }
        if ontology
        else set()
    )

    by_place: dict = defaultdict(lambda: [0, 0, 0])
    by_concept: dict = defaultdict(lambda: [0, 0, 0])
    for item, facts in items.items():
        published = item in release.released
        column = (0 if facts["people"] else 1) if published else 2
        careful = facts["people"] or not published
        spots = set()
        for place in facts["places"]:
            if not careful and places.published(place):
                spots.add(place)
            else:
                spots.add(places.coarse(place))
        for spot in spots:
            by_place[spot][column] += 1
        for concept in facts["concepts"]:
            if concept in concepts:
                by_concept[concept][column] += 1

    def cells(counts):
        people, other, unpublished = counts
        return {
            COLUMNS[0]: shown(people, about_people=True),
            COLUMNS[1]: shown(other, about_people=False),
            COLUMNS[2]: shown(unpublished, about_people=True),
        }

    place_rows = []
    for place, counts in by_place.items():
        level = places.levels.get(place) if place is not None else None
        place_rows.append(
            {
                "place": place.value if place is not None else None,
                "label": (release.label(place) or place.value) if place is not None else UNPLACED,
                "area": _area_text(level),
                **cells(counts),
                "_order": (place is None, level if level is not None else 9, release.label(place) or ""),
            }
        )
    place_rows.sort(key=lambda row: row.pop("_order"))
    concept_rows = [
        {"concept": concept.value, "label": release.label(concept) or concept.value, **cells(counts)}
        for concept, counts in by_concept.items()
    ]
    concept_rows.sort(key=lambda row: row["label"].casefold())
    return Aggregates(place_rows, concept_rows, len(items))


_LEVEL_NAMES = {
    0: "United Kingdom",
    1: "nation",
    2: "region",
    3: "county",
    4: "local authority",
}


def _area_text(level: int | None) -> str:
    if level is None:
        return ""
    return _LEVEL_NAMES.get(level, "finer than a local authority")


__all__ = ["Aggregates", "COLUMNS", "COUNTED_CLASSES", "FEWER", "SMALL_COUNT", "aggregate", "shown"]
