"""``kb.publish``: the static site, its dataset description, its pages, aggregates and server
rules, checked on the bundled base with generated internal and restricted data beside it."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re

import pyoxigraph as ox
import pytest
import rdflib
from publish_helpers import EXAMPLE, generate, ontology_only_kb

import hlsgraph
from hlsgraph.errors import ValidationError
from hlsgraph.publishing import PublishReport

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
JACOB = "https://w3id.org/hls/id/story-jacob"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The bundled base plus generated dataset 3 (internal and restricted items, an import),
    published with a SPARQL endpoint named."""
    folder = tmp_path_factory.mktemp("published")
    kb = hlsgraph.open()
    generated = generate(3, folder, base=kb)
    site = folder / "site"
    report = kb.publish(
        site, **EXAMPLE, description="What we fund and learn.", endpoint="https://data.example.org/sparql"
    )
    return kb, generated, site, report


def _graph(path, fmt) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(path, format=fmt)
    return graph


def test_the_report_counts_what_was_written(published):
    _, generated, site, report = published
    assert isinstance(report, PublishReport) and report.ok
    files = [p for p in site.rglob("*") if p.is_file()]
    assert report.files == len(files)
    assert report.bytes == sum(p.stat().st_size for p in files)
    pages = [p for p in files if p.suffix == ".html" and p.parent.name in ("id", "concept")]
    assert report.resources == len(pages) > 600
    assert report.withheld >= len(generated.restricted_items)
    assert "resource pages" in report.summary() and "withheld" in report.summary()
    assert list(report.to_dataframe().columns) == ["severity", "finding", "count", "example"]
    assert "spreadsheet" in " ".join(report.to_dataframe()["finding"])  # the import note
    assert "Publication" in report._repr_html_()
    for name in (
        "index.html",
        "sitemap.xml",
        ".htaccess",
        "nginx-hlsgraph.conf",
        "w3id-redirect.htaccess",
        "dataset.ttl",
        "dataset.jsonld",
        "dataset.nt",
        ".well-known/void",
        "style.css",
        "dumps/dataset.ttl",
        "dumps/dataset.nt.gz",
        "dumps/dataset.jsonld",
        "aggregates/places.html",
        "aggregates/concepts.html",
        "aggregates/places.csv",
        "browse/index.html",
        "id/story-jacob.html",
        "id/story-jacob.ttl",
        "id/story-jacob.jsonld",
        "id/story-jacob.nt",
        "concept/trust.html",
    ):
        assert (site / name).is_file(), name


