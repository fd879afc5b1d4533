"""The fast shape checks (hlsgraph.validation.shapes) agree with pySHACL (hlsgraph.validation) on
valid and invalid batches built from the ontology's own shapes."""

import pytest
import rdflib

import hlsgraph
from hlsgraph.importing.triples import ntriples
from hlsgraph.namespaces import HLS, HLSC, HLSD, PREFIXES
from hlsgraph.validation import validate
from hlsgraph.validation.shapes import ItemSet, Lit, ShapeChecker

XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
DCT = PREFIXES["dcterms"]
PROV = PREFIXES["prov"]
RDFS = PREFIXES["rdfs"]
STRING = XSD + "string"
ROW = HLSD + "import-test-csv-row-2"


def s(text):
    return Lit(text, STRING)


def integer(n):
    return Lit(str(n), XSD + "integer")


def story(**changes):
    props = {
        RDF_TYPE: HLS + "Story",
        DCT + "title": s("A story"),
        HLS + "summary": s("What happened"),
        HLS + "accessLevel": HLS + "internal",
        PROV + "wasDerivedFrom": ROW,
        HLS + "place": HLSD + "place-plymouth",
        HLS + "illustrates": (HLSC + "trust", HLSC + "strengths"),
        DCT + "date": Lit("2024-04-03", XSD + "date"),
        HLS + "speakerRole": HLSC + "frontline-worker",
    }
    props.update(changes)
    return props


VALID = {
    HLSD + "story-ok": story(),
    HLSD + "obs-ok": {
        RDF_TYPE: HLS + "Observation",
        DCT + "title": s("Obs"),
        HLS + "accessLevel": HLS + "public",
        PROV + "wasDerivedFrom": ROW,
        HLS + "measure": HLSD + "measure-ivar-workshops",
        HLS + "value": Lit("12.5", XSD + "decimal"),
        HLS + "unit": s("percent"),
        HLS + "perspective": HLSC + "citizens",
    },
    HLSD + "place-ok": {
        RDF_TYPE: HLS + "Place",
        RDFS + "label": s("Stonehouse"),
        HLS + "placeKind": HLSC + "ward",
        HLS + "settlementKind": HLSC + "neighbourhood",
        HLS + "within": HLSD + "place-plymouth",
        HLS + "gssCode": s("E05012345"),
        HLS + "accessLevel": HLS + "public",
    },
    HLSD + "org-ok": {
        RDF_TYPE: HLS + "Provider",
        RDFS + "label": s("Riverside"),
        HLS + "basedIn": HLSD + "place-ok",
        HLS + "memberOf": HLSD + "org-plymouth-alliance",
        HLS + "accessLevel": HLS + "internal",
    },
    HLSD + "assessment-ok": {
        RDF_TYPE: HLS + "SelfAssessment",
        DCT + "title": s("SA"),
        HLS + "accessLevel": HLS + "internal",
        PROV + "wasDerivedFrom": ROW,
        HLS + "assessedBy": HLSD + "org-ok",
        DCT + "date": Lit("2024", XSD + "gYear"),
        HLS + "hasScore": HLSD + "score-ok",
    },
    HLSD + "score-ok": {
        RDF_TYPE: HLS + "Score",
        HLS + "learningPoint": HLSC + "be-realistic",
        HLS + "scoreValue": integer(4),
        HLS + "accessLevel": HLS + "internal",
    },
    HLSD + "reflection-ok": {
        RDF_TYPE: HLS + "Reflection",
        DCT + "title": s("R"),
        HLS + "accessLevel": HLS + "restricted",
        PROV + "wasDerivedFrom": ROW,
        HLS + "reflectsOn": (HLSD + "story-ok", HLSD + "story-jacob"),
    },
    ROW: {RDF_TYPE: HLS + "ImportRow", HLS + "rowNumber": integer(2)},
}

