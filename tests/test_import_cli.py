"""``hlsgraph import``: exit codes 0 / 1 / 2, the problems as a table, and the rows kept in an
on-disk store."""

import csv
from pathlib import Path

import hlsgraph
from hlsgraph.cli import main
from hlsgraph.namespaces import HLSD

FIXTURES = Path(__file__).parent / "fixtures" / "import"
HEADER = ["id", "title", "summary", "date", "place", "concepts", "access_level"]


def write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_problems_printed_as_a_table_and_exit_1(capsys):
    code = main(["import", str(FIXTURES / "access_levels.csv"), "--kind", "stories"])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "access_levels.csv: 3 rows read, 0 loaded, 3 rejected, 2 problems; strict mode: nothing was loaded"
    )
    assert lines[1].split() == ["row", "column", "value", "expected"]
    assert lines[2].split()[:3] == ["3", "access_level", "'secret'"]
    assert lines[2].endswith("one of public, internal, restricted")
    assert lines[3].split()[:2] == ["4", "access_level"]


def test_unreadable_file_exits_2(capsys):
    code = main(["import", str(FIXTURES / "latin1.csv"), "--kind", "stories"])
    assert code == 2
    assert "is not valid UTF-8" in capsys.readouterr().err
    code = main(["import", str(FIXTURES / "latin1.csv"), "--kind", "stories", "--encoding", "latin-1"])
    assert code == 0


def test_damaged_or_locked_workbook_exits_2(tmp_path, capsys):
    locked = Path(__file__).parent / "fixtures" / "encrypted.xlsx"
    assert main(["import", str(locked), "--kind", "stories"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hlsgraph: error: {locked}: the workbook is password-protected")
    assert "Traceback" not in err
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(b"PK\x03\x04" + bytes(100))  # a zip's first bytes, and nothing of the rest
    assert main(["import", str(cut), "--kind", "stories"]) == 2
    assert "cut.xlsx: not a readable Excel workbook (.xlsx): it is damaged" in capsys.readouterr().err


def test_quarantine_into_an_on_disk_store(tmp_path, capsys):
    store = tmp_path / "store"
    path = write(
        tmp_path / "field-notes.csv",
        [
            ["n1", "Good", "A story", "2024", "Plymouth", "Trust", "internal"],
            ["n2", "Bad", "A story", "2024", "Plymuth", "Trust", "internal"],
        ],
    )
    code = main(["import", str(path), "--kind", "stories", "--quarantine", "--store", str(store)])
    out = capsys.readouterr().out
    assert code == 1
    flat = " ".join(out.split())  # what was expected is wrapped to the terminal's width
    assert "1 loaded, 1 quarantined" in flat and "did you mean 'Plymouth'?" in flat
    assert (tmp_path / "field-notes.problems.csv").exists()

    kb = hlsgraph.open(store)
    try:
        stories = set(
            kb.select(
                "SELECT ?s WHERE { GRAPH <https://w3id.org/hls/graph/import/field-notes-csv> "
                "{ ?s a hls:Story } }",
                compact=False,
            )["s"]
        )
    finally:
        kb.close()
    assert stories == {HLSD + "story-n1"}

    write(
        path,
        [
            ["n1", "Good", "A story", "2024", "Plymouth", "Trust", "internal"],
            ["n2", "Fixed", "A story", "2024", "Plymouth", "Trust", "internal"],
        ],
    )
    assert main(["import", str(path), "--kind", "stories", "--store", str(store)]) == 0
    assert "2 rows read, 2 loaded, 0 rejected, 0 problems" in capsys.readouterr().out
    assert not (tmp_path / "field-notes.problems.csv").exists()
