"""The spreadsheet templates: the committed files and docs are what hlsgraph.templates
generates, every column is documented, and the values the templates offer exist in the
ontology."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

import hlsgraph
from hlsgraph.cli import main
from hlsgraph.importing.template_files import columns_csv, markdown, template_csv, workbook_bytes
from hlsgraph.importing.templates import DOC_HEADER, KINDS, LEARNING_POINTS, column_docs, get_kind
from hlsgraph.namespaces import HLS, PREFIXES
from hlsgraph.resources import templates_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb():
    base = hlsgraph.open()
    yield base
    base.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_templates_equal_generated(kind):
    folder = templates_dir()
    assert (folder / f"{kind}.csv").read_text(encoding="utf-8") == template_csv(kind), (
        "regenerate with: hlsgraph template all data/templates"
    )
    assert (folder / f"{kind}.columns.csv").read_text(encoding="utf-8") == columns_csv(kind)
    assert (folder / f"{kind}.xlsx").read_bytes() == workbook_bytes(kind)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_column_documented_in_the_template_itself(kind):
    spec = get_kind(kind)
    docs = list(csv.reader(io.StringIO(columns_csv(kind))))
    assert docs[0] == DOC_HEADER
    assert [row[0] for row in docs[1:]] == spec.header
    for row in docs[1:]:
        column, meaning, type_text, required, allowed, example = row
        assert meaning and type_text and example, row
        assert required in ("yes", "no")
    workbook = load_workbook(templates_dir() / f"{kind}.xlsx")
    assert workbook.sheetnames == [kind, "columns"]
    header = [c.value for c in workbook[kind][1]]
    assert header == spec.header
    for cell in workbook[kind][1]:
        assert cell.comment is not None and "Example:" in cell.comment.text
    documented = [[c.value or "" for c in row] for row in workbook["columns"].iter_rows()]
    assert documented == [DOC_HEADER, *column_docs(kind)]


def test_docs_describe_every_column_of_every_kind():
    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    regenerate = "regenerate with hlsgraph.importing.template_files.update_doc('docs/templates.md')"
    assert markdown() in text, regenerate
    for kind in KINDS.values():
        section = text.split(f"### {kind.name}\n", 1)[1].split("\n### ", 1)[0]
        for column in kind.columns:
            meaning = column.meaning.replace("|", "\\|")
            assert f"| `{column.name}` | {meaning} |" in section


def test_required_access_level_without_default():
    for kind in KINDS.values():
        column = kind.column("access_level")
        assert column.required
        assert list(column.allowed) == ["public", "internal", "restricted"]


def test_choice_values_and_predicates_exist_in_the_ontology(kb):
    def is_a(iri, cls):
        return kb.ask(f"ASK {{ <{iri}> a/rdfs:subClassOf* <{cls}> }}")

    ranges = {
        "perspective": HLS + "MeasurePerspective",
        "question": HLS + "MeasureQuestion",
        "purpose": HLS + "MeasurePurpose",
    }
    for kind in KINDS.values():
        for column in kind.columns:
            if column.predicate and column.predicate.startswith(HLS):
                assert kb.ask(
                    f"ASK {{ <{column.predicate}> a ?t FILTER(?t IN "
                    f"(owl:ObjectProperty, owl:DatatypeProperty)) }}"
                ), column.predicate
            for iri in column.allowed.values():
                if column.name in ranges:
                    assert is_a(iri, ranges[column.name]), iri
                elif kind.name == "places" and column.name == "settlement":
                    assert is_a(iri, HLS + "SettlementKind"), iri
                elif kind.name == "organisations" and column.name == "kind":
                    assert kb.ask(f"ASK {{ <{iri}> rdfs:subClassOf+ hls:Organisation }}"), iri
                else:
                    assert is_a(iri, HLS + "AccessLevel"), iri
    labels = kb.select("SELECT ?l WHERE { ?p a hls:LearningPoint ; skos:prefLabel ?l }")
    assert sorted(labels["l"]) == sorted(LEARNING_POINTS)


def test_blank_template_imports_as_headers_only(kb, tmp_path):
    for kind in KINDS:
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(workbook_bytes(kind))
        report = kb.import_table(path, kind)
        assert report.rows_read == 0
        assert report.problems["expected"].tolist() == [
            "rows of data below the header; the file has only a header"
        ]


def test_template_command_writes_csv_with_companion_and_xlsx(tmp_path, capsys):
    assert main(["template", "observation", str(tmp_path / "obs.csv")]) == 0
    assert (tmp_path / "obs.csv").read_text(encoding="utf-8") == template_csv("observations")
    assert (tmp_path / "obs.columns.csv").read_text(encoding="utf-8") == columns_csv("observations")
    assert main(["template", "all", str(tmp_path / "all")]) == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == sorted(
        f"{k}{ext}" for k in KINDS for ext in (".csv", ".columns.csv", ".xlsx")
    )
    assert main(["template", "stories", str(tmp_path / "stories.ods")]) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err
    assert main(["template", "storys", str(tmp_path / "x.csv")]) == 2
    assert "did you mean 'stories'?" in capsys.readouterr().err


def test_prefixes_used_by_templates_are_known():
    for kind in KINDS.values():
        for column in kind.columns:
            if column.predicate:
                assert any(column.predicate.startswith(ns) for ns in PREFIXES.values())
