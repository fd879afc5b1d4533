"""Materialised reasoning in hlsg:inferred: class and concept hierarchies, transitive
properties and sub-properties; refreshed after every write."""

import hlsgraph

EX = "https://example.org/"
HIERARCHY = f"""
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:Story rdfs:subClassOf ex:Evidence . ex:Evidence rdfs:subClassOf ex:Thing .
ex:tells rdfs:subPropertyOf ex:mentions .
ex:within a owl:TransitiveProperty .
ex:trust skos:broader ex:human . ex:human skos:broader ex:hls .
ex:hls skos:narrower ex:systems .
"""
DATA = f"""
@prefix ex: <{EX}> .
ex:jacob a ex:Story ; ex:tells ex:trust .
ex:street ex:within ex:town . ex:town ex:within ex:county . ex:county ex:within ex:nation .
"""


def _kb():
    kb = hlsgraph.open(bundled=False)
    kb.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    kb.load(data=DATA, format="turtle", graph=EX + "data")
    return kb


def test_subclass_instances_count_for_every_superclass():
    kb = _kb()
    assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
    assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Thing> }}")
    inferred = kb.select(
        f"SELECT ?c WHERE {{ GRAPH hlsg:inferred {{ <{EX}jacob> a ?c }} }} ORDER BY ?c", compact=False
    )
    assert inferred["c"].tolist() == [EX + "Evidence", EX + "Thing"]


def test_narrower_concepts_count_for_broader_ones():
    kb = _kb()
    broader = kb.select(
        f"SELECT ?b WHERE {{ <{EX}trust> skos:broaderTransitive ?b }} ORDER BY ?b", compact=False
    )
    assert broader["b"].tolist() == [EX + "hls", EX + "human"]
    # skos:narrower counts in the other direction.
    assert kb.ask(f"ASK {{ <{EX}systems> skos:broaderTransitive <{EX}hls> }}")
    # The pattern the inquiries use: illustrates this concept or a narrower one.
    found = kb.select(
        f"SELECT ?s WHERE {{ ?s <{EX}mentions>/skos:broaderTransitive? <{EX}hls> }}", compact=False
    )
    assert found["s"].tolist() == [EX + "jacob"]


def test_transitive_properties_and_subproperties_are_closed():
    kb = _kb()
    places = kb.select(f"SELECT ?p WHERE {{ <{EX}street> <{EX}within> ?p }} ORDER BY ?p", compact=False)
    assert places["p"].tolist() == [EX + "county", EX + "nation", EX + "town"]
    assert kb.ask(f"ASK {{ <{EX}jacob> <{EX}mentions> <{EX}trust> }}")


def test_inferences_are_not_duplicates_of_asserted_triples():
    kb = _kb()
    # ex:street within ex:town is asserted, so it is not inferred again.
    counted = kb.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}street> <{EX}within> <{EX}town> }}")
    assert counted["n"].tolist() == [1]


def test_inferences_follow_removal():
    kb = _kb()
    kb.remove_graph(EX + "ontology")
    assert not kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
    assert not kb.ask(f"ASK {{ <{EX}trust> skos:broaderTransitive ?b }}")
    assert len(list(kb.quads("hlsg:inferred"))) == 0


def test_the_bundled_story_kinds_are_evidence_items(kb):
    stories = kb.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hls:Story }")["n"].iloc[0]
    vignettes = kb.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hls:Vignette }")["n"].iloc[0]
    items = kb.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hls:EvidenceItem }")["n"].iloc[0]
    assert stories > 0 and vignettes > 0 and items >= stories + vignettes
    assert kb.ask("ASK { hlsd:story-jacob a hls:EvidenceItem }")
    assert not kb.ask("ASK { GRAPH ?g { hlsd:story-jacob a hls:EvidenceItem } FILTER(?g != hlsg:inferred) }")


def _inferred(kb):
    return sorted(str(q.triple) for q in kb.quads("hlsg:inferred"))


def test_incremental_reasoning_matches_a_full_recompute():
    kb = hlsgraph.open(bundled=False)
    kb.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    kb.load(data=DATA, format="turtle", graph=EX + "data")  # data only: the rules run over it alone
    kb.load(
        data=f"""@prefix ex: <{EX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:Thing rdfs:subClassOf ex:Anything . ex:mary a ex:Story .""",
        format="turtle",
        graph=EX + "more",
    )
    assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Anything> }}")  # a widened hierarchy reaches old data
    incremental = _inferred(kb)
    kb.reason()
    assert _inferred(kb) == incremental
    fresh = hlsgraph.open(bundled=False)
    for graph in (EX + "ontology", EX + "data", EX + "more"):
        fresh.load(data="".join(f"{q.triple} .\n" for q in kb.quads(graph)), format="ntriples", graph=graph)
    fresh.reason()
    assert _inferred(fresh) == incremental


