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
