"""Every named inquiry answers on the bundled evidence base, through ``hlsgraph.open()`` and
``kb.inquire``, with rows derived from the source documents (cited per test). Hierarchies are
checked where they matter: a narrower concept counts for its broader one, a place for the places
containing it. Inquiries whose subject the bundled base does not hold (self-assessments,
dated outcomes, claims) are also run on small evidence graphs loaded the way users load theirs."""

import pandas as pd
import pytest

import hlsgraph
from hlsgraph.errors import AmbiguousLabelError, UnknownInquiryError, UnknownLabelError
from hlsgraph.inquiries import InquiryParameterError, load_inquiries


@pytest.fixture(scope="module")
def kb():
    return hlsgraph.open()


def rows(df: pd.DataFrame, **where) -> pd.DataFrame:
    """The rows of ``df`` whose columns equal the given values."""
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column].astype("string").fillna("").eq(value)
    return df[mask]


# ------------------------------------------------------------------ every inquiry runs


@pytest.mark.parametrize("name", sorted(load_inquiries()))
def test_every_inquiry_answers_with_its_declared_columns(kb, name):
    """Run with a plausible value for each required parameter; the columns are the query's
    variables, the inquiry is recorded in attrs, and the bundled base gives rows."""
    required = {
        "stories-by-concept": {"concept": "Strengths"},
        "compare-places": {"places": ["Plymouth", "Gateshead"]},
        "case-study-profile": {"case": "hlsd:case-plymouth"},
        "actors-and-relationships": {"place": "Plymouth"},
        "provenance": {"item": "hlsd:story-jacob"},
        "keyword-search": {"keyword": "Jacob"},
        "funder-profile": {"funder": "Blagrave Trust"},
    }
    df = kb.inquire(name, **required.get(name, {}), pivot=False)
    inquiry = load_inquiries()[name]
    for parameter in inquiry.parameters:
        assert parameter.name in df.columns
    assert df.attrs.get("inquiry") == name
    # The bundled base holds no grants data: tests/test_giving360_inquiries.py runs grants-by-place
    # on the shared 360Giving files.
    if name not in ("self-assessment-over-time", "system-behaviour-evidence", "grants-by-place"):
        assert len(df) > 0, f"{name} found nothing in the bundled base"


# ------------------------------------------------------------------ places


def test_places_with_their_codes_kinds_and_parents(kb):
    """Issue #14: each place's kind is the one its GSS code's entity names; the parent is the
    direct one, with the code list its record cites."""
    df = kb.inquire("places")
    assert {"place", "placeLabel", "gssCode", "kind", "within"} <= set(df.columns)
    coded = df[df["gssCode"].notna()]
    assert len(coded) >= 30 and (coded["kind"] == coded["kindFromCode"]).all()
    oxford = rows(df, place="hlsd:place-oxford").iloc[0]
    assert oxford["kind"] == "hlsc:non-metropolitan-district" and oxford["settlement"] == "city"
    assert oxford["within"] == "hlsd:place-oxfordshire"
    assert oxford["withinSource"].startswith("ONS area lookups")
    netherlands = rows(df, place="hlsd:place-netherlands").iloc[0]
    assert netherlands["kind"] == "hlsc:sovereign-state" and netherlands["isoCode"] == "NL"
    assert pd.isna(rows(df, place="hlsd:place-bicester").iloc[0]["within"])


def test_places_within_an_area_and_of_a_kind(kb):
    south_east = set(kb.inquire("places", area="South East England")["place"])
    assert {"hlsd:place-oxford", "hlsd:place-hampshire", "hlsd:place-southampton"} <= south_east
    assert "hlsd:place-plymouth" not in south_east
    unitary = set(kb.inquire("places", placeKind="hlsc:unitary-authority")["place"])
    assert {"hlsd:place-plymouth", "hlsd:place-york", "hlsd:place-wiltshire"} <= unitary
    assert "hlsd:place-gateshead" not in unitary


# ------------------------------------------------------------------ the basis of links


def test_stories_say_whether_a_source_states_their_link(kb):
    """Issue #14: every link says whether a source states it. Jacob's story is stated for
    strengths (he works with a Mayday 'Asset Coach', 002 "Mayday Trust - Jacob's story"); a
    quotation the editors read as showing trust is interpreted, and basis=stated sets it aside."""
    everything = kb.inquire("stories-by-concept", concept="hlsc:trust")
    assert set(everything["basis"]) == {"stated", "interpreted"}
    stated = kb.inquire("stories-by-concept", concept="hlsc:trust", basis="stated")
    interpreted = kb.inquire("stories-by-concept", concept="hlsc:trust", basis="interpreted")
    assert set(stated["basis"]) == {"stated"} and set(interpreted["basis"]) == {"interpreted"}
    assert set(stated["story"]) | set(interpreted["story"]) == set(everything["story"])
    assert not set(stated["story"]) & set(interpreted["story"])
    assert "hlsd:vignette-002-york-learning-together" in set(interpreted["story"])
    assert rows(kb.inquire("stories-by-concept", concept="hlsc:strengths"), story="hlsd:story-jacob")[
        "basis"
    ].tolist() == ["stated"]


