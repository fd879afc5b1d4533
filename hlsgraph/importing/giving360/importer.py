"""Import a 360Giving file into a knowledge base: check every grant against the bundled schema,
map it to the ontology (docs/360giving.md), and load the grants, the organisations and places
they name and their provenance as one named graph, all or nothing (``mode="strict"``) or with
the invalid grants left out and listed (``mode="quarantine"``).

Grants to individuals are restricted: the person's name and the funder's id for them are not
stored, and their places are no finer than a local authority (a finer code is replaced by its
local authority where the file itself says which that is, else dropped; both are counted; see
:mod:`.individuals`). The terms are written by :mod:`.terms`, the report is :mod:`.report`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ...errors import InvalidArgumentError
from ...namespaces import HLS, HLSC, HLSD, HLSG, PREFIXES
from ...progress import bar
from ...resources import sparql
from ...vocabulary.giving360 import OBJECTS, POSITION, concept_iri, grant_iri, org_iri, scheme_iri
from ...vocabulary.gss import area_kind, is_gss_code, place_iri
from . import schema as schemas
from .individuals import for_individual
from .readers import FileProblem, Package, Source, read_package
from .report import GrantsImportReport
from .terms import date_literal, decimal_lexical, field_literals, text_literal, typed_literal

XSD = PREFIXES["xsd"]
RDF = PREFIXES["rdf"]
RDF_TYPE = RDF + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
SKOS = PREFIXES["skos"]
DCAT = PREFIXES["dcat"]

MODES = ("strict", "quarantine")
NATIONS = {
    "E": ("E92000001", "England"),
    "W": ("W92000004", "Wales"),
    "S": ("S92000003", "Scotland"),
    "N": ("N92000002", "Northern Ireland"),
}
"""The nation a GSS code's first letter names, with its own code."""
BATCH = 5000
"""Grants checked and mapped together (one look-up of the store per batch)."""

_FIELDS = {
    kind: {field.key: (order, field) for order, field in enumerate(fields)}
    for kind, fields in OBJECTS.items()
}
"""Each kind of object's fields by key, with their place in the mapping."""

_FORM_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def graph_for(path: str | Path) -> str:
    """The named graph an import of ``path`` goes into by default: opaque (a digest of the file's
    name, so a private file name never appears in a graph name), and the same for a re-import of
    a file of that name, which replaces it.

    >>> graph_for("/data/our grants 2024.json") == graph_for("elsewhere/our grants 2024.json")
    True
    >>> graph_for("our grants 2024.json")[len("https://w3id.org/hls/graph/"):][:10]
    'import/360'
    """
    digest = hashlib.sha256(f"360giving\n{Path(path).name}".encode()).hexdigest()[:16]
    return f"{HLSG}import/360giving-{digest}"


