"""Checks of the HLS ontology itself: quality checks as SPARQL queries in the spirit of ROBOT's
``report`` queries and the OOPS! pitfall catalogue, and an OWL 2 DL consistency check with the
HermiT reasoner through owlready2 (which needs Java). The test suite requires both to find nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

from ..namespaces import HLS, HLSC, sparql_prologue

_NAMESPACES_FILTER = f'(STRSTARTS(STR(?term), "{HLS}") || STRSTARTS(STR(?term), "{HLSC}"))'

# Things in our namespaces that are declared: anything with an rdf:type, except the ontology
# header itself (checked by `ontology_metadata`).
_DECLARED = f"""
    ?term a ?kind .
    FILTER {_NAMESPACES_FILTER}
    FILTER NOT EXISTS {{ ?term a owl:Ontology }}
"""

CHECKS: dict[str, tuple[str, str]] = {
    "missing_label": (
        "A declared hls:/hlsc: term has neither rdfs:label nor skos:prefLabel (ROBOT missing_label).",
        f"""SELECT DISTINCT ?term ("no rdfs:label or skos:prefLabel" AS ?detail) WHERE {{
            {_DECLARED}
            FILTER NOT EXISTS {{ ?term rdfs:label|skos:prefLabel ?label }}
        }}""",
    ),
    "missing_definition": (
        "A declared term has no skos:definition (ROBOT missing_definition; OOPS! P08).",
        f"""SELECT DISTINCT ?term ("no skos:definition" AS ?detail) WHERE {{
            {_DECLARED}
            FILTER NOT EXISTS {{ ?term skos:definition ?definition }}
        }}""",
    ),
    "missing_source": (
        "A declared term does not say which source document and section it comes from.",
        f"""SELECT DISTINCT ?term ("no dcterms:source" AS ?detail) WHERE {{
            {_DECLARED}
            FILTER NOT EXISTS {{ ?term dcterms:source ?source }}
        }}""",
    ),
    "multiple_labels": (
        "A term has more than one rdfs:label or skos:prefLabel in one language (ROBOT multiple_labels; SKOS S14).",
        f"""SELECT ?term (CONCAT("labels in @", ?lang, ": ", GROUP_CONCAT(STR(?label); separator=" | ")) AS ?detail) WHERE {{
            ?term rdfs:label|skos:prefLabel ?label .
            FILTER {_NAMESPACES_FILTER}
            BIND(LANG(?label) AS ?lang)
        }} GROUP BY ?term ?lang HAVING (COUNT(DISTINCT ?label) > 1)""",
    ),
    "duplicate_label": (
        "Two classes, two properties or two concepts share a label, ignoring case (ROBOT duplicate_label).",
        f"""SELECT ?term (CONCAT("same ", ?kind, " label as ", STR(?other), ": ", ?key) AS ?detail) WHERE {{
            {{ SELECT ?term ?kind ?key WHERE {{
                ?term rdfs:label|skos:prefLabel ?label .
                FILTER {_NAMESPACES_FILTER}
                {{ ?term a owl:Class BIND("class" AS ?kind) }}
                UNION {{ ?term a owl:ObjectProperty BIND("property" AS ?kind) }}
                UNION {{ ?term a owl:DatatypeProperty BIND("property" AS ?kind) }}
                UNION {{ ?term a owl:AnnotationProperty BIND("property" AS ?kind) }}
                UNION {{ ?term a skos:Concept BIND("concept" AS ?kind) }}
                UNION {{ ?term a skos:ConceptScheme BIND("scheme" AS ?kind) }}
                BIND(LCASE(STR(?label)) AS ?key)
            }} }}
            {{ SELECT ?other ?kind ?key WHERE {{
                ?other rdfs:label|skos:prefLabel ?label2 .
                {{ ?other a owl:Class BIND("class" AS ?kind) }}
                UNION {{ ?other a owl:ObjectProperty BIND("property" AS ?kind) }}
                UNION {{ ?other a owl:DatatypeProperty BIND("property" AS ?kind) }}
                UNION {{ ?other a owl:AnnotationProperty BIND("property" AS ?kind) }}
                UNION {{ ?other a skos:Concept BIND("concept" AS ?kind) }}
                UNION {{ ?other a skos:ConceptScheme BIND("scheme" AS ?kind) }}
                BIND(LCASE(STR(?label2)) AS ?key)
            }} }}
            FILTER (?term != ?other)
        }}""",
    ),
    "undeclared_term": (
        "An hls:/hlsc: IRI is used (as subject, predicate or object) but never declared with a type "
        "(OOPS! P?? 'terms used but not defined'; a misspelt IRI).",
        f"""SELECT DISTINCT ?term ("used but never declared (no rdf:type)" AS ?detail) WHERE {{
            {{ ?term ?p ?o }} UNION {{ ?s ?term ?o }} UNION {{ ?s ?p ?term }}
            FILTER (isIRI(?term) && {_NAMESPACES_FILTER})
            FILTER NOT EXISTS {{ ?term a ?kind }}
            FILTER NOT EXISTS {{ ?ontology owl:versionIRI ?term }}
        }}""",
    ),
    "class_without_parent": (
        "An hls: class has no named superclass, so it hangs outside the hierarchy and the alignment "
        "to W3C vocabularies (ROBOT/OOPS! 'isolated class').",
        f"""SELECT DISTINCT ?term ("owl:Class with no named rdfs:subClassOf" AS ?detail) WHERE {{
            ?term a owl:Class .
            FILTER {_NAMESPACES_FILTER}
            FILTER NOT EXISTS {{ ?term rdfs:subClassOf ?parent . FILTER isIRI(?parent) }}
        }}""",
    ),
    "property_without_domain": (
        "An hls: object or datatype property has no rdfs:domain (OOPS! P11); use owl:Thing where any "
        "subject is meant.",
        f"""SELECT DISTINCT ?term ("no rdfs:domain" AS ?detail) WHERE {{
            ?term a ?kind . VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
            FILTER {_NAMESPACES_FILTER}
            FILTER NOT EXISTS {{ ?term rdfs:domain ?domain }}
        }}""",
    ),
    "property_without_range": (
        "An hls: object or datatype property has no rdfs:range (OOPS! P11).",
        f"""SELECT DISTINCT ?term ("no rdfs:range" AS ?detail) WHERE {{
            ?term a ?kind . VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
            FILTER {_NAMESPACES_FILTER}
            FILTER NOT EXISTS {{ ?term rdfs:range ?range }}
        }}""",
    ),
    "property_kind_clash": (
        "A term is declared as more than one kind of OWL property (OOPS! P?? / OWL 2 DL violation).",
        """SELECT ?term (CONCAT(STR(COUNT(DISTINCT ?kind)), " property kinds") AS ?detail) WHERE {
            ?term a ?kind . VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
        } GROUP BY ?term HAVING (COUNT(DISTINCT ?kind) > 1)""",
    ),
    "concept_not_typed_skos": (
        "An instance of a concept kind (a subclass of skos:Concept) is not itself typed skos:Concept, "
        "so queries without inference would miss it.",
        """SELECT DISTINCT ?term (CONCAT("typed ", STR(?kind), " but not skos:Concept") AS ?detail) WHERE {
            ?term a ?kind . ?kind rdfs:subClassOf+ skos:Concept .
            FILTER NOT EXISTS { ?term a skos:Concept }
        }""",
    ),
    "concept_outside_scheme": (
        "A concept belongs to no concept scheme (skos:inScheme).",
        """SELECT DISTINCT ?term ("skos:Concept with no skos:inScheme" AS ?detail) WHERE {
            ?term a skos:Concept .
            FILTER NOT EXISTS { ?term skos:inScheme ?scheme }
        }""",
    ),
    "orphan_concept": (
        "A concept in a scheme is neither a top concept of it nor narrower than another member of it.",
        """SELECT DISTINCT ?term (CONCAT("orphan in ", STR(?scheme)) AS ?detail) WHERE {
            ?term skos:inScheme ?scheme .
            FILTER NOT EXISTS { ?term skos:topConceptOf ?scheme }
            FILTER NOT EXISTS { ?term skos:broader ?b . ?b skos:inScheme ?scheme }
        }""",
    ),
    "top_concept_mismatch": (
        "skos:hasTopConcept and skos:topConceptOf disagree (each should state the other).",
        """SELECT DISTINCT ?term (CONCAT("top concept link to ", STR(?scheme), " stated one way only") AS ?detail) WHERE {
            { ?scheme skos:hasTopConcept ?term FILTER NOT EXISTS { ?term skos:topConceptOf ?scheme } }
            UNION
            { ?term skos:topConceptOf ?scheme FILTER NOT EXISTS { ?scheme skos:hasTopConcept ?term } }
        }""",
    ),
    "empty_scheme": (
        "A concept scheme has no members.",
        """SELECT DISTINCT ?term ("no concept has skos:inScheme this scheme" AS ?detail) WHERE {
            ?term a skos:ConceptScheme .
            FILTER NOT EXISTS { ?c skos:inScheme ?term }
        }""",
    ),
    "external_term_redefined": (
        "A term outside hls:/hlsc: is given a label, definition or axioms here: external vocabularies "
        "are referenced, never copied or redefined.",
        f"""SELECT DISTINCT ?term (CONCAT("external term has ", STR(?p)) AS ?detail) WHERE {{
            ?term ?p ?o .
            VALUES ?p {{ rdfs:label skos:prefLabel skos:definition rdfs:comment rdfs:subClassOf
                         rdfs:subPropertyOf rdfs:domain rdfs:range owl:equivalentClass }}
            FILTER (isIRI(?term) && !{_NAMESPACES_FILTER})
        }}""",
    ),
    "ontology_metadata": (
        "The ontology header lacks title, description, licence, creator or version IRI.",
        """SELECT ?term (CONCAT("ontology header has no ", STR(?p)) AS ?detail) WHERE {
            ?term a owl:Ontology .
            VALUES ?p { dcterms:title dcterms:description dcterms:license dcterms:creator owl:versionIRI }
            FILTER NOT EXISTS { ?term ?p ?value }
        }""",
    ),
}
"""Each quality check: name -> (what it finds, SPARQL SELECT of ``?term ?detail``)."""


def ontology_store():
    """A new in-memory pyoxigraph Store holding the ontology (not the shapes) in its default graph.

    >>> len(ontology_store()) > 1000
    True
    """
    import pyoxigraph

    from ..resources import ontology_dir
    from .ontology import SHAPES_FILE

    store = pyoxigraph.Store()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name != SHAPES_FILE:
            store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def quality_report(store=None):
    """Run every check in :data:`CHECKS`; one row per finding (none when the ontology is clean).

    Parameters
    ----------
    store
        A pyoxigraph Store holding an ontology in its default graph; by default the bundled one.

    Returns
    -------
    pandas.DataFrame
        Columns ``check``, ``term``, ``detail``, even when there is no finding.

    >>> quality_report().empty
    True
    """
    import pandas as pd

    if store is None:
        store = ontology_store()
    prologue = sparql_prologue()
    rows = []
    for name, (_about, query) in CHECKS.items():
        for solution in store.query(prologue + query):
            rows.append({"check": name, "term": solution["term"].value, "detail": solution["detail"].value})
    return pd.DataFrame(rows, columns=["check", "term", "detail"]).astype("string")


@dataclass
class ConsistencyResult:
    """What the reasoner found: is the ontology consistent, and which classes can have no member."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    reasoner: str = "HermiT"
    message: str = ""

    @property
    def ok(self) -> bool:
        """Consistent and with no unsatisfiable class."""
        return self.consistent and not self.unsatisfiable


