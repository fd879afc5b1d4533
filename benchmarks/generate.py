"""Synthetic evidence graphs for the benchmark, with the shapes of the bundled base.

Writes deterministic (seeded) N-Triples files of about 10^4, 10^5 and 10^6 triples and stories
spreadsheets of 10^4 and 10^5 rows, following docs/model.md: places nested in regions in nations with
GSS-like codes, organisations of every kind with their relationships, case studies with features and
practice uses, stories and testimonies tagged with 1-3 concepts, measures with observations, claims,
funding arrangements, change journeys, self-assessments and systems. Concept IRIs are read from the
ontology (``ontology/*.ttl``) each time, so the graphs follow the ontology as it changes.

Usage::

    python benchmarks/generate.py [--sizes 1e4,1e5,1e6] [--rows 1e4,1e5] [--data DIR] [--seed 8]

The same seed, size and ontology always give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hlsgraph.namespaces import ACCESS_LEVELS as ACCESS_LEVEL_IRIS
from hlsgraph.namespaces import HLS, HLSC, HLSD, HLSG
from hlsgraph.resources import base_data_dir, ontology_dir, templates_dir

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = BENCH_DIR / "data"
DEFAULT_SEED = 8
GRAPH_IRI = HLSG + "bench"
"""The named graph the benchmark loads a generated file into."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"

# Concept schemes the generator draws from (docs/model.md, "Concept schemes"). Every one must have
# members in the ontology; the generator reads which ones at run time.
SCHEMES = {
    "features": "hls-features",
    "behaviours": "system-behaviours",
    "conditions": "conditions-for-change",
    "outcomes": "outcomes",
    "roles": "roles",
    "practices": "practices",
    "stages": "change-stages",
    "drivers": "drivers-for-change",
    "funding": "funding-arrangements",
    "perspectives": "measure-perspectives",
    "questions": "measure-questions",
    "purposes": "measure-purposes",
    "principles": "plymouth-alliance-principles",
    "learning_points": "ivar-key-learning-points",
    "place_kinds": "place-kinds",
}
ACCESS_LEVELS = tuple(ACCESS_LEVEL_IRIS.values())  # public, internal, restricted
ACCESS_WEIGHTS = (70, 20, 10)
UNITS = ("GBP", "people", "cases", "percent", "years", "teams")

# Words for place and organisation names and for the ~300-character story texts. Invented, so no
# generated name is a real place or person.
_STEMS = (
    "Ash",
    "Brook",
    "Cole",
    "Dun",
    "Elm",
    "Fair",
    "Glen",
    "Hart",
    "Ivy",
    "Kings",
    "Lang",
    "Mill",
    "North",
    "Oak",
    "Red",
    "Stan",
    "Thorn",
    "Wes",
    "Bram",
    "Cray",
    "Fen",
    "Hol",
    "Lark",
    "Mor",
)
_ENDS = ("bury", "field", "ford", "ham", "ley", "mouth", "ton", "wick", "worth", "dale", "combe", "stow")
_WARDS = ("Central", "Hill", "Park", "Vale", "Green", "Riverside", "Common", "Heath")
_PEOPLE = (
    "a young carer",
    "a man leaving prison",
    "a mother of three",
    "an older woman living alone",
    "a teenager out of school",
    "a refugee family",
    "a veteran",
    "a care leaver",
)
_OPENINGS = (
    "When {who} first came to the service, nothing seemed to fit together.",
    "For years {who} had been passed between teams without anyone owning the problem.",
    "The worker met {who} at a community cafe rather than in an office.",
    "Nobody asked {who} what mattered until a new key worker arrived.",
)
_MIDDLES = (
    "The team took time to build trust and listened before offering anything.",
    "Managers let the worker bend the rules on housing paperwork to fit the situation.",
    "Partners from health and the council met weekly to learn what was working.",
    "Small experiments with the timetable showed what helped and what did not.",
    "A peer mentor with lived experience stayed alongside through the hard months.",
    "The budget was pooled so the worker could buy what was actually needed.",
)
_ENDINGS = (
    "Now there is stable housing and a sense of being in control again.",
    "Loneliness has eased and there are friendships that last beyond the service.",
    "Debts are under control and a part-time job has started.",
    "School attendance is back and the family feels heard.",
    "Crisis calls have stopped and hospital visits are rare.",
)


def _literal_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