def test_system_behaviours_rest_on_interpretation_in_the_bundled_base(kb):
    """002 never applies Lankelly Chase's nine System Behaviours to a case: every row is
    interpreted, and asking for stated evidence gives none."""
    df = kb.inquire("system-behaviour-evidence")
    assert len(df) > 30 and set(df["basis"]) == {"interpreted"}
    assert kb.inquire("system-behaviour-evidence", basis="stated").empty


def test_principle_mappings_are_interpreted(kb):
    """002 'Plymouth's principles' states the adoption of the Alliance principles; which HLS
    concepts each expresses is the editors' mapping, so the rows are interpreted."""
    df = kb.inquire("principles-by-place", place="Plymouth")
    assert len(df) > 50 and set(df["basis"]) == {"interpreted"}


def test_gap_map_shows_system_behaviours_through_the_claims_places(kb):
    """Claims carry no place (0 of 54 did); they count for the place of the case study or
    organisation they are about, and all rest on interpretation."""
    df = kb.inquire("evidence-gap-map", scheme="hlsc:system-behaviours")
    plymouth = rows(df, place="hlsd:place-plymouth")
    assert plymouth["items"].sum() >= 8 and set(plymouth["evidenceType"]) >= {"hls:Claim"}
    assert set(df["basis"]) == {"interpreted"}
    assert kb.inquire("evidence-gap-map", scheme="hlsc:system-behaviours", basis="stated").empty


def test_gap_map_counts_each_item_once_per_cell_whatever_its_basis(kb):
    df = kb.inquire("evidence-gap-map")
    key = ["place", "concept", "evidenceType"]
    both = df.groupby(key)["basis"].nunique()
    # An item is counted under one basis per cell, so the two bases add up to the items.
    total = df.groupby(key)["items"].sum()
    stated = kb.inquire("evidence-gap-map", basis="stated").groupby(key)["items"].sum()
    assert (stated <= total.reindex(stated.index)).all() and (both <= 2).all()


# ------------------------------------------------------------------ stories-by-concept


def test_stories_for_strengths_include_jacob(kb):
    """002 "Human" / Mayday Trust, Jacob's story: a strengths-based coach, nothing to fix."""
    df = kb.inquire("stories-by-concept", concept="Strengths")
    assert "hlsd:story-jacob" in df["story"].tolist()
    jacob = rows(df, story="hlsd:story-jacob").iloc[0]
    assert jacob["kind"] == "hls:Story" and jacob["access"] == "hls:public"
    assert "Strengths" in jacob["illustrates"]
    assert set(df["concept"]) == {"hlsc:strengths"}
    assert df["story"].is_unique


def test_a_narrower_concept_counts_for_its_broader_one(kb):
    """Strengths is one of VEST under Human (002 "Human"): every Strengths story is a Human story."""
    strengths = set(kb.inquire("stories-by-concept", concept="Strengths")["story"])
    human = set(kb.inquire("stories-by-concept", concept="hlsc:human")["story"])
    assert strengths and strengths <= human
    assert {"hlsd:story-jacob", "hlsd:story-mary"} <= human


def test_stories_in_a_place_include_places_within_it(kb):
    """Mary's story happened in Gateshead (002 Gateshead case study), which is in North East England."""
    in_gateshead = kb.inquire("stories-by-concept", concept="Human", place="Gateshead")
    assert "hlsd:story-mary" in in_gateshead["story"].tolist()
    assert "hlsd:story-jacob" not in in_gateshead["story"].tolist()  # Mayday's story names no place
    in_region = kb.inquire("stories-by-concept", concept="Human", place="North East England")
    assert set(in_gateshead["story"]) <= set(in_region["story"])
    assert set(in_region["place"]) == {"hlsd:place-north-east-england"}
    in_plymouth = kb.inquire("stories-by-concept", concept="Human", place="Plymouth")
    assert "hlsd:story-mary" not in in_plymouth["story"].tolist()


def test_labels_are_checked_against_the_parameter_kind(kb):
    with pytest.raises(UnknownLabelError) as caught:
        kb.inquire("stories-by-concept", concept="Strenghts")
    assert "Strengths" in str(caught.value) and "hlsc:strengths" in str(caught.value)
    with pytest.raises(UnknownLabelError, match="no hls:Place labelled 'Gateshead Council'"):
        kb.inquire("stories-by-concept", concept="Human", place="Gateshead Council")
    with pytest.raises(InquiryParameterError, match="needs parameter 'concept'"):
        kb.inquire("stories-by-concept")
    with pytest.raises(UnknownInquiryError, match="did you mean 'stories-by-concept'"):
        kb.inquire("storys-by-concept", concept="Human")


# ------------------------------------------------------------------ evidence-gap-map


