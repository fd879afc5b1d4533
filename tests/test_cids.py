"""The CIDS 3.2.1 export (hlsgraph.publishing.cids): outcomes, indicators and indicator reports
as the Common Impact Data Standard, conforming to Common Approach's own Basic-tier SHACL shapes
(../shared/data/cids), with nothing but what may leave."""

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

import hlsgraph
from hlsgraph.errors import ValidationError
from hlsgraph.publishing.cids import CIDS

SHARED = next(
    (
        p / "shared" / "data" / "cids"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "data" / "cids").is_dir()
    ),
    None,
)
needs_shapes = pytest.mark.skipif(
    SHARED is None, reason="Common Approach's CIDS files live beside the project checkout"
)


@pytest.fixture(scope="module")
def kb():
    return hlsgraph.open()


@pytest.fixture(scope="module")
def cids(kb):
    return rdflib.Graph().parse(data=kb.export_cids(), format="turtle")


def _count(graph, cls):
    return len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(CIDS + cls))))


@needs_shapes
def test_the_export_conforms_to_common_approachs_basic_tier_shapes(cids):
    import pyshacl

    shapes = rdflib.Graph().parse(SHARED / "shacl" / "cids.basictier.shacl.ttl", format="turtle")
    conforms, _graph, text = pyshacl.validate(cids, shacl_graph=shapes, inference="none")
    assert conforms, text[:3000]


def test_every_measure_and_observation_leaves_as_an_indicator_and_its_report(kb, cids):
    measures = kb.select(
        "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a hls:Measure ; hls:organisation ?o }"
    )["n"].iloc[0]
    observations = kb.select("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a hls:Observation }")["n"].iloc[0]
    assert _count(cids, "Indicator") == measures and _count(cids, "IndicatorReport") == observations
    assert _count(cids, "Outcome") >= 5 and _count(cids, "Organization") >= 10


def test_a_report_carries_its_value_period_indicator_and_organisation(cids):
    """003 'Context': IVAR interviewed three Alliance members in April 2023."""
    report = rdflib.URIRef("https://w3id.org/hls/id/obs-ivar-interviews")
    i72 = rdflib.Namespace("http://ontology.eil.utoronto.ca/ISO21972/iso21972#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    value = cids.value(report, i72.value)
    assert str(cids.value(value, i72.hasNumericalValue)) == "3"
    assert str(cids.value(report, prov.startedAtTime)) == "2023-04-01T00:00:00"
    assert str(cids.value(report, prov.endedAtTime)) == "2023-04-30T23:59:59"
    assert str(cids.value(report, rdflib.URIRef(CIDS + "forOrganization"))).endswith("org-ivar")
    assert str(cids.value(report, rdflib.URIRef(CIDS + "forIndicator"))).endswith("measure-ivar-interviews")


def test_an_undated_figure_is_reported_over_its_documents_year_and_says_so(cids):
    """002 (2019) gives Plymouth's £80m alliance budget without a date of its own."""
    report = rdflib.URIRef("https://w3id.org/hls/id/obs-plymouth-alliance-budget")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert str(cids.value(report, prov.startedAtTime)) == "2019-01-01T00:00:00"
    assert "no date" in str(cids.value(report, rdflib.URIRef(CIDS + "hasComment")))


def test_an_outcome_belongs_to_the_organisation_whose_evidence_reports_it(cids):
    """002 'Gateshead - Mary's story': treated as a whole person, reported by Gateshead's team."""
    outcome = rdflib.URIRef(
        "https://w3id.org/hls/id/org-gateshead-council--cids-outcome--being-treated-as-a-whole-person"
    )
    assert (outcome, rdflib.RDF.type, rdflib.URIRef(CIDS + "Outcome")) in cids
    assert str(cids.value(outcome, rdflib.URIRef(CIDS + "forOrganization"))).endswith("org-gateshead-council")


def test_only_what_may_leave_leaves(tmp_path):
    kb = hlsgraph.open()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix prov: <http://www.w3.org/ns/prov#> .
        hlsd:obs-canary-7f3a a hls:Observation ; dcterms:title "CANARY-7f3a a person's benefit" ;
            hls:measure hlsd:measure-gateshead-prototype-cost ; hls:value 12 ; hls:unit "GBP" ;
            hls:accessLevel hls:restricted ; prov:wasDerivedFrom hlsd:source-002-gateshead-case-study .
        hlsd:obs-internal-1 a hls:Observation ; dcterms:title "An internal figure" ;
            hls:measure hlsd:measure-gateshead-prototype-cost ; hls:value 5 ; hls:unit "GBP" ;
            hls:accessLevel hls:internal ; prov:wasDerivedFrom hlsd:source-002-gateshead-case-study .""",
        format="turtle",
    )
    public = kb.export_cids()
    assert "CANARY-7f3a" not in public and "obs-internal-1" not in public
    internal = kb.export_cids(tmp_path / "internal.jsonld", access=("public", "internal"))
    text = internal.read_text(encoding="utf-8")
    assert "obs-internal-1" in text and "CANARY-7f3a" not in text
    assert len(list(ox.parse(path=str(internal), format=ox.RdfFormat.JSON_LD))) > 900
    with pytest.raises(ValueError, match="unknown access level 'secret'"):
        kb.export_cids(access="secret")
    with pytest.raises(ValueError, match="use .ttl, .jsonld, .json or .nt"):
        kb.export_cids(tmp_path / "out.xml")


def test_an_item_at_a_level_not_asked_for_stops_the_export():
    """The closed check: an organisation with two access levels is named by a public item's
    report only through the query's guard; if it slipped through, nothing would be written."""
    from hlsgraph.publishing import cids

    kb = hlsgraph.open()
    kb.update("""PREFIX hls: <https://w3id.org/hls/> PREFIX hlsd: <https://w3id.org/hls/id/>
        INSERT DATA { GRAPH <https://w3id.org/hls/graph/test> { hlsd:org-ivar hls:accessLevel
          hls:restricted } }""")
    assert "org-ivar" not in kb.export_cids()  # the query leaves it out
    triples = [
        ox.Triple(
            ox.NamedNode("https://w3id.org/hls/id/org-ivar"),
            ox.NamedNode(rdflib.RDF.type),
            ox.NamedNode(CIDS + "Organization"),
        )
    ]
    with pytest.raises(
        ValidationError, match="would let out hlsd:org-ivar, whose access level is restricted"
    ):
        cids._check_released(kb, triples, {ox.NamedNode("https://w3id.org/hls/public")})
