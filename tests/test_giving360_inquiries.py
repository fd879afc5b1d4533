"""The grants inquiries on the shared real files: ``grants-by-place`` and ``funder-profile`` answer
with the counts and sums worked out from the JSON itself; a grant naming several places shares its
amount; grants to individuals count only in groups of five or more."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import hlsgraph
from hlsgraph.vocabulary.gss import is_gss_code

_ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (
        p / "shared" / "data" / "360giving"
        for p in (_ROOT.parent, _ROOT.parent.parent)
        if (p / "shared").is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "360giving",
)
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the shared 360Giving files are not here")
ALWF = SHARED / "alwf-a003W000001B7PzQAK.json"
MULTI = SHARED / "multi-funder-sample-awefw001p00000zgyHZAAY.json"


def grants(path):
    return json.loads(path.read_text(encoding="utf-8"))["grants"]


@pytest.fixture(scope="module")
def kb():
    kb = hlsgraph.open()
    kb.import_360giving(ALWF)
    kb.import_360giving(MULTI)
    return kb


def by_code(path, *, keep=lambda g: True):
    counts, amounts = Counter(), defaultdict(float)
    for grant in grants(path):
        if not keep(grant):
            continue
        codes = {
            loc["geoCode"]
            for loc in grant.get("beneficiaryLocation", ())
            if is_gss_code(loc.get("geoCode", ""))
        }
        for code in codes:
            counts[code] += 1
            amounts[code] += grant["amountAwarded"] / len(codes)
    return counts, amounts


def test_grants_by_place_counts_and_sums_from_the_file(kb):
    counts, amounts = by_code(ALWF)
    df = kb.inquire("grants-by-place", funder="hlsd:orgid-GB-CHC-1015648")
    assert {"place", "placeLabel", "gssCode", "grants", "amount", "currency"} <= set(df.columns)
    got = {row.gssCode: (row.grants, round(float(row.amount), 2)) for row in df.itertuples()}
    assert got == {code: (counts[code], round(amounts[code], 2)) for code in counts}
    london = df[df["gssCode"] == "E12000007"].iloc[0]
    assert (london["place"], london["placeLabel"], london["grants"]) == ("hlsd:place-london", "London", 61)
    assert set(df["currency"]) == {"GBP"}


def test_grants_by_place_in_a_period_and_within_a_place(kb):
    def in_2019(g):
        return g["awardDate"][:10] >= "2019-01-01" and g["awardDate"][:10] <= "2019-12-31"

    counts, _ = by_code(ALWF, keep=in_2019)
    df = kb.inquire(
        "grants-by-place", funder="Andrew Lloyd Webber Foundation", since="2019-01-01", until="2019-12-31"
    )
    assert dict(zip(df["gssCode"], df["grants"], strict=True)) == dict(counts)
    england = kb.inquire("grants-by-place", funder="Andrew Lloyd Webber Foundation", within="England")
    assert set(england["gssCode"]) == {c for c in by_code(ALWF)[0] if c.startswith("E")}


def test_grants_to_individuals_count_only_in_groups_of_five_or_more(kb):
    df = kb.inquire("grants-by-place")
    individual = Counter(
        loc["geoCode"]
        for g in grants(MULTI)
        if "recipientIndividual" in g
        for loc in g.get("beneficiaryLocation", ())
        if loc.get("geoCode", "")[:3] in ("S12", "E07", "E08", "W06")
    )
    shown = dict(zip(df["gssCode"], df["toIndividuals"], strict=True))
    assert individual["S12000046"] == 5 and shown["S12000046"] == 5
    small = [code for code, n in individual.items() if n < 5]
    assert small
    for code in small:
        row = df[df["gssCode"] == code].iloc[0]
        assert (row["grants"], row["toIndividuals"], float(row["amount"]), bool(row["suppressed"])) == (
            0,
            0,
            0.0,
            True,
        )


def test_a_grant_naming_several_places_shares_its_amount(tmp_path):
    grant = grants(ALWF)[0]
    grant["beneficiaryLocation"] = [{"geoCode": "E08000037"}, {"geoCode": "E08000021"}]
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"grants": [grant]}))
    kb = hlsgraph.open()
    kb.import_360giving(path)
    df = kb.inquire("grants-by-place")
    assert df["grants"].tolist() == [1, 1] and df["multiPlaceGrants"].tolist() == [1, 1]
    assert float(df["amount"].sum()) == grant["amountAwarded"]


def test_funder_profile_programmes_years_and_places(kb):
    alwf = grants(ALWF)
    df = kb.inquire("funder-profile", funder="Andrew Lloyd Webber Foundation")
    programmes = Counter(g["grantProgramme"][0]["title"] for g in alwf)
    rows = df[df["aspect"] == "programme"]
    assert dict(zip(rows["itemLabel"], rows["grants"], strict=True)) == dict(programmes)
    years = Counter(g["awardDate"][:4] for g in alwf)
    rows = df[df["aspect"] == "year"]
    assert dict(zip(rows["year"], rows["grants"], strict=True)) == dict(years)
    amounts = defaultdict(float)
    for g in alwf:
        amounts[g["awardDate"][:4]] += g["amountAwarded"]
    assert {y: round(float(a), 2) for y, a in zip(rows["year"], rows["amount"], strict=True)} == {
        y: round(a, 2) for y, a in amounts.items()
    }
    assert set(df[df["aspect"] == "place"]["itemLabel"]) >= {"London", "Scotland"}


def test_funder_profile_leaves_out_small_groups_of_grants_to_individuals(kb):
    df = kb.inquire("funder-profile", funder="hlsd:orgid-GB-SC-SC022910")
    public = [
        g
        for g in grants(MULTI)
        if g["fundingOrganization"][0]["id"] == "GB-SC-SC022910" and "recipientIndividual" not in g
    ]
    individual = Counter(
        g["grantProgramme"][0]["title"]
        for g in grants(MULTI)
        if g["fundingOrganization"][0]["id"] == "GB-SC-SC022910" and "recipientIndividual" in g
    )
    expected = Counter(g["grantProgramme"][0]["title"] for g in public)
    for title, n in individual.items():
        if n >= 5:
            expected[title] += n
    rows = df[df["aspect"] == "programme"]
    assert dict(zip(rows["itemLabel"], rows["grants"], strict=True)) == dict(expected)


def test_funder_profile_shows_the_evidence_about_a_funder_in_the_base():
    df = hlsgraph.open().inquire("funder-profile", funder="Blagrave Trust")
    assert {"evidence", "funding arrangement"} <= set(df["aspect"])
    assert "hlsd:case-blagrave-trust" in set(df[df["aspect"] == "evidence"]["item"])


def test_compare_places_counts_grants_as_stated_funding_and_adds_only_whole_grants(kb):
    """Grants flow into compare-places as funding arrangements: the 360Giving file states what a
    grant is, so their kind is 'stated' (hls:basisOfLinks on the import); their amounts are added
    per currency and basis (GBP, per grant), and a grant is added to a place only when the place
    holds all of the grant's places."""
    london = "E12000007"
    df = kb.inquire("compare-places", places=["hlsd:place-london", "hlsd:place-south-east-england"])
    kinds = df[(df["concept"] == "hlsc:grant") & (df["quantity"] == "items")]
    assert set(kinds["basis"]) == {"stated"}
    per_grant = df[(df["quantity"] == "amount") & (df["amountBasis"] == "per-grant")]
    assert set(per_grant["currency"]) == {"GBP"}
    whole = sum(
        grant["amountAwarded"]
        for path in (ALWF, MULTI)
        for grant in grants(path)
        if "recipientIndividual" not in grant
        and {loc.get("geoCode") for loc in grant.get("beneficiaryLocation", ())} == {london}
    )
    assert round(float(per_grant["London"].iloc[0]), 2) == round(whole, 2)


