"""Spreadsheet import: every kind of bad input gives a message naming the row, column and what
was expected, and in strict mode leaves the store exactly as it was."""

import codecs
import csv
import datetime as dt
from pathlib import Path

import pytest

import hlsgraph
from hlsgraph.errors import ImportProblemsError
from hlsgraph.namespaces import HLS, HLSD, HLSG

FIXTURES = Path(__file__).parent / "fixtures" / "import"
STORY_HEADER = ["id", "title", "summary", "date", "place", "concepts", "access_level"]


@pytest.fixture
def kb():
    base = hlsgraph.open()
    yield base
    base.close()


def state(kb):
    """The whole store, to compare before and after: its size and every quad."""
    return len(kb), sorted(str(q) for q in kb.quads())


def problems(report):
    """The problems as plain tuples (row, column, value, expected)."""
    frame = report.problems
    return [
        (
            None if row is None or str(row) == "<NA>" else int(row),
            None if str(column) == "<NA>" else column,
            None if str(value) == "<NA>" else value,
            expected,
        )
        for row, column, value, expected in frame[["row", "column", "value", "expected"]]
        .astype(object)
        .itertuples(index=False)
    ]


def strict_fails(kb, path, kind="stories", **kw):
    """Import in strict mode, check that nothing changed, and return the report."""
    before = state(kb)
    report = kb.import_table(path, kind, **kw)
    assert not report.ok
    assert report.rows_loaded == 0
    assert report.rows_loaded + report.rows_quarantined == report.rows_read
    assert state(kb) == before
    with pytest.raises(ImportProblemsError) as caught:
        report.raise_for_problems()
    assert caught.value.report is report
    return report


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_latin1_file_is_a_clear_error_naming_the_byte_and_the_fix(kb):
    before = state(kb)
    with pytest.raises(ImportProblemsError) as caught:
        kb.import_table(FIXTURES / "latin1.csv", "stories")
    message = str(caught.value)
    assert "latin1.csv" in message
    assert "byte 58 (0xe9, line 2" in message
    assert "UTF-8" in message and "encoding=" in message
    assert state(kb) == before


def test_latin1_file_imports_with_its_encoding_named(kb):
    report = kb.import_table(FIXTURES / "latin1.csv", "stories", encoding="latin-1")
    assert report.ok and report.rows_loaded == 1
    titles = kb.select("SELECT ?t WHERE { hlsd:story-cafe dcterms:title ?t }")
    assert list(titles["t"]) == ["Café conversations"]


def test_utf8_bom_is_accepted_silently(kb):
    report = kb.import_table(FIXTURES / "bom.csv", "stories")
    assert report.ok, report.problems
    # The BOM is not glued to the first column's name: the id column was found.
    found = kb.select("SELECT ?s WHERE { ?s dcterms:title 'Café conversations' }", compact=False)
    assert list(found["s"]) == [HLSD + "story-cafe"]


def test_missing_required_columns_are_named(kb):
    report = strict_fails(kb, FIXTURES / "missing_columns.csv")
    found = problems(report)
    assert {(p[0], p[1]) for p in found} == {(1, "summary"), (1, "access_level")}
    assert all("the stories template requires it" in p[3] for p in found)


def test_unknown_extra_columns_are_problems_with_a_suggestion(kb):
    report = strict_fails(kb, FIXTURES / "unknown_column.csv")
    found = {p[1]: p[3] for p in problems(report)}
    assert set(found) == {"mood", "sumary"}
    assert "did you mean 'summary'?" in found["sumary"]
    assert "a column of the stories template" in found["mood"]


def test_empty_file(kb):
    report = strict_fails(kb, FIXTURES / "empty.csv")
    assert report.rows_read == 0
    assert problems(report) == [(None, None, None, "a header row naming the columns; the file is empty")]


def test_headers_only(kb):
    report = strict_fails(kb, FIXTURES / "headers_only.csv")
    assert report.rows_read == 0
    assert [p[3] for p in problems(report)] == ["rows of data below the header; the file has only a header"]


def test_impossible_date_names_row_and_column_and_nothing_loads(kb):
    report = strict_fails(kb, FIXTURES / "dates.csv")
    assert problems(report) == [
        (7, "date", "31/02/2024", "'31/02/2024' is not a real date: February 2024 has 29 days")
    ]
    assert report.rows_read == 7 and report.rows_quarantined == 7


