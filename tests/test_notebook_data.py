"""The notebooks' example data (notebooks/data/): fictional, marked internal throughout, imports
cleanly in the order the notebooks use, and never leaves in a public export."""

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

import hlsgraph

DATA = Path(__file__).resolve().parent.parent / "notebooks" / "data"
ORDER = [
    ("eastbrook-places.csv", "places"),
    ("eastbrook-organisations.csv", "organisations"),
    ("eastbrook-stories.xlsx", "stories"),
    ("eastbrook-measures.csv", "measures"),
    ("eastbrook-observations.csv", "observations"),
    ("eastbrook-reflections.csv", "reflections"),
    ("eastbrook-self-assessment.csv", "self-assessment"),
]


def rows(name):
    path = DATA / name
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    sheet = load_workbook(path, read_only=True)["stories"]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_every_example_file_is_listed_and_labelled_fictional():
    files = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert files == sorted(name for name, _ in ORDER)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "fictional" in readme and "invented" in readme
    for name in files:
        assert name in readme


@pytest.mark.parametrize("name", [name for name, _ in ORDER])
def test_every_row_is_internal(name):
    found = rows(name)
    assert found, f"{name} has no rows"
    assert {row["access_level"] for row in found} == {"internal"}


def test_names_say_they_are_fictional():
    for name in ("eastbrook-places.csv", "eastbrook-organisations.csv"):
        for row in rows(name):
            assert "(fictional" in row["name"], row["name"]


def test_imports_cleanly_and_stays_out_of_a_public_export():
    kb = hlsgraph.open()
    for name, kind in ORDER:
        report = kb.import_table(DATA / name, kind)
        assert report.ok and report.rows_loaded == report.rows_read == len(rows(name)), report.problems_text()
    public = kb.export(format="ntriples")
    titles = [row["title"] for row in rows("eastbrook-stories.xlsx")]
    assert titles and not any(title in public for title in titles)
    assert "eastbrook" not in public.lower()
    team = kb.export(format="ntriples", access=("public", "internal"))
    assert all(title in team for title in titles)
