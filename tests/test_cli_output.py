"""What the command line prints, as a person reads it in an 80-100 column terminal: tables
fitted to the width (cut cells marked, empty cells blank), the other formats, the inquiries
listed whole, and errors that speak of options and commands rather than Python calls."""

import io
import json

import pandas as pd
import pytest

from hlsgraph.cli import main
from hlsgraph.tables import ELLIPSIS


def run(capsys, monkeypatch, *argv, columns=100):
    monkeypatch.setenv("COLUMNS", str(columns))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("columns", [80, 100])
def test_tables_fit_the_terminal(capsys, monkeypatch, kb, columns):
    for argv in (("inquire", "stories-by-concept", "-p", "concept=Trust"), ("tour",), ("stats",)):
        code, out, _ = run(capsys, monkeypatch, *argv, columns=columns)
        assert code == 0
        widest = max(len(line) for line in out.splitlines())
        assert widest <= columns, (argv, widest)
        assert "<NA>" not in out and "NaN" not in out
    code, out, _ = run(
        capsys, monkeypatch, "inquire", "stories-by-concept", "-p", "concept=Trust", columns=columns
    )
    assert ELLIPSIS in out  # long titles are cut, and say so
    expected = kb.inquire("stories-by-concept", concept="Trust")
    assert len(out.splitlines()) >= len(expected) + 1
    first = expected["title"].iloc[0]
    assert any(first.startswith(line.split("  ")[1].rstrip(ELLIPSIS)) for line in out.splitlines()[1:2])


def test_a_given_width_wins_and_left_out_columns_are_named(capsys, monkeypatch):
    code, out, _ = run(
        capsys, monkeypatch, "inquire", "stories-by-concept", "-p", "concept=Trust", "--width", "60"
    )
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 60
    flat = " ".join(out.split())
    assert "more columns not shown: storyPlace" in flat and "--format csv shows all" in flat


def test_markdown_csv_and_json_carry_every_column(capsys, monkeypatch, kb):
    expected = kb.inquire("evidence-mix")
    code, out, _ = run(capsys, monkeypatch, "inquire", "evidence-mix", "--format", "markdown")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "| " + " | ".join(expected.columns) + " |"
    assert lines[1].startswith("| --- |") and "---:" in lines[1]  # numbers on the right
    assert len(lines) == len(expected) + 2 and "<NA>" not in out
    code, out, _ = run(capsys, monkeypatch, "inquire", "evidence-mix", "--format", "csv")
    assert pd.read_csv(io.StringIO(out)).shape == expected.shape
    code, out, _ = run(capsys, monkeypatch, "inquire", "evidence-mix", "--format", "json")
    assert len(json.loads(out)) == len(expected)


def test_inquiries_are_listed_whole(capsys, monkeypatch, kb):
    code, out, _ = run(capsys, monkeypatch, "inquiries", columns=80)
    assert code == 0 and ELLIPSIS not in out and max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.split())
    for row in kb.inquiries().itertuples():
        assert row.name in flat and " ".join(row.title.split()) in flat
        for parameter in row.parameters.split("; "):
            if parameter:
                assert " ".join(parameter.split()) in flat


@pytest.mark.parametrize(
    "argv, wanted",
    [
        (("inquire", "storys-by-concept"), "See `hlsgraph inquiries`"),
        (("inquire", "stories-by-concept"), "e.g. hlsgraph inquire stories-by-concept -p concept=..."),
        (("load", "DATA/base/places.ttl", "--graph", "hlsg:base/places"), "give --replace to replace it"),
    ],
)
def test_errors_speak_of_options_not_python(capsys, monkeypatch, argv, wanted):
    from hlsgraph.resources import base_data_dir

    argv = [a.replace("DATA/base", str(base_data_dir())) for a in argv]
    code, out, err = run(capsys, monkeypatch, *argv)
    assert code == 2 and wanted in err
    assert "kb." not in err and "=True" not in err and "Traceback" not in err


def test_load_takes_a_base_for_relative_iris(capsys, monkeypatch, tmp_path):
    data = tmp_path / "people.ttl"
    data.write_text('<#me> <http://xmlns.com/foaf/0.1/name> "Me" .\n')
    code, _, err = run(capsys, monkeypatch, "load", str(data))
    assert code == 2 and "<#me> is a relative IRI" in err and "--base https://..." in err
    assert "base_iri" not in err
    store = tmp_path / "store"
    code, out, _ = run(
        capsys, monkeypatch, "load", str(data), "--base", "https://example.org/people", "--store", str(store)
    )
    assert code == 0 and "+1 triple;" in out
    code, out, _ = run(
        capsys,
        monkeypatch,
        "inquire",
        "provenance",
        "-p",
        "item=https://example.org/people#me",
        "--store",
        str(store),
    )
    import hlsgraph

    with hlsgraph.open(store) as kb:
        assert kb.ask("ASK { <https://example.org/people#me> ?p ?o }")


def test_select_names_the_file_and_its_line(capsys, monkeypatch, tmp_path):
    query = tmp_path / "mine.rq"
    query.write_text("# my query\nSELECT ?s\nWHERE { ?s a foo:Story }\n")
    code, _, err = run(capsys, monkeypatch, "select", str(query))
    assert code == 2
    assert f"SPARQL syntax error in {query}, line 3, column 14: unknown prefix 'foo:'" in err
    assert "<query>" not in err and err.count("line 3") == 1


@pytest.mark.parametrize("columns", [80, 100])
def test_import_problems_fit_the_terminal_in_file_order(capsys, monkeypatch, tmp_path, columns):
    path = tmp_path / "stories.csv"
    path.write_text(
        "title,summary,date,place,concepts,access_level\n"
        "A,B,2024,Nowhere,Trust,public\nB,C,2024-13-45,Plymouth,Trust,public\nC,D,2024,Plymouth,Trsut,secret\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, monkeypatch, "import", str(path), "--kind", "stories", columns=columns)
    lines = out.splitlines()
    assert code == 1 and max(len(line) for line in lines) <= columns
    rows = [line.split()[0] for line in lines[2:] if line[:1].isdigit()]
    assert rows == ["2", "3", "4", "4"]
    flat = " ".join(out.split())
    assert "no month 13" in flat and "did you mean 'Trust'?" in flat and "LabelIndex" not in flat
