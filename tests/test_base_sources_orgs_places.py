"""The bundled base's sources, organisations and places (data/base/sources.ttl,
organisations.ttl, places.ttl) checked against the source documents: the documents and their
sections, every organisation 002's acknowledgements name, organisations' kinds and relationships,
the nesting of places and their ONS GSS codes, and that every item in these files is traceable,
public and spoken in the ontology's vocabulary."""

import re
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.namespaces import sparql_prologue
from hlsgraph.resources import base_data_dir, ontology_dir

MY_FILES = ("sources", "organisations", "places")
HLS = "https://w3id.org/hls/"
HLSD = "https://w3id.org/hls/id/"


@pytest.fixture(scope="module")
def kb():
    return hlsgraph.open()


def select(kb, query):
    """Rows of a SELECT through the public API, as dicts of plain strings, IRIs in full."""
    frame = kb.select(query, compact=False)
    return [{k: (None if pd.isna(v) else str(v)) for k, v in rec.items()} for rec in frame.to_dict("records")]


def values(kb, query, var):
    return {row[var] for row in select(kb, query)}


def file_store(stem):
    store = ox.Store()
    store.load(path=str(base_data_dir() / f"{stem}.ttl"), format=ox.RdfFormat.TURTLE)
    return store


# --- sources ------------------------------------------------------------------------------


def test_the_five_source_documents_with_their_bibliographic_facts(kb):
    rows = select(
        kb,
        """SELECT ?doc (STR(?issued) AS ?year) (GROUP_CONCAT(DISTINCT STR(?c); separator="|") AS ?creators)
        WHERE { ?doc a hls:SourceDocument ; dcterms:title ?t ; dcterms:issued ?issued ; dcterms:creator ?c .
                FILTER(STRSTARTS(STR(?doc), STR(hlsd:source-))) }
        GROUP BY ?doc ?issued""",
    )
    docs = {r["doc"].rsplit("/", 1)[1]: r for r in rows}
    assert set(docs) == {f"source-00{i}" for i in range(5)}
    assert docs["source-002"]["year"] == "2019"
    assert set(docs["source-002"]["creators"].split("|")) == {"Toby Lowe", "Dawn Plimmer"}
    assert docs["source-003"]["year"] == "2023"
    assert set(docs["source-003"]["creators"].split("|")) == {"Ben Cairns", "Vita Terry", "Diana Wray"}
    # 000 'Introduction' and 'Next Steps': an event held 'in November last year', written up
    # before spring 2018, so issued in 2018 about November 2017.
    assert docs["source-000"]["year"] == "2018"
    assert kb.ask('ASK { hlsd:source-000 dcterms:temporal "2017-11"^^xsd:gYearMonth }')
    assert docs["source-001"]["year"] == "2022"
    assert set(docs["source-001"]["creators"].split("|")) == {"Anna Randle", "Dawn Plimmer", "Toby Lowe"}


def test_publishers_are_the_organisations_that_issued_each_document(kb):
    rows = select(
        kb,
        """SELECT (STRAFTER(STR(?doc), STR(hlsd:)) AS ?d) (STR(?name) AS ?publisher)
        WHERE { ?doc a hls:SourceDocument ; dcterms:publisher ?p . ?p rdfs:label ?name }""",
    )
    published = {(r["d"], r["publisher"]) for r in rows}
    assert ("source-002", "Collaborate") in published
    assert ("source-002", "Northumbria University") in published
    assert ("source-001", "Locality") in published
    assert ("source-003", "IVAR") in published


