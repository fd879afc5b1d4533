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
    assert set(explorer.inputs) == {"concept", "place", "basis"}
    # The basis is offered as the graph's bases, unset by default (issue #14).
    basis = explorer.inputs["basis"]
    assert basis.value is None and {("stated", "stated"), ("interpreted", "interpreted")} <= set(
        basis.options
    )
    concept = explorer.inputs["concept"]
    # The dropdown offers the concepts of the graph, by label.
    assert ("Trust", TRUST) in concept.options
    place = explorer.inputs["place"]
    assert place.options[0] == (ANY, "") and place.value == ""  # optional: unset
    assert place.label == ANY  # shown as "(any)", not as a blank
    assert ("Gateshead", GATESHEAD) in place.options
    concept.value = TRUST
    place.value = GATESHEAD
    explorer.run_button.click()
    expected = kb.inquire("stories-by-concept", concept=TRUST, place=GATESHEAD)
    assert sorted(explorer.result["title"]) == sorted(expected["title"])
    assert len(expected) > 0 and "basis" in explorer.result.columns
    noun = "row" if len(expected) == 1 else "rows"  # not "1 rows"
    assert f"stories-by-concept: {len(expected)} {noun}<" in explorer.status.value
    first_title = expected["title"].iloc[0]
    assert first_title.replace("'", "&#x27;") in explorer.table.value or first_title in explorer.table.value
    # The download link carries the same rows as CSV.
    payload = explorer.download.value.split("base64,")[1].split('"')[0]
    downloaded = pd.read_csv(io.StringIO(base64.b64decode(payload).decode("utf-8")))
    assert sorted(downloaded["title"]) == sorted(expected["title"])


def test_explorer_switches_inquiry_uses_defaults_and_charts_the_gap_map(kb):
    explorer = InquiryExplorer(kb, inquiry="stories-by-concept")
    explorer.inquiry.value = "evidence-gap-map"
    assert set(explorer.inputs) == {"scheme", "within", "basis"}
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
    explorer.inputs["place"].options = [(ANY, ""), ("bad", "Nowhere At All")]
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


def test_explorer_takes_several_places_for_a_list_parameter(kb):
    explorer = InquiryExplorer(kb, inquiry="compare-places")
    places = explorer.inputs["places"]
    assert type(places).__name__ == "SelectMultiple" and ("Gateshead", GATESHEAD) in places.options
    explorer.run()
    assert explorer.result is None and "places=[..., ...]" in explorer.status.value
    places.value = (PLYMOUTH, GATESHEAD)
    frame = explorer.run()
    assert frame is not None and list(frame.columns[-2:]) == ["Plymouth", "Gateshead"]


def test_place_comparer_puts_three_places_side_by_side(kb):
    comparer = PlaceComparer(kb, places=["Plymouth", "Gateshead", "Oxfordshire"])
    table = comparer.table
    assert list(table.columns) == [
        "aspect",
        "concept",
        "quantity",
        "basis",
        "Plymouth",
        "Gateshead",
        "Oxfordshire",
    ]
    wide = kb.inquire("compare-places", places=["Plymouth", "Gateshead", "Oxfordshire"])
    trust = wide[(wide["concept"].map(expand) == TRUST) & (wide["scheme"] == "hlsc:hls-features")]
    trust = trust[trust["basis"] == "stated"]
    row = table[
        (table["concept"] == "Trust")
        & (table["aspect"] == trust["aspect"].iloc[0])
        & (table["basis"] == "stated")
    ]
    assert row["Plymouth"].iloc[0] == trust["Plymouth"].iloc[0]
    assert row["Gateshead"].iloc[0] == trust["Gateshead"].iloc[0]
    # Money shows with its currency and basis, and System Behaviours come through the claims.
    assert "amount (GBP, total-over-period)" in set(table["quantity"])
    assert "System Behaviours" in set(table["aspect"])
    aspect = trust["aspect"].iloc[0]
    comparer.aspect.value = aspect
    assert set(comparer.table["aspect"]) == {aspect}
    assert comparer.chart.value[:4] == b"\x89PNG"
    # Setting interpretation aside leaves no System Behaviour (002 applies none to a case).
    comparer.aspect.value = None
    comparer.basis.value = "stated"
    assert set(comparer.table["basis"]) == {"stated"} and "System Behaviours" not in set(
        comparer.table["aspect"]
    )
    comparer.places.value = (PLYMOUTH,)
    comparer.compare_button.click()
    assert "at least two places" in comparer.status.value and comparer.table.empty
    with pytest.raises(KeyError, match="no place 'Atlantis'"):
        PlaceComparer(kb, places=["Atlantis", "Plymouth"])


def test_explorer_offers_ideas_not_facets_and_opens_on_an_answer(kb):
    explorer = InquiryExplorer(kb, "stories-by-concept")
    concept = explorer.inputs["concept"]
    offered = {iri for _, iri in concept.options}
    place_kinds = set(kb.select("SELECT ?k WHERE { ?k a hls:PlaceKind }", compact=False)["k"])
    roles = set(kb.select("SELECT ?k WHERE { ?k a hls:Role }", compact=False)["k"])
    assert place_kinds and roles and not (offered & (place_kinds | roles))
    # Nor the basis of a link (stated, interpreted: what link records say of every link) or of
    # an amount, nor the kinds of settlement.
    bases = set(
        kb.select(
            "SELECT ?k WHERE { VALUES ?c { hls:Basis hls:AmountBasis hls:SettlementKind } ?k a ?c }",
            compact=False,
        )["k"]
    )
    assert expand("hlsc:stated") in bases and not (offered & bases)
    assert TRUST in offered and expand("hlsc:human") in offered
    # A required concept with no default opens on the concept the most evidence illustrates.
    most = kb.select(
        "SELECT ?c (COUNT(?i) AS ?n) WHERE { ?i hls:illustrates ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 1",
        compact=False,
    )["c"].iloc[0]
    assert concept.value == most
    # Naming the inquiry runs it: the explorer opens on a table, not on an empty space.
    assert explorer.result is not None and len(explorer.result) > 0
    assert "hlsgraph-table" in explorer.table.value


