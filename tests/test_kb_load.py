"""kb.load: every RDF format into a graph of its own, replace and remove as a unit, and
all-or-nothing on a syntax error (named by file, line and column)."""

import pyoxigraph as ox
import pytest
import rdflib

import hlsgraph
from hlsgraph.errors import RDFSyntaxError

EX = "https://example.org/"
TURTLE = f"""@prefix ex: <{EX}> .
@prefix hls: <https://w3id.org/hls/> .
ex:story-1 a hls:Story ; <http://purl.org/dc/terms/title> "First" .
ex:story-2 a hls:Story ; <http://purl.org/dc/terms/title> "Second" .
"""


@pytest.fixture
def fresh():
    return hlsgraph.open(bundled=False)


def quad_set(kb):
    return {str(q) for q in kb.quads()}


def titles(kb):
    return sorted(kb.select("SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")["t"])


def test_a_file_goes_into_a_graph_named_after_it(fresh, tmp_path):
    path = tmp_path / "my-stories.ttl"
    path.write_text(TURTLE)
    graph = fresh.load(path)
    assert graph == "https://w3id.org/hls/graph/load/my-stories"
    assert graph in fresh.graphs()
    assert titles(fresh) == ["First", "Second"]
    # The loaded stories count as evidence items through the materialised hierarchy ...
    # (no ontology here, so only what the file says)
    assert len(list(fresh.quads(graph))) == 4


@pytest.mark.parametrize(
    "fmt,suffix",
    [
        ("turtle", "ttl"),
        ("trig", "trig"),
        ("ntriples", "nt"),
        ("nquads", "nq"),
        ("json-ld", "jsonld"),
        ("rdf/xml", "rdf"),
    ],
)
def test_every_format_loads_from_file_and_from_data(fresh, tmp_path, fmt, suffix):
    source = rdflib.Graph().parse(data=TURTLE, format="turtle")
    rdflib_format = {
        "turtle": "turtle",
        "trig": "trig",
        "ntriples": "nt",
        "nquads": "nquads",
        "json-ld": "json-ld",
        "rdf/xml": "xml",
    }[fmt]
    if fmt in ("trig", "nquads"):
        dataset = rdflib.Dataset()
        named = dataset.graph(rdflib.URIRef(EX + "inside"))
        for triple in source:
            named.add(triple)
        text = dataset.serialize(format=rdflib_format)
    else:
        text = source.serialize(format=rdflib_format)
    path = tmp_path / f"stories.{suffix}"
    path.write_text(text)
    graph = fresh.load(path)
    assert titles(fresh) == ["First", "Second"]
    # Triples a dataset format puts in graphs of its own land in the one load graph too.
    assert len(list(fresh.quads(graph))) == 4
    second = fresh.load(data=text, format=fmt, graph=EX + "again")
    assert second == EX + "again" and len(list(fresh.quads(second))) == 4


def test_an_rdflib_graph_loads_as_data(fresh):
    graph = rdflib.Graph().parse(data=TURTLE, format="turtle")
    iri = fresh.load(data=graph)
    assert iri.startswith("https://w3id.org/hls/graph/load/")
    assert titles(fresh) == ["First", "Second"]


def test_replace_swaps_the_graph_as_a_unit_and_remove_graph_drops_it(fresh):
    g = EX + "g"
    fresh.load(data=TURTLE, format="turtle", graph=g)
    with pytest.raises(ValueError, match="already exists; pass replace=True"):
        fresh.load(data=TURTLE, format="turtle", graph=g)
    fresh.load(
        data=f'<{EX}story-3> <http://purl.org/dc/terms/title> "Third" .',
        format="turtle",
        graph=g,
        replace=True,
    )
    assert titles(fresh) == ["Third"]
    fresh.remove_graph(g)
    assert titles(fresh) == [] and g not in fresh.graphs()


def test_an_error_on_the_last_line_changes_nothing(tmp_path):
    kb = hlsgraph.open()
    before = quad_set(kb)
    lines = [f'<{EX}s{i}> <{EX}p> "value {i}" .' for i in range(2000)]
    lines.append(f'<{EX}s-last> <{EX}p> "unterminated .')
    path = tmp_path / "broken.ttl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RDFSyntaxError) as info:
        kb.load(path)
    err = info.value
    assert isinstance(err, SyntaxError)
    assert err.filename == str(path) and err.lineno == 2001 and err.offset is not None
    assert str(path) in str(err) and "line 2001" in str(err) and "nothing was loaded" in str(err)
    assert quad_set(kb) == before
    assert "https://w3id.org/hls/graph/load/broken" not in kb.graphs()


def test_a_bad_replacement_keeps_the_old_graph(fresh):
    g = EX + "g"
    fresh.load(data=TURTLE, format="turtle", graph=g)
    before = quad_set(fresh)
    with pytest.raises(RDFSyntaxError, match=r"<data>, line 2"):
        fresh.load(
            data=f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> .", format="turtle", graph=g, replace=True
        )
    assert quad_set(fresh) == before


def test_format_comes_only_from_the_extension(fresh, tmp_path):
    path = tmp_path / "stories.data"
    path.write_text(TURTLE)
    with pytest.raises(ValueError, match=r"cannot tell the RDF format .* pass format="):
        fresh.load(path)
    assert fresh.load(path, format="turtle").endswith("/stories")
    with pytest.raises(ValueError, match="format= is needed with data="):
        fresh.load(data=TURTLE)
    with pytest.raises(ValueError, match="unknown RDF format 'yaml'"):
        fresh.load(data=TURTLE, format="yaml")


def test_path_or_data_not_both_and_missing_files(fresh, tmp_path):
    with pytest.raises(ValueError, match="exactly one of path="):
        fresh.load()
    with pytest.raises(FileNotFoundError, match="no file"):
        fresh.load(tmp_path / "absent.ttl")


def test_hlsgraph_graphs_are_protected(fresh):
    with pytest.raises(ValueError, match="kept by hlsgraph"):
        fresh.load(data=TURTLE, format="turtle", graph="hlsg:inferred")
    with pytest.raises(ValueError, match="kept by hlsgraph"):
        fresh.remove_graph("https://w3id.org/hls/graph/ontology")


def test_update_writes_and_is_seen(fresh):
    fresh.update(f'INSERT DATA {{ GRAPH <{EX}u> {{ <{EX}x> <http://purl.org/dc/terms/title> "Updated" }} }}')
    assert titles(fresh) == ["Updated"]
    assert ox.NamedNode(EX + "u").value in fresh.graphs()
