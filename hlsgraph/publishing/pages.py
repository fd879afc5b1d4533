"""The HTML of a published site: one page per resource (labels rather than IRIs, links to the
related resources' pages, where the item comes from, the resource's triples embedded as JSON-LD),
the landing page, the pages listing each kind of resource and the aggregate pages.

Every text that comes from the data is escaped; links between pages are relative, so the site
reads the same on its host and in a preview on 127.0.0.1.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .aggregates import COLUMNS, FEWER, SMALL_COUNT, Aggregates
from .paths import relative
from .release import DCT, DERIVED_FROM, LABELS, PROV, RDF_TYPE, RDFS, SKOS, Release

_LONG_TEXT = 160  # a literal longer than this reads as a paragraph, not a table cell

LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "https://creativecommons.org/licenses/by-sa/4.0/": "Creative Commons Attribution-ShareAlike 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 (public domain dedication)",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/": (
        "Open Government Licence v3.0"
    ),
    "https://opendatacommons.org/licenses/by/1-0/": "Open Data Commons Attribution 1.0",
}
"""Names of common open licences, by URL, for the pages."""

# Words for properties outside the HLS ontology (whose own labels come from the ontology).
_PROPERTY_WORDS = {
    RDF_TYPE.value: "kind",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    DCT + "title": "title",
    DCT + "description": "description",
    DCT + "date": "date",
    DCT + "identifier": "identifier",
    DCT + "isPartOf": "part of",
    DCT + "creator": "creator",
    DCT + "issued": "issued",
    DCT + "publisher": "publisher",
    DCT + "language": "language",
    DCT + "source": "source",
    SKOS + "prefLabel": "name",
    SKOS + "altLabel": "also called",
    SKOS + "definition": "definition",
    SKOS + "broader": "broader concept",
    SKOS + "inScheme": "in scheme",
    SKOS + "topConceptOf": "top concept of",
    PROV + "wasDerivedFrom": "derived from",
    PROV + "startedAtTime": "started",
    "https://schema.org/name": "name",
    "http://xmlns.com/foaf/0.1/name": "name",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "concept scheme",
    "http://www.w3.org/ns/prov#Entity": "source",
}
# Long texts in the order a reader wants them; any other follows.
_PARAGRAPHS = ["https://w3id.org/hls/summary", DCT + "description", SKOS + "definition"]
_HIDDEN = {"https://w3id.org/hls/accessLevel"}  # said by the page's being public at all
_FIRST = [DCT + "title", SKOS + "prefLabel", RDFS + "label", RDF_TYPE.value]


@dataclass
class SiteInfo:
    """What the pages say about the publication itself."""

    title: str
    publisher: str
    license: str
    base: str
    description: str | None = None
    endpoint: str | None = None
    issued: str = ""
    modified: str = ""

    @property
    def license_name(self) -> str:
        return LICENCES.get(self.license, self.license)


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def embedded_json_ld(data: bytes) -> str:
    """JSON-LD text safe inside ``<script>``: every ``<``, ``>`` and ``&`` written as a JSON
    escape (they occur only inside strings), so no ``</script>`` or ``<!--`` can end or open
    anything, and the JSON reads back the same.

    >>> safe = embedded_json_ld(b'[{"@value": "</script><b>"}]')
    >>> "<" in safe, json.loads(safe) == [{"@value": "</script><b>"}]
    (False, True)
    """
    text = data.decode("utf-8")
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


CSS = """
:root { color-scheme: light; --ink: #1d2329; --muted: #59636e; --line: #d5dbe1; --accent: #0b5cad;
  --paper: #fbfcfd; --band: #eef3f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--paper); }
header.site { background: var(--band); border-bottom: 1px solid var(--line); }
header.site .inner, main, footer .inner { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem; }
header.site .inner { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: baseline;
  padding-top: .8rem; padding-bottom: .8rem; }
header.site a.home { font-weight: 700; color: var(--ink); text-decoration: none; font-size: 1.05rem; }
header.site nav a { margin-right: 1rem; }
a { color: var(--accent); }
a:visited { color: #5b3c99; }
main { padding-top: 1.5rem; padding-bottom: 2rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .2rem 0 .6rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
p.kind { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: var(--muted); }
p.lead { font-size: 1.1rem; }
p.iri, p.note { color: var(--muted); font-size: .9rem; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
dl.facts dd ul, ul.plain { margin: 0; padding-left: 1.1rem; }
dl.nested { grid-template-columns: minmax(6rem, 10rem) 1fr; font-size: .95rem; padding: .3rem .6rem;
  background: var(--band); border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--band); }
td.n, th.n { text-align: right; white-space: nowrap; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .6rem; padding: 0;
  list-style: none; }
.counts li { background: var(--band); border-radius: 6px; padding: .6rem .8rem; }
.counts b { font-size: 1.4rem; display: block; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
footer .inner { padding-top: 1rem; padding-bottom: 1.5rem; }
code { font-size: .9em; }
"""


def document(
    site: SiteInfo,
    path: str,
    title: str,
    body: str,
    *,
    alternates: Iterable[tuple[str, str]] = (),
    json_ld: bytes | None = None,
) -> str:
    """A whole HTML page at site path ``path``."""
    home = relative("index.html", path)
    links = "".join(
        f'<link rel="alternate" type="{esc(kind)}" href="{esc(href)}">\n' for kind, href in alternates
    )
    script = ""
    if json_ld is not None:
        script = f'<script type="application/ld+json">{embedded_json_ld(json_ld)}</script>\n'
    nav = " ".join(
        f'<a href="{esc(relative(target, path))}">{esc(text)}</a>'
        for target, text in (
            ("browse/index.html", "Browse"),
            ("aggregates/places.html", "Places"),
            ("aggregates/concepts.html", "Concepts"),
            ("index.html#data", "Data"),
        )
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · {esc(site.title)}</title>\n"
        f'<link rel="stylesheet" href="{esc(relative("style.css", path))}">\n'
        f"{links}{script}</head>\n<body>\n"
        f'<header class="site"><div class="inner"><a class="home" href="{esc(home)}">{esc(site.title)}</a>'
        f"<nav>{nav}</nav></div></header>\n"
        f"<main>\n{body}\n</main>\n"
        f'<footer><div class="inner">Published by {esc(site.publisher)} under '
        f'<a href="{esc(site.license)}" rel="license">{esc(site.license_name)}</a>.'
        f"{' Updated ' + esc(site.modified) + '.' if site.modified else ''}</div></footer>\n"
        "</body>\n</html>\n"
    )


class PageMaker:
    """Renders the pages of one release; knows where every resource's page is."""

    def __init__(self, release: Release, site: SiteInfo, paths: dict, incoming: dict):
        self.release = release
        self.site = site
        self.paths = paths  # resource -> site path without extension
        self.incoming = incoming  # resource -> [(subject, predicate)]

    # ------------------------------------------------------------------ words

    def word_for(self, predicate: ox.NamedNode) -> str:
        return (
            self.release.label(predicate) or _PROPERTY_WORDS.get(predicate.value) or _local(predicate.value)
        )

    def name_of(self, term) -> str:
        if isinstance(term, ox.NamedNode):
            return self.release.label(term) or _PROPERTY_WORDS.get(term.value) or _local(term.value)
        if isinstance(term, ox.Literal):
            return term.value
        return "(unnamed)"

    def link(self, term, page: str) -> str:
        """A term as HTML on the page at ``page``: a published resource as a link to its page,
        a vocabulary term as its label linked to its IRI, a literal as text."""
        if isinstance(term, ox.NamedNode):
            target = self.paths.get(term)
            text = esc(self.name_of(term))
            if target is not None:
                return f'<a href="{esc(relative(target + ".html", page))}">{text}</a>'
            return f'<a href="{esc(term.value)}">{text}</a>'
        if isinstance(term, ox.Literal):
            return esc(term.value)
        if isinstance(term, ox.Triple):
            parts = (term.subject, term.predicate, term.object)
            return "“" + " ".join(self.link(t, page) for t in parts) + "”"
        return self.blank(term, page)

    def blank(self, node, page: str, depth: int = 0) -> str:
        triples = [t for t in self.release.by_subject.get(node, ()) if t.predicate != RDF_TYPE]
        if not triples or depth > 3:
            return "(details not published)"
        label = self.release.label(node)
        if label:
            return esc(label)
        rows = "".join(
            f"<dt>{esc(self.word_for(t.predicate))}</dt><dd>{self._value(t.object, page, depth + 1)}</dd>"
            for t in triples
        )
        return f'<dl class="facts nested">{rows}</dl>'

    def _value(self, term, page: str, depth: int = 0) -> str:
        if isinstance(term, ox.BlankNode):
            return self.blank(term, page, depth)
        return self.link(term, page)

    # ------------------------------------------------------------------ pages

    def resource(self, resource: ox.NamedNode, path: str, json_ld: bytes) -> str:
        page = path + ".html"
        triples = self.release.by_subject.get(resource, [])
        title = self.name_of(resource)
        kinds = [t.object for t in triples if t.predicate == RDF_TYPE]
        kind_text = ", ".join(self.name_of(k) for k in kinds)
        paragraphs: list[tuple[ox.NamedNode, ox.Literal]] = []
        facts: dict[ox.NamedNode, list] = {}
        sources: list = []
        for triple in triples:
            p, o = triple.predicate, triple.object
            if (
                p == RDF_TYPE
                or p.value in _HIDDEN
                or (p in LABELS and isinstance(o, ox.Literal) and o.value == title)
            ):
                continue
            if p == DERIVED_FROM:
                sources.append(o)
            elif isinstance(o, ox.Literal) and len(o.value) > _LONG_TEXT:
                paragraphs.append((p, o))
            else:
                facts.setdefault(p, []).append(o)
        body = [f'<p class="kind">{esc(kind_text)}</p>' if kind_text else "", f"<h1>{esc(title)}</h1>"]
        order = {iri: i for i, iri in enumerate(_PARAGRAPHS)}
        paragraphs.sort(key=lambda pair: (order.get(pair[0].value, len(order)), self.word_for(pair[0])))
        for p, o in paragraphs:
            body.append(f"<h2>{esc(self.word_for(p)).capitalize()}</h2><p>{esc(o.value)}</p>")
        if facts:
            body.append("<h2>About</h2>" + self._facts(facts, page))
        body.append("<h2>Where this comes from</h2>" + self._sources(sources, page))
        body.append(self._incoming(resource, page))
        body.append(
            "<h2>This page as data</h2>"
            f'<p>Identifier: <code class="iri">{esc(resource.value)}</code></p><p>'
            + " · ".join(
                f'<a href="{esc(relative(path + "." + ext, page))}">{name}</a>'
                for ext, name in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
            )
            + "</p>"
        )
        name = path.rsplit("/", 1)[-1]
        alternates = [
            ("text/turtle", name + ".ttl"),
            ("application/ld+json", name + ".jsonld"),
            ("application/n-triples", name + ".nt"),
        ]
        return document(self.site, page, title, "\n".join(body), alternates=alternates, json_ld=json_ld)

    def _facts(self, facts: dict, page: str) -> str:
        order = {iri: i for i, iri in enumerate(_FIRST)}
        rows = []
        for predicate in sorted(facts, key=lambda p: (order.get(p.value, len(order)), self.word_for(p))):
            values = sorted(facts[predicate], key=lambda t: self.name_of(t).casefold())
            cells = [self._value(v, page) for v in values]
            shown = (
                cells[0] if len(cells) == 1 else "<ul>" + "".join(f"<li>{c}</li>" for c in cells) + "</ul>"
            )
            rows.append(f"<dt>{esc(self.word_for(predicate))}</dt><dd>{shown}</dd>")
        return '<dl class="facts">' + "".join(rows) + "</dl>"

    def _sources(self, sources: list, page: str) -> str:
        if not sources:
            return '<p class="note">The publisher gives no source for this item.</p>'
        items = []
        part_of = ox.NamedNode(DCT + "isPartOf")
        for source in sources:
            if isinstance(source, ox.BlankNode):
                items.append(esc(self.release.label(source) or "an imported spreadsheet row"))
                continue
            whole = [t.object for t in self.release.by_subject.get(source, ()) if t.predicate == part_of]
            text = self.link(source, page)
            if whole:
                text = f"section {text} of {self.link(whole[0], page)}"
            items.append(text)
        return '<ul class="plain">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

    def _incoming(self, resource, page: str, limit: int = 200) -> str:
        links = self.incoming.get(resource)
        if not links:
            return ""
        groups: dict = {}
        for subject, predicate in links:
            groups.setdefault(predicate, []).append(subject)
        parts = ["<h2>Linked from</h2>", '<dl class="facts">']
        for predicate in sorted(groups, key=self.word_for):
            subjects = sorted(set(groups[predicate]), key=lambda s: self.name_of(s).casefold())
            shown = "".join(f"<li>{self.link(s, page)}</li>" for s in subjects[:limit])
            more = f"<li>… and {len(subjects) - limit} more</li>" if len(subjects) > limit else ""
            parts.append(f"<dt>{esc(self.word_for(predicate))}</dt><dd><ul>{shown}{more}</ul></dd>")
        parts.append("</dl>")
        return "".join(parts)

    def browse(self, kinds: dict) -> dict[str, str]:
        """``browse/index.html`` and one page per kind listing its resources."""
        pages = {}
        rows = []
        for kind, members in kinds.items():
            slug = "browse/" + _local(kind.value).lower()
            page = slug + ".html"
            items = "".join(
                f"<li>{self.link(m, page)}</li>"
                for m in sorted(members, key=lambda m: self.name_of(m).casefold())
            )
            label = _upper_first(self.name_of(kind))
            pages[page] = document(
                self.site,
                page,
                label,
                f"<h1>{esc(label)}</h1><p>{len(members)} published.</p><ul>{items}</ul>",
            )
            rows.append((label, len(members), slug + ".html"))
        rows.sort(key=lambda r: (-r[1], r[0].casefold()))
        listing = "".join(
            f'<li><b>{n}</b><a href="{esc(relative(href, "browse/index.html"))}">'
            f"{esc(_upper_first(label))}</a></li>"
            for label, n, href in rows
        )
        pages["browse/index.html"] = document(
            self.site,
            "browse/index.html",
            "Browse",
            f'<h1>Browse by kind</h1><ul class="counts">{listing}</ul>',
        )
        return pages

    def aggregates(self, tables: Aggregates) -> dict[str, str]:
        note = (
            f"<p>Counts take in every item the publisher holds, published or not. Items not published "
            f"individually, and items about people, are counted no finer than a local authority, and "
            f"such counts under {SMALL_COUNT} show as “{FEWER}”.</p>"
        )
        head = "".join(f'<th class="n">{esc(c.capitalize())}</th>' for c in COLUMNS)
        pages = {}
        for name, title, rows, key in (
            ("places", "Evidence by place", tables.places, "place"),
            ("concepts", "Evidence by concept", tables.concepts, "concept"),
        ):
            page = f"aggregates/{name}.html"
            body_rows = []
            for row in rows:
                iri = ox.NamedNode(row[key]) if row[key] else None
                label = self.link(iri, page) if iri is not None else esc(row["label"])
                area = f"<td>{esc(row['area'])}</td>" if key == "place" else ""
                cells = "".join(f'<td class="n">{esc(row[c])}</td>' for c in COLUMNS)
                body_rows.append(f"<tr><td>{label}</td>{area}{cells}</tr>")
            area_head = "<th>Kind of area</th>" if key == "place" else ""
            table = (
                f"<table><thead><tr><th>{key.capitalize()}</th>{area_head}{head}</tr></thead>"
                f"<tbody>{''.join(body_rows)}</tbody></table>"
            )
            csv_link = f'<p><a href="{name}.csv">Download as CSV</a></p>'
            pages[page] = document(self.site, page, title, f"<h1>{esc(title)}</h1>{note}{table}{csv_link}")
        return pages

    def landing(
        self, counts: list[tuple[str, int, str]], dumps: list[dict], triples: int, resources: int
    ) -> str:
        site = self.site
        page = "index.html"
        intro = f'<p class="lead">{esc(site.description)}</p>' if site.description else ""
        facts = (
            '<dl class="facts">'
            f"<dt>Publisher</dt><dd>{esc(site.publisher)}</dd>"
            f'<dt>Licence</dt><dd><a href="{esc(site.license)}" rel="license">'
            f"{esc(site.license_name)}</a></dd>"
            f"<dt>First published</dt><dd>{esc(site.issued)}</dd>"
            f"<dt>Last updated</dt><dd>{esc(site.modified)}</dd>"
            f"<dt>Size</dt><dd>{triples:,} statements about {resources:,} resources</dd>"
            "</dl>"
        )
        cards = "".join(
            f'<li><b>{n:,}</b><a href="{esc(href)}">{esc(_upper_first(label))}</a></li>'
            for label, n, href in counts
        )
        files = "".join(
            f'<tr><td><a href="{esc(d["path"])}">{esc(d["title"])}</a></td><td>{esc(d["media"])}</td>'
            f'<td class="n">{_size(d["bytes"])}</td></tr>'
            for d in dumps
        )
        endpoint = (
            f'<p>Query it with SPARQL at <a href="{esc(site.endpoint)}">{esc(site.endpoint)}</a>.</p>'
            if site.endpoint
            else "<p>A preview served with <code>hlsgraph serve</code> answers SPARQL queries at "
            '<a href="sparql">sparql</a>.</p>'
        )
        body = (
            f"<h1>{esc(site.title)}</h1>{intro}{facts}"
            f'<h2>What it holds</h2><ul class="counts">{cards}</ul>'
            '<p><a href="aggregates/places.html">Evidence by place</a> · '
            '<a href="aggregates/concepts.html">Evidence by concept</a></p>'
            '<h2 id="data">The data</h2>'
            "<p>Every page has its data beside it (Turtle, JSON-LD, N-Triples). The whole dataset:</p>"
            f"<table><thead><tr><th>File</th><th>Format</th><th class='n'>Size</th></tr></thead>"
            f"<tbody>{files}</tbody></table>"
            '<p>Described in DCAT and VoID: <a href="dataset.ttl">dataset.ttl</a> · '
            '<a href="dataset.jsonld">dataset.jsonld</a>.</p>'
            f"{endpoint}"
        )
        return document(
            site,
            page,
            site.title,
            body,
            alternates=[("text/turtle", "dataset.ttl"), ("application/ld+json", "dataset.jsonld")],
        )


def _size(count: int) -> str:
    """A file size as a person reads it.

    >>> _size(980), _size(347_984), _size(12_500_000)
    ('980 bytes', '340 kB', '11.9 MB')
    """
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} kB"
    return f"{count / 1024 / 1024:.1f} MB"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


__all__ = ["CSS", "LICENCES", "PageMaker", "SiteInfo", "document", "embedded_json_ld"]