def test_dataset_description_in_dcat_and_void(published):
    _, _, site, report = published
    g = _graph(site / "dataset.ttl", "turtle")
    base = EXAMPLE["base"]
    catalog, dataset = rdflib.URIRef(base + "dataset#catalog"), rdflib.URIRef(base + "dataset#dataset")
    assert (catalog, rdflib.RDF.type, DCAT.Catalog) in g and (catalog, DCAT.dataset, dataset) in g
    assert (dataset, rdflib.RDF.type, DCAT.Dataset) in g and (dataset, rdflib.RDF.type, VOID.Dataset) in g
    assert g.value(dataset, DCT.license) == rdflib.URIRef(EXAMPLE["license"])
    publisher = g.value(dataset, DCT.publisher)
    assert str(g.value(publisher, rdflib.URIRef("http://xmlns.com/foaf/0.1/name"))) == EXAMPLE["publisher"]
    assert g.value(dataset, DCT.issued) is not None and g.value(dataset, DCT.modified) is not None
    # pyoxigraph, not rdflib: the generated data holds RDF 1.2 triple terms rdflib cannot read.
    dump = list(
        ox.parse(gzip.decompress((site / "dumps/dataset.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES)
    )
    assert int(g.value(dataset, VOID.triples)) == len(dump) == report.triples
    assert int(g.value(dataset, VOID.entities)) == report.resources
    assert g.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("https://data.example.org/sparql")
    distributions = list(g.objects(dataset, DCAT.distribution))
    downloads = {}
    for dist in distributions:
        url = g.value(dist, DCAT.downloadURL)
        if url is None:
            continue  # the SPARQL service's distribution
        path = site / str(url)[len(base) :]
        data = path.read_bytes()
        assert int(g.value(dist, DCAT.byteSize)) == len(data)
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert (dataset, VOID.dataDump, url) in g
        downloads[path.name] = str(g.value(dist, DCAT.mediaType)).rsplit("/", 2)[-2:]
    assert downloads == {
        "dataset.ttl": ["text", "turtle"],
        "dataset.nt.gz": ["application", "n-triples"],
        "dataset.jsonld": ["application", "ld+json"],
    }
    partitions = {
        g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
        for p in g.objects(dataset, VOID.classPartition)
    }
    assert partitions[rdflib.URIRef("https://w3id.org/hls/Story")] == report.kinds["story"] > 0
    examples = list(g.objects(dataset, VOID.exampleResource))
    assert examples and all((site / (str(e).split("/hls/", 1)[1] + ".html")).is_file() for e in examples)
    # The same description in JSON-LD and N-Triples, and at /.well-known/void.
    assert _graph(site / "dataset.jsonld", "json-ld").isomorphic(g)
    assert _graph(site / "dataset.nt", "nt").isomorphic(g)
    assert _graph(site / ".well-known/void", "turtle").isomorphic(g)


def test_without_an_endpoint_the_description_names_none(tmp_path):
    kb = ontology_only_kb()
    generate(5, tmp_path, base=kb)
    kb.publish(tmp_path / "site", **EXAMPLE)
    g = _graph(tmp_path / "site" / "dataset.ttl", "turtle")
    assert not list(g.objects(None, VOID.sparqlEndpoint))
    assert "hlsgraph serve" in (tmp_path / "site" / "index.html").read_text()


def _page(site, path) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_a_resource_page_reads_as_words_with_links_and_sources(published):
    _, _, site, _ = published
    text = _page(site, "id/story-jacob.html")
    assert "<h1>Jacob&#x27;s story: from repeated evictions" in text
    # Links to related resources' pages, relative so any host (or a preview) works.
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', text))
    assert links["../concept/trust.html"] == "Trust"
    assert links["org-mayday-trust.html"] == "Mayday Trust"
    assert all(not label.startswith(("http://", "https://")) for label in links.values())
    for href in links:
        if not href.startswith("http") and "#" not in href:
            assert (site / "id" / href).resolve().is_file(), href
    # Where it comes from: the section and the document.
    assert re.search(
        r"section <a href=\"source-002-jacobs-story.html\">.*</a> of <a href=\"source-002.html\">", text
    )
    for ext, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ):
        assert f'<link rel="alternate" type="{media}" href="story-jacob.{ext}">' in text
    # A concept page lists what illustrates it.
    assert 'href="../id/story-jacob.html"' in _page(site, "concept/trust.html")


def test_embedded_json_ld_parses_back_to_the_resource_triples(published):
    _, _, site, _ = published
    text = _page(site, "id/story-jacob.html")
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    embedded = rdflib.Graph().parse(data=script, format="json-ld")
    beside = _graph(site / "id/story-jacob.nt", "nt")
    assert len(embedded) > 10 and embedded.isomorphic(beside)
    assert embedded.isomorphic(_graph(site / "id/story-jacob.ttl", "turtle"))
    assert embedded.isomorphic(_graph(site / "id/story-jacob.jsonld", "json-ld"))
    assert (rdflib.URIRef(JACOB), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/hls/Story")) in embedded


def test_script_text_cannot_break_out_of_the_embedded_json_ld(tmp_path):
    kb = ontology_only_kb()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/hls/id/story-x> a hls:Story ; hls:accessLevel hls:public ;
        dcterms:title "A </script><script>alert(1)</script> title <!-- x" .""",
        format="turtle",
    )
    kb.publish(tmp_path / "site", **EXAMPLE)
    text = _page(tmp_path / "site", "id/story-x.html")
    # Only the page's own </script> ends the element, and no "<!--" can start an escape in it.
    assert text.count("</script>") == 1 and text.count("<!--") == 0
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
    titles = [o for _, _, o in rdflib.Graph().parse(data=script, format="json-ld")]
    assert "A </script><script>alert(1)</script> title <!-- x" in [str(t) for t in titles]


def test_imported_items_cite_their_row_never_the_file_name(published):
    _, generated, site, _ = published
    rows = list(site.glob("id/story-row-3-*.html"))
    assert rows, sorted(p.name for p in site.glob("id/*row*"))
    text = _page(site, f"id/{rows[0].name}")
    assert re.search(r"row \d+ of spreadsheet import \d+( \(\d{4}-\d\d-\d\d\))?", text)
    assert "safeguarding" not in text.lower() and "referral" not in text.lower()
    dump = _page(site, "dumps/dataset.ttl")
    assert "safeguarding" not in dump and "case-notes" not in dump


def _kb_for_aggregates():
    kb = ontology_only_kb()
    items = []
    for i in range(3):  # restricted stories in a ward: counted at the authority, never shown as 3
        items.append(
            f"hlsd:secret-{i} a hls:Story ; hls:place hlsd:ward ; hls:illustrates hlsc:trust ;"
            " hls:accessLevel hls:restricted ."
        )
    for i in range(6):  # public stories about people in the authority: 6 is shown
        items.append(
            f"hlsd:open-{i} a hls:Story ; hls:place hlsd:town ; hls:illustrates hlsc:trust ;"
            " hls:accessLevel hls:public ."
        )
    for i in range(2):  # public case studies (not about people) keep their ward
        items.append(f"hlsd:case-{i} a hls:CaseStudy ; hls:place hlsd:ward ; hls:accessLevel hls:public .")
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix hlsc: <https://w3id.org/hls/concept/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        hlsd:town a hls:Place ; rdfs:label "Townshire" ; hls:gssCode "E06000001" ;
            hls:accessLevel hls:public .
        hlsd:ward a hls:Place ; rdfs:label "Ward Nine" ; hls:gssCode "E05000009" ; hls:within hlsd:town ;
            hls:accessLevel hls:public .
        """
        + "\n".join(items),
        format="turtle",
    )
    return kb


def test_aggregates_suppress_small_counts_about_people_and_coarsen_their_places(tmp_path):
    import pandas as pd

    kb = _kb_for_aggregates()
    kb.publish(tmp_path / "site", **EXAMPLE)
    places = pd.read_csv(tmp_path / "site/aggregates/places.csv", dtype=str).set_index("label")
    assert places.loc["Townshire", "published about people"] == "6"
    assert places.loc["Townshire", "not published individually"] == "fewer than 5"  # the 3 in the ward
    assert places.loc["Ward Nine", "published other"] == "2"
    assert places.loc["Ward Nine", "not published individually"] == "fewer than 5"  # 0, shown the same
    assert places.loc["Ward Nine", "published about people"] == "fewer than 5"
    concepts = pd.read_csv(tmp_path / "site/aggregates/concepts.csv", dtype=str).set_index("label")
    assert concepts.loc["Trust", "published about people"] == "6"
    assert concepts.loc["Trust", "not published individually"] == "fewer than 5"
    page = _page(tmp_path / "site", "aggregates/places.html")
    assert "fewer than 5" in page and ">3<" not in page
    # Two more restricted stories make five: now the number is shown.
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        hlsd:secret-3 a hls:Testimony ; hls:place hlsd:ward ; hls:accessLevel hls:restricted .
        hlsd:secret-4 a hls:Story ; hls:place hlsd:ward ; hls:accessLevel hls:internal .""",
        format="turtle",
    )
    kb.publish(tmp_path / "site", **EXAMPLE)
    places = pd.read_csv(tmp_path / "site/aggregates/places.csv", dtype=str).set_index("label")
    assert places.loc["Townshire", "not published individually"] == "5"


def test_publishing_again_replaces_the_site_and_keeps_its_first_issue_date(tmp_path):
    kb = _kb_for_aggregates()
    site = tmp_path / "site"
    kb.publish(site, **EXAMPLE)
    marker = json.loads((site / ".hlsgraph-site.json").read_text())
    marker["issued"] = "2020-02-02"
    (site / ".hlsgraph-site.json").write_text(json.dumps(marker))
    (site / "id" / "stale.html").write_text("left over")
    kb.publish(site, **{**EXAMPLE, "title": "A new title"})
    assert not (site / "id" / "stale.html").exists()
    g = _graph(site / "dataset.ttl", "turtle")
    assert str(g.value(rdflib.URIRef(EXAMPLE["base"] + "dataset#dataset"), DCT.issued)) == "2020-02-02"
    assert "A new title" in _page(site, "index.html")
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    kb = _kb_for_aggregates()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    with pytest.raises(FileExistsError, match="not a site hlsgraph published; choose a new or empty folder"):
        kb.publish(tmp_path / "mine", **EXAMPLE)
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.docx"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base": "data.example.org"}, r"base must be an absolute http\(s\) URL"),
        ({"license": "CC-BY"}, r"license must be an absolute http\(s\) URL, such as https://creativecommons"),
        ({"title": " "}, "title must be a non-empty text"),
        ({"levels": ("publik",)}, r"unknown access level 'publik'.*did you mean 'public'"),
    ],
)
def test_bad_arguments_say_what_was_expected(tmp_path, change, message):
    kb = _kb_for_aggregates()
    with pytest.raises(ValueError, match=message):
        kb.publish(tmp_path / "site", **{**EXAMPLE, **change})
    assert not (tmp_path / "site").exists()


def test_nothing_marked_public_is_an_error_not_an_empty_site(tmp_path):
    kb = ontology_only_kb()
    kb.load(
        data="<https://w3id.org/hls/id/x> <https://w3id.org/hls/accessLevel> "
        "<https://w3id.org/hls/restricted> .",
        format="ntriples",
    )
    with pytest.raises(ValueError, match="nothing to publish"):
        kb.publish(tmp_path / "site", **EXAMPLE)
    assert list(tmp_path.iterdir()) == []


def test_a_breach_found_by_the_closed_check_writes_nothing(tmp_path, monkeypatch):
    """Were the release ever wrong, re-reading the dumps stops the publication."""
    import hlsgraph.publishing.site as site_module

    kb = _kb_for_aggregates()
    real = site_module.build_release

    def leaky(kb, levels):
        release, quads = real(kb, levels)
        secret = ox.NamedNode("https://w3id.org/hls/id/secret-0")
        release.triples.append(
            ox.Triple(
                ox.NamedNode("https://w3id.org/hls/id/open-0"),
                ox.NamedNode("https://w3id.org/hls/reflectsOn"),
                secret,
            )
        )
        return release, quads

    monkeypatch.setattr(site_module, "build_release", leaky)
    with pytest.raises(ValidationError, match="publication refused: its output breaks the access rule"):
        kb.publish(tmp_path / "site", **EXAMPLE)
    assert list(tmp_path.iterdir()) == []


def test_server_rules_and_sitemap(published):
    _, _, site, report = published
    apache = _page(site, ".htaccess")
    assert "R=303" in apache and "Header merge Vary Accept" in apache
    assert "RewriteCond %{HTTP_ACCEPT} application/ld\\+json" in apache
    assert "RewriteRule ^dataset$ /fund/ [R=303,L]" in apache
    nginx = _page(site, "nginx-hlsgraph.conf")
    assert "return 303 $uri.$hlsgraph_document" in nginx and "add_header Vary Accept always" in nginx
    w3id = _page(site, "w3id-redirect.htaccess")
    assert f"RewriteRule ^id/(.+)$ {EXAMPLE['base']}id/$1 [R=303,L]" in w3id
    sitemap = _page(site, "sitemap.xml")
    assert sitemap.count("<loc>") == report.resources + 4
    assert f"<loc>{EXAMPLE['base']}id/story-jacob.html</loc>" in sitemap


def test_landing_page_shows_title_licence_publisher_counts_and_dumps(published):
    _, _, site, report = published
    text = html.unescape(_page(site, "index.html"))
    assert "<h1>Example Fund open data</h1>" in text and "What we fund and learn." in text
    assert "Creative Commons Attribution 4.0 (CC BY 4.0)" in text and "Example Fund" in text
    assert f"{report.resources:,} resources" in text
    for dump in ("dumps/dataset.ttl", "dumps/dataset.nt.gz", "dumps/dataset.jsonld"):
        assert f'href="{dump}"' in text
    assert 'href="https://data.example.org/sparql"' in text
    assert re.search(r"<b>\d+</b><a href=\"browse/story.html\">Story</a>", text)


def test_cli_publish(tmp_path, capsys):
    from hlsgraph.cli import main

    code = main(
        [
            "publish",
            str(tmp_path / "site"),
            "--base",
            EXAMPLE["base"],
            "--title",
            "T",
            "--publisher",
            "P",
            "--license",
            EXAMPLE["license"],
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "resource pages" in out and "hlsgraph serve" in out
    assert (tmp_path / "site" / "index.html").is_file()
    code = main(
        [
            "publish",
            str(tmp_path / "other"),
            "--base",
            "nowhere",
            "--title",
            "T",
            "--publisher",
            "P",
            "--license",
            EXAMPLE["license"],
        ]
    )
    assert code == 2 and "base must be an absolute http(s) URL" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


def test_pages_written_by_forked_workers_are_the_same_as_by_one_process(tmp_path, monkeypatch):
    import hlsgraph.publishing.site as site_module

    kb = ontology_only_kb()
    generate(11, tmp_path, base=kb)
    one = kb.publish(tmp_path / "one", **EXAMPLE)
    monkeypatch.setattr(site_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(site_module, "_workers", lambda pages: 2)
    two = kb.publish(tmp_path / "two", **EXAMPLE)
    assert (one.files, one.bytes, one.resources) == (two.files, two.bytes, two.resources)
    names = sorted(str(p.relative_to(tmp_path / "one")) for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert names == sorted(
        str(p.relative_to(tmp_path / "two")) for p in (tmp_path / "two").rglob("*") if p.is_file()
    )
    # Byte for byte, dumps and checksums included: blank nodes get stable labels.
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_grant_to_an_individual_marked_public_by_mistake_is_still_not_published(tmp_path):
    kb = _kb_for_aggregates()
    kb.load(
        data="""@prefix hls: <https://w3id.org/hls/> . @prefix hlsd: <https://w3id.org/hls/id/> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        hlsd:grant-oops a hls:GrantToIndividual ; dcterms:title "GRANTOOPS to a person" ;
            hls:place hlsd:ward ; hls:accessLevel hls:public .
        hlsd:open-0 hls:reflectsOn hlsd:grant-oops .""",
        format="turtle",
    )
    kb.publish(tmp_path / "site", **EXAMPLE)
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            assert "grant-oops" not in path.read_text() and "GRANTOOPS" not in path.read_text(), path
