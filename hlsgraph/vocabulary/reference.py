"""The HTML reference of the HLS ontology, generated from the ontology itself: classes,
properties, access levels and every concept scheme with its members, definitions and sources,
plus a diagram of how the main classes connect (``hlsgraph docs OUTDIR``)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from ..namespaces import HLS, HLSC, ONTOLOGY_IRI, PREFIXES
from ..store.terms import shorten

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dcterms"]


@dataclass
class Term:
    """One documented term: its IRI and what the ontology says about it."""

    iri: str
    label: str
    definition: str = ""
    source: str = ""
    alt_labels: list[str] = field(default_factory=list)
    notation: str = ""
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (property label, target IRI)


def anchor(iri: str) -> str:
    """The HTML id of a term on the reference page (``hls-Story``, ``hlsc-trust``)."""
    return shorten(iri).replace(":", "-")


class _Ontology:
    """Read-only access to the ontology graph, by plain IRI strings."""

    def __init__(self, graph):
        import rdflib

        self.g = graph
        self.U = rdflib.URIRef

    def objects(self, s: str, p: str) -> list:
        return sorted(self.g.objects(self.U(s), self.U(p)), key=str)

    def one(self, s: str, p: str) -> str:
        values = [str(o) for o in self.objects(s, p) if getattr(o, "language", None) in (None, "en")]
        return values[0] if values else ""

    def subjects_of_type(self, t: str) -> list[str]:
        import rdflib

        return sorted(
            str(s) for s in self.g.subjects(self.U(_RDF + "type"), self.U(t)) if isinstance(s, rdflib.URIRef)
        )

    def class_expressions(self, node) -> list[str]:
        """Named classes in a domain/range: the class itself or the members of an owl:unionOf."""
        import rdflib
        from rdflib.collection import Collection

        if isinstance(node, rdflib.URIRef):
            return [str(node)]
        union = self.g.value(node, self.U(_OWL + "unionOf"))
        if union is None:
            return []
        return [str(m) for m in Collection(self.g, union)]

    def term(self, iri: str) -> Term:
        label = self.one(iri, _SKOS + "prefLabel") or self.one(iri, _RDFS + "label") or shorten(iri)
        t = Term(
            iri=iri,
            label=label,
            definition=self.one(iri, _SKOS + "definition"),
            source="; ".join(str(o) for o in self.objects(iri, _DCT + "source")),
            alt_labels=[str(o) for o in self.objects(iri, _SKOS + "altLabel")],
            notation=self.one(iri, _SKOS + "notation"),
        )
        t.parents = [
            str(o)
            for o in self.objects(iri, _RDFS + "subClassOf") + self.objects(iri, _RDFS + "subPropertyOf")
            if isinstance(o, self.U)
        ]
        for d in self.objects(iri, _RDFS + "domain"):
            t.domain += self.class_expressions(d)
        for r in self.objects(iri, _RDFS + "range"):
            t.range += self.class_expressions(r)
        for prop in ("expresses", "enables", "hinders", "hierarchyLevel"):
            for o in self.objects(iri, HLS + prop):
                t.links.append((prop, str(o)))
        return t


def _link(iri: str) -> str:
    text = html.escape(shorten(iri))
    if iri.startswith(HLS):  # hls: and hlsc: terms are on this page
        return f'<a href="#{html.escape(anchor(iri))}"><code>{text}</code></a>'
    return f"<code>{text}</code>"


def _term_block(t: Term, tag: str = "div") -> str:
    parts = [f'<{tag} class="term" id="{html.escape(anchor(t.iri))}">']
    notation = f'<span class="notation">{html.escape(t.notation)}</span> ' if t.notation else ""
    parts.append(
        f"<h4>{notation}{html.escape(t.label)} <small><code>{html.escape(shorten(t.iri))}</code></small></h4>"
    )
    if t.alt_labels:
        parts.append(f'<p class="alt">Also: {html.escape("; ".join(t.alt_labels))}</p>')
    if t.definition:
        parts.append(f'<p class="definition">{html.escape(t.definition)}</p>')
    rows = []
    if t.parents:
        rows.append(("parents", ", ".join(_link(p) for p in t.parents)))
    if t.domain:
        rows.append(("domain", ", ".join(_link(d) for d in t.domain)))
    if t.range:
        rows.append(("range", ", ".join(_link(r) for r in t.range)))
    for prop, target in t.links:
        rows.append((prop, _link(target)))
    if t.source:
        rows.append(("source", html.escape(t.source)))
    rows.append(("IRI", f"<code>{html.escape(t.iri)}</code>"))
    parts.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")
    parts.append(f"</{tag}>")
    return "\n".join(parts)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
.term { border-left: 3px solid #8ab; padding: 0.1rem 0.8rem; margin: 0.8rem 0; }
.term h4 { margin: 0.3rem 0; } .term small { font-weight: normal; color: #555; }
dl { display: grid; grid-template-columns: 7rem 1fr; gap: 0.1rem 0.6rem; font-size: 0.9rem; }
dt { color: #555; } dd { margin: 0; } .definition { margin: 0.3rem 0; }
.alt { color: #555; margin: 0; font-size: 0.9rem; }
.notation { background: #eef; padding: 0 0.3rem; border-radius: 3px; }
ul.members { list-style: none; padding-left: 1.2rem; } nav ul { columns: 2; }
"""


