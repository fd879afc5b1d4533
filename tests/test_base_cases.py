"""The bundled case studies, exemplars, drivers for change, change journeys, practice uses,
principles and funding arrangements (data/base/case-studies.ttl, exemplars.ttl, journeys.ttl,
practices.ttl, principles.ttl, funding.ttl), checked through the public API against facts in
the source documents, for integrity (every referenced IRI defined, provenance and access level
on every item) and against the SHACL shapes. ``kb`` is the session fixture of conftest.py,
``hlsgraph.open()`` shared read-only."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

import hlsgraph
from hlsgraph.namespaces import HLSG

OWN_FILES = ("case-studies", "exemplars", "journeys", "practices", "principles", "funding", "claims")
ITEM_FILES = ("case-studies", "exemplars", "journeys", "practices", "funding", "claims")
# The seeds sit beside the project checkout (../shared), wherever the checkout is (a worktree too).
SEEDS = next(
    (p / "shared" / "seeds" for p in Path(__file__).resolve().parents if (p / "shared" / "seeds").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "seeds",
)
CASES = ("hlsd:case-cornerstone", "hlsd:case-gateshead", "hlsd:case-blagrave-trust", "hlsd:case-plymouth")


def graph_iri(stem: str) -> str:
    return f"<{HLSG}base/{stem}>"


def column(df, name) -> list:
    return df[name].tolist()


# --------------------------------------------------------------------------- case studies


def test_the_four_case_studies_have_every_part_of_their_story_of_change(kb):
    df = kb.select("""
        SELECT ?case ?org ?place ?summary ?start ?impetus ?progress ?next WHERE {
          ?case a hls:CaseStudy ;
                hls:organisation ?org ; hls:summary ?summary ; hls:startingPoint ?start ;
                hls:impetus ?impetus ; hls:progressAndChallenges ?progress ; hls:whereNext ?next .
          OPTIONAL { ?case hls:place ?place }
          FILTER(?case IN (hlsd:case-cornerstone, hlsd:case-gateshead, hlsd:case-blagrave-trust,
                           hlsd:case-plymouth))
        }""")
    assert set(df["case"]) == set(CASES)
    for name in ("summary", "start", "impetus", "progress", "next"):
        assert all(len(text) > 60 for text in df[name]), name
    orgs = dict(zip(df["case"], df["org"], strict=True))
    assert orgs["hlsd:case-cornerstone"] == "hlsd:org-cornerstone"
    assert orgs["hlsd:case-gateshead"] == "hlsd:org-gateshead-council"
    assert orgs["hlsd:case-blagrave-trust"] == "hlsd:org-blagrave-trust"
    assert orgs["hlsd:case-plymouth"] == "hlsd:org-plymouth-city-council"
    places = df.groupby("case")["place"].apply(set).to_dict()
    assert places["hlsd:case-cornerstone"] == {"hlsd:place-scotland"}
    assert places["hlsd:case-plymouth"] == {"hlsd:place-plymouth"}
    assert places["hlsd:case-blagrave-trust"] == {
        "hlsd:place-berkshire",
        "hlsd:place-hampshire",
        "hlsd:place-isle-of-wight",
        "hlsd:place-sussex",
        "hlsd:place-wiltshire",
    }


def test_each_case_study_has_a_human_a_learning_and_a_systems_feature(kb):
    df = kb.select("""
        SELECT DISTINCT ?case ?feature ?top WHERE {
          ?case a hls:CaseStudy ; hls:hasFeature ?feature .
          ?feature a hls:Feature ; hls:summary ?summary ; hls:illustrates ?concept .
          ?concept skos:broaderTransitive? ?top .
          FILTER(?top IN (hlsc:human, hlsc:learning, hlsc:systems))
        }""")
    for case in CASES:
        tops = set(df[df["case"] == case]["top"])
        assert tops == {"hlsc:human", "hlsc:learning", "hlsc:systems"}, case
    # features are named nodes whose ids say which case they belong to
    assert all(f.startswith(c + "-feature-") for c, f in zip(df["case"], df["feature"], strict=True))


def test_case_study_features_use_narrower_hls_concepts(kb):
    df = kb.select("""
        SELECT DISTINCT ?concept WHERE {
          hlsd:case-gateshead hls:hasFeature ?feature . ?feature hls:illustrates ?concept .
        }""")
    assert {
        "hlsc:trust",
        "hlsc:devolved-decision-making",
        "hlsc:relational-practice",
        "hlsc:learning-drives-adaptation",
    } <= set(df["concept"])


def test_case_studies_list_their_references(kb):
    df = kb.select("""
        SELECT ?case (COUNT(DISTINCT ?ref) AS ?n) WHERE {
          ?case a hls:CaseStudy ; dcterms:bibliographicCitation ?ref .
        } GROUP BY ?case""")
    counts = dict(zip(df["case"], df["n"], strict=True))
    assert counts["hlsd:case-cornerstone"] == 4
    assert counts["hlsd:case-blagrave-trust"] == 8
    assert counts["hlsd:case-gateshead"] == 1
    assert counts["hlsd:case-plymouth"] == 1
    refs = kb.select("SELECT ?r WHERE { hlsd:case-cornerstone dcterms:bibliographicCitation ?r }")
    assert "Cornerstone Strategic Plan 2017-2020." in set(refs["r"])


def test_case_studies_name_their_drivers_and_practices(kb):
    drivers = kb.select("SELECT ?d WHERE { hlsd:case-gateshead hls:drivenBy ?d }")
    assert set(drivers["d"]) == {"hlsc:moral-case", "hlsc:financial-case", "hlsc:new-leaders-and-strategies"}
    corner = kb.select("SELECT ?d WHERE { hlsd:case-cornerstone hls:drivenBy ?d }")
    assert "hlsc:inspiration-from-elsewhere" in set(corner["d"])  # Buurtzorg
    practices = kb.select("""
        SELECT DISTINCT ?practice WHERE { hlsd:case-plymouth hls:usesPractice/hls:practice ?practice }""")
    assert {
        "hlsc:appreciative-inquiry",
        "hlsc:system-mapping",
        "hlsc:creative-solutions-forum",
        "hlsc:system-optimisation-group",
        "hlsc:listening-exercise",
    } == set(practices["practice"])


def test_plymouth_adopts_all_seven_alliance_principles(kb):
    df = kb.select("""
        SELECT DISTINCT ?p WHERE {
          hlsd:case-plymouth hls:adoptsPrinciple ?p . ?p skos:inScheme hlsc:plymouth-alliance-principles .
        }""")
    assert sorted(df["p"]) == [f"hlsc:plymouth-alliance-principle-{x}" for x in "abcdefg"]


def test_case_studies_have_their_kind_dates_and_every_organisation_involved(kb):
    """Issue #14: case studies had no kind, no dates and one organisation each. 002 'What does
    the change process look like in practice?' cites Plymouth in Example 1 (funder or
    commissioner led) and Cornerstone and Gateshead in Example 2 (delivery led); Blagrave, a
    funder leading its own change, is read as the first kind. Dates where the case gives them:
    Cornerstone's 2017 strategy to 2020, Blagrave's new approach since 2014, Plymouth's 2012 bid.
    Organisations the cases name as taking part are hls:involves."""
    kinds = kb.select("SELECT ?case ?kind WHERE { ?case a hls:CaseStudy ; hls:caseKind ?kind }")
    assert dict(zip(kinds["case"], kinds["kind"], strict=True)) == {
        "hlsd:case-cornerstone": "hlsc:delivery-led",
        "hlsd:case-gateshead": "hlsc:delivery-led",
        "hlsd:case-blagrave-trust": "hlsc:funder-commissioner-led",
        "hlsd:case-plymouth": "hlsc:funder-commissioner-led",
    }
    starts = kb.select("SELECT ?case (STR(?y) AS ?year) WHERE { ?case a hls:CaseStudy ; hls:periodStart ?y }")
    assert dict(zip(starts["case"], starts["year"], strict=True)) == {
        "hlsd:case-cornerstone": "2017",
        "hlsd:case-blagrave-trust": "2014",
        "hlsd:case-plymouth": "2012",
    }
    involved = kb.select("SELECT ?case ?org WHERE { ?case a hls:CaseStudy ; hls:involves ?org }")
    by_case = involved.groupby("case")["org"].apply(set).to_dict()
    assert {
        "hlsd:org-buurtzorg",
        "hlsd:org-scottish-care-inspectorate",
        "hlsd:org-cornerstone-foundation",
    } <= by_case["hlsd:case-cornerstone"]
    assert {"hlsd:org-jobcentre-plus", "hlsd:org-citizens-advice"} <= by_case["hlsd:case-gateshead"]
    assert {"hlsd:org-esmee-fairbairn-foundation", "hlsd:org-listening-fund"} <= by_case[
        "hlsd:case-blagrave-trust"
    ]
    assert {"hlsd:org-plymouth-clinical-commissioning-group", "hlsd:org-plymouth-alliance"} <= by_case[
        "hlsd:case-plymouth"
    ]
    profile = kb.inquire("case-study-profile", case="hlsd:case-plymouth")
    assert profile[profile["aspect"] == "kind of change"]["value"].tolist() == ["funder/commissioner led"]
    assert len(profile[profile["aspect"] == "organisation involved"]) == 2


# --------------------------------------------------------------------------- exemplars, drivers


def test_drivers_for_change_cover_every_organisation_in_the_table(kb):
    df = kb.select("""
        SELECT ?item ?org ?driver WHERE {
          ?item a hls:Exemplar ; hls:organisation ?org ; hls:drivenBy ?driver ;
                prov:wasDerivedFrom hlsd:source-002-drivers-for-change .
          ?driver skos:inScheme hlsc:drivers-for-change .
        }""")
    expected = {
        "hlsd:driver-mayday-trust": "hlsd:org-mayday-trust",
        "hlsd:driver-cornerstone": "hlsd:org-cornerstone",
        "hlsd:driver-hamoaze": "hlsd:org-hamoaze-house",
        "hlsd:driver-blagrave-trust": "hlsd:org-blagrave-trust",
        "hlsd:driver-lankelly-chase": "hlsd:org-lankelly-chase-foundation",
        "hlsd:driver-tudor-trust": "hlsd:org-tudor-trust",
        "hlsd:driver-south-tyneside": "hlsd:org-south-tyneside-council",
        "hlsd:driver-devon": "hlsd:org-devon-county-council",
        "hlsd:driver-glasgow": "hlsd:org-glasgow-city-health-and-social-care-partnership",
        "hlsd:driver-plymouth": "hlsd:org-plymouth-city-council",
    }
    assert dict(zip(df["item"], df["org"], strict=True)) == expected
    drivers = df.groupby("item")["driver"].apply(set).to_dict()
    assert "hlsc:incentives-for-collaboration" in drivers["hlsd:driver-plymouth"]  # the 2012 bid
    assert "hlsc:deep-listening" in drivers["hlsd:driver-hamoaze"]  # the appreciative inquiry event
    assert "hlsc:austerity" in drivers["hlsd:driver-mayday-trust"]
    places = kb.select(
        "SELECT ?d ?p WHERE { ?d hls:place ?p FILTER(?d IN (hlsd:driver-devon, hlsd:driver-glasgow, "
        "hlsd:driver-shekinah)) }"
    )
    assert dict(zip(places["d"], places["p"], strict=True)) == {
        "hlsd:driver-devon": "hlsd:place-devon",
        "hlsd:driver-glasgow": "hlsd:place-glasgow",
        "hlsd:driver-shekinah": "hlsd:place-plymouth",
    }


def test_shekinahs_drivers_are_only_what_its_quotation_says(kb):
    """002 'Drivers for change': Shekinah's words are about being unfit for a world of
    co-production, collaboration and alliance and stopping for a year to rethink its purpose;
    they name no new leader and no incentive, so no driver concept is recorded."""
    assert kb.select("SELECT ?d WHERE { hlsd:driver-shekinah hls:drivenBy ?d }").empty
    assert kb.ask(
        "ASK { hlsd:driver-shekinah hls:illustrates hlsc:start-with-purpose ; hls:organisation "
        "hlsd:org-shekinah }"
    )


def test_blagraves_2016_survey_is_one_exercise(kb):
    """002 'Drivers for change' (Blagrave's 'survey of grantees in 2016') and 'Funder: Blagrave
    Trust' (the 2016 Listening for Change survey with Esmée Fairbairn, 640 people) most likely
    describe one exercise: the base holds one, the driver points at it, and the case study's
    impetus no longer tells of a second survey."""
    surveys = kb.select("""
        SELECT ?s WHERE { ?s a hls:ListeningExercise ; hls:organisation hlsd:org-blagrave-trust }""")
    assert surveys["s"].tolist() == ["hlsd:survey-listening-for-change"]
    assert kb.ask("ASK { hlsd:driver-blagrave-trust dcterms:relation hlsd:survey-listening-for-change }")
    impetus = kb.select("SELECT ?i WHERE { hlsd:case-blagrave-trust hls:impetus ?i }")["i"].iloc[0]
    assert "In the same year it joined" not in impetus and "same exercise" in impetus


def test_oxfordshire_alliance_and_ivars_four_step_process(kb):
    ex = kb.select("""
        SELECT ?org ?place ?concept WHERE {
          hlsd:exemplar-oxfordshire-alliance-key-learning hls:organisation ?org ; hls:place ?place ;
              hls:illustrates ?concept .
        }""")
    assert "hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance" in set(ex["org"])
    assert set(ex["place"]) == {"hlsd:place-oxfordshire"}
    learning_points = kb.select("SELECT ?c WHERE { ?c skos:inScheme hlsc:ivar-key-learning-points }")
    assert set(ex["concept"]) == set(learning_points["c"]) and len(set(ex["concept"])) == 8
    steps = kb.select("""
        SELECT ?order ?stage WHERE {
          hlsd:journey-oxfordshire-ivar-process hls:hasStep ?s . ?s hls:stepOrder ?order ; hls:stage ?stage .
        } ORDER BY ?order""")
    assert column(steps, "order") == [1, 2, 3, 4]
    assert column(steps, "stage") == [
        "hlsc:building-relationships-and-trust",
        "hlsc:establishing-shared-purpose",
        "hlsc:establishing-shared-purpose",
        "hlsc:developing-principles-values-and-behaviours",
    ]


def test_entry_points_are_illustrated_by_examples(kb):
    df = kb.select("""
        SELECT DISTINCT ?entry WHERE {
          ?item a hls:Exemplar ; hls:illustrates ?entry . ?entry skos:inScheme hlsc:entry-points .
        }""")
    assert {
        "hlsc:collaboration-entry-point",
        "hlsc:root-causes-entry-point",
        "hlsc:single-organisation-entry-point",
    } <= set(df["entry"])


# --------------------------------------------------------------------------- journeys

FUNDER_LED = [
    "start-with-purpose",
    "understanding-the-system",
    "make-the-system-visible",
    "building-relationships-and-trust",
    "establishing-shared-purpose",
    "developing-principles-values-and-behaviours",
    "design",
    "resource-allocation",
    "experimentation-reflection-re-design",
    "governance-and-learning",
    "embedding-and-influencing",
]
DELIVERY_LED = [
    "start-with-purpose",
    "understanding-the-system",
    "building-relationships-and-trust",
    "establishing-shared-purpose",
    "developing-principles-values-and-behaviours",
    "design",
    "resource-allocation",
    "experimentation-reflection-re-design",
    "governance-and-learning",
    "embedding-and-influencing",
]


@pytest.mark.parametrize(
    "journey, kind, stages",
    [
        ("hlsd:journey-funder-commissioner-led", "hlsc:funder-commissioner-led", FUNDER_LED),
        ("hlsd:journey-delivery-led", "hlsc:delivery-led", DELIVERY_LED),
    ],
)
def test_worked_change_journeys_have_their_stages_in_order(kb, journey, kind, stages):
    df = kb.select(f"""
        SELECT ?kind ?order ?stage ?summary WHERE {{
          {journey} hls:journeyKind ?kind ; hls:hasStep ?step .
          ?step hls:stepOrder ?order ; hls:stage ?stage ; hls:summary ?summary .
          ?stage skos:inScheme hlsc:change-stages .
        }} ORDER BY ?order""")
    assert set(df["kind"]) == {kind}
    assert column(df, "order") == list(range(1, len(stages) + 1))
    assert column(df, "stage") == ["hlsc:" + s for s in stages]


def test_journey_steps_name_the_practices_the_source_attaches(kb):
    df = kb.select("""
        SELECT ?journey ?order ?practice WHERE {
          ?journey a hls:ChangeJourney ; hls:hasStep ?s . ?s hls:stepOrder ?order ; hls:practice ?practice .
        }""")
    rows = set(zip(df["journey"], df["order"], df["practice"], strict=True))
    assert ("hlsd:journey-funder-commissioner-led", 2, "hlsc:system-mapping") in rows
    assert ("hlsd:journey-funder-commissioner-led", 9, "hlsc:learning-communities") in rows
    assert ("hlsd:journey-delivery-led", 2, "hlsc:ethnographic-research") in rows
    assert ("hlsd:journey-delivery-led", 8, "hlsc:action-learning-sets") in rows
    assert ("hlsd:journey-delivery-led", 8, "hlsc:appreciative-inquiry") in rows


# --------------------------------------------------------------------------- practice uses


def test_every_practice_concept_is_used_somewhere(kb):
    df = kb.select("""
        SELECT DISTINCT ?practice WHERE {
          { ?use a hls:PracticeUse ; hls:practice ?practice } UNION { ?step a hls:JourneyStep ;
            hls:practice ?practice }
        }""")
    practices = kb.select("SELECT ?p WHERE { ?p skos:inScheme hlsc:practices }")
    assert len(practices) == 11
    assert set(df["practice"]) == set(practices["p"])


def test_practice_uses_name_organisation_and_stage(kb):
    df = kb.select("""
        SELECT ?use ?practice ?org ?stage WHERE {
          ?use a hls:PracticeUse ; hls:practice ?practice ; hls:organisation ?org ; hls:servesStage ?stage .
          ?practice skos:inScheme hlsc:practices . ?stage skos:inScheme hlsc:change-stages .
        }""")
    uses = kb.select("SELECT ?use WHERE { ?use a hls:PracticeUse }")
    assert set(df["use"]) == set(uses["use"]) and len(uses) >= 14
    rows = set(zip(df["use"], df["practice"], df["org"], df["stage"], strict=True))
    assert (
        "hlsd:practice-plymouth-creative-solutions-forum",
        "hlsc:creative-solutions-forum",
        "hlsd:org-plymouth-city-council",
        "hlsc:governance-and-learning",
    ) in rows
    assert (
        "hlsd:practice-devon-ethnographic-research",
        "hlsc:ethnographic-research",
        "hlsd:org-devon-county-council",
        "hlsc:understanding-the-system",
    ) in rows
    assert (
        "hlsd:practice-kirklees-restorative-practice",
        "hlsc:restorative-practice",
        "hlsd:org-kirklees-council",
        "hlsc:building-relationships-and-trust",
    ) in rows
    assert (
        "hlsd:practice-cornerstone-self-organising-teams",
        "hlsc:self-organising-teams",
        "hlsd:org-cornerstone",
        "hlsc:design",
    ) in rows


def test_practice_uses_point_at_the_evidence_they_produced(kb):
    df = kb.select("""
        SELECT ?use ?evidence WHERE { ?use a hls:PracticeUse ; prov:generated ?evidence . ?evidence a
          hls:EvidenceItem }""")
    pairs = set(zip(df["use"], df["evidence"], strict=True))
    assert ("hlsd:practice-gateshead-prototypes", "hlsd:prototype-gateshead-council-tax-arrears") in pairs
    assert ("hlsd:practice-hamoaze-appreciative-inquiry", "hlsd:inquiry-hamoaze-big-buzz") in pairs


# --------------------------------------------------------------------------- principles


def test_plymouth_principles_are_adopted_and_express_hls_concepts(kb):
    df = kb.select("""
        SELECT ?scheme ?p (GROUP_CONCAT(DISTINCT STR(?by); separator=" ") AS ?adopters)
               (COUNT(DISTINCT ?c) AS ?expressed) WHERE {
          ?p skos:inScheme ?scheme ; hls:adoptedBy ?by ; hls:expresses ?c .
          FILTER(?scheme IN (hlsc:plymouth-alliance-principles, hlsc:plymouth-tender-principles))
        } GROUP BY ?scheme ?p""")
    alliance = df[df["scheme"] == "hlsc:plymouth-alliance-principles"]
    tender = df[df["scheme"] == "hlsc:plymouth-tender-principles"]
    assert len(alliance) == 7 and len(tender) == 12
    assert all("/id/org-plymouth-alliance" in a for a in alliance["adopters"])
    assert all("/id/org-plymouth-city-council" in a for a in tender["adopters"])
    assert all(n >= 1 for n in df["expressed"])


def test_ivar_rules_of_engagement_are_adopted_by_the_oxfordshire_alliance(kb):
    df = kb.select("""
        SELECT ?rule ?by WHERE { ?rule skos:inScheme hlsc:ivar-rules-of-engagement ; hls:adoptedBy ?by }""")
    assert len(df) == 3
    assert set(df["by"]) == {"hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance"}


def test_principles_file_repeats_no_triple_of_the_ontology(kb):
    df = kb.select(f"""
        SELECT ?s ?p ?o WHERE {{
          GRAPH {graph_iri("principles")} {{ ?s ?p ?o }}
          GRAPH <{HLSG}ontology> {{ ?s ?p ?o }}
        }}""")
    assert len(df) == 0, df.to_string()


# --------------------------------------------------------------------------- funding


def funding(kb, item):
    """The kinds, parties, place, amount (currency, basis) and duration of one funding arrangement,
    one row per combination."""
    df = kb.select(f"""
        SELECT ?kind ?funder ?recipient ?place ?amount ?currency ?basis ?months WHERE {{
          {item} a hls:FundingArrangement ; hls:arrangementKind ?kind .
          OPTIONAL {{ {item} hls:funder ?funder }} OPTIONAL {{ {item} hls:recipient ?recipient }}
          OPTIONAL {{ {item} hls:place ?place }}
          OPTIONAL {{ {item} hls:amount ?amount ; hls:currency ?currency ; hls:amountBasis ?basis }}
          OPTIONAL {{ {item} hls:durationMonths ?months }}
        }}""")
    assert len(df) > 0, f"{item} is not a funding arrangement"
    return df


def test_plymouth_alliance_contract_is_80m_over_10_years(kb):
    """002 "Commissioner: Plymouth City Council": an £80m, 10 year, shared budget: a total over
    the period, not a yearly sum."""
    df = funding(kb, "hlsd:funding-plymouth-alliance-contract")
    assert set(df["amount"]) == {80_000_000}
    assert set(df["currency"]) == {"GBP"}
    assert set(df["basis"]) == {"hlsc:total-over-period"}
    assert set(df["months"]) == {120}
    assert set(df["funder"]) == {
        "hlsd:org-plymouth-city-council",
        "hlsd:org-plymouth-clinical-commissioning-group",
    }
    assert set(df["recipient"]) == {"hlsd:org-plymouth-alliance"}
    assert "hlsc:alliance-contract" in set(df["kind"])
    assert set(df["place"]) == {"hlsd:place-plymouth"}


def test_other_funding_arrangements_match_the_sources(kb):
    """Each amount with what it stands for (002): York's seven-year contract (84 months, no sum
    given); Plymouth's £638 million integrated fund (a fund); Blagrave's around £2 million per
    year; the £900,000 Listening Fund (a fund); Lankelly Chase's three-year £100k grants (per
    grant); Oxfordshire's five-year budget (003 "Context", 60 months, no sum given)."""
    york = funding(kb, "hlsd:funding-york-substance-misuse-contract")
    assert set(york["months"]) == {84} and set(york["place"]) == {"hlsd:place-york"}
    fund = funding(kb, "hlsd:funding-plymouth-integrated-fund")
    assert set(fund["amount"]) == {638_000_000} and set(fund["basis"]) == {"hlsc:fund-size"}
    blagrave = funding(kb, "hlsd:funding-blagrave-trust-core-funding")
    assert set(blagrave["amount"]) == {2_000_000} and set(blagrave["basis"]) == {"hlsc:per-year"}
    assert "hlsc:multi-year-core-funding" in set(blagrave["kind"])
    listening = funding(kb, "hlsd:funding-listening-fund")
    assert set(listening["amount"]) == {900_000} and len(set(listening["funder"])) == 4
    assert set(listening["basis"]) == {"hlsc:fund-size"}
    lankelly = funding(kb, "hlsd:funding-lankelly-chase-outcome-grants")
    assert set(lankelly["amount"]) == {100_000} and set(lankelly["months"]) == {36}
    assert set(lankelly["basis"]) == {"hlsc:per-grant"}
    tudor = funding(kb, "hlsd:funding-tudor-trust-children-england")
    assert set(tudor["recipient"]) == {"hlsd:org-children-england"}
    oxford = funding(kb, "hlsd:funding-oxfordshire-alliance-contract")
    assert set(oxford["months"]) == {60}
    assert "hlsc:innovation-partnership" in set(
        funding(kb, "hlsd:funding-option-innovation-partnership")["kind"]
    )