def test_every_main_section_of_002_can_be_cited(kb):
    sections = values(
        kb,
        """SELECT (STRAFTER(STR(?s), STR(hlsd:)) AS ?id) WHERE {
               ?s a hls:SourceSection ; dcterms:isPartOf hlsd:source-002 ; rdfs:label ?l }""",
        "id",
    )
    wanted = [
        "foreword",
        "acknowledgements",
        "executive-summary",
        "introduction",
        "role-of-complexity",
        "human",
        "learning",
        "systems",
        "outcomes",
        "jacobs-story",
        "marys-story",
        "how-change-happens",
        "process-of-change",
        "conditions-for-change",
        "procurement",
        "drivers-for-change",
        "example-1-funder-commissioner-led",
        "example-2-delivery-led",
        "cornerstone-case-study",
        "gateshead-case-study",
        "blagrave-trust-case-study",
        "plymouth-case-study",
        "gateshead-measures",
    ]
    missing = [w for w in wanted if f"source-002-{w}" not in sections]
    assert not missing, f"sections of 002 nobody can cite: {missing}"


def test_section_ids_name_their_document():
    store = file_store("sources")
    pattern = re.compile(r"^source-(\d{3})-[a-z0-9]+(-[a-z0-9]+)*$")
    is_part_of = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
    count = 0
    for quad in store.quads_for_pattern(None, is_part_of, None):
        local = quad.subject.value.removeprefix(HLSD)
        match = pattern.match(local)
        assert match, f"{local} is not source-NNN-kebab-case"
        assert quad.object.value == f"{HLSD}source-{match.group(1)}", local
        count += 1
    assert count >= 80


# --- organisations ------------------------------------------------------------------------

ACKNOWLEDGED = [  # 002, "Acknowledgements and contacts", as printed (Blagrove is Blagrave)
    "Bicester Healthy New Towns",
    "Bristol City Council",
    "Devon County Council",
    "Gateshead Council",
    "Glasgow City Health and Social Care Partnership",
    "Healthcare Improvement Scotland",
    "Kirklees Council",
    "Middlesbrough Council",
    "Northumberland, Tyne and Wear NHS Foundation Trust",
    "Orkney Scottish Health Council",
    "Plymouth City Council",
    "Scottish Government",
    "South Tyneside Council",
    "Ballinger Trust",
    "Barnwood Trust",
    "Blagrove Trust",
    "Cripplegate Foundation",
    "Islington Giving",
    "Lankelly Chase Foundation",
    "National Lottery Community Fund",
    "Tudor Trust",
    "Whitman Institute",
    "Changing Lives",
    "Cornerstone",
    "Golden Key, Bristol",
    "Hamoaze",
    "Locality",
    "Mayday Trust",
    "Shekinah",
    "Simon Community",
    "Wallsend Children's Community",
    "Northumbria University",
    "Collaborate",
    "Newcastle University",
    "VONNE",
    "GO Lab",
]


def test_every_acknowledged_organisation_is_in_the_base(kb):
    names = values(
        kb,
        """SELECT (STR(?n) AS ?name) WHERE {
               ?o a/rdfs:subClassOf* hls:Organisation . { ?o rdfs:label ?n } UNION { ?o skos:altLabel ?n
                 } }""",
        "name",
    )
    missing = [a for a in ACKNOWLEDGED if a not in names]
    assert not missing, f"acknowledged in 002 but not in the base: {missing}"


