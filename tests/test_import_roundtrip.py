"""The user's path: fill a template, import it, find the items through the named inquiries,
fix a bad row and re-import without duplicates; provenance and stable IRIs along the way."""

import csv
import datetime as dt

import pytest

import hlsgraph
from hlsgraph.importing.template_files import build_workbook, write_template
from hlsgraph.namespaces import HLS, HLSC, HLSD, HLSG


@pytest.fixture
def kb():
    base = hlsgraph.open()
    yield base
    base.close()


def state(kb):
    return len(kb), sorted(str(q) for q in kb.quads())


def fill_csv_template(folder, kind, rows):
    """Write the blank template, then fill it in as a user would: values under its header."""
    path = folder / f"{kind}.csv"
    write_template(kind, path)
    header = path.read_text(encoding="utf-8").strip().split(",")
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            unknown = set(row) - set(header)
            assert not unknown, unknown
            writer.writerow([row.get(name, "") for name in header])
    return path


STORIES = [
    {
        "id": "rosa",
        "title": "Rosa finds her own way back to work",
        "summary": "Her worker asked what mattered to her instead of booking fixed appointments.",
        "date": "03/04/2024",
        "place": "Plymouth",
        "concepts": "Trust; Strengths",
        "speaker_role": "Frontline worker",
        "access_level": "restricted",
    },
    {
        "id": "amir",
        "title": "Amir's team drops the assessment form",
        "summary": "The team started with a conversation; hand-offs fell.",
        "date": "April 2024",
        "place": "Gateshead",
        "concepts": "Trsut",
        "access_level": "internal",
    },
    {
        "id": "lee",
        "title": "Lee joins the tenants' group",
        "summary": "A neighbour invited Lee along; now Lee runs the Tuesday meeting.",
        "date": "2023",
        "concepts": "Strengths",
        "access_level": "public",
    },
]


def test_fill_import_find_fix_reimport(kb, tmp_path):
    path = fill_csv_template(tmp_path, "stories", STORIES)
    before = state(kb)

    # A typo in row 3: strict mode loads nothing and says what to fix.
    report = kb.import_table(path, "stories")
    assert report.rows_read == 3 and report.rows_loaded == 0
    [problem] = report.problems.to_dict("records")
    assert (problem["row"], problem["column"], problem["value"]) == (3, "concepts", "Trsut")
    assert "did you mean 'Trust'?" in problem["expected"]
    assert state(kb) == before

    # Quarantine: the two good rows load, the bad one goes to stories.problems.csv.
    report = kb.import_table(path, "stories", mode="quarantine")
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    quarantined = list(csv.DictReader(report.problems_file.open(encoding="utf-8-sig")))
    assert report.problems_file == tmp_path / "stories.problems.csv"
    assert [(r["source_row"], r["id"]) for r in quarantined] == [("3", "amir")]
    assert "did you mean 'Trust'?" in quarantined[0]["problems"]
    trust = set(kb.inquire("stories-by-concept", concept="Trust", compact=False)["story"])
    assert HLSD + "story-rosa" in trust and HLSD + "story-amir" not in trust

    # Fix the row and re-import: all three, no duplicates, problems file gone.
    path.write_text(path.read_text(encoding="utf-8").replace(",Trsut,", ",Trust,"), encoding="utf-8")
    report = kb.import_table(path, "stories")
    assert report.ok and report.rows_loaded == 3
    assert not (tmp_path / "stories.problems.csv").exists()
    trust = set(kb.inquire("stories-by-concept", concept="Trust", compact=False)["story"])
    assert {HLSD + "story-rosa", HLSD + "story-amir"} <= trust
    strengths = set(kb.inquire("stories-by-concept", concept="hlsc:strengths", compact=False)["story"])
    assert {HLSD + "story-rosa", HLSD + "story-lee"} <= strengths
    titles = kb.select(
        f"SELECT ?s (COUNT(?t) AS ?n) WHERE {{ GRAPH <{HLSG}import/stories-csv> "
        f"{{ ?s a hls:Story ; dcterms:title ?t }} }} GROUP BY ?s",
        compact=False,
    )
    assert sorted(titles["s"]) == sorted(HLSD + f"story-{i}" for i in ("rosa", "amir", "lee"))
    assert set(titles["n"]) == {1}

    # Importing the same file again changes nothing at all.
    same = state(kb)
    again = kb.import_table(path, "stories")
    assert again.unchanged and again.rows_loaded == 3
    assert state(kb) == same

    # An edited row replaces its earlier version.
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Lee joins the tenants' group", "Lee chairs the tenants' group"
        ),
        encoding="utf-8",
    )
    kb.import_table(path, "stories").raise_for_problems()
    lee = kb.select("SELECT ?t WHERE { hlsd:story-lee dcterms:title ?t }")
    assert list(lee["t"]) == ["Lee chairs the tenants' group"]
    assert len(kb) == same[0]  # same triples count: one title swapped for another


