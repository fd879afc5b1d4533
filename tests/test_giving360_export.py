"""``kb.export_360giving``: a shared real file imported and exported again keeps every standard
field of every public grant (compared as normalised JSON), the package validates against the
schema, and grants to individuals never leave, through this export or the RDF one."""

import datetime as dt
import json
from pathlib import Path

import pytest

import hlsgraph
from hlsgraph.errors import ValidationError
from hlsgraph.importing.giving360 import schema as schemas
from hlsgraph.vocabulary.giving360 import OBJECTS

_ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (
        p / "shared" / "data" / "360giving"
        for p in (_ROOT.parent, _ROOT.parent.parent)
        if (p / "shared").is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "360giving",
)
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the shared 360Giving files are not here")
MULTI = SHARED / "multi-funder-sample-awefw001p00000zgyHZAAY.json"


def normalised(obj, kind="Grant"):
    """The standard fields only (extras such as GrantNav's additional_data dropped), nulls and
    empty lists left out, date-times as instants, numbers as floats, lists of text as sets."""
    out = {}
    for field in OBJECTS[kind]:
        value = obj.get(field.key)
        if value is None:
            continue
        if field.kind == "objects":
            value = [normalised(item, field.of) for item in value]
        elif field.kind == "object":
            value = normalised(value, field.of)
        elif field.kind in ("date", "datetime") and "T" in value.upper():
            value = dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        elif field.kind == "strings":
            value = sorted(value)
        elif field.kind == "number":
            value = float(value)
        if value not in ([], {}):
            out[field.key] = value
    return out


SOURCES = [
    "abct-a001p00000zgyHZAAY.json",
    "alwf-a003W000001B7PzQAK.json",
    "multi-funder-sample-awefw001p00000zgyHZAAY.json",
    "esmee-sample-grantnav-20180903134856.json",
    "abct-a001p00000zgyHZAAY.xlsx",
    "alwf-a003W000001B7PzQAK.xlsx",
]


@pytest.mark.parametrize("name", SOURCES)
def test_import_then_export_keeps_every_standard_field(tmp_path, name):
    kb = hlsgraph.open()
    assert kb.import_360giving(SHARED / name).ok
    out = kb.export_360giving(tmp_path / "out.json")
    exported = json.loads(out.read_text(encoding="utf-8"))["grants"]
    published = json.loads((SHARED / name.replace(".xlsx", ".json")).read_text(encoding="utf-8"))["grants"]
    if name.endswith(".xlsx"):  # the workbook's escaped carriage return, decoded (see test_giving360_import)
        published = json.loads(json.dumps(published).replace("_x000D_", "\\r"))
    public = [g for g in published if "recipientIndividual" not in g]
    assert {g["id"]: normalised(g) for g in exported} == {g["id"]: normalised(g) for g in public}
    assert all(schemas.is_valid(g) and not schemas.errors(g) for g in exported)


def test_exported_package_reimports_to_the_same_grants(tmp_path):
    kb = hlsgraph.open()
    kb.import_360giving(SHARED / "esmee-sample-grantnav-20180903134856.json")
    out = kb.export_360giving(tmp_path / "again.json")
    again = hlsgraph.open()
    assert again.import_360giving(out).grants_loaded == 5
    assert json.loads(again.export_360giving(tmp_path / "twice.json").read_text()) == json.loads(
        out.read_text()
    )


@pytest.fixture(scope="module")
def multi():
    kb = hlsgraph.open()
    kb.import_360giving(MULTI)
    return kb


def test_grants_to_individuals_never_leave(multi, tmp_path):
    individual = [g for g in json.loads(MULTI.read_text())["grants"] if "recipientIndividual" in g]
    canaries = {g["id"] for g in individual} | {g["description"] for g in individual}
    text = multi.export_360giving(tmp_path / "out.json").read_text()
    rdf = multi.export(format="ntriples") + multi.export(format="trig")
    for canary in canaries:
        assert canary not in text and canary not in rdf
    assert len(json.loads(text)["grants"]) == 55


def test_one_funders_grants_by_org_id_or_label(multi, tmp_path):
    by_id = json.loads(multi.export_360giving(tmp_path / "a.json", funder="GB-CHC-274100").read_text())[
        "grants"
    ]
    assert len(by_id) == 3 and {g["fundingOrganization"][0]["id"] for g in by_id} == {"GB-CHC-274100"}
    name = by_id[0]["fundingOrganization"][0]["name"]
    by_label = json.loads(multi.export_360giving(tmp_path / "b.json", funder=name).read_text())["grants"]
    assert by_label == by_id


def test_nothing_public_to_export_is_an_error(tmp_path):
    kb = hlsgraph.open()
    with pytest.raises(ValueError, match="no public grants"):
        kb.export_360giving(tmp_path / "none.json")
    assert not (tmp_path / "none.json").exists()


def test_a_grant_made_otherwise_gets_its_organisations_from_its_links(tmp_path):
    kb = hlsgraph.open()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix hlsc: <https://w3id.org/hls/concept/> . @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        hlsd:grant-own a hls:Grant ; dcterms:identifier "360G-OWN-1" ; dcterms:title "Core grant" ;
            dcterms:description "Three years' core costs" ; hls:amount 30000 ; hls:currency "GBP" ;
            hls:awardDate "2024-04-01"^^xsd:date ; hls:accessLevel hls:public ;
            hls:funder hlsd:org-blagrave-trust ; hls:recipient hlsd:org-plymouth-alliance .""",
        format="turtle",
    )
    (grant,) = json.loads(kb.export_360giving(tmp_path / "own.json").read_text())["grants"]
    assert grant["fundingOrganization"] == [
        {"id": "https://w3id.org/hls/id/org-blagrave-trust", "name": "Blagrave Trust"}
    ]
    assert grant["amountAwarded"] == 30000 and grant["awardDate"] == "2024-04-01"


def test_an_export_that_would_not_validate_writes_nothing(tmp_path):
    kb = hlsgraph.open()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        hlsd:grant-bad a hls:Grant ; hls:accessLevel hls:public ; hls:currency "pounds" .""",
        format="turtle",
    )
    with pytest.raises(ValidationError, match="currency"):
        kb.export_360giving(tmp_path / "bad.json")
    assert list(tmp_path.iterdir()) == []
