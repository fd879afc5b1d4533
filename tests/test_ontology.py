"""The HLS ontology: it parses strictly, carries its header, defines every term the model contract
(docs/model.md) names, gives each framework exactly the members the sources give, passes the
quality checks, and HermiT finds it consistent with no unsatisfiable class."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hlsgraph.namespaces import HLS, HLSC, PREFIXES, sparql_prologue
from hlsgraph.resources import ontology_dir
from hlsgraph.vocabulary import ontology_graph
from hlsgraph.vocabulary.checks import CHECKS, check_consistency, ontology_store, quality_report

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILES = sorted(p for p in ontology_dir().glob("*.ttl"))


@pytest.fixture(scope="module")
def store():
    return ontology_store()


def ask(store, query):
    return store.query(sparql_prologue() + query)


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda p: p.name)
def test_each_module_parses_with_pyoxigraph(path):
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(quads) > 50


def test_layout_shapes_are_not_ontology(store):
    names = {p.name for p in ONTOLOGY_FILES}
    assert {"core.ttl", "concepts.ttl", "shapes.ttl"} <= names
    assert not ask(store, "ASK { ?s a <http://www.w3.org/ns/shacl#NodeShape> }")


def test_header(store):
    rows = list(
        ask(
            store,
            """SELECT ?version ?title ?licence ?creator ?description WHERE {
                <https://w3id.org/hls/ontology> a owl:Ontology ; owl:versionIRI ?version ;
                    dcterms:title ?title ; dcterms:license ?licence ; dcterms:creator ?creator ;
                    dcterms:description ?description }""",
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["version"].value == "https://w3id.org/hls/ontology/0.1.0"
    assert row["licence"].value == "https://creativecommons.org/licenses/by/4.0/"
    assert "Human Learning Systems" in row["title"].value
    assert len(row["description"].value) > 200


def test_no_remote_imports(store):
    assert not ask(store, "ASK { ?o owl:imports ?x }")


# --- the contract: every term docs/model.md names exists ---------------------------------------


def _model_terms():
    text = (ROOT / "docs" / "model.md").read_text() + (ROOT / "docs" / "ontology.md").read_text()
    terms = set(re.findall(r"`?\b(hlsc?):([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])", text))
    return sorted(terms)


@pytest.mark.parametrize("prefix,local", _model_terms(), ids=lambda x: x)
def test_every_term_in_the_contract_is_declared(store, prefix, local):
    iri = (HLS if prefix == "hls" else HLSC) + local
    assert ask(store, f"ASK {{ <{iri}> a ?kind }}"), f"{prefix}:{local} is named in docs/ but not declared"


def test_contract_kinds(store):
    """Spot-check that contract terms have the kind the contract gives them."""
    expectations = {
        "hls:EvidenceItem": "owl:Class",
        "hls:accessLevel": "owl:ObjectProperty",
        "hls:value": "owl:DatatypeProperty",
        "hls:public": "hls:AccessLevel",
        "hlsc:roles": "skos:ConceptScheme",
        "hlsc:frontline-worker": "hls:Role",
        "hlsc:increased-self-esteem": "hls:Outcome",
        "hlsc:plymouth-alliance-principle-a": "hls:Principle",
        "hlsc:funder-commissioner-led": "skos:Concept",
    }
    for term, kind in expectations.items():
        assert ask(store, f"ASK {{ {term} a {kind} }}"), f"{term} should be a {kind}"


@pytest.mark.parametrize(
    "sub,sup",
    [
        ("hls:EvidenceItem", "prov:Entity"),
        ("hls:EvidenceItem", "schema:CreativeWork"),
        ("hls:Observation", "qb:Observation"),
        ("hls:Observation", "sosa:Observation"),
        ("hls:Measure", "cids:Indicator"),
        ("hls:Outcome", "cids:Outcome"),
        ("hls:Observation", "cids:IndicatorReport"),
        ("hls:Organisation", "cids:Organization"),
        ("hls:Organisation", "org:Organization"),
        ("hls:Organisation", "foaf:Organization"),
        ("hls:Alliance", "org:OrganizationalCollaboration"),
        ("hls:Place", "schema:Place"),
        ("hls:SourceDocument", "dcterms:BibliographicResource"),
        ("hls:Role", "skos:Concept"),
        ("hls:Principle", "skos:Concept"),
        ("hls:Inquiry", "prov:Activity"),
    ],
)
def test_alignment_to_w3c_vocabularies(store, sub, sup):
    assert ask(store, f"ASK {{ {sub} rdfs:subClassOf+ {sup} }}")


def test_cids_alignment_is_to_the_current_namespace(store):
    """Issue #14: the alignment was to CIDS 2.x (http://ontology.eil.utoronto.ca/cids/cids#),
    so nothing reached current CIDS 3.2.1 data."""
    assert PREFIXES["cids"] == "https://ontology.commonapproach.org/cids#"
    assert not ask(
        store, 'ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?o), "http://ontology.eil.utoronto.ca/cids/")) }'
    )
    assert ask(
        store, "ASK { hls:Measure rdfs:subClassOf <https://ontology.commonapproach.org/cids#Indicator> }"
    )


def test_property_alignment(store):
    for sub, sup in [
        ("hls:place", "dcterms:spatial"),
        ("hls:within", "schema:containedInPlace"),
        ("hls:memberOf", "org:memberOf"),
    ]:
        assert ask(store, f"ASK {{ {sub} rdfs:subPropertyOf {sup} }}"), (sub, sup)
    assert ask(store, "ASK { hls:within a owl:TransitiveProperty }")


# --- each framework has exactly the members the sources give -----------------------------------


def members(store, scheme, kind=None):
    kind_pattern = f"?c a {kind} ." if kind else ""
    rows = ask(store, f"SELECT DISTINCT ?c WHERE {{ ?c skos:inScheme {scheme} . {kind_pattern} }}")
    return {r["c"].value.removeprefix(HLSC) for r in rows}


def labels(store, scheme, kind):
    rows = ask(store, f"SELECT ?l WHERE {{ ?c skos:inScheme {scheme} ; a {kind} ; skos:prefLabel ?l }}")
    return sorted(r["l"].value for r in rows)


def test_vest_has_four_members(store):
    assert members(store, "hlsc:vest") == {"variety", "empathy", "strengths", "trust"}
    for c in ["variety", "empathy", "strengths", "trust"]:
        assert ask(store, f"ASK {{ hlsc:{c} skos:broader hlsc:human ; skos:topConceptOf hlsc:vest }}")


def test_hls_features_three_tops(store):
    tops = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { hlsc:hls-features skos:hasTopConcept ?c }")
    }
    assert tops == {"human", "learning", "systems"}
    for c in ["relational-practice", "bespoke-by-default", "devolved-decision-making", "trust-based-funding"]:
        assert ask(store, f"ASK {{ hlsc:{c} skos:broader+ hlsc:human }}"), c
    for c in [
        "using-data-to-learn",
        "learning-culture",
        "positive-error-culture",
        "learning-and-accountability",
        "multiple-dimensions-of-accountability",
        "funding-and-commissioning-for-learning",
        "learning-drives-adaptation",
    ]:
        assert ask(store, f"ASK {{ hlsc:{c} skos:broader+ hlsc:learning }}"), c
    for c in [
        "healthy-systems",
        "system-steward",
        "steward-of-place",
        "leadership",
        "framing-role-of-funders-and-commissioners",
    ]:
        assert ask(store, f"ASK {{ hlsc:{c} skos:broader+ hlsc:systems }}"), c


def test_system_behaviours_nine_in_three_groups_of_three(store):
    rows = list(
        ask(
            store,
            """SELECT ?group (COUNT(?b) AS ?n) WHERE {
                ?b a hls:SystemBehaviour ; skos:inScheme hlsc:system-behaviours ; skos:broader ?group .
                ?group a hls:SystemBehaviourGroup }
               GROUP BY ?group""",
        )
    )
    groups = {r["group"].value.removeprefix(HLSC): int(r["n"].value) for r in rows}
    assert groups == {"perspective": 3, "power": 3, "participation": 3}
    assert len(members(store, "hlsc:system-behaviours", "hls:SystemBehaviour")) == 9
    assert "Decision-making is devolved" in labels(store, "hlsc:system-behaviours", "hls:SystemBehaviour")


def test_ivar_eight_key_learning_points_and_three_rules(store):
    assert members(store, "hlsc:ivar-key-learning-points", "hls:LearningPoint") == {
        "start-upstream",
        "get-the-right-people-in-the-room",
        "be-realistic",
        "recognise-difference",
        "focus-on-assets",
        "learn-in-the-messiness",
        "stay-focused",
        "rethink-impact",
    }
    notations = sorted(
        int(r["n"].value) for r in ask(store, "SELECT ?n WHERE { ?c a hls:LearningPoint ; skos:notation ?n }")
    )
    assert notations == list(range(1, 9))
    assert members(store, "hlsc:ivar-rules-of-engagement") == {
        "having-difficult-conversations",
        "living-with-emergence-and-ambiguity",
        "bringing-empathy-and-patience",
    }


def test_ivar_process_four_steps_and_twelve_aspirations(store):
    assert members(store, "hlsc:ivar-process", "hls:CollaborationStep") == {
        f"ivar-step-{n}" for n in range(1, 5)
    }
    aspirations = members(store, "hlsc:ivar-aspirations", "hls:Aspiration")
    assert len(aspirations) == 12
    assert {"aspiration-liberating", "aspiration-fun", "aspiration-what-do-you-need"} <= aspirations


def test_plymouth_alliance_principles_a_to_g(store):
    got = members(store, "hlsc:plymouth-alliance-principles", "hls:Principle")
    assert got == {f"plymouth-alliance-principle-{x}" for x in "abcdefg"}
    notations = sorted(
        r["n"].value
        for r in ask(
            store,
            """SELECT ?n WHERE {
        ?c skos:inScheme hlsc:plymouth-alliance-principles ; skos:notation ?n }""",
        )
    )
    assert notations == list("abcdefg")
    assert "No fault, no blame" in labels(store, "hlsc:plymouth-alliance-principles", "hls:Principle")


def test_plymouth_tender_principles_twelve(store):
    assert len(members(store, "hlsc:plymouth-tender-principles", "hls:Principle")) == 12


def test_principles_express_hls_concepts(store):
    missing = list(
        ask(
            store,
            """SELECT ?p WHERE {
        ?p a hls:Principle . FILTER NOT EXISTS { ?p hls:expresses ?c . ?c a skos:Concept } }""",
        )
    )
    assert missing == []


def test_change_stages(store):
    tops = members(store, "hlsc:change-stages")
    assert tops == {
        "start-with-purpose",
        "understanding-the-system",
        "make-the-system-visible",
        "building-relationships-and-trust",
        "establishing-shared-purpose",
        "developing-principles-values-and-behaviours",
        "design",
        "experimentation-reflection-re-design",
        "governance-and-learning",
        "embedding-and-influencing",
        "resource-allocation",
        # 002 'The process of change' (Culture change): a thread through every stage.
        "culture-change",
    }
    under = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:understanding-the-system }")
    }
    assert under == {
        "make-the-system-visible",
        "building-relationships-and-trust",
        "establishing-shared-purpose",
        "developing-principles-values-and-behaviours",
    }


def test_conditions_for_change_each_with_an_enabler_and_a_barrier(store):
    conditions = members(store, "hlsc:conditions-for-change", "hls:ConditionForChange")
    assert len(conditions) == 9
    rows = ask(
        store,
        """SELECT ?c (COUNT(DISTINCT ?e) AS ?ne) (COUNT(DISTINCT ?b) AS ?nb) WHERE {
        ?c a hls:ConditionForChange .
        ?e a hls:Enabler ; hls:enables ?c ; skos:inScheme hlsc:enablers-and-barriers .
        ?b a hls:Barrier ; hls:hinders ?c ; skos:inScheme hlsc:enablers-and-barriers .
    } GROUP BY ?c""",
    )
    counts = {r["c"].value.removeprefix(HLSC): (int(r["ne"].value), int(r["nb"].value)) for r in rows}
    assert counts == dict.fromkeys(conditions, (1, 1))


def test_complexity_markers_and_capacities(store):
    assert len(members(store, "hlsc:complexity-markers", "hls:ComplexityMarker")) == 3
    assert members(store, "hlsc:complexity-capacities", "hls:ComplexityCapacity") == {
        "respond-to-variety",
        "adapt-to-change",
        "shape-systems",
    }


def test_entry_points_and_collaboration_challenges(store):
    assert members(store, "hlsc:entry-points", "hls:EntryPoint") == {
        "collaboration-entry-point",
        "complexity-entry-point",
        "root-causes-entry-point",
        "single-organisation-entry-point",
    }
    assert len(members(store, "hlsc:collaboration-challenges", "hls:CollaborationChallenge")) == 3


def test_community_of_practice_eight_shifts(store):
    assert members(store, "hlsc:community-of-practice-shifts", "hls:Shift") == {
        "use-of-data-and-evidence",
        "collaboration-and-competition",
        "leadership-and-culture-change",
        "co-production",
        "creating-system-change",
        "places-as-systems",
        "adult-adult-relationships",
        "creating-learning-systems",
    }
    assert len(members(store, "hlsc:community-of-practice-needs")) == 3


def test_drivers_and_sparks(store):
    got = members(store, "hlsc:drivers-for-change", "hls:Driver")
    assert {
        "moral-case",
        "financial-case",
        "deep-listening",
        "incentives-for-collaboration",
        "new-leaders-and-strategies",
        "inspiration-from-elsewhere",
    } <= got
    sparks = {
        r["c"].value.removeprefix(HLSC) for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:sparks }")
    }
    assert sparks == {
        "deep-listening",
        "incentives-for-collaboration",
        "new-leaders-and-strategies",
        "inspiration-from-elsewhere",
    }


def test_measure_perspectives_questions_purposes(store):
    assert members(store, "hlsc:measure-perspectives", "hls:MeasurePerspective") == {
        "citizens",
        "employees-and-volunteers",
        "system-resources",
    }
    assert members(store, "hlsc:measure-questions", "hls:MeasureQuestion") == {
        "effective",
        "efficient",
        "sustainable",
    }
    assert members(store, "hlsc:measure-purposes", "hls:MeasurePurpose") == {
        "learning-purpose",
        "performance-management",
        "regulatory-assurance",
    }


def test_evidence_hierarchy_trials_top_experience_bottom(store):
    rows = list(
        ask(
            store,
            """SELECT ?c ?rank WHERE { ?c skos:inScheme hlsc:evidence-hierarchy ; hls:hierarchyRank ?rank }
                              ORDER BY ?rank""",
        )
    )
    ordered = [r["c"].value.removeprefix(HLSC) for r in rows]
    assert ordered[0] == "randomised-controlled-trials"
    assert ordered[-1] == "peoples-experiences"
    assert [int(r["rank"].value) for r in rows] == list(range(1, len(rows) + 1))
    # every evidence kind is placed on the hierarchy, so inquiries can contrast it with use
    unplaced = list(
        ask(
            store,
            """SELECT ?k WHERE { ?k rdfs:subClassOf hls:EvidenceItem .
        FILTER NOT EXISTS { ?k hls:hierarchyLevel ?l . ?l skos:inScheme hlsc:evidence-hierarchy } }""",
        )
    )
    assert unplaced == []
    assert ask(store, "ASK { hls:Story hls:hierarchyLevel hlsc:peoples-experiences }")


def test_evidence_hierarchy_is_an_ordered_list_not_a_broader_chain(store):
    """Issue #14: the ranking was encoded with skos:broader, so the store inferred that people's
    experiences are narrower than (a kind of) randomised controlled trials. The rank is now a
    value and the order an skos:OrderedCollection (000 'Use of Data & Evidence': trials at the
    top, people's experiences at the bottom)."""
    assert not ask(
        store,
        """ASK { ?a skos:inScheme hlsc:evidence-hierarchy .
                                   { ?a skos:broader ?b } UNION { ?b skos:broader ?a } }""",
    )
    # Walk the RDF list (a path's answers come in no particular order).
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    node = next(iter(ask(store, "SELECT ?l WHERE { hlsc:evidence-hierarchy-order skos:memberList ?l }")))["l"]
    ordered = []
    while node != ox.NamedNode(rdf + "nil"):
        ordered.append(
            next(store.quads_for_pattern(node, ox.NamedNode(rdf + "first"), None)).object.value.removeprefix(
                HLSC
            )
        )
        node = next(store.quads_for_pattern(node, ox.NamedNode(rdf + "rest"), None)).object
    assert ordered == [
        "randomised-controlled-trials",
        "quasi-experimental-studies",
        "observational-quantitative-studies",
        "qualitative-and-case-study-research",
        "peoples-experiences",
    ]


def test_the_rungs_000_does_not_name_are_marked_as_the_projects(store):
    """000 names only the top (RCTs) and the bottom (people's experiences); the three rungs
    between were cited to 000. They now cite the project's design and say they are its own."""
    rows = list(
        ask(
            store,
            """SELECT ?c ?source ?note WHERE { ?c skos:inScheme hlsc:evidence-hierarchy ;
                                   dcterms:source ?source OPTIONAL { ?c skos:editorialNote ?note } }""",
        )
    )
    by_rung = {r["c"].value.removeprefix(HLSC): (r["source"].value, r["note"]) for r in rows}
    for rung in ("randomised-controlled-trials", "peoples-experiences"):
        assert by_rung[rung][0].startswith("000 ") and by_rung[rung][1] is None
    for rung in (
        "quasi-experimental-studies",
        "observational-quantitative-studies",
        "qualitative-and-case-study-research",
    ):
        source, note = by_rung[rung]
        assert source.startswith("hlsgraph design") and "project's" in note.value


def test_roles_place_kinds_practices_funding_outcomes(store):
    assert {
        "person-accessing-support",
        "frontline-worker",
        "manager",
        "system-steward",
        "commissioner",
        "funder",
        "provider",
        "public-sector-change-leader",
        "research-partner",
        "chief-executive",
    } <= members(store, "hlsc:roles", "hls:Role")
    assert members(store, "hlsc:settlement-kinds", "hls:SettlementKind") == {"city", "town", "neighbourhood"}
    assert len(members(store, "hlsc:practices", "hls:Practice")) == 11
    assert len(members(store, "hlsc:funding-arrangements", "hls:FundingArrangementKind")) == 10
    people = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:outcomes-for-people }")
    }
    systems = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:outcomes-for-systems }")
    }
    assert people == {"being-treated-as-a-whole-person", "increased-self-esteem", "building-a-good-life"}
    assert systems == {
        "increased-collaboration",
        "enabling-innovation",
        "increased-motivation",
        "cost-savings",
    }