def _scheme_members(o: _Ontology, scheme: str, rendered: set[str]) -> str:
    """The members of a scheme as nested lists: top concepts, then what is narrower within it.
    A concept already described under an earlier scheme is linked to, not repeated."""
    members = {str(s) for s in o.g.subjects(o.U(_SKOS + "inScheme"), o.U(scheme))}
    tops = sorted(str(c) for c in o.g.objects(o.U(scheme), o.U(_SKOS + "hasTopConcept")))

    def order(iris):
        return sorted(
            iris, key=lambda i: (_notation_key(o.one(i, _SKOS + "notation")), o.term(i).label.casefold())
        )

    def children(parent: str) -> list[str]:
        return order(str(c) for c in o.g.subjects(o.U(_SKOS + "broader"), o.U(parent)) if str(c) in members)

    seen: set[str] = set()

    def render(iri: str) -> str:
        seen.add(iri)
        kids = [k for k in children(iri) if k not in seen]
        inner = "".join(render(k) for k in kids)
        if iri in rendered:
            t = o.term(iri)
            block = f'<p class="seealso">{html.escape(t.label)}: see {_link(iri)}</p>'
        else:
            rendered.add(iri)
            block = _term_block(o.term(iri), tag="div")
        return f"<li>{block}" + (f'<ul class="members">{inner}</ul>' if inner else "") + "</li>"

    body = "".join(render(t) for t in order(tops))
    rest = order(m for m in members if m not in seen)
    body += "".join(render(m) for m in rest if m not in seen)
    return f'<ul class="members">{body}</ul>'


def _in_scheme(o: _Ontology, scheme: str) -> set[str]:
    return {str(m) for m in o.g.subjects(o.U(_SKOS + "inScheme"), o.U(scheme))}


def _members_in_order(o: _Ontology, collection: str) -> list[str]:
    from rdflib.collection import Collection

    head = o.g.value(o.U(collection), o.U(_SKOS + "memberList"))
    return [str(m) for m in Collection(o.g, head)] if head is not None else []


def _ordered_collection(o: _Ontology, collection: str) -> str:
    """An ordered collection of a scheme's concepts (such as the hierarchy of evidence, top to
    bottom): its entry, then its members in their order."""
    block = _term_block(o.term(collection))
    members = "".join(f"<li>{_link(m)}</li>" for m in _members_in_order(o, collection))
    return block.replace("</dl>", f"</dl><ol>{members}</ol>", 1)


def _notation_key(notation: str):
    parts = []
    for piece in notation.split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return parts or [(2, 0, "")]