@pytest.mark.parametrize(
    ("org", "kind"),
    [
        ("collaborate", "ResearchBody"),
        ("northumbria-university", "ResearchBody"),
        ("newcastle-university", "ResearchBody"),
        ("locality", "ResearchBody"),
        ("ivar", "ResearchBody"),
        ("st-mungos", "Provider"),
        ("oxford-city-council", "PublicSectorCommissioner"),
        ("cherwell-district-council", "PublicSectorCommissioner"),
        ("buurtzorg", "Provider"),
        ("mayday-trust", "Provider"),
        ("plymouth-city-council", "PublicSectorCommissioner"),
        # 002 'Case studies': Gateshead is the partnership working on the ground, its change
        # delivery-led ('Example 2: delivery led'), not a commissioner.
        ("gateshead-council", "Provider"),
        ("cornerstone", "Provider"),
        ("blagrave-trust", "CharitableFunder"),
        ("lankelly-chase-foundation", "CharitableFunder"),
        ("tudor-trust", "CharitableFunder"),
        ("shekinah", "Provider"),
        ("hamoaze-house", "Provider"),
        ("south-tyneside-council", "PublicSectorCommissioner"),
        ("devon-county-council", "PublicSectorCommissioner"),
        ("glasgow-city-health-and-social-care-partnership", "PublicSectorCommissioner"),
        ("national-lottery-community-fund", "CharitableFunder"),
        ("scottish-care-inspectorate", "Regulator"),
        ("oxfordshire-homelessness-and-rough-sleeping-alliance", "Alliance"),
        ("plymouth-alliance", "Alliance"),
        ("place-based-systems-change-community-of-practice", "CommunityOfPractice"),
    ],
)
def test_organisation_kind(kb, org, kind):
    kinds = values(kb, f"SELECT (STR(?k) AS ?kind) WHERE {{ hlsd:org-{org} a ?k }}", "kind")
    assert HLS + kind in kinds


def test_gateshead_council_is_not_typed_a_commissioner(kb):
    """002 'Case studies' introduces Gateshead as a partnership working on the ground, and
    'Example 2: delivery led' cites it; the source never presents it as commissioning."""
    assert not kb.ask("ASK { hlsd:org-gateshead-council a hls:PublicSectorCommissioner }")


def test_every_organisation_kind_is_an_hls_organisation_class(kb):
    rows = select(
        kb,
        """SELECT DISTINCT (STR(?k) AS ?kind) WHERE {
               ?o a ?k . FILTER(STRSTARTS(STR(?o), STR(hlsd:org-)) && STRSTARTS(STR(?k), STR(hls:)))
               FILTER NOT EXISTS { ?k rdfs:subClassOf* hls:Organisation } }""",
    )
    assert rows == []


def test_oxfordshire_alliance_members_are_the_three_reflecting_organisations(kb):
    members = values(
        kb,
        """SELECT (STRAFTER(STR(?o), STR(hlsd:)) AS ?m) WHERE {
               ?o hls:memberOf hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance }""",
        "m",
    )
    assert members == {"org-st-mungos", "org-oxford-city-council", "org-cherwell-district-council"}


def test_funding_and_commissioning_relationships_the_sources_state(kb):
    rows = select(
        kb,
        """SELECT (STRAFTER(STR(?a), STR(hlsd:)) AS ?from) (STRAFTER(STR(?p), STR(hls:)) AS ?rel)
                  (STRAFTER(STR(?b), STR(hlsd:)) AS ?to)
        WHERE { VALUES ?p { hls:funds hls:commissions hls:memberOf } ?a ?p ?b }""",
    )
    edges = {(r["from"], r["rel"], r["to"]) for r in rows}
    assert ("org-plymouth-city-council", "commissions", "org-plymouth-alliance") in edges
    assert ("org-plymouth-city-council", "memberOf", "org-plymouth-alliance") in edges
    assert ("org-plymouth-clinical-commissioning-group", "commissions", "org-plymouth-alliance") in edges
    assert ("org-tudor-trust", "funds", "org-children-england") in edges
    assert ("org-national-lottery-community-fund", "funds", "org-cornerstone") in edges
    assert ("org-blagrave-trust", "memberOf", "org-listening-fund") in edges


def test_gateshead_council_is_based_in_gateshead_within_north_east_england(kb):
    chain = values(
        kb,
        """SELECT (STR(?name) AS ?n)
           WHERE { hlsd:org-gateshead-council hls:basedIn/hls:within* ?p . ?p rdfs:label ?name }""",
        "n",
    )
    assert chain == {"Gateshead", "North East England", "England", "United Kingdom"}


# --- places -------------------------------------------------------------------------------

