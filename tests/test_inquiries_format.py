"""The named inquiries as files: the ``#+`` header (YAML, checked against a schema), the catalogue, and
parameter binding by declared type. Every bundled ``.rq`` file is a test case here: it parses,
each declared parameter is a projected variable of its query, and its ``values_from`` works."""

import datetime as dt

import jsonschema
import pyoxigraph as ox
import pytest
import yaml

from hlsgraph.errors import UnknownInquiryError, UnknownParameterError
from hlsgraph.inquiries import (
    HEADER_SCHEMA,
    PARAMETER_TYPES,
    Inquiry,
    InquiryFormatError,
    InquiryParameterError,
    Parameter,
    bind_parameters,
    catalogue_frame,
    describe_parameter,
    get_inquiry,
    load_inquiries,
    parameters_frame,
    parse_inquiry,
)
from hlsgraph.labels import LabelIndex
from hlsgraph.namespaces import PREFIXES, sparql_prologue
from hlsgraph.resources import queries_dir
from hlsgraph.store.terms import bind_values

# DESIGN.md, "Named inquiries the library ships": one file each.
EXPECTED = {
    "stories-by-concept",
    "evidence-gap-map",
    "compare-places",
    "measures-by-perspective",
    "trust-based-funding",
    "case-study-profile",
    "change-journey",
    "enablers-and-barriers",
    "system-behaviour-evidence",
    "actors-and-relationships",
    "provenance",
    "principles-by-place",
    "self-assessment-over-time",
    "outcomes-by-place",
    "evidence-mix",
    "concept-co-occurrence",
    "keyword-search",
    # issue 13: grants data in the 360Giving standard
    "grants-by-place",
    "funder-profile",
    # Issue #14: the places with their codes, kinds and parents.
    "places",
}

INQUIRIES = load_inquiries()
FILES = sorted(queries_dir().glob("*.rq"))


def test_every_design_inquiry_ships_and_nothing_else():
    assert set(INQUIRIES) == EXPECTED
    assert {p.stem for p in FILES} == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_query_parses_on_its_own(path):
    """Each file declares its prefixes, so it runs as is in any SPARQL tool."""
    inquiry = INQUIRIES[path.stem]
    result = ox.Store().query(inquiry.query)
    assert isinstance(result, ox.QuerySolutions)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_parameters_are_projected_variables(path):
    """pyoxigraph's substitutions need every bound variable in the projection, and a parameter
    that is not a variable of the query would silently do nothing."""
    inquiry = INQUIRIES[path.stem]
    projected = {v.value for v in ox.Store().query(inquiry.query).variables}
    for parameter in inquiry.parameters:
        assert parameter.name in projected, f"{path.name}: parameter {parameter.name} is not projected"
        assert f"?{parameter.name}" in inquiry.query


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_optional_parameters_are_tested_with_bound(path):
    """Parameters are bound as text (hlsgraph.inquiries.bound_query), so BOUND() sees them on
    every engine; the COALESCE idiom that stood in for it answers wrongly on Virtuoso."""
    text = INQUIRIES[path.stem].query.replace(" ", "")
    for parameter in INQUIRIES[path.stem].parameters:
        assert f'COALESCE(?{parameter.name},"")' not in text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_header_is_complete(path):
    inquiry = INQUIRIES[path.stem]
    assert inquiry.title and inquiry.description and inquiry.tags
    assert inquiry.path == path
    for parameter in inquiry.parameters:
        assert parameter.type in PARAMETER_TYPES
        assert parameter.description, f"{path.name}: {parameter.name} has no description"


