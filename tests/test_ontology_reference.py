"""The HTML reference and the diagram are generated from the ontology by one command."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from hlsgraph.cli import main
from hlsgraph.namespaces import sparql_prologue
from hlsgraph.store.terms import shorten as compact
from hlsgraph.vocabulary.checks import ontology_store
from hlsgraph.vocabulary.reference import anchor, build_reference, diagram_edges, reference_html


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("reference")
    assert main(["docs", str(outdir)]) == 0
    return outdir


def test_docs_command_writes_the_site(site):
    assert {p.name for p in site.iterdir()} == {"index.html", "model.svg", "hls.ttl", "hls.nt", "shapes.ttl"}


def test_every_term_has_an_entry_with_its_definition_and_source(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    store = ontology_store()
    rows = list(
        store.query(
            sparql_prologue()
            + """
        SELECT ?t ?def ?src WHERE { ?t skos:definition ?def ; dcterms:source ?src .
          FILTER(STRSTARTS(STR(?t), "https://w3id.org/hls/")) }"""
        )
    )
    assert len(rows) > 300
    for row in rows:
        iri = row["t"].value
        assert f'id="{anchor(iri)}"' in page, iri
        assert html.escape(row["def"].value) in page, iri
        assert html.escape(row["src"].value) in page, iri


def test_schemes_list_their_members_in_order(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    section = page.split('id="hlsc-plymouth-alliance-principles"', 1)[1].split("</section>", 1)[0]
    notations = re.findall(r'<span class="notation">([a-g])</span>', section)
    assert notations == list("abcdefg")
    assert "7 members" in section
    vest = page.split('id="hlsc-vest"', 1)[1].split("</section>", 1)[0]
    # VEST's members are described under Human, Learning, Systems and linked from here, in order
    assert re.findall(r'<p class="seealso">(\w+): see', vest) == ["Variety", "Empathy", "Strengths", "Trust"]


def test_class_entries_link_parents_and_external_alignment(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    block = page.split('id="hls-Observation"', 1)[1].split("</div>", 1)[0]
    assert "<code>qb:Observation</code>" in block and "<code>sosa:Observation</code>" in block
    assert '<a href="#hls-EvidenceItem">' in block


def test_page_is_escaped_and_well_formed_enough():
    page = reference_html()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<section") == page.count("</section>")
    assert "Best for People using Services" in page
    assert "Can&#x27;t" in page or "can&#x27;t" in page  # apostrophes in labels are escaped


def test_diagram_is_valid_svg_built_from_the_ontology(site):
    root = ET.parse(site / "model.svg").getroot()
    assert root.tag.endswith("svg")
    text = (site / "model.svg").read_text()
    assert "hls:EvidenceItem" in text and "skos:Concept" in text
    edges = diagram_edges()
    assert ("https://w3id.org/hls/Observation", "measure", "https://w3id.org/hls/Measure") in edges
    assert ("https://w3id.org/hls/SelfAssessment", "has score", "https://w3id.org/hls/Score") in edges


def test_compact_and_anchor():
    assert compact("https://w3id.org/hls/Story") == "hls:Story"
    assert compact("http://example.org/x") == "http://example.org/x"
    assert anchor("https://w3id.org/hls/concept/trust") == "hlsc-trust"


def test_build_reference_is_repeatable(tmp_path):
    first = build_reference(tmp_path / "a").read_text()
    second = build_reference(tmp_path / "b").read_text()
    assert first == second
    assert (tmp_path / "a" / "model.svg").read_bytes() == (tmp_path / "b" / "model.svg").read_bytes()


def test_docs_diagram_is_up_to_date(tmp_path):
    """docs/model.svg is what the ontology draws today; regenerate it with
    `python -c "from hlsgraph.vocabulary.reference import model_diagram; model_diagram('docs/model.svg')"`."""
    from pathlib import Path

    from hlsgraph.vocabulary.reference import model_diagram

    committed = Path(__file__).resolve().parent.parent / "docs" / "model.svg"
    fresh = model_diagram(tmp_path / "model.svg")
    assert fresh.read_bytes() == committed.read_bytes()


def test_html_ids_are_unique_and_links_resolve(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets <= set(ids), sorted(targets - set(ids))[:5]


def test_system_behaviours_in_source_order(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    section = page.split('id="hlsc-system-behaviours"', 1)[1].split("</section>", 1)[0]
    groups = re.findall(r'<span class="notation">[123]</span> (\w+) <small>', section)
    assert groups == ["Perspective", "Power", "Participation"]