class _Import:
    """One import of one file: the problems found, the shared resources named, and the
    N-Triples written so far."""

    def __init__(self, kb: Any, package: Package, mode: str, graph: str, out):
        self.kb = kb
        self.package = package
        self.mode = mode
        self.graph = graph
        self.out = out
        digest = hashlib.sha256(f"{graph}\n".encode()).hexdigest()[:16]
        self.activity = f"{HLSD}import-360giving-{digest}"
        self.file_iri = f"{self.activity}-file"
        self.problems: list[tuple] = []
        self.read = self.loaded = self.individuals = 0
        self.generalised = self.withheld = 0
        self.ids: dict[str, Source] = {}
        self.org_names: dict[str, Counter] = defaultdict(Counter)
        self.place_names: dict[str, Counter] = defaultdict(Counter)
        self.schemes: dict[str, str] = {}
        self.concepts: dict[str, tuple[str, Counter, str | None]] = {}
        self.funds: set[tuple[str, str]] = set()
        self.based: set[tuple[str, str]] = set()
        self.funders: Counter = Counter()
        self.blank = 0
        self.existing_orgs: dict[str, str] = {}
        self.existing_places: dict[str, str] = {}
        self.elsewhere: dict[str, str] = {}
        self.conflicts: dict[int, list] = defaultdict(list)
        for key, source, message in package.meta.get("conflicts") or ():
            self.conflicts[source.position].append((key, source, message))

    # ------------------------------------------------------------------ problems

    def problem(self, grant: Any, source: Source | None, path: str, value: Any, rule: str) -> None:
        identifier = grant.get("id") if isinstance(grant, dict) and isinstance(grant.get("id"), str) else None
        if source is not None and source.row is not None and path:
            column = source.column_for(path)
            if column:
                path = f"{path} (column {column!r})"
        shown = value if isinstance(value, str) else (None if isinstance(value, (dict, list)) else value)
        row = source.row if source is not None else None
        if identifier is None and source is not None and source.pointer:
            identifier = None
            path = f"{source.pointer}/{path}" if path else source.pointer
        self.problems.append((identifier, row, path, None if shown is None else str(shown), rule))

    def check(self, batch: list[tuple[Any, Source]]) -> list[tuple[dict, Source]]:
        """The grants of a batch that can be loaded; the others' problems recorded."""
        good = []
        for grant, source in batch:
            if schemas.is_valid(grant):
                ok = True
            else:
                ok = False
                for error in schemas.errors(grant):
                    for path, rule in schemas.describe(error):
                        value = error.instance if error.validator != "required" else None
                        self.problem(grant, source, path, value, rule)
            for key, at, message in self.conflicts.get(source.position, ()):
                self.problem(grant, at, key, None, message)
                ok = False
            if isinstance(grant, dict) and isinstance(grant.get("id"), str):
                first = self.ids.get(grant["id"])
                if first is not None:
                    where = f"row {first.row}" if first.row is not None else first.pointer
                    self.problem(
                        grant,
                        source,
                        "id",
                        grant["id"],
                        f"a grant identifier used once: {where} has the same one",
                    )
                    ok = False
                else:
                    self.ids[grant["id"]] = source
            if ok:
                good.append((grant, source))
        return self.check_elsewhere(good)

    def check_elsewhere(self, good: list[tuple[dict, Source]]) -> list[tuple[dict, Source]]:
        """Grants already loaded from another file (another graph) are problems: loading them
        again would count them twice."""
        if not self.elsewhere:
            return good
        kept = []
        for grant, source in good:
            other = self.elsewhere.get(grant_iri(grant["id"]))
            if other is None:
                kept.append((grant, source))
                continue
            self.problem(
                grant,
                source,
                "id",
                grant["id"],
                f"a grant not loaded already: graph <{other}> holds it; remove that graph "
                "(kb.remove_graph) or import into it with graph=",
            )
        return kept

    def look_up(self) -> None:
        """What the knowledge base already holds that this import joins to or must not repeat:
        organisations by org-id, places by GSS code, grants in other graphs."""
        graph = ox.NamedNode(self.graph)
        for name, found in (("organisations", self.existing_orgs), ("places", self.existing_places)):
            for resource, key in _rows(self.kb, sparql(f"giving360/{name}.rq"), graph=graph):
                found.setdefault(key, resource)
        self.elsewhere = dict(_rows(self.kb, sparql("giving360/grants-elsewhere.rq"), graph=graph))

    # ------------------------------------------------------------------ triples

    def bnode(self) -> str:
        self.blank += 1
        return f"_:n{self.blank}"

    def write_object(self, lines: list[str], subject: str, kind: str, obj: dict) -> None:
        s = subject if subject.startswith("_:") else f"<{subject}>"
        fields = _FIELDS[kind]
        # The object's own keys in the mapping's order (an object has a few of its kind's
        # twenty-odd fields): the triples and blank nodes come out as before.
        for _, field in sorted(fields[key] for key in obj if key in fields):
            value = obj[field.key]
            if value is None:
                continue
            if field.kind == "objects":
                for position, item in enumerate(value):
                    node = self.bnode()
                    lines.append(f"{s} <{field.predicate}> {node} .")
                    lines.append(f'{node} <{POSITION}> "{position}"^^<{XSD}integer> .')
                    self.write_object(lines, node, field.of, item)
            elif field.kind == "object":
                node = self.bnode()
                lines.append(f"{s} <{field.predicate}> {node} .")
                self.write_object(lines, node, field.of, value)
            else:
                for literal in field_literals(field, value):
                    lines.append(f"{s} <{field.predicate}> {literal} .")

    def grant(self, lines: list[str], grant: dict, source: Source) -> None:
        individual = "recipientIndividual" in grant
        if individual:
            grant, generalised, withheld = for_individual(grant)
            self.generalised += generalised
            self.withheld += withheld
            self.individuals += 1
        iri = grant_iri(grant["id"])
        g = f"<{iri}>"
        record = f"{self.activity}-grant-{source.position}"
        lines += [
            f"{g} <{RDF_TYPE}> <{HLS}Grant> .",
            f"{g} <{HLS}arrangementKind> <{HLSC}grant> .",
            f"{g} <{HLS}amountBasis> <{HLSC}per-grant> .",
            f"{g} <{HLS}accessLevel> <{HLS}{'restricted' if individual else 'public'}> .",
            f"{g} <{PROV}wasGeneratedBy> <{self.activity}> .",
            f"{g} <{PROV}wasDerivedFrom> <{record}> .",
            f"<{record}> <{RDF_TYPE}> <{HLS}ImportRow> .",
            f"<{record}> <{HLS}importActivity> <{self.activity}> .",
        ]
        if source.row is not None:
            lines.append(f'<{record}> <{HLS}rowNumber> "{source.row}"^^<{XSD}integer> .')
            sheets = self.package.sheets
            part = f"{self.activity}-sheet-{sheets.index(source.sheet) if source.sheet in sheets else 0}"
            lines.append(f"<{record}> <{DCT}isPartOf> <{part if source.sheet else self.file_iri}> .")
        else:
            lines.append(f"<{record}> <{HLS}jsonPointer> {text_literal(source.pointer or '')} .")
            lines.append(f"<{record}> <{DCT}isPartOf> <{self.file_iri}> .")
        if individual:
            lines.append(f"{g} <{RDF_TYPE}> <{HLS}GrantToIndividual> .")
        self.write_object(lines, iri, "Grant", grant)
        self.links(lines, g, grant)
        self.loaded += 1

    def links(self, lines: list[str], g: str, grant: dict) -> None:
        """The grant's links to the shared resources its fields name."""
        funders = self.organisations(lines, g, grant)
        for location in grant.get("beneficiaryLocation") or ():
            code = (location.get("geoCode") or "").strip()
            if is_gss_code(code):
                self.place_names[code][location.get("name") or code] += 1
                lines.append(f"{g} <{HLS}place> <{self.place(code)}> .")
        planned = (grant.get("plannedDates") or [None])[0]
        if planned:
            for key, predicate in (("startDate", "periodStart"), ("endDate", "periodEnd")):
                if planned.get(key):
                    lines.append(f"{g} <{HLS}{predicate}> {date_literal(planned[key])} .")
            if planned.get("duration") is not None:
                months = typed_literal(decimal_lexical(planned["duration"]), "decimal")
                lines.append(f"{g} <{HLS}durationMonths> {months} .")
        for key in ("classifications", "fundingType"):
            for item in grant.get(key) or ():
                concept = self.concept(item, funders[0] if funders else "")
                if concept:
                    lines.append(f"{g} <{HLS}classifiedAs> <{concept}> .")

    def organisations(self, lines: list[str], g: str, grant: dict) -> list[str]:
        """Funder and recipient links (and where recipients are based); the funders' org-ids."""
        funders = []
        for party in grant.get("fundingOrganization") or ():
            org = party["id"].strip()
            self.org_names[org][party.get("name") or org] += 1
            funders.append(org)
            lines.append(f"{g} <{HLS}funder> <{self.org(org)}> .")
        if funders:
            self.funders[funders[0]] += 1
        for party in grant.get("recipientOrganization") or ():
            org = party["id"].strip()
            self.org_names[org][party.get("name") or org] += 1
            lines.append(f"{g} <{HLS}recipient> <{self.org(org)}> .")
            self.funds.update((funder, org) for funder in funders)
            for location in party.get("location") or ():
                code = (location.get("geoCode") or "").strip()
                if is_gss_code(code):
                    self.place_names[code][location.get("name") or code] += 1
                    self.based.add((org, code))
        return funders

    def org(self, org_id: str) -> str:
        return self.existing_orgs.get(org_id) or org_iri(org_id)

    def place(self, code: str) -> str:
        return self.existing_places.get(code) or place_iri(code)

    def concept(self, item: dict, funder: str) -> str | None:
        vocabulary = (item.get("vocabulary") or "").strip()
        key = (item.get("code") or item.get("title") or "").strip()
        if not key:
            return None
        scheme_key = f"vocabulary\n{vocabulary}" if vocabulary else f"funder\n{funder}"
        scheme = scheme_iri(scheme_key)
        self.schemes.setdefault(scheme, vocabulary or f"classifications of {funder}")
        iri = concept_iri(scheme, key)
        if iri not in self.concepts:
            self.concepts[iri] = (scheme, Counter(), (item.get("code") or "").strip() or None)
        self.concepts[iri][1][item.get("title") or key] += 1
        return iri

    def nations(self) -> dict[str, str]:
        """The nation each new place lies in, from its code's first letter (the ONS code
        structure: E England, W Wales, S Scotland, N Northern Ireland)."""
        new = [c for c in self.place_names if c not in self.existing_places and c[0] in NATIONS]
        inside = {code: NATIONS[code[0]][0] for code in new if code != NATIONS[code[0]][0]}
        for code in set(inside.values()) - set(self.existing_places):
            self.place_names[code][NATIONS[code[0]][1]] += 1
        return inside

    def shared(self, lines: list[str]) -> None:
        """The organisations, places and classification concepts the grants named, once each."""
        self.shared_organisations(lines)
        self.shared_places(lines)
        self.shared_concepts(lines)

    def shared_organisations(self, lines: list[str]) -> None:
        public = f"<{HLS}accessLevel> <{HLS}public> ."
        generated = f"<{PROV}wasGeneratedBy> <{self.activity}> ."
        for org, names in self.org_names.items():
            if org in self.existing_orgs:
                continue
            s = f"<{org_iri(org)}>"
            lines += [
                f"{s} <{RDF_TYPE}> <{HLS}Organisation> .",
                f"{s} <{HLS}orgId> {text_literal(org)} .",
                f"{s} <{RDFS_LABEL}> {text_literal(names.most_common(1)[0][0])} .",
                f"{s} {public}",
                f"{s} {generated}",
            ]
        for funder, recipient in sorted(self.funds):
            lines.append(f"<{self.org(funder)}> <{HLS}funds> <{self.org(recipient)}> .")

    def shared_places(self, lines: list[str]) -> None:
        inside = self.nations()
        public = f"<{HLS}accessLevel> <{HLS}public> ."
        generated = f"<{PROV}wasGeneratedBy> <{self.activity}> ."
        for code, names in self.place_names.items():
            if code in self.existing_places:
                continue
            s = f"<{place_iri(code)}>"
            lines += [
                f"{s} <{RDF_TYPE}> <{HLS}Place> .",
                f"{s} <{HLS}gssCode> {text_literal(code)} .",
                f"{s} <{RDFS_LABEL}> {text_literal(names.most_common(1)[0][0])} .",
                f"{s} {public}",
                f"{s} {generated}",
            ]
            kind = area_kind(code)
            if kind is not None:
                lines.append(f"{s} <{HLS}placeKind> <{kind.iri}> .")
            if code in inside:
                nation = self.place(inside[code])
                lines.append(f"{s} <{HLS}within> <{nation}> .")
                lines += _within_record(place_iri(code), nation, code)
        for org, code in sorted(self.based):
            lines.append(f"<{self.org(org)}> <{HLS}basedIn> <{self.place(code)}> .")

    def shared_concepts(self, lines: list[str]) -> None:
        public = f"<{HLS}accessLevel> <{HLS}public> ."
        for scheme, label in self.schemes.items():
            if label.startswith("classifications of "):
                funder = label.removeprefix("classifications of ")
                names = self.org_names.get(funder)
                label = f"Classifications of {names.most_common(1)[0][0] if names else funder}"
            lines += [
                f"<{scheme}> <{RDF_TYPE}> <{SKOS}ConceptScheme> .",
                f"<{scheme}> <{SKOS}prefLabel> {text_literal(label)} .",
                f"<{scheme}> {public}",
            ]
        for concept, (scheme, titles, code) in self.concepts.items():
            lines += [
                f"<{concept}> <{RDF_TYPE}> <{SKOS}Concept> .",
                f"<{concept}> <{SKOS}inScheme> <{scheme}> .",
                f"<{concept}> <{SKOS}topConceptOf> <{scheme}> .",
                f"<{concept}> <{SKOS}prefLabel> {text_literal(titles.most_common(1)[0][0])} .",
                f"<{concept}> {public}",
            ]
            if code:
                lines.append(f"<{concept}> <{SKOS}notation> {text_literal(code)} .")

    def provenance(self, lines: list[str], started: str, publisher: str | None, licence: str | None) -> None:
        name = self.package.path.name
        meta = self.package.meta
        lines += [
            f"<{self.activity}> <{RDF_TYPE}> <{HLS}ImportActivity> .",
            f"<{self.activity}> <{RDFS_LABEL}> {text_literal(f'import of {name} as 360Giving')} .",
            f"<{self.activity}> <{HLS}sourceFile> {text_literal(name)} .",
            f"<{self.activity}> <{PROV}used> <{self.file_iri}> .",
            # What the file says of a grant (its kind, funder, places) the publisher states.
            f"<{self.activity}> <{HLS}basisOfLinks> <{HLSC}stated> .",
            f"<{self.activity}> <{PROV}startedAtTime> {typed_literal(started, 'dateTime')} .",
            f"<{self.file_iri}> <{RDF_TYPE}> <{PROV}Entity> .",
            f"<{self.file_iri}> <{DCT}title> {text_literal(name)} .",
            f"<{self.file_iri}> <{DCT}format> {text_literal(_FORM_TYPES[self.package.form])} .",
            f"<{self.file_iri}> <{DCT}identifier> {text_literal('sha256:' + _digest(self.package.path))} .",
        ]
        for index, sheet in enumerate(self.package.sheets if self.package.form == "xlsx" else ()):
            part = f"<{self.activity}-sheet-{index}>"
            lines += [
                f"{part} <{RDF_TYPE}> <{PROV}Entity> .",
                f"{part} <{RDFS_LABEL}> {text_literal(sheet)} .",
                f"{part} <{DCT}isPartOf> <{self.file_iri}> .",
            ]
        given = meta.get("publisher")
        given = given if isinstance(given, dict) else {}
        if given.get("identifier"):
            lines.append(f"<{self.file_iri}> <{DCT}publisher> <{self.org(given['identifier'])}> .")
        elif given.get("name") or publisher:
            who = publisher or given["name"]
            target = f"<{self.org(who)}>" if who in self.org_names else text_literal(who)
            lines.append(f"<{self.file_iri}> <{DCT}publisher> {target} .")
        elif len(self.funders) == 1:
            (only,) = self.funders
            lines.append(f"<{self.file_iri}> <{DCT}publisher> <{self.org(only)}> .")
        licence = licence or (meta.get("license") if isinstance(meta.get("license"), str) else None)
        if licence:
            lines.append(f"<{self.file_iri}> <{DCT}license> <{licence}> .")
        for key in ("title", "identifier", "issued", "modified"):
            if isinstance(meta.get(key), str):
                predicate = {"title": "alternative", "identifier": "source"}.get(key, key)
                lines.append(f"<{self.file_iri}> <{DCT}{predicate}> {text_literal(meta[key])} .")

    def flush(self, lines: list[str]) -> None:
        if lines:
            self.out.write(("\n".join(lines) + "\n").encode("utf-8"))
            lines.clear()


