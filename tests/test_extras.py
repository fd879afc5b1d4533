"""The core install and its extras: querying, importing, validating and exporting need none of
the optional packages; using an optional part without its extra says which extra to install;
and an hlsgraph error shows in IPython as one line, not a traceback into hlsgraph."""

import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL = ("ipywidgets", "matplotlib", "networkx", "owlready2", "oxigraph")

# Run in a fresh interpreter in which the optional packages cannot be imported, as in an
# environment where `pip install hlsgraph` left them out.
BLOCKER = textwrap.dedent(
    f"""
    import importlib.abc, sys
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {OPTIONAL!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
    sys.meta_path.insert(0, Block())
    """
)


def run_without_extras(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = BLOCKER + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)


def test_the_core_dependencies_leave_the_optional_parts_to_extras():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {re.split(r"[<>=!\[ ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert "pyoxigraph" in core
    for name in OPTIONAL:
        assert name not in core, f"{name} is a core dependency"
    extras = project["optional-dependencies"]
    assert any("ipywidgets" in d for d in extras["notebook"])
    assert any("owlready2" in d for d in extras["reasoner"])
    assert any("oxigraph" in d for d in extras["server"])
    assert extras["all"] == ["hlsgraph[notebook,reasoner,server]"]


def test_query_import_validate_and_export_work_without_any_extra(tmp_path):
    fixture = tmp_path / "stories.csv"
    fixture.write_text(
        "id,title,summary,date,place,concepts,access_level\n"
        "s-1,A neighbour's help,Someone was helped by a neighbour.,2024-04-03,Plymouth,Trust,public\n"
    )
    result = run_without_extras(
        f"""
        import hlsgraph
        kb = hlsgraph.open()
        assert len(kb.inquire("stories-by-concept", concept="Trust")) > 0
        assert kb.select("SELECT ?s WHERE {{ ?s a hls:Story }}").shape[0] > 0
        report = kb.import_table({str(fixture)!r}, "stories")
        assert report.ok, report.summary()
        assert kb.validate().conforms
        assert "hlsd:" in kb.export(format="turtle")
        for name in {OPTIONAL!r}:
            assert name not in sys.modules, name
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("code", "extra"),
    [
        ("from hlsgraph.notebook import widgets", "notebook"),
        ("from hlsgraph.notebook import plots", "notebook"),
        ("from hlsgraph.vocabulary.reference import model_diagram; model_diagram('m.svg')", "notebook"),
        ("from hlsgraph.vocabulary.checks import check_consistency; check_consistency()", "reasoner"),
    ],
)
def test_an_optional_part_without_its_extra_names_the_extra(tmp_path, code, extra):
    result = run_without_extras(
        f"""
        from hlsgraph.errors import MissingExtraError
        try:
            {code}
        except MissingExtraError as err:
            print(err)
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"pip install 'hlsgraph[{extra}]'" in result.stdout


def test_the_cli_says_which_extra_a_command_needs(tmp_path):
    result = run_without_extras(
        """
        import sys
        from hlsgraph.cli import main
        sys.exit(main(["docs", "reference"]))
        """,
        tmp_path,
    )
    assert result.returncode == 2
    assert "hlsgraph: error:" in result.stderr and "hlsgraph[notebook]" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_hlsgraph_error_shows_in_ipython_as_one_line(tmp_path):
    code = textwrap.dedent(
        """
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shell.run_cell("import hlsgraph; kb = hlsgraph.open()")
        shell.run_cell("kb.inquire('storys-by-concept')")
        shell.run_cell("1/0")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    out = result.stdout
    assert "UnknownInquiryError: no inquiry named 'storys-by-concept'" in out
    assert "did you mean 'stories-by-concept'" in out
    error_part = out[out.index("UnknownInquiryError") : out.index("ZeroDivisionError")]
    # No frames of hlsgraph's own code before or inside the message; ordinary errors keep theirs.
    assert "kb.py" not in out and "inquiries.py" not in out
    assert "Traceback" not in error_part
    assert "ZeroDivisionError" in out
