"""kb.select / ask / construct: typed columns, parameters bound as terms, errors with positions."""

import datetime

import pandas as pd
import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import QuerySyntaxError, QueryTimeoutError, UnknownParameterError

TYPED = """
SELECT ?iri ?int ?dec ?dbl ?flag ?day ?when ?text ?lang ?missing WHERE {
  VALUES (?iri ?int ?dec ?dbl ?flag ?day ?when ?text ?lang) {
    (hlsc:trust 3 2.5 "1e3"^^xsd:double true "2020-01-02"^^xsd:date
     "2020-01-02T10:30:00"^^xsd:dateTime "tab\\there \\"quoted\\" new\\nline" "hello"@en)
    (hls:Story UNDEF UNDEF UNDEF false UNDEF UNDEF "plain" UNDEF)
  }
}"""


def test_columns_follow_the_variables_in_order_with_pandas_types(kb):
    df = kb.select(TYPED)
    assert list(df.columns) == ["iri", "int", "dec", "dbl", "flag", "day", "when", "text", "lang", "missing"]
    assert df["iri"].tolist() == ["hlsc:trust", "hls:Story"]
    assert str(df["int"].dtype) == "Int64" and df["int"].iloc[0] == 3 and df["int"].iloc[1] is pd.NA
    assert str(df["dec"].dtype) == "Float64" and df["dec"].iloc[0] == 2.5
    assert str(df["dbl"].dtype) == "Float64" and df["dbl"].iloc[0] == 1000.0
    assert str(df["flag"].dtype) == "boolean" and df["flag"].tolist() == [True, False]
    assert df["day"].dtype.kind == "M" and df["day"].iloc[0] == pd.Timestamp("2020-01-02")
    assert df["day"].isna().iloc[1]
    assert df["when"].iloc[0] == pd.Timestamp("2020-01-02T10:30:00")
    assert df["text"].tolist() == ['tab\there "quoted" new\nline', "plain"]
    assert df["lang"].iloc[0] == "hello" and df["lang"].iloc[1] is pd.NA
    assert df["missing"].isna().all() and str(df["missing"].dtype) == "string"


def test_compact_false_keeps_whole_iris_and_attrs_record_the_query(kb):
    df = kb.select("SELECT ?c WHERE { VALUES ?c { hlsc:trust } }", compact=False)
    assert df["c"].tolist() == ["https://w3id.org/hls/concept/trust"]
    assert df.attrs["query"].startswith("SELECT ?c")
    assert df.attrs["parameters"] == {}


def test_iris_whose_local_name_needs_escaping_stay_whole(kb):
    df = kb.select("SELECT ?g WHERE { VALUES ?g { <https://w3id.org/hls/graph/base/stories> hlsc:trust } }")
    assert df["g"].tolist() == ["https://w3id.org/hls/graph/base/stories", "hlsc:trust"]


def test_empty_result_keeps_its_columns(kb):
    df = kb.select("SELECT ?story ?title WHERE { ?story a hls:NoSuchClass ; dcterms:title ?title }")
    assert list(df.columns) == ["story", "title"] and len(df) == 0


def test_select_reads_the_bundled_base(kb):
    df = kb.select("SELECT ?title WHERE { hlsd:story-jacob dcterms:title ?title }")
    assert len(df) == 1 and df["title"].iloc[0].startswith("Jacob")


def test_parameters_are_bound_as_terms_and_recorded(kb):
    df = kb.select("SELECT ?title WHERE { ?story dcterms:title ?title }", story="hlsd:story-jacob")
    assert len(df) == 1 and df["title"].iloc[0].startswith("Jacob")
    assert df.attrs["parameters"] == {"story": "<https://w3id.org/hls/id/story-jacob>"}
    df = kb.select("SELECT ?n WHERE { BIND(?k + 1 AS ?n) }", k=41)
    assert df["n"].tolist() == [42]
    day = kb.select("SELECT ?d WHERE { BIND(?x AS ?d) }", x=datetime.date(2021, 3, 4))
    assert day["d"].iloc[0] == pd.Timestamp("2021-03-04")