def test_place_kinds_are_exactly_the_kinds_of_the_gss_table(store):
    """Issue #14: the administrative kinds are those hlsgraph.vocabulary.gss reads from a GSS
    code's entity, and nothing else (a city is a settlement, not a kind), plus the sovereign state
    for the Netherlands and the United States, known by their ISO 3166-1 codes."""
    from hlsgraph.vocabulary.gss import AREA_KINDS

    concepts = {kind.concept for kind in AREA_KINDS.values()}
    assert members(store, "hlsc:place-kinds", "hls:PlaceKind") == concepts | {"sovereign-state"}
    for kind in AREA_KINDS.values():
        assert ask(
            store, f'ASK {{ <{kind.iri}> hls:gssEntity "{kind.entity}" ; hls:areaLevel {kind.level} }}'
        ), kind


def test_unitary_authority_example_is_a_unitary_authority(store):
    """The ontology's own example of a unitary authority was Gateshead, a metropolitan district (E08)."""
    text = next(iter(ask(store, "SELECT ?d WHERE { hlsc:unitary-authority skos:definition ?d }")))["d"].value
    assert "Gateshead" not in text and "E06" in text


def test_the_self_assessment_scale_is_marked_as_the_projects_convention(store):
    """003 'Key learning' offers the eight points for self-assessment but gives no scale: the
    1 to 5 scale is hlsgraph's, and the ontology says so."""
    for term in ("hls:scoreValue", "hls:Score"):
        notes = [r["n"].value for r in ask(store, f"SELECT ?n WHERE {{ {term} skos:editorialNote ?n }}")]
        assert notes and all("convention" in n and "scale" in n for n in notes), term
    source = next(iter(ask(store, "SELECT ?s WHERE { hls:scoreValue dcterms:source ?s }")))["s"].value
    assert source.startswith("hlsgraph design")


