"""Syntax errors as people read them: the location said once, what was wrong in words (an
unknown prefix named with the prefixes one may use), the line with a caret under the offending
token, in kb.select, in a query file, in an inquiry's .rq and for RDF data (RDF/XML included)."""

import pytest

import hlsgraph
from hlsgraph.errors import QuerySyntaxError, RDFSyntaxError


def caret_under(message: str, token: str) -> bool:
    """Whether the excerpt in ``message`` has carets exactly under ``token``."""
    lines = message.split("\n")
    for text, marks in zip(lines, lines[1:], strict=False):
        at = text.find(token)
        if at >= 0 and marks.strip() == "^" * len(token) and marks.index("^") == at:
            return True
    return False


def test_an_unknown_prefix_is_named_with_the_prefixes_one_may_use(kb):
    query = "PREFIX ex: <https://example.org/>\nSELECT ?s\nWHERE { ?s a foo:Story }"
    with pytest.raises(QuerySyntaxError) as info:
        kb.select(query)
    text = str(info.value)
    assert "unknown prefix 'foo:' in foo:Story" in text
    assert "declare it with PREFIX foo: <...>" in text and "ex:, hls:, hlsc:" in text
    assert "expected one of" not in text and "\\u{" not in text  # none of the engine's grammar
    assert caret_under(text, "foo:Story")
    assert info.value.lineno == 3 and info.value.offset == 14  # where the token starts
    # The location is said once (SyntaxError would add "(<query>, line 3)" again).
    assert text.count("line 3") == 1 and "(<query>" not in text


def test_a_near_prefix_is_suggested(kb):
    with pytest.raises(QuerySyntaxError, match=r"unknown prefix 'hlcs:' in hlcs:trust; did you mean"):
        kb.select("SELECT ?s WHERE { ?s hls:illustrates hlcs:trust }")


def test_an_unknown_word_is_pointed_at_even_where_the_engine_stops_later(kb):
    with pytest.raises(QuerySyntaxError) as info:
        kb.select("SELECT ?s WHERE { ?s ?p ?o } LIMT 3")
    text = str(info.value)
    assert "unknown word 'LIMT'; did you mean 'LIMIT'?" in text and caret_under(text, "LIMT")
    with pytest.raises(QuerySyntaxError, match=r"not 'SELEC'; did you mean 'SELECT'\?"):
        kb.select("SELEC ?s WHERE { ?s ?p ?o }")


def test_expected_tokens_are_listed_in_words(kb):
    with pytest.raises(QuerySyntaxError) as info:
        kb.select("SELECT ?s WHERE {\n  ?s ?p ?o ")
    text = str(info.value)
    assert "expected one of ',', '.', ';'" in text and "'}'" in text and "at the end of the query" in text
    assert "[_]" not in text
    with pytest.raises(QuerySyntaxError, match="expected an expression"):
        kb.select("SELECT ?s WHERE { ?s ?p ?o . FILTER(?o > ) }")


def test_an_inquiry_file_is_named_with_its_own_line(tmp_path):
    from hlsgraph.inquiries import load_inquiries

    rq = tmp_path / "broken.rq"
    rq.write_text(
        "#+ summary: Broken\n#+ description: A prefix nobody declared.\n\n"
        "SELECT ?s WHERE {\n  ?s a nope:Story\n}\n"
    )
    kb = hlsgraph.open()
    kb._inquiries = load_inquiries(tmp_path)
    with pytest.raises(QuerySyntaxError) as info:
        kb.inquire("broken")
    text = str(info.value)
    assert text.startswith(f"SPARQL syntax error in {rq}, line 5, column 8: unknown prefix 'nope:'")
    assert caret_under(text, "nope:Story") and text.count("line 5") == 1


def test_turtle_errors_say_the_location_once_with_the_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c ;\n  x:d .\n")
    kb = hlsgraph.open()
    with pytest.raises(RDFSyntaxError) as info:
        kb.load(bad)
    text = str(info.value)
    assert text.startswith(f"{bad}, line 3, column 7: ") and "nothing was loaded" in text
    assert text.count("line 3") == 1 and "Parser error" not in text
    assert "\n      x:d .\n" in text and text.rstrip().endswith("^")


def test_rdf_xml_errors_carry_a_position(tmp_path):
    kb = hlsgraph.open()
    before = len(kb)
    cases = {
        # ill-formed XML: where the tags stop matching
        "mismatch.rdf": (
            "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
            "  <rdf:Description rdf:about='http://x/a'>\n  </rdf:Descr>\n</rdf:RDF>\n",
            4,
        ),
        # an element in no namespace
        "nonamespace.rdf": (
            "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
            "  <rdf:Description rdf:about='http://x/a'>\n    <title>A</title>\n"
            "  </rdf:Description>\n</rdf:RDF>\n",
            4,
        ),
        # a relative IRI with no base
        "relative.rdf": (
            "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'\n"
            "         xmlns:e='http://e/'>\n"
            "  <rdf:Description rdf:about='#a'><e:p>1</e:p></rdf:Description>\n"
            "</rdf:RDF>\n",
            4,
        ),
    }
    for name, (text, line) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(RDFSyntaxError) as info:
            kb.load(path)
        assert info.value.lineno == line, (name, str(info.value))
        assert f"{path}, line {line}, column " in str(info.value)
        assert info.value.text in text
    assert "relative IRI" in str(info.value) and "base_iri=" in str(info.value)
    assert len(kb) == before