GSS = {
    "united-kingdom": "K02000001",
    "england": "E92000001",
    "scotland": "S92000003",
    "north-east-england": "E12000001",
    "south-west-england": "E12000009",
    "south-east-england": "E12000008",
    "london": "E12000007",
    "plymouth": "E06000026",
    "gateshead": "E08000037",
    "oxford": "E07000178",
    "cherwell": "E07000177",
    "oxfordshire": "E10000025",
    "devon": "E10000008",
    "south-tyneside": "E08000023",
    "glasgow": "S12000049",
    "kirklees": "E08000034",
    "bristol": "E06000023",
    "york": "E06000014",
    "middlesbrough": "E06000002",
    "orkney-islands": "S12000023",
}


def test_gss_codes(kb):
    rows = select(
        kb,
        """SELECT (STRAFTER(STR(?p), STR(hlsd:place-)) AS ?place) (STR(?code) AS ?gss)
        WHERE { ?p a hls:Place ; hls:gssCode ?code }""",
    )
    codes = {r["place"]: r["gss"] for r in rows}
    for place, code in GSS.items():
        assert codes.get(place) == code, place
    assert len(set(codes.values())) == len(codes), "two places share a GSS code"


def test_gss_code_prefix_matches_the_country_a_place_lies_in(kb):
    rows = select(
        kb,
        """SELECT (STR(?code) AS ?gss) (GROUP_CONCAT(STR(?n); separator="|") AS ?countries)
        WHERE { ?p a hls:Place ; hls:gssCode ?code .
                OPTIONAL { ?p hls:within+ ?n . ?n hls:placeKind hlsc:country } }
        GROUP BY ?p ?code""",
    )
    prefix = {HLSD + "place-england": "E", HLSD + "place-scotland": "S"}
    assert rows
    for row in rows:
        assert re.fullmatch(r"[EKSWN]\d{8}", row["gss"]), row
        inside = [prefix[n] for n in (row["countries"] or "").split("|") if n in prefix]
        if inside:
            assert row["gss"][0] == inside[0], row
        else:
            assert row["gss"][0] in "EKS" and row["gss"][1:3] == "92" or row["gss"] == "K02000001", row


def place_rows(kb):
    return select(
        kb,
        """SELECT ?p (STR(?code) AS ?gss) (STR(?iso) AS ?isoCode) ?kind ?settlement WHERE {
             GRAPH <https://w3id.org/hls/graph/base/places> { ?p a hls:Place }
             OPTIONAL { ?p hls:gssCode ?code } OPTIONAL { ?p hls:isoCountryCode ?iso }
             OPTIONAL { ?p hls:placeKind ?kind } OPTIONAL { ?p hls:settlementKind ?settlement } }""",
    )


def test_every_place_kind_follows_from_its_code_and_nothing_else(kb):
    """Issue #14: a place's administrative kind comes from its GSS code's entity (E06 unitary
    authority, E08 metropolitan district, ...) or, outside the UK, from its ISO 3166-1 code."""
    from hlsgraph.vocabulary.gss import area_kind

    rows = place_rows(kb)
    assert len(rows) >= 39
    for row in rows:
        if row["gss"]:
            assert row["kind"] == area_kind(row["gss"]).iri, row
        elif row["isoCode"]:
            assert row["kind"] == "https://w3id.org/hls/concept/sovereign-state", row
        else:
            assert row["kind"] is None, row


def test_unitary_authorities_and_metropolitan_districts_are_typed_alike(kb):
    """The old kinds contradicted themselves: Plymouth, Bristol, York and Southampton were
    'cities' beside Middlesbrough and Wiltshire as unitary authorities (all E06), and Newcastle a
    'city' beside Gateshead and South Tyneside as districts (all E08)."""
    kinds = {r["p"].removeprefix(HLSD + "place-"): r["kind"] for r in place_rows(kb)}
    e06 = ("plymouth", "bristol", "york", "southampton", "middlesbrough", "wiltshire", "isle-of-wight")
    assert {kinds[p] for p in e06} == {"https://w3id.org/hls/concept/unitary-authority"}
    e08 = ("newcastle-upon-tyne", "gateshead", "south-tyneside", "kirklees", "oldham", "wigan")
    assert {kinds[p] for p in e08} == {"https://w3id.org/hls/concept/metropolitan-district"}
    assert kinds["oxford"] == kinds["cherwell"] == "https://w3id.org/hls/concept/non-metropolitan-district"
    assert kinds["glasgow"] == "https://w3id.org/hls/concept/council-area"