def test_gap_map_counts_up_both_hierarchies(kb):
    """The Gateshead case study (002) has a Human feature illustrating Trust; it counts for Trust
    and Human, in Gateshead and in every place containing Gateshead."""
    df = kb.inquire("evidence-gap-map")
    assert set(df["scheme"]) == {"hlsc:hls-features"}
    for place in ("hlsd:place-gateshead", "hlsd:place-north-east-england", "hlsd:place-england"):
        for concept in ("hlsc:trust", "hlsc:human"):
            cell = rows(df, place=place, concept=concept, evidenceType="hls:CaseStudy")
            assert len(cell) == 1 and cell["items"].iloc[0] >= 1, (place, concept)
    gateshead = rows(df, place="hlsd:place-gateshead", concept="hlsc:human", evidenceType="hls:Story")
    england = rows(df, place="hlsd:place-england", concept="hlsc:human", evidenceType="hls:Story")
    assert england["items"].iloc[0] >= gateshead["items"].iloc[0] >= 1  # Mary's story
    assert df["items"].dtype.name == "Int64" and (df["items"] > 0).all()


def test_gap_map_within_a_place_and_for_another_scheme(kb):
    df = kb.inquire("evidence-gap-map", within="North East England")
    assert "hlsd:place-gateshead" in set(df["place"])
    assert "hlsd:place-plymouth" not in set(df["place"])
    drivers = kb.inquire("evidence-gap-map", scheme="hlsc:drivers-for-change")
    # 002 Plymouth case study: driven by the moral and the financial case.
    assert len(rows(drivers, place="hlsd:place-plymouth", concept="hlsc:moral-case")) >= 1


# ------------------------------------------------------------------ compare-places


def test_compare_plymouth_and_gateshead(kb):
    """002: Plymouth commissioned through an alliance contract; Gateshead through prototypes.
    One column of counts per place, named by the place, in the order given."""
    df = kb.inquire("compare-places", places=["Plymouth", "Gateshead"])
    assert list(df.columns[-2:]) == ["Plymouth", "Gateshead"]
    alliance = rows(df, concept="hlsc:alliance-contract", quantity="items").iloc[0]
    assert alliance["Plymouth"] >= 1 and alliance["Gateshead"] == 0
    assert alliance["scheme"] == "hlsc:funding-arrangements"
    trust = rows(df, concept="hlsc:trust", scheme="hlsc:hls-features", basis="stated").iloc[0]
    assert trust["Plymouth"] >= 1 and trust["Gateshead"] >= 1
    long = kb.inquire("compare-places", places=["Plymouth", "Gateshead"], pivot=False)
    assert set(long["places"]) == {"hlsd:place-plymouth", "hlsd:place-gateshead"}


def test_compare_answers_the_same_in_any_order(kb):
    ab = kb.inquire("compare-places", places=["Plymouth", "Gateshead"])
    ba = kb.inquire("compare-places", places=["Gateshead", "Plymouth"])
    assert list(ba.columns[-2:]) == ["Gateshead", "Plymouth"]
    key = ["aspect", "concept", "purpose", "quantity", "currency", "amountBasis", "basis"]
    merged = ab.merge(ba, on=key, suffixes=("", "_ba"))
    assert len(merged) == len(ab) == len(ba)
    assert (merged["Plymouth"] == merged["Plymouth_ba"]).all()


def test_compare_needs_two_places(kb):
    with pytest.raises(InquiryParameterError, match="needs at least 2 different values, not 1"):
        kb.inquire("compare-places", places=["Plymouth", "hlsd:place-plymouth"])


def test_compare_three_places_shows_system_behaviours_measures_by_purpose_and_honest_money(kb):
    """Issue #14, done when comparing three places shows System Behaviours, measures by purpose
    and money that adds up honestly.

    System Behaviours reach a place through the cases its claims are about (none had a place).
    Gateshead's fourteen measures (002 'Using data to learn') show under measurement for learning
    (it showed 0). Money is added per currency and basis: South West England has Plymouth's £80m
    over ten years and its £638m fund apart (it was summed with Blagrave's £2m a year into
    £720m), and Blagrave's £2m a year, for five places in two regions, is added to neither region
    but shown as shared (it was counted once per county: £8m in South East England)."""
    df = kb.inquire(
        "compare-places", places=["Plymouth", "Gateshead", "South West England", "South East England"]
    )
    behaviours = df[df["scheme"] == "hlsc:system-behaviours"]
    assert behaviours["Plymouth"].sum() >= 8 and behaviours["Gateshead"].sum() >= 2
    assert set(behaviours["basis"]) == {"interpreted"}
    learning = rows(df, concept="hlsc:learning-purpose", quantity="items", basis="stated").iloc[0]
    assert learning["Gateshead"] >= 14
    cross = rows(df, concept="hlsc:citizens", purpose="hlsc:learning-purpose", basis="stated").iloc[0]
    assert cross["Gateshead"] == 2  # the Gateshead table's two citizens' measures
    money = df[df["quantity"] == "amount"].set_index("amountBasis")
    assert money.loc["total-over-period", "South West England"] == 80_000_000
    assert money.loc["fund-size", "South West England"] == 638_000_000
    assert "per-year" not in money.index  # nothing per year lies wholly inside any of the four
    shared = rows(df, quantity="not added: shared beyond the place", amountBasis="per-year").iloc[0]
    assert shared["South West England"] == 1 and shared["South East England"] == 1
    # Counted once for a place holding all its parts, not once per county: England holds
    # Plymouth's two sums once. Blagrave's Berkshire and Sussex have no code and no parent in
    # any official list, so no place in the base is known to hold all of its five places.
    england = kb.inquire("compare-places", places=["England", "Plymouth"])
    totals = england[england["quantity"] == "amount"].set_index("amountBasis")["England"]
    assert totals.to_dict() == {"fund-size": 638_000_000, "total-over-period": 80_000_000}
    assert rows(england, quantity="not added: shared beyond the place")["England"].tolist() == [1]


