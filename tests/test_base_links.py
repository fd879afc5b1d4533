"""The basis of every link (data/base/links.ttl): each link of the bundled base and ontology has
exactly one record saying whether a source states it or the project's editors interpret it, by
whom and on what grounds; the records point at links that exist; and the interpretations issue
#14 found presented as evidence are now marked as such, each against the section it cites."""

import re
from pathlib import Path

import pandas as pd
import pytest

import hlsgraph

HLS = "https://w3id.org/hls/"
LINKS = "<https://w3id.org/hls/graph/base/links>"
RECORDED = (
    "hls:illustrates hls:claimsConcept hls:expresses hls:reportsOutcome hls:drivenBy hls:adoptsPrinciple "
    "hls:adoptedBy hls:perspective hls:measureQuestion hls:measurePurpose hls:stage hls:servesStage "
    "hls:arrangementKind hls:hierarchyLevel hls:enables hls:hinders hls:within hls:settlementKind "
    "hls:practice hls:caseKind"
)


@pytest.fixture(scope="module")
def kb():
    return hlsgraph.open()


def basis_of(kb, s, p, o):
    df = kb.select(
        f"SELECT ?basis WHERE {{ ?r a hls:LinkRecord ; rdf:subject {s} ; rdf:predicate {p} ; "
        f"rdf:object {o} ; hls:basis ?basis }}"
    )
    assert len(df) == 1, (s, p, o, df)
    return df["basis"].iloc[0]


def test_every_link_has_exactly_one_record(kb):
    counts = kb.select(f"""
        SELECT ?s ?p ?o (COUNT(DISTINCT ?r) AS ?records) WHERE {{
          {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {RECORDED} }}
                                             FILTER(?g != hlsg:inferred && ?g != {LINKS}) }} }}
          OPTIONAL {{ ?r rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
        }} GROUP BY ?s ?p ?o""")
    assert len(counts) > 600
    bad = counts[counts["records"] != 1]
    assert bad.empty, bad.head(20).to_string()


def test_every_record_points_at_a_link_that_exists(kb):
    orphans = kb.select("""
        SELECT ?r WHERE { ?r a hls:LinkRecord ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
                          FILTER NOT EXISTS { ?s ?p ?o } }""")
    assert orphans.empty, orphans.to_string()


def test_records_say_who_and_on_what_grounds(kb):
    """Stated: the section or code list that states it; interpreted: the agent (the editors'
    coding activity, PROV) and the sections the reading rests on."""
    df = kb.select("""
        SELECT ?r ?basis ?primary ?agent ?activity ?grounds WHERE {
          ?r a hls:LinkRecord ; hls:basis ?basis ; hls:grounds ?grounds .
          OPTIONAL { ?r prov:hadPrimarySource ?primary } OPTIONAL { ?r prov:wasAttributedTo ?agent }
          OPTIONAL { ?r prov:wasGeneratedBy ?activity } }""")
    stated = df[df["basis"] == "hlsc:stated"]
    interpreted = df[df["basis"] == "hlsc:interpreted"]
    assert len(stated) > 300 and len(interpreted) > 250
    assert stated["primary"].notna().all() and stated["agent"].isna().all()
    assert set(interpreted["agent"]) == {"hlsd:agent-hlsgraph-editors"}
    assert set(interpreted["activity"]) == {"hlsd:coding-bundled-base"}
    assert (df["grounds"].str.len() > 30).all()
    sources = kb.select("""
        SELECT DISTINCT ?kind WHERE { ?r hls:basis hlsc:stated ; prov:hadPrimarySource ?s . ?s a ?kind
                                      VALUES ?kind { hls:SourceSection hls:CodeList } }""")
    assert set(sources["kind"]) == {"hls:SourceSection", "hls:CodeList"}
    uncited = kb.select("""
        SELECT ?r WHERE { ?r hls:basis hlsc:stated ; prov:hadPrimarySource ?s
                          FILTER NOT EXISTS { ?s a hls:SourceSection } FILTER NOT EXISTS { ?s a
                            hls:CodeList } }""")
    assert uncited.empty, uncited.to_string()


def test_a_record_is_as_public_as_its_subject(kb):
    df = kb.select("""
        SELECT ?r WHERE { ?r a hls:LinkRecord ; rdf:subject ?s ; hls:accessLevel ?a .
                          ?s hls:accessLevel ?b FILTER(?a != ?b) }""")
    assert df.empty


def test_no_system_behaviour_claim_is_presented_as_stated(kb):
    """002 ('What does a healthy system look like?') describes Lankelly Chase's nine System
    Behaviours but applies none of them to a case: every claim that a case shows one is the
    editors' reading, and so is every claim of a condition for change (002's table names none)."""
    df = kb.select("""
        SELECT ?claim ?basis ?kind WHERE {
          ?claim a hls:Claim ; hls:claimsConcept ?c .
          ?c a ?kind VALUES ?kind { hls:SystemBehaviour hls:ConditionForChange }
          ?r rdf:subject ?claim ; rdf:predicate hls:claimsConcept ; rdf:object ?c ; hls:basis ?basis }""")
    assert len(df) >= 35
    assert set(df["basis"]) == {"hlsc:interpreted"}