def reference_html(graph=None) -> str:
    """The whole reference as one HTML page (a string).

    >>> page = reference_html()
    >>> "Plymouth Alliance principles" in page and 'id="hlsc-trust"' in page
    True
    """
    from .ontology import ontology_graph

    o = _Ontology(graph if graph is not None else ontology_graph())
    meta = o.term(ONTOLOGY_IRI)
    title = o.one(ONTOLOGY_IRI, _DCT + "title") or "HLS ontology"
    description = o.one(ONTOLOGY_IRI, _DCT + "description")
    version = o.one(ONTOLOGY_IRI, _OWL + "versionInfo")
    version_iri = o.one(ONTOLOGY_IRI, _OWL + "versionIRI")
    licence = o.one(ONTOLOGY_IRI, _DCT + "license")
    creators = ", ".join(str(c) for c in o.objects(ONTOLOGY_IRI, _DCT + "creator"))

    def ours(iris):
        return [i for i in iris if i.startswith(HLS) and not i.startswith(HLSC)]

    classes = sorted(ours(o.subjects_of_type(_OWL + "Class")), key=lambda i: o.term(i).label.casefold())
    obj_props = sorted(
        ours(o.subjects_of_type(_OWL + "ObjectProperty")), key=lambda i: o.term(i).label.casefold()
    )
    data_props = sorted(
        ours(o.subjects_of_type(_OWL + "DatatypeProperty")), key=lambda i: o.term(i).label.casefold()
    )
    ann_props = sorted(
        ours(o.subjects_of_type(_OWL + "AnnotationProperty")), key=lambda i: o.term(i).label.casefold()
    )
    levels = ours(o.subjects_of_type(HLS + "AccessLevel"))
    schemes = sorted(o.subjects_of_type(_SKOS + "ConceptScheme"), key=lambda i: o.term(i).label.casefold())
    collections = sorted(c for c in o.subjects_of_type(_SKOS + "OrderedCollection") if c.startswith(HLS))

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(description)}</p>",
        "<dl>",
        f"<dt>IRI</dt><dd><code>{html.escape(ONTOLOGY_IRI)}</code></dd>",
        f"<dt>version</dt><dd>{html.escape(version)} (<code>{html.escape(version_iri)}</code>)</dd>",
        f'<dt>licence</dt><dd><a href="{html.escape(licence)}">{html.escape(licence)}</a></dd>',
        f"<dt>creators</dt><dd>{html.escape(creators)}</dd>",
        f"<dt>sources</dt><dd>{html.escape(meta.source)}</dd>",
        '<dt>download</dt><dd><a href="hls.ttl">Turtle</a>, <a href="hls.nt">N-Triples</a>, '
        '<a href="shapes.ttl">SHACL shapes</a></dd>',
        "</dl>",
        '<p><img src="model.svg" alt="How the main classes of the HLS ontology connect" '
        'style="max-width:100%"></p>',
        "<nav><h2>Contents</h2><ul>",
        '<li><a href="#classes">Classes</a></li><li><a href="#object-properties">Object properties</a></li>',
        '<li><a href="#datatype-properties">Datatype properties</a></li>',
        '<li><a href="#annotation-properties">Annotation properties</a></li>',
        '<li><a href="#access-levels">Access levels</a></li>',
        '<li><a href="#schemes">Concept schemes</a><ul>',
    ]
    out += [
        f'<li><a href="#{html.escape(anchor(s))}">{html.escape(o.term(s).label)}</a></li>' for s in schemes
    ]
    out.append("</ul></li></ul></nav>")

    out.append(f'<h2 id="classes">Classes ({len(classes)})</h2>')
    out += [_term_block(o.term(c)) for c in classes]
    out.append(f'<h2 id="object-properties">Object properties ({len(obj_props)})</h2>')
    out += [_term_block(o.term(p)) for p in obj_props]
    out.append(f'<h2 id="datatype-properties">Datatype properties ({len(data_props)})</h2>')
    out += [_term_block(o.term(p)) for p in data_props]
    out.append(f'<h2 id="annotation-properties">Annotation properties ({len(ann_props)})</h2>')
    out += [_term_block(o.term(p)) for p in ann_props]
    out.append(f'<h2 id="access-levels">Access levels ({len(levels)})</h2>')
    out += [_term_block(o.term(a)) for a in levels]
    out.append(f'<h2 id="schemes">Concept schemes ({len(schemes)})</h2>')
    rendered: set[str] = set()
    for s in schemes:
        t = o.term(s)
        count = len(set(o.g.subjects(o.U(_SKOS + "inScheme"), o.U(s))))
        out.append(f'<section id="{html.escape(anchor(s))}">')
        out.append(
            f"<h3>{html.escape(t.label)} "
            f"<small><code>{html.escape(shorten(s))}</code>, {count} members</small></h3>"
        )
        if t.definition:
            out.append(f"<p>{html.escape(t.definition)}</p>")
        if t.source:
            out.append(f"<p><small>Source: {html.escape(t.source)}</small></p>")
        out.append(_scheme_members(o, s, rendered))
        out += [
            _ordered_collection(o, c) for c in collections if set(_members_in_order(o, c)) <= _in_scheme(o, s)
        ]
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- the diagram ------------------------------------------------------------------------------