def test_compare_can_set_interpretation_aside(kb):
    stated = kb.inquire("compare-places", places=["Plymouth", "Gateshead"], basis="stated")
    assert set(stated["basis"]) == {"stated"}
    assert stated[stated["scheme"] == "hlsc:system-behaviours"].empty
    assert rows(stated, quantity="amount", amountBasis="total-over-period")["Plymouth"].tolist() == [
        80_000_000
    ]


# ------------------------------------------------------------------ measures-by-perspective


def test_gateshead_measures_cover_all_three_perspectives(kb):
    """002 Gateshead: the learning cycle draws on measures for citizens, employees and
    volunteers, and system resources, used for learning."""
    df = kb.inquire("measures-by-perspective")
    gateshead = rows(df, organisation="hlsd:org-gateshead-council")
    assert set(gateshead["measurePerspective"]) >= {
        "hlsc:citizens",
        "hlsc:employees-and-volunteers",
        "hlsc:system-resources",
    }
    by_perspective = gateshead.groupby("measurePerspective")["questions"].agg(lambda s: set(s.dropna()))
    assert "Is it efficient?" in by_perspective["hlsc:employees-and-volunteers"]
    assert "Is it sustainable?" in by_perspective["hlsc:system-resources"]


def test_measures_filtered_by_perspective_and_purpose(kb):
    system = kb.inquire("measures-by-perspective", perspective="System resources")
    assert len(system) > 0 and set(system["measurePerspective"]) == {"hlsc:system-resources"}
    assert "hlsd:measure-gateshead-prototype-cost" in system["measure"].tolist()
    assurance = kb.inquire("measures-by-perspective", purpose="hlsc:regulatory-assurance")
    # 002 Cornerstone: it still tracks KPIs such as complaints to show a safe, regulated service.
    assert "hlsd:measure-cornerstone-kpi-complaints" in assurance["measure"].tolist()
    assert "hlsd:measure-gateshead-prototype-cost" not in assurance["measure"].tolist()


# ------------------------------------------------------------------ trust-based-funding


def test_trust_based_funding_from_the_sources(kb):
    """002 "Trust-based funding": Whitman Institute's trust-based philanthropy, Tudor Trust's
    unconditional core funding (Children England); 002 Blagrave case: multi-year core funding."""
    df = kb.inquire("trust-based-funding")
    funders = set(df["itemFunder"].dropna())
    assert {"hlsd:org-tudor-trust", "hlsd:org-blagrave-trust", "hlsd:org-whitman-institute"} <= funders
    blagrave = rows(df, item="hlsd:funding-blagrave-trust-core-funding").iloc[0]
    assert "multi-year core funding" in blagrave["kinds"]
    # 002 "Funder: Blagrave Trust": around £2 million *per year*.
    assert blagrave["amount"] == 2_000_000 and blagrave["currency"] == "GBP"
    assert blagrave["amountBasis"] == "per-year"
    tudor = rows(df, item="hlsd:funding-tudor-trust-children-england").iloc[0]
    assert "Children England" in tudor["recipients"]
    # 002 "Drivers for change": Lankelly Chase's earlier outcome-based grants are the contrast.
    assert "hlsd:funding-lankelly-chase-outcome-grants" not in df["item"].tolist()


def test_trust_based_funding_of_the_brief_includes_lankelly_chase(kb):
    """The issue's example lists Lankelly Chase with Tudor and Blagrave (002 "Funding for
    learning": its funding is framed as inquiries)."""
    df = kb.inquire("trust-based-funding")
    assert "hlsd:org-lankelly-chase-foundation" in set(df["itemFunder"].dropna())


def test_trust_based_funding_by_funder_and_place(kb):
    tudor = kb.inquire("trust-based-funding", funder="Tudor Trust")
    assert len(tudor) >= 2 and set(tudor["itemFunder"]) == {"hlsd:org-tudor-trust"}
    in_hampshire = kb.inquire("trust-based-funding", place="Hampshire")
    assert "hlsd:funding-blagrave-trust-core-funding" in in_hampshire["item"].tolist()
    assert "hlsd:funding-tudor-trust-children-england" not in in_hampshire["item"].tolist()


# ------------------------------------------------------------------ case-study-profile