def test_feature_claims_the_case_studies_state_are_stated(kb):
    """002 'Commissioner: Plymouth City Council': the Council has taken on the role of System
    Steward; 'Responding with empathy': Kirklees adopted Restorative Practice."""
    assert (
        basis_of(kb, "hlsd:claim-plymouth-system-stewardship", "hls:claimsConcept", "hlsc:system-stewardship")
        == "hlsc:stated"
    )
    assert basis_of(kb, "hlsd:claim-kirklees-empathy", "hls:claimsConcept", "hlsc:empathy") == "hlsc:stated"


def test_scheme_crossings_are_interpreted(kb):
    """The crossings issue #14 names: 001's 'one part of the system' read as 004's single
    organisation entry point (004 never names Gateshead); IVAR's steps (003) placed on 002's
    stages; 002's culture change placed on 000's leadership shift; principles mapped to concepts."""
    entry = kb.select("""
        SELECT ?grounds WHERE { ?r rdf:subject hlsd:exemplar-starting-point-gateshead ; rdf:predicate
          hls:illustrates ;
                                   rdf:object hlsc:single-organisation-entry-point ; hls:basis
                                     hlsc:interpreted ;
                                   hls:grounds ?grounds }""")
    assert len(entry) == 1 and "001" in entry["grounds"].iloc[0] and "004" in entry["grounds"].iloc[0]
    steps = kb.select("""
        SELECT ?basis WHERE { hlsd:journey-oxfordshire-ivar-process hls:hasStep ?step . ?step hls:stage
          ?stage .
                              ?r rdf:subject ?step ; rdf:predicate hls:stage ; rdf:object ?stage ;
                                hls:basis ?basis }""")
    assert len(steps) == 4 and set(steps["basis"]) == {"hlsc:interpreted"}
    assert (
        basis_of(
            kb, "hlsd:vignette-002-ripple-effect", "hls:illustrates", "hlsc:leadership-and-culture-change"
        )
        == "hlsc:interpreted"
    )
    principles = kb.select("""
        SELECT ?basis (COUNT(*) AS ?n) WHERE { ?r rdf:predicate hls:expresses ; hls:basis ?basis }
        GROUP BY ?basis""")
    by_basis = dict(zip(principles["basis"], principles["n"], strict=True))
    assert by_basis["hlsc:interpreted"] >= 70 and by_basis.get("hlsc:stated", 0) <= 2


def test_measure_classifications_the_gateshead_table_gives_are_stated(kb):
    """002 'Using data to learn' (the Gateshead measures table) classifies its fourteen measures;
    the prototype's figures and Plymouth's goal attainment are read onto it by the editors."""
    assert (
        basis_of(kb, "hlsd:measure-gateshead-what-matters-to-me", "hls:perspective", "hlsc:citizens")
        == "hlsc:stated"
    )
    assert (
        basis_of(kb, "hlsd:measure-gateshead-prototype-lives-improved", "hls:perspective", "hlsc:citizens")
        == "hlsc:interpreted"
    )
    assert (
        basis_of(kb, "hlsd:measure-plymouth-goal-attainment", "hls:measurePurpose", "hlsc:learning-purpose")
        == "hlsc:stated"
    )
    citizens = kb.select("""
        SELECT DISTINCT ?m WHERE { ?m a hls:Measure ; hls:perspective hlsc:citizens ; hls:measurePurpose
          hlsc:learning-purpose .
                                   ?r rdf:subject ?m ; rdf:predicate hls:perspective ; rdf:object
                                     hlsc:citizens ; hls:basis hlsc:stated }""")
    assert len(citizens) == 2  # 'What matters to me?' and 'Is this helping me to lead a better life?'


def test_counts_by_basis_are_reported(kb):
    df = kb.select(
        "SELECT ?p ?basis (COUNT(*) AS ?n) WHERE { ?r rdf:predicate ?p ; hls:basis ?basis } GROUP BY ?p "
        "?basis"
    )
    table = df.pivot_table(index="p", columns="basis", values="n", fill_value=0)
    assert isinstance(table, pd.DataFrame)
    assert table.loc["hls:illustrates"].sum() > 240


# The seeds sit beside the project checkout (../shared), or beside the worktrees' parent.
SEEDS = next(
    (p / "shared" / "seeds" for p in Path(__file__).resolve().parents if (p / "shared" / "seeds").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "seeds",
)


def _words(text):
    return re.findall(r"[a-z0-9£%]+", text.lower().replace("\u2019", "").replace("'", ""))


def _seed_grams(n=10):
    words = []
    for path in sorted(SEEDS.glob("0*.txt")):
        words += _words(path.read_text(encoding="utf-8")) + ["\0"]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents live beside the project checkout only")
def test_grounds_and_definitions_are_our_own_words(kb):
    """The grounds of every link and every definition in the ontology repeat no ten consecutive
    words of a source (names of frameworks are labels, which this does not check)."""
    grams = _seed_grams()
    df = kb.select(
        """SELECT ?s ?text WHERE { { ?s hls:grounds ?text }
                                   UNION { GRAPH hlsg:ontology { ?s skos:definition ?text } } }"""
    )
    copied = []
    for subject, text in zip(df["s"], df["text"], strict=True):
        # A section heading in quotes is a citation, not prose.
        words = _words(re.sub(r"'[^']*'", " ", str(text)))
        runs = [
            " ".join(words[i : i + 10]) for i in range(len(words) - 9) if tuple(words[i : i + 10]) in grams
        ]
        if runs:
            copied.append(f"{subject}: {runs[0]!r}")
    assert len(df) > 1000 and not copied, "\n".join(copied[:20])
