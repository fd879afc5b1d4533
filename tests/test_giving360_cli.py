"""``hlsgraph import FILE --kind 360giving``: exit 0 with the grants kept in an on-disk store,
1 with the problems printed grant by grant (strict or quarantined), 2 for a missing file."""

import json

import hlsgraph
from hlsgraph.cli import main
from hlsgraph.importing.giving360 import example_file


def test_a_valid_file_loads_into_the_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["import", str(example_file()), "--kind", "360giving", "--store", str(store)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "alwf-a003W000001B7PzQAK.json: 475 grants read, 475 loaded, 0 rejected, 0 problems"
    ]
    with hlsgraph.open(store) as kb:
        assert kb.select("SELECT (COUNT(?g) AS ?n) WHERE { ?g a hls:Grant }")["n"].iloc[0] == 475


def test_without_a_store_the_file_is_only_checked(capsys):
    assert main(["import", str(example_file()), "--kind", "360GIVING"]) == 0
    assert "(checked only: no --store was given, so nothing was kept)" in capsys.readouterr().out


def invalid(tmp_path):
    grants = json.loads(example_file().read_text())["grants"][:3]
    grants[1]["currency"] = "GPB"
    path = tmp_path / "three.json"
    path.write_text(json.dumps({"grants": grants}))
    return path


def test_problems_are_printed_and_exit_1(tmp_path, capsys):
    assert main(["import", str(invalid(tmp_path)), "--kind", "360giving"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "three.json: 3 grants read, 0 loaded, 3 rejected, 1 problem; strict mode: nothing was loaded",
        "  grant 360G-ALWF-2044, currency 'GPB':",
        "      one of the standard's codes, such as GBP",
    ]
    assert max(len(line) for line in lines) <= 100


def test_quarantine_loads_the_valid_grants(tmp_path, capsys):
    store = tmp_path / "store"
    code = main(
        ["import", str(invalid(tmp_path)), "--kind", "360giving", "--quarantine", "--store", str(store)]
    )
    assert code == 1
    assert capsys.readouterr().out.startswith("three.json: 3 grants read, 2 loaded, 1 quarantined, 1 problem")
    with hlsgraph.open(store) as kb:
        assert kb.select("SELECT (COUNT(?g) AS ?n) WHERE { ?g a hls:Grant }")["n"].iloc[0] == 2


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["import", str(tmp_path / "none.json"), "--kind", "360giving"]) == 2
    assert "no file" in capsys.readouterr().err
