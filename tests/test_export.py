"""The export lets out only what is marked for release: checked on generated data in which every
internal and restricted item carries a canary string, in every format and for each choice of
access levels."""

import random

import pyoxigraph as ox
import pytest

import hlsgraph.publishing.export as export_module
from hlsgraph.errors import ValidationError
from hlsgraph.publishing.export import export, resolve_format

HLS = "https://w3id.org/hls/"
HLSD = "https://w3id.org/hls/id/"
HLSG = "https://w3id.org/hls/graph/"
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
SUMMARY = ox.NamedNode(HLS + "summary")
ACCESS = ox.NamedNode(HLS + "accessLevel")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ILLUSTRATES = ox.NamedNode(HLS + "illustrates")
TRUST = ox.NamedNode("https://w3id.org/hls/concept/trust")
FORMATS = ["turtle", "ntriples", "json-ld", "trig"]


def _node(local):
    return ox.NamedNode(HLSD + local)


def generate(seed=7, n=60):
    """A store of ``n`` evidence items spread over three graphs, each with a random access
    level; internal and restricted items carry canaries in literals, in their IRIs and in blank
    nodes; public items point at withheld ones and the other way round."""
    rng = random.Random(seed)
    store = ox.Store()
    items = {"public": [], "internal": [], "restricted": []}
    canaries = {"internal": set(), "restricted": set()}
    graphs = [ox.NamedNode(HLSG + f"base/part-{i}") for i in range(3)]
    for i in range(n):
        level = rng.choice(["public", "internal", "restricted"])
        if level == "public":
            subject = _node(f"story-open-{i}")
            text = f"open story number {i}"
        else:
            tag = f"CANARY{level[:1].upper()}{i:03d}X"
            canaries[level].add(tag)
            subject = _node(f"story-{tag.lower()}")  # the IRI itself must not leak either
            canaries[level].add(subject.value)
            text = f"private details {tag}"
        items[level].append(subject)
        # The level sits in one graph, the description in another, as when data is loaded
        # from several files.
        g1, g2 = rng.sample(graphs, 2)
        store.add(ox.Quad(subject, ACCESS, ox.NamedNode(HLS + level), g1))
        store.add(ox.Quad(subject, RDF_TYPE, ox.NamedNode(HLS + "Story"), g2))
        store.add(ox.Quad(subject, TITLE, ox.Literal(text, language="en"), g2))
        detail = ox.BlankNode()
        store.add(ox.Quad(subject, ox.NamedNode(HLS + "detail"), detail, g2))
        store.add(ox.Quad(detail, SUMMARY, ox.Literal(f"detail of {text}"), g2))
        store.add(ox.Quad(subject, ILLUSTRATES, TRUST, g2))
    # Links in both directions between released and withheld items.
    everyone = [s for level in items.values() for s in level]
    for subject in everyone:
        other = rng.choice(everyone)
        store.add(ox.Quad(subject, ox.NamedNode(HLS + "reflectsOn"), other, graphs[0]))
    # An item marked both public and restricted counts as restricted.
    double = _node("story-canarydouble")
    canaries["restricted"].add("CANARYDOUBLE")
    store.add(ox.Quad(double, ACCESS, ox.NamedNode(HLS + "public"), graphs[0]))
    store.add(ox.Quad(double, ACCESS, ox.NamedNode(HLS + "restricted"), graphs[1]))
    store.add(ox.Quad(double, TITLE, ox.Literal("CANARYDOUBLE"), graphs[1]))
    # An unmarked individual (no level) is never exported, nor named.
    unmarked = _node("person-canaryunmarked")
    store.add(ox.Quad(unmarked, TITLE, ox.Literal("CANARYUNMARKED"), graphs[2]))
    store.add(ox.Quad(items["public"][0], ox.NamedNode(HLS + "organisation"), unmarked, graphs[2]))
    # The ontology graph, with an individual in it that is not marked for release.
    store.add(
        ox.Quad(
            ox.NamedNode(HLS + "Story"), TITLE, ox.Literal("Story class"), ox.NamedNode(HLSG + "ontology")
        )
    )
    store.add(
        ox.Quad(
            _node("org-canaryinontology"),
            TITLE,
            ox.Literal("CANARYONTOLOGY"),
            ox.NamedNode(HLSG + "ontology"),
        )
    )
    return store, items, canaries


@pytest.fixture(scope="module")
def generated():
    return generate()


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_export_holds_no_canary_and_every_public_item(generated, fmt):
    store, items, canaries = generated
    text = export(store, format=fmt)
    for tag in canaries["internal"] | canaries["restricted"] | {"CANARYUNMARKED"}:
        assert tag not in text
    # An unmarked individual is not even named by a released item that points at it.
    assert "canary" not in text.lower()
    parsed = list(ox.parse(text.encode(), format=resolve_format(fmt)))
    subjects = {t.subject for t in parsed if isinstance(t.subject, ox.NamedNode)}
    assert subjects == set(items["public"])
    titles = {t.object.value for t in parsed if t.predicate == TITLE}
    assert titles == {f"open story number {s.value.rsplit('-', 1)[1]}" for s in items["public"]}
    # Each public item keeps its blank-node detail through the round trip.
    details = [t for t in parsed if t.predicate == SUMMARY]
    assert len(details) == len(items["public"])
    # Links to vocabulary terms stay.
    assert {t.subject for t in parsed if t.predicate == ILLUSTRATES and t.object == TRUST} == set(
        items["public"]
    )