def test_what_the_base_had_left_out_is_modelled(store):
    """Issue #14: absences, now concepts in the project's words, each citing its section: 002's
    procurement guide (principled-working tenets, the threshold, dealing with challenge),
    Campbell's Law and the gaming of targets, the three ways not helping is expensive, the
    support needed and the actions to build a movement, the Questions for Leaders, culture
    change across the stages, 000's forms of a community of practice, 001's forces behind the
    transition."""
    expect = {
        "hlsc:procurement-guidance": 15,
        "hlsc:costs-of-not-helping": 3,
        "hlsc:support-needed": 5,
        "hlsc:building-a-movement": 6,
        "hlsc:questions-for-leaders": 15,
        "hlsc:community-of-practice-forms": 6,
        "hlsc:forces-behind-the-transition": 4,
    }
    for scheme, n in expect.items():
        assert len(members(store, scheme)) == n, scheme
    tenets = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:principled-working }")
    }
    assert tenets == {
        "equal-treatment",
        "non-discrimination",
        "transparency-in-procurement",
        "proportionality",
    }
    assert ask(
        store,
        "ASK { hlsc:campbells-law skos:broader hlsc:metrics . hlsc:gaming-of-targets skos:broader "
        "hlsc:metrics }",
    )
    assert ask(
        store, 'ASK { hlsc:procurement-threshold skos:definition ?d FILTER(CONTAINS(?d, "£750,000")) }'
    )
    # Every question relates to the concept of the section it closes.
    unrelated = list(
        ask(
            store,
            "SELECT ?q WHERE { ?q skos:inScheme hlsc:questions-for-leaders FILTER NOT EXISTS { ?q "
            "skos:related ?c } }",
        )
    )
    assert unrelated == []