# Fixed positions keep the picture stable from build to build (a spring layout would move).
_DIAGRAM_NODES = {
    HLS + "Inquiry": (-6.0, 2.4),
    HLS + "LearningCycle": (-6.0, 0.6),
    HLS + "SelfAssessment": (-6.0, -1.6),
    HLS + "Score": (-6.0, -3.4),
    HLS + "Measure": (-3.4, 2.6),
    HLS + "Observation": (-3.4, 1.0),
    HLS + "Reflection": (-3.4, -0.8),
    HLS + "Story": (-3.4, -2.4),
    HLS + "EvidenceItem": (0.0, 0.0),
    HLS + "SourceSection": (-1.6, -4.0),
    HLS + "SourceDocument": (-4.2, -4.4),
    HLS + "AccessLevel": (1.0, -4.2),
    HLS + "Place": (-1.6, 3.6),
    HLS + "Organisation": (1.8, 3.6),
    HLS + "System": (0.0, 5.2),
    HLS + "FundingArrangement": (3.6, 5.2),
    HLS + "CaseStudy": (2.8, 1.6),
    HLS + "PracticeUse": (5.0, 2.6),
    HLS + "Feature": (5.0, 4.2),
    HLS + "Claim": (2.8, -1.6),
    HLS + "ChangeJourney": (3.2, -3.4),
    HLS + "JourneyStep": (5.6, -3.4),
    _SKOS + "Concept": (7.2, 0.0),
}


def diagram_edges(graph=None) -> list[tuple[str, str, str]]:
    """(domain class, property label, range class) for object properties between the main
    classes; concept-kind ranges are drawn as skos:Concept and an open domain as EvidenceItem."""
    from .ontology import ontology_graph

    o = _Ontology(graph if graph is not None else ontology_graph())
    concept_kinds = {c for c in o.subjects_of_type(_OWL + "Class") if _SKOS + "Concept" in o.term(c).parents}
    evidence_kinds = {
        c for c in o.subjects_of_type(_OWL + "Class") if HLS + "EvidenceItem" in o.term(c).parents
    }

    def place(c: str) -> str | None:
        if c == _OWL + "Thing":
            return HLS + "EvidenceItem"
        if c in concept_kinds or c in {HLS + "LearningPoint", HLS + "Principle"}:
            return _SKOS + "Concept"
        if c in _DIAGRAM_NODES:
            return c
        if c in evidence_kinds:
            return HLS + "EvidenceItem"
        return None

    edges: set[tuple[str, str, str]] = set()
    for p in o.subjects_of_type(_OWL + "ObjectProperty"):
        if p.startswith(HLS):
            t = o.term(p)
            ends = ((place(d), place(r)) for d in t.domain for r in t.range)
            edges.update((a, t.label, b) for a, b in ends if a and b and a != b)
    edges.add((HLS + "EvidenceItem", "prov:wasDerivedFrom", HLS + "SourceSection"))
    edges.add((HLS + "SourceSection", "dcterms:isPartOf", HLS + "SourceDocument"))
    edges.add((HLS + "Reflection", "part of cycle", HLS + "LearningCycle"))
    return sorted(edges)


