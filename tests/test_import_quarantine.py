"""Quarantine mode never loses a row: on randomised mixes of good and bad rows, every row read
is either loaded or written to the problems file with its reason, and only good rows load."""

import csv
import random

import pytest

import hlsgraph
from hlsgraph.namespaces import HLSD

HEADER = ["id", "title", "summary", "date", "place", "concepts", "access_level"]

# Ways to spoil a good row, each with the column it spoils and a word of the expected message.
SPOILERS = [
    ("date", "31/02/2024", "not a real date"),
    ("date", "someday", "is not a date"),
    ("place", "Plymuth", "did you mean 'Plymouth'"),
    ("concepts", "Trust; Strenghts", "did you mean 'Strengths'"),
    ("access_level", "secret", "one of public, internal, restricted"),
    ("access_level", "", "there is no default"),
    ("title", "", "title is required"),
    ("summary", "", "summary is required"),
]


def good_row(rng, i):
    return {
        "id": f"mix-{i}",
        "title": f"Story {i}",
        "summary": rng.choice(["Things changed", "A new start", 'She said "enough"', "Línea, ñ"]),
        "date": rng.choice(["2024-04-03", "03/04/2024", "April 2024", "2023", ""]),
        "place": rng.choice(["Plymouth", "Gateshead", "hlsd:place-plymouth", ""]),
        "concepts": rng.choice(["Trust", "Trust; Strengths", "hlsc:empathy", ""]),
        "access_level": rng.choice(["public", "internal", "restricted", "Internal"]),
    }


@pytest.mark.parametrize("seed", range(6))
def test_loaded_plus_quarantined_is_rows_read(tmp_path, seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    rows, bad = [], {}
    for i in range(n):
        row = good_row(rng, i)
        if rng.random() < 0.3:
            column, value, word = rng.choice(SPOILERS)
            row[column] = value
            bad[i] = word
        if rng.random() < 0.05 and i > 0 and (i - 1) not in bad:
            row["id"] = f"mix-{i - 1}"  # a duplicate id: the later row is the bad one
            bad[i] = "an id unique in the file"
        rows.append(row)
    path = tmp_path / f"mix-{seed}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(rows)

    kb = hlsgraph.open()
    report = kb.import_table(path, "stories", mode="quarantine")
    assert report.rows_read == n
    assert report.rows_loaded + report.rows_quarantined == report.rows_read
    assert report.rows_quarantined == len(bad)

    loaded = set(
        kb.select(f"SELECT ?s WHERE {{ GRAPH <{report.graph}> {{ ?s a hls:Story }} }}", compact=False)["s"]
    )
    assert loaded == {HLSD + f"story-mix-{i}" for i in range(n) if i not in bad}

    if bad:
        with report.problems_file.open(encoding="utf-8-sig") as handle:
            written = list(csv.DictReader(handle))
        assert sorted(int(r["source_row"]) for r in written) == sorted(i + 2 for i in bad)
        for record in written:
            i = int(record["source_row"]) - 2
            assert bad[i] in record["problems"], (record, bad[i])
            # The row is written as it was read, so it can be fixed and imported again.
            assert [record[c] for c in HEADER] == [rows[i][c] for c in HEADER]
    else:
        assert report.problems_file is None
    kb.close()


def test_strict_mode_on_the_same_mix_loads_nothing(tmp_path):
    rng = random.Random(99)
    rows = [good_row(rng, i) for i in range(20)]
    rows[7]["date"] = "32/01/2024"
    path = tmp_path / "strict.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    kb = hlsgraph.open()
    before = len(kb), sorted(str(q) for q in kb.quads())
    report = kb.import_table(path, "stories")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (20, 0, 20)
    assert report.problems["row"].tolist() == [9]
    assert (len(kb), sorted(str(q) for q in kb.quads())) == before
    assert not (tmp_path / "strict.problems.csv").exists()
    kb.close()


def test_a_problem_of_the_whole_file_quarantines_every_row_with_the_reason(tmp_path):
    path = tmp_path / "no-access.csv"
    path.write_text("id,title,summary\nx1,One,s\nx2,Two,s\n", encoding="utf-8")
    kb = hlsgraph.open()
    before = len(kb)
    report = kb.import_table(path, "stories", mode="quarantine")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 0, 2)
    assert len(kb) == before
    with report.problems_file.open(encoding="utf-8-sig") as handle:
        written = list(csv.DictReader(handle))
    assert [r["id"] for r in written] == ["x1", "x2"]
    assert all(r["problems"].startswith("access_level: a column named 'access_level'") for r in written)
    kb.close()
