"""The SHACL shapes accept every valid example and reject each invalid one with exactly the
expected message; every shape constraint is exercised by at least one valid and one invalid
example (tests/shapes/)."""

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from hlsgraph.errors import RDFSyntaxError, ValidationError
from hlsgraph.validation import COLUMNS, ValidationReport, validate
from hlsgraph.vocabulary import shapes_graph

EXAMPLES = Path(__file__).parent / "shapes"
EXPECT = rdflib.URIRef("urn:hlsgraph:expect")


def _cases(name):
    """{case IRI: (graph of the case, expected messages)} from a TriG file of examples."""
    dataset = rdflib.Dataset()
    dataset.parse(EXAMPLES / name, format="trig")
    expected = {}
    for case, _p, message in dataset.default_graph.triples((None, EXPECT, None)):
        expected.setdefault(case, set()).add(str(message))
    cases = {}
    for graph in dataset.graphs():
        if not str(graph.identifier).startswith("urn:hlsgraph:"):
            continue
        cases[graph.identifier] = (graph, expected.get(graph.identifier, set()))
    return cases


def _run(cases):
    """Validate the context and every case together (each case uses its own focus nodes)."""
    data = rdflib.Graph().parse(EXAMPLES / "context.ttl", format="turtle")
    for graph, _expected in cases.values():
        for triple in graph:
            data.add(triple)
    return validate(data)


def _key(term):
    return f"_:{term}" if isinstance(term, rdflib.BNode) else str(term)


VALID = _cases("valid.trig")
INVALID = _cases("invalid.trig")


@pytest.fixture(scope="module")
def valid_report():
    return _run(VALID)


@pytest.fixture(scope="module")
def invalid_report():
    return _run(INVALID)


def test_example_files_hold_cases():
    assert len(VALID) >= 15
    assert len(INVALID) >= 100
    assert all(expected for _g, expected in INVALID.values()), "every invalid case names its message"


def test_context_alone_conforms():
    report = validate(EXAMPLES / "context.ttl")
    assert report.conforms, report.to_dataframe().to_string()


def test_valid_examples_conform(valid_report):
    assert valid_report.results == [], valid_report.to_dataframe(compact=True).to_string()
    assert valid_report.conforms and valid_report.violations == 0


@pytest.mark.parametrize("case", sorted(INVALID, key=str), ids=lambda c: str(c).rsplit(":", 1)[1])
def test_invalid_example_rejected_with_expected_message(invalid_report, case):
    graph, expected = INVALID[case]
    subjects = {_key(s) for s in graph.subjects()}
    messages = {r.message for r in invalid_report.results if r.focus_node in subjects}
    assert messages == expected
    assert all(r.severity == "Violation" for r in invalid_report.results if r.focus_node in subjects)


def _property_shapes():
    """Every property shape as (owning node shape, path): the units a test must exercise."""
    shapes = shapes_graph()
    found = set()
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for prop in shapes.objects(node_shape, SH.property):
            found.add(
                (
                    str(prop) if isinstance(prop, rdflib.URIRef) else str(node_shape),
                    str(shapes.value(prop, SH.path)),
                    str(shapes.value(prop, SH.message)),
                )
            )
    return found


def test_every_property_shape_rejects_some_invalid_example(invalid_report):
    hit = {(r.shape, r.path, r.message) for r in invalid_report.results}
    missing = sorted(_property_shapes() - hit)
    assert not missing, f"property shapes no invalid example triggers: {missing}"


def test_every_node_shape_has_a_valid_and_an_invalid_example(valid_report, invalid_report):
    shapes = shapes_graph()
    valid_data = rdflib.Graph()
    for graph, _e in VALID.values():
        valid_data += graph
    invalid_shapes = {r.shape for r in invalid_report.results}
    prop_owner = {
        str(p): str(n) for n, p in shapes.subject_objects(SH.property) if isinstance(p, rdflib.URIRef)
    }
    invalid_owners = {prop_owner.get(s, s) for s in invalid_shapes}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        targets = set(shapes.objects(node_shape, SH.targetClass))
        subjects_of = set(shapes.objects(node_shape, SH.targetSubjectsOf))
        assert (
            any((None, RDF.type, t) in valid_data for t in targets)
            or any((None, p, None) in valid_data for p in subjects_of)
            or node_shape.endswith("PrincipleShape")
        ), node_shape
        assert str(node_shape) in invalid_owners, f"{node_shape} rejects no invalid example"


