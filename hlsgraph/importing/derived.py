"""Values one kind of sheet works out from several cells: an observation's unit from its value's
sign and its title from its measure, place and date; an organisation's kind when none is given;
and, for places and organisations, references to the file's own rows (a row may not name itself,
and one naming a bad row cannot be loaded either)."""

from __future__ import annotations

from ..namespaces import HLS, PREFIXES
from ..validation.shapes import Lit
from .batch import Batch
from .references import References
from .values import normal_choice

STRING = PREFIXES["xsd"] + "string"
_PER_CENT = ("%", "per cent", "percentage")


def derive(batch: Batch, refs: References) -> None:
    """Work out the kind's derived values in ``batch.parsed`` and record their problems."""
    kind = batch.kind.name
    if kind == "observations":
        _units(batch)
        _titles(batch, refs)
    if kind == "organisations":
        batch.parsed["kind"] = [v if v is not None else HLS + "Organisation" for v in batch.parsed["kind"]]
    if kind in ("places", "organisations"):
        _own_rows(batch, refs)


def _units(batch: Batch) -> None:
    """An observation's value is split into its literal and the unit its sign implies (£, %),
    which must agree with the unit given, or stand in for it."""
    values, units = batch.parsed["value"], batch.parsed["unit"]
    for i, value in enumerate(values):
        if value is None:
            continue
        literal, implied = value
        values[i] = literal
        given = units[i].lex if units[i] is not None else None
        if implied and given is None:
            units[i] = Lit(implied, STRING)
        elif given is None:
            batch.problem(
                i,
                "unit",
                "",
                "a unit (GBP, people, cases, percent, ...): every observation "
                "needs one, unless its value has a currency or % sign",
            )
        elif implied and not _same_unit(given, implied):
            batch.problem(
                i,
                "unit",
                given,
                f"a unit matching the value's sign: the value {batch.cell(i, 'value')!r} says {implied}",
            )


def _same_unit(given: str, implied: str) -> bool:
    return normal_choice(given) == normal_choice(implied) or (
        implied == "percent" and given.strip() in _PER_CENT
    )


def _titles(batch: Batch, refs: References) -> None:
    """An observation without a title is called after its measure, place and date."""
    parsed = batch.parsed
    titles = parsed["title"]
    for i in range(batch.n):
        if titles[i] is not None or parsed["measure"][i] is None:
            continue
        parts = [refs.label_of(parsed["measure"][i]) or "Observation"]
        if parsed["place"][i] is not None:
            parts.append(refs.label_of(parsed["place"][i]) or "")
        when = parsed["date"][i] or parsed["period_end"][i] or parsed["period_start"][i]
        if when is not None:
            parts.append(when.lex)
        titles[i] = Lit(", ".join(p for p in parts if p), STRING)


def _own_rows(batch: Batch, refs: References) -> None:
    """References to items of this same file: none to the row itself; the others are kept in
    ``batch.local_refs``, so a row is held back when the row it names has problems."""
    row_of: dict[str, int] = {}
    for i, subject in enumerate(batch.subjects):
        row_of.setdefault(subject, i)
    for name in ("within", "member_of", "partner_of"):
        for i, value in enumerate(batch.parsed.get(name, ())):
            for target in value if isinstance(value, tuple) else (value,):
                if target is None:
                    continue
                if target == batch.subjects[i]:
                    batch.problem(i, name, batch.cell(i, name), "another item: a row cannot refer to itself")
                elif target in refs.local.iris:
                    batch.local_refs.append((i, name, row_of[target]))
