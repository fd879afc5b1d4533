"""The one module of RDF terms (hlsgraph.store.terms): prefixed names that are always valid and
read back as the IRI they came from, the same answer from every caller, one writer of terms as
text, one table of RDF formats, and one table of access levels."""

import io
import json

import pyoxigraph as ox
import pytest
import rdflib

from hlsgraph.errors import UnknownFormatError
from hlsgraph.namespaces import ACCESS_LEVELS, HLS, HLSC, HLSD, HLSG, PREFIXES
from hlsgraph.publishing.export import export, resolve_format
from hlsgraph.store.frames import frame_from_tsv, tsv_from_json
from hlsgraph.store.terms import (
    FORMAT_NAMES,
    FORMATS,
    Compactor,
    compact,
    find_format,
    iri_syntax,
    literal_syntax,
    parse_iri,
    rdf_format,
    shorten,
    sparql_term,
)
from hlsgraph.validation.shacl import ValidationReport, ValidationResult

XSD = PREFIXES["xsd"]

# IRIs whose longest namespace leaves a local name that is fine, empty, or not a valid local
# name in SPARQL or Turtle (a "/", a leading "-" or ".", a trailing ".", "%", ":", non-ASCII).
TRICKY = [
    HLSC + "trust",
    HLS + "Story",
    HLS,
    HLSC,
    HLSD + "story-jacob",
    HLSD + "a.b",
    HLSD + "_x",
    HLSD + "x-",
    HLSD + "2024",
    HLSG + "base/stories",
    HLSG + "import/my-stories-csv",
    HLSD + "x.",
    HLSD + "-x",
    HLSD + ".x",
    HLSD + "a%20b",
    HLSD + "a:b",
    HLSD + "caf\u00e9",
    HLS + "concept",
    PREFIXES["schema"] + "Place",
    XSD + "string",
    "http://example.org/x",
    "urn:isbn:0451450523",
]


@pytest.fixture(scope="module")
def corpus(kb):
    """Every IRI the bundled knowledge base holds, and the tricky ones."""
    iris = set(TRICKY)
    for quad in kb.store.quads():
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
    return sorted(iris)


def _reads_back(name: str) -> str:
    """What SPARQL and Turtle make of ``name`` (a prefixed name or ``<IRI>``): both must agree."""
    rows = list(ox.Store().query(f"SELECT ?x WHERE {{ VALUES ?x {{ {name} }} }}", prefixes=PREFIXES))
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    turtle = list(ox.parse(f"{prologue}<urn:s> <urn:p> {name} .", format=ox.RdfFormat.TURTLE))
    assert rows[0]["x"] == turtle[0].object
    return rows[0]["x"].value


def test_every_compaction_reads_back_as_its_iri(corpus):
    for iri in corpus:
        name = compact(iri)
        assert _reads_back(name) == iri, (iri, name)
        parsed = parse_iri(name)
        assert parsed is not None and parsed.value == iri, (iri, name)


def test_the_longest_namespace_wins_or_the_iri_stays_whole():
    assert compact(HLSC + "trust") == "hlsc:trust"  # never hls:concept/trust
    assert compact(HLSG + "base/stories") == f"<{HLSG}base/stories>"  # never hlsg:base/stories
    assert compact(HLSD + "x.") == f"<{HLSD}x.>"
    assert compact(HLS) == "hls:"
    assert shorten(HLSG + "base/stories") == HLSG + "base/stories"
    assert shorten("urn:isbn:0451450523") == "urn:isbn:0451450523"


def test_no_prefixed_name_has_an_invalid_local_name(corpus):
    """What is left after the colon is a valid local name as it is: no escapes are needed."""
    for iri in corpus:
        name = compact(iri)
        if not name.startswith("<"):
            prefix, _, local = name.partition(":")
            assert prefix in PREFIXES and PREFIXES[prefix] + local == iri
            assert "/" not in local and "%" not in local and "\\" not in local, name
            assert not local.startswith(("-", ".")) and not local.endswith("."), name


def test_every_caller_gives_the_same_answer(corpus, kb):
    """DataFrames (from TSV and from JSON results, column by column), the Compactor, compact,
    shorten and the validation report all shorten an IRI the same way."""
    expected = [shorten(iri) for iri in corpus]
    assert expected == [Compactor(PREFIXES)(iri) for iri in corpus]
    assert [compact(iri) for iri in corpus] == [
        s if s != iri else f"<{iri}>" for s, iri in zip(expected, corpus, strict=True)
    ]
    query = "SELECT ?x WHERE { VALUES ?x { " + " ".join(iri_syntax(i) for i in corpus) + " } }"
    solutions = ox.Store().query(query)
    tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV)
    assert frame_from_tsv(tsv)["x"].tolist() == expected
    json_results = ox.Store().query(query).serialize(format=ox.QueryResultsFormat.JSON)
    assert frame_from_tsv(tsv_from_json(json_results))["x"].tolist() == expected
    assert kb.select(query)["x"].tolist() == expected
    report = ValidationReport(
        [ValidationResult(iri, None, None, "m", "Violation", None, None) for iri in corpus]
    )
    assert report.to_dataframe(compact=True)["focus_node"].tolist() == expected


def test_a_compactor_for_other_prefixes_takes_the_longest_match():
    compact_ex = Compactor({"ex": "http://example.org/", "exa": "http://example.org/a"})
    assert compact_ex("http://example.org/abc") == "exa:bc"
    assert compact_ex("http://example.org/b") == "ex:b"
    assert compact_ex.sparql("http://example.org/a/b") == "<http://example.org/a/b>"