@pytest.mark.parametrize(
    "parameter",
    [p for inq in INQUIRIES.values() for p in inq.parameters if p.values_from],
    ids=lambda p: p.name,
)
def test_values_from_is_a_class_or_a_value_label_query(parameter):
    source = parameter.values_from
    if source.lstrip().upper().startswith("SELECT"):
        result = ox.Store().query(sparql_prologue() + source)
        assert [v.value for v in result.variables] == ["value", "label"]
    else:
        assert parameter.kind is not None and parameter.kind.startswith("http")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_values_binding_keeps_the_query_valid(path):
    """The VALUES form (for remote endpoints) of every inquiry parses, with every parameter bound."""
    inquiry = INQUIRIES[path.stem]
    sample = {
        "iri": ox.NamedNode("https://w3id.org/hls/id/x"),
        "concept": ox.NamedNode("https://w3id.org/hls/concept/x"),
        "place": ox.NamedNode("https://w3id.org/hls/id/place-x"),
        "organisation": ox.NamedNode("https://w3id.org/hls/id/org-x"),
        "class": ox.NamedNode("https://w3id.org/hls/Story"),
        "string": ox.Literal('a "b" } #'),
        "date": ox.Literal("2020-01-01", datatype=ox.NamedNode(PREFIXES["xsd"] + "date")),
        "integer": ox.Literal(1),
        "decimal": ox.Literal("1.5", datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal")),
        "boolean": ox.Literal(True),
    }
    bindings = {p.name: sample[p.type] for p in inquiry.parameters}
    text = bind_values(inquiry.query, bindings)
    assert list(ox.Store().query(text)) == []


# ------------------------------------------------------------------ the parser

GOOD = """#+ summary: Stories in a place
#+ description: Stories set in a place,
#+   continued on a second line.
#+ tags: [stories, "places, towns"]
#+ params:
#+   - place: {type: place, required: true, description: "where: the place"}
#+   - limit: {type: integer, default: 10, description: how many}
#+   - kind: {type: class, values_from: "hls:Story"}
PREFIX hls: <https://w3id.org/hls/>
SELECT ?story ?place ?limit ?kind WHERE { ?story hls:place ?place }
"""


def test_parse_a_full_header():
    inquiry = parse_inquiry(GOOD, "queries/stories-in-a-place.rq")
    assert inquiry.name == "stories-in-a-place"
    assert inquiry.title == "Stories in a place"
    assert inquiry.description == "Stories set in a place, continued on a second line."
    assert inquiry.tags == ("stories", "places, towns")
    place, limit, kind = inquiry.parameters
    assert (place.name, place.type, place.required, place.description) == (
        "place",
        "place",
        True,
        "where: the place",
    )
    assert place.values_from == "hls:Place"  # a resource type's class is its default source of values
    assert (limit.type, limit.default, limit.required, limit.values_from) == ("integer", "10", False, None)
    assert kind.kind == "https://w3id.org/hls/Story"
    assert inquiry.query.startswith("PREFIX hls:")


PARAMS = "#+ summary: x\n#+ description: y\n#+ params:\n"


def _bad(text: str, line: int, *fragments: str):
    with pytest.raises(InquiryFormatError) as caught:
        parse_inquiry(text, "queries/broken.rq")
    message = str(caught.value)
    assert message.startswith(f"queries/broken.rq, line {line}:"), message
    for fragment in fragments:
        assert fragment in message, message
    assert caught.value.lineno == line and caught.value.filename == "queries/broken.rq"
    assert isinstance(caught.value, SyntaxError)


def test_unknown_header_key_names_file_line_and_choices():
    _bad(
        "#+ summary: x\n#+ descripton: y\nSELECT * {}",
        2,
        "unknown header key 'descripton'",
        "did you mean 'description'",
    )


def test_unknown_parameter_type():
    text = "#+ summary: x\n#+ description: y\n#+ params:\n#+   - p: {type: concpet}\nSELECT ?p {}"
    _bad(text, 4, "unknown type 'concpet'", "'concept'")


def test_unknown_parameter_field():
    text = "#+ summary: x\n#+ description: y\n#+ params:\n#+   - p: {type: iri, deflt: 3}\nSELECT ?p {}"
    _bad(text, 4, "unknown field 'deflt'", "'default'")


def test_parameter_without_braces():
    _bad("#+ summary: x\n#+ description: y\n#+ params:\n#+   - p: iri\nSELECT ?p {}", 4, "in braces")


def test_unterminated_quote():
    _bad(
        PARAMS + '#+   - p: {type: iri, description: "open}\nSELECT ?p {}',
        4,
        "not valid YAML",
        "quoted scalar",
        "not closed",
    )


def test_required_with_default_is_contradictory():
    _bad(
        PARAMS + "#+   - p: {type: iri, required: true, default: hls:x}\nSELECT ?p {}",
        4,
        "cannot have a default",
    )


def test_default_must_read_as_its_type():
    _bad(
        "#+ summary: x\n#+ description: y\n#+ params:\n#+   - n: {type: integer, default: ten}\nSELECT ?n {}",
        4,
        "whole number",
    )


def test_header_lines_after_the_query_are_rejected():
    _bad("#+ summary: x\n#+ description: y\nSELECT * {}\n#+ tags: [late]", 4, "before the query")


def test_missing_summary():
    _bad("#+ description: y\nSELECT * {}", 1, "lacks 'summary:'")


def test_missing_space_after_marker():
    _bad("#+summary: x\nSELECT * {}", 1, "space after '#+'")


def test_duplicate_parameter():
    text = PARAMS + "#+   - p: {type: iri}\n#+   - p: {type: iri}\nSELECT ?p {}"
    _bad(text, 5, "declared twice")


def test_a_colon_in_a_plain_value_is_not_yaml_and_the_error_says_to_quote():
    _bad(
        "#+ summary: Gap map: by place\n#+ description: y\nSELECT * {}", 1, "not valid YAML", "quote a value"
    )


def test_a_key_given_twice_is_an_error_not_the_last_one_winning():
    _bad("#+ summary: x\n#+ description: y\n#+ summary: z\nSELECT * {}", 3, "'summary' given twice")


def test_values_yaml_reads_as_other_types_must_be_quoted():
    _bad("#+ summary: yes\n#+ description: y\nSELECT * {}", 1, "'summary' must be text, not true; quote it")
    text = PARAMS + "#+   - d: {type: date, default: 2020-01-01}\nSELECT ?d {}"
    _bad(text, 4, "default must be text", "quote it")
    text = (
        "#+ summary: x\n#+ description: y\n#+ params:\n#+   - d: {type: iri, required: maybe}\nSELECT ?d {}"
    )
    _bad(text, 4, "'required' must be true or false, not 'maybe'")


def test_any_yaml_layout_of_the_same_header_reads_the_same():
    """The header is YAML, not a line format: block style gives what flow style gives, and the
    line of a problem is the line of the offending key."""
    block = """#+ summary: Stories in a place
#+ description: >-
#+   Stories set in a place,
#+   continued on a second line.
#+ tags:
#+   - stories
#+   - places, towns
#+ params:
#+   - place:
#+       type: place
#+       required: true
#+       description: "where: the place"
#+   - limit: {type: integer, default: 10, description: how many}
#+   - kind: {type: class, values_from: "hls:Story"}
PREFIX hls: <https://w3id.org/hls/>
SELECT ?story ?place ?limit ?kind WHERE { ?story hls:place ?place }
"""
    assert parse_inquiry(block, "q.rq") == parse_inquiry(GOOD, "q.rq")
    _bad(block.replace("       type: place", "       type: plase"), 10, "unknown type 'plase'", "'place'")
    _bad(block.replace("       required: true", "       requird: true"), 11, "unknown field 'requird'")


def _header_yaml(path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line[3:] for line in lines if line.startswith("#+"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_header_is_yaml_that_meets_the_schema(path):
    """Checked by PyYAML's safe_load and the jsonschema reference validator, not by hlsgraph."""
    jsonschema.validate(yaml.safe_load(_header_yaml(path)), HEADER_SCHEMA)


@pytest.mark.parametrize(
    "header",
    [
        "summary: x",
        "summary: x\ndescription: y\ntags: stories",
        "summary: x\ndescription: y\nauthor: me",
        "summary: x\ndescription: y\nparams:\n  - p: {type: text}",
        "summary: x\ndescription: y\nparams:\n  - p: {type: iri, deflt: 3}",
        "summary: x\ndescription: y\nparams:\n  - p: iri",
        "summary: x\ndescription: y\nparams:\n  - p: {required: true}",
        "summary: x\ndescription: y\nparams:\n  - p: {type: iri, required: maybe}",
        "summary: x\ndescription: y\nparams:\n  - 2p: {type: iri}",
        "summary: 3\ndescription: y",
    ],
)
def test_the_schema_and_the_reader_reject_the_same_headers(header):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(header), HEADER_SCHEMA)
    text = "".join(f"#+ {line}\n" for line in header.split("\n")) + "SELECT ?p {}\n"
    with pytest.raises(InquiryFormatError):
        parse_inquiry(text, "queries/broken.rq")


def test_load_inquiries_reports_the_bad_file(tmp_path):
    (tmp_path / "fine.rq").write_text("#+ summary: x\n#+ description: y\nSELECT * {}\n")
    (tmp_path / "bad.rq").write_text("#+ summary: x\n#+ description: y\n#+ tags: stories\nSELECT * {}\n")
    with pytest.raises(InquiryFormatError, match=r"bad\.rq, line 3: expected a list in brackets"):
        load_inquiries(tmp_path)


# ------------------------------------------------------------------ catalogue and look-up


def test_catalogue_frame_lists_every_inquiry_with_parameters():
    frame = catalogue_frame(INQUIRIES)
    assert list(frame.columns) == ["name", "title", "description", "tags", "parameters"]
    assert sorted(frame["name"]) == sorted(EXPECTED)
    row = frame.set_index("name").loc["stories-by-concept"]
    assert row["parameters"] == (
        "concept: concept, required, from skos:Concept; place: place, optional, from hls:Place; "
        "basis: string, optional, from a query"
    )
    assert "stories" in row["tags"]
    gap = frame.set_index("name").loc["evidence-gap-map", "parameters"]
    assert "default hlsc:hls-features" in gap


def test_parameters_frame_has_one_row_per_parameter():
    frame = parameters_frame(INQUIRIES)
    assert len(frame) == sum(len(i.parameters) for i in INQUIRIES.values())
    row = frame[(frame["inquiry"] == "keyword-search") & (frame["parameter"] == "keyword")].iloc[0]
    assert row["type"] == "string" and bool(row["required"]) is True


def test_unknown_inquiry_suggests_the_nearest():
    with pytest.raises(UnknownInquiryError) as caught:
        get_inquiry(INQUIRIES, "storys-by-concept")
    assert str(caught.value) == (
        "no inquiry named 'storys-by-concept'; did you mean 'stories-by-concept'? See kb.inquiries()"
    )
    assert isinstance(caught.value, KeyError)


def test_unknown_inquiry_with_nothing_close_lists_them_all():
    with pytest.raises(UnknownInquiryError, match="the inquiries are .*keyword-search"):
        get_inquiry(INQUIRIES, "zzz")


# ------------------------------------------------------------------ binding

INDEX = LabelIndex(
    labels=[
        ("https://w3id.org/hls/concept/strengths", PREFIXES["skos"] + "prefLabel", "Strengths"),
        ("https://w3id.org/hls/id/place-plymouth", PREFIXES["rdfs"] + "label", "Plymouth"),
        ("https://w3id.org/hls/id/org-plymouth", PREFIXES["rdfs"] + "label", "Plymouth"),
    ],
    types=[
        ("https://w3id.org/hls/concept/strengths", "https://w3id.org/hls/HLSFeature"),
        ("https://w3id.org/hls/id/place-plymouth", "https://w3id.org/hls/Place"),
        ("https://w3id.org/hls/id/org-plymouth", "https://w3id.org/hls/Alliance"),
    ],
    subclasses=[
        ("https://w3id.org/hls/HLSFeature", PREFIXES["skos"] + "Concept"),
        ("https://w3id.org/hls/Alliance", "https://w3id.org/hls/Organisation"),
    ],
)

STORIES = INQUIRIES["stories-by-concept"]


def test_bind_labels_by_the_parameter_kind():
    """'Plymouth' names a place and an organisation; the parameter's type picks the place."""
    bound = bind_parameters(STORIES, {"concept": "strengths", "place": "Plymouth"}, INDEX)
    assert bound == {
        "concept": ox.NamedNode("https://w3id.org/hls/concept/strengths"),
        "place": ox.NamedNode("https://w3id.org/hls/id/place-plymouth"),
    }


def test_bind_iris_and_prefixed_names():
    bound = bind_parameters(
        STORIES, {"concept": "hlsc:trust", "place": "<https://w3id.org/hls/id/place-x>"}, INDEX
    )
    assert bound["concept"] == ox.NamedNode("https://w3id.org/hls/concept/trust")
    assert bound["place"] == ox.NamedNode("https://w3id.org/hls/id/place-x")
    bound = bind_parameters(STORIES, {"concept": ox.NamedNode("http://example.org/c")}, INDEX)
    assert bound == {"concept": ox.NamedNode("http://example.org/c")}


def test_optional_parameters_left_out_stay_unbound_and_defaults_apply():
    assert set(bind_parameters(STORIES, {"concept": "hlsc:trust"}, INDEX)) == {"concept"}
    gap = bind_parameters(INQUIRIES["evidence-gap-map"], {}, INDEX)
    assert gap == {"scheme": ox.NamedNode("https://w3id.org/hls/concept/hls-features")}


def test_missing_required_parameter():
    with pytest.raises(InquiryParameterError, match="inquiry 'stories-by-concept' needs parameter 'concept'"):
        bind_parameters(STORIES, {}, INDEX)
    with pytest.raises(InquiryParameterError, match="needs a value"):
        bind_parameters(INQUIRIES["keyword-search"], {"keyword": "  "}, INDEX)


def test_unknown_parameter_names_the_valid_ones():
    with pytest.raises(UnknownParameterError) as caught:
        bind_parameters(STORIES, {"concpet": "Strengths"}, INDEX)
    message = str(caught.value)
    assert "inquiry 'stories-by-concept' has no parameter 'concpet'" in message
    assert "did you mean 'concept'" in message and "Its parameters: concept, place, basis." in message


LITERALS = Inquiry(
    "typed",
    "Typed",
    "",
    (),
    (
        Parameter("n", "integer"),
        Parameter("x", "decimal"),
        Parameter("d", "date"),
        Parameter("b", "boolean"),
        Parameter("s", "string"),
    ),
    "SELECT ?n ?x ?d ?b ?s WHERE {}",
)


def test_literals_are_typed_by_xsd():
    bound = bind_parameters(
        LITERALS, {"n": "42", "x": "80000000.50", "d": dt.date(2019, 3, 1), "b": "false", "s": "Jacob"}, None
    )
    xsd = PREFIXES["xsd"]
    assert (bound["n"].value, bound["n"].datatype.value) == ("42", xsd + "integer")
    assert (bound["x"].value, bound["x"].datatype.value) == ("80000000.50", xsd + "decimal")
    assert (bound["d"].value, bound["d"].datatype.value) == ("2019-03-01", xsd + "date")
    assert (bound["b"].value, bound["b"].datatype.value) == ("false", xsd + "boolean")
    assert (bound["s"].value, bound["s"].datatype.value) == ("Jacob", xsd + "string")
    assert bind_parameters(LITERALS, {"n": 7, "d": "2020-02-29"}, None)["d"].value == "2020-02-29"


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("n", "4.5", "whole number"),
        ("n", True, "whole number"),
        ("x", "lots", "a number"),
        ("x", "nan", "finite"),
        ("d", "2019-02-30", "YYYY-MM-DD"),
        ("d", "March 2019", "YYYY-MM-DD"),
        ("b", "maybe", "true or false"),
        ("s", 3, "expected text"),
    ],
)
def test_bad_literal_values(name, value, expected):
    with pytest.raises(InquiryParameterError) as caught:
        bind_parameters(LITERALS, {name: value}, None)
    assert f"inquiry 'typed', parameter '{name}'" in str(caught.value)
    assert expected in str(caught.value)


