"""Generated invalid 360Giving files, one for each rule the importer relies on: each is refused
with a problem naming the grant, its row (for a spreadsheet), the field and the rule; strict mode
leaves the store as it was; quarantine loads the valid grants and lists every other one, so
loaded + quarantined = grants in the file."""

import copy
import csv
import json

import pytest

import hlsgraph
from hlsgraph.importing.giving360 import schema as schemas

GRANT = {
    "id": "360G-TEST-1",
    "title": "Grant to Test Charity",
    "description": "Core costs",
    "currency": "GBP",
    "amountAwarded": 12000,
    "awardDate": "2021-01-26",
    "plannedDates": [{"startDate": "2021-02", "endDate": "2024-01-31", "duration": 36}],
    "recipientOrganization": [{"id": "GB-CHC-1000001", "name": "Test Charity"}],
    "fundingOrganization": [{"id": "GB-CHC-2000002", "name": "Test Trust"}],
    "beneficiaryLocation": [{"name": "Gateshead", "geoCode": "E08000037", "countryCode": "GB"}],
    "dataSource": "https://example.org/grants",
}


def grant(n=1, **changes):
    made = copy.deepcopy(GRANT)
    made["id"] = f"360G-TEST-{n}"
    for key, value in changes.items():
        if value is None:
            made.pop(key, None)
        else:
            made[key] = value
    return made


def package(tmp_path, *grants, name="grants.json", **meta):
    path = tmp_path / name
    path.write_text(json.dumps({**meta, "grants": list(grants)}), encoding="utf-8")
    return path


def refused(tmp_path, bad, **meta):
    """Import a package of one valid and one invalid grant: strict refuses it whole and changes
    nothing; quarantine loads the valid one. The problems of the invalid grant."""
    path = package(tmp_path, grant(1), bad, **meta)
    kb = hlsgraph.open()
    before = len(kb)
    strict = kb.import_360giving(path)
    assert not strict.ok and strict.grants_loaded == 0 and len(kb) == before
    kept = kb.import_360giving(path, mode="quarantine")
    assert kept.grants_loaded + kept.grants_quarantined == kept.grants_read == 2
    return kept.problems


RULES = [
    # (case, the invalid grant, the field the problem names, words of the rule)
    ("title missing", grant(2, title=None), "title", "title is required"),
    ("identifier missing", grant(2, id=None), "id", "id is required"),
    ("currency missing", grant(2, currency=None), "currency", "currency is required"),
    ("amount missing", grant(2, amountAwarded=None), "amountAwarded", "amountAwarded is required"),
    (
        "funder missing",
        grant(2, fundingOrganization=None),
        "fundingOrganization",
        "fundingOrganization is required",
    ),
    (
        "no recipient",
        grant(2, recipientOrganization=None),
        "",
        "one of recipientIndividual or recipientOrganization",
    ),
    (
        "both recipients",
        grant(2, recipientIndividual={"id": "p", "name": "P"}),
        "",
        "exactly one of recipientIndividual or recipientOrganization",
    ),
    ("amount as text", grant(2, amountAwarded="£12,000"), "amountAwarded", "a number"),
    ("unknown currency", grant(2, currency="GPB"), "currency", "one of the standard's codes"),
    ("award date not ISO", grant(2, awardDate="26/01/2021"), "awardDate", "a date as YYYY-MM-DD"),
    (
        "award date impossible",
        grant(2, awardDate="2021-02-30T10:00:00Z"),
        "awardDate",
        "a date as YYYY-MM-DD",
    ),
    (
        "modified without offset",
        grant(2, dateModified="2021-01-26T10:00:00"),
        "dateModified",
        "format date-time",
    ),
    ("data source not a URI", grant(2, dataSource="example.org"), "dataSource", "a web address"),
    (
        "negative duration",
        grant(2, plannedDates=[{"duration": -3}]),
        "plannedDates/0/duration",
        "no less than 0",
    ),
    (
        "planned start not a date",
        grant(2, plannedDates=[{"startDate": "Feb 2021"}]),
        "plannedDates/0/startDate",
        "YYYY-MM",
    ),
    (
        "no funding organisation listed",
        grant(2, fundingOrganization=[]),
        "fundingOrganization",
        "at least 1 item",
    ),
    (
        "organisation without id",
        grant(2, recipientOrganization=[{"name": "Test Charity"}]),
        "recipientOrganization/0/id",
        "id is required",
    ),
    (
        "country code unknown",
        grant(2, beneficiaryLocation=[{"countryCode": "UK"}]),
        "beneficiaryLocation/0/countryCode",
        "codes",
    ),
    ("open call not yes or no", grant(2, fromOpenCall="yes"), "fromOpenCall", "one of Yes, No"),
]


@pytest.mark.parametrize("case, bad, field, rule", RULES, ids=[r[0] for r in RULES])
def test_each_schema_rule_is_reported_where_it_is_broken(tmp_path, case, bad, field, rule):
    problems = refused(tmp_path, bad)
    assert len(problems) >= 1
    # A grant without an identifier is named by its position: /grants/1/<field>.
    fields = problems["field"].fillna("").str.replace(r"^/grants/\d+/?", "", regex=True)
    mine = problems[fields.str.startswith(field)] if field else problems
    assert len(mine) >= 1, problems.to_string()
    assert any(rule in text for text in mine["rule"]), mine["rule"].tolist()
    if "id" in bad:
        assert set(problems["grant"]) == {bad["id"]}
    else:
        assert problems["field"].str.startswith("/grants/1").all()  # where it is, when it has no id