# --- the report object and validate()'s inputs -----------------------------------------------


def test_report_dataframe_columns_even_when_empty(valid_report):
    frame = valid_report.to_dataframe()
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 0
    assert frame.attrs["conforms"] is True


def test_report_dataframe_compacts_iris(invalid_report):
    frame = invalid_report.to_dataframe(compact=True)
    row = frame[frame.focus_node == "hlsd:i-1"].iloc[0]
    assert row["path"] == "dcterms:title"
    assert row["severity"] == "Violation"
    assert row["constraint"] == "MinCountConstraintComponent"


def test_raise_for_violations(invalid_report, valid_report):
    valid_report.raise_for_violations()  # no violation: nothing raised
    with pytest.raises(ValidationError) as info:
        invalid_report.raise_for_violations()
    text = str(info.value)
    assert f"{invalid_report.violations} SHACL violation(s)" in text
    assert "to_dataframe()" in text
    assert isinstance(info.value, ValueError)


def test_repr_html_escapes_values():
    data = rdflib.Graph().parse(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/hls/id/x> a hls:Vignette ; dcterms:title 5 ; hls:accessLevel "<script>" .""",
        format="turtle",
    )
    html = validate(data)._repr_html_()
    assert "does not conform" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_validation_restores_rdflib_literal_normalisation():
    before = rdflib.NORMALIZE_LITERALS
    validate(EXAMPLES / "context.ttl")
    assert rdflib.NORMALIZE_LITERALS is before
    assert rdflib.Literal("1", datatype=rdflib.XSD.boolean).toPython() is True


def test_validate_leaves_callers_graph_unchanged():
    data = rdflib.Graph().parse(EXAMPLES / "context.ttl", format="turtle")
    before = len(data)
    validate(data)
    assert len(data) == before


def test_dataset_and_pyoxigraph_store_inputs_agree():
    import pyoxigraph

    text = (EXAMPLES / "context.ttl").read_text() + (
        "\n<https://w3id.org/hls/id/bad> a <https://w3id.org/hls/Story> .\n"
    )
    dataset = rdflib.Dataset()
    dataset.graph(rdflib.URIRef("https://w3id.org/hls/graph/test")).parse(data=text, format="turtle")
    store = pyoxigraph.Store()
    store.load(
        text.encode(),
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("https://w3id.org/hls/graph/t"),
    )
    from_dataset = validate(dataset)
    from_store = validate(store)
    assert from_dataset.violations == from_store.violations == 4  # title, access, provenance, summary
    assert {r.focus_node for r in from_store.results} == {"https://w3id.org/hls/id/bad"}


def test_without_ontology_concepts_are_unknown():
    data = rdflib.Graph().parse(EXAMPLES / "context.ttl", format="turtle")
    report = validate(data, include_ontology=False)
    assert not report.conforms
    assert (
        "hls:settlementKind must be one concept in hlsc:settlement-kinds: hlsc:city, hlsc:town or "
        "hlsc:neighbourhood"
    ) in {r.message for r in report.results}


def test_paths_name_the_file_of_each_result(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix hls: <https://w3id.org/hls/> .\n"
        "<https://w3id.org/hls/id/s> a hls:Vignette ; hls:accessLevel hls:public ;"
        " <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/hls/id/ctx-section> .\n"
    )
    report = validate([EXAMPLES / "context.ttl", bad])
    assert [(r.message, r.file) for r in report.results] == [
        ("dcterms:title is required: a short title for the item", str(bad))
    ]
    assert str(bad) in report.source


def test_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        '@prefix hls: <https://w3id.org/hls/> .\n\nhls:x a hls:Story ;\n  hls:title "unterminated .\n'
    )
    with pytest.raises(RDFSyntaxError) as info:
        validate(bad)
    assert "broken.ttl" in str(info.value)
    assert isinstance(info.value, SyntaxError)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such RDF file"):
        validate(tmp_path / "nope.ttl")
    odd = tmp_path / "data.unknownext"
    odd.write_text("")
    with pytest.raises(ValueError, match="cannot tell the RDF format"):
        validate(odd)
    with pytest.raises(TypeError, match="validate\\(\\) takes"):
        validate(42)


def test_empty_report_object():
    report = ValidationReport()
    assert report.conforms and len(report) == 0 and report.summary() == "conforms: no violations"
