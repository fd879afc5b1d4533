"""The items a sheet's good rows become, built column by column as
:class:`~hlsgraph.validation.shapes.ItemSet` (what the shape checks read), each with PROV-O
provenance back to its import row; the import activity's own description; and all of it as
N-Triples text for the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..namespaces import HLS, PREFIXES
from ..store.terms import iri_syntax, literal_syntax
from ..validation.shapes import ItemSet, Lit
from ..vocabulary.gss import area_kind
from .batch import Batch
from .values import slugify

XSD = PREFIXES["xsd"]
STRING = XSD + "string"
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build(batch: Batch, good: list[int], label_of: Callable[[str], str | None]) -> list[ItemSet]:
    """The items of rows ``good``, then their import rows (self-assessments: the assessments,
    their scores, then the rows); ``label_of`` gives a resource's label, for titles."""
    kind = batch.kind
    if kind.name == "self-assessment":
        return _self_assessment(batch, good, label_of)
    parsed = batch.parsed
    items = ItemSet([batch.subjects[i] for i in good], [(i,) for i in good])
    if kind.name == "organisations":
        rdf_type = parsed["kind"]
        items.props[RDF_TYPE] = [rdf_type[i] for i in good]
    else:
        items.props[RDF_TYPE] = [kind.rdf_class] * len(good)
    for col in kind.columns:
        if col.predicate is not None:
            column = parsed[col.name]
            items.props[col.predicate] = [column[i] for i in good]
    if kind.name == "places":
        # The administrative kind follows from the GSS code's entity and nothing else.
        items.props[HLS + "placeKind"] = [_place_kind(parsed["gss_code"][i]) for i in good]
    items.props[PROV + "wasGeneratedBy"] = [batch.activity] * len(good)
    items.props[PROV + "wasDerivedFrom"] = [batch.row_iri(i) for i in good]
    return [items, _rows(batch, good)]


def _place_kind(code: Lit | None) -> str | None:
    """The place-kind concept a GSS code's entity names, or ``None``.

    >>> _place_kind(Lit("E05012345", PREFIXES["xsd"] + "string")).rsplit("/", 1)[-1]
    'ward'
    """
    if code is None:
        return None
    kind = area_kind(code.lex)
    return kind.iri if kind is not None else None


def _rows(batch: Batch, good: list[int]) -> ItemSet:
    numbers = batch.table.numbers
    rows = ItemSet([batch.row_iri(i) for i in good], [(i,) for i in good])
    rows.props[RDF_TYPE] = [HLS + "ImportRow"] * len(good)
    rows.props[HLS + "importActivity"] = [batch.activity] * len(good)
    rows.props[HLS + "rowNumber"] = [Lit(str(numbers[i]), XSD + "integer") for i in good]
    if batch.table.sheet:
        rows.props[DCT + "isPartOf"] = [f"{batch.activity}-sheet-{slugify(batch.table.sheet)}"] * len(good)
    return rows


def _self_assessment(batch: Batch, good: list[int], label_of: Callable[[str], str | None]) -> list[ItemSet]:
    parsed = batch.parsed
    scores = ItemSet([batch.subjects[i] for i in good], [(i,) for i in good])
    scores.props[RDF_TYPE] = [HLS + "Score"] * len(good)
    for name in ("learning_point", "score", "evidence", "notes", "access_level"):
        predicate = batch.kind.column(name).predicate
        assert predicate is not None  # each of these columns states a property
        scores.props[predicate] = [parsed[name][i] for i in good]
    scores.props[PROV + "wasGeneratedBy"] = [batch.activity] * len(good)
    scores.props[PROV + "wasDerivedFrom"] = [batch.row_iri(i) for i in good]
    groups: dict[Any, list[int]] = {}  # assessment IRI -> its rows
    for i in good:
        groups.setdefault(batch.assessment_of[i], []).append(i)
    assessments = ItemSet(list(groups), [tuple(rows) for rows in groups.values()])
    firsts = [rows[0] for rows in groups.values()]
    assessments.props[RDF_TYPE] = [HLS + "SelfAssessment"] * len(groups)
    assessments.props[DCT + "title"] = [
        Lit(f"Self-assessment by {label_of(parsed['organisation'][i]) or 'organisation'}, {date.lex}", STRING)
        for i, date in ((i, parsed["date"][i]) for i in firsts)
    ]
    assessments.props[HLS + "assessedBy"] = [parsed["organisation"][i] for i in firsts]
    assessments.props[DCT + "date"] = [parsed["date"][i] for i in firsts]
    assessments.props[HLS + "accessLevel"] = [parsed["access_level"][i] for i in firsts]
    assessments.props[HLS + "hasScore"] = [tuple(batch.subjects[i] for i in rows) for rows in groups.values()]
    assessments.props[PROV + "wasGeneratedBy"] = [batch.activity] * len(groups)
    assessments.props[PROV + "wasDerivedFrom"] = [
        tuple(batch.row_iri(i) for i in rows) for rows in groups.values()
    ]
    return [assessments, scores, _rows(batch, good)]