def test_a_label_without_a_resolver_is_an_error():
    with pytest.raises(InquiryParameterError, match="no label index"):
        bind_parameters(STORIES, {"concept": "Strengths"}, None)


def test_values_binding_escapes_terms():
    """The one binder (hlsgraph.store.terms.bind_values) of the VALUES form, as inquiries use it."""
    query = bind_values("SELECT ?k WHERE { ?s ?p ?k }", {"keyword": ox.Literal('x" } ; DROP ALL #\n')})
    assert query == 'SELECT ?k WHERE { VALUES (?keyword) { ("x\\" } ; DROP ALL #\\n") } ?s ?p ?k }'
    query = bind_values(
        "PREFIX hls: <https://w3id.org/hls/>\n# a { comment\nSELECT ?k WHERE { ?s ?p ?k }",
        {"k": ox.Literal("}")},
    )
    assert query.endswith('SELECT ?k WHERE { VALUES (?k) { ("}") } ?s ?p ?k }')
    with pytest.raises(ValueError, match="not a SPARQL variable"):
        bind_values("SELECT * { ?s ?p ?o }", {"a b": ox.Literal("x")})


# --- list-valued parameters and the pivot post-step (issue #14: compare any number of places) ----

LIST_HEADER = (
    "#+ summary: x\n#+ description: y\n#+ params:\n"
    "#+   - places: {type: place, required: true, multiple: true, min_values: 2}\n"
    "#+ pivot: {columns: places, label: placeLabel, values: n, fill: 0}\n"
    "SELECT ?places ?placeLabel ?n WHERE { ?places ?p ?n }"
)