def _rows(kb: Any, query: str, **terms) -> list[tuple[Any, ...]]:
    """A SELECT's rows as tuples of strings (whole IRIs, lexical forms); ``terms`` bound."""
    frame = kb.select(query, compact=False, **terms)
    return [tuple(str(v) for v in row) for row in frame.itertuples(index=False)]


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def import_360giving(
    kb: Any,
    path: str | Path,
    *,
    mode: str = "strict",
    graph: str | None = None,
    publisher: str | None = None,
    licence: str | None = None,
    progress: bool | None = None,
) -> GrantsImportReport:
    """Import a 360Giving file (a JSON package, or the flattened XLSX or CSV form) into ``kb``.

    Parameters
    ----------
    kb : hlsgraph.KnowledgeBase
        Where to load (one named graph, replaced as a unit when imported again).
    path : str or Path
        A ``.json`` package (``{"grants": [...]}``), or an ``.xlsx`` / ``.csv`` file with the
        standard's column titles.
    mode : {"strict", "quarantine"}
        ``strict``: any invalid grant and nothing is loaded. ``quarantine``: the valid grants are
        loaded, every other one is listed in the report with its reasons.
    graph : str, optional
        The named graph to load into (default :func:`graph_for`: an opaque name).
    publisher, licence : str, optional
        Who published the file and under which licence (a URI), when the package does not say
        (its ``publisher`` and ``license``); recorded in the provenance of every grant.
    progress : bool, optional
        Show a progress bar (default: when someone is watching and it takes a while).

    Returns
    -------
    GrantsImportReport

    Examples
    --------
    >>> import hlsgraph
    >>> from hlsgraph.importing.giving360 import example_file
    >>> kb = hlsgraph.open()
    >>> report = kb.import_360giving(example_file())
    >>> report.grants_read, report.grants_loaded, report.ok
    (475, 475, True)
    """
    if mode not in MODES:
        raise InvalidArgumentError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    path = Path(path)
    started = _now()
    graph = graph or graph_for(path)
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    form = path.suffix.lower().lstrip(".")

    def refused(message: str, where: str | None = None, row: int | None = None, read: int = 0):
        return GrantsImportReport(
            file=path,
            mode=mode,
            graph=graph,
            grants_read=read,
            grants_loaded=0,
            problems=[(None, row, where or "", None, message)],
            started=started,
            form=form,
            timings=timings,
        )

    try:
        package = read_package(path)
    except FileProblem as err:
        return refused(f"{path.name} {err}", err.where, err.row)
    handle, temporary = tempfile.mkstemp(suffix=".nt", prefix="hlsgraph-360giving-")
    try:
        with os.fdopen(handle, "wb") as out:
            job = _Import(kb, package, mode, graph, out)
            job.look_up()
            try:
                _run(job, progress, clock)
            except FileProblem as err:
                return refused(f"{path.name} {err}", err.where, err.row, job.read)
            meta = {k: v for k, v in package.meta.items() if k not in ("grants_count", "conflicts")}
            if not job.read:
                job.problems.append((None, None, "grants", None, "the package's grants: at least 1 item"))
            for error in () if schemas.is_valid(meta, package=True) else schemas.errors(meta, package=True):
                for field_path, rule in schemas.describe(error):
                    job.problems.append(
                        (None, None, field_path or "(package)", None, f"the package's {rule}")
                    )
            lines: list[str] = []
            if job.problems and mode == "strict" or (job.problems and not job.loaded and job.read):
                return _report(job, path, mode, graph, started, form, timings, loaded=False)
            job.shared(lines)
            job.provenance(lines, started, publisher, licence)
            job.flush(lines)
        clock.lap("map")
        kb.load(path=temporary, format="ntriples", graph=graph, replace=True)
        clock.lap("load")
        return _report(job, path, mode, graph, started, form, timings, loaded=True)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _run(job: _Import, progress: bool | None, clock: _Clock) -> None:
    lines: list[str] = []
    with bar(None, desc="Importing grants", unit="grant", progress=progress) as shown:
        batch: list[tuple[Any, Source]] = []

        def run_batch() -> None:
            good = job.check(batch)
            clock.lap("check")
            if job.mode == "strict" and job.problems:
                batch.clear()
                return
            for grant, source in good:
                job.grant(lines, grant, source)
            job.flush(lines)
            clock.lap("map")
            shown.update(len(batch))
            batch.clear()

        for grant, source in job.package.grants:
            job.read += 1
            batch.append((grant, source))
            if len(batch) >= BATCH:
                run_batch()
        clock.lap("read")
        if batch:
            run_batch()


