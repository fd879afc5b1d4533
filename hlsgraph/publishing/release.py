"""What a publication holds: the allowlist's selection of a knowledge base (see
:mod:`hlsgraph.publishing.export`), the descriptions of the vocabulary terms it names, and where
each imported item comes from, told without the imported file's name.

Everything the site, the dumps, the dataset description and the endpoint show is built from a
:class:`Release` and nothing else, so a rule that holds for it holds for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import HLS, HLSC
from .export import ACCESS_LEVEL, ONTOLOGY_GRAPH, _levels, _quads, _select, term_allowed

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = ox.NamedNode(RDF + "type")
DERIVED_FROM = ox.NamedNode(PROV + "wasDerivedFrom")
ROW_NUMBER = ox.NamedNode(HLS + "rowNumber")
IMPORT_ACTIVITY = ox.NamedNode(HLS + "importActivity")
STARTED = ox.NamedNode(PROV + "startedAtTime")
IMPORT_ROW = ox.NamedNode(HLS + "ImportRow")
GRANT_TO_INDIVIDUAL = ox.NamedNode(HLS + "GrantToIndividual")

LABELS = tuple(
    ox.NamedNode(iri)
    for iri in (
        SKOS + "prefLabel",
        RDFS + "label",
        DCT + "title",
        "https://schema.org/name",
        "http://xmlns.com/foaf/0.1/name",
    )
)
"""Where a resource's name is found, best first."""

# What a vocabulary term's page shows of its description in the ontology.
_VOCABULARY_PREDICATES = frozenset(
    ox.NamedNode(iri)
    for iri in (
        RDF + "type",
        RDFS + "label",
        SKOS + "prefLabel",
        SKOS + "altLabel",
        SKOS + "definition",
        SKOS + "broader",
        SKOS + "inScheme",
        SKOS + "topConceptOf",
        DCT + "source",
    )
)
_CONCEPT_LINKS = (ox.NamedNode(SKOS + "broader"), ox.NamedNode(SKOS + "inScheme"))


@dataclass
class Release:
    """The published dataset: its triples, the resources that get pages, and their labels."""

    triples: list[ox.Triple]
    released: frozenset
    withheld: frozenset
    vocabulary: frozenset  # concept IRIs described from the ontology
    by_subject: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)  # term -> its label, for page text
    imports: int = 0  # how many spreadsheet imports published items come from

    @property
    def resources(self) -> list[ox.NamedNode]:
        """The IRIs that get a page of their own, sorted."""
        return sorted(
            (s for s in self.by_subject if isinstance(s, ox.NamedNode)),
            key=lambda n: n.value,
        )

    def allowed(self, term) -> bool:
        """Whether a term may appear in the published output."""
        return term_allowed(term, self.released | self.vocabulary, self.withheld)

    def label(self, term) -> str | None:
        """The label of a term known to the publication (or to the ontology), else None."""
        return self.labels.get(term)


def _best_label(values: list[ox.Literal]) -> str:
    """An English (or untagged) label before any other language."""
    ranked = sorted(values, key=lambda lit: (lit.language not in (None, "en"), lit.value))
    return ranked[0].value


def _label_index(triples: Iterable) -> dict:
    found: dict = {}
    rank = {p: i for i, p in enumerate(LABELS)}
    for triple in triples:
        order = rank.get(triple.predicate)
        if order is None or not isinstance(triple.object, ox.Literal):
            continue
        found.setdefault(triple.subject, {}).setdefault(order, []).append(triple.object)
    return {s: _best_label(by_rank[min(by_rank)]) for s, by_rank in found.items()}


def _import_provenance(quads: list[ox.Quad], released: frozenset) -> tuple[list[ox.Triple], int]:
    """For each released item derived from an import row: the row's number and the import's
    sequence number and date, as blank nodes (the row and import IRIs carry the file's name)."""
    rows: dict = {}
    activity_of: dict = {}
    started: dict = {}
    derived: list = []
    for quad in quads:
        p = quad.predicate
        if p == ROW_NUMBER:
            rows[quad.subject] = quad.object
        elif p == IMPORT_ACTIVITY:
            activity_of[quad.subject] = quad.object
        elif p == STARTED:
            started[quad.subject] = quad.object.value if isinstance(quad.object, ox.Literal) else ""
        elif p == DERIVED_FROM and quad.subject in released:
            derived.append((quad.subject, quad.object))
    derived = [(item, row) for item, row in derived if row in rows and row in activity_of]
    activities = sorted({activity_of[row] for _, row in derived}, key=lambda a: (started.get(a, ""), a.value))
    numbers = {activity: i + 1 for i, activity in enumerate(activities)}
    nodes = {activity: ox.BlankNode(f"import{numbers[activity]}") for activity in activities}
    triples: list[ox.Triple] = []
    labels: dict = {}
    for activity, node in nodes.items():
        triples.append(ox.Triple(node, RDF_TYPE, ox.NamedNode(HLS + "ImportActivity")))
        label = f"spreadsheet import {numbers[activity]}"
        day = started.get(activity, "")[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            label += f" ({day})"
            triples.append(ox.Triple(node, STARTED, ox.Literal(day, datatype=ox.NamedNode(XSD + "date"))))
        triples.append(ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(label, language="en")))
        labels[node] = label
    for count, (item, row) in enumerate(
        sorted(set(derived), key=lambda pair: (pair[0].value, str(rows[pair[1]])))
    ):
        node = ox.BlankNode(f"row{count}")
        number = rows[row]
        triples += [
            ox.Triple(item, DERIVED_FROM, node),
            ox.Triple(node, RDF_TYPE, IMPORT_ROW),
            ox.Triple(node, ROW_NUMBER, number),
            ox.Triple(node, IMPORT_ACTIVITY, nodes[activity_of[row]]),
            ox.Triple(
                node,
                ox.NamedNode(RDFS + "label"),
                ox.Literal(f"row {number.value} of {labels[nodes[activity_of[row]]]}", language="en"),
            ),
        ]
    return triples, len(activities)


