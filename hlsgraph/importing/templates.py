"""The spreadsheet templates for users' own evidence: which columns each kind of sheet has, what
each column means and holds, and how to write a blank template (CSV with a companion
``<kind>.columns.csv``, or XLSX with a second sheet ``columns``).

The column specifications here are the single source of truth: the importer
(:mod:`hlsgraph.importing`) checks sheets against them, ``docs/templates.md`` describes them and the
files in ``data/templates/`` are generated from them (``hlsgraph template all data/templates``,
written by :mod:`.template_files`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InvalidArgumentError, UnknownColumnError, did_you_mean, nearest
from ..namespaces import ACCESS_LEVELS, HLS, HLSC
from ..store.terms import compact

DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# Column types. "reference" types name a resource by label, IRI, CURIE or the id it was
# imported with; the rest are literal values.
TYPES: dict[str, str] = {
    "id": "text: letters, digits, spaces, '-' or '_'",
    "text": "text",
    "date": "date: 2024-04-03, 03/04/2024 (day first), 3 April 2024, April 2024 or 2024",
    "number": "number: 1200, 1,200.50, £1,200.50 or 45%",
    "integer": "whole number",
    "unit": "text (a unit such as GBP, people, cases, percent)",
    "access": "one of the allowed values",
    "choice": "one of the allowed values",
    "concept": "a concept: its label (e.g. Trust) or IRI (hlsc:trust)",
    "place": "a place: its label, IRI or the id it was imported with",
    "organisation": "an organisation: its label, IRI or the id it was imported with",
    "measure": "a measure: its title, IRI or the id it was imported with",
    "evidence": "an evidence item: its title, IRI or the id it was imported with",
    "code": "text matching a pattern",
}


@dataclass(frozen=True)
class Column:
    """One column of a template.

    Parameters
    ----------
    name : str
        The header, as written in the template (``snake_case``).
    meaning : str
        What the column holds, in a sentence.
    type : str
        One of :data:`TYPES`.
    required : bool
        Whether every row must have a value.
    example : str
        A value as a user would type it.
    predicate : str or None
        The property (full IRI) the value becomes; ``None`` for columns handled specially.
    allowed : dict
        For ``choice`` and ``access`` columns: each allowed value and the IRI it stands for.
    multi : bool
        Whether the cell may hold several values separated by ``;``.
    scheme : str or None
        For ``concept`` columns limited to one concept scheme: the scheme's IRI.
    concept_class : str or None
        For ``concept`` columns limited to one class of concept: the class IRI.
    pattern : str or None
        For ``code`` columns: the regular expression the value must match.
    minimum, maximum : int or None
        For ``integer`` columns: the allowed range.
    """

    name: str
    meaning: str
    type: str
    required: bool
    example: str
    predicate: str | None = None
    allowed: dict[str, str] = field(default_factory=dict)
    multi: bool = False
    scheme: str | None = None
    concept_class: str | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    """For ``concept`` columns of a small closed class: the labels to choose from (checked
    against the ontology by the tests)."""

    @property
    def type_text(self) -> str:
        """The column's type in words, for documentation and messages."""
        text = TYPES[self.type]
        if self.type == "integer" and self.minimum is not None and self.maximum is not None:
            text = f"whole number from {self.minimum} to {self.maximum}"
        if self.type == "code" and self.pattern:
            text = f"text matching {self.pattern}"
        if self.multi:
            text += "; several allowed, separated by ';'"
        return text

    @property
    def allowed_text(self) -> str:
        """The allowed values in words ('' when any value of the type will do)."""
        if self.allowed:
            return ", ".join(self.allowed)
        if self.choices:
            return "; ".join(self.choices)
        if self.scheme:
            return f"a concept of the scheme {compact(self.scheme)}"
        if self.concept_class:
            return f"a concept of class {compact(self.concept_class)}"
        return ""


