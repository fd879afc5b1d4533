"""Publish a knowledge base as a static linked-open-data site that any web host can serve.

:func:`publish` writes, into one folder: a page per published resource with its Turtle,
JSON-LD and N-Triples beside it; whole-dataset dumps; the DCAT / VoID description; the landing
page, pages listing each kind, the aggregate pages; ``sitemap.xml``; and server rules for
content negotiation (Apache ``.htaccess``, an nginx snippet, a w3id.org redirect). What it
holds is the :class:`~hlsgraph.publishing.release.Release` of the knowledge base, and each dump
is parsed again and checked against the access rule before the site replaces the folder: a
breach raises :class:`~hlsgraph.errors.ValidationError` and leaves the folder as it was.
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import hashlib
import json
import os
import queue
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from .. import csvsafe
from .._version import __version__
from ..errors import InvalidArgumentError, MissingFileError, NothingToPublishError, OutputExistsError
from ..namespaces import PREFIXES
from ..progress import bar
from ..store.terms import serialize
from . import rules
from .aggregates import COLUMNS, aggregate
from .description import DESCRIPTION_PREFIXES, Dump, describe
from .export import check_output
from .pages import CSS, PageMaker, SiteInfo
from .paths import resource_path
from .release import RDF_TYPE, Release, build_release
from .report import Finding, PublishReport

MARKER = ".hlsgraph-site.json"
"""The file that marks a folder as a site hlsgraph published (so a new publication may
replace it) and remembers when it was first issued."""

DUMPS = (
    ("dumps/dataset.ttl", "Turtle", "text/turtle", ox.RdfFormat.TURTLE, None),
    (
        "dumps/dataset.nt.gz",
        "N-Triples, gzip-compressed",
        "application/n-triples",
        ox.RdfFormat.N_TRIPLES,
        "gzip",
    ),
    ("dumps/dataset.jsonld", "JSON-LD", "application/ld+json", ox.RdfFormat.JSON_LD, None),
)
"""The whole-dataset files: site path, title, media type, format, compression."""


_EXAMPLES = {
    "base": "https://data.example.org/",
    "license": "https://creativecommons.org/licenses/by/4.0/",
    "endpoint": "https://data.example.org/sparql",
}


def _checked_url(value: str, what: str) -> str:
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(
            f"{what} must be an absolute http(s) URL, such as {_EXAMPLES[what]}; got {value!r}"
        )
    return str(value)


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{what} must be a non-empty text; got {value!r}")
    return value.strip()


class _Writer:
    """Writes the site's files under a folder, counting files and bytes (with plain ``os`` calls:
    a site has four files per resource, and pathlib's and io's layers cost more than the
    writing)."""

    def __init__(self, root: Path):
        self.root = str(root)
        self.files = 0
        self.bytes = 0
        self._made: set = {""}

    def write(self, path: str, data: bytes | str) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        folder = path.rpartition("/")[0]
        if folder not in self._made:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self._made.add(folder)
        handle = os.open(os.path.join(self.root, path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        self.files += 1
        self.bytes += len(raw)
        return len(raw)


def _closure(release: Release, resource) -> list[ox.Triple]:
    """A resource's triples with those of the blank nodes it points at."""
    triples, seen, todo = [], set(), [resource]
    while todo:
        for triple in release.by_subject.get(todo.pop(), ()):
            triples.append(triple)
            if isinstance(triple.object, ox.BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                todo.append(triple.object)
    return triples


def _assign_paths(resources: Iterable, base: str) -> dict:
    paths: dict = {}
    taken: set = set()
    for resource in resources:
        path = resource_path(resource.value, base)
        if path.casefold() in taken:  # two IRIs one path apart only by case, or a digest clash
            path = "r/" + hashlib.sha256(resource.value.encode("utf-8")).hexdigest()[:20]
        taken.add(path.casefold())
        paths[resource] = path
    return paths


def _incoming(release: Release, paths: dict) -> dict:
    incoming: dict = {}
    for triple in release.triples:
        if triple.object in paths and triple.subject in paths and triple.subject != triple.object:
            incoming.setdefault(triple.object, []).append((triple.subject, triple.predicate))
    return incoming


def _kinds(release: Release, paths: dict) -> dict:
    kinds: dict = {}
    for resource in paths:
        for triple in release.by_subject.get(resource, ()):
            if triple.predicate == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                kinds.setdefault(triple.object, []).append(resource)
    return kinds


def _previous_issue(outdir: Path) -> str | None:
    marker = outdir / MARKER
    if not marker.is_file():
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("issued")
    except (OSError, ValueError):
        return None


def _check_target(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputExistsError(f"cannot publish to {str(outdir)!r}: it is a file, not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / MARKER).is_file():
        raise OutputExistsError(
            f"cannot publish to {str(outdir)!r}: the folder holds files that are not a site hlsgraph "
            "published; choose a new or empty folder (a site published before is replaced as a whole)"
        )
    if not outdir.parent.is_dir():
        raise MissingFileError(
            f"cannot publish to {str(outdir)!r}: folder {str(outdir.parent)!r} does not exist"
        )


def _resource_documents(release: Release, resource, json_ld_ok) -> tuple[bytes, bytes, bytes, int]:
    triples = _closure(release, resource)
    turtle = serialize(triples, ox.RdfFormat.TURTLE, PREFIXES)
    ntriples = serialize(triples, ox.RdfFormat.N_TRIPLES)
    kept = [t for t in triples if json_ld_ok(t)]
    json_ld = serialize(kept, ox.RdfFormat.JSON_LD)
    return turtle, ntriples, json_ld, len(triples) - len(kept)


def _without_triple_terms(triple: ox.Triple) -> bool:
    return not isinstance(triple.object, ox.Triple)


def _write_dumps(writer: _Writer, release: Release) -> tuple[list[Dump], int]:
    """The whole-dataset files, each parsed again and checked before it is kept."""
    dumps, left_out = [], 0
    subjects = set(release.released) | set(release.vocabulary)
    for path, title, media, fmt, compress in DUMPS:
        triples = release.triples
        if fmt == ox.RdfFormat.JSON_LD:
            triples = [t for t in triples if _without_triple_terms(t)]
            left_out = len(release.triples) - len(triples)
        data = serialize(triples, fmt, PREFIXES if fmt != ox.RdfFormat.N_TRIPLES else None)
        check_output(
            data,
            fmt,
            released=release.released | release.vocabulary,
            withheld=release.withheld,
            subjects=subjects,
            what="publication",
        )
        if compress:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        writer.write(path, data)
        dumps.append(
            Dump(
                path,
                title,
                media,
                len(data),
                hashlib.sha256(data).hexdigest(),
                "application/gzip" if compress else None,
            )
        )
    return dumps, left_out


def _kind_counts(maker: PageMaker, kinds: dict) -> list[tuple[str, int, str]]:
    """(label, published resources, browse page) per kind, most first."""
    rows = []
    for kind, members in kinds.items():
        slug = kind.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()
        rows.append((maker.name_of(kind), len(members), f"browse/{slug}.html"))
    return sorted(rows, key=lambda c: (-c[1], c[0].casefold()))


def _write_some_pages(writer: _Writer, release: Release, maker: PageMaker, items: list, done=None) -> int:
    """The pages and documents of ``items`` (resource, path); how many statements holding a
    triple term the JSON-LD left out. ``done()`` is called after each page."""
    left_out = 0
    for resource, path in items:
        turtle, ntriples, json_ld, skipped = _resource_documents(release, resource, _without_triple_terms)
        left_out += skipped
        writer.write(path + ".ttl", turtle)
        writer.write(path + ".nt", ntriples)
        writer.write(path + ".jsonld", json_ld)
        writer.write(path + ".html", maker.resource(resource, path, json_ld))
        if done is not None:
            done()
    return left_out


PARALLEL_FROM = 5000
"""From this many pages on, the pages are written by one forked process per core (Linux)."""


def _workers(pages: int) -> int:
    if pages < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def _write_pages(writer: _Writer, release: Release, maker: PageMaker, paths: dict, progress) -> int:
    """Each resource's page and its three documents; how many triple terms JSON-LD left out.

    With many pages and more than one core, forked processes share the work: each inherits the
    release as it is (nothing is pickled), writes its share and reports its counts back."""
    items = list(paths.items())
    workers = _workers(len(items))
    with bar(len(items), desc="Publishing pages", unit="page", progress=progress) as shown:
        if workers == 1:
            return _write_some_pages(writer, release, maker, items, lambda: shown.update(1))
        return _write_pages_forked(writer, release, maker, [items[i::workers] for i in range(workers)], shown)


def _write_pages_forked(writer: _Writer, release: Release, maker: PageMaker, shares: list, shown) -> int:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    results = context.Queue()

    def tick():
        with counter.get_lock():
            counter.value += 1

    def work(share):
        own = _Writer(Path(writer.root))
        own._made = set(writer._made)
        try:
            left = _write_some_pages(own, release, maker, share, tick)
            results.put((None, own.files, own.bytes, left))
        except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
            results.put((f"{type(err).__name__}: {err}", 0, 0, 0))

    processes = [context.Process(target=work, args=(share,), daemon=True) for share in shares]
    for process in processes:
        process.start()
    answers: list[tuple[str | None, int, int, int]] = []
    while len(answers) < len(processes):
        try:
            answers.append(results.get(timeout=0.2))
        except queue.Empty:
            if not any(p.is_alive() for p in processes) and results.empty():
                break
        shown.update(counter.value - shown.n)
    for process in processes:
        process.join()
    shown.update(counter.value - shown.n)
    failures = [a[0] for a in answers if a[0]]
    if failures or len(answers) < len(processes):
        # The workers' own OS errors (a full disk, a killed process): they stay OSError.
        raise OSError("writing the pages failed: " + ("; ".join(failures) or "a worker process died"))
    writer.files += sum(a[1] for a in answers)
    writer.bytes += sum(a[2] for a in answers)
    return sum(a[3] for a in answers)


def _write_aggregates(writer: _Writer, maker: PageMaker, quads: list, release: Release) -> None:
    tables = aggregate(quads, release)
    for page, text in maker.aggregates(tables).items():
        writer.write(page, text)
    places, concepts = tables.frames()
    # Through the one CSV writer, so no cell is a spreadsheet formula.
    writer.write("aggregates/places.csv", csvsafe.frame_to_csv(places[["label", "area", *COLUMNS]]))
    writer.write("aggregates/concepts.csv", csvsafe.frame_to_csv(concepts[["label", *COLUMNS]]))


def _write_description(
    writer: _Writer, site: SiteInfo, release: Release, paths: dict, kinds: dict, dumps
) -> None:
    described = describe(
        base=site.base,
        title=site.title,
        publisher=site.publisher,
        license=site.license,
        description=site.description,
        issued=site.issued,
        modified=site.modified,
        dumps=dumps,
        triples=len(release.triples),
        entities=len(paths),
        classes={kind: len(members) for kind, members in kinds.items()},
        examples=[r for r in paths if r in release.released][:3],
        endpoint=site.endpoint,
    )
    turtle = serialize(described, ox.RdfFormat.TURTLE, DESCRIPTION_PREFIXES)
    writer.write("dataset.ttl", turtle)
    writer.write(".well-known/void", turtle)
    writer.write("dataset.jsonld", serialize(described, ox.RdfFormat.JSON_LD))
    writer.write("dataset.nt", serialize(described, ox.RdfFormat.N_TRIPLES))


def _write_site_files(writer: _Writer, site: SiteInfo, paths: dict, levels: tuple) -> None:
    writer.write("style.css", CSS.lstrip())
    pages = ["", "browse/index.html", "aggregates/places.html", "aggregates/concepts.html"]
    writer.write("sitemap.xml", rules.sitemap(site.base, pages + [p + ".html" for p in paths.values()]))
    for name, text in rules.server_rules(site.base).items():
        writer.write(name, text)
    marker = {
        "generator": f"hlsgraph {__version__}",
        "issued": site.issued,
        "modified": site.modified,
        "base": site.base,
        "levels": sorted(levels),
    }
    writer.write(MARKER, json.dumps(marker, indent=2))


def _findings(release: Release, paths: dict, left_out: int, base: str) -> list[Finding]:
    findings = []
    if left_out:
        findings.append(
            Finding(
                "note",
                "statements holding an RDF 1.2 triple term are left out of the JSON-LD files (JSON-LD "
                "cannot hold them); the Turtle and N-Triples files carry them",
                left_out,
            )
        )
    if release.imports:
        findings.append(
            Finding(
                "note",
                "items imported from spreadsheets cite their import by number and row; the imported "
                "files' names are not published",
                release.imports,
            )
        )
    unlabelled = [r for r in paths if release.label(r) is None]
    if unlabelled:
        findings.append(
            Finding(
                "warning",
                "published resources with no label or title: their pages are headed by the end of their IRI",
                len(unlabelled),
                unlabelled[0].value,
            )
        )
    if not base.startswith("https://"):
        findings.append(Finding("warning", "the base address is not https", 1, base))
    return findings


def _site_info(base, title, publisher, license, description, endpoint) -> SiteInfo:
    base = _checked_url(base, "base")
    return SiteInfo(
        _text(title, "title"),
        _text(publisher, "publisher"),
        _checked_url(license, "license"),
        base if base.endswith("/") else base + "/",
        description.strip() if isinstance(description, str) and description.strip() else None,
        _checked_url(endpoint, "endpoint") if endpoint is not None else None,
    )


def publish(
    kb,
    outdir: str | os.PathLike,
    *,
    base: str,
    title: str,
    publisher: str,
    license: str,
    description: str | None = None,
    levels: Iterable[str] = ("public",),
    endpoint: str | None = None,
    progress: bool | None = None,
) -> PublishReport:
    """Write a static linked-open-data site of what ``kb`` lets out at ``levels``.

    Parameters
    ----------
    kb : KnowledgeBase
        What to publish from (``kb.publish(...)`` is the usual way in).
    outdir : str or PathLike
        The site's folder: new, empty, or a site published here before (replaced whole).
    base : str
        The address the site will live at (``https://data.example.org/``).
    title, publisher : str
        The dataset's title and who publishes it.
    license : str
        The licence's URL, e.g. ``https://creativecommons.org/licenses/by/4.0/``.
    description : str, optional
        A sentence or two about the dataset.
    levels : iterable of str, default ``("public",)``
        The access levels to publish.
    endpoint : str, optional
        A public SPARQL endpoint serving the data (named in the description and landing page).
    progress : bool, optional
        Show a progress bar (default: when someone watches and the job takes a while).

    Returns
    -------
    PublishReport

    Raises
    ------
    ValueError
        A bad argument, or nothing marked with ``levels``.
    FileExistsError
        ``outdir`` holds files that are not a site hlsgraph published.
    ValidationError
        A download failed the closed check; the folder is left as it was.

    Examples
    --------
    >>> import hlsgraph, tempfile
    >>> kb = hlsgraph.open(bundled=False)
    >>> _ = kb.load(data='''<https://w3id.org/hls/id/story-a> a <https://w3id.org/hls/Story> ;
    ...     <http://purl.org/dc/terms/title> "An open story" ;
    ...     <https://w3id.org/hls/accessLevel> <https://w3id.org/hls/public> .''', format="turtle")
    >>> report = publish(kb, tempfile.mkdtemp() + "/site", base="https://data.example.org/",
    ...     title="Example", publisher="Example Fund", license="https://creativecommons.org/licenses/by/4.0/")
    >>> report.resources, (report.outdir / "id" / "story-a.html").is_file()
    (1, True)
    """
    started = time.perf_counter()
    levels = (levels,) if isinstance(levels, str) else tuple(levels)
    site = _site_info(base, title, publisher, license, description, endpoint)
    outdir = Path(outdir)
    _check_target(outdir)
    today = dt.date.today().isoformat()
    site.issued, site.modified = _previous_issue(outdir) or today, today

    collecting = gc.isenabled()
    gc.disable()  # millions of small containers and no cycles among them: collection only costs
    try:
        return _publish(kb, outdir, site, levels, progress, started)
    finally:
        if collecting:
            gc.enable()


def _publish(kb, outdir: Path, site: SiteInfo, levels: tuple, progress, started: float) -> PublishReport:
    release, quads = build_release(kb, levels)
    if not release.released:
        raise NothingToPublishError(
            f"nothing to publish: no resource carries only the access levels {', '.join(levels)}; "
            "mark what may be published with hls:accessLevel"
        )
    paths = _assign_paths(release.resources, site.base)
    maker = PageMaker(release, site, paths, _incoming(release, paths))
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", suffix=".partial", dir=outdir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the site
    try:
        writer = _Writer(staging)
        dumps, left_out = _write_dumps(writer, release)
        left_out += _write_pages(writer, release, maker, paths, progress)
        kinds = _kinds(release, paths)
        for page, text in maker.browse(kinds).items():
            writer.write(page, text)
        _write_aggregates(writer, maker, quads, release)
        _write_description(writer, site, release, paths, kinds, dumps)
        counts = _kind_counts(maker, kinds)
        listed = [
            {
                "path": d.path,
                "title": d.title,
                "media": d.media_type + (" (gzip)" if d.compress else ""),
                "bytes": d.bytes,
            }
            for d in dumps
        ]
        writer.write("index.html", maker.landing(counts, listed, len(release.triples), len(paths)))
        _write_site_files(writer, site, paths, levels)
        _swap(staging, outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PublishReport(
        outdir=outdir,
        base=site.base,
        resources=len(paths),
        triples=len(release.triples),
        files=writer.files,
        bytes=writer.bytes,
        kinds={label: n for label, n, _ in counts},
        withheld=len(release.withheld),
        seconds=time.perf_counter() - started,
        findings=_findings(release, paths, left_out, site.base),
    )


def _swap(staging: Path, outdir: Path) -> None:
    """Put the staged site in place of ``outdir`` (a site published before is replaced whole)."""
    old = None
    if outdir.exists():
        old = outdir.with_name(f".{outdir.name}.old-{os.getpid()}")
        os.replace(outdir, old)
    os.replace(staging, outdir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["DUMPS", "MARKER", "publish"]