def test_only_the_whitman_institute_is_called_trust_based_philanthropy(kb):
    """002 'Funders and commissioners: trust-based funding': the US-based Whitman Institute calls
    what it does trust-based philanthropy; Blagrave's multi-year core funding and Tudor's
    relational grants illustrate trust-based funding but are never given that name."""
    df = kb.select("SELECT ?item WHERE { ?item hls:arrangementKind hlsc:trust-based-philanthropy }")
    assert df["item"].tolist() == ["hlsd:funding-whitman-institute"]
    trust = kb.select(
        "SELECT ?item WHERE { ?item a hls:FundingArrangement ; hls:illustrates hlsc:trust-based-funding }"
    )
    assert {"hlsd:funding-blagrave-trust-core-funding", "hlsd:funding-tudor-trust-relational-grants"} <= set(
        trust["item"]
    )


def test_funding_amounts_are_decimals_in_pounds_each_with_its_basis(kb):
    df = kb.select("""
        SELECT ?item ?amount ?unit ?currency ?basis WHERE {
          ?item a hls:FundingArrangement ; hls:amount ?amount ; hls:unit ?unit
          OPTIONAL { ?item hls:currency ?currency } OPTIONAL { ?item hls:amountBasis ?basis } }""")
    assert set(df["item"]) == {
        "hlsd:funding-plymouth-alliance-contract",
        "hlsd:funding-plymouth-integrated-fund",
        "hlsd:funding-blagrave-trust-core-funding",
        "hlsd:funding-listening-fund",
        "hlsd:funding-lankelly-chase-outcome-grants",
    }
    assert set(df["unit"]) == {"GBP"} and set(df["currency"]) == {"GBP"}
    assert df["basis"].notna().all()
    assert all(Decimal(str(a)) > 0 for a in df["amount"])