def test_dates_in_iso_uk_and_spelled_forms(kb, tmp_path):
    path = tmp_path / "dates.csv"
    path.write_bytes((FIXTURES / "dates.csv").read_bytes())
    report = kb.import_table(path, "stories", mode="quarantine")
    assert (report.rows_loaded, report.rows_quarantined) == (6, 1)
    dates = kb.select(
        "SELECT ?s ?d (DATATYPE(?d) AS ?type) WHERE { GRAPH ?g { ?s dcterms:date ?d } "
        "FILTER(STRSTARTS(STR(?s), STR(hlsd:story-d-))) }",
        compact=False,
    )
    got = {s.rsplit("-", 1)[-1]: (str(d), t.rsplit("#", 1)[-1]) for s, d, t in dates.itertuples(index=False)}
    assert got == {
        "iso": ("2024-04-03", "date"),
        "uk": ("2024-04-03", "date"),  # 03/04/2024 is 3 April, read day first
        "spelled": ("2024-04-03", "date"),
        "month": ("2024-04", "gYearMonth"),
        "year": ("2024", "gYear"),
        "ordinal": ("2023-09-21", "date"),
    }


def test_numbers_with_thousands_separators_and_currency(kb, tmp_path):
    strict = strict_fails(kb, FIXTURES / "numbers.csv", "observations")
    assert [(p[0], p[1]) for p in problems(strict)] == [(5, "value"), (6, "unit")]
    assert "commas must group thousands" in problems(strict)[0][3]
    assert "every observation needs one" in problems(strict)[1][3]

    path = tmp_path / "numbers.csv"
    path.write_bytes((FIXTURES / "numbers.csv").read_bytes())
    report = kb.import_table(path, "observations", mode="quarantine")
    assert (report.rows_loaded, report.rows_quarantined) == (3, 2)
    values = kb.select(
        "SELECT ?s (STR(?value) AS ?v) (DATATYPE(?value) AS ?type) ?unit WHERE { "
        "?s hls:value ?value ; hls:unit ?unit "
        "FILTER(STRSTARTS(STR(?s), STR(hlsd:obs-n-))) }",
        compact=False,
    )
    got = {
        s.rsplit("obs-", 1)[-1]: (str(v), t.rsplit("#", 1)[-1], u)
        for s, v, t, u in values.astype(str).itertuples(index=False)
    }
    assert got["n-pounds"] == ("1200.5", "decimal", "GBP")  # the store keeps decimals canonical
    assert got["n-thousands"] == ("12000", "integer", "people")
    assert got["n-percent"] == ("45", "integer", "percent")


def test_duplicate_ids_within_a_file(kb):
    report = strict_fails(kb, FIXTURES / "duplicate_ids.csv")
    found = problems(report)
    assert [(p[0], p[1], p[2]) for p in found] == [(4, "id", "story-1"), (5, "id", "Story 2")]
    assert "row 2 has the same id" in found[0][3]
    assert "row 3 has the id 'story-2', which gives the same IRI" in found[1][3]


def test_formula_cells_in_excel_are_problems(kb, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "stories"
    sheet.append(STORY_HEADER)
    sheet.append(["f1", "Plain", "A story", dt.datetime(2024, 4, 3), "Plymouth", "Trust", "internal"])
    sheet.append(["f2", '=CONCAT("Com", "puted")', "A story", "3 April 2024", None, None, "internal"])
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    report = strict_fails(kb, path)
    assert problems(report) == [
        (
            3,
            "title",
            '=CONCAT("Com", "puted")',
            "a value: formulas are not imported; paste values (in Excel: Copy, then Paste Special > Values)",
        )
    ]
    assert report.problems["sheet"].tolist() == ["stories"]


def test_access_level_outside_the_allowed_set_and_missing(kb):
    report = strict_fails(kb, FIXTURES / "access_levels.csv")
    found = problems(report)
    assert [(p[0], p[1], p[2]) for p in found] == [(3, "access_level", "secret"), (4, "access_level", "")]
    assert found[0][3] == "one of public, internal, restricted"
    assert "there is no default" in found[1][3]


def test_concept_label_with_a_typo_suggests_the_right_one(kb):
    report = strict_fails(kb, FIXTURES / "concept_typo.csv")
    [(row, column, value, expected)] = problems(report)
    assert (row, column, value) == (2, "concepts", "Trsut; Strengths")
    assert "no concept is labelled 'Trsut'; did you mean 'Trust'?" in expected


def test_unknown_place_and_wrong_kind_of_iri(kb, tmp_path):
    path = write_csv(
        tmp_path / "refs.csv",
        STORY_HEADER,
        [
            ["r1", "Unknown place", "s", "", "Atlantis", "", "public"],
            ["r2", "A place that is a concept", "s", "", "hlsc:trust", "", "public"],
            ["r3", "An IRI nobody describes", "s", "", "", "hlsc:no-such-concept", "public"],
        ],
    )
    report = strict_fails(kb, path)
    found = {p[0]: p[3] for p in problems(report)}
    assert "no place is labelled 'Atlantis'" in found[2]
    assert "hlsc:trust is a" in found[3]
    assert "nothing is known about hlsc:no-such-concept" in found[4]


def test_fifty_thousand_rows_one_bad(kb, tmp_path):
    rows = [
        [
            f"bulk-{i}",
            f"Story {i}",
            f"What changed for person {i}",
            "03/04/2024",
            "Plymouth" if i % 2 else "Gateshead",
            "Trust; Strengths",
            "internal",
        ]
        for i in range(50_000)
    ]
    rows[41_234][3] = "30/02/2024"
    path = write_csv(tmp_path / "bulk.csv", STORY_HEADER, rows)
    report = strict_fails(kb, path)
    assert report.rows_read == 50_000
    assert problems(report) == [
        (41_236, "date", "30/02/2024", "'30/02/2024' is not a real date: February 2024 has 29 days")
    ]

    rows[41_234][3] = "2024-02-29"
    write_csv(path, STORY_HEADER, rows)
    report = kb.import_table(path, "stories")
    assert report.ok and report.rows_loaded == 50_000
    count = kb.select(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{HLSG}import/bulk-csv> {{ ?s a hls:Story }} }}"
    )
    assert int(count["n"][0]) == 50_000


