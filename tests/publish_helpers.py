"""Generated knowledge bases for the publishing tests: public items beside internal and
restricted ones that carry canary strings everywhere a private detail can hide (titles, texts,
labels, places, people, grants to individuals, provenance, file names, triple terms, blank
nodes, items reached only through inferences), so a test can look for every canary in every
output and find none, and find every public marker it expects."""

from __future__ import annotations

import csv
import functools
import gzip
import random
from dataclasses import dataclass, field
from pathlib import Path

import hlsgraph

HLS = "https://w3id.org/hls/"
HLSC = "https://w3id.org/hls/concept/"
HLSD = "https://w3id.org/hls/id/"

EXAMPLE = {
    "base": "https://data.example.org/fund/",
    "title": "Example Fund open data",
    "publisher": "Example Fund",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}
"""Publication arguments the tests share."""

CONCEPTS = ["trust", "strengths", "empathy", "relational-practice", "bespoke-by-default", "human"]
KINDS = ["Story", "Testimony", "Observation", "CaseStudy", "Vignette", "Reflection"]

PREFIXES = """@prefix hls: <https://w3id.org/hls/> . @prefix hlsc: <https://w3id.org/hls/concept/> .
@prefix hlsd: <https://w3id.org/hls/id/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""


@functools.cache
def _ontology_ntriples() -> bytes:
    from hlsgraph.bundled import ONTOLOGY_GRAPH

    kb = hlsgraph.open()
    return b"".join(
        f"{q.subject} {q.predicate} {q.object} .\n".encode() for q in kb.quads(ONTOLOGY_GRAPH.value)
    )


def ontology_only_kb():
    """A knowledge base in memory holding the ontology and nothing else (fast to make)."""
    from hlsgraph.bundled import ONTOLOGY_GRAPH

    kb = hlsgraph.open(bundled=False)
    kb.store.put_triples(ONTOLOGY_GRAPH, _ontology_ntriples(), replace=False)
    kb.reason()
    return kb


@dataclass
class Generated:
    kb: object
    canaries: set = field(default_factory=set)  # strings no output may hold (compare lower-cased)
    public: set = field(default_factory=set)  # strings the published output must hold
    public_items: set = field(default_factory=set)  # IRIs of public items
    restricted_items: set = field(default_factory=set)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(seed: int, folder: Path, *, base=None) -> Generated:
    """Knowledge base number ``seed``, its files written under ``folder``."""
    rng = random.Random(seed)
    kb = base or ontology_only_kb()
    out = Generated(kb)
    tag = f"CNRY{seed:03d}"

    def canary(kind: str) -> str:
        token = f"{tag}{kind}{len(out.canaries)}"
        out.canaries.add(token)
        return token

    def public(kind: str) -> str:
        token = f"PUBOK{seed:03d}{kind}{len(out.public)}"
        out.public.add(token)
        return token

    ttl = [PREFIXES]
    # Places: a public local authority and region; a restricted ward inside the authority; an
    # unmarked place reached from a public one only through the transitive closure of hls:within.
    region, authority = f"hlsd:place-region-{seed}", f"hlsd:place-authority-{seed}"
    secret_ward = f"hlsd:place-{canary('WARDIRI').lower()}"
    hidden = f"hlsd:place-{canary('INFERIRI').lower()}"
    middle = f"hlsd:place-middle-{seed}"
    ttl.append(
        f"""{region} a hls:Place ; rdfs:label {_lit(public("REGION"))} ;
                hls:gssCode "E12000{seed % 9 + 1:03d}" ;
            hls:accessLevel hls:public .
        {authority} a hls:Place ; rdfs:label {_lit(public("AUTH"))} ;
            hls:gssCode "E06000{seed % 60 + 1:03d}" ;
            hls:within {region} ; hls:accessLevel hls:public .
        {secret_ward} a hls:Place ; rdfs:label {_lit(canary("WARD"))} ; hls:gssCode "E05{seed:06d}" ;
            hls:within {authority} ; hls:accessLevel hls:restricted .
        {authority} hls:within {middle} .
        {middle} a hls:Place ; hls:within {hidden} ; hls:accessLevel hls:internal ;
            rdfs:label {_lit(canary("MIDDLE"))} .
        {hidden} a hls:Place ; rdfs:label {_lit(canary("INFERRED"))} .
        """
    )
    # People and a grant to an individual (restricted, as 360Giving's practice has it), and a
    # grant to an organisation (public).
    person = f"hlsd:person-{canary('PERSONIRI').lower()}"
    org = f"hlsd:org-{seed}"
    ttl.append(
        f"""{person} a schema:Person ; schema:name {_lit(canary("PERSON"))} ; hls:accessLevel hls:restricted .
        {org} a hls:Provider ; rdfs:label {_lit(public("ORG"))} ; hls:place {authority} ;
            hls:accessLevel hls:public .
        hlsd:grant-{canary("GRANTIRI").lower()} a hls:FundingArrangement ; hls:recipient {person} ;
            dcterms:title {_lit("Grant to " + canary("GRANTEE"))} ; hls:amount "750"^^xsd:decimal ;
            hls:place {secret_ward} ; hls:accessLevel hls:restricted .
        hlsd:grant-open-{seed} a hls:FundingArrangement ; hls:recipient {org} ; hls:funder {org} ;
            dcterms:title {_lit(public("GRANT"))} ; hls:place {authority} ; hls:accessLevel hls:public .
        """
    )
    # Provenance: a restricted source document and section, and a public one.
    secret_doc, secret_section = f"hlsd:source-{canary('DOCIRI').lower()}", f"hlsd:source-sec-{seed}"
    open_doc, open_section = f"hlsd:source-open-{seed}", f"hlsd:source-open-{seed}-s1"
    ttl.append(
        f"""{secret_doc} a hls:SourceDocument ; dcterms:title {_lit(canary("DOC"))} ;
                hls:accessLevel hls:restricted .
        {secret_section} a hls:SourceSection ; dcterms:isPartOf {secret_doc} ;
            rdfs:label {_lit(canary("SECTION"))} ;
            hls:accessLevel hls:internal .
        {open_doc} a hls:SourceDocument ; dcterms:title {_lit(public("DOC"))} ; hls:accessLevel hls:public .
        {open_section} a hls:SourceSection ; dcterms:isPartOf {open_doc} ;
            rdfs:label {_lit(public("SECTION"))} ;
            hls:accessLevel hls:public .
        hlsc:coined-{seed} rdfs:label {_lit(canary("COINED"))} .
        """
    )
    unmarked = f"hlsd:note-{canary('UNMARKEDIRI').lower()}"
    ttl.append(f"{unmarked} rdfs:label {_lit(canary('UNMARKED'))} .\n")
    # Evidence items at every level.
    levels = ["public", "internal", "restricted"] + [
        rng.choice(["public", "internal", "restricted"]) for _ in range(rng.randint(5, 11))
    ]
    items = {"public": [], "internal": [], "restricted": []}
    for i, level in enumerate(levels):
        kind = rng.choice(KINDS)
        if level == "public":
            iri = f"hlsd:item-{seed}-{i}"
            title, text, label, detail = (
                public("T"),
                public("S") + " what happened, told with consent.",
                None,
                public("D"),
            )
            out.public_items.add(HLSD + iri.split(":", 1)[1])
        else:
            iri = f"hlsd:item-{canary('IRI').lower()}"
            title, text, label, detail = (
                canary("T"),
                canary("S") + " " + "private details " * 12,
                canary("L"),
                canary("D"),
            )
            out.restricted_items.add(HLSD + iri.split(":", 1)[1])
        items[level].append(iri)
        concepts = ", ".join(f"hlsc:{c}" for c in rng.sample(CONCEPTS, rng.randint(1, 3)))
        place = rng.choice([authority, secret_ward, region])
        source = open_section if level == "public" and rng.random() < 0.7 else secret_section
        ttl.append(
            f"""{iri} a hls:{kind} ; dcterms:title {_lit(title)} ; hls:summary {_lit(text)} ;
                hls:illustrates {concepts} ; hls:place {place} ; hls:organisation {org} ;
                hls:aboutRole hlsc:person-accessing-support ; prov:wasDerivedFrom {source} ;
                hls:detail [ rdfs:comment {_lit(detail)} ] ; hls:accessLevel hls:{level} .
            """
        )
        if label:
            ttl.append(f"{iri} rdfs:label {_lit(label)} .\n")
    # Public items point at everything they must not name.
    for iri in items["public"]:
        target = rng.choice(items["internal"] + items["restricted"])
        ttl.append(
            f"""{iri} hls:reflectsOn {target} ; schema:about {person} ; hls:place {secret_ward} ;
                prov:wasDerivedFrom {secret_section} ; rdfs:seeAlso {unmarked} ;
                    hls:illustrates hlsc:coined-{seed} ;
                hls:quotes <<( {target} hls:summary {_lit(canary("QUOTED"))} )>> ;
                hls:quotes <<( {iri} hls:quotes <<( {person} schema:name {_lit(canary("NESTED"))} )>> )>> ;
                hls:reifiedBy <<( {iri} dcterms:title {_lit(public("QT"))} )>> .
            """
        )
    # Withheld items point at public ones too, and one item is marked both public and restricted.
    for iri in items["internal"] + items["restricted"]:
        ttl.append(f"{iri} hls:reflectsOn {rng.choice(items['public'])} .\n")
    both = f"hlsd:item-{canary('BOTHIRI').lower()}"
    ttl.append(
        f"{both} a hls:Story ; dcterms:title {_lit(canary('BOTH'))} ;\n"
        "    hls:accessLevel hls:public , hls:restricted .\n"
    )
    # Public items in a file whose name is private; the rest in another.
    secret_name = canary("FILE").lower()
    rdf_file = folder / f"{secret_name}-case-notes.ttl"
    rdf_file.write_text("\n".join(ttl), encoding="utf-8")
    kb.load(rdf_file)
    # A spreadsheet import from a privately named file: public rows and restricted ones.
    sheet = folder / f"{canary('SHEET').lower()}-safeguarding-referral.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "summary", "concepts", "access_level"])
        for i in range(rng.randint(2, 4)):
            writer.writerow(
                [
                    f"row-{seed}-{i}",
                    public("ROW"),
                    "A story from the sheet, told with consent.",
                    "Trust",
                    "public",
                ]
            )
        writer.writerow(
            [
                f"{canary('ROWID').lower()}",
                canary("ROWT"),
                canary("ROWS") + " private.",
                "Trust",
                "restricted",
            ]
        )
    report = kb.import_table(sheet, "stories")
    assert report.ok, report.to_dataframe()
    return out


def every_output_file(folder: Path):
    """Every file under ``folder`` as (relative path, text), gzip files unpacked."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            yield str(path.relative_to(folder)), data.decode("utf-8", "replace")


def leaks(text: str, canaries: set) -> list[str]:
    lowered = text.lower()
    return sorted(c for c in canaries if c.lower() in lowered)


def store_text(kb) -> str:
    """Everything the knowledge base holds, graph names included, as one text."""
    return "\n".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in kb.quads())