def test_settlements_are_stated_apart_and_only_where_a_source_says_so(kb):
    """A city or a town is a statement of its own, each recorded with the section that gives it
    (002 'Commissioner: Plymouth City Council'; 002 Acknowledgements: Bristol City Council,
    Bicester Healthy New Towns; 002 'Drivers for change': Glasgow City; 003 'Reflections': Oxford
    City Council). Towns are no longer typed neighbourhoods."""
    settled = {
        r["p"].removeprefix(HLSD + "place-"): r["settlement"] for r in place_rows(kb) if r["settlement"]
    }
    city, town = "https://w3id.org/hls/concept/city", "https://w3id.org/hls/concept/town"
    assert settled == {"plymouth": city, "bristol": city, "glasgow": city, "oxford": city, "bicester": town}
    records = select(
        kb,
        """SELECT ?place ?source WHERE { ?r a hls:LinkRecord ; rdf:subject ?place ;
             rdf:predicate hls:settlementKind ; hls:basis hlsc:stated ; prov:hadPrimarySource ?source .
             ?source a hls:SourceSection }""",
    )
    assert {r["place"].removeprefix(HLSD + "place-") for r in records} == set(settled)


def test_within_is_stated_only_where_a_source_or_a_code_list_gives_it(kb):
    """Every hls:within has a record citing the ONS register or lookups (or a source section)
    that gives it; places no list or source contains (Wallsend, Bicester, Berkshire, Sussex,
    Cambridgeshire and Peterborough) have no parent."""
    rows = select(
        kb,
        """SELECT ?p ?w ?source ?kind WHERE {
             GRAPH <https://w3id.org/hls/graph/base/places> { ?p hls:within ?w }
             OPTIONAL { ?r rdf:subject ?p ; rdf:predicate hls:within ; rdf:object ?w ;
                        hls:basis hlsc:stated ; prov:hadPrimarySource ?source . ?source a ?kind
                        VALUES ?kind { hls:CodeList hls:SourceSection } } }""",
    )
    assert len(rows) >= 30
    for row in rows:
        assert row["kind"] in (HLS + "CodeList", HLS + "SourceSection"), row
    parented = {r["p"].removeprefix(HLSD + "place-") for r in rows}
    assert not parented & {"wallsend", "bicester", "berkshire", "sussex", "cambridgeshire-and-peterborough"}


def test_places_no_source_names_cite_the_code_list_not_a_section(kb):
    """The English regions (other than the North East, in VONNE's name in 002's acknowledgements)
    appear in no source: they are the parents the ONS lists give, and cite the register."""
    rows = select(
        kb,
        """SELECT ?p ?src WHERE { ?p hls:placeKind hlsc:region ; prov:wasDerivedFrom ?src }""",
    )
    cited = {}
    for row in rows:
        cited.setdefault(row["p"].removeprefix(HLSD + "place-"), set()).add(row["src"].removeprefix(HLSD))
    assert len(cited) == 7
    for place, sources in cited.items():
        allowed = {"codelist-ons-register-of-geographic-codes"}
        if place == "north-east-england":
            allowed.add("source-002-acknowledgements")
        assert sources <= allowed and "codelist-ons-register-of-geographic-codes" in sources, place