def test_the_compiled_checks_agree_with_jsonschema_on_every_rule_case():
    """The verdict, where each error is, which keyword, and the rule in words."""

    def found(errors):
        return sorted((schemas.path_text(e.absolute_path), e.validator) for e in errors)

    def words(errors):
        return sorted(d for e in errors for d in schemas.describe(e))

    for _, bad, _, _ in RULES:
        assert not schemas.is_valid(bad)
        assert found(schemas.errors(bad)) == found(schemas.jsonschema_errors(bad))
        assert words(schemas.errors(bad)) == words(schemas.jsonschema_errors(bad))
    assert (
        schemas.is_valid(grant(1))
        and not schemas.errors(grant(1))
        and not schemas.jsonschema_errors(grant(1))
    )
    meta = {"license": "not a licence URI", "publisher": {}}
    assert found(schemas.errors(meta, package=True)) == found(schemas.jsonschema_errors(meta, package=True))


def test_duplicate_identifier_in_one_file(tmp_path):
    problems = refused(tmp_path, grant(1, title="Another"))
    (problem,) = problems.itertuples(index=False)
    assert problem.grant == "360G-TEST-1" and "/grants/0 has the same one" in problem.rule


def test_package_metadata_is_checked(tmp_path):
    path = package(tmp_path, grant(1), license="not a licence URI")
    report = hlsgraph.open().import_360giving(path)
    assert not report.ok
    assert report.problems["field"].tolist() == ["license"]


@pytest.mark.parametrize(
    "text, where, words",
    [
        ('{"grants": [{"id": "a",}]}', "line 1, column 24", "is not valid JSON"),
        ('[{"id": "a"}]', "line 1, column 1", "expected a JSON object"),
        ('{"grant": []}', "", 'it has no "grants" list'),
        ('{"grants": {"id": "a"}}', "", "'grants' must be a list"),
        ('{"grants": []} {}', "line 1, column 16", "extra data"),
    ],
)
def test_files_that_are_not_packages(tmp_path, text, where, words):
    path = tmp_path / "broken.json"
    path.write_text(text)
    kb = hlsgraph.open()
    before = len(kb)
    report = kb.import_360giving(path, mode="quarantine")
    (problem,) = report.problems.itertuples(index=False)
    assert words in problem.rule and "broken.json" in problem.rule
    assert (problem.field or "") == where
    assert len(kb) == before and report.grants_loaded == 0


def test_an_empty_package_is_refused(tmp_path):
    report = hlsgraph.open().import_360giving(package(tmp_path), mode="quarantine")
    assert not report.ok and "at least 1 item" in report.problems["rule"].iloc[0]


# ------------------------------------------------------------------ spreadsheets

HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Beneficiary Location:Geographic Code",
]
ROW = [
    "360G-TEST-1",
    "Grant",
    "Core costs",
    "GBP",
    "12000",
    "2021-01-26",
    "GB-CHC-1",
    "Charity",
    "GB-CHC-2",
    "Trust",
    "E08000037",
]


def sheet(tmp_path, *rows, header=HEADER):
    path = tmp_path / "grants.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_csv_problem_names_row_and_column(tmp_path):
    bad = list(ROW)
    bad[0], bad[4] = "360G-TEST-2", "12,000"
    report = hlsgraph.open().import_360giving(sheet(tmp_path, ROW, bad), mode="quarantine")
    assert (report.grants_loaded, report.grants_quarantined) == (1, 1)
    (problem,) = report.problems.itertuples(index=False)
    assert (problem.grant, problem.row, problem.value) == ("360G-TEST-2", 3, "12,000")
    assert problem.field == "amountAwarded (column 'Amount Awarded')"


def test_rows_repeating_a_grant_add_locations_but_may_not_contradict_it(tmp_path):
    second_place = ["360G-TEST-1", "", "", "", "", "", "", "", "", "", "E08000021"]
    kb = hlsgraph.open()
    report = kb.import_360giving(sheet(tmp_path, ROW, second_place))
    assert report.ok and report.grants_loaded == 1
    assert len(kb.select("SELECT ?p WHERE { ?g a hls:Grant ; hls:place ?p }")) == 2
    contradicting = list(ROW)
    contradicting[4] = "500"
    report = kb.import_360giving(sheet(tmp_path, ROW, contradicting))
    assert (
        not report.ok
        and "row 3 repeats the grant with a different amountAwarded" in report.problems["rule"].iloc[0]
    )


def test_a_sheet_without_identifiers_is_refused(tmp_path):
    report = hlsgraph.open().import_360giving(sheet(tmp_path, ROW[1:], header=HEADER[1:]))
    assert "no sheet with an 'Identifier' column" in report.problems["rule"].iloc[0]


def test_a_csv_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "grants.csv"
    path.write_bytes(
        ",".join(HEADER).encode() + b"\n" + ",".join(ROW).replace("Core", "C\xf4re").encode("latin-1")
    )
    report = hlsgraph.open().import_360giving(path)
    assert "is not UTF-8 text" in report.problems["rule"].iloc[0]


def test_an_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "grants.ods"
    path.write_bytes(b"x")
    report = hlsgraph.open().import_360giving(path)
    assert "expected a 360Giving file ending in .json, .xlsx, .csv" in report.problems["rule"].iloc[0]


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        hlsgraph.open().import_360giving(tmp_path / "none.json")


def test_a_bad_mode_names_the_modes(tmp_path):
    with pytest.raises(ValueError, match="strict, quarantine"):
        hlsgraph.open().import_360giving(tmp_path / "none.json", mode="lenient")