def subclass_edges(graph=None) -> set[tuple[str, str, str]]:
    """The asserted ``rdfs:subClassOf`` links between hls: classes, as (sub, rdfs:subClassOf, super)."""
    from .ontology import ontology_graph

    o = _Ontology(graph if graph is not None else ontology_graph())
    return {
        (c, _RDFS + "subClassOf", p)
        for c in o.subjects_of_type(_OWL + "Class")
        if c.startswith(HLS)
        for p in o.term(c).parents
    }


def model_diagram(path, graph=None) -> Path:
    """Draw the main classes and the object properties between them to ``path`` (SVG or PNG)."""
    from ..extras import require

    matplotlib = require("matplotlib", "the model diagram")
    nx = require("networkx", "the model diagram")
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    path = Path(path)
    edges = diagram_edges(graph)
    g = nx.MultiDiGraph()
    g.add_nodes_from(_DIAGRAM_NODES)
    merged: dict[tuple[str, str], list[str]] = {}
    for a, label, b in edges:
        merged.setdefault((a, b), []).append(label)
    for (a, b), names in merged.items():
        g.add_edge(a, b, label=", ".join(sorted(names)))

    kinds = [
        n for n in _DIAGRAM_NODES if (n, _RDFS + "subClassOf", HLS + "EvidenceItem") in subclass_edges(graph)
    ]
    with plt.rc_context({"svg.hashsalt": "hlsgraph", "font.size": 7}):
        fig, ax = plt.subplots(figsize=(15, 10))
        pos = _DIAGRAM_NODES
        sub = nx.DiGraph()
        sub.add_edges_from((k, HLS + "EvidenceItem") for k in kinds)
        nx.draw_networkx_edges(
            sub,
            pos,
            ax=ax,
            arrows=True,
            arrowstyle="-|>",
            arrowsize=12,
            style="dashed",
            edge_color="#99aa99",
            node_size=3200,
        )
        nx.draw_networkx_edges(
            g,
            pos,
            ax=ax,
            arrows=True,
            arrowsize=10,
            edge_color="#8899aa",
            node_size=3200,
            connectionstyle="arc3,rad=0.06",
        )
        edge_labels = {(a, b): lab.replace(", ", ",\n") for a, b, lab in g.edges(data="label")}
        nx.draw_networkx_edge_labels(
            g,
            pos,
            edge_labels=edge_labels,
            ax=ax,
            font_size=6,
            font_color="#334",
            label_pos=0.45,
            rotate=False,
            connectionstyle="arc3,rad=0.06",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        for node, (x, y) in pos.items():
            colour = (
                "#f6d8a8"
                if node == _SKOS + "Concept"
                else "#cfe3f1"
                if node == HLS + "EvidenceItem"
                else "#eef2f5"
            )
            ax.text(
                x,
                y,
                shorten(node),
                ha="center",
                va="center",
                fontsize=8,
                zorder=5,
                bbox={"boxstyle": "round,pad=0.4", "fc": colour, "ec": "#556677"},
            )
        ax.set_title(
            "HLS ontology: the main classes, the object properties between them (solid) and the kinds of "
            "evidence item (dashed).\nConcept kinds (roles, stages, practices, outcomes, ...) are drawn as "
            "skos:Concept; properties open to any record are drawn from EvidenceItem.",
            fontsize=9,
        )
        ax.axis("off")
        fig.tight_layout()
        metadata = {"Date": None} if path.suffix == ".svg" else None
        fig.savefig(path, metadata=metadata)
        plt.close(fig)
    return path


def build_reference(outdir) -> Path:
    """Write the reference site to ``outdir``: ``index.html``, the diagram ``model.svg``, and the
    ontology as ``hls.ttl`` and ``hls.nt`` plus ``shapes.ttl``. Returns the path of index.html.
    """
    import shutil

    from ..resources import ontology_dir
    from .ontology import SHAPES_FILE, ontology_graph

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    graph = ontology_graph()
    index = outdir / "index.html"
    index.write_text(reference_html(graph), encoding="utf-8")
    model_diagram(outdir / "model.svg", graph)
    graph.serialize(outdir / "hls.ttl", format="turtle", encoding="utf-8")
    graph.serialize(outdir / "hls.nt", format="nt", encoding="utf-8")
    shutil.copyfile(ontology_dir() / SHAPES_FILE, outdir / "shapes.ttl")
    return index