def test_internal_allowed_still_withholds_restricted(generated):
    store, items, canaries = generated
    text = export(store, format="ntriples", access=("public", "internal"))
    for tag in canaries["restricted"]:
        assert tag not in text
    for tag in canaries["internal"]:
        assert tag in text
    parsed = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    subjects = {t.subject for t in parsed if isinstance(t.subject, ox.NamedNode)}
    assert subjects == set(items["public"]) | set(items["internal"])


def test_links_to_withheld_items_are_dropped_and_links_between_released_kept(generated):
    store, items, _ = generated
    released = set(items["public"])
    expected = {
        (q.subject, q.object)
        for q in store.quads_for_pattern(None, ox.NamedNode(HLS + "reflectsOn"), None, None)
        if q.subject in released and q.object in released
    }
    text = export(store, format="ntriples")
    got = {
        (t.subject, t.object)
        for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
        if t.predicate == ox.NamedNode(HLS + "reflectsOn")
    }
    assert got == expected
    assert expected  # the generated data does have such links


def test_trig_keeps_named_graphs_and_ontology_only_when_asked(generated):
    store, _, _ = generated
    without = export(store, format="trig")
    assert "Story class" not in without
    with_ontology = export(store, format="trig", ontology=True)
    assert "Story class" in with_ontology and "CANARYONTOLOGY" not in with_ontology
    quads = list(ox.parse(with_ontology.encode(), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads}
    assert HLSG + "ontology" in graphs
    # The three data graphs keep apart, under opaque names that say nothing of their origin.
    others = graphs - {HLSG + "ontology"}
    assert len(others) == 3 and all(g.startswith(HLSG + "part/") for g in others)
    assert "part-0" not in with_ontology


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_generated_stores_leak_nothing(seed):
    store, items, canaries = generate(seed=seed, n=40)
    for fmt in FORMATS:
        text = export(store, format=fmt)
        assert not any(tag in text for tag in canaries["internal"] | canaries["restricted"])
        assert all(s.value in text or s.value.rsplit("/", 1)[1] in text for s in items["public"])


def test_writes_file_with_format_from_extension(tmp_path, generated):
    store, items, canaries = generated
    target = export(store, tmp_path / "public.jsonld")
    data = target.read_bytes()
    parsed = list(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    assert {t.subject for t in parsed if isinstance(t.subject, ox.NamedNode)} == set(items["public"])
    assert not any(tag.encode() in data for tag in canaries["restricted"])
    assert [p.name for p in tmp_path.iterdir()] == ["public.jsonld"]  # no temporary left


def test_bad_arguments_give_clear_errors(tmp_path, generated):
    store, _, _ = generated
    with pytest.raises(ValueError, match=r"unknown access level 'publik'.*did you mean 'public'"):
        export(store, access="publik")
    with pytest.raises(ValueError, match=r"cannot tell the export format of .*'\.xlsx'"):
        export(store, tmp_path / "out.xlsx")
    with pytest.raises(ValueError, match=r"unknown export format 'turtel'.*'turtle'"):
        export(store, format="turtel")
    with pytest.raises(ValueError, match="names no access level"):
        export(store, access=())
    with pytest.raises(FileNotFoundError, match="does not exist"):
        export(store, tmp_path / "missing" / "out.ttl")
    with pytest.raises(TypeError, match="cannot export from dict"):
        export({}, format="turtle")


def test_closed_check_refuses_a_leaky_selection(tmp_path, generated, monkeypatch):
    """Were the selection ever wrong, the check on the serialised output stops the write."""
    store, items, _ = generated
    real_select = export_module._select

    def leaky(quads, levels, ontology):
        quads = list(quads)
        chosen = real_select(quads, levels, ontology)
        extra = [q for q in quads if q.subject == items["restricted"][0]]
        return export_module._Selection(chosen.quads + extra, chosen.released, chosen.withheld)

    monkeypatch.setattr(export_module, "_select", leaky)
    target = tmp_path / "public.ttl"
    with pytest.raises(ValidationError, match="breaks the access rule"):
        export(store, target)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_knowledge_base_export_keeps_users_internal_items_out(tmp_path):
    """Through ``kb.export`` on the bundled base plus a user's internal and restricted items."""
    import hlsgraph

    kb = hlsgraph.open()
    kb.load(
        data="""
        @prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix dcterms: <http://purl.org/dc/terms/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
        hlsd:story-kbcanary-internal a hls:Story ; dcterms:title "KBCANARY internal story" ;
            hls:accessLevel hls:internal ; hls:illustrates hlsc:trust ; hls:place hlsd:place-plymouth .
        hlsd:story-kbcanary-restricted a hls:Story ; dcterms:title "KBCANARY restricted story" ;
            hls:accessLevel hls:restricted ; hls:place hlsd:place-plymouth .
        hlsd:place-plymouth hls:mentionedIn hlsd:story-kbcanary-restricted .
    """,
        format="turtle",
        graph="hlsg:load/canaries",
    )
    public = kb.export(tmp_path / "public.ttl").read_text()
    assert "KBCANARY" not in public and "kbcanary" not in public
    parsed = list(ox.parse(public.encode(), format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in parsed}
    assert HLSD + "place-plymouth" in subjects  # the bundled base is public and leaves
    # Nothing from the inferred graph or the bookkeeping graph: only asserted data.
    inferred = {(q.subject, q.predicate, q.object) for q in kb.quads(HLSG + "inferred")}
    assert not inferred & {(t.subject, t.predicate, t.object) for t in parsed}
    internal = kb.export(format="ntriples", access=["public", "internal"])
    assert "KBCANARY internal story" in internal and "KBCANARY restricted" not in internal
    assert "kbcanary-restricted" not in internal