def test_explorer_takes_parameters_by_label_and_refuses_unknown_ones(kb):
    explorer = InquiryExplorer(kb, "stories-by-concept", concept="Trust", place="Gateshead")
    assert explorer.inputs["concept"].value == TRUST and explorer.inputs["place"].value == GATESHEAD
    expected = kb.inquire("stories-by-concept", concept="Trust", place="Gateshead")
    assert sorted(explorer.result["title"]) == sorted(expected["title"])
    with pytest.raises(hlsgraph.UnknownParameterError, match="did you mean 'concept'"):
        InquiryExplorer(kb, "stories-by-concept", concpt="Trust")
    with pytest.raises(hlsgraph.UnknownInquiryError, match="stories-by-concept"):
        InquiryExplorer(kb, "storys-by-concept")


def test_explorer_clears_the_last_answer_when_the_inquiry_changes(kb):
    explorer = InquiryExplorer(kb, "evidence-gap-map")
    assert explorer.result is not None and explorer.chart.layout.display is None
    explorer.inquiry.value = "stories-by-concept"
    assert explorer.result is None
    assert explorer.table.value == explorer.download.value == explorer.status.value == ""
    # No chart: the image is hidden, not shown as a broken picture.
    assert explorer.chart.value == b"" and explorer.chart.layout.display == "none"
    explorer.run()
    assert explorer.chart.layout.display == "none"  # a list of stories has no chart


def test_explorer_table_reads_well(kb):
    explorer = InquiryExplorer(kb, "stories-by-concept", concept="Trust")
    frame = explorer.result
    assert frame["place"].isna().any()  # there are empty cells to show
    text = explorer.table.value
    assert "&lt;NA&gt;" not in text and "<NA>" not in text
    assert "max-height:420px" in text and "overflow:auto" in text  # a bounded scroll box
    assert "position:sticky" in text  # the header stays in view
    one = InquiryExplorer(kb, "provenance", item="hlsd:story-mary")
    assert len(one.result) >= 1
    rows = len(one.result)
    assert (f"{rows} row<" if rows == 1 else f"{rows} rows<") in one.status.value.replace("</p>", "<")


def test_widgets_carry_a_static_view_for_notebooks_opened_unrun(kb):
    explorer = InquiryExplorer(kb, "stories-by-concept", concept="Trust")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "VBox(" not in bundle["text/plain"] and "run the notebook" in bundle["text/plain"]
    saved = bundle["text/html"]
    assert "<script" not in saved and "hlsgraph-table" in saved
    assert expected_title(kb) in saved
    comparer = PlaceComparer(kb, places=["Plymouth", "Gateshead"])
    saved = comparer._repr_mimebundle_()["text/html"]
    assert "data:image/png;base64," in saved and "Plymouth" in saved
    browser = StoryBrowser(kb)
    saved = browser._repr_mimebundle_()["text/html"]
    assert "<h3" in saved and "items match" in saved


def expected_title(kb):
    return kb.inquire("stories-by-concept", concept="Trust")["title"].iloc[0].replace("'", "&#x27;")


def test_story_browser_tells_a_reflection(tmp_path):
    mine = hlsgraph.open()
    reflections = tmp_path / "reflections.csv"
    reflections.write_text(
        "id,title,date,what_we_tried,what_happened,what_we_learned,what_we_change_next,access_level\n"
        "r1,Dropping the form,3 April 2030,A conversation first,Fewer hand-offs,Workers need peers,"
        "A peer group,public\n",
        encoding="utf-8",
    )
    report = mine.import_table(reflections, "reflections")
    assert report.ok, report.to_dataframe()
    browser = StoryBrowser(mine)
    browser.kind.value = "Reflection"
    assert len(browser.matches) == report.rows_loaded
    item = browser.matches["item"].iloc[0]
    browser.items.value = item
    text = browser.reader.value
    for heading in ("What we tried", "What happened", "What we learned"):
        assert f"<b>{heading}:</b>" in text
    tried = mine.select("SELECT ?t WHERE { ?r hls:whatWeTried ?t }", r=item)["t"].iloc[0]
    assert tried.replace("'", "&#x27;") in text


def test_place_comparer_heatmap_reads_in_the_table_order(kb):
    comparer = PlaceComparer(kb, places=["Oxfordshire", "Plymouth", "Gateshead"])
    ax = comparer.figure.axes[0]
    across = [t.label1.get_text() for t in ax.xaxis.get_major_ticks()]
    assert [t.label2.get_text() for t in ax.xaxis.get_major_ticks()] == across  # named on top too
    assert across == ["Oxfordshire", "Plymouth", "Gateshead"]  # as chosen, as in the table
    down = [t.get_text() for t in ax.get_yticklabels()]
    listed = [c for c in dict.fromkeys(comparer.table["concept"]) if c in set(down)]
    assert down == listed
    bar = comparer.figure.axes[1]
    ticks = [t for t in bar.get_yticks() if bar.get_ylim()[0] <= t <= bar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)  # whole numbers on the colour bar
