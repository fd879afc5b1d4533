"""The knowledge base hands validation and export to their modules with the right inputs."""

import hlsgraph


def test_validate_checks_the_data_graphs_and_finds_a_bad_item():
    kb = hlsgraph.open()
    assert kb.validate().conforms
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> .
        <https://w3id.org/hls/id/story-untitled> a hls:Story .""",
        format="turtle",
        graph="https://example.org/bad",
    )
    report = kb.validate()
    assert not report.conforms
    assert "story-untitled" in report.to_dataframe().to_string()


def test_validate_copies_the_store_rather_than_handing_it_over(monkeypatch):
    import rdflib

    import hlsgraph.validation as validation

    seen = {}

    def fake(data, **kw):
        seen["data"] = data
        return "report"

    monkeypatch.setattr(validation, "validate", fake)
    kb = hlsgraph.open()
    assert kb.validate() == "report"
    assert isinstance(seen["data"], rdflib.Graph)
    triples = kb.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(?g NOT IN (hlsg:ontology, hlsg:inferred, hlsg:meta)) } }"
    )["n"].iloc[0]
    assert len(seen["data"]) == triples


def test_export_goes_through_the_knowledge_base(tmp_path):
    kb = hlsgraph.open()
    out = tmp_path / "public.nt"
    kb.export(out, format="ntriples")
    text = out.read_text()
    assert "https://w3id.org/hls/id/story-jacob" in text