def test_plymouth_profile(kb):
    """002 Plymouth case study: £80m pooled over 10 years as an alliance contract; the seven
    Alliance principles a-g; led by Plymouth City Council."""
    df = kb.inquire("case-study-profile", case="hlsd:case-plymouth")
    assert df["order"].is_monotonic_increasing
    assert rows(df, aspect="organisation")["item"].tolist() == ["hlsd:org-plymouth-city-council"]
    assert rows(df, aspect="place")["item"].tolist() == ["hlsd:place-plymouth"]
    funding = rows(df, aspect="funding arrangement")
    alliance = funding[funding["amount"] == 80_000_000]
    assert len(alliance) == 1
    assert alliance["unit"].iloc[0] == "GBP" and alliance["durationMonths"].iloc[0] == 120
    assert alliance["amountBasis"].iloc[0] == "total-over-period"
    principles = set(rows(df, aspect="principle adopted")["item"])
    assert principles == {f"hlsc:plymouth-alliance-principle-{c}" for c in "abcdefg"}
    for aspect in (
        "overview",
        "starting point",
        "impetus",
        "progress and challenges",
        "where next",
        "source",
    ):
        assert len(rows(df, aspect=aspect)) >= 1, aspect
    assert set(df["case"]) == {"hlsd:case-plymouth"}


def test_profile_of_a_missing_case_is_empty(kb):
    df = kb.inquire("case-study-profile", case="hlsd:case-nowhere")
    assert len(df) == 0 and "aspect" in df.columns


# ------------------------------------------------------------------ change-journey


def test_change_journey_stages_in_order(kb):
    """002 "What does the change process look like in practice?", example 1 (funder or
    commissioner led): it starts with purpose, then understands the system by mapping it."""
    df = kb.inquire("change-journey", journey="hlsd:journey-funder-commissioner-led")
    assert df["stepOrder"].tolist() == sorted(df["stepOrder"].tolist())
    assert df["stepOrder"].tolist() == list(range(1, len(df) + 1))
    assert df["stage"].iloc[0] == "hlsc:start-with-purpose"
    assert df["stage"].iloc[1] == "hlsc:understanding-the-system"
    assert "system mapping" in df["practices"].iloc[1]
    assert (df["practiceUsesForStage"] >= 0).all() and (df["evidenceForStage"] >= 0).all()
    # Practice uses in the base serve the understanding stage (Plymouth's system mapping, 002).
    assert df["practiceUsesForStage"].iloc[1] >= 1


def test_change_journey_names_the_organisations_of_every_stage(kb):
    """Issue #14: pyoxigraph's GROUP_CONCAT is unbound when any value in the group is, so the
    organisations for a stage were empty in 9 of 25 rows whenever evidence without an
    organisation served the stage too. Every stage a named organisation's practice use serves
    now lists them; a stage no practice use serves has none and counts 0."""
    df = kb.inquire("change-journey", journey="hlsd:journey-funder-commissioner-led")
    served = df[df["practiceUsesForStage"] > 0]
    assert len(served) >= 8 and served["organisationsForStage"].notna().all()
    understanding = df[df["stage"] == "hlsc:understanding-the-system"].iloc[0]
    assert {"Plymouth City Council", "Mayday Trust", "Devon County Council"} <= set(
        understanding["organisationsForStage"].split("; ")
    )
    unserved = df[df["stage"] == "hlsc:resource-allocation"].iloc[0]
    assert unserved["practiceUsesForStage"] == 0 and pd.isna(unserved["organisationsForStage"])


def test_change_journey_with_a_practice_use_that_names_no_organisation():
    """The empty-organisation case: a user's practice use with no organisation serving a stage
    beside Cornerstone's leaves Cornerstone listed (it emptied the list before)."""
    kb = hlsgraph.open()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
        @prefix hlsd: <https://w3id.org/hls/id/> . @prefix prov: <http://www.w3.org/ns/prov#> .
        hlsd:practice-nameless a hls:PracticeUse ; hls:practice hlsc:prototyping ; hls:servesStage
          hlsc:design ;
            hls:accessLevel hls:internal ; prov:wasDerivedFrom hlsd:source-002-design .""",
        format="turtle",
    )
    df = kb.inquire("change-journey", journey="hlsd:journey-delivery-led")
    design = df[df["stage"] == "hlsc:design"].iloc[0]
    assert design["practiceUsesForStage"] == 2
    assert design["organisationsForStage"] == "Cornerstone"


def test_change_journeys_by_kind(kb):
    delivery = kb.inquire("change-journey", journeyKind="hlsc:delivery-led")
    assert set(delivery["journey"]) == {"hlsd:journey-delivery-led"}
    everything = kb.inquire("change-journey")
    assert {"hlsd:journey-delivery-led", "hlsd:journey-funder-commissioner-led"} <= set(everything["journey"])


# ------------------------------------------------------------------ enablers-and-barriers


def test_enablers_and_barriers_for_leadership_support(kb):
    """002 "Conditions for change": leadership support, with its enabler and its barrier."""
    df = kb.inquire("enablers-and-barriers", condition="Leadership support")
    assert set(df["role"]) == {"enabler", "barrier"}
    assert set(df["forCondition"]) == {"hlsc:leadership-support"}
    assert df["definition"].notna().all()
    everything = kb.inquire("enablers-and-barriers")
    assert everything["forCondition"].nunique() > 1


# ------------------------------------------------------------------ system-behaviour-evidence


def test_system_behaviour_evidence_in_the_base(kb):
    """002 Blagrave Trust case, "rebalancing the power dynamic": equal partnerships with the
    organisations it funds, i.e. power is shared (a Power behaviour)."""
    df = kb.inquire("system-behaviour-evidence", behaviour="hlsc:power")
    assert "hlsd:org-blagrave-trust" in set(df["actor"]) or "hlsd:case-blagrave-trust" in set(df["actor"])


CLAIMS = """
@prefix hls: <https://w3id.org/hls/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
@prefix hlsd: <https://w3id.org/hls/id/> . @prefix dcterms: <http://purl.org/dc/terms/> .
hlsd:test-claim-1 a hls:Claim ; dcterms:title "Gateshead's team decides for itself"@en ;
    hls:claimAbout hlsd:org-gateshead-council ; hls:claimsConcept hlsc:decision-making-is-devolved ;
    hls:supportedBy hlsd:story-mary ; hls:accessLevel hls:internal .
