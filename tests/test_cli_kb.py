"""The knowledge-base commands, run in-process through hlsgraph.cli.main and once as a real
subprocess; exit codes 0 ok, 1 no result, 2 error."""

import io
import json
import subprocess
import sys

import pytest

from hlsgraph.cli import main

EX = "https://example.org/"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_inquiries_lists_every_named_inquiry(capsys, kb):
    code, out, _ = run(capsys, "inquiries", "--format", "csv")
    assert code == 0
    import pandas as pd

    listed = pd.read_csv(io.StringIO(out))
    assert sorted(listed["name"]) == sorted(kb.inquiries()["name"])


def test_inquire_prints_the_same_answer_as_the_library(capsys, kb):
    code, out, _ = run(capsys, "inquire", "stories-by-concept", "-p", "concept=Trust", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    expected = kb.inquire("stories-by-concept", concept="Trust")
    assert [row["story"] for row in rows] == expected["story"].tolist()
    code, out, _ = run(capsys, "inquire", "stories-by-concept", "-p", "concept=hlsc:trust", "--width", "400")
    assert code == 0 and expected["story"].iloc[0] in out


def test_inquire_errors_and_empty_answers(capsys):
    code, _, err = run(capsys, "inquire", "storys-by-concept")
    assert code == 2 and "did you mean 'stories-by-concept'" in err
    code, _, err = run(capsys, "inquire", "stories-by-concept", "-p", "concept=No Such Concept Anywhere")
    assert code == 2 and "No Such Concept Anywhere" in err
    code, _, err = run(capsys, "inquire", "stories-by-concept", "-p", "concept")
    assert code == 2 and "not KEY=VALUE" in err
    code, out, _ = run(capsys, "inquire", "keyword-search", "-p", 'keyword=zzq" } UNION { ?s ?p ?o } #')
    assert code == 1 and "(no rows)" in out


def test_select_from_a_file_and_from_stdin(capsys, monkeypatch, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?title WHERE { hlsd:story-jacob dcterms:title ?title }")
    code, out, _ = run(capsys, "select", str(query), "--format", "csv")
    assert (
        code == 0 and out.splitlines()[0] == "title" and out.splitlines()[1].lstrip('"').startswith("Jacob")
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT ?x WHERE { ?x a hls:NoSuchClass }"))
    code, out, _ = run(capsys, "select", "-")
    assert code == 1 and "columns: x" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT ?x WHERE { ?x a }"))
    code, _, err = run(capsys, "select", "-")
    assert code == 2 and "SPARQL syntax error in <stdin>, line 1" in err


def test_load_into_a_store_on_disk_then_query_it(capsys, tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(f'<{EX}a> <http://purl.org/dc/terms/title> "Loaded from the CLI" .\n')
    store = tmp_path / "store"
    code, out, _ = run(capsys, "load", str(data), "--store", str(store))
    assert code == 0 and "<https://w3id.org/hls/graph/load/mine>" in out and "+1 triple;" in out
    query = tmp_path / "q.rq"
    query.write_text(f"SELECT ?t WHERE {{ <{EX}a> dcterms:title ?t }}")
    code, out, _ = run(capsys, "select", str(query), "--store", str(store), "--format", "csv")
    assert code == 0 and "Loaded from the CLI" in out
    bad = tmp_path / "bad.ttl"
    bad.write_text(f'<{EX}a> <{EX}b> "fine" .\n<{EX}a> <{EX}b> "broken .\n')
    code, _, err = run(capsys, "load", str(bad), "--store", str(store))
    assert code == 2 and f"{bad}, line 2" in err


def test_stats_and_tour(capsys, kb):
    code, out, _ = run(capsys, "stats")
    assert code == 0 and out.startswith(f"{len(kb)} triples in {len(kb.graphs())} named graphs")
    assert "https://w3id.org/hls/graph/ontology" in out and "hls:EvidenceItem" in out
    code, out, _ = run(capsys, "tour")
    assert code == 0
    assert "What is in it, by kind:" in out
    assert out.count("$ hlsgraph inquire ") == 3


@pytest.mark.slow
def test_the_console_script_runs_as_a_process(kb):
    done = subprocess.run(
        [sys.executable, "-m", "hlsgraph", "inquire", "evidence-mix", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    import pandas as pd

    frame = pd.read_csv(io.StringIO(done.stdout))
    assert frame["place"].tolist() == kb.inquire("evidence-mix")["place"].tolist()
    failed = subprocess.run(
        [sys.executable, "-m", "hlsgraph", "inquire", "nope"], capture_output=True, text=True, timeout=300
    )
    assert failed.returncode == 2 and "no inquiry named 'nope'" in failed.stderr
