"""The project as a newcomer gets it: a wheel that carries the ontology, inquiries and bundled
data and opens the knowledge base from a fresh virtual environment; one version; one command."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import hlsgraph
from hlsgraph import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("hlsgraph-*.whl")
    return built


def test_wheel_carries_bundled_resources(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for kind, suffix in [
        ("ontology", ".ttl"),
        ("queries", ".rq"),
        ("queries", ".ru"),
        ("data/base", ".ttl"),
        ("data/360giving", ".json"),  # the 360Giving schemas and the bundled example
    ]:
        bundled = [n for n in names if n.startswith(f"hlsgraph/_bundled/{kind}/") and n.endswith(suffix)]
        on_disk = sorted((ROOT / kind).rglob(f"*{suffix}"))
        assert on_disk, f"no {suffix} files in {kind}/"
        assert len(bundled) == len(on_disk), f"{kind}: wheel has {bundled}, tree has {on_disk}"


@pytest.mark.slow
def test_wheel_opens_bundled_base_in_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    # The dependencies come from the development environment, appended after the fresh
    # site-packages, so the wheel's hlsgraph wins and the source tree is never on the path.
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    script = (
        "import json, hlsgraph\n"
        "from hlsgraph.resources import ontology_dir, queries_dir, base_data_dir\n"
        "kb = hlsgraph.open()\n"
        "stories = kb.select('SELECT (COUNT(?s) AS ?n) WHERE { ?s a hls:Story }')\n"
        "from hlsgraph.importing.giving360 import example_file\n"
        "grants = kb.import_360giving(example_file())\n"
        "print(json.dumps({'module': hlsgraph.__file__, 'ontology': str(ontology_dir()),\n"
        "  'queries': str(queries_dir()), 'data': str(base_data_dir()), 'triples': len(kb),\n"
        "  'stories': int(stories.iloc[0, 0]), 'inquiries': len(kb.inquiries()),\n"
        "  'example': str(example_file()), 'grants': grants.grants_loaded}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([python, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    for key in ("module", "ontology", "queries", "data", "example"):
        assert found[key].startswith(str(env_dir)), f"{key} came from {found[key]}, not the wheel"
    assert found["triples"] > 1000
    assert found["stories"] >= 2
    assert found["inquiries"] == len(list((ROOT / "queries").glob("*.rq")))
    assert found["grants"] == 475  # the bundled 360Giving example, checked against the bundled schema


def test_version_single_sourced():
    from importlib.metadata import version

    assert version("hlsgraph") == hlsgraph.__version__


def test_cli_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"hlsgraph {hlsgraph.__version__}"
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "Exit codes: 0 ok, 1 no result or violations, 2 error" in capsys.readouterr().out


def test_python_dash_m_and_console_script_agree():
    by_module = subprocess.run(
        [sys.executable, "-m", "hlsgraph", "--version"], capture_output=True, text=True, check=True
    )
    script = Path(sys.executable).parent / "hlsgraph"
    by_script = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert by_module.stdout == by_script.stdout == f"hlsgraph {hlsgraph.__version__}\n"


IMPORT_PROBE = r"""
import json, logging, os, sys
before_files = set(os.listdir("."))
home_before = set(os.listdir(os.environ["HOME"]))
import rdflib
normalize_before = rdflib.NORMALIZE_LITERALS
loggers_before = {name: list(l.handlers) for name, l in logging.root.manager.loggerDict.items()
                  if isinstance(l, logging.Logger)}
root_before = list(logging.root.handlers)
modules_before = set(sys.modules)
import hlsgraph
new_loggers_with_handlers = [name for name, l in logging.root.manager.loggerDict.items()
    if isinstance(l, logging.Logger) and l.handlers and loggers_before.get(name) != l.handlers]
print(json.dumps({
    "files": sorted(set(os.listdir(".")) - before_files),
    "home": sorted(set(os.listdir(os.environ["HOME"])) - home_before),
    "root_handlers_added": len(logging.root.handlers) - len(root_before),
    "loggers_with_new_handlers": new_loggers_with_handlers,
    "normalize_changed": rdflib.NORMALIZE_LITERALS != normalize_before,
    "heavy_modules": sorted(m for m in set(sys.modules) - modules_before
                            if m.split(".")[0] in {"owlready2", "pyshacl", "pandas", "matplotlib",
                                                   "ipywidgets", "pyoxigraph"}),
}))
"""


def test_import_has_no_side_effects(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found == {
        "files": [],
        "home": [],
        "root_handlers_added": 0,
        "loggers_with_new_handlers": [],
        "normalize_changed": False,
        "heavy_modules": [],
    }
