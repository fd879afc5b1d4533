"""Parameter values that are not text a store can hold: a lone surrogate (from bytes decoded
with errors="surrogateescape", as Python decodes a command line it cannot read) is named with
its position, in kb.inquire, kb.select and the CLI, instead of pyoxigraph's "must be a str"."""

import pytest

from hlsgraph.cli import main
from hlsgraph.errors import InquiryParameterError

LONE = "tr\ud800ust"


def test_inquire_names_the_lone_surrogate(kb):
    with pytest.raises(InquiryParameterError) as info:
        kb.inquire("keyword-search", keyword=LONE)
    text = str(info.value)
    assert "parameter 'keyword'" in text and "lone surrogate (U+D800, character 3)" in text
    assert "must be a str" not in text
    with pytest.raises(InquiryParameterError, match="lone surrogate"):
        kb.inquire("stories-by-concept", concept=LONE)  # before it is looked up as a label


def test_select_names_the_lone_surrogate(kb):
    with pytest.raises(InquiryParameterError, match=r"lone surrogate \(U\+DC80, character 2\)"):
        kb.select("SELECT ?x WHERE { BIND(?y AS ?x) }", y="a\udc80")


def test_the_cli_says_so_too(capsys):
    # What Python makes of the byte 0xFF in a UTF-8 command line.
    code = main(["inquire", "keyword-search", "-p", "keyword=caf\udcff"])
    _, err = capsys.readouterr()
    assert code == 2 and "lone surrogate (U+DCFF, character 4)" in err and "decode the input as UTF-8" in err
