"""The bundled claims (data/base/claims.ttl): which System Behaviours, HLS features and conditions
for change each case shows, each backed by evidence items that exist in the base. Checked
through the public API: ``hlsgraph.open()`` (the session fixture ``kb`` of conftest.py) and
``kb.select``."""

import pytest

from hlsgraph.namespaces import HLSG

CASES = ("hlsd:case-cornerstone", "hlsd:case-gateshead", "hlsd:case-blagrave-trust", "hlsd:case-plymouth")
SCHEMES = {
    "hlsc:system-behaviours": "System Behaviour",
    "hlsc:hls-features": "HLS feature",
    "hlsc:conditions-for-change": "condition for change",
}


@pytest.fixture(scope="module")
def claims(kb):
    return kb.select("""
        SELECT ?claim ?about ?concept ?scheme ?title ?summary WHERE {
          ?claim a hls:Claim ; hls:claimAbout ?about ; hls:claimsConcept ?concept ;
                 dcterms:title ?title ; hls:summary ?summary .
          ?concept skos:inScheme ?scheme .
          FILTER(?scheme IN (hlsc:system-behaviours, hlsc:hls-features, hlsc:conditions-for-change))
        }""")


def test_every_claim_names_what_it_is_about_and_a_concept_from_the_three_frameworks(kb, claims):
    all_claims = kb.select(f"SELECT ?claim WHERE {{ GRAPH <{HLSG}base/claims> {{ ?claim a hls:Claim }} }}")
    assert len(all_claims) >= 50
    assert set(all_claims["claim"]) <= set(claims["claim"])
    # the title says which framework the concept comes from
    for title, scheme in zip(claims["title"], claims["scheme"], strict=True):
        assert title.endswith(f"({SCHEMES[scheme]})"), title


def test_claims_are_about_case_studies_or_organisations(kb, claims):
    df = kb.select("""
        SELECT DISTINCT ?about ?kind WHERE {
          ?claim a hls:Claim ; hls:claimAbout ?about .
          OPTIONAL { ?about a hls:CaseStudy . BIND("case" AS ?case) }
          OPTIONAL { ?about a hls:Organisation . BIND("org" AS ?org) }
          BIND(COALESCE(?case, ?org) AS ?kind)
        }""")
    assert df["kind"].notna().all(), df[df["kind"].isna()].to_string()
    assert set(CASES) <= set(df["about"])


def test_every_claim_is_supported_by_evidence_that_exists(kb):
    df = kb.select("""
        SELECT ?claim (COUNT(DISTINCT ?evidence) AS ?n) (COUNT(DISTINCT ?known) AS ?known_n) WHERE {
          ?claim a hls:Claim ; hls:supportedBy ?evidence .
          OPTIONAL { ?evidence a hls:EvidenceItem ; dcterms:title ?t ; hls:accessLevel hls:public .
                     BIND(?evidence AS ?known) }
        } GROUP BY ?claim""")
    assert len(df) >= 50
    assert (df["n"] >= 1).all()
    missing = df[df["n"] != df["known_n"]]
    assert missing.empty, "claims citing evidence that is not in the base:\n" + missing.to_string()


def test_claims_rest_on_the_case_or_on_evidence_from_its_organisation(kb):
    every = kb.select("SELECT DISTINCT ?claim WHERE { ?claim a hls:Claim }")
    anchored = kb.select("""
        SELECT DISTINCT ?claim WHERE {
          ?claim a hls:Claim ; hls:claimAbout ?about .
          OPTIONAL { ?about hls:organisation ?case_org }
          BIND(COALESCE(?case_org, ?about) AS ?org)
          { ?claim hls:supportedBy ?about }
          UNION { ?claim hls:supportedBy ?own . ?own hls:organisation ?org }
          UNION { ?claim hls:supportedBy ?own . ?own hls:caseStudy ?about }
        }""")
    assert len(every) >= 50
    assert set(every["claim"]) == set(anchored["claim"]), sorted(set(every["claim"]) - set(anchored["claim"]))


@pytest.mark.parametrize("case", CASES)
def test_each_case_shows_behaviours_features_and_conditions(claims, case):
    mine = claims[claims["about"] == case]
    assert set(mine["scheme"]) == set(SCHEMES), case
    assert (mine["scheme"] == "hlsc:system-behaviours").sum() >= 1
    assert (mine["scheme"] == "hlsc:conditions-for-change").sum() >= 1


def test_all_nine_system_behaviours_are_claimed_somewhere(kb, claims):
    behaviours = kb.select("""
        SELECT ?b WHERE { ?b skos:inScheme hlsc:system-behaviours ; skos:broader ?group }""")
    assert len(behaviours) == 9
    claimed = set(claims[claims["scheme"] == "hlsc:system-behaviours"]["concept"])
    assert claimed == set(behaviours["b"])


def test_conditions_for_change_claimed_across_the_cases(claims):
    claimed = set(claims[claims["scheme"] == "hlsc:conditions-for-change"]["concept"])
    assert {
        "hlsc:a-clearly-articulated-case-for-change",
        "hlsc:leadership-support",
        "hlsc:strong-and-diverse-relationships-across-the-system",
        "hlsc:involvement-of-people-who-the-system-seeks-to-support",
        "hlsc:flexible-regulation-and-legislation",
        "hlsc:local-relationships",
        "hlsc:letting-go-of-the-illusion-of-control",
        "hlsc:investment-in-change",
    } <= claimed


def test_plymouth_funding_for_learning_claim_rests_on_the_alliance_budget(kb):
    df = kb.select("""
        SELECT ?value ?unit WHERE {
          hlsd:claim-plymouth-funding-for-learning hls:supportedBy ?obs .
          ?obs a hls:Observation ; hls:value ?value ; hls:unit ?unit .
        }""")
    rows = set(zip(df["value"], df["unit"], strict=True))
    assert (80_000_000, "GBP") in rows
    assert (10, "years") in rows


def test_gateshead_bespoke_claim_rests_on_mary_and_the_prototype(kb):
    df = kb.select("""
        SELECT ?evidence ?type ?value WHERE {
          hlsd:claim-gateshead-bespoke-by-default hls:supportedBy ?evidence .
          ?evidence a ?type . FILTER(?type IN (hls:Story, hls:Observation, hls:CaseStudy))
          OPTIONAL { ?evidence hls:value ?value }
        }""")
    assert "hlsd:story-mary" in set(df["evidence"])
    assert "hlsd:case-gateshead" in set(df["evidence"])
    assert 30 in set(df["value"].dropna())  # lives improved by the council tax prototype


def test_evidence_for_a_concept_can_be_found_from_the_claims(kb):
    """The question an analyst asks: what evidence is there that a place devolves decisions?"""
    df = kb.select("""
        SELECT DISTINCT ?about ?evidence WHERE {
          ?claim hls:claimsConcept hlsc:decision-making-is-devolved ; hls:claimAbout ?about ;
                 hls:supportedBy ?evidence .
        }""")
    assert {"hlsd:case-cornerstone", "hlsd:case-gateshead"} <= set(df["about"])
    assert "hlsd:story-mary" in set(df["evidence"])
