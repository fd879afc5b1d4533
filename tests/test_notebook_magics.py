"""The %%sparql and %inquire magics, run through a real IPython shell: what they store, which
knowledge base they use, and their messages for bad input."""

import pandas as pd
import pytest
from IPython.testing.globalipapp import get_ipython

import hlsgraph
from hlsgraph.kb import KnowledgeBase

PLACES = "SELECT ?place ?label WHERE { ?place a hls:Place ; rdfs:label ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def shell():
    ip = get_ipython()
    ip.run_line_magic("load_ext", "hlsgraph")
    return ip


@pytest.fixture
def ns(shell):
    """A clean namespace for each test (no knowledge base left over)."""
    for name in [n for n, v in shell.user_ns.items() if isinstance(v, KnowledgeBase) or n in ("df", "kb")]:
        shell.user_ns.pop(name)
    yield shell.user_ns
    for name in [n for n, v in shell.user_ns.items() if isinstance(v, KnowledgeBase)]:
        shell.user_ns.pop(name)


@pytest.fixture(scope="module")
def base():
    return hlsgraph.open()


def run(shell, text):
    return shell.run_cell(text)


def test_sparql_stores_the_answer_and_opens_the_bundled_base_once(shell, ns, base):
    result = run(shell, f"%%sparql -o df\n{PLACES}")
    assert result.success
    expected = base.select(PLACES)
    pd.testing.assert_frame_equal(ns["df"], expected, check_like=False)
    assert "Plymouth" in ns["df"]["label"].tolist()
    assert isinstance(result.result, pd.DataFrame)  # shown as the cell's table
    opened = ns["kb"]
    assert isinstance(opened, KnowledgeBase)
    run(shell, f"%%sparql -o again\n{PLACES}")
    assert ns["kb"] is opened  # not opened a second time


def test_the_kb_variable_is_used(shell, ns):
    mine = hlsgraph.open()
    mine.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        hlsd:place-testville a hls:Place ; rdfs:label "Testville" .""",
        format="turtle",
    )
    ns["kb"] = mine
    run(shell, f"%%sparql -o df -q\n{PLACES}")
    assert "Testville" in ns["df"]["label"].tolist()


def test_the_only_knowledge_base_in_the_namespace_is_found_and_several_need_a_choice(shell, ns):
    mine = hlsgraph.open()
    mine.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        hlsd:place-onlyville a hls:Place ; rdfs:label "Onlyville" .""",
        format="turtle",
    )
    ns["research"] = mine
    run(shell, f"%%sparql -o df -q\n{PLACES}")
    assert "Onlyville" in ns["df"]["label"].tolist()
    assert "kb" not in ns
    ns["other"] = hlsgraph.open()
    result = run(shell, f"%%sparql -o df -q\n{PLACES}")
    assert not result.success
    assert "several knowledge bases in this notebook (other, research); pick one with --kb NAME" in str(
        result.error_in_exec
    )
    run(shell, f"%%sparql --kb other -o df -q\n{PLACES}")
    assert "Onlyville" not in ns["df"]["label"].tolist()


def test_store_option_opens_a_store_on_disk(shell, ns, tmp_path):
    where = tmp_path / "store"
    result = run(shell, f"%%sparql --store {where} -o df -q\n{PLACES}")
    assert result.success, result.error_in_exec
    assert where.is_dir()
    assert "Gateshead" in ns["df"]["label"].tolist()
    assert "kb" not in ns  # --store does not bind kb


def test_quiet_shows_nothing_and_line_form_keeps_quotes(shell, ns):
    result = run(shell, "%%sparql -q -o df\nSELECT ?x WHERE { BIND(1 AS ?x) }")
    assert result.result is None and ns["df"]["x"].tolist() == [1]
    run(shell, '%sparql -o df SELECT ?x WHERE { BIND("two words" AS ?x) }')
    assert ns["df"]["x"].tolist() == ["two words"]


def test_sparql_parameters_bind_as_terms(shell, ns, base):
    run(
        shell, "%%sparql -o df -q place=hlsd:place-plymouth\nSELECT ?label WHERE { ?place rdfs:label ?label }"
    )
    assert ns["df"]["label"].tolist() == ["Plymouth"]
    run(shell, "%%sparql -o df -q n=3\nSELECT ?twice WHERE { BIND(?n * 2 AS ?twice) }")
    assert ns["df"]["twice"].tolist() == [6]


def test_inquire_runs_a_named_inquiry_with_parameters(shell, ns, base):
    result = run(shell, '%inquire stories-by-concept concept=hlsc:trust place="North East England" -o df')
    assert result.success, result.error_in_exec
    expected = base.inquire("stories-by-concept", concept="hlsc:trust", place="North East England")
    assert sorted(ns["df"]["title"]) == sorted(expected["title"])
    assert len(ns["df"]) > 0
    assert ns["df"].attrs["inquiry"] == "stories-by-concept"


def test_clear_messages_for_bad_input(shell, ns):
    result = run(shell, "%inquire storys-by-concept")
    assert "did you mean 'stories-by-concept'" in str(result.error_in_exec)
    result = run(shell, "%inquire stories-by-concept concept")
    assert "cannot read parameter 'concept': expected key=value" in str(result.error_in_exec)
    result = run(shell, "%%sparql\nSELECT ?x WHERE { ?x ?y }")
    assert not result.success and str(result.error_in_exec).startswith("%%sparql:")
    result = run(shell, "%%sparql\n   \n")
    assert "the cell holds no query" in str(result.error_in_exec)
    result = run(shell, f"%%sparql --kb nothere\n{PLACES}")
    assert "no variable 'nothere'" in str(result.error_in_exec)
    result = run(shell, f"%%sparql -o 2bad\n{PLACES}")
    assert "not a valid Python variable name" in str(result.error_in_exec)
    ns["kb"] = 42
    result = run(shell, f"%%sparql\n{PLACES}")
    assert "holds a int, not a knowledge base" in str(result.error_in_exec)


def test_a_syntax_error_names_the_cell_and_its_line(shell, ns):
    cell = shell.execution_count  # the number the notebook shows as In [n]
    result = shell.run_cell("%%sparql\n# my query\nSELECT ?s\nWHERE { ?s a foo:Story }", store_history=True)
    text = str(result.error_in_exec)
    # Line 4 of the cell as the notebook shows it (the magic's own line is line 1).
    assert f"SPARQL syntax error in cell [{cell}], line 4, column 14: unknown prefix 'foo:'" in text
    assert "<query>" not in text and text.count("line 4") == 1
    assert "\n    WHERE { ?s a foo:Story }\n                 ^^^^^^^^^" in text


def test_inquire_takes_quotes_off_once(shell, ns):
    # The line is split as a shell splits it; quotes that are left belong to the value.
    run(shell, "%inquire keyword-search keyword='\"trust\"' -o df -q")
    assert ns["df"].attrs["parameters"]["keyword"] == '"\\"trust\\""'
    run(shell, '%inquire keyword-search keyword="relational practice" -o df -q')
    assert ns["df"].attrs["parameters"]["keyword"] == '"relational practice"'