def _vocabulary(
    ontology: list[ox.Quad], used: set, released: frozenset, withheld: frozenset
) -> tuple[list[ox.Triple], frozenset]:
    """The descriptions of the concepts (``hlsc:``) the released data names, with their broader
    concepts and schemes, from the ontology graph only."""
    by_subject: dict = {}
    for quad in ontology:
        by_subject.setdefault(quad.subject, []).append(quad)
    wanted = [t for t in used if isinstance(t, ox.NamedNode) and t.value.startswith(HLSC) and t in by_subject]
    chosen: set = set()
    while wanted:
        term = wanted.pop()
        if term in chosen:
            continue
        chosen.add(term)
        for quad in by_subject[term]:
            if quad.predicate in _CONCEPT_LINKS and quad.object in by_subject:
                wanted.append(quad.object)
    vocabulary = frozenset(chosen)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for term in chosen
        for q in by_subject[term]
        if q.predicate in _VOCABULARY_PREDICATES
        and term_allowed(q.object, released | vocabulary, withheld)
        and not isinstance(q.object, ox.BlankNode)
    ]
    return triples, vocabulary


def _order(triple: ox.Triple) -> str:
    """A sort key that does not depend on blank-node labels (random in each store)."""
    text = str(triple)
    if "_:" not in text:
        return text
    return " ".join(
        "_:" if isinstance(t, ox.BlankNode) else str(t)
        for t in (triple.subject, triple.predicate, triple.object)
    )


def _stable_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with their blank nodes relabelled ``b0``, ``b1``, ... in order of first
    appearance, so that publishing the same data twice writes the same bytes (and checksums)."""
    labels: dict = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            if term not in labels:
                labels[term] = ox.BlankNode(f"b{len(labels)}")
            return labels[term]
        return term

    return [
        t
        if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
        else ox.Triple(stable(t.subject), t.predicate, stable(t.object))
        for t in triples
    ]


def build_release(kb, levels: Iterable[str] = ("public",)) -> tuple[Release, list[ox.Quad]]:
    """The release of ``kb`` at the access levels ``levels``, and every quad of ``kb`` (for the
    aggregates, which count what is not published without naming it).

    Examples
    --------
    >>> import hlsgraph
    >>> release, _ = build_release(hlsgraph.open())
    >>> ox.NamedNode("https://w3id.org/hls/id/story-jacob") in release.by_subject
    True
    """
    quads = list(_quads(kb))
    # A grant to an individual is never published, whatever level it was given: it counts as
    # restricted here even if someone marked it public.
    never = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == GRANT_TO_INDIVIDUAL}
    marks = [ox.Quad(s, ACCESS_LEVEL, ox.NamedNode(HLS + "restricted"), ox.DefaultGraph()) for s in never]
    selection = _select(quads + marks, _levels(tuple(levels)), False)
    data = {ox.Triple(q.subject, q.predicate, q.object) for q in selection.quads}
    ontology = [q for q in quads if q.graph_name == ONTOLOGY_GRAPH]
    used = {t.object for t in data} | {t.predicate for t in data}
    vocabulary_triples, vocabulary = _vocabulary(ontology, used, selection.released, selection.withheld)
    provenance, imports = _import_provenance(quads, selection.released)
    triples = _stable_blank_nodes(sorted(data | set(vocabulary_triples), key=_order)) + provenance
    release = Release(triples, selection.released, selection.withheld, vocabulary, imports=imports)
    for triple in triples:
        release.by_subject.setdefault(triple.subject, []).append(triple)
    # Labels: the publication's own, then the ontology's for classes and properties (shown as
    # words on the pages, linked to their IRIs, not published as triples).
    release.labels = _label_index(ox.Triple(q.subject, q.predicate, q.object) for q in ontology)
    release.labels.update(_label_index(triples))
    return release, quads


__all__ = ["LABELS", "Release", "build_release"]