@dataclass(frozen=True)
class Kind:
    """One kind of sheet: the class its rows become and its columns.

    Parameters
    ----------
    name : str
        The kind's name as the CLI and ``import_table`` take it (``stories``, ...).
    rdf_class : str
        The class (full IRI) each row's item gets.
    iri_prefix : str
        The kind part of each item's IRI: ``hlsd:<iri_prefix>-<slug of id>``.
    description : str
        What one row is.
    columns : tuple of Column
        The template's columns in order.
    """

    name: str
    rdf_class: str
    iri_prefix: str
    description: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """The column called ``name``; ``KeyError`` naming the nearest ones if none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise UnknownColumnError(
            f"the {self.name} template has no column {name!r}"
            + did_you_mean(name, [c.name for c in self.columns])
        )

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    @property
    def header(self) -> list[str]:
        """The template's header row."""
        return [c.name for c in self.columns]


def _id(noun: str, example: str) -> Column:
    return Column(
        "id",
        f"Your own identifier for the {noun}, unique in the file. It becomes part of the {noun}'s "
        f"IRI, so keep it when you edit the row: re-importing then replaces the earlier version. "
        f"Leave it blank and an identifier is made from the row's content instead (an edited row "
        f"then becomes a new item).",
        "id",
        False,
        example,
    )


_ACCESS = Column(
    "access_level",
    "Who may see this row once imported: public (may be published), internal (your organisation "
    "only) or restricted (named people only; use for personal stories). There is no default: "
    "every row must say.",
    "access",
    True,
    "internal",
    HLS + "accessLevel",
    allowed=ACCESS_LEVELS,
)


def _date(
    name: str, meaning: str, predicate: str, example: str = "03/04/2024", required: bool = False
) -> Column:
    return Column(name, meaning, "date", required, example, predicate)


def _place(meaning: str = "Where it happened.") -> Column:
    return Column("place", meaning, "place", False, "Plymouth", HLS + "place")


def _organisation(meaning: str) -> Column:
    return Column("organisation", meaning, "organisation", False, "Gateshead Council", HLS + "organisation")


def _concepts(meaning: str) -> Column:
    return Column("concepts", meaning, "concept", False, "Trust; Strengths", HLS + "illustrates", multi=True)


_PERSPECTIVES = {
    "citizens": HLSC + "citizens",
    "employees and volunteers": HLSC + "employees-and-volunteers",
    "system resources": HLSC + "system-resources",
}
_QUESTIONS = {
    "effective": HLSC + "effective",
    "efficient": HLSC + "efficient",
    "sustainable": HLSC + "sustainable",
}
_PURPOSES = {
    "learning": HLSC + "learning-purpose",
    "performance management": HLSC + "performance-management",
}
_ORGANISATION_KINDS = {
    "funder": HLS + "CharitableFunder",
    "commissioner": HLS + "PublicSectorCommissioner",
    "provider": HLS + "Provider",
    "alliance": HLS + "Alliance",
    "regulator": HLS + "Regulator",
    "research body": HLS + "ResearchBody",
    "community of practice": HLS + "CommunityOfPractice",
}
# A place's administrative kind comes from its GSS code (the importer reads it from the code's
# entity); what kind of settlement it is, is the user's own statement.
_SETTLEMENT_KINDS = {
    "city": HLSC + "city",
    "town": HLSC + "town",
    "neighbourhood": HLSC + "neighbourhood",
}


LEARNING_POINTS = (
    "Start 'upstream'",
    "Get the right people in the room",
    "Be realistic",
    "Recognise difference",
    "Focus on assets",
    "Learn in the messiness",
    "Stay focused",
    "Rethink 'impact'",
)
"""IVAR's eight key learning points, as the ontology labels them (003, 'Key learning')."""


def _perspective(meaning: str) -> Column:
    return Column(
        "perspective", meaning, "choice", False, "citizens", HLS + "perspective", allowed=_PERSPECTIVES
    )