hlsd:test-note-1 a hls:Reflection ; dcterms:title "A vision shared in Plymouth"@en ;
    hls:organisation hlsd:org-plymouth-city-council ; hls:place hlsd:place-plymouth ;
    hls:illustrates hlsc:people-share-a-vision ; hls:accessLevel hls:restricted .
"""


def test_system_behaviour_evidence_from_claims_and_illustrations():
    kb = hlsgraph.open()
    kb.load(data=CLAIMS, format="turtle", graph="hlsg:test/claims")
    power = kb.inquire("system-behaviour-evidence", behaviour="Power")  # the group
    claim = rows(power, actor="hlsd:org-gateshead-council")
    assert claim["systemBehaviour"].tolist() == ["hlsc:decision-making-is-devolved"]
    assert claim["via"].tolist() == ["claim"] and claim["evidence"].tolist() == ["hlsd:story-mary"]
    assert "hlsd:org-plymouth-city-council" not in set(power["actor"])  # a Perspective behaviour
    vision = kb.inquire("system-behaviour-evidence", behaviour="People share a vision", place="Plymouth")
    note = rows(vision, evidence="hlsd:test-note-1").iloc[0]
    assert note["actor"] == "hlsd:org-plymouth-city-council" and note["access"] == "hls:restricted"
    assert note["via"] == "illustrates"
    assert (
        len(kb.inquire("system-behaviour-evidence", behaviour="People share a vision", place="Gateshead"))
        == 0
    )


# ------------------------------------------------------------------ actors-and-relationships


def test_plymouth_system_as_edges(kb):
    """002 Plymouth case study: the council and the CCG commission the Alliance, and the
    council signed up to the Alliance itself."""
    df = kb.inquire("actors-and-relationships", place="Plymouth")
    edges = set(zip(df["source"], df["relation"], df["target"], strict=True))
    assert ("hlsd:org-plymouth-city-council", "hls:commissions", "hlsd:org-plymouth-alliance") in edges
    assert ("hlsd:org-plymouth-city-council", "hls:memberOf", "hlsd:org-plymouth-alliance") in edges
    assert (
        "hlsd:org-plymouth-clinical-commissioning-group",
        "hls:funds",
        "hlsd:org-plymouth-alliance",
    ) in edges
    assert df["sourceLabel"].notna().all() and df["targetLabel"].notna().all()
    council = rows(df, source="hlsd:org-plymouth-city-council").iloc[0]
    assert "PublicSectorCommissioner" in council["sourceKind"]
    assert "hlsd:org-gateshead-council" not in set(df["source"]) | set(df["target"])


# ------------------------------------------------------------------ provenance


def test_provenance_of_jacobs_story(kb):
    """Jacob's story comes from 002 (Lowe and Plimmer, 2019), section "Mayday Trust – Jacob's story"."""
    df = kb.inquire("provenance", item="hlsd:story-jacob")
    derived = rows(df, relation="prov:wasDerivedFrom").iloc[0]
    assert derived["source"] == "hlsd:source-002-jacobs-story"
    assert derived["document"] == "hlsd:source-002"
    assert "Exploring the New World" in derived["documentTitle"]
    assert "Lowe" in derived["creators"] and "Plimmer" in derived["creators"]
    assert str(derived["issued"]).startswith("2019")
    assert "https://w3id.org/hls/graph/base/stories" in derived["graphs"].split()
    assert "inferred" not in derived["graphs"]


def test_provenance_of_an_item_without_derivation_names_its_graph():
    kb = hlsgraph.open()
    kb.load(
        data='<https://w3id.org/hls/id/x> <http://purl.org/dc/terms/title> "x" .\n',
        format="ntriples",
        graph="hlsg:test/bare",
    )
    df = kb.inquire("provenance", item="hlsd:x")
    assert len(df) == 1 and pd.isna(df["relation"].iloc[0])
    assert df["graphs"].iloc[0] == "https://w3id.org/hls/graph/test/bare"


# ------------------------------------------------------------------ principles-by-place