@pytest.mark.parametrize(
    "value",
    [
        'x" } UNION { ?s ?p ?o } #',
        "Jacob's story\" . ?s ?p ?o . FILTER(true) #",
        "a\n}\nSELECT * WHERE { ?s ?p ?o }",
        "} } DELETE WHERE { ?s ?p ?o } #",
        "<https://w3id.org/hls/id/story-jacob>>",
        '"""',
        "\\",
        "#",
        "{",
        "UNION",
        "OPTIONAL { ?s ?p ?o }",
    ],
)
def test_hostile_values_never_change_the_query(kb, value):
    before = len(kb)
    df = kb.select("SELECT ?story WHERE { ?story dcterms:title ?title }", title=value)
    assert len(df) == 0
    assert len(kb) == before


def test_unknown_parameter_names_the_query_variables(kb):
    with pytest.raises(UnknownParameterError, match=r"no variable \?titel; did you mean 'title'"):
        kb.select("SELECT ?story WHERE { ?story dcterms:title ?title }", titel="x")


def test_syntax_error_gives_line_column_and_excerpt(kb):
    query = "SELECT ?s WHERE {\n  ?s a hls:Story\n  FILTER(\n}"
    with pytest.raises(QuerySyntaxError) as info:
        kb.select(query)
    err = info.value
    assert isinstance(err, SyntaxError)
    # The engine reports the furthest point it reached: the closing brace on line 4.
    assert err.lineno == 4 and err.text == "}" and err.offset in (1, 2)
    assert f"line 4, column {err.offset}" in str(err) and "expected" in str(err)
    assert "\n    }\n    " + " " * (err.offset - 1) + "^" in str(err)


def test_ask_and_construct(kb):
    assert kb.ask("ASK { hlsd:story-jacob a hls:EvidenceItem }") is True
    assert kb.ask("ASK { ?s dcterms:title ?t }", t="no such title") is False
    graph = kb.construct(
        "CONSTRUCT { ?s dcterms:title ?t } WHERE { ?s dcterms:title ?t }", s="hlsd:story-jacob"
    )
    import rdflib

    assert isinstance(graph, rdflib.Graph) and len(graph) == 1
    assert str(next(iter(graph.objects()))).startswith("Jacob")


def test_the_wrong_method_for_a_query_form_says_which_to_use(kb):
    with pytest.raises(ValueError, match=r"ASK query; use kb.ask\(\)"):
        kb.select("ASK { ?s ?p ?o }")


def test_timeout_raises_a_clear_error():
    kb = hlsgraph.open(bundled=False)
    graph = "https://example.org/g"
    triples = "\n".join(f"<https://example.org/s{i}> <https://example.org/p> {i} ." for i in range(250))
    kb.load(data=triples, format="turtle", graph=graph)
    # 250^3 = 15.6 million joined rows: about two seconds of work, far more than the timeout.
    heavy = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://example.org/p> ?x . "
        "?b <https://example.org/p> ?y . ?c <https://example.org/p> ?z }"
    )
    with pytest.raises(QueryTimeoutError, match=r"timeout of 0.05 s"):
        kb.select(heavy, timeout=0.05)
    quick = kb.select("SELECT (COUNT(*) AS ?n) WHERE { ?a <https://example.org/p> ?x }", timeout=30)
    assert quick["n"].tolist() == [250]


def test_prefixes_are_a_copy(kb):
    prefixes = kb.prefixes
    prefixes["hls"] = "http://elsewhere/"
    assert kb.prefixes["hls"] == "https://w3id.org/hls/"


def test_rdflib_and_pyoxigraph_terms_bind(kb):
    import rdflib

    df = kb.select(
        "SELECT ?title WHERE { ?story dcterms:title ?title }",
        story=rdflib.URIRef("https://w3id.org/hls/id/story-jacob"),
    )
    assert len(df) == 1
    df = kb.select(
        "SELECT ?title WHERE { ?story dcterms:title ?title }",
        story=ox.NamedNode("https://w3id.org/hls/id/story-jacob"),
    )
    assert len(df) == 1


def test_select_star_keeps_the_order_the_query_mentions_variables(kb):
    df = kb.select("SELECT * WHERE { VALUES (?zeta ?alpha ?mid) { (1 2 3) } }")
    assert list(df.columns) == ["zeta", "alpha", "mid"]