# --------------------------------------------------------------------------- integrity


def subjects_of(kb, stem: str) -> set[str]:
    df = kb.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH {graph_iri(stem)} {{ ?s ?p ?o }} }}", compact=False)
    return set(df["s"])


@pytest.mark.parametrize("stem", ITEM_FILES)
def test_every_item_has_title_provenance_and_public_access(kb, stem):
    df = kb.select(f"""
        SELECT ?s (COUNT(DISTINCT ?title) AS ?titles) (COUNT(DISTINCT ?section) AS ?sections)
               (GROUP_CONCAT(DISTINCT STR(?access)) AS ?levels) WHERE {{
          GRAPH {graph_iri(stem)} {{ ?s a ?type }}
          OPTIONAL {{ ?s dcterms:title ?title }}
          OPTIONAL {{ ?s prov:wasDerivedFrom ?section . ?section a hls:SourceSection }}
          OPTIONAL {{ ?s hls:accessLevel ?access }}
        }} GROUP BY ?s""")
    assert len(df) > 0
    problems = df[
        (df["titles"] != 1) | (df["sections"] < 1) | (df["levels"] != "https://w3id.org/hls/public")
    ]
    assert problems.empty, problems.to_string()


@pytest.mark.parametrize("stem", OWN_FILES)
def test_every_referenced_hls_iri_is_defined(kb, stem):
    used = kb.select(
        f"""
        SELECT DISTINCT ?iri WHERE {{
          GRAPH {graph_iri(stem)} {{ {{ ?iri ?p ?o }} UNION {{ ?s ?iri ?o }} UNION {{ ?s ?p ?iri }} }}
          FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), "https://w3id.org/hls/"))
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?iri ?anyP ?anyO }} FILTER(?g != {graph_iri(stem)}) }}
          FILTER NOT EXISTS {{ GRAPH {graph_iri(stem)} {{ ?iri a ?type }} }}
        }}""",
        compact=False,
    )
    assert used.empty, "undefined: " + ", ".join(used["iri"])


