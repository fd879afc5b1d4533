"""hlsgraph.frames: SPARQL TSV to typed DataFrames, value by value against pyoxigraph's own
terms, including escapes, mixed columns and IRIs that cannot be compacted."""

import pandas as pd
import pyoxigraph as ox
import pytest

from hlsgraph.store.frames import Compactor, frame_from_tsv, tsv_from_json, unescape

XSD = "http://www.w3.org/2001/XMLSchema#"


def _results(query: str):
    store = ox.Store()
    return store.query(query)


def test_strings_with_every_escape_round_trip():
    texts = [
        "tab\there",
        'quote " and \\ backslash',
        "new\nline\r\n",
        "é ü 😀",
        "\\n literally",
        "\x01ctl",
        "",
    ]
    store = ox.Store()
    graph = ox.NamedNode("http://e/g")
    for i, text in enumerate(texts):
        store.add(
            ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(text), graph)
        )
    query = "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s"
    frame = frame_from_tsv(store.query(query).serialize(format=ox.QueryResultsFormat.TSV))
    expected = [term["o"].value for term in store.query(query)]
    assert frame["o"].tolist() == expected
    assert str(frame["o"].dtype) == "string"


def test_mixed_columns_become_text_and_keep_each_value():
    results = _results(
        f'SELECT ?x WHERE {{ VALUES ?x {{ 1 "two" <https://w3id.org/hls/concept/trust> '
        f'<http://e/ab> "3"^^<{XSD}date> }} }}'
    )
    frame = frame_from_tsv(results.serialize(format=ox.QueryResultsFormat.TSV))
    assert frame["x"].tolist() == ["1", "two", "hlsc:trust", "http://e/ab", "3"]


def test_numbers_booleans_and_dates():
    results = _results(
        f"SELECT ?i ?big ?d ?b ?dt ?tz WHERE {{ VALUES (?i ?big ?d ?b ?dt ?tz) {{ "
        f'(-5 123456789012345678901234567890 "0.1"^^<{XSD}decimal> false "2024-02-29"^^<{XSD}date> '
        f'"2024-02-29T12:00:00+02:00"^^<{XSD}dateTime>) }} }}'
    )
    frame = frame_from_tsv(results.serialize(format=ox.QueryResultsFormat.TSV))
    assert frame["i"].tolist() == [-5] and str(frame["i"].dtype) == "Int64"
    # Too big for Int64: kept as a float rather than failing.
    assert str(frame["big"].dtype) == "Float64" and frame["big"].iloc[0] == pytest.approx(
        1.2345678901234568e29
    )
    assert frame["d"].iloc[0] == pytest.approx(0.1) and str(frame["d"].dtype) == "Float64"
    assert frame["b"].tolist() == [False]
    assert frame["dt"].iloc[0] == pd.Timestamp("2024-02-29")
    assert frame["tz"].iloc[0] == pd.Timestamp("2024-02-29T10:00:00Z")


def test_ill_typed_literals_keep_their_text():
    results = _results(f'SELECT ?d WHERE {{ VALUES ?d {{ "soon"^^<{XSD}date> "2020-01-01"^^<{XSD}date> }} }}')
    frame = frame_from_tsv(results.serialize(format=ox.QueryResultsFormat.TSV))
    assert frame["d"].tolist() == ["soon", "2020-01-01"]


def test_compaction_only_makes_valid_prefixed_names():
    compact = Compactor({"hls": "https://w3id.org/hls/", "hlsc": "https://w3id.org/hls/concept/"})
    assert compact("https://w3id.org/hls/concept/trust") == "hlsc:trust"
    assert compact("https://w3id.org/hls/Story") == "hls:Story"
    for whole in (
        "https://w3id.org/hls/a/b",
        "https://w3id.org/hls/-x",
        "https://w3id.org/hls/x.",
        "https://w3id.org/hls/a%20b",
        "http://other.org/x",
    ):
        assert compact(whole) == whole
    iris = ["https://w3id.org/hls/concept/trust", "https://w3id.org/hls/a/b", "https://w3id.org/hls/x.", ""]
    tsv = "?x\n" + "\n".join(f"<{iri}>" if iri else "" for iri in iris) + "\n"
    frame = frame_from_tsv(tsv)
    assert frame["x"].tolist() == ["hlsc:trust", "https://w3id.org/hls/a/b", "https://w3id.org/hls/x.", pd.NA]


def test_json_results_give_the_same_frame_as_tsv():
    query = (
        'SELECT ?s ?n ?t ?l ?u WHERE { VALUES (?s ?n ?t ?l) { (<https://w3id.org/hls/Story> 3 "a\\"b\\tc" '
        '"hi"@en) '
        '(<https://w3id.org/hls/id/x> UNDEF "plain" UNDEF) } }'
    )
    tsv = _results(query).serialize(format=ox.QueryResultsFormat.TSV)
    json_results = _results(query).serialize(format=ox.QueryResultsFormat.JSON)
    assert frame_from_tsv(tsv_from_json(json_results)).equals(frame_from_tsv(tsv))


def test_unescape_handles_numeric_and_doubled_backslashes():
    assert unescape(r"\u00e9\U0001F600") == "é😀"
    assert unescape(r"a\\nb") == "a\\nb"
    assert unescape(r"a\\\nb") == "a\\\nb"
    assert unescape("plain") == "plain"


def test_no_variables_and_no_rows():
    assert frame_from_tsv(b"?a\t?b\n").columns.tolist() == ["a", "b"]
    assert len(frame_from_tsv(b"?a\t?b\n")) == 0
    one_unbound = frame_from_tsv(b"?a\n\n")
    assert len(one_unbound) == 1 and one_unbound["a"].isna().all()


def test_few_distinct_values_over_many_rows_keep_types_and_gaps():
    rows = []
    for i in range(300):
        rows.append(
            "\t".join(
                [
                    "<https://w3id.org/hls/public>" if i % 3 else "<https://w3id.org/hls/internal>",
                    str(i % 4),
                    f'"{2020 + i % 2}-01-0{1 + i % 3}"^^<{XSD}date>' if i % 5 else "",
                    '"same text"@en' if i % 2 else '"other text"@en',
                ]
            )
        )
    frame = frame_from_tsv("?access\t?n\t?day\t?text\n" + "\n".join(rows) + "\n")
    assert frame["access"].value_counts().to_dict() == {"hls:public": 200, "hls:internal": 100}
    assert str(frame["n"].dtype) == "Int64" and frame["n"].sum() == sum(i % 4 for i in range(300))
    assert frame["day"].dtype.kind == "M" and int(frame["day"].isna().sum()) == 60
    assert frame["day"].iloc[1] == pd.Timestamp("2021-01-02")
    assert frame["text"].iloc[0] == "other text" and frame["text"].iloc[1] == "same text"
