"""`hlsgraph validate` and `hlsgraph check-ontology`: output and exit codes (0, 1, 2)."""

from pathlib import Path

from hlsgraph.cli import main

EXAMPLES = Path(__file__).parent / "shapes"


def test_validate_conforming_files_exit_0(capsys):
    assert main(["validate", str(EXAMPLES / "context.ttl")]) == 0
    assert "conforms: no violations" in capsys.readouterr().out


def test_validate_violations_exit_1_and_name_file_and_field(tmp_path, capsys):
    bad = tmp_path / "stories.ttl"
    bad.write_text(
        "@prefix hls: <https://w3id.org/hls/> .\n"
        "<https://w3id.org/hls/id/story-x> a hls:Vignette ; hls:accessLevel hls:secret .\n"
    )
    assert main(["validate", str(EXAMPLES / "context.ttl"), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "hlsd:story-x hls:accessLevel = hls:secret: hls:accessLevel must be one of hls:public" in out
    assert f"(in {bad})" in out
    assert "does not conform: 3 violation(s)" in out  # title, provenance, access level value


def test_validate_csv_output(tmp_path, capsys):
    bad = tmp_path / "obs.ttl"
    bad.write_text("@prefix hls: <https://w3id.org/hls/> .\n<https://w3id.org/hls/id/o> a hls:Score .\n")
    assert main(["validate", "--csv", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "focus_node,path,value,message,severity,shape,constraint,file"
    assert len(lines) == 3  # learning point and score value missing


def test_validate_unparseable_or_missing_file_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/hls/id/x> a \n")
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.ttl" in err and "error" in err
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert "no such RDF file" in capsys.readouterr().err


def test_check_ontology_without_reasoner(capsys):
    assert main(["check-ontology", "--no-reasoner"]) == 0
    assert "quality checks: 0 finding(s)" in capsys.readouterr().out