def test_own_files_conform_to_the_shapes(kb):
    report = kb.validate()
    mine = set().union(*(subjects_of(kb, stem) for stem in OWN_FILES))
    frame = report.to_dataframe()
    ours = frame[frame["focus_node"].isin(mine)]
    assert ours.empty, ours.to_string()
    assert len(mine) > 150  # the check ran over the items, not over nothing


def test_the_shape_check_would_catch_a_broken_item():
    """The conformance test above filters the report by focus node; make sure a broken item of
    the same kind really shows up there under its own IRI."""
    kb = hlsgraph.open()
    try:
        kb.load(
            data="""
            @prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
            hlsd:claim-broken a hls:Claim ; hls:supportedBy hlsd:org-cornerstone .
            hlsd:journey-broken-step a hls:JourneyStep ; hls:stepOrder "first" .
        """,
            format="turtle",
        )
        frame = kb.validate().to_dataframe()
    finally:
        kb.close()
    flagged = set(frame["focus_node"])
    assert "https://w3id.org/hls/id/claim-broken" in flagged
    assert "https://w3id.org/hls/id/journey-broken-step" in flagged


# --------------------------------------------------------------------------- named inquiries on this data


@pytest.mark.parametrize("case", CASES)
def test_case_study_profile_inquiry_shows_the_whole_story(kb, case):
    df = kb.inquire("case-study-profile", case=case)
    aspects = set(df["aspect"])
    assert {
        "overview",
        "starting point",
        "impetus",
        "progress and challenges",
        "where next",
        "feature",
        "practice used",
        "driver for change",
        "reference",
    } <= aspects
    assert (df["aspect"] == "feature").sum() >= 3