def test_not_a_spreadsheet(kb, tmp_path):
    path = tmp_path / "notes.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0old excel")
    with pytest.raises(ImportProblemsError, match=r"notes\.xls: \.xls files are not read; save it as"):
        kb.import_table(path, "stories")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportProblemsError, match="not a readable Excel workbook"):
        kb.import_table(broken, "stories")


def _story_workbook_bytes(rows=200):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "stories"
    sheet.append(STORY_HEADER)
    for i in range(rows):
        sheet.append([f"w{i}", f"Story {i}", "What changed " * 4, "2024", "", "", "internal"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _damaged_sheet(data: bytes) -> bytes:
    """The workbook with bytes in the middle of its sheet's compressed cells flipped."""
    import io
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 50
    damaged = bytearray(data)
    for k in range(start, start + 30):
        damaged[k] ^= 0x5A
    return bytes(damaged)


@pytest.mark.parametrize(
    ("name", "damage", "says"),
    [
        ("cut.xlsx", lambda data: data[: len(data) // 2], "its zip archive is incomplete or corrupt"),
        ("flipped.xlsx", _damaged_sheet, "sheet 'stories' is damaged (its compressed data is corrupt)"),
        (
            "renamed.xlsx",
            lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "an old Excel 97-2003",
        ),
    ],
)
def test_a_damaged_workbook_is_named_with_what_is_wrong(kb, tmp_path, name, damage, says):
    path = tmp_path / name
    path.write_bytes(damage(_story_workbook_bytes()))
    before = len(kb)
    with pytest.raises(ImportProblemsError) as caught:
        kb.import_table(path, "stories")
    message = str(caught.value)
    assert message.startswith(f"{path}: not a readable Excel workbook (.xlsx): ")
    assert says in message and "save it from Excel as 'Excel Workbook (.xlsx)'" in message
    assert len(kb) == before


def test_a_password_protected_workbook_says_so(kb):
    # tests/fixtures/encrypted.xlsx: a one-story workbook encrypted (password "secret") with
    # msoffcrypto-tool's OOXMLFile.encrypt, as Excel's "Encrypt with Password" does.
    path = Path(__file__).parent / "fixtures" / "encrypted.xlsx"
    with pytest.raises(ImportProblemsError, match=r"encrypted\.xlsx: the workbook is password-protected"):
        kb.import_table(path, "stories")


def test_unknown_kind_and_mode(kb):
    with pytest.raises(ValueError, match="no template kind 'storys'; did you mean 'stories'"):
        kb.import_table(FIXTURES / "bom.csv", "storys")
    with pytest.raises(ValueError, match="mode must be one of strict, quarantine"):
        kb.import_table(FIXTURES / "bom.csv", "stories", mode="lenient")


def test_report_renders_for_notebooks(kb):
    report = kb.import_table(FIXTURES / "concept_typo.csv", "stories")
    page = report._repr_html_()
    assert "concept_typo.csv" in page and "did you mean &#x27;Trust&#x27;?</td>" in page
    assert list(report.problems.columns) == ["file", "sheet", "row", "column", "value", "expected"]
    assert report.graph == HLSG + "import/concept-typo-csv"


def test_bom_with_crlf_line_ends(kb, tmp_path):
    text = "\r\n".join(
        [",".join(STORY_HEADER), "crlf,Windows line ends,Saved by Excel on Windows,2024,,,restricted", ""]
    )
    path = tmp_path / "windows.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    report = kb.import_table(path, "stories")
    assert report.ok
    level = kb.select("SELECT ?a WHERE { hlsd:story-crlf hls:accessLevel ?a }", compact=False)
    assert list(level["a"]) == [HLS + "restricted"]


def test_ambiguous_label_lists_the_candidates(kb, tmp_path):
    for n, within in (("one", "Plymouth"), ("two", "Gateshead")):
        places = write_csv(
            tmp_path / f"places-{n}.csv",
            ["id", "name", "within", "access_level"],
            [[f"springfield-{n}", "Springfield", within, "public"]],
        )
        kb.import_table(places, "places").raise_for_problems()
    path = write_csv(
        tmp_path / "ambiguous.csv",
        STORY_HEADER,
        [["amb", "Which one?", "s", "", "Springfield", "", "public"]],
    )
    report = strict_fails(kb, path)
    [(row, column, value, expected)] = problems(report)
    assert (row, column, value) == (2, "place", "Springfield")
    assert "'Springfield' names 2 resources" in expected
    assert "hlsd:place-springfield-one" in expected and "hlsd:place-springfield-two" in expected


def test_sheet_choice_in_a_workbook(kb, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "notes"
    wb.active.append(["This sheet is not data"])
    data = wb.create_sheet("my stories")
    data.append(STORY_HEADER)
    data.append(["wb1", "From a named sheet", "s", "2024", "", "", "internal"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    with pytest.raises(
        ImportProblemsError, match="no sheet named 'stories'; the workbook has 'notes', 'my stories'"
    ):
        kb.import_table(path, "stories", sheet="stories")
    report = kb.import_table(path, "stories", sheet="my stories")
    assert report.ok and report.sheet == "my stories" and report.rows_loaded == 1


def test_row_with_more_values_than_the_header_is_that_rows_problem(kb, tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text(
        ",".join(STORY_HEADER) + "\nok,Fine,s,,,,public\noops,Rosa, who found work,s,,,,public\n",
        encoding="utf-8",
    )
    report = strict_fails(kb, path)
    assert problems(report) == [
        (
            3,
            None,
            "public",
            "at most 7 values, one per header column; this row has 8 "
            "(is a comma inside a value missing its quotes?)",
        )
    ]
    quarantined = kb.import_table(path, "stories", mode="quarantine")
    assert (quarantined.rows_loaded, quarantined.rows_quarantined) == (1, 1)


def test_progress_counts_the_rows_through_each_step(kb, tmp_path, capsys):
    path = tmp_path / "counted.csv"
    rows = [[f"p{i}", f"Story {i}", "What changed", "2024", "Plymouth", "Trust", "public"] for i in range(30)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([STORY_HEADER, *rows])
    report = kb.import_table(path, "stories", progress=True)
    assert report.ok and report.rows_loaded == 30
    shown = capsys.readouterr().err
    # tqdm redraws in place: the last state of the bar is the loading step, all 30 rows done.
    last = shown.replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("counted.csv: loading: 100%") and "30/30 [" in last and "rows/s" in last
    for step in ("reading cells", "identifying items", "checking shapes", "writing triples"):
        assert f"counted.csv: {step}" in shown
    assert kb.import_table(path, "stories", progress=False).unchanged
    assert capsys.readouterr().err == ""


def test_the_report_class_is_public_under_hlsgraph(kb):
    # hlsgraph.ImportReport once pointed at a module that the layout by layer had removed.
    from hlsgraph.reports import Report

    report = kb.import_table(FIXTURES / "access_levels.csv", "stories")
    assert isinstance(report, hlsgraph.ImportReport) and isinstance(report, Report)


def test_the_cycle_collector_is_restored_after_an_import(kb):
    import gc

    assert gc.isenabled()
    kb.import_table(FIXTURES / "access_levels.csv", "stories")
    assert gc.isenabled()
    gc.disable()
    try:
        kb.import_table(FIXTURES / "access_levels.csv", "stories")
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(FileNotFoundError):
        kb.import_table(FIXTURES / "no-such-file.csv", "stories")
    assert gc.isenabled()


def test_an_automatic_bar_stays_hidden_for_a_quick_import(kb, capsys, monkeypatch):
    # As if a person watched (a notebook, a terminal): the bar may appear only after
    # progress.DELAY seconds of work on the rows, and these few rows take far less.
    import hlsgraph.progress

    monkeypatch.setattr(hlsgraph.progress, "_someone_watches", lambda: True)
    monkeypatch.setattr(hlsgraph.progress, "DELAY", 30.0)
    report = kb.import_table(FIXTURES / "access_levels.csv", "stories")
    assert report.rows_read == 3
    assert capsys.readouterr().err == ""