def test_removal_writes_only_the_difference_and_matches_a_fresh_store():
    kb = hlsgraph.open(bundled=False)
    kb.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    kb.load(data=DATA, format="turtle", graph=EX + "data")
    kb.load(data=f"<{EX}mary> a <{EX}Story> .", format="turtle", graph=EX + "more")
    kb.remove_graph(EX + "data")
    fresh = hlsgraph.open(bundled=False)
    fresh.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    fresh.load(data=f"<{EX}mary> a <{EX}Story> .", format="turtle", graph=EX + "more")
    assert _inferred(kb) == _inferred(fresh)
    assert not kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
    assert kb.ask(f"ASK {{ <{EX}mary> a <{EX}Thing> }}")


def test_removing_or_replacing_plain_data_touches_only_its_subjects():
    kb = hlsgraph.open(bundled=False)
    kb.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    kb.load(data=f"<{EX}jacob> a <{EX}Story> . <{EX}mary> a <{EX}Story> .", format="turtle", graph=EX + "a")
    kb.load(data=f"<{EX}jacob> a <{EX}Story> .", format="turtle", graph=EX + "b")
    plan = kb._reasoner.removal_plan(kb._graph_node(EX + "a"))
    assert plan is not None and sorted(plan[0]) == [f"<{EX}jacob>", f"<{EX}mary>"]
    kb.remove_graph(EX + "a")
    # jacob is still a Story through graph b; mary is gone.
    assert kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Thing> }}")
    assert not kb.ask(f"ASK {{ <{EX}mary> a <{EX}Thing> }}")
    kb.load(data=f"<{EX}ann> a <{EX}Story> .", format="turtle", graph=EX + "b", replace=True)
    assert not kb.ask(f"ASK {{ <{EX}jacob> a <{EX}Evidence> }}")
    assert kb.ask(f"ASK {{ <{EX}ann> a <{EX}Evidence> }}")
    before = _inferred(kb)
    kb.reason()
    assert _inferred(kb) == before
    # A graph that shapes a hierarchy gets a full recomputation.
    assert kb._reasoner.removal_plan(kb._graph_node(EX + "ontology")) is None


def test_removing_data_about_a_concept_keeps_its_closure():
    kb = hlsgraph.open(bundled=False)
    kb.load(data=HIERARCHY, format="turtle", graph=EX + "ontology")
    kb.load(
        data=f'<{EX}trust> <http://purl.org/dc/terms/title> "a note about trust" .',
        format="turtle",
        graph=EX + "notes",
    )
    kb.remove_graph(EX + "notes")
    assert kb.ask(f"ASK {{ <{EX}trust> skos:broaderTransitive <{EX}hls> }}")


def _generated_graph(tmp_path, triples=3_000):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    path = tmp_path / "evidence.nt"
    generate.generate_graph(path, triples, 8, generate.read_vocabulary())
    return path


def test_rules_written_by_the_engine_infer_what_construct_and_load_infer(tmp_path):
    # In memory the rules are updates that write hlsg:inferred themselves; on disk they are
    # CONSTRUCT queries whose N-Triples are loaded. Both must infer the same, over the added
    # graph alone and (after a graph widening the hierarchies) over everything, and neither
    # may infer what another graph already states.
    path = _generated_graph(tmp_path)
    first = hlsgraph.open()
    first.load(path, graph=EX + "generated")
    before = set(_inferred(hlsgraph.open()))
    stated = [f"{t} .\n" for t in _inferred(first) if t not in before][::7]
    assert len(stated) > 100
    memory = hlsgraph.open()
    disk = hlsgraph.open(tmp_path / "store")
    widening = f"""@prefix ex: <{EX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix hls: <https://w3id.org/hls/> .
        hls:Story rdfs:subClassOf ex:Told . hls:place rdfs:subPropertyOf ex:about ."""
    for kb in (memory, disk):
        kb.load(data="".join(stated), format="ntriples", graph=EX + "stated")
        kb.load(path, graph=EX + "generated")
    inferred = _inferred(memory)
    assert len(inferred) > 1_000
    assert not {line[: -len(" .\n")] for line in stated} & set(inferred)
    assert inferred == _inferred(disk)
    memory.reason()  # a full recompute, as CONSTRUCT queries
    assert _inferred(memory) == inferred
    for kb in (memory, disk):
        kb.load(data=widening, format="turtle", graph=EX + "widening")
    widened = _inferred(memory)
    assert f"<{EX}Told>" in "".join(widened) and f"<{EX}about>" in "".join(widened)
    assert widened == _inferred(disk)
    disk.close()
