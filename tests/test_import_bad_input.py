"""Spreadsheets a person gets wrong, each answered with the row, line and column and what was
expected, and nothing loaded: a cell past the CSV reader's limit, a quote that never closes,
text after a closing quote, a file without its header (in quarantine mode too, where the first
row was lost), and an invisible character in a place or a concept. Problems come in file order."""

import csv

import pytest

import hlsgraph
from hlsgraph.errors import ImportProblemsError

HEADER = "title,summary,date,place,concepts,access_level\n"
GOOD = "A good story,What happened,2024,Plymouth,Trust,public\n"


@pytest.fixture
def kb():
    return hlsgraph.open()


def refused(kb, path, mode="strict"):
    before = (len(kb), kb.graphs())
    with pytest.raises(ImportProblemsError) as info:
        kb.import_table(path, "stories", mode=mode)
    assert (len(kb), kb.graphs()) == before
    return str(info.value)


@pytest.mark.parametrize("mode", ["strict", "quarantine"])
def test_a_cell_past_the_csv_limit_is_named(kb, tmp_path, mode):
    path = tmp_path / "long.csv"
    path.write_text(HEADER + GOOD + f'Long,"{"x" * 140_000}",2024,Plymouth,Trust,public\n', encoding="utf-8")
    text = refused(kb, path, mode)
    assert text.startswith(
        f"{path}, row 3 (line 3), column 'summary': a cell of more than 131,072 characters"
    )


def test_an_unclosed_quote_is_named_with_its_row_and_line(kb, tmp_path):
    path = tmp_path / "quote.csv"
    # A quoted cell over two lines first, so the row (3) and the line (4) differ.
    path.write_text(
        HEADER
        + 'Two lines,"one\ntwo",2024,Plymouth,Trust,public\nOpen,"never closed,2024,Plymouth,Trust,public\n'
        + GOOD,
        encoding="utf-8",
    )
    text = refused(kb, path, "quarantine")
    assert text.startswith(
        f"{path}, row 3 (line 4), column 'summary': a quoted cell opens with \" and never closes"
    )
    assert "unexpected end of data" not in text


def test_text_after_a_closing_quote_is_named(kb, tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text(HEADER + 'Stray,"quoted" then more,2024,Plymouth,Trust,public\n', encoding="utf-8")
    assert refused(kb, path).startswith(
        f"{path}, row 2 (line 2), column 'summary': text follows the closing quote"
    )


@pytest.mark.parametrize("mode", ["strict", "quarantine"])
def test_a_file_without_its_header_keeps_every_row(kb, tmp_path, mode):
    path = tmp_path / "noheader.csv"
    path.write_text(GOOD + "Another story,More,2024,Gateshead,Trust,public\n", encoding="utf-8")
    before = len(kb)
    report = kb.import_table(path, "stories", mode=mode)
    assert report.rows_read == 2 and report.rows_loaded == 0 and len(kb) == before
    frame = report.to_dataframe()
    assert len(frame) == 1 and "a header row naming the columns" in frame["expected"].iloc[0]
    assert "'A good story'" in frame["expected"].iloc[0]
    if mode == "quarantine":
        with report.problems_file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert [r[0] for r in rows[1:]] == ["1", "2"]  # the first row is not lost
        assert rows[1][2] == "A good story"


def test_an_invisible_character_is_refused_in_a_place_as_in_a_concept(kb, tmp_path):
    path = tmp_path / "zwsp.csv"
    path.write_text(
        HEADER
        + "Place,Text,2024,Ply\u200bmouth,Trust,public\nConcept,Text,2024,Plymouth,Tr\u200bust,public\n"
        + GOOD,
        encoding="utf-8",
    )
    before = len(kb)
    report = kb.import_table(path, "stories", mode="quarantine")
    assert report.rows_loaded == 1 and report.rows_quarantined == 2
    frame = report.to_dataframe()
    assert frame["column"].tolist() == ["place", "concepts"]
    for expected in frame["expected"]:
        assert "U+200B ZERO WIDTH SPACE" in expected and "no invisible characters" in expected
    assert len(kb) > before  # the good row only
    assert not kb.ask('ASK { ?s dcterms:title "Place" }') and not kb.ask('ASK { ?s dcterms:title "Concept" }')


def test_problems_are_listed_in_file_order(kb, tmp_path):
    path = tmp_path / "order.csv"
    path.write_text(
        HEADER
        + "A,B,2024,Nowhere,Trust,public\n"
        + "B,C,2024-13-45,Plymouth,Trust,public\n"
        + "C,D,2024,Plymouth,Trsut,secret\n",
        encoding="utf-8",
    )
    report = kb.import_table(path, "stories", mode="quarantine")
    rows = report.to_dataframe()["row"].tolist()
    assert rows == sorted(rows) and rows[0] == 2 and rows[-1] == 4
    assert "&lt;NA&gt;" not in report._repr_html_()
