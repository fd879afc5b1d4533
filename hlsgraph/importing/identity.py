"""Which item each row becomes: its IRI from the row's id (or, without one, from a hash of its
content), ids repeated within the file, ids already naming an item of another graph, and for
self-assessments the assessment each scored row belongs to."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from ..namespaces import HLSD, HLSG
from ..resources import sparql
from ..store.terms import shorten
from ..validation.shapes import Lit
from .batch import Batch
from .references import LocalItems, select_rows
from .values import normal_choice, slugify


def subject_for(batch: Batch, i: int, ident: str) -> str | None:
    """The IRI of row ``i`` with id ``ident`` (``None`` when the id has no letter or digit)."""
    prefix = batch.kind.iri_prefix + "-"
    if ident:
        slug = slugify(ident)
        if slug.startswith(prefix) and len(slug) > len(prefix):
            slug = slug[len(prefix) :]  # "story-1" names hlsd:story-1, not hlsd:story-story-1
        return f"{HLSD}{prefix}{slug}" if slug else None
    return f"{HLSD}{prefix}{_content_hash(batch, i)}"


def _content_hash(batch: Batch, i: int) -> str:
    row = batch.table.rows[i]
    parts = []
    for name, j in sorted(batch.columns.items()):
        if name in ("id", "assessment"):
            continue
        parts.append(f"{name}\x1f{row[j].strip() if j < len(row) else ''}")
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()[:16]


def local_items(batch: Batch) -> LocalItems:
    """Which values in this file name items of this same file (for places within places,
    organisations member of organisations)."""
    kind = batch.kind
    local = LocalItems(kind.rdf_class if kind.name in ("places", "organisations") else None)
    if local.cls is None:
        return local
    seen_names: dict[str, int] = {}
    for i in range(batch.n):
        ident, name = batch.cell(i, "id"), batch.cell(i, "name")
        subject = subject_for(batch, i, ident)
        if subject:
            local.iris.add(subject)
            if ident:
                local.keys[normal_choice(ident)] = subject
        if name:
            key = normal_choice(name)
            if key in seen_names and local.keys.get(key) != subject:
                local.keys.pop(key, None)  # two items of that name: it names neither
            else:
                seen_names[key] = i
                local.keys.setdefault(key, subject)
    return local


def assign_subjects(batch: Batch) -> None:
    """Each row's IRI into ``batch.subjects``; rows without a usable id, and rows whose IRI an
    earlier row has, are problems."""
    first: dict[str, int] = {}
    for i in range(batch.n):
        ident = batch.cell(i, "id")
        subject = subject_for(batch, i, ident)
        if subject is None:
            batch.problem(i, "id", ident, "an id with at least one letter or digit")
            batch.subjects.append("")
            continue
        batch.subjects.append(subject)
        if subject not in first:
            first[subject] = i
            continue
        other = first[subject]
        number = batch.table.numbers[other]
        if ident:
            other_id = batch.cell(other, "id")
            same = "the same id" if other_id == ident else f"the id {other_id!r}, which gives the same IRI"
            batch.problem(
                i,
                "id",
                ident,
                f"an id unique in the file: row {number} has {same} ({subject.replace(HLSD, 'hlsd:')})",
            )
        else:
            batch.problem(
                i,
                None,
                None,
                f"a row that differs from the others: it repeats row {number} exactly; give each "
                "an id if both are meant",
            )


def check_collisions(batch: Batch, kb, subjects: list[str], prefixes: tuple[str, ...], column: str) -> None:
    """Ids already naming an item from another source (the bundled base, another file)."""
    if not any(subjects):
        return
    taken: dict[str, str] = {}
    for prefix in prefixes:
        for s, g in select_rows(
            kb,
            sparql("importing/collisions.rq"),
            graph=ox.NamedNode(batch.graph),
            prefix=ox.Literal(f"{HLSD}{prefix}-"),
        ):
            taken.setdefault(s, g)
    if not taken:
        return
    for i, subject in enumerate(subjects):
        if subject in taken:
            batch.problem(
                i,
                column,
                batch.cell(i, column),
                f"an id not used elsewhere: {subject.replace(HLSD, 'hlsd:')} already "
                f"names an item of {taken[subject].replace(HLSG, 'hlsg:')}; choose "
                "another id, or remove that graph first",
            )


def assessment_keys(batch: Batch) -> None:
    """Self-assessment: which assessment each row belongs to (``batch.assessment_of``), its
    score's IRI (``batch.subjects``), and rows that disagree with their assessment's
    organisation, date or access level."""
    parsed = batch.parsed
    first_row: dict[str, int] = {}
    seen_scores: dict[str, int] = {}
    for i in range(batch.n):
        assessment, slug = _assessment(batch, i)
        batch.assessment_of.append(assessment)
        point = parsed["learning_point"][i]
        if assessment is None or point is None:
            batch.subjects.append("")
            continue
        score = f"{HLSD}score-{slug}-{slugify(point.rsplit('/', 1)[-1])}"
        batch.subjects.append(score)
        if score in seen_scores:
            batch.problem(
                i,
                "learning_point",
                batch.cell(i, "learning_point"),
                f"one score per learning point in an assessment: row "
                f"{batch.table.numbers[seen_scores[score]]} already scores it",
            )
        else:
            seen_scores[score] = i
        if assessment in first_row:
            _agrees_with(batch, i, first_row[assessment])
        else:
            first_row[assessment] = i


def _assessment(batch: Batch, i: int) -> tuple[str | None, str]:
    """The IRI of row ``i``'s assessment (from its id, else its organisation and date) and its slug."""
    org, date = batch.parsed["organisation"][i], batch.parsed["date"][i]
    ident = batch.cell(i, "assessment")
    if ident:
        slug = slugify(ident)
        if not slug:
            batch.problem(i, "assessment", ident, "an id with at least one letter or digit")
    elif org is not None and date is not None:
        slug = slugify(f"{org.rsplit('/', 1)[-1]}-{date.lex}")
    else:
        slug = ""
    return (f"{HLSD}assessment-{slug}" if slug else None), slug


def _agrees_with(batch: Batch, i: int, j: int) -> None:
    """Row ``i`` of an assessment has the organisation, date and access level of its first row ``j``."""
    parsed = batch.parsed
    for name in ("organisation", "date", "access_level"):
        mine, theirs = parsed[name][i], parsed[name][j]
        if mine is not None and theirs is not None and mine != theirs:
            batch.problem(
                i,
                name,
                batch.cell(i, name),
                f"the same {name} as row {batch.table.numbers[j]} of the same assessment "
                f"({_show_value(theirs)})",
            )


def _show_value(value) -> str:
    if isinstance(value, Lit):
        return value.lex
    return shorten(str(value))
