"""Regression tests for the three leaks measured before publishing existed (issue 12):

* a public item holding an RDF 1.2 triple term that quotes a restricted item put the restricted
  IRI and title into Turtle, N-Triples and TriG exports (and JSON-LD crashed with ``OSError``);
* the name of an imported file reached the graph names of TriG and JSON-LD exports;
* every CSV the library writes wrote ``=cmd|' /C calc'!A0`` as it was (formula injection).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re

import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import UnknownFormatError
from hlsgraph.publishing.export import export

HLS = "https://w3id.org/hls/"
HLSD = "https://w3id.org/hls/id/"
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
ACCESS = ox.NamedNode(HLS + "accessLevel")
REIFIES = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
QUOTES = ox.NamedNode(HLS + "quotes")
PAYLOAD = "=cmd|' /C calc'!A0"
DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", PAYLOAD]


# --------------------------------------------------------------------------- triple terms


def _store_with_quoted_restricted_item(depth: int) -> ox.Store:
    """A public item whose triple term (nested ``depth`` deep) quotes a restricted item."""
    store = ox.Store()
    public, secret = ox.NamedNode(HLSD + "story-open"), ox.NamedNode(HLSD + "story-tripleterm-canary")
    graph = ox.NamedNode("https://w3id.org/hls/graph/base/x")
    store.add(ox.Quad(public, ACCESS, ox.NamedNode(HLS + "public"), graph))
    store.add(ox.Quad(public, TITLE, ox.Literal("An open story"), graph))
    store.add(ox.Quad(secret, ACCESS, ox.NamedNode(HLS + "restricted"), graph))
    store.add(ox.Quad(secret, TITLE, ox.Literal("TRIPLETERMCANARY title"), graph))
    quoted = ox.Triple(secret, TITLE, ox.Literal("TRIPLETERMCANARY title"))
    for _ in range(depth - 1):
        quoted = ox.Triple(public, QUOTES, quoted)
    store.add(ox.Quad(public, QUOTES, quoted, graph))
    # A triple term quoting only public terms is fine and stays.
    store.add(ox.Quad(public, REIFIES, ox.Triple(public, TITLE, ox.Literal("An open story")), graph))
    return store


@pytest.mark.parametrize("depth", [1, 3])
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig"])
def test_triple_terms_quoting_restricted_items_do_not_leak(fmt, depth):
    text = export(_store_with_quoted_restricted_item(depth), format=fmt)
    assert "TRIPLETERMCANARY" not in text and "tripleterm-canary" not in text
    assert "An open story" in text
    assert "<<(" in text  # the public triple term is kept


def test_json_ld_refuses_triple_terms_with_a_clear_error_not_an_oserror():
    with pytest.raises(UnknownFormatError, match=r"JSON-LD cannot hold RDF 1\.2 triple terms.*turtle"):
        export(_store_with_quoted_restricted_item(1), format="json-ld")


def test_json_ld_of_a_store_whose_only_triple_terms_are_withheld_works():
    store = _store_with_quoted_restricted_item(1)
    store.remove(next(iter(store.quads_for_pattern(None, REIFIES, None, None))))
    text = export(store, format="json-ld")
    assert "An open story" in text and "TRIPLETERMCANARY" not in text


# --------------------------------------------------------------------------- file names


@pytest.fixture(scope="module")
def kb_with_private_file_names(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    sheet = folder / "jane-doe-safeguarding-referral.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "summary", "access_level"])
        writer.writerow(["s1", "A public story", "Told with consent.", "public"])
    rdf = folder / "john-smith-case-notes.ttl"
    rdf.write_text(
        "@prefix hls: <https://w3id.org/hls/> .\n"
        "<https://w3id.org/hls/id/story-loaded> a hls:Story ; hls:accessLevel hls:public .\n",
        encoding="utf-8",
    )
    kb = hlsgraph.open()
    kb.import_table(sheet, "stories")
    kb.load(rdf)
    assert any("jane-doe" in g for g in kb.graphs())  # the store itself names them
    return kb


@pytest.mark.parametrize("fmt", ["trig", "json-ld", "turtle", "ntriples"])
def test_import_file_names_never_reach_exported_graph_names(kb_with_private_file_names, fmt):
    text = kb_with_private_file_names.export(format=fmt)
    for name in ("jane-doe", "jane_doe", "safeguarding", "john-smith", "case-notes"):
        assert name not in text.lower()
    assert "A public story" in text


def test_exported_graph_names_are_opaque_and_stable(kb_with_private_file_names):
    first = kb_with_private_file_names.export(format="trig")
    second = kb_with_private_file_names.export(format="trig")
    names = {q.graph_name.value for q in ox.parse(first.encode(), format=ox.RdfFormat.TRIG)}
    assert names == {q.graph_name.value for q in ox.parse(second.encode(), format=ox.RdfFormat.TRIG)}
    opaque = re.compile(r"https://w3id\.org/hls/graph/part/[0-9a-f]{16}\Z")
    assert names and all(opaque.match(n) for n in names), sorted(names)[:5]


# --------------------------------------------------------------------------- CSV injection


def _query_returning(values) -> str:
    rows = " ".join(
        '("' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r") + '")'
        for v in values
    )
    return f"SELECT ?value WHERE {{ VALUES (?value) {{ {rows} }} }}"


def _assert_neutralised(cells):
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", repr(cell)
    assert "'" + PAYLOAD in cells


def test_cli_csv_neutralises_formulas(tmp_path, capsys):
    from hlsgraph.cli import main

    query = tmp_path / "q.rq"
    query.write_text(_query_returning(DANGEROUS), encoding="utf-8")
    assert main(["select", str(query), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["value"]
    _assert_neutralised([r[0] for r in rows[1:]])


def test_widget_download_link_neutralises_formulas():
    import pandas as pd

    from hlsgraph.notebook.widgets import csv_link

    link = csv_link(pd.DataFrame({"value": DANGEROUS, "n": range(len(DANGEROUS))}), "answer.csv")
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", html.unescape(link)).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(payload).decode("utf-8"))))
    _assert_neutralised([r[0] for r in rows[1:]])
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(DANGEROUS))]  # numbers untouched


def test_quarantine_problems_file_neutralises_formulas(tmp_path):
    sheet = tmp_path / "mixed.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "summary", "access_level"])
        writer.writerow(["good", "Fine", "A row that loads.", "public"])
        for i, value in enumerate(DANGEROUS):
            writer.writerow([f"bad-{i}", value, "", "no-such-level"])  # rejected: bad level
    kb = hlsgraph.open()
    report = kb.import_table(sheet, "stories", mode="quarantine")
    assert report.rows_loaded == 1 and report.rows_quarantined == len(DANGEROUS)
    problems = tmp_path / "mixed.problems.csv"
    with problems.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    _assert_neutralised([row["title"] for row in rows])


def test_the_csv_helper_itself():
    from hlsgraph.csvsafe import neutralise

    assert [neutralise(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert neutralise("plain text") == "plain text" and neutralise(-3) == -3 and neutralise("") == ""