def test_old_world_new_world(store):
    old = {
        r["c"].value.removeprefix(HLSC)
        for r in ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:old-world }")
    }
    assert old == {"markets", "managers", "metrics"}
    assert len(list(ask(store, "SELECT ?c WHERE { ?c skos:broader hlsc:new-world }"))) == 3


def test_access_levels_closed_set(store):
    rows = {r["a"].value for r in ask(store, "SELECT ?a WHERE { ?a a hls:AccessLevel }")}
    assert rows == {HLS + "public", HLS + "internal", HLS + "restricted"}


def test_every_term_cites_a_source_document(store):
    rows = list(
        ask(
            store,
            f"""SELECT ?t ?s WHERE {{ ?t dcterms:source ?s .
        FILTER(STRSTARTS(STR(?t), "{HLS}")) }}""",
        )
    )
    assert len(rows) > 300
    bad = [r["t"].value for r in rows if not re.match(r"^(00[0-4] |hlsgraph design)", r["s"].value)]
    assert bad == []


# --- quality checks -----------------------------------------------------------------------------


def test_quality_checks_find_nothing():
    report = quality_report()
    assert list(report.columns) == ["check", "term", "detail"]
    assert report.empty, report.to_string()


DEFECTS = {
    "missing_label": (
        "hls:Broken a owl:Class ; rdfs:subClassOf hls:EvidenceItem ; skos:definition 'd' ; "
        "dcterms:source '002 x' ."
    ),
    "missing_definition": (
        "hls:Broken a owl:Class ; rdfs:label 'broken' ; rdfs:subClassOf hls:EvidenceItem ; "
        "dcterms:source '002 x' ."
    ),
    "missing_source": (
        "hls:Broken a owl:Class ; rdfs:label 'broken' ; rdfs:subClassOf hls:EvidenceItem ; "
        "skos:definition 'd' ."
    ),
    "multiple_labels": "hlsc:trust skos:prefLabel 'Trusting'@en .",
    "duplicate_label": (
        "hlsc:trust-two a skos:Concept ; skos:prefLabel 'TRUST'@en ; skos:inScheme hlsc:vest "
        "; skos:topConceptOf hlsc:vest . hlsc:vest skos:hasTopConcept hlsc:trust-two ."
    ),
    "undeclared_term": "hlsd:x hls:illustrates hlsc:trusst .",
    "class_without_parent": (
        "hls:Broken a owl:Class ; rdfs:label 'broken' ; skos:definition 'd' ; dcterms:source '002 x' ."
    ),
    "property_without_domain": (
        "hls:broken a owl:ObjectProperty ; rdfs:label 'broken' ; skos:definition 'd' "
        "; dcterms:source '002 x' ; rdfs:range hls:Place ."
    ),
    "property_without_range": (
        "hls:broken a owl:DatatypeProperty ; rdfs:label 'broken' ; skos:definition 'd' "
        "; dcterms:source '002 x' ; rdfs:domain hls:Place ."
    ),
    "property_kind_clash": "hls:summary a owl:ObjectProperty .",
    "concept_not_typed_skos": (
        "hlsc:lonely a hls:Role ; skos:prefLabel 'lonely' ; skos:inScheme hlsc:roles ; "
        "skos:topConceptOf hlsc:roles . hlsc:roles skos:hasTopConcept hlsc:lonely ."
    ),
    "concept_outside_scheme": (
        "hlsc:stray a skos:Concept ; skos:prefLabel 'stray' ; skos:definition 'd' ; dcterms:source '002 x' ."
    ),
    "orphan_concept": (
        "hlsc:orphan a skos:Concept ; skos:prefLabel 'orphan' ; skos:definition 'd' ; "
        "dcterms:source '002 x' ; skos:inScheme hlsc:vest ."
    ),
    "top_concept_mismatch": "hlsc:vest skos:hasTopConcept hlsc:human .",
    "empty_scheme": (
        "hlsc:empty a skos:ConceptScheme ; skos:prefLabel 'empty' ; skos:definition 'd' ; "
        "dcterms:source '002 x' ."
    ),
    "external_term_redefined": "skos:Concept rdfs:label 'concept' .",
    "ontology_metadata": "<https://w3id.org/hls/other> a owl:Ontology ; dcterms:title 't' .",
}