def test_plymouth_alliance_principles_map_to_hls(kb):
    """002 Plymouth case study: Alliance principles a-g; (a) collective responsibility for all
    risks, (d) no fault, no blame."""
    df = kb.inquire("principles-by-place", place="Plymouth")
    alliance = set(df.loc[df["principle"].str.startswith("hlsc:plymouth-alliance-principle-"), "principle"])
    assert alliance == {f"hlsc:plymouth-alliance-principle-{c}" for c in "abcdefg"}
    no_blame = rows(df, principle="hlsc:plymouth-alliance-principle-d")
    assert "hlsc:positive-error-culture" in set(no_blame["expresses"])
    assert "Learning" in set(rows(no_blame, expresses="hlsc:positive-error-culture")["hlsFeature"])
    assert "hlsd:org-plymouth-alliance" in set(df["adoptedBy"])
    by_alliance = kb.inquire("principles-by-place", adopter="hlsd:org-plymouth-alliance")
    assert set(by_alliance["adoptedBy"]) == {"hlsd:org-plymouth-alliance"}
    assert (
        len(
            kb.inquire("principles-by-place", place="Gateshead").query(
                "principle.str.startswith('hlsc:plymouth')"
            )
        )
        == 0
    )


# ------------------------------------------------------------------ self-assessment-over-time

ASSESSMENTS = """
@prefix hls: <https://w3id.org/hls/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
@prefix hlsd: <https://w3id.org/hls/id/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
hlsd:test-sa-2023 a hls:SelfAssessment ; dcterms:title "Alliance self-assessment 2023"@en ;
    hls:assessedBy hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance ;
    dcterms:date "2023-03-01"^^xsd:date ; hls:accessLevel hls:internal ;
    hls:hasScore [ a hls:Score ; hls:learningPoint hlsc:start-upstream ; hls:scoreValue 2 ;
                   hls:supportedBy hlsd:exemplar-oxfordshire-alliance-key-learning ] ,
                 [ a hls:Score ; hls:learningPoint hlsc:be-realistic ; hls:scoreValue 3 ] .
hlsd:test-sa-2024 a hls:SelfAssessment ; dcterms:title "Alliance self-assessment 2024"@en ;
    hls:assessedBy hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance ;
    dcterms:date "2024-03-01"^^xsd:date ; hls:accessLevel hls:internal ;
    hls:hasScore [ a hls:Score ; hls:learningPoint hlsc:start-upstream ; hls:scoreValue 4 ] .
"""


def test_self_assessment_over_time():
    """003 (IVAR): the eight key learning points are meant for assessing a system over time."""
    kb = hlsgraph.open()
    assert len(kb.inquire("self-assessment-over-time")) == 0  # the sources hold no scores
    kb.load(data=ASSESSMENTS, format="turtle", graph="hlsg:test/assessments")
    df = kb.inquire("self-assessment-over-time", learningPoint="Start 'upstream'")
    assert df["score"].tolist() == [2, 4]
    assert df["date"].tolist() == sorted(df["date"].tolist())
    assert pd.isna(df["change"].iloc[0]) and df["change"].iloc[1] == 2
    assert df["previousScore"].iloc[1] == 2
    assert df["evidenceItems"].tolist() == [1, 0]
    everything = kb.inquire(
        "self-assessment-over-time",
        organisation="hlsd:org-oxfordshire-homelessness-and-rough-sleeping-alliance",
    )
    assert len(everything) == 3 and set(everything["access"]) == {"hls:internal"}


# ------------------------------------------------------------------ outcomes-by-place


def test_outcomes_reported_in_gateshead(kb):
    """002 Mary's story (Gateshead): treated as a whole person and more self-esteem. It reports
    what the help cost (about £1,600) and asks what not helping would have cost, but no saving;
    the savings in Gateshead come from the council-tax prototype (002 Gateshead case study)."""
    df = kb.inquire("outcomes-by-place", place="Gateshead")
    mary = set(rows(df, item="hlsd:story-mary")["reportedOutcome"])
    assert mary == {"hlsc:being-treated-as-a-whole-person", "hlsc:increased-self-esteem"}
    assert "hlsc:cost-savings" in set(df["reportedOutcome"])
    assert "hlsd:story-jacob" not in set(df["item"])
    region = kb.inquire("outcomes-by-place", place="North East England")
    assert set(df["item"]) <= set(region["item"])
    savings = kb.inquire("outcomes-by-place", outcome="Cost savings")
    assert set(savings["reportedOutcome"]) == {"hlsc:cost-savings"}


DATED = """
@prefix hls: <https://w3id.org/hls/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
@prefix hlsd: <https://w3id.org/hls/id/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
hlsd:test-out-day a hls:Story ; dcterms:title "day"@en ; hls:place hlsd:place-gateshead ;
    dcterms:date "2019-06-15"^^xsd:date ; hls:reportsOutcome hlsc:cost-savings ; hls:accessLevel hls:public .
hlsd:test-out-year a hls:Story ; dcterms:title "year"@en ; hls:place hlsd:place-gateshead ;
    dcterms:date "2018"^^xsd:gYear ; hls:reportsOutcome hlsc:cost-savings ; hls:accessLevel hls:public .
hlsd:test-out-month a hls:Story ; dcterms:title "month"@en ; hls:place hlsd:place-gateshead ;
    dcterms:date "2020-02"^^xsd:gYearMonth ; hls:reportsOutcome hlsc:cost-savings ; hls:accessLevel
      hls:public .
hlsd:test-out-period a hls:Story ; dcterms:title "period"@en ; hls:place hlsd:place-gateshead ;
    hls:periodStart "2016"^^xsd:gYear ; hls:periodEnd "2017-05"^^xsd:gYearMonth ;
    hls:reportsOutcome hlsc:cost-savings ; hls:accessLevel hls:public .
"""


