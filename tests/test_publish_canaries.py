"""The canary suite: over 100 generated knowledge bases, every canary planted in internal and
restricted data (titles, texts, labels, places, people, grants to individuals, provenance, file
names, triple terms, blank nodes, items reached only through inferences) is looked for in every
export format, every published file, and every answer of the served endpoint and site; none may
be found, and every public marker must be.

Each knowledge base is checked to hold all of its canaries first, so a canary that never made it
into the data cannot pass for one that was kept out.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from publish_helpers import EXAMPLE, every_output_file, generate, leaks, store_text

from hlsgraph.errors import UnknownFormatError

DATASETS = 104
BLOCK = 8
ENDPOINT_EVERY = 4  # the endpoint (a real Oxigraph server each time) is started for every 4th dataset

ENDPOINT_QUERIES = [
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT ?s ?label WHERE { ?s ?p ?label . FILTER(isLiteral(?label)) }",
    "SELECT (GROUP_CONCAT(STR(?o); separator=' ') AS ?all) WHERE { ?s ?p ?o }",
]


def _ask(url: str, query: str, accept: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _check_exports(generated) -> list[str]:
    found = []
    for fmt in ("turtle", "ntriples", "trig"):
        text = generated.kb.export(format=fmt)
        found += [f"export {fmt}: {c}" for c in leaks(text, generated.canaries)]
        assert generated.public & set(text.split('"')), f"{fmt} export holds no public marker"
    try:
        text = generated.kb.export(format="json-ld")
    except UnknownFormatError as err:  # public triple terms: refused, and the message is clean
        text = str(err)
    found += [f"export json-ld: {c}" for c in leaks(text, generated.canaries)]
    return found


def _check_site(generated, site) -> list[str]:
    found, everything = [], []
    for path, text in every_output_file(site):
        found += [f"{path}: {c}" for c in leaks(text, generated.canaries)]
        everything.append(text)
    whole = "\n".join(everything)
    missing = sorted(p for p in generated.public if p not in whole)
    assert not missing, f"public markers missing from the site: {missing[:5]}"
    return found


def _check_endpoint(generated, site) -> list[str]:
    from hlsgraph.publishing.serve import Preview

    found = []
    with Preview(site) as preview:
        answers = []
        for query in ENDPOINT_QUERIES:
            accept = "text/turtle" if query.startswith("CONSTRUCT") else "application/sparql-results+json"
            status, body = _ask(preview.sparql_url, query, accept)
            assert status == 200, (query, status, body[:300])
            answers.append(body)
            found += [f"endpoint {query!r}: {c}" for c in leaks(body, generated.canaries)]
        # Asking for a withheld item by its IRI finds nothing.
        for item in sorted(generated.restricted_items)[:3]:
            status, body = _ask(
                preview.sparql_url,
                f"ASK {{ {{ <{item}> ?p ?o }} UNION {{ ?s ?p <{item}> }} }}",
                "application/sparql-results+json",
            )
            assert status == 200 and json.loads(body)["boolean"] is False, (item, body)
        graphs = json.loads(answers[2])["results"]["bindings"]
        assert {g["g"]["value"] for g in graphs} == {
            EXAMPLE["base"] + "dataset",
            EXAMPLE["base"] + "dataset#description",
        }
        # The site's pages as served, through content negotiation.
        for item in sorted(generated.public_items)[:2]:
            path = item.split("https://w3id.org/hls/", 1)[1]
            for accept in ("text/html", "text/turtle", "application/ld+json"):
                request = urllib.request.Request(preview.url + path, headers={"Accept": accept})
                with urllib.request.urlopen(request, timeout=30) as answer:
                    body = answer.read().decode("utf-8", "replace")
                found += [f"served {path} as {accept}: {c}" for c in leaks(body, generated.canaries)]
        log = preview.endpoint.log
        log.flush()
        log.seek(0)
        found += [
            f"endpoint log: {c}" for c in leaks(log.read().decode("utf-8", "replace"), generated.canaries)
        ]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("block", range(DATASETS // BLOCK))
def test_no_canary_leaves_through_any_output(block, tmp_path, capfd):
    found = []
    for seed in range(block * BLOCK, (block + 1) * BLOCK):
        folder = tmp_path / f"kb-{seed}"
        folder.mkdir()
        generated = generate(seed, folder)
        held = store_text(generated.kb).lower()
        absent = sorted(c for c in generated.canaries if c.lower() not in held)
        assert not absent, f"dataset {seed}: canaries never planted: {absent}"
        assert len(generated.canaries) >= 40
        found += [f"dataset {seed}, {f}" for f in _check_exports(generated)]
        site = folder / "site"
        report = generated.kb.publish(site, **EXAMPLE)
        assert report.withheld > 0 and report.resources > 0
        found += [f"dataset {seed}, {f}" for f in _check_site(generated, site)]
        if seed % ENDPOINT_EVERY == 0:
            found += [f"dataset {seed}, {f}" for f in _check_endpoint(generated, site)]
        # What the library printed (progress, warnings) says nothing private either.
        out, err = capfd.readouterr()
        found += [f"dataset {seed}, console: {c}" for c in leaks(out + err, generated.canaries)]
    assert found == [], f"{len(found)} canaries found, the first: {found[:10]}"


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
RESTRICTED_IN_NOTEBOOK = (
    "PRIVATE: a tenant",
    "story-eastbrook-private",
    "Details that identify a person",
    "workers' notes, 2030",
)


def _outputs(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            texts.append(json.dumps(output, ensure_ascii=False))
    return "\n".join(texts)


def _eastbrook_titles() -> set[str]:
    import pandas as pd

    titles = set()
    for sheet in sorted((NOTEBOOKS / "data").glob("eastbrook-*")):
        frame = pd.read_excel(sheet, engine="calamine") if sheet.suffix == ".xlsx" else pd.read_csv(sheet)
        if {"title", "access_level"} <= set(frame.columns):
            titles |= set(frame.loc[frame["access_level"] != "public", "title"].dropna())
    return titles


def test_no_notebook_output_shows_what_is_restricted():
    """Every saved output of every notebook (they are re-executed, so these are current), and
    in the publishing notebook the team's internal titles too."""
    internal = _eastbrook_titles()
    assert len(internal) > 10
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        text = _outputs(path)
        assert [c for c in RESTRICTED_IN_NOTEBOOK if c in text] == [], path.name
        if path.name == "04-publish.ipynb":
            assert "found in the site's files: 0" in text and "found in the endpoint's answer: 0" in text
            assert [t for t in internal if t in text] == []