def test_provenance_of_an_imported_item(kb, tmp_path):
    path = fill_csv_template(tmp_path, "stories", [STORIES[0]])
    report = kb.import_table(path, "stories").raise_for_problems()
    prov = kb.select(
        """SELECT ?row ?number ?activity ?started ?file ?name ?graph WHERE {
             GRAPH ?graph { hlsd:story-rosa prov:wasDerivedFrom ?row ;
                                            prov:wasGeneratedBy ?activity . }
             ?row a hls:ImportRow ; hls:rowNumber ?number ; hls:importActivity ?activity .
             ?activity a hls:ImportActivity ; prov:startedAtTime ?started ; prov:used ?file .
             ?file dcterms:title ?name .
           }""",
        compact=False,
    )
    assert len(prov) == 1
    row = prov.iloc[0]
    assert int(row["number"]) == 2
    assert row["name"] == "stories.csv"
    assert row["graph"] == report.graph == HLSG + "import/stories-csv"
    started = row["started"]
    started = started if isinstance(started, dt.datetime) else dt.datetime.fromisoformat(str(started))
    assert abs((dt.datetime.now(dt.UTC) - started).total_seconds()) < 600
    access = kb.select("SELECT ?a WHERE { hlsd:story-rosa hls:accessLevel ?a }", compact=False)
    assert list(access["a"]) == [HLS + "restricted"]
    found = kb.inquire("provenance", item="hlsd:story-rosa", compact=False)
    assert row["row"] in set(found["source"]) | set(found.get("activity", []))


def test_xlsx_template_round_trip_with_dates_as_cells(kb, tmp_path):
    wb = build_workbook("reflections")
    sheet = wb["reflections"]
    header = [c.value for c in sheet[1]]
    values = {
        "id": "cycle-3",
        "title": "Dropping the fixed form",
        "date": dt.datetime(2024, 4, 3),
        "what_we_tried": "Conversations first",
        "what_happened": "Fewer hand-offs",
        "what_we_learned": "Workers need peer support",
        "reflects_on": "hlsd:story-jacob",
        "concepts": "Positive error culture",
        "access_level": "internal",
    }
    sheet.append([values.get(name) for name in header])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    report = kb.import_table(path, "reflections").raise_for_problems()
    assert report.sheet == "reflections" and report.rows_loaded == 1
    found = kb.select(
        "SELECT ?d ?on ?learned WHERE { hlsd:reflection-cycle-3 a hls:Reflection ; "
        "dcterms:date ?d ; hls:reflectsOn ?on ; hls:whatWeLearned ?learned }",
        compact=False,
    )
    assert len(found) == 1
    assert str(found["d"][0]).startswith("2024-04-03")
    assert found["on"][0] == HLSD + "story-jacob"
    sheet_name = kb.select(
        "SELECT ?label WHERE { hlsd:reflection-cycle-3 prov:wasDerivedFrom/dcterms:isPartOf ?s . "
        "?s rdfs:label ?label }"
    )
    assert list(sheet_name["label"]) == ["reflections"]


def test_measures_observations_and_self_assessment(kb, tmp_path):
    measures = fill_csv_template(
        tmp_path,
        "measures",
        [
            {
                "id": "first-time-solves",
                "title": "Share of first-time solves",
                "perspective": "employees and volunteers",
                "question": "efficient",
                "purpose": "learning",
                "organisation": "Gateshead Council",
                "access_level": "internal",
            }
        ],
    )
    kb.import_table(measures, "measures").raise_for_problems()
    observations = fill_csv_template(
        tmp_path,
        "observations",
        [
            {
                "id": "q1",
                "measure": "first-time-solves",
                "value": "62%",
                "date": "31/03/2024",
                "place": "Gateshead",
                "access_level": "internal",
            },
            {
                "id": "q2",
                "measure": "Share of first-time solves",
                "value": "£1,200",
                "date": "30/06/2024",
                "access_level": "internal",
            },
        ],
    )
    kb.import_table(observations, "observations").raise_for_problems()
    found = kb.inquire("measures-by-perspective", compact=False)
    mine = found[found["measure"] == HLSD + "measure-first-time-solves"]
    assert len(mine) >= 1

    assessment = fill_csv_template(
        tmp_path,
        "self-assessment",
        [
            {
                "organisation": "Plymouth Alliance",
                "date": "03/04/2024",
                "learning_point": point,
                "score": str(score),
                "evidence": "hlsd:obs-q1",
                "access_level": "internal",
            }
            for point, score in [("Start upstream", 2), ("Be realistic", 4), ("Rethink 'impact'", 3)]
        ],
    )
    report = kb.import_table(assessment, "self-assessment").raise_for_problems()
    assert report.rows_loaded == 3
    scores = kb.select(
        "SELECT ?point ?value WHERE { ?a a hls:SelfAssessment ; hls:assessedBy hlsd:org-plymouth-alliance ; "
        "hls:hasScore ?s . ?s hls:learningPoint ?point ; hls:scoreValue ?value }",
        compact=False,
    )
    assert dict(zip(scores["point"], map(int, scores["value"]), strict=True)) == {
        HLSC + "start-upstream": 2,
        HLSC + "be-realistic": 4,
        HLSC + "rethink-impact": 3,
    }
    over_time = kb.inquire("self-assessment-over-time", compact=False)
    assert len(over_time) >= 3