def provenance(batch: Batch, started: str, digest: str) -> str:
    """The import activity, the file and (for a workbook) the sheet, as N-Triples."""
    activity = batch.activity
    file_iri = f"{activity}-file"
    table = batch.table
    name = table.path.name
    triples = [
        (activity, RDF_TYPE, HLS + "ImportActivity"),
        (activity, RDFS_LABEL, Lit(f"import of {name} as {batch.kind.name}", STRING)),
        (activity, HLS + "sourceFile", Lit(name, STRING)),
        (activity, PROV + "used", file_iri),
        (activity, PROV + "startedAtTime", Lit(started, XSD + "dateTime")),
        (activity, DCT + "identifier", Lit(f"sha256:{digest}", STRING)),
        (file_iri, RDF_TYPE, PROV + "Entity"),
        (file_iri, DCT + "title", Lit(name, STRING)),
        (file_iri, DCT + "format", Lit("text/csv" if table.sheet is None else XLSX_MEDIA_TYPE, STRING)),
        (file_iri, DCT + "identifier", Lit(f"sha256:{table.digest}", STRING)),
    ]
    if table.sheet:
        sheet_iri = f"{activity}-sheet-{slugify(table.sheet)}"
        triples += [
            (sheet_iri, RDF_TYPE, PROV + "Entity"),
            (sheet_iri, RDFS_LABEL, Lit(table.sheet, STRING)),
            (sheet_iri, DCT + "isPartOf", file_iri),
        ]
    return "".join(f"<{s}> <{p}> {_term(o)} .\n" for s, p, o in triples)


# ---------------------------------------------------------------------------------------------
# N-Triples
# ---------------------------------------------------------------------------------------------


def _term(term: Any) -> str:
    """An item's value (an IRI or a :class:`Lit`) in N-Triples syntax."""
    return iri_syntax(term) if type(term) is str else literal_syntax(*term)


def ntriples(sets: list[ItemSet]) -> str:
    """Items as N-Triples text, written column by column (order does not matter in
    N-Triples, and one predicate at a time keeps the loop tight).

    >>> items = ItemSet(["http://example.org/a"], [(0,)],
    ...                 {"http://example.org/p": [Lit('say "hi"', STRING)]})
    >>> print(ntriples([items]), end="")
    <http://example.org/a> <http://example.org/p> "say \\"hi\\"" .
    """
    return b"".join(ntriples_chunks(sets)).decode("utf-8")


def ntriples_chunks(sets: list[ItemSet]) -> list[bytes]:
    """:func:`ntriples` as UTF-8, one chunk per column, so that a large batch is never held as
    a list of lines, a text and its encoding at once."""
    chunks = []
    for items in sets:
        for predicate, column in items.props.items():
            lines = _column_lines(items.subjects, f"> <{predicate}> ", column)
            if lines:
                lines.append("")
                chunks.append("\n".join(lines).encode("utf-8"))
    return chunks


def _column_lines(subjects: list[str], middle: str, column: list[Any]) -> list[str]:
    kinds = set(map(type, column))
    kinds.discard(type(None))
    # Columns are built from one template column each, so nearly always hold one kind of
    # value; those are written by a comprehension, the rest value by value.
    if kinds == {str}:
        return [f"<{s}{middle}<{v}> ." for s, v in zip(subjects, column, strict=True) if v is not None]
    if kinds == {Lit}:
        return _literal_lines(subjects, middle, column)
    if kinds <= {str, tuple} and all(type(v) is str for vs in column if type(vs) is tuple for v in vs):
        # IRIs, some cells holding several (concepts "a; b"): a line per value, in row order.
        return [
            f"<{s}{middle}<{v}> ."
            for s, vs in zip(subjects, column, strict=True)
            if vs is not None
            for v in (vs if type(vs) is tuple else (vs,))
        ]
    lines: list[str] = []
    for subject, value in zip(subjects, column, strict=True):
        if value is None:
            continue
        if type(value) is tuple:
            lines.extend(f"<{subject}{middle}{_term(v)} ." for v in value)
        else:
            lines.append(f"<{subject}{middle}{_term(value)} .")
    return lines


def _literal_lines(subjects: list[str], middle: str, column: list[Any]) -> list[str]:
    """A column of literals; when they share a datatype and language (the usual case) and
    none needs escaping, written without a call per value."""
    forms = {(v[1], v[2]) for v in column if v is not None}
    if len(forms) == 1:
        lexes = "".join([v[0] for v in column if v is not None])
        if literal_syntax(lexes) == f'"{lexes}"':  # nothing in the column to escape
            ((datatype, lang),) = forms
            suffix = literal_syntax("", datatype, lang)[2:] + " ."
            return [
                f'<{s}{middle}"{v[0]}"{suffix}'
                for s, v in zip(subjects, column, strict=True)
                if v is not None
            ]
    return [f"<{s}{middle}{_term(v)} ." for s, v in zip(subjects, column, strict=True) if v is not None]