def test_change_journey_inquiry_walks_both_worked_examples(kb):
    df = kb.inquire("change-journey", journey="hlsd:journey-delivery-led")
    assert df["stepOrder"].tolist() == list(range(1, len(DELIVERY_LED) + 1))
    assert df["stage"].tolist() == ["hlsc:" + s for s in DELIVERY_LED]


def test_enablers_and_barriers_have_evidence_from_the_cases(kb):
    df = kb.inquire("enablers-and-barriers")
    counts = dict(zip(df["factor"], df["evidenceItems"], strict=True))
    # Blagrave, Gateshead, Plymouth and the drivers of Mayday, Hamoaze, Plymouth, South Tyneside
    assert counts["hlsc:enabler-case-for-change"] >= 7
    assert counts["hlsc:enabler-involvement"] >= 5
    assert counts["hlsc:barrier-letting-go"] >= 2  # Cornerstone's and Gateshead's cultures of control


# --------------------------------------------------------------------------- own words


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents live beside the project checkout only")
def test_prose_is_our_own_words(kb):
    """No summary, title or story-of-change text repeats ten consecutive words of a source
    (bibliographic citations excepted: they are the sources' own titles)."""
    n = 10
    seen = set()
    for path in sorted(SEEDS.glob("0*.txt")):
        words = _words(path.read_text(encoding="utf-8"))
        seen.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    copied = []
    for stem in ITEM_FILES:
        df = kb.select(f"""
            SELECT ?s ?p ?text WHERE {{
              GRAPH {graph_iri(stem)} {{ ?s ?p ?text }}
              FILTER(isLiteral(?text) && ?p != dcterms:bibliographicCitation)
            }}""")
        for subject, prop, text in zip(df["s"], df["p"], df["text"], strict=True):
            words = _words(str(text))
            runs = [
                " ".join(words[i : i + n])
                for i in range(len(words) - n + 1)
                if tuple(words[i : i + n]) in seen
            ]
            if runs:
                copied.append(f"{subject} {prop}: {runs[0]!r}")
    assert not copied, "\n".join(copied)