INVALID = {
    "no title": {HLSD + "story-bad": story(**{DCT + "title": None})},
    "title not a string": {HLSD + "story-bad": story(**{DCT + "title": integer(3)})},
    "unknown access level": {HLSD + "story-bad": story(**{HLS + "accessLevel": HLS + "secret"})},
    "two access levels": {
        HLSD + "story-bad": story(**{HLS + "accessLevel": (HLS + "public", HLS + "internal")})
    },
    "derived from a place": {HLSD + "story-bad": story(**{PROV + "wasDerivedFrom": HLSD + "place-plymouth"})},
    "place is a concept": {HLSD + "story-bad": story(**{HLS + "place": HLSC + "trust"})},
    "date as text": {HLSD + "story-bad": story(**{DCT + "date": s("April 2024")})},
    "illustrates a place": {HLSD + "story-bad": story(**{HLS + "illustrates": HLSD + "place-plymouth"})},
    "role not a role": {HLSD + "story-bad": story(**{HLS + "speakerRole": HLSC + "trust"})},
    "no summary": {HLSD + "story-bad": story(**{HLS + "summary": None})},
    "observation without unit, two values": {
        HLSD + "obs-bad": {
            **VALID[HLSD + "obs-ok"],
            HLS + "unit": None,
            HLS + "value": (integer(1), integer(2)),
        }
    },
    "observation of a story": {
        HLSD + "obs-bad": {**VALID[HLSD + "obs-ok"], HLS + "measure": HLSD + "story-jacob"}
    },
    "score out of range": {HLSD + "score-bad": {**VALID[HLSD + "score-ok"], HLS + "scoreValue": integer(6)}},
    "score of a non-learning-point": {
        HLSD + "score-bad": {**VALID[HLSD + "score-ok"], HLS + "learningPoint": HLSC + "trust"}
    },
    "bad gss code": {HLSD + "place-bad": {**VALID[HLSD + "place-ok"], HLS + "gssCode": s("X1234")}},
    "place without label": {HLSD + "place-bad": {**VALID[HLSD + "place-ok"], RDFS + "label": None}},
    "organisation based in a concept": {
        HLSD + "org-bad": {**VALID[HLSD + "org-ok"], HLS + "basedIn": HLSC + "trust"}
    },
    "assessment without scores": {
        HLSD + "assessment-bad": {**VALID[HLSD + "assessment-ok"], HLS + "hasScore": None}
    },
    "reflection on an organisation": {
        HLSD + "reflection-bad": {
            **VALID[HLSD + "reflection-ok"],
            HLS + "reflectsOn": HLSD + "org-plymouth-alliance",
        }
    },
}


@pytest.fixture(scope="module")
def kb():
    base = hlsgraph.open()
    yield base
    base.close()


def item_sets(subjects):
    sets = []
    for subject, props in subjects.items():
        sets.append(ItemSet([subject], [(0,)], {p: [v] for p, v in props.items()}))
    return sets


def types_from(kb):
    cache = {}

    def types_of(iri):
        if iri not in cache:
            frame = kb.select(f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }}", compact=False)
            cache[iri] = set(frame["t"])
        return cache[iri]

    supers = {}
    for sub, sup in kb.select(
        "SELECT ?a ?b WHERE { ?a rdfs:subClassOf ?b FILTER(isIRI(?b)) }", compact=False
    ).itertuples(index=False):
        supers.setdefault(sub, set()).add(sup)

    def superclasses(cls):
        seen, stack = {cls}, [cls]
        while stack:
            for sup in supers.get(stack.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    stack.append(sup)
        return seen

    return types_of, superclasses


def fast(kb, subjects):
    types_of, superclasses = types_from(kb)
    found = ShapeChecker.default().check(item_sets(subjects), types_of, superclasses)
    return {(v.focus, v.path) for v in found}


def slow(kb, subjects):
    """pySHACL over the batch plus the types of what it refers to outside itself."""
    graph = rdflib.Graph()
    graph.parse(data=ntriples(item_sets(subjects)), format="nt")
    referenced = {o for o in graph.objects() if isinstance(o, rdflib.URIRef)} - set(graph.subjects())
    for iri in referenced:
        for t in kb.select(f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }}", compact=False)["t"]:
            graph.add((iri, rdflib.RDF.type, rdflib.URIRef(t)))
    frame = validate(graph).to_dataframe()
    # Only the batch is checked: the things it refers to got their types alone, so their
    # own missing properties are not the batch's problem.
    frame = frame[frame["severity"].str.endswith("Violation") & frame["focus_node"].isin(list(subjects))]
    return {
        (str(f), None if str(p) in ("", "<NA>") else str(p))
        for f, p in zip(frame["focus_node"], frame["path"].astype(object).fillna(""), strict=True)
    }


def test_valid_batch_passes_both(kb):
    assert ShapeChecker.default().unsupported == []
    assert fast(kb, VALID) == set() == slow(kb, VALID)


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_batches_fail_both_on_the_same_nodes_and_paths(kb, case):
    batch = {**VALID, **INVALID[case]}
    found = fast(kb, batch)
    assert found, f"shape_check missed {case}"
    assert found == slow(kb, batch)


def test_unsupported_constraint_falls_back_to_pyshacl(kb, tmp_path):
    import csv

    shapes = ShapeChecker.from_turtle("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix hls: <https://w3id.org/hls/> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:shape> a sh:NodeShape ; sh:targetClass hls:Story ;
          sh:property [ sh:path hls:summary ; sh:disjoint dcterms:title ;
                        sh:message "the summary must say more than the title" ] .""")
    assert [constraint for _, constraint in shapes.unsupported] == ["sh:disjoint"]
    path = tmp_path / "echo.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "summary", "access_level"])
        writer.writerow(["e1", "Same", "Same", "public"])
        writer.writerow(["e2", "Title", "A longer account", "public"])
    report = kb.import_table(path, "stories", shapes=shapes)
    assert report.problems[["row", "column", "expected"]].values.tolist() == [
        [2, "summary", "the summary must say more than the title (shape urn:shape)"]
    ]
