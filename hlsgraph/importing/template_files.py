"""Writing the templates users fill in: a kind's blank CSV with its companion
``<kind>.columns.csv``, or an XLSX workbook whose second sheet describes the columns (openpyxl
writes it: reading workbooks is python-calamine's job, in :mod:`.readers`); and the column
reference of ``docs/templates.md``, generated from :mod:`.templates`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InvalidArgumentError
from ..store.terms import compact
from .templates import DOC_HEADER, KINDS, Kind, column_docs, get_kind


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def template_csv(kind: str | Kind) -> str:
    """The blank CSV template of a kind: its header row.

    >>> template_csv("places")
    'id,name,settlement,within,gss_code,access_level\\n'
    """
    k = kind if isinstance(kind, Kind) else get_kind(kind)
    return _csv_text([k.header])


def columns_csv(kind: str | Kind) -> str:
    """The companion ``<kind>.columns.csv`` documenting each column of the CSV template."""
    return _csv_text([DOC_HEADER, *column_docs(kind)])


def build_workbook(kind: str | Kind):
    """The blank XLSX template of a kind as an openpyxl ``Workbook``.

    Its first sheet (named after the kind) has the header, with each header cell's meaning in a
    cell comment and drop-down lists for columns with allowed values; the second sheet,
    ``columns``, documents every column.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    k = kind if isinstance(kind, Kind) else get_kind(kind)
    wb = Workbook()
    sheet = wb.active
    sheet.title = k.name
    sheet.append(k.header)
    for index, col in enumerate(k.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        note = f"{col.meaning}\nType: {col.type_text}.\nRequired: {'yes' if col.required else 'no'}."
        if col.allowed_text:
            note += f"\nAllowed: {col.allowed_text}."
        note += f"\nExample: {col.example}"
        cell.comment = Comment(note, "hlsgraph", width=320, height=160)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(col.name) + 4)
        if col.allowed and not col.multi:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(col.allowed) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{col.name}",
                error="Choose one of: " + ", ".join(col.allowed),
            )
            validation.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    docs = wb.create_sheet("columns")
    docs.append(DOC_HEADER)
    for cell in docs[1]:
        cell.font = Font(bold=True)
    for row in column_docs(k):
        docs.append(row)
    for letter, width in zip("ABCDEF", (18, 70, 40, 10, 40, 30), strict=True):
        docs.column_dimensions[letter].width = width
    for row in docs.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Fixed document times, so a regenerated template differs from the committed one only
    # when the columns do.
    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    wb.properties.creator = "hlsgraph"
    return wb


def workbook_bytes(kind: str | Kind) -> bytes:
    """The blank XLSX template of a kind as bytes, the same on every run (fixed times inside
    the zip), so the committed templates can be compared with freshly generated ones."""
    import zipfile

    raw = io.BytesIO()
    build_workbook(kind).save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving; keep the template's fixed one.
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()


def write_template(kind: str | Kind, path: str | Path) -> list[Path]:
    """Write a blank template of ``kind`` to ``path`` (``.csv`` or ``.xlsx``).

    A CSV template comes with its companion ``<stem>.columns.csv`` beside it.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_template("places", folder / "places.csv")]
    ['places.csv', 'places.columns.csv']
    """
    k = kind if isinstance(kind, Kind) else get_kind(kind)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_text(template_csv(k), encoding="utf-8")
        companion = path.with_name(path.stem + ".columns.csv")
        companion.write_text(columns_csv(k), encoding="utf-8")
        return [path, companion]
    if suffix == ".xlsx":
        path.write_bytes(workbook_bytes(k))
        return [path]
    raise InvalidArgumentError(f"cannot write a template to {path}: the name must end in .csv or .xlsx")


def write_all(folder: str | Path) -> list[Path]:
    """Write every kind's CSV (with its companion) and XLSX template into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in KINDS:
        written += write_template(name, folder / f"{name}.csv")
        written += write_template(name, folder / f"{name}.xlsx")
    return written


def markdown(kinds: list[str] | None = None) -> str:
    """The column reference of every kind as Markdown (the body of ``docs/templates.md``)."""
    out = []
    for name in kinds or list(KINDS):
        k = KINDS[name]
        out.append(f"### {k.name}\n")
        if k.name == "self-assessment":
            out.append(
                f"{k.description} Each assessment becomes an item of class "
                f"`{compact(k.rdf_class)}` with the IRI `hlsd:assessment-<slug of "
                "assessment>`, and each row an `hls:Score` "
                "`hlsd:score-<slug of assessment>-<learning point>`.\n"
            )
        else:
            out.append(
                f"{k.description} Each row becomes an item of class `{compact(k.rdf_class)}` "
                f"with the IRI `hlsd:{k.iri_prefix}-<slug of id>`.\n"
            )
        out.append("| " + " | ".join(DOC_HEADER) + " |")
        out.append("|" + " --- |" * len(DOC_HEADER))
        for row in column_docs(k):
            cells = [row[0] and f"`{row[0]}`", *row[1:]]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


DOC_BEGIN = "<!-- columns: generated by hlsgraph.importing.template_files.update_doc; do not edit by hand -->"
DOC_END = "<!-- end of generated columns -->"


def update_doc(path: str | Path) -> bool:
    """Rewrite the generated column reference between :data:`DOC_BEGIN` and :data:`DOC_END` in
    the Markdown file ``path`` (``docs/templates.md``); whether anything changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(DOC_BEGIN) + len(DOC_BEGIN), text.index(DOC_END)
    new = text[:start] + "\n\n" + markdown() + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False