def check_consistency(graph=None) -> ConsistencyResult:
    """Classify the ontology with HermiT (owlready2, in its own World) and report the outcome.

    Parameters
    ----------
    graph
        An rdflib Graph to check instead of the bundled ontology (for example the ontology plus
        some data, to see whether the data contradicts it).

    Returns
    -------
    ConsistencyResult

    Raises
    ------
    OSError
        Java, which HermiT runs on, cannot be started.
    """
    from ..extras import require
    from .ontology import ontology_graph

    owlready2 = require("owlready2", "the HermiT consistency check")

    if graph is None:
        graph = ontology_graph()
    with tempfile.TemporaryDirectory(prefix="hlsgraph-hermit-") as tmp:
        path = os.path.join(tmp, "ontology.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology("file://" + path).load(format="ntriples")
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as err:
                return ConsistencyResult(consistent=False, message=str(err).strip())
            except FileNotFoundError as err:
                raise OSError(
                    f"HermiT needs Java, which could not be started ({err}); run `make java`"
                ) from err
            unsat = sorted(
                c.iri
                for c in world.inconsistent_classes()
                if getattr(c, "iri", None) != "http://www.w3.org/2002/07/owl#Nothing"
            )
            return ConsistencyResult(consistent=True, unsatisfiable=unsat)
        finally:
            world.close()