def test_place_nesting(kb):
    def ancestors(place):
        return values(
            kb,
            "SELECT (STRAFTER(STR(?a), STR(hlsd:place-)) AS ?x) "
            f"WHERE {{ hlsd:place-{place} hls:within+ ?a }}",
            "x",
        )

    assert ancestors("oxford") == {"oxfordshire", "south-east-england", "england", "united-kingdom"}
    assert ancestors("cherwell") == {"oxfordshire", "south-east-england", "england", "united-kingdom"}
    assert ancestors("plymouth") == {"south-west-england", "england", "united-kingdom"}
    assert ancestors("glasgow") == {"scotland", "united-kingdom"}
    assert ancestors("netherlands") == set()
    assert ancestors("bicester") == set()


def test_every_place_has_at_most_one_kind_and_parent():
    store = file_store("places")
    rows = list(
        store.query(
            sparql_prologue()
            + """SELECT ?p (COUNT(DISTINCT ?k) AS ?kinds) (COUNT(DISTINCT ?w) AS ?parents) WHERE {
                    ?p a hls:Place . OPTIONAL { ?p hls:placeKind ?k } OPTIONAL { ?p hls:within ?w } }
                      GROUP BY ?p"""
        )
    )
    assert len(rows) >= 39
    for row in rows:
        assert int(row["kinds"].value) <= 1, row["p"]
        assert int(row["parents"].value) <= 1, row["p"]


# --- every item in these files ------------------------------------------------------------


@pytest.mark.parametrize("stem", MY_FILES)
def test_every_item_is_public_and_traceable(stem):
    store = file_store(stem)
    rows = list(
        store.query(
            sparql_prologue()
            + """SELECT ?s (COUNT(DISTINCT ?a) AS ?levels) (COUNT(DISTINCT ?src) AS ?sources)
                        (SAMPLE(?a) AS ?level)
                 WHERE { ?s a ?type . FILTER(isIRI(?s))
                         OPTIONAL { ?s hls:accessLevel ?a } OPTIONAL { ?s prov:wasDerivedFrom ?src } }
                 GROUP BY ?s"""
        )
    )
    assert rows
    for row in rows:
        assert int(row["levels"].value) == 1 and row["level"].value == HLS + "public", row["s"]
        if stem != "sources":
            assert int(row["sources"].value) >= 1, f"{row['s'].value} has no prov:wasDerivedFrom"


@pytest.mark.parametrize("stem", ["organisations", "places"])
def test_every_citation_points_at_a_defined_source_section(kb, stem):
    store = file_store(stem)
    cited = {
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), None)
    }
    sections = values(kb, "SELECT (STR(?s) AS ?x) WHERE { ?s a hls:SourceSection }", "x")
    if stem == "places":  # a place's code, kind and parent come from the official code lists
        sections |= values(kb, "SELECT (STR(?s) AS ?x) WHERE { ?s a hls:CodeList }", "x")
    assert cited and cited <= sections, sorted(cited - sections)


@pytest.mark.parametrize("stem", MY_FILES)
def test_every_referenced_individual_is_defined(kb, stem):
    store = file_store(stem)
    referenced = {
        q.object.value
        for q in store
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(HLSD)
    }
    typed = values(kb, "SELECT DISTINCT (STR(?s) AS ?x) WHERE { ?s a ?t }", "x")
    assert referenced and referenced <= typed, sorted(referenced - typed)


@pytest.mark.parametrize("stem", MY_FILES)
def test_every_hls_term_used_exists_in_the_ontology(stem):
    ontology = ox.Store()
    for path in sorted(Path(ontology_dir()).glob("*.ttl")):
        ontology.load(path=str(path), format=ox.RdfFormat.TURTLE)
    defined = {q.subject.value for q in ontology if isinstance(q.subject, ox.NamedNode)}
    used = {
        term.value
        for q in file_store(stem)
        for term in (q.predicate, q.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(HLS) and not term.value.startswith(HLSD)
    }
    assert used and used <= defined, sorted(used - defined)
