"""The widgets, driven without a browser: set their inputs, click their buttons, and check the
tables, charts, downloads and texts they produce against the knowledge base's own answers."""

import base64
import io

import pandas as pd
import pytest

import hlsgraph
from hlsgraph.notebook.widgets import ANY, InquiryExplorer, PlaceComparer, StoryBrowser, expand

TRUST = "https://w3id.org/hls/concept/trust"
GATESHEAD = "https://w3id.org/hls/id/place-gateshead"
PLYMOUTH = "https://w3id.org/hls/id/place-plymouth"


@pytest.fixture(scope="module")
def kb():
    kb = hlsgraph.open()
    # A user's own story, so the browser is tested on something not in the bundled base too.
    kb.load(
        data="""
        @prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix hlsc: <https://w3id.org/hls/concept/> . @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        hlsd:story-widget-test a hls:Story ; dcterms:title "Widget test story" ;
            hls:summary "A <b>worker</b> & a tenant agree a plan." ;
            hls:illustrates hlsc:trust ; hls:place hlsd:place-plymouth ;
            dcterms:date "2031-05-01"^^xsd:date ; hls:accessLevel hls:internal ;
            prov:wasDerivedFrom hlsd:import-widget-row-1 .
        hlsd:import-widget-row-1 rdfs:label "widget-test.csv, row 1" .
    """,
        format="turtle",
        graph="hlsg:load/widget-test",
    )
    return kb


def test_explorer_builds_inputs_from_the_graph_and_runs(kb):
    explorer = InquiryExplorer(kb, inquiry="stories-by-concept")
    assert set(explorer.inputs) == {"concept", "place"}
    concept = explorer.inputs["concept"]
    # The dropdown offers the concepts of the graph, by label.
    assert ("Trust", TRUST) in concept.options
    place = explorer.inputs["place"]
    assert place.options[0] == (ANY, None) and place.value is None  # optional: unset
    assert ("Gateshead", GATESHEAD) in place.options
    concept.value = TRUST
    place.value = GATESHEAD
    explorer.run_button.click()
    expected = kb.inquire("stories-by-concept", concept=TRUST, place=GATESHEAD)
    assert sorted(explorer.result["title"]) == sorted(expected["title"])
    assert len(expected) > 0
    assert f"{len(expected)} rows" in explorer.status.value
    first_title = expected["title"].iloc[0]
    assert first_title.replace("'", "&#x27;") in explorer.table.value or first_title in explorer.table.value
    # The download link carries the same rows as CSV.
    payload = explorer.download.value.split("base64,")[1].split('"')[0]
    downloaded = pd.read_csv(io.StringIO(base64.b64decode(payload).decode("utf-8")))
    assert sorted(downloaded["title"]) == sorted(expected["title"])


def test_explorer_switches_inquiry_uses_defaults_and_charts_the_gap_map(kb):
    explorer = InquiryExplorer(kb, inquiry="stories-by-concept")
    explorer.inquiry.value = "evidence-gap-map"
    assert set(explorer.inputs) == {"scheme", "within"}
    assert explorer.inputs["scheme"].value == expand("hlsc:hls-features")  # the declared default
    frame = explorer.run()
    assert frame is not None and {"place", "concept", "items"} <= set(frame.columns)
    assert explorer.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert explorer.figure.get_suptitle().startswith("Evidence gap map")


def test_explorer_reports_a_failing_run(kb):
    explorer = InquiryExplorer(kb, inquiry="stories-by-concept")
    explorer.inputs["concept"].options = [("not a concept", "hlsc:no-such-concept-here")]
    explorer.inputs["concept"].value = "hlsc:no-such-concept-here"
    assert explorer.run() is not None  # an IRI that names nothing gives an empty answer
    explorer.inputs["place"].options = [(ANY, None), ("bad", "Nowhere At All")]
    explorer.inputs["place"].value = "Nowhere At All"
    assert explorer.run() is None
    assert "could not run" in explorer.status.value and "Nowhere At All" in explorer.status.value
    assert explorer.result is None and explorer.table.value == ""


def test_story_browser_filters_and_tells_a_story_with_provenance(kb):
    browser = StoryBrowser(kb)
    everything = len(browser.matches)
    browser.concept.value = TRUST
    browser.place.value = PLYMOUTH
    with_trust = set(browser.matches["item"])
    assert "https://w3id.org/hls/id/story-widget-test" in with_trust
    expected = set(kb.inquire("stories-by-concept", concept=TRUST, place=PLYMOUTH)["story"].map(expand))
    assert expected <= with_trust  # the browser also lists case studies and other kinds
    assert len(with_trust) < everything
    browser.kind.value = "Story"
    assert set(browser.matches["kind"]) == {"Story"}
    browser.year_from.value = "2031"
    assert browser.matches["item"].tolist() == ["https://w3id.org/hls/id/story-widget-test"]
    browser.items.value = "https://w3id.org/hls/id/story-widget-test"
    text = browser.reader.value
    assert "Widget test story" in text
    assert "A &lt;b&gt;worker&lt;/b&gt; &amp; a tenant" in text  # escaped, not rendered
    assert "widget-test.csv, row 1" in text  # provenance
    assert "access: internal" in text and "Trust" in text and "Plymouth" in text
    browser.year_to.value = browser.year_to.options[1][1]  # from 2031 to the earliest year: nothing
    assert browser.matches.empty and "Nothing matches" in browser.reader.value
    assert "<b>0</b> of" in browser.count.value


def test_place_comparer_puts_three_places_side_by_side(kb):
    comparer = PlaceComparer(kb, places=["Plymouth", "Gateshead", "Oxfordshire"])
    table = comparer.table
    assert list(table.columns) == ["aspect", "concept", "Plymouth", "Gateshead", "Oxfordshire"]
    pair = kb.inquire("compare-places", placeA="Plymouth", placeB="Gateshead")
    trust = pair[pair["concept"].map(expand) == TRUST]
    row = table[(table["concept"] == "Trust") & (table["aspect"] == trust["schemeLabel"].iloc[0])]
    assert row["Plymouth"].iloc[0] == trust["inA"].iloc[0]
    assert row["Gateshead"].iloc[0] == trust["inB"].iloc[0]
    aspect = trust["schemeLabel"].iloc[0]
    comparer.aspect.value = aspect
    assert set(comparer.table["aspect"]) == {aspect}
    assert comparer.chart.value[:4] == b"\x89PNG"
    comparer.places.value = (PLYMOUTH,)
    comparer.compare_button.click()
    assert "at least two places" in comparer.status.value and comparer.table.empty
    with pytest.raises(KeyError, match="no place 'Atlantis'"):
        PlaceComparer(kb, places=["Atlantis", "Plymouth"])