# ------------------------------------------------------------------ terms as text


@pytest.mark.parametrize(
    "term",
    [
        ox.Literal('a "quoted" \\ back\tslash\nnew\rline\b\f end'),
        ox.Literal("chat", language="fr-CA"),
        ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("x } UNION { ?s ?p ?o } #"),
        ox.NamedNode(HLSD + "story-x"),
    ],
)
def test_terms_written_as_text_read_back_in_sparql_and_ntriples(term):
    text = sparql_term(term)
    rows = list(ox.Store().query(f"SELECT ?x WHERE {{ VALUES ?x {{ {text} }} }}"))
    assert rows[0]["x"] == term
    parsed = list(ox.parse(f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES))
    assert parsed[0].object == term


def test_term_writer_refuses_what_could_escape():
    with pytest.raises(ValueError, match="character IRIs may not"):
        iri_syntax("http://x/a> <http://x/b")
    with pytest.raises(ValueError, match="language tag"):
        literal_syntax("x", language="en } #")
    assert literal_syntax("x", XSD + "string") == '"x"'


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_spelling_of_a_format_finds_it(fmt):
    for spelling in (fmt.name, fmt.name.upper(), *fmt.aliases, *fmt.media_types):
        assert find_format(spelling) is fmt, spelling
    assert find_format(fmt.media_types[0] + "; charset=utf-8") is fmt
    for extension in fmt.extensions:
        assert find_format(path=f"data/file{extension.upper()}") is fmt
    assert find_format(fmt.oxigraph) is fmt
    assert fmt.datasets == fmt.oxigraph.supports_datasets


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.name != "n3"], ids=lambda f: f.name)
def test_rdflib_names_are_rdflibs(fmt):
    """What rdflib writes under the table's rdflib name, pyoxigraph reads as that format."""
    dataset = rdflib.Dataset()
    graph = dataset.graph(rdflib.URIRef(HLSG + "g")) if fmt.datasets else rdflib.Graph()
    graph.add((rdflib.URIRef(HLSD + "s"), rdflib.URIRef(HLS + "p"), rdflib.Literal("o")))
    data = (dataset if fmt.datasets else graph).serialize(format=fmt.rdflib, encoding="utf-8")
    parsed = list(ox.parse(data, format=fmt.oxigraph))
    assert [q.object for q in parsed] == [ox.Literal("o")]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_export_writes_every_format(fmt):
    store = ox.Store()
    store.load(
        f'<{HLSD}s> <{HLS}accessLevel> <{HLS}public> ; <{HLS}title> "open" .',
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(HLSG + "g"),
    )
    text = export(store, format=fmt.name)
    titles = [
        q.object for q in ox.parse(text.encode(), format=fmt.oxigraph) if q.predicate.value == HLS + "title"
    ]
    assert titles == [ox.Literal("open")]


def test_unknown_formats_name_the_choices_and_the_nearest():
    with pytest.raises(UnknownFormatError) as caught:
        rdf_format("json-dl")
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert message == (
        "unknown RDF format 'json-dl'; expected one of "
        + ", ".join(FORMAT_NAMES)
        + "; did you mean 'json-ld'?"
    )
    with pytest.raises(UnknownFormatError, match=r"unknown export format 'turtel'.*did you mean 'turtle'\?"):
        resolve_format("turtel")
    with pytest.raises(UnknownFormatError, match=r"extension '\.tll'.*did you mean '\.ttl'\?"):
        rdf_format(None, "stories.tll")
    with pytest.raises(UnknownFormatError, match=r"extension '\(none\)'"):
        rdf_format(None, "stories")
    with pytest.raises(UnknownFormatError, match="format= is needed with data="):
        rdf_format(None)
    assert resolve_format() == ox.RdfFormat.TURTLE


def test_the_validator_reads_every_extension_the_table_names(tmp_path):
    """It once listed .owl but could not read it: the validator takes its formats from the table."""
    from hlsgraph.validation import validate

    graph = rdflib.Graph()
    graph.add((rdflib.URIRef(HLSD + "s"), rdflib.RDF.type, rdflib.URIRef(HLS + "Story")))
    path = tmp_path / "data.owl"
    path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
    report = validate(path)
    assert report.to_dataframe()["focus_node"].eq(HLSD + "s").any()


# ------------------------------------------------------------------ access levels


def test_access_levels_are_the_ontologys(kb):
    levels = kb.select("SELECT ?level WHERE { ?level a hls:AccessLevel } ORDER BY ?level", compact=False)[
        "level"
    ].tolist()
    assert sorted(ACCESS_LEVELS.values()) == levels
    assert list(ACCESS_LEVELS) == ["public", "internal", "restricted"]  # least to most guarded
    assert all(iri == HLS + name for name, iri in ACCESS_LEVELS.items())


def test_json_results_escape_like_tsv():
    """A literal written from JSON results reads back as the literal the engine sent."""
    document = {
        "head": {"vars": ["x"]},
        "results": {"bindings": [{"x": {"type": "literal", "value": 'a\t"b"\n\\', "xml:lang": "en"}}]},
    }
    frame = frame_from_tsv(tsv_from_json(json.dumps(document)))
    assert frame["x"].tolist() == ['a\t"b"\n\\']
    assert io.StringIO(tsv_from_json(json.dumps(document))).read().count("\n") == 2