@pytest.mark.parametrize(
    "since, until, expected",
    [
        ("2019-01-01", "2019-12-31", {"day"}),
        ("2018-12-31", "2018-12-31", {"year"}),  # a year covers its last day
        ("2020-02-29", None, {"month"}),  # a month covers its last day
        (None, "2016-01-01", {"period"}),  # a period overlapping the start
        ("2017-05-31", "2018-01-01", {"period", "year"}),
        (None, None, {"day", "year", "month", "period"}),
        ("2030-01-01", None, set()),
    ],
)
def test_outcomes_by_period(since, until, expected):
    kb = hlsgraph.open()
    kb.load(data=DATED, format="turtle", graph="hlsg:test/dated")
    params = {k: v for k, v in (("since", since), ("until", until)) if v is not None}
    df = kb.inquire("outcomes-by-place", place="Gateshead", **params)
    titles = set(df.loc[df["item"].str.startswith("hlsd:test-out-"), "title"])
    assert titles == expected
    if params:  # undated items in the base are left out once a period is asked for
        assert "hlsd:story-mary" not in set(df["item"])


# ------------------------------------------------------------------ evidence-mix


def test_evidence_mix_counts_up_the_place_hierarchy(kb):
    """002 Gateshead: a case study and Mary's story; numbers from the prototype (40 cases, 30
    lives improved, 4 chose not to engage, 6 held back)."""
    df = kb.inquire("evidence-mix").set_index("place")
    gateshead = df.loc["hlsd:place-gateshead"]
    assert gateshead["stories"] >= 2 and gateshead["numbers"] >= 4
    assert gateshead["items"] >= gateshead["stories"] + gateshead["numbers"]
    for outer in ("hlsd:place-north-east-england", "hlsd:place-england", "hlsd:place-united-kingdom"):
        for column in ("stories", "numbers", "items"):
            assert df.loc[outer, column] >= gateshead[column], (outer, column)
    within = kb.inquire("evidence-mix", within="North East England")
    assert set(within["place"]) <= set(df.index)
    assert "hlsd:place-plymouth" not in set(within["place"])
    assert within.set_index("place").loc["hlsd:place-gateshead", "numbers"] == gateshead["numbers"]


# ------------------------------------------------------------------ concept-co-occurrence


def test_concept_co_occurrence(kb):
    """Jacob's and Mary's stories (002) both illustrate Empathy and Trust."""
    df = kb.inquire("concept-co-occurrence")
    pair = rows(df, conceptA="hlsc:empathy", conceptB="hlsc:trust")
    assert len(pair) == 1 and pair["stories"].iloc[0] >= 2
    assert (df["conceptA"] < df["conceptB"]).all()
    # Trust is narrower than Human: a concept is never paired with its own broader concept.
    assert len(rows(df, conceptA="hlsc:human", conceptB="hlsc:trust")) == 0
    assert df["stories"].is_monotonic_decreasing
    gateshead = kb.inquire("concept-co-occurrence", place="Gateshead")
    assert gateshead["stories"].max() <= df["stories"].max()
    vest = kb.inquire("concept-co-occurrence", scheme="hlsc:vest")
    concepts = set(vest["conceptA"]) | set(vest["conceptB"])
    assert concepts and concepts <= {"hlsc:variety", "hlsc:empathy", "hlsc:strengths", "hlsc:trust"}


# ------------------------------------------------------------------ keyword-search


def test_keyword_search_is_case_insensitive(kb):
    lower = kb.inquire("keyword-search", keyword="jacob")
    upper = kb.inquire("keyword-search", keyword="JACOB")
    assert "hlsd:story-jacob" in set(lower["item"])
    assert set(zip(lower["item"], lower["field"], strict=True)) == set(
        zip(upper["item"], upper["field"], strict=True)
    )
    assert set(upper["keyword"]) == {"JACOB"}
    excerpt = rows(lower, item="hlsd:story-jacob", field="summary")["excerpt"].iloc[0]
    assert "jacob" in excerpt.lower()


def test_keyword_search_finds_the_plymouth_alliance_budget(kb):
    """002 Plymouth: the £80m pooled over 10 years."""
    df = kb.inquire("keyword-search", keyword="£80m")
    assert "hlsd:case-plymouth" in set(df["item"])
    assert len(kb.inquire("keyword-search", keyword="zzzz-not-in-any-story")) == 0


def test_ambiguous_labels_list_every_candidate(kb):
    """A label naming two resources of the kind asked for is an error with both IRIs."""
    kb2 = hlsgraph.open()
    kb2.load(
        data="<https://w3id.org/hls/id/place-plymouth-2> a <https://w3id.org/hls/Place> ; "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Plymouth" .',
        format="turtle",
        graph="hlsg:test/twin",
    )
    with pytest.raises(AmbiguousLabelError) as caught:
        kb2.inquire("stories-by-concept", concept="Human", place="plymouth")
    assert "'Plymouth' hlsd:place-plymouth," in str(caught.value)
    assert "'Plymouth' hlsd:place-plymouth-2;" in str(caught.value)
