"""kb.inquiries / kb.inquire / kb.resolve: the engine side of named inquiries (the inquiries'
own answers are tested with the queries)."""

import pyoxigraph as ox
import pytest

import hlsgraph
from hlsgraph.errors import (
    AmbiguousLabelError,
    UnknownInquiryError,
    UnknownLabelError,
    UnknownParameterError,
)
from hlsgraph.resources import queries_dir


def test_the_catalogue_lists_every_rq_file(kb):
    catalogue = kb.inquiries()
    assert sorted(catalogue["name"]) == sorted(p.stem for p in queries_dir().glob("*.rq"))
    assert list(catalogue.columns)[:2] == ["name", "title"]


def test_inquire_binds_labels_and_records_what_it_ran(kb):
    by_label = kb.inquire("stories-by-concept", concept="Trust")
    by_name = kb.inquire("stories-by-concept", concept="hlsc:trust")
    assert len(by_label) > 0 and by_label.equals(by_name)
    assert by_label.attrs["inquiry"] == "stories-by-concept"
    assert by_label.attrs["parameters"]["concept"] == "<https://w3id.org/hls/concept/trust>"
    assert "SELECT" in by_label.attrs["query"]
    assert "hlsd:story-jacob" in by_label["story"].tolist()


def test_compact_false_gives_whole_iris(kb):
    frame = kb.inquire("stories-by-concept", concept="hlsc:trust", compact=False)
    assert "https://w3id.org/hls/id/story-jacob" in frame["story"].tolist()


def test_unknown_names_are_errors_that_suggest(kb):
    with pytest.raises(UnknownInquiryError, match="did you mean 'stories-by-concept'"):
        kb.inquire("storys-by-concept")
    with pytest.raises(UnknownParameterError, match="did you mean 'concept'"):
        kb.inquire("stories-by-concept", concpt="Trust")


def test_labels_resolve_to_one_resource_or_list_the_candidates(kb):
    assert kb.resolve("Plymouth", kind="https://w3id.org/hls/Place") == ox.NamedNode(
        "https://w3id.org/hls/id/place-plymouth"
    )
    assert kb.resolve("hlsc:trust") == ox.NamedNode("https://w3id.org/hls/concept/trust")
    with pytest.raises(UnknownLabelError, match="Plymouth"):
        kb.resolve("Plym")
    with pytest.raises(AmbiguousLabelError, match="names 2 resources"):
        kb.resolve("Understanding the system")


def test_the_label_index_follows_writes():
    kb = hlsgraph.open()
    with pytest.raises(UnknownLabelError):
        kb.resolve("Freshly Loaded Place")
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/fresh> a hls:Place ; rdfs:label "Freshly Loaded Place" .""",
        format="turtle",
        graph="https://example.org/g",
    )
    assert kb.resolve("Freshly Loaded Place").value == "https://example.org/fresh"


def test_hostile_label_values_change_nothing(kb):
    frame = kb.inquire("keyword-search", keyword='zzq" } UNION { ?item ?p ?o } #')
    assert len(frame) == 0


def test_inquire_passes_its_timeout_to_the_store(kb, monkeypatch):
    assert len(kb.inquire("evidence-mix", timeout=60)) > 0
    seen = {}
    original = type(kb.store).select_tsv

    def spy(self, query, terms=None, *, timeout=None, source="<query>"):
        seen["timeout"], seen["source"] = timeout, source
        return original(self, query, terms, timeout=timeout, source=source)

    monkeypatch.setattr(type(kb.store), "select_tsv", spy)
    kb.inquire("evidence-mix", timeout=12.5)
    assert seen["timeout"] == 12.5 and seen["source"].endswith("evidence-mix.rq")


def test_a_syntax_error_in_an_inquiry_points_at_its_file_line(tmp_path, monkeypatch):
    from hlsgraph.errors import QuerySyntaxError
    from hlsgraph.inquiries import load_inquiries

    rq = tmp_path / "broken-inquiry.rq"
    rq.write_text(
        "#+ summary: A broken inquiry\n"
        "#+ description: Has a syntax error on line 6 of this file.\n"
        "\n"
        "SELECT ?story WHERE {\n"
        "  ?story a hls:Story .\n"
        "  FOO ?story\n"
        "}\n"
    )
    kb = hlsgraph.open()
    kb._inquiries = load_inquiries(tmp_path)
    with pytest.raises(QuerySyntaxError) as info:
        kb.inquire("broken-inquiry")
    err = info.value
    assert err.filename == str(rq) and err.lineno == 6 and err.text == "  FOO ?story"
    assert f"{rq}, line 6" in str(err)