KINDS: dict[str, Kind] = {}


def _add(kind: Kind) -> None:
    KINDS[kind.name] = kind


_add(
    Kind(
        "stories",
        HLS + "Story",
        "story",
        "A story of change: what happened to a person or a team, told in your own words.",
        (
            _id("story", "rosa-2024"),
            Column(
                "title",
                "A short title for the story.",
                "text",
                True,
                "Rosa finds her own way back to work",
                DCT + "title",
            ),
            Column(
                "summary",
                "The story itself, in your own words. Refer to people by role, never "
                "by real name unless they are public figures.",
                "text",
                True,
                "After two years of fixed appointments, Rosa's worker asked what mattered to her...",
                HLS + "summary",
            ),
            Column(
                "change_in_life",
                "The change in the person's life the story shows.",
                "text",
                False,
                "Back in part-time work and seeing her family again",
                HLS + "changeInLife",
            ),
            _date("date", "When it happened (or when the story was told).", DCT + "date"),
            _date(
                "period_start", "When the period the story covers began.", HLS + "periodStart", "April 2023"
            ),
            _date("period_end", "When the period the story covers ended.", HLS + "periodEnd", "2024"),
            _place(),
            _organisation("The organisation the story is from or about."),
            _concepts("The HLS concepts, principles or System Behaviours the story illustrates."),
            Column(
                "outcomes",
                "The outcomes the story reports (outcome concepts).",
                "concept",
                False,
                "Self-esteem",
                HLS + "reportsOutcome",
                multi=True,
                concept_class=HLS + "Outcome",
            ),
            Column(
                "speaker_role",
                "The role of the person telling the story.",
                "concept",
                False,
                "Frontline worker",
                HLS + "speakerRole",
                concept_class=HLS + "Role",
            ),
            Column(
                "about_role",
                "The role of the person the story is about.",
                "concept",
                False,
                "Person accessing support",
                HLS + "aboutRole",
                concept_class=HLS + "Role",
            ),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "measures",
        HLS + "Measure",
        "measure",
        "A measure you use or plan to use: what it asks, whose view it takes and what it is for.",
        (
            _id("measure", "first-time-solves"),
            Column("title", "The measure's name.", "text", True, "Share of first-time solves", DCT + "title"),
            Column(
                "description",
                "What is measured and how.",
                "text",
                False,
                "Requests resolved at the first contact, as a share of all requests",
                HLS + "summary",
            ),
            _perspective("Whose view the measure takes."),
            Column(
                "question",
                "What the measure asks of the work: is it effective, efficient or sustainable?",
                "choice",
                False,
                "efficient",
                HLS + "measureQuestion",
                allowed=_QUESTIONS,
            ),
            Column(
                "purpose",
                "What the measure is for: learning, or performance management.",
                "choice",
                False,
                "learning",
                HLS + "measurePurpose",
                allowed=_PURPOSES,
            ),
            _organisation("The organisation that uses the measure."),
            _place("The place the measure is used in."),
            _concepts("The HLS concepts the measure informs."),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "observations",
        HLS + "Observation",
        "obs",
        "One value of a measure: how much, of what, where and when.",
        (
            _id("observation", "fts-2024-q1"),
            Column(
                "measure",
                "The measure this is a value of (import it from a measures sheet "
                "first, or name one already in the knowledge base).",
                "measure",
                True,
                "first-time-solves",
                HLS + "measure",
            ),
            Column(
                "value",
                "The value. Thousands separators and a currency sign are accepted "
                "(£1,200.50 is 1200.50 in GBP); a % sign means percent.",
                "number",
                True,
                "£1,200.50",
                HLS + "value",
            ),
            Column(
                "unit",
                "The unit of the value; needed unless the value has a currency or % "
                "sign, from which it is then taken.",
                "unit",
                False,
                "GBP",
                HLS + "unit",
            ),
            Column(
                "title",
                "A short title. Left blank, it is made from the measure's title, the place and the date.",
                "text",
                False,
                "First-time solves, Q1 2024",
                DCT + "title",
            ),
            _date("date", "When the value was observed.", DCT + "date", "2024-03-31"),
            _date("period_start", "Start of the period the value covers.", HLS + "periodStart", "01/01/2024"),
            _date("period_end", "End of the period the value covers.", HLS + "periodEnd", "31/03/2024"),
            _place("The place the value is for."),
            _perspective("Whose view the value takes, where it differs from the measure's."),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "organisations",
        HLS + "Organisation",
        "org",
        "An organisation in your system: a funder, commissioner, provider, alliance and so on.",
        (
            _id("organisation", "riverside-housing"),
            Column(
                "name", "The organisation's name.", "text", True, "Riverside Housing Trust", RDFS + "label"
            ),
            Column(
                "kind",
                "What kind of organisation it is. Left blank, it is an organisation of no particular kind.",
                "choice",
                False,
                "provider",
                None,
                allowed=_ORGANISATION_KINDS,
            ),
            Column(
                "other_names",
                "Other names it is known by.",
                "text",
                False,
                "Riverside",
                SKOS + "altLabel",
                multi=True,
            ),
            Column("based_in", "The place it is based in.", "place", False, "Plymouth", HLS + "basedIn"),
            Column(
                "member_of",
                "Alliances or networks it is a member of.",
                "organisation",
                False,
                "Plymouth Alliance",
                HLS + "memberOf",
                multi=True,
            ),
            Column(
                "partner_of",
                "Organisations it works in partnership with.",
                "organisation",
                False,
                "Gateshead Council",
                HLS + "partnerOf",
                multi=True,
            ),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "places",
        HLS + "Place",
        "place",
        "A place: a neighbourhood, town, city, ward, district, county, region or country. Its "
        "administrative kind (unitary authority, ward, ...) is read from its GSS code.",
        (
            _id("place", "stonehouse"),
            Column("name", "The place's name.", "text", True, "Stonehouse", RDFS + "label"),
            Column(
                "settlement",
                "What kind of settlement it is, if any (its administrative kind comes from its GSS code).",
                "choice",
                False,
                "neighbourhood",
                HLS + "settlementKind",
                allowed=_SETTLEMENT_KINDS,
            ),
            Column("within", "The larger place it lies in.", "place", False, "Plymouth", HLS + "within"),
            Column(
                "gss_code",
                "The ONS Government Statistical Service code, where it has one; its first three "
                "characters give the place's administrative kind (E05 ward, E06 unitary authority, ...).",
                "code",
                False,
                "E05012345",
                HLS + "gssCode",
                pattern=r"^[EKNSW][0-9]{8}$",
            ),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "reflections",
        HLS + "Reflection",
        "reflection",
        "A learning-log entry: what we tried, what happened, what we learned and what we change "
        "next, linked to the evidence it draws on.",
        (
            _id("reflection", "cycle-3-review"),
            Column(
                "title",
                "A short title for the entry.",
                "text",
                True,
                "Dropping the fixed assessment form",
                DCT + "title",
            ),
            _date("date", "When the reflection was made.", DCT + "date", "3 April 2024"),
            Column(
                "what_we_tried",
                "What we tried.",
                "text",
                True,
                "Let workers start with a conversation instead of the form",
                HLS + "whatWeTried",
            ),
            Column(
                "what_happened",
                "What happened.",
                "text",
                True,
                "Fewer hand-offs; two workers found the open conversation hard",
                HLS + "whatHappened",
            ),
            Column(
                "what_we_learned",
                "What we learned.",
                "text",
                True,
                "Workers need peer support to hold open conversations",
                HLS + "whatWeLearned",
            ),
            Column(
                "what_we_change_next",
                "What we change next.",
                "text",
                False,
                "Start a weekly peer reflection group",
                HLS + "whatWeChangeNext",
            ),
            Column(
                "reflects_on",
                "The evidence items the reflection draws on.",
                "evidence",
                False,
                "rosa-2024; fts-2024-q1",
                HLS + "reflectsOn",
                multi=True,
            ),
            _concepts("The HLS concepts the reflection is about."),
            _place("The place the reflection is about."),
            _organisation("The organisation whose learning this is."),
            _ACCESS,
        ),
    )
)

_add(
    Kind(
        "self-assessment",
        HLS + "SelfAssessment",
        "assessment",
        "One score of a self-assessment against IVAR's eight key learning points: one row per "
        "learning point; rows with the same assessment (or organisation and date) form one "
        "assessment.",
        (
            Column(
                "assessment",
                "Your own identifier for the assessment the score belongs to; "
                "rows with the same one form one assessment. Left blank, the organisation and "
                "date identify it.",
                "id",
                False,
                "alliance-2024-spring",
            ),
            Column(
                "organisation",
                "The organisation (or alliance) that assessed itself.",
                "organisation",
                True,
                "Plymouth Alliance",
                HLS + "assessedBy",
            ),
            # Required: an undated assessment cannot be followed over time, its whole point.
            _date("date", "When the assessment was made.", DCT + "date", "2024-04-03", required=True),
            Column(
                "learning_point",
                "The key learning point scored (its label, with or without the quotes).",
                "concept",
                True,
                "Start upstream",
                HLS + "learningPoint",
                concept_class=HLS + "LearningPoint",
                choices=LEARNING_POINTS,
            ),
            Column(
                "score",
                "The score, from 1 (not yet) to 5 (fully): hlsgraph's scale, as IVAR gives none.",
                "integer",
                True,
                "3",
                HLS + "scoreValue",
                minimum=1,
                maximum=5,
            ),
            Column(
                "evidence",
                "Evidence items behind the score.",
                "evidence",
                False,
                "cycle-3-review",
                HLS + "supportedBy",
                multi=True,
            ),
            Column(
                "notes",
                "Why this score.",
                "text",
                False,
                "We named who decides on budgets at the last meeting",
                RDFS + "comment",
            ),
            _ACCESS,
        ),
    )
)


ALIASES = {
    "story": "stories",
    "measure": "measures",
    "observation": "observations",
    "obs": "observations",
    "organisation": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "orgs": "organisations",
    "place": "places",
    "reflection": "reflections",
    "learning-log": "reflections",
    "self-assessments": "self-assessment",
    "selfassessment": "self-assessment",
    "scores": "self-assessment",
}


def get_kind(name: str) -> Kind:
    """The :class:`Kind` called ``name`` (singular forms are accepted).

    >>> get_kind("story").rdf_class
    'https://w3id.org/hls/Story'
    >>> get_kind("storys")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hlsgraph.errors.InvalidArgumentError: no template kind 'storys'; did you mean 'stories'? Kinds: ...
    """
    key = name.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key in KINDS:
        return KINDS[key]
    close = list(dict.fromkeys(ALIASES.get(c, c) for c in nearest(key, [*KINDS, *ALIASES])))[:1]
    hint = "; did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""
    raise InvalidArgumentError(f"no template kind {name!r}{hint} Kinds: " + ", ".join(KINDS))


DOC_HEADER = ["column", "meaning", "type", "required", "allowed values", "example"]


def column_docs(kind: str | Kind) -> list[list[str]]:
    """The documentation rows of a kind's columns (see :data:`DOC_HEADER`).

    >>> column_docs("places")[1][:4]
    ['name', "The place's name.", 'text', 'yes']
    """
    k = kind if isinstance(kind, Kind) else get_kind(kind)
    return [
        [c.name, c.meaning, c.type_text, "yes" if c.required else "no", c.allowed_text, c.example]
        for c in k.columns
    ]