def _report(job: _Import, path, mode, graph, started, form, timings, *, loaded: bool) -> GrantsImportReport:
    return GrantsImportReport(
        file=path,
        mode=mode,
        graph=graph,
        grants_read=job.read,
        grants_loaded=job.loaded if loaded else 0,
        problems=job.problems,
        started=started,
        form=form,
        individuals=job.individuals if loaded else 0,
        places_generalised=job.generalised if loaded else 0,
        places_withheld=job.withheld if loaded else 0,
        organisations=len(job.org_names) if loaded else 0,
        places=len(job.place_names) if loaded else 0,
        timings=timings,
    )


class _Clock:
    def __init__(self, laps: dict[str, float]):
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.laps = laps

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _within_record(place: str, nation: str, code: str) -> list[str]:
    """The link record of a minted place's hls:within its nation: stated, by the ONS code
    structure (a GSS code's first letter names its nation), as for the bundled places
    (docs/model.md, 'The basis of a link')."""
    record = f"<{HLSD}link-{place.rsplit('/', 1)[-1]}--within--{nation.rsplit('/', 1)[-1]}>"
    grounds = f"The first letter of the GSS code {code} names the nation the area is in (ONS code structure)."
    return [
        f"{record} <{RDF_TYPE}> <{HLS}LinkRecord> .",
        f"{record} <{RDF}subject> <{place}> .",
        f"{record} <{RDF}predicate> <{HLS}within> .",
        f"{record} <{RDF}object> <{nation}> .",
        f"{record} <{HLS}basis> <{HLSC}stated> .",
        f"{record} <{PROV}hadPrimarySource> <{HLSD}codelist-ons-register-of-geographic-codes> .",
        f"{record} <{HLS}grounds> {text_literal(grounds)} .",
        f"{record} <{HLS}accessLevel> <{HLS}public> .",
    ]