def test_every_check_has_a_defect_example():
    assert set(DEFECTS) == set(CHECKS)


@pytest.mark.parametrize("check", sorted(DEFECTS))
def test_each_quality_check_catches_its_defect(check):
    store = ontology_store()
    prologue = "".join(
        f"@prefix {p}: <{i}> .\n"
        for p, i in [("hls", HLS), ("hlsc", HLSC)]
        + [
            ("hlsd", "https://w3id.org/hls/id/"),
            ("owl", "http://www.w3.org/2002/07/owl#"),
            ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
            ("skos", "http://www.w3.org/2004/02/skos/core#"),
            ("dcterms", "http://purl.org/dc/terms/"),
        ]
    )
    store.load((prologue + DEFECTS[check]).encode(), format=ox.RdfFormat.TURTLE)
    report = quality_report(store)
    assert check in set(report["check"]), report.to_string()


# --- reasoning ----------------------------------------------------------------------------------


def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class():
    result = check_consistency()
    assert result.consistent, result.message
    assert result.unsatisfiable == []
    assert result.ok


@pytest.mark.slow  # starts the JVM for HermiT
def test_hermit_detects_a_contradiction():
    """The check is real: a place that is also an organisation contradicts the disjointness axiom."""
    graph = ontology_graph()
    thing = rdflib.URIRef("https://w3id.org/hls/id/place-or-org")
    graph.add((thing, rdflib.RDF.type, rdflib.URIRef(HLS + "Place")))
    graph.add((thing, rdflib.RDF.type, rdflib.URIRef(HLS + "Provider")))
    result = check_consistency(graph)
    assert not result.consistent
    assert not result.ok


@pytest.mark.slow  # starts the JVM for HermiT
def test_hermit_reports_unsatisfiable_classes():
    graph = ontology_graph()
    odd = rdflib.URIRef(HLS + "PlaceThatIsAStory")
    graph.add((odd, rdflib.RDF.type, rdflib.OWL.Class))
    graph.add((odd, rdflib.RDFS.subClassOf, rdflib.URIRef(HLS + "Place")))
    graph.add((odd, rdflib.RDFS.subClassOf, rdflib.URIRef(HLS + "Story")))
    result = check_consistency(graph)
    assert result.consistent
    assert result.unsatisfiable == [str(odd)]


def test_bundled_base_conforms_to_the_shapes():
    """The evidence base shipped with hlsgraph speaks the ontology's vocabulary."""
    from hlsgraph.resources import base_data_dir
    from hlsgraph.validation import validate

    files = sorted(base_data_dir().glob("*.ttl"))
    if not files:
        pytest.skip("no bundled data yet")
    report = validate(files)
    assert report.conforms, report.to_dataframe(compact=True).head(20).to_string()