_ROOT = Path(__file__).resolve().parents[1]
GIVING = next(
    (
        p / "shared" / "data" / "360giving"
        for p in (_ROOT.parent, _ROOT.parent.parent)
        if (p / "shared").is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "360giving",
)
MULTI = GIVING / "multi-funder-sample-awefw001p00000zgyHZAAY.json"


@pytest.mark.slow
@pytest.mark.skipif(not MULTI.is_file(), reason="the shared 360Giving files are not here")
def test_grants_to_individuals_from_a_real_360giving_file_never_appear(tmp_path):
    """A real multi-funder file with 99 grants to individuals (restricted by the importer):
    neither their ids, the recipients' ids nor their own texts reach any published file or any
    answer of the endpoint, while the grants to organisations are published."""
    import hlsgraph
    from hlsgraph.publishing.serve import Preview

    grants = json.loads(MULTI.read_text(encoding="utf-8"))["grants"]
    individual = [g for g in grants if "recipientIndividual" in g]
    public = [g for g in grants if "recipientIndividual" not in g]
    public_text = json.dumps(public)
    canaries = {g["id"] for g in individual} | {g["recipientIndividual"]["id"] for g in individual}
    # Their own texts too, where long enough to be theirs alone ("ARM" is in "harm").
    canaries |= {
        g[k]
        for g in individual
        for k in ("description", "title")
        if len(g.get(k) or "") >= 20 and g[k] not in public_text
    }
    assert len(individual) == 99 and len(canaries) > 200
    kb = hlsgraph.open()
    kb.import_360giving(MULTI)
    site = tmp_path / "site"
    report = kb.publish(site, **EXAMPLE)
    assert report.withheld >= 99
    found = [f"{path}: {c}" for path, text in every_output_file(site) for c in leaks(text, canaries)]
    everything = "\n".join(text for _, text in every_output_file(site))
    assert sum(g["id"] in everything for g in public) == len(public)
    with Preview(site) as preview:
        for query in ENDPOINT_QUERIES[:2]:
            status, body = _ask(preview.sparql_url, query, "application/sparql-results+json")
            assert status == 200
            found += [f"endpoint: {c}" for c in leaks(body, canaries)]
    assert "multi-funder-sample" not in everything.lower()  # nor the imported file's name
    assert found == [], found[:10]