def test_compare_places_never_adds_a_grant_for_two_places_to_each(tmp_path):
    """A grant naming two districts is not added to either (it would be counted twice): each
    shows it on the 'not added: shared beyond the place' row."""
    grant = grants(ALWF)[0]
    grant["beneficiaryLocation"] = [{"geoCode": "E08000037"}, {"geoCode": "E08000021"}]
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"grants": [grant]}))
    kb = hlsgraph.open()
    kb.import_360giving(path)
    places = ["hlsd:place-gateshead", "hlsd:place-newcastle-upon-tyne"]
    df = kb.inquire("compare-places", places=places, pivot=False)
    money = df[df["amountBasis"] == "per-grant"]
    assert set(money[money["quantity"] == "amount"]["value"].astype(float)) <= {0.0}
    shared = money[money["quantity"] == "not added: shared beyond the place"]
    assert sorted(shared["places"]) == sorted(places)
    assert set(shared["value"].astype(int)) == {1}


def test_a_minted_place_is_within_its_nation_by_the_ons_code_structure(kb):
    """A place known only by its code lies within the nation its code's first letter names, and
    the record of that link cites the ONS register (as the bundled places' do)."""
    places = kb.inquire("places")
    minted = places[places["place"].str.startswith("hlsd:place-gss-")]
    assert len(minted) > 0
    assert set(minted["withinSource"].dropna()) == {"ONS Register of Geographic Codes"}
    areas = minted[minted["gssCode"].str[1:3] != "92"]  # a nation (E92, W92, ...) is within none
    assert areas["within"].notna().all() and areas["withinSource"].notna().all()
    scottish = areas[areas["gssCode"].str.startswith("S")]
    assert len(scottish) and set(scottish["within"]) == {"hlsd:place-scotland"}