def test_a_list_valued_parameter_and_a_pivot_are_read_from_the_header():
    inquiry = parse_inquiry(LIST_HEADER, "compare.rq")
    (places,) = inquiry.parameters
    assert places.multiple and places.min_values == 2
    assert inquiry.pivot == {"columns": "places", "label": "placeLabel", "values": "n", "fill": "0"}
    assert "places: list of place (at least 2), required" in describe_parameter(places)


@pytest.mark.parametrize(
    "field, fragment",
    [
        ("multiple: 2", "'multiple' must be true or false, not 2"),
        ("min_values: 2", "only a list-valued parameter (multiple: true) takes more than one"),
        ("multiple: true, min_values: 0", "'min_values' must be a whole number of at least 1"),
    ],
)
def test_bad_list_fields_are_errors_on_their_line(field, fragment):
    text = f"#+ summary: x\n#+ description: y\n#+ params:\n#+   - p: {{type: iri, {field}}}\nSELECT ?p {{}}"
    _bad(text, 4, fragment)


def test_bad_pivots_are_errors_on_their_line():
    _bad(
        "#+ summary: x\n#+ description: y\n#+ pivot: {columns: p, valus: n}\nSELECT ?p {}",
        3,
        "pivot: unknown field 'valus'",
        "'values'",
    )
    _bad(
        "#+ summary: x\n#+ description: y\n#+ pivot: {columns: p}\nSELECT ?p {}", 3, "pivot: needs 'values:'"
    )


def test_a_list_is_bound_as_terms_in_order_without_repeats():
    inquiry = parse_inquiry(LIST_HEADER, "compare.rq")
    bound = bind_parameters(inquiry, {"places": ["hlsd:place-b", "hlsd:place-a", "hlsd:place-b"]}, None)
    assert [t.value.rsplit("-", 1)[1] for t in bound["places"]] == ["b", "a"]
    typed = bind_parameters(inquiry, {"places": "hlsd:place-a; hlsd:place-c"}, None)
    assert len(typed["places"]) == 2
    with pytest.raises(InquiryParameterError, match="needs at least 2 different values, not 1"):
        bind_parameters(inquiry, {"places": ["hlsd:place-a"]}, None)