def test_places_and_organisations_refer_to_each_other_within_a_file(kb, tmp_path):
    places = fill_csv_template(
        tmp_path,
        "places",
        [
            {
                "id": "stonehouse",
                "name": "Stonehouse",
                "settlement": "neighbourhood",
                "within": "Plymouth",
                "gss_code": "E05012345",
                "access_level": "public",
            },
            {"id": "union-street", "name": "Union Street", "within": "Stonehouse", "access_level": "public"},
        ],
    )
    kb.import_table(places, "places").raise_for_problems()
    within = kb.select("SELECT ?p WHERE { hlsd:place-union-street hls:within ?p }", compact=False)
    assert set(within["p"]) >= {HLSD + "place-stonehouse", HLSD + "place-plymouth"}
    # The administrative kind comes from the GSS code (E05: a ward); the settlement is as given.
    kinds = kb.select(
        "SELECT ?kind ?settlement WHERE { hlsd:place-stonehouse hls:placeKind ?kind ; hls:settlementKind "
        "?settlement }",
        compact=False,
    )
    assert kinds.to_dict("records") == [{"kind": HLSC + "ward", "settlement": HLSC + "neighbourhood"}]
    assert kb.select("SELECT ?k WHERE { hlsd:place-union-street hls:placeKind ?k }").empty

    organisations = fill_csv_template(
        tmp_path,
        "organisations",
        [
            {
                "id": "riverside",
                "name": "Riverside Housing Trust",
                "kind": "provider",
                "based_in": "Stonehouse",
                "member_of": "Plymouth Alliance",
                "access_level": "internal",
            },
            {
                "id": "hub",
                "name": "Community Hub",
                "partner_of": "riverside; Plymouth City Council",
                "access_level": "internal",
            },
        ],
    )
    kb.import_table(organisations, "organisations").raise_for_problems()
    kinds = kb.select(
        "SELECT ?o ?k WHERE { VALUES ?o { hlsd:org-riverside hlsd:org-hub } "
        "GRAPH ?g { ?o a ?k } FILTER(?g != hlsg:inferred) }",
        compact=False,
    )
    assert dict(zip(kinds["o"], kinds["k"], strict=True)) == {
        HLSD + "org-riverside": HLS + "Provider",
        HLSD + "org-hub": HLS + "Organisation",
    }


def test_ids_already_used_by_another_source_are_problems(kb, tmp_path):
    path = fill_csv_template(
        tmp_path,
        "stories",
        [{"id": "jacob", "title": "Not Jacob", "summary": "A different story", "access_level": "public"}],
    )
    before = state(kb)
    report = kb.import_table(path, "stories")
    [problem] = report.problems.to_dict("records")
    assert problem["column"] == "id" and problem["value"] == "jacob"
    assert "hlsd:story-jacob already names an item of hlsg:base/stories" in problem["expected"]
    assert state(kb) == before


def test_rows_without_ids_get_content_hash_iris(kb, tmp_path):
    rows = [
        {"title": "First", "summary": "one", "access_level": "public"},
        {"title": "Second", "summary": "two", "access_level": "public"},
    ]
    path = fill_csv_template(tmp_path, "stories", rows)
    first = kb.import_table(path, "stories").raise_for_problems()
    iris = set(
        kb.select(f"SELECT ?s WHERE {{ GRAPH <{first.graph}> {{ ?s a hls:Story }} }}", compact=False)["s"]
    )
    assert len(iris) == 2 and all(i.startswith(HLSD + "story-") for i in iris)
    kb.import_table(path, "stories").raise_for_problems()
    again = set(
        kb.select(f"SELECT ?s WHERE {{ GRAPH <{first.graph}> {{ ?s a hls:Story }} }}", compact=False)["s"]
    )
    assert again == iris

    (tmp_path / "again").mkdir()
    duplicate = fill_csv_template(tmp_path / "again", "stories", rows + [rows[0]])
    report = kb.import_table(duplicate, "stories")
    [problem] = report.problems.to_dict("records")
    assert problem["row"] == 4 and "repeats row 2 exactly" in problem["expected"]