class NTriplesWriter:
    """Streams triples to an N-Triples file and counts them."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0

    def iri(self, s: str, p: str, o: str) -> None:
        self.stream.write(f"<{s}> <{p}> <{o}> .\n")
        self.count += 1

    def text(self, s: str, p: str, value: str, lang: str | None = None) -> None:
        suffix = f"@{lang}" if lang else ""
        self.stream.write(f'<{s}> <{p}> "{_literal_escape(value)}"{suffix} .\n')
        self.count += 1

    def typed(self, s: str, p: str, value: str, datatype: str) -> None:
        self.stream.write(f'<{s}> <{p}> "{_literal_escape(value)}"^^<{datatype}> .\n')
        self.count += 1


@dataclass
class Vocabulary:
    """The concept IRIs (and their labels) the generator draws from, read from the ontology."""

    members: dict[str, list[str]]
    labels: dict[str, str]
    fingerprint: str

    def pick(self, rng: random.Random, key: str) -> str:
        return rng.choice(self.members[key])


def read_vocabulary(ontology: Path | None = None) -> Vocabulary:
    """Read the members of each concept scheme the generator needs from the ontology's Turtle.

    Parameters
    ----------
    ontology:
        Directory of the ontology's ``*.ttl`` modules; the bundled ontology when ``None``.

    Raises
    ------
    FileNotFoundError
        When the directory holds no Turtle file.
    ValueError
        When a scheme listed in ``SCHEMES`` has no members, naming the schemes that are missing.
    """
    directory = Path(ontology) if ontology else ontology_dir()
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no ontology modules (*.ttl) in {directory}")
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    members: dict[str, list[str]] = {}
    missing = []
    for key, scheme in SCHEMES.items():
        s = f"<{HLSC}{scheme}>"
        rows = store.query(
            f"""SELECT DISTINCT ?c WHERE {{
                  {{ ?c <{SKOS}inScheme> {s} }} UNION {{ ?c <{SKOS}topConceptOf> {s} }}
                  UNION {{ {s} <{SKOS}hasTopConcept> ?c }}
                  FILTER(isIRI(?c))
                }}"""
        )
        iris = sorted(row["c"].value for row in rows)
        if not iris:
            missing.append(HLSC + scheme)
        members[key] = iris
    if missing:
        raise ValueError(
            f"the ontology in {directory} has no members for the concept scheme(s) "
            f"{', '.join(missing)}; docs/model.md lists them as part of the contract"
        )
    labels = {}
    for row in store.query(
        f"SELECT ?c ?l WHERE {{ ?c <{SKOS}prefLabel> ?l "
        "FILTER(langMatches(lang(?l), 'en') || lang(?l) = '') }"
    ):
        labels.setdefault(row["c"].value, row["l"].value)
    digest = hashlib.sha256(json.dumps(members, sort_keys=True).encode()).hexdigest()[:16]
    return Vocabulary(members, labels, digest)


def story_text(rng: random.Random, target: int = 300) -> str:
    """About ``target`` characters of story, from invented sentences."""
    who = rng.choice(_PEOPLE)
    parts = [rng.choice(_OPENINGS).format(who=who)]
    middles = list(_MIDDLES)
    rng.shuffle(middles)
    for sentence in middles:
        if sum(len(p) + 1 for p in parts) + len(sentence) > target - 60:
            break
        parts.append(sentence)
    parts.append(rng.choice(_ENDINGS))
    return " ".join(parts)


def _date(rng: random.Random, first_year: int = 2015, last_year: int = 2025) -> str:
    return f"{rng.randint(first_year, last_year):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


@dataclass
class Place:
    iri: str
    label: str
    kind: str
    code: str
    parent: Place | None = None


@dataclass
class World:
    """Places and organisations shared by all the evidence items of one generated graph."""

    nations: list[Place] = field(default_factory=list)
    regions: list[Place] = field(default_factory=list)
    districts: list[Place] = field(default_factory=list)
    neighbourhoods: list[Place] = field(default_factory=list)
    orgs: dict[str, list[tuple[str, Place]]] = field(default_factory=dict)
    adoptions: set[tuple[str, str]] = field(default_factory=set)


_NATIONS = (
    ("England", "E92000001", "E"),
    ("Scotland", "S92000003", "S"),
    ("Wales", "W92000004", "W"),
    ("Northern Ireland", "N92000002", "N"),
)
# GSS entity codes: (district code, neighbourhood/ward code) per nation.
_GSS = {"E": ("E06", "E05"), "S": ("S12", "S13"), "W": ("W06", "W05"), "N": ("N09", "N08")}


def _place_kind(vocab: Vocabulary, name: str) -> str:
    iri = HLSC + name
    return iri if iri in vocab.members["place_kinds"] else vocab.members["place_kinds"][0]


class _WorldWriter:
    """Writes the places, organisations and systems of a world, in a fixed order of random draws
    (the same seed gives the same file)."""

    def __init__(self, w: NTriplesWriter, rng: random.Random, vocab: Vocabulary, sections: list[str]):
        self.w, self.rng, self.vocab, self.sections = w, rng, vocab, sections
        self.world = World()

    def provenance(self, iri):
        self.w.iri(iri, HLS + "accessLevel", HLS + "public")
        self.w.iri(iri, PROV + "wasDerivedFrom", self.rng.choice(self.sections))

    def place(self, label, kind, code, parent):
        w = self.w
        slug = label.lower().replace(" ", "-")
        p = Place(f"{HLSD}place-{slug}", label, kind, code, parent)
        w.iri(p.iri, RDF + "type", HLS + "Place")
        w.text(p.iri, RDFS + "label", label, "en")
        w.iri(p.iri, HLS + "placeKind", _place_kind(self.vocab, kind))
        w.text(p.iri, HLS + "gssCode", code)
        if parent is not None:
            w.iri(p.iri, HLS + "within", parent.iri)
        elif kind == "nation":
            w.iri(p.iri, HLS + "within", HLSD + "place-united-kingdom")
        self.provenance(p.iri)
        return p

    def places(self, blocks: int) -> None:
        """The nations, England's regions, the districts and their wards."""
        world, rng = self.world, self.rng
        for name, code, _ in _NATIONS:
            world.nations.append(self.place(name, "nation", code, None))
        for i in range(9):  # England's nine regions
            world.regions.append(
                self.place(f"Bench Region {i + 1}", "region", f"E1200000{i + 1}", world.nations[0])
            )
        n_districts = max(12, blocks // 8)
        names = [s + e for s in _STEMS for e in _ENDS]
        rng.shuffle(names)
        for i in range(n_districts):
            # Most districts in England's regions, the rest directly in the other nations.
            nation_index = 0 if i % 5 else 1 + (i // 5) % 3
            letter = _NATIONS[nation_index][2]
            parent = world.regions[i % 9] if nation_index == 0 else world.nations[nation_index]
            label = names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
            d = self.place(
                label, "unitary-authority" if i % 3 else "district", f"{_GSS[letter][0]}{i + 1:06d}", parent
            )
            world.districts.append(d)
            for j in range(3):
                ward = self.place(
                    f"{label} {_WARDS[(i + j) % len(_WARDS)]}",
                    "neighbourhood",
                    f"{_GSS[letter][1]}{i * 3 + j + 1:06d}",
                    d,
                )
                world.neighbourhoods.append(ward)

    def organisations(self, blocks: int) -> None:
        """The organisations of each kind, each based in a place."""
        world, rng, w = self.world, self.rng, self.w
        kinds = {
            "PublicSectorCommissioner": [(f"{d.label} Council", d) for d in world.districts],
            "Provider": [
                (f"{d.label} {suffix}", d)
                for d in world.districts
                for suffix in ("Community Trust", "Housing Support", "Family Hub")
            ],
            "Alliance": [(f"{d.label} Wellbeing Alliance", d) for d in world.districts[::2]],
            "CharitableFunder": [
                (f"{rng.choice(_STEMS)}{rng.choice(_ENDS)} Foundation {i + 1}", rng.choice(world.regions))
                for i in range(max(5, blocks // 40))
            ],
            "ResearchBody": [
                (f"Centre for Public Learning {i + 1}", rng.choice(world.regions))
                for i in range(max(2, blocks // 200))
            ],
            "Regulator": [(f"Care Standards Regulator {n.label}", n) for n in world.nations],
            "CommunityOfPractice": [
                (f"Learning Network {i + 1}", rng.choice(world.regions)) for i in range(max(2, blocks // 100))
            ],
        }
        for kind, entries in kinds.items():
            world.orgs[kind] = []
            for label, where in entries:
                slug = label.lower().replace(" ", "-")
                iri = f"{HLSD}org-{slug}"
                w.iri(iri, RDF + "type", HLS + kind)
                w.text(iri, RDFS + "label", label, "en")
                w.text(iri, DCT + "description", f"{label}: a synthetic {kind} for the benchmark.", "en")
                w.iri(iri, HLS + "basedIn", where.iri)
                self.provenance(iri)
                world.orgs[kind].append((iri, where))

    def links(self) -> None:
        """Who is a member of, partner of, commissions and funds whom."""
        world, rng, w = self.world, self.rng, self.w
        alliances = world.orgs["Alliance"]
        for i, (iri, _where) in enumerate(world.orgs["Provider"]):
            w.iri(iri, HLS + "memberOf", alliances[(i // 6) % len(alliances)][0])
            if i % 3:
                w.iri(iri, HLS + "partnerOf", world.orgs["Provider"][i - 1][0])
        for i, (iri, _where) in enumerate(world.orgs["PublicSectorCommissioner"]):
            w.iri(iri, HLS + "commissions", alliances[(i // 2) % len(alliances)][0])
            w.iri(iri, HLS + "memberOf", alliances[(i // 2) % len(alliances)][0])
        # rng.sample, not repeated choice: every triple in the file is distinct, so its line count
        # is the number of triples a store holds after loading it.
        for iri, _ in world.orgs["CharitableFunder"]:
            for provider, _ in rng.sample(world.orgs["Provider"], 3):
                w.iri(iri, HLS + "funds", provider)
        for iri, _ in world.orgs["CommunityOfPractice"]:
            for provider, _ in rng.sample(world.orgs["Provider"], 3):
                w.iri(provider, HLS + "memberOf", iri)

    def systems(self) -> None:
        # A system bounded by purpose in each district, with its actors.
        world, w = self.world, self.w
        for i, d in enumerate(world.districts):
            s = f"{HLSD}system-{d.iri.rsplit('place-', 1)[1]}"
            w.iri(s, RDF + "type", HLS + "System")
            w.text(s, HLS + "purpose", f"Help people in {d.label} live the lives they want")
            w.iri(s, HLS + "place", d.iri)
            w.iri(s, HLS + "hasActor", world.orgs["PublicSectorCommissioner"][i][0])
            for k in range(3):
                w.iri(s, HLS + "hasActor", world.orgs["Provider"][i * 3 + k][0])


def build_world(
    w: NTriplesWriter, rng: random.Random, vocab: Vocabulary, blocks: int, sections: list[str]
) -> World:
    """Write the places and organisations and return them for the evidence items to refer to.

    Like the bundled base, places and organisations are public and cite a source section; the
    nations are the base's own (same IRIs and GSS codes), so generated places hang under them.
    """
    writer = _WorldWriter(w, rng, vocab, sections)
    writer.places(blocks)
    writer.organisations(blocks)
    writer.links()
    writer.systems()
    return writer.world


class Evidence:
    """Writes evidence items with the properties every item carries (docs/model.md)."""

    def __init__(self, w: NTriplesWriter, rng: random.Random, vocab: Vocabulary, sections: list[str]):
        self.w, self.rng, self.vocab, self.sections = w, rng, vocab, sections

    def item(self, iri: str, kind: str, title: str) -> None:
        w = self.w
        w.iri(iri, RDF + "type", HLS + kind)
        w.text(iri, DCT + "title", title, "en")
        w.iri(iri, HLS + "accessLevel", self.rng.choices(ACCESS_LEVELS, ACCESS_WEIGHTS)[0])
        w.iri(iri, PROV + "wasDerivedFrom", self.rng.choice(self.sections))

    def concepts(self, k: int) -> list[str]:
        pool = (
            self.vocab.members["features"]
            + self.vocab.members["behaviours"]
            + self.vocab.members["conditions"]
        )
        return self.rng.sample(pool, k)


@dataclass
class _Block:
    """What the parts of one case study's block share: the writer, the block's number and place."""

    ev: Evidence
    world: World
    b: int
    district: Place
    wards: list
    providers: list
    council: str
    case: str


def _write_case(blk: _Block) -> None:
    """The case study itself, its features and practice uses."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    providers = blk.providers
    case = blk.case
    blk.ev.item(case, "CaseStudy", f"Case study {b}: learning together in {district.label}")
    w.text(case, HLS + "summary", story_text(rng, 400), "en")
    w.iri(case, HLS + "organisation", providers[b % len(providers)])
    w.iri(case, HLS + "place", district.iri)
    w.typed(case, DCT + "date", _date(rng), XSD + "date")
    for prop in ("startingPoint", "impetus", "progressAndChallenges", "whereNext"):
        w.text(case, HLS + prop, story_text(rng, 160), "en")
    for k, top in enumerate(rng.sample(vocab.members["features"], 3)):
        feature = f"{case}-feature-{k + 1}"
        w.iri(case, HLS + "hasFeature", feature)
        w.iri(feature, RDF + "type", HLS + "Feature")
        w.iri(feature, HLS + "illustrates", top)
        w.text(feature, HLS + "summary", story_text(rng, 120), "en")
    for k in range(2):
        use = f"{HLSD}practice-use-b{b:05d}-{k + 1}"
        w.iri(case, HLS + "usesPractice", use)
        blk.ev.item(use, "PracticeUse", f"Practice in case study {b} ({k + 1})")
        w.iri(use, HLS + "practice", vocab.pick(rng, "practices"))
        w.iri(use, HLS + "organisation", providers[(b + k) % len(providers)])
        w.iri(use, HLS + "place", district.iri)
        w.iri(use, HLS + "servesStage", vocab.pick(rng, "stages"))
        w.text(use, HLS + "summary", story_text(rng, 120), "en")
    w.iri(case, HLS + "adoptsPrinciple", vocab.pick(rng, "principles"))
    w.iri(case, HLS + "drivenBy", vocab.pick(rng, "drivers"))


def _write_stories(blk: _Block) -> list[str]:
    """Eight stories from the district and its wards."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    wards = blk.wards
    providers = blk.providers
    case = blk.case
    stories = []
    for k in range(8):
        story = f"{HLSD}story-b{b:05d}-{k + 1}"
        stories.append(story)
        blk.ev.item(story, "Story", f"Story {b}.{k + 1} from {district.label}")
        w.text(story, HLS + "summary", story_text(rng), "en")
        w.iri(story, HLS + "place", rng.choice(wards).iri if k % 2 else district.iri)
        w.typed(story, DCT + "date", _date(rng), XSD + "date")
        w.iri(story, HLS + "organisation", rng.choice(providers))
        for concept in blk.ev.concepts(rng.randint(1, 3)):
            w.iri(story, HLS + "illustrates", concept)
        w.text(story, HLS + "changeInLife", rng.choice(_ENDINGS), "en")
        w.iri(story, HLS + "caseStudy", case)
        if k % 2 == 0:
            w.iri(story, HLS + "reportsOutcome", vocab.pick(rng, "outcomes"))
    return stories


def _write_testimonies(blk: _Block) -> None:
    """Two testimonies."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    council = blk.council
    for k in range(2):
        t = f"{HLSD}testimony-b{b:05d}-{k + 1}"
        blk.ev.item(t, "Testimony", f"Testimony {b}.{k + 1}")
        w.text(t, HLS + "summary", story_text(rng, 200), "en")
        w.iri(t, HLS + "speakerRole", vocab.pick(rng, "roles"))
        w.iri(t, HLS + "aboutRole", vocab.pick(rng, "roles"))
        w.iri(t, HLS + "place", district.iri)
        w.typed(t, DCT + "date", _date(rng), XSD + "date")
        w.iri(t, HLS + "illustrates", blk.ev.concepts(1)[0])
        w.iri(t, HLS + "organisation", council)


def _write_measure(blk: _Block) -> None:
    """A measure and six observations of it."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    wards = blk.wards
    council = blk.council
    measure = f"{HLSD}measure-b{b:05d}"
    blk.ev.item(measure, "Measure", f"Measure {b} for {district.label}")
    perspective = vocab.pick(rng, "perspectives")
    w.iri(measure, HLS + "perspective", perspective)
    w.iri(measure, HLS + "measureQuestion", vocab.pick(rng, "questions"))
    w.iri(measure, HLS + "measurePurpose", vocab.pick(rng, "purposes"))
    w.iri(measure, HLS + "organisation", council)
    w.iri(measure, HLS + "place", district.iri)
    unit = rng.choice(UNITS)
    for k in range(6):
        obs = f"{HLSD}obs-b{b:05d}-{k + 1}"
        blk.ev.item(obs, "Observation", f"Observation {k + 1} of measure {b}")
        w.iri(obs, HLS + "measure", measure)
        if unit in ("GBP", "percent"):
            w.typed(
                obs, HLS + "value", f"{rng.uniform(0, 100000 if unit == 'GBP' else 100):.2f}", XSD + "decimal"
            )
        else:
            w.typed(obs, HLS + "value", str(rng.randint(0, 500)), XSD + "integer")
        w.text(obs, HLS + "unit", unit)
        w.iri(obs, HLS + "place", rng.choice(wards).iri)
        w.typed(obs, DCT + "date", _date(rng), XSD + "date")
        w.iri(obs, HLS + "perspective", perspective)


def _write_claim(blk: _Block, stories: list[str]) -> None:
    """A claim about the case study, supported by two of its stories."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    case = blk.case
    claim = f"{HLSD}claim-b{b:05d}"
    blk.ev.item(claim, "Claim", f"Claim about case study {b}")
    w.iri(claim, HLS + "claimAbout", case)
    w.iri(claim, HLS + "claimsConcept", vocab.pick(rng, "behaviours"))
    for s in rng.sample(stories, 2):
        w.iri(claim, HLS + "supportedBy", s)


def _write_funding(blk: _Block) -> None:
    """A funding arrangement."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    providers = blk.providers
    world = blk.world
    funding = f"{HLSD}funding-b{b:05d}"
    blk.ev.item(funding, "FundingArrangement", f"Funding arrangement {b}")
    w.iri(funding, HLS + "arrangementKind", vocab.pick(rng, "funding"))
    w.iri(funding, HLS + "funder", rng.choice(world.orgs["CharitableFunder"])[0])
    w.iri(funding, HLS + "recipient", rng.choice(providers))
    w.iri(funding, HLS + "place", district.iri)
    w.typed(funding, HLS + "amount", f"{rng.randint(10, 900) * 1000}.00", XSD + "decimal")
    w.text(funding, HLS + "unit", "GBP")
    w.typed(funding, HLS + "termYears", str(rng.randint(1, 5)), XSD + "integer")
    w.text(funding, HLS + "summary", story_text(rng, 150), "en")
    w.iri(funding, HLS + "illustrates", vocab.pick(rng, "features"))


def _write_journey(blk: _Block) -> None:
    """A change journey of four steps."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    district = blk.district
    council = blk.council
    journey = f"{HLSD}journey-b{b:05d}"
    blk.ev.item(journey, "ChangeJourney", f"Change journey in {district.label} ({b})")
    w.iri(journey, HLS + "journeyKind", HLSC + ("funder-commissioner-led" if b % 8 else "delivery-led"))
    w.iri(journey, HLS + "organisation", council)
    w.iri(journey, HLS + "place", district.iri)
    stages = vocab.members["stages"]
    for k in range(4):
        step = f"{journey}-step-{k + 1}"
        w.iri(journey, HLS + "hasStep", step)
        w.iri(step, RDF + "type", HLS + "JourneyStep")
        w.iri(step, HLS + "stage", stages[k % len(stages)])
        w.typed(step, HLS + "stepOrder", str(k + 1), XSD + "integer")
        w.text(step, HLS + "summary", story_text(rng, 100), "en")
        w.iri(step, HLS + "practice", vocab.pick(rng, "practices"))


def _write_self_assessment(blk: _Block, stories: list[str]) -> None:
    """A self-assessment scored on every learning point."""
    w, rng, vocab = blk.ev.w, blk.ev.rng, blk.ev.vocab
    b = blk.b
    providers = blk.providers
    sa = f"{HLSD}self-assessment-b{b:05d}"
    blk.ev.item(sa, "SelfAssessment", f"Self-assessment {b}")
    w.iri(sa, HLS + "assessedBy", rng.choice(providers))
    w.typed(sa, DCT + "date", _date(rng), XSD + "date")
    for k, point in enumerate(vocab.members["learning_points"]):
        score = f"{sa}-score-{k + 1}"
        w.iri(sa, HLS + "hasScore", score)
        w.iri(score, RDF + "type", HLS + "Score")
        w.iri(score, HLS + "learningPoint", point)
        w.typed(score, HLS + "scoreValue", str(rng.randint(1, 5)), XSD + "integer")
        w.iri(score, HLS + "supportedBy", rng.choice(stories))


def write_block(ev: Evidence, world: World, b: int) -> None:
    """One case study with everything around it: about 280 triples."""
    district = world.districts[b % len(world.districts)]
    blk = _Block(
        ev,
        world,
        b,
        district,
        wards=[p for p in world.neighbourhoods if p.parent is district],
        providers=[o for o, where in world.orgs["Provider"] if where is district],
        council=world.orgs["PublicSectorCommissioner"][b % len(world.districts)][0],
        case=f"{HLSD}case-b{b:05d}",
    )
    _write_case(blk)
    stories = _write_stories(blk)
    _write_testimonies(blk)
    _write_measure(blk)
    _write_claim(blk, stories)
    _write_funding(blk)
    if b % 4 == 0:
        _write_journey(blk)
    if b % 4 == 2:
        _write_self_assessment(blk, stories)
    if b % 10 == 5:
        principle = ev.vocab.pick(ev.rng, "principles")
        alliance = world.orgs["Alliance"][b % len(world.orgs["Alliance"])][0]
        if (principle, alliance) not in world.adoptions:
            world.adoptions.add((principle, alliance))
            ev.w.iri(principle, HLS + "adoptedBy", alliance)


TRIPLES_PER_BLOCK = 280  # measured average of write_block; only used to size the world


def generate_graph(path: Path, target: int, seed: int, vocab: Vocabulary) -> dict:
    """Write an N-Triples evidence graph of at least ``target`` triples to ``path``.

    Returns a summary: triples written, blocks (case studies), and the IRIs of a few resources
    present in the graph, for choosing inquiry parameters.
    """
    rng = random.Random(f"{seed}-{target}")
    blocks_estimate = max(1, target // TRIPLES_PER_BLOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as stream:
        w = NTriplesWriter(stream)
        source = f"{HLSD}source-bench"
        w.iri(source, RDF + "type", HLS + "SourceDocument")
        w.text(source, DCT + "title", "Synthetic benchmark evidence", "en")
        w.text(source, DCT + "creator", "hlsgraph benchmark generator")
        w.typed(source, DCT + "issued", "2026", XSD + "gYear")
        sections = []
        for k in range(20):
            section = f"{source}-s{k + 1:02d}"
            w.iri(section, RDF + "type", HLS + "SourceSection")
            w.iri(section, DCT + "isPartOf", source)
            w.text(section, RDFS + "label", f"Synthetic section {k + 1}", "en")
            sections.append(section)
        world = build_world(w, rng, vocab, blocks_estimate, sections)
        ev = Evidence(w, rng, vocab, sections)
        b = 0
        while w.count < target:
            write_block(ev, world, b)
            b += 1
        count = w.count
    tmp.replace(path)
    return {
        "file": path.name,
        "triples": count,
        "blocks": b,
        "places": len(world.nations) + len(world.regions) + len(world.districts) + len(world.neighbourhoods),
        "organisations": sum(len(v) for v in world.orgs.values()),
        "stories": 8 * b,
        "sample": {
            "district": world.districts[0].iri,
            "district_label": world.districts[0].label,
            "district_2": world.districts[1].iri,
            "region": world.regions[0].iri,
            "nation": world.nations[0].iri,
            "alliance": world.orgs["Alliance"][0][0],
            "provider": world.orgs["Provider"][0][0],
            "commissioner": world.orgs["PublicSectorCommissioner"][0][0],
            "funder": world.orgs["CharitableFunder"][0][0],
            "case": f"{HLSD}case-b00000",
            "story": f"{HLSD}story-b00000-1",
            "journey": f"{HLSD}journey-b00000",
        },
    }


# --- stories spreadsheet -------------------------------------------------------------------------


def template_columns(path: Path | None = None) -> list[str]:
    """The column names of the stories template: the first non-comment row of
    ``data/templates/stories.csv``, or the stories kind's header where the file is not there."""
    path = path or templates_dir() / "stories.csv"
    if not path.exists():
        from hlsgraph.importing.templates import KINDS

        return list(KINDS["stories"].header)
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if row and not row[0].startswith("#"):
                return [c.strip() for c in row]
    raise ValueError(f"{path}: no header row")


def resolvable_labels(kb, candidates: list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
    """The (IRI, label) pairs whose label resolves to exactly that IRI in ``kb`` (as an import
    would resolve it), so the generated sheet holds no ambiguous or unknown label."""
    from hlsgraph.errors import HLSGraphError

    kept = []
    for iri, label in candidates:
        try:
            if kb.resolve(label, kind=kind).value == iri:
                kept.append((iri, label))
        except (HLSGraphError, LookupError, ValueError):
            continue
    return sorted(set(kept))


def base_places_and_orgs(kb) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(IRI, label) of the bundled base's places and organisations whose label is unambiguous."""
    found = {}
    for cls in ("Place", "Organisation"):
        frame = kb.select(
            f"SELECT DISTINCT ?x ?label WHERE {{ ?x a <{HLS}{cls}> ; <{RDFS}label> ?label }}", compact=False
        )
        pairs = [(str(x), str(label)) for x, label in zip(frame["x"], frame["label"], strict=True)]
        found[cls] = resolvable_labels(kb, pairs, HLS + cls)
    return found["Place"], found["Organisation"]


# Which generated value a template column takes, by its normalised name: the first rule whose
# test holds names the key of the story's context (a list of labels is written "a; b").
_COLUMN_RULES = (
    (lambda n: n in ("id", "story_id", "identifier"), "id"),
    (lambda n: "title" in n, "title"),
    (lambda n: n in ("summary", "text", "story", "story_text", "narrative", "description"), "text"),
    (lambda n: "change" in n, "change"),
    (lambda n: "access" in n, "access"),
    (lambda n: "place" in n, "place_label"),
    (lambda n: "organisation" in n or "organization" in n, "org_label"),
    (lambda n: n in ("date", "story_date", "when"), "date"),
    (lambda n: "concept" in n or "illustrates" in n or "feature" in n, "concept_labels"),
    (lambda n: "outcome" in n, "outcome_label"),
    (lambda n: "role" in n, "role_label"),
)


def _column_value(column: str, ctx: dict) -> str:
    """The value of one template column for one generated story, chosen by the column's name."""
    name = column.lower().replace("-", "_").replace(" ", "_")
    for test, key in _COLUMN_RULES:
        if test(name):
            value = ctx[key]
            return "; ".join(value) if isinstance(value, list) else value
    return ""


def _write_story_triples(w: NTriplesWriter, columns: list[str], i: int, ctx: dict, story: tuple) -> None:
    """The N-Triples that importing row ``i`` of the sheet gives: the same story with IRIs."""
    place_iri, org_iri, concepts, outcome, role = story
    iri = f"{HLSD}story-{ctx['id']}"
    w.iri(iri, RDF + "type", HLS + "Story")
    w.text(iri, DCT + "title", ctx["title"], "en")
    w.iri(iri, HLS + "accessLevel", HLS + ctx["access"])
    w.iri(iri, PROV + "wasDerivedFrom", f"{HLSD}import-bench-row-{i + 2}")
    w.text(iri, HLS + "summary", ctx["text"], "en")
    w.text(iri, HLS + "changeInLife", ctx["change"], "en")
    w.iri(iri, HLS + "place", place_iri)
    w.typed(iri, DCT + "date", ctx["date"], XSD + "date")
    if org_iri and any("organis" in c.lower() for c in columns):
        w.iri(iri, HLS + "organisation", org_iri)
    for c in concepts:
        w.iri(iri, HLS + "illustrates", c)
    if outcome and any("outcome" in c.lower() for c in columns):
        w.iri(iri, HLS + "reportsOutcome", outcome)
    if role:
        for column, prop in (("speaker_role", "speakerRole"), ("about_role", "aboutRole")):
            if column in columns:
                w.iri(iri, HLS + prop, role)


def generate_stories_table(
    csv_path: Path, nt_path: Path, rows: int, seed: int, vocab: Vocabulary, columns: list[str] | None = None
) -> dict:
    """Write a stories spreadsheet of ``rows`` rows and the equivalent N-Triples beside it.

    The spreadsheet follows the stories template's columns and names places, organisations and
    concepts by their labels (as a user would); the N-Triples say the same with IRIs.
    """
    import hlsgraph

    columns = columns or template_columns()
    kb = hlsgraph.open()
    places, orgs = base_places_and_orgs(kb)
    if not places:
        raise ValueError("the bundled base has no places with a unique label to put in the sheet")
    rng = random.Random(f"{seed}-stories-{rows}")

    def labelled(keys, kind):
        pairs = [
            (c, vocab.labels[c])
            for key in keys
            for c in vocab.members[key]
            if c in vocab.labels and ";" not in vocab.labels[c]
        ]
        return [c for c, _ in resolvable_labels(kb, pairs, kind)]

    # Only labels that resolve to exactly one concept, so a clean sheet has nothing to report.
    concept_pool = labelled(("features", "behaviours", "conditions"), SKOS + "Concept")
    outcomes = labelled(("outcomes",), HLS + "Outcome")
    roles = labelled(("roles",), HLS + "Role")
    kb.close()
    if not concept_pool:
        raise ValueError("no concept label resolves to exactly one concept; cannot write the sheet")
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(csv_path, "w", encoding="utf-8", newline="") as f,
        open(nt_path, "w", encoding="utf-8", newline="\n") as nt,
    ):
        writer = csv.writer(f)
        writer.writerow(columns)
        w = NTriplesWriter(nt)
        for i in range(rows):
            place_iri, place_label = rng.choice(places)
            org_iri, org_label = rng.choice(orgs) if orgs else ("", "")
            concepts = rng.sample(concept_pool, min(len(concept_pool), rng.randint(1, 3)))
            outcome = rng.choice(outcomes) if outcomes else ""
            role = rng.choice(roles) if roles else ""
            ctx = {
                "id": f"bench-story-{i + 1:06d}",
                "title": f"Benchmark story {i + 1}",
                "text": story_text(rng),
                "change": rng.choice(_ENDINGS),
                "access": rng.choices(("public", "internal", "restricted"), ACCESS_WEIGHTS)[0],
                "place_label": place_label,
                "org_label": org_label,
                "date": _date(rng),
                "concept_labels": [vocab.labels[c] for c in concepts],
                "outcome_label": vocab.labels.get(outcome, ""),
                "role_label": vocab.labels.get(role, ""),
            }
            writer.writerow([_column_value(c, ctx) for c in columns])
            _write_story_triples(w, columns, i, ctx, (place_iri, org_iri, concepts, outcome, role))
    return {"csv": csv_path.name, "nt": nt_path.name, "rows": rows, "nt_triples": w.count, "columns": columns}


# --- driver ---------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """``"1e4,1e5"`` → ``[10000, 100000]``.

    >>> parse_sizes("1e4, 2000")
    [10000, 2000]
    """
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = int(float(part))
        except ValueError:
            raise ValueError(f"size {part!r} is not a number (expected e.g. 1e4,1e5,1e6)") from None
        if value <= 0:
            raise ValueError(f"size {part!r} must be positive")
        sizes.append(value)
    return sizes


def size_name(n: int) -> str:
    """A short file-name tag for a size: ``10000`` → ``1e4``.

    >>> size_name(1000000), size_name(2500)
    ('1e6', '2500')
    """
    exponent = len(str(n)) - 1
    return f"1e{exponent}" if n == 10**exponent else str(n)


def ensure_graph(data_dir: Path, size: int, seed: int, vocab: Vocabulary) -> dict:
    """Generate the graph of ``size`` triples unless an identical one (same seed, size and
    ontology concepts) is already in ``data_dir``; return its summary."""
    path = data_dir / f"evidence-{size_name(size)}.nt"
    meta_path = path.with_suffix(".json")
    key = {"seed": seed, "size": size, "vocabulary": vocab.fingerprint, "generator": _self_digest()}
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("key") == key:
            return meta
    meta = generate_graph(path, size, seed, vocab)
    meta["key"] = key
    meta["path"] = str(path)
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta


def ensure_table(data_dir: Path, rows: int, seed: int, vocab: Vocabulary) -> dict:
    """Generate the stories spreadsheet of ``rows`` rows (and its N-Triples) unless present."""
    csv_path = data_dir / f"stories-{size_name(rows)}.csv"
    nt_path = data_dir / f"stories-{size_name(rows)}.nt"
    meta_path = data_dir / f"stories-{size_name(rows)}.json"
    columns = template_columns()
    key = {
        "seed": seed,
        "rows": rows,
        "vocabulary": vocab.fingerprint,
        "generator": _self_digest(),
        "columns": columns,
        "base": _dir_digest(base_data_dir()),
        "ontology": _dir_digest(ontology_dir()),
    }
    if csv_path.exists() and nt_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("key") == key:
            return meta
    meta = generate_stories_table(csv_path, nt_path, rows, seed, vocab, columns)
    meta["key"] = key
    meta["csv_path"] = str(csv_path)
    meta["nt_path"] = str(nt_path)
    meta_path.write_text(json.dumps(meta, indent=2))
    return meta


def _self_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _dir_digest(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.glob("*.ttl")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="graph sizes in triples")
    parser.add_argument("--rows", default="1e4,1e5", help="stories spreadsheet sizes in rows")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        sizes, rows = parse_sizes(args.sizes), parse_sizes(args.rows) if args.rows else []
        vocab = read_vocabulary()
        for size in sizes:
            meta = ensure_graph(args.data, size, args.seed, vocab)
            sys.stderr.write(f"{meta['path']}: {meta['triples']} triples\n")
        for n in rows:
            meta = ensure_table(args.data, n, args.seed, vocab)
            sys.stderr.write(f"{meta['csv_path']}: {n} rows ({meta['nt_triples']} triples as N-Triples)\n")
    except (OSError, ValueError) as err:
        sys.stderr.write(f"generate.py: {err}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
