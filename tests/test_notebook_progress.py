"""The progress bar: text on a terminal, an ipywidgets bar in a notebook, silence elsewhere,
and file reading that moves it."""

import io

import pytest

from hlsgraph.notebook.progress import Progress, load_with_progress, read_with_progress


def test_text_mode_reports_and_finishes():
    out = io.StringIO()
    with Progress(4_000_000, "Loading big.ttl", mode="text", stream=out, delay=0) as bar:
        bar.update(1_000_000)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Loading big.ttl: 25% (1.0 MB of 4.0 MB)"
    assert lines[-1] == "Loading big.ttl: 100% (4.0 MB of 4.0 MB) done"


def test_quick_work_shows_nothing_and_none_mode_is_silent():
    out = io.StringIO()
    with Progress(10, "quick", unit="rows", mode="text", stream=out, delay=60) as bar:
        bar.update(10)
    assert out.getvalue() == ""
    bar = Progress(10, "x", mode="none", delay=0).update(5)
    assert bar.fraction == 0.5


def test_auto_mode_outside_a_notebook_and_terminal_is_silent():
    out = io.StringIO()  # not a terminal
    bar = Progress(10, "x", stream=out, delay=0)
    assert bar.mode == "none"


def test_widget_mode_drives_an_int_progress():
    bar = Progress(200, "Building store", unit="triples", mode="widget", delay=0)
    bar.callback(50, 200)
    assert bar.bar.value == 250 and bar.bar.max == 1000
    assert bar.label.value == "Building store: 25% (50 triples of 200 triples)"
    bar.finish()
    assert bar.bar.bar_style == "success" and bar.label.value.endswith("done")


def test_a_failure_shows_as_failed():
    bar = Progress(100, "Loading", mode="widget", delay=0)
    with pytest.raises(RuntimeError), bar:
        bar.update(30)
        raise RuntimeError("boom")
    assert bar.bar.bar_style == "danger" and bar.label.value.endswith("failed")


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown progress mode 'bar'"):
        Progress(1, mode="bar")
    with pytest.raises(ValueError, match="0 or more"):
        Progress(-1)


def test_reading_moves_the_bar(tmp_path):
    path = tmp_path / "data.ttl"
    path.write_bytes(b"a" * 3_000_000)
    bar = Progress(path.stat().st_size, "Reading", mode="none")
    with read_with_progress(path, bar) as stream:
        seen = []
        while chunk := stream.read(1_000_000):
            seen.append(bar.done)
    assert seen[-1] == 3_000_000 and len(seen) >= 3


def test_load_with_progress_loads_into_the_usual_graph(tmp_path):
    import hlsgraph
    from hlsgraph.errors import RDFSyntaxError

    kb = hlsgraph.open()
    path = tmp_path / "many things.ttl"
    lines = ["@prefix hlsd: <https://w3id.org/hls/id/> . @prefix dcterms: <http://purl.org/dc/terms/> ."]
    lines += [f'hlsd:thing-{i} dcterms:title "Thing {i}" .' for i in range(2000)]
    path.write_text("\n".join(lines))
    out = io.StringIO()
    graph = load_with_progress(kb, path, mode="text", stream=out, delay=0)
    assert graph == "https://w3id.org/hls/graph/load/many-things"
    assert sum(1 for _ in kb.quads(graph)) == 2000
    text = out.getvalue()
    assert "Reading many things.ttl: 100%" in text and "Adding many things.ttl to the store: done" in text

    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix hlsd: <https://w3id.org/hls/id/> .\nhlsd:a hlsd:b "unterminated .\n')
    before = len(kb)
    with pytest.raises(RDFSyntaxError, match="broken.ttl"):
        load_with_progress(kb, broken, mode="none")
    assert len(kb) == before
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_with_progress(kb, tmp_path / "missing.ttl", mode="none")


def test_working_marks_failure():
    from hlsgraph.notebook.progress import working

    out = io.StringIO()
    with pytest.raises(OSError), working("Building the store", mode="text", stream=out, delay=0):
        raise OSError("disk full")
    assert out.getvalue().splitlines()[-1] == "Building the store: failed"
