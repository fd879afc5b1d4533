"""Progress on long jobs (hlsgraph.progress): quiet unless someone can see it or it is asked
for, and then a tqdm bar that follows the real work of loading and reasoning."""

import hlsgraph
from hlsgraph.progress import bar, reading, shows

STORY = "<http://x/{n}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/hls/Story> .\n"


def test_no_bar_when_nobody_watches_and_none_when_refused(capsys):
    assert not shows(None)  # pytest's captured stderr is no terminal
    assert not shows(False) and shows(True)
    with bar(10, desc="Counting", progress=None) as shown:
        shown.update(10)
    assert shown.n == 10
    assert capsys.readouterr().err == ""


def test_reading_a_file_moves_the_bar_byte_by_byte(tmp_path, capsys):
    path = tmp_path / "stories.nt"
    path.write_text("".join(STORY.format(n=n) for n in range(5000)))
    with reading(path, desc="Reading stories.nt", progress=True) as stream:
        assert stream.read() == path.read_bytes()
    err = capsys.readouterr().err
    assert "Reading stories.nt" in err and "100%" in err


def test_a_load_asked_to_show_progress_shows_loading_and_reasoning(tmp_path, capsys):
    path = tmp_path / "stories.nt"
    path.write_text("".join(STORY.format(n=n) for n in range(2000)))
    kb = hlsgraph.open(bundled=False)
    kb.load(
        data="<https://w3id.org/hls/Story> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/hls/EvidenceItem> .",
        format="nt",
        graph="http://x/ontology",
    )
    capsys.readouterr()
    kb.load(path, graph="http://x/stories", progress=True)
    err = capsys.readouterr().err
    assert "Loading stories.nt" in err and "Reasoning" in err
    # The bar changes nothing about what is loaded or inferred.
    assert (
        kb.select("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hls/EvidenceItem> }")["n"][0]
        == 2000
    )
    kb.load(path, graph="http://x/quiet", progress=False)
    assert capsys.readouterr().err == ""


def test_a_broken_file_read_through_the_bar_still_loads_nothing(tmp_path):
    path = tmp_path / "broken.nt"
    path.write_text(STORY.format(n=1) + "<http://x/2> <http://x/p> .\n")
    kb = hlsgraph.open(bundled=False)
    try:
        kb.load(path, progress=True)
    except hlsgraph.RDFSyntaxError as err:
        assert "broken.nt, line 2" in str(err)
    else:
        raise AssertionError("a broken file loaded")
    assert len(kb) == 0
