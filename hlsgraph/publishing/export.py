"""Export a knowledge base as Turtle, N-Triples, JSON-LD or TriG, letting out only what is
marked for release.

The rule is an allowlist. A resource leaves only when it carries ``hls:accessLevel`` and every
level it carries is one of those asked for (``("public",)`` by default); a triple leaves only when
its subject is such a resource (or a blank node hanging off one); a triple whose object is an
individual (``hlsd:``) that is not itself released, or any resource marked with a level that was
not asked for, is dropped, so a public story never points at a restricted one. Unmarked
resources are never exported as subjects; released items may still name vocabulary terms
(``hls:``, ``hlsc:``, other vocabularies) by IRI. Every term is looked at to any depth: an RDF 1.2
triple term leaves only when each term inside it may. Graph names (``hlsg:``), which say which
file data came from, never leave as terms, and a dataset format (TriG, JSON-LD) names each
released graph by a digest of what it holds (:func:`opaque_graphs`). The ontology (graph
``hlsg:ontology``) comes along only when asked for with ``ontology=True``.

Before anything is written the serialised output is parsed again and checked against the same
rule (a closed check); a breach raises :class:`~hlsgraph.errors.ValidationError` and writes
nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import (
    ArgumentTypeError,
    InvalidArgumentError,
    MissingFileError,
    UnknownFormatError,
    ValidationError,
    did_you_mean,
)
from ..namespaces import ACCESS_LEVELS, HLS, HLSD, HLSG, PREFIXES
from ..store.terms import rdf_format, serialize

ACCESS_LEVEL = ox.NamedNode(HLS + "accessLevel")
ONTOLOGY_GRAPH = ox.NamedNode(HLSG + "ontology")
# Graphs the knowledge base keeps for itself: entailments (recomputed on load, so an export
# carries asserted data only) and bookkeeping.
_NOT_EXPORTED = frozenset({ox.NamedNode(HLSG + "inferred"), ox.NamedNode(HLSG + "meta")})


@dataclass(frozen=True)
class _Selection:
    """What the allowlist lets out of one dataset."""

    quads: list[ox.Quad]
    released: frozenset  # subjects whose every access level was asked for
    withheld: frozenset  # resources carrying a level that was not asked for


def resolve_format(format: str | None = None, path: str | os.PathLike | None = None) -> ox.RdfFormat:
    """The RDF format for a format name, or else for a file's extension; Turtle when neither
    is given.

    Parameters
    ----------
    format : str, optional
        A name of :data:`hlsgraph.store.terms.FORMATS` (``"turtle"``, ``"ntriples"``,
        ``"nquads"``, ``"trig"``, ``"json-ld"``, ``"rdf/xml"``, or a short form such as ``ttl``).
    path : str or PathLike, optional
        A file name whose extension (``.ttl``, ``.nt``, ``.jsonld``, ...) gives the format when
        ``format`` is not given.

    Returns
    -------
    pyoxigraph.RdfFormat

    Raises
    ------
    hlsgraph.errors.UnknownFormatError
        A name or extension of no format, with the valid choices.

    Examples
    --------
    >>> resolve_format("json-ld").name
    'JSON-LD'
    >>> resolve_format(path="public.nt").name
    'N-Triples'
    """
    return rdf_format(format, path, default="turtle", what="export")


def _levels(access: str | Iterable[str]) -> frozenset[ox.NamedNode]:
    """The ``hls:`` individuals for the access level names asked for, checked."""
    names = (access,) if isinstance(access, str) else tuple(access)
    if not names:
        raise InvalidArgumentError(
            "access= names no access level; give at least one of " + ", ".join(ACCESS_LEVELS)
        )
    levels = set()
    for name in names:
        local = str(name).removeprefix(HLS).removeprefix("hls:")
        if local not in ACCESS_LEVELS:
            raise InvalidArgumentError(
                f"unknown access level {name!r}; expected one of {', '.join(ACCESS_LEVELS)}"
                + did_you_mean(local, ACCESS_LEVELS)
            )
        levels.add(ox.NamedNode(ACCESS_LEVELS[local]))
    return frozenset(levels)


def _quads(kb) -> Iterator[ox.Quad]:
    """Every quad of a knowledge base (``kb.quads()``, which works on every back-end) or of a
    pyoxigraph store."""
    if isinstance(kb, ox.Store):
        return iter(kb.quads_for_pattern(None, None, None, None))
    quads = getattr(kb, "quads", None)
    if callable(quads):
        return iter(quads())
    raise ArgumentTypeError(
        f"cannot export from {type(kb).__name__}: expected a knowledge base from hlsgraph.open() "
        "or a pyoxigraph.Store"
    )


def term_allowed(term, released: frozenset, withheld: frozenset) -> bool:
    """Whether one term may appear in released output, looked at to any depth: a triple term
    (RDF 1.2) is allowed only when its subject, predicate and object are; an individual
    (``hlsd:``) only when it is released; a graph name (``hlsg:``) never; anything withheld
    never.

    >>> public, secret = ox.NamedNode(HLSD + "a"), ox.NamedNode(HLSD + "b")
    >>> quoted = ox.Triple(secret, ox.NamedNode(HLS + "p"), ox.Literal("x"))
    >>> term_allowed(quoted, frozenset({public}), frozenset({secret}))
    False
    >>> term_allowed(ox.Literal("x"), frozenset(), frozenset())
    True
    """
    if isinstance(term, ox.Literal):
        return True
    if isinstance(term, ox.Triple):
        return (
            term_allowed(term.subject, released, withheld)
            and term_allowed(term.predicate, released, withheld)
            and term_allowed(term.object, released, withheld)
        )
    if term in withheld:
        return False
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(HLSD):
            return term in released  # an unmarked individual is not even named
        return not term.value.startswith(HLSG)  # graph names say where data came from
    return True


def _marked(quads: list[ox.Quad], levels: frozenset) -> tuple[frozenset, frozenset]:
    """The resources whose every access level was asked for, and those carrying another."""
    marks: dict = {}
    for quad in quads:
        # Levels count wherever they are stated, inferred graph included.
        if quad.predicate == ACCESS_LEVEL:
            marks.setdefault(quad.subject, set()).add(quad.object)
    released = frozenset(s for s, marked in marks.items() if marked <= levels)
    withheld = frozenset(s for s, marked in marks.items() if not marked <= levels)
    return released, withheld


def _select(quads: Iterable[ox.Quad], levels: frozenset, ontology: bool) -> _Selection:
    """Apply the allowlist to every quad of a dataset."""
    quads = [q for q in quads if q.graph_name != ox.NamedNode(HLSG + "meta")]
    released, withheld = _marked(quads, levels)
    by_subject: dict = {}
    for quad in quads:
        if quad.graph_name not in _NOT_EXPORTED:
            by_subject.setdefault(quad.subject, []).append(quad)

    def keep(quad: ox.Quad) -> bool:
        return term_allowed(quad.predicate, released, withheld) and term_allowed(
            quad.object, released, withheld
        )

    chosen: list[ox.Quad] = []
    seen_blanks: set = set()
    frontier = list(released)
    # Walk from each released subject; blank nodes it points at come along (their triples are
    # part of its description), anything withheld is cut off.
    while frontier:
        subject = frontier.pop()
        for quad in by_subject.get(subject, ()):
            if quad.graph_name == ONTOLOGY_GRAPH and ontology:
                continue  # added whole below
            if not keep(quad):
                continue
            chosen.append(quad)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen_blanks:
                seen_blanks.add(quad.object)
                frontier.append(quad.object)
    if ontology:
        chosen.extend(
            q
            for q in quads
            if q.graph_name == ONTOLOGY_GRAPH and term_allowed(q.subject, released, withheld) and keep(q)
        )
    return _Selection(chosen, released, withheld)


OPAQUE_GRAPH_PREFIX = HLSG + "part/"
"""Released named graphs are renamed ``hlsg:part/<16 hex digits>``: a digest of the released
triples they hold, so the name says nothing about the file or graph they came from."""


def _content_key(term) -> str:
    # Blank-node labels differ between stores and runs; the digest must not.
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Triple):
        return (
            "<<( " + " ".join(_content_key(t) for t in (term.subject, term.predicate, term.object)) + " )>>"
        )
    return str(term)


def opaque_graphs(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with every named graph but the ontology's renamed to an opaque name derived
    only from the released triples it holds (see :data:`OPAQUE_GRAPH_PREFIX`).

    >>> g = ox.NamedNode(HLSG + "import/jane-doe-referral-csv")
    >>> q = ox.Quad(ox.NamedNode(HLSD + "a"), ox.NamedNode(HLS + "p"), ox.Literal("x"), g)
    >>> opaque_graphs([q])[0].graph_name.value.startswith(OPAQUE_GRAPH_PREFIX)
    True
    """
    by_graph: dict = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad)
    renamed: list[ox.Quad] = []
    for graph, members in by_graph.items():
        if isinstance(graph, ox.DefaultGraph) or graph == ONTOLOGY_GRAPH:
            renamed.extend(members)
            continue
        keys = sorted(" ".join(_content_key(t) for t in (q.subject, q.predicate, q.object)) for q in members)
        digest = hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]
        name = ox.NamedNode(OPAQUE_GRAPH_PREFIX + digest)
        renamed.extend(ox.Quad(q.subject, q.predicate, q.object, name) for q in members)
    return renamed


def _as_output(quads: list[ox.Quad], fmt: ox.RdfFormat) -> list:
    """Quads for a dataset format (graphs renamed opaquely), de-duplicated triples (the union
    graph) for the others."""
    if fmt.supports_datasets:
        return sorted(set(opaque_graphs(quads)), key=str)
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def _prefixes_for(fmt: ox.RdfFormat) -> dict[str, str] | None:
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return None
    return dict(PREFIXES)


def _refuse_triple_terms_in_json_ld(output: list, fmt: ox.RdfFormat) -> None:
    if fmt != ox.RdfFormat.JSON_LD:
        return
    quoted = [t for t in output if isinstance(t.object, ox.Triple)]
    if quoted:
        raise UnknownFormatError(
            f"JSON-LD cannot hold RDF 1.2 triple terms, and {len(quoted)} of the triples to export "
            f"have one (the first: {quoted[0]}); export as turtle, ntriples or trig instead"
        )


def check_closed(data: bytes, fmt: ox.RdfFormat, selection: _Selection, ontology: bool) -> None:
    """Parse an export again and check every triple against the allowlist, every term to any
    depth (triple terms included), and every graph name.

    Raises
    ------
    ValidationError
        When a triple's subject is not a released resource (nor a blank node of one, nor an
        ontology term when the ontology was asked for), a term of it (at any depth) is
        withheld or an individual that is not released, or a graph name is not opaque.
    """
    subjects = set(selection.released)
    if ontology:
        subjects |= {q.subject for q in selection.quads if q.graph_name == ONTOLOGY_GRAPH}
    check_output(
        data, fmt, released=selection.released, withheld=selection.withheld, subjects=subjects, what="export"
    )


def _accepted_subjects(parsed: list, subjects: set) -> set:
    """The subjects a re-parsed output may have: those given and the blank nodes reached from
    them."""
    accepted = set(subjects)
    # Blank-node labels change in a round trip: a parsed blank subject is accepted when some
    # parsed triple points at it from an accepted subject.
    changed = True
    while changed:
        changed = False
        for triple in parsed:
            blank = triple.object
            if isinstance(blank, ox.BlankNode) and blank not in accepted and triple.subject in accepted:
                accepted.add(blank)
                changed = True
    return accepted


def check_output(
    data: bytes,
    fmt: ox.RdfFormat,
    *,
    released: frozenset,
    withheld: frozenset,
    subjects: set,
    what: str = "output",
) -> int:
    """Parse serialised RDF again and check it is closed under the access rule: every subject is
    one of ``subjects`` (or a blank node reached from one), every term at any depth passes
    :func:`term_allowed`, every graph name is opaque. The number of triples checked.

    Raises
    ------
    ValidationError
        Naming up to five offending triples; the caller writes nothing.

    Examples
    --------
    >>> a = ox.NamedNode(HLSD + "a")
    >>> nt = ox.RdfFormat.N_TRIPLES
    >>> data = ox.serialize([ox.Triple(a, ox.NamedNode(HLS + "p"), ox.Literal("x"))], format=nt)
    >>> check_output(data, nt, released=frozenset({a}), withheld=frozenset(), subjects={a})
    1
    """
    parsed = list(ox.parse(data, format=fmt))
    accepted = _accepted_subjects(parsed, subjects)
    problems = []
    for triple in parsed:
        graph = getattr(triple, "graph_name", ox.DefaultGraph())
        terms = (triple.subject, triple.predicate, triple.object)
        bad = [t for t in terms if not term_allowed(t, released, withheld)]
        if bad:
            problems.append(f"{triple} names {bad[0]}, which is not released")
        elif triple.subject not in accepted:
            problems.append(f"{triple} has a subject that is not marked for release")
        elif not (
            isinstance(graph, ox.DefaultGraph)
            or graph == ONTOLOGY_GRAPH
            or graph.value.startswith(OPAQUE_GRAPH_PREFIX)
        ):
            problems.append(f"{triple} is in graph {graph}, whose name is not opaque")
        if len(problems) >= 5:
            break
    if problems:
        raise ValidationError(
            f"{what} refused: its output breaks the access rule, nothing was written:\n  "
            + "\n  ".join(problems)
        )
    return len(parsed)


def export(
    kb,
    path: str | os.PathLike | None = None,
    *,
    format: str | None = None,
    access: str | Iterable[str] = ("public",),
    ontology: bool = False,
) -> str | Path:
    """Write what the allowlist lets out of a knowledge base, or return it as text.

    Parameters
    ----------
    kb : KnowledgeBase or pyoxigraph.Store
        What to export from (every named graph is read).
    path : str or PathLike, optional
        Where to write. Without it the export is returned as a string.
    format : str, optional
        ``"turtle"`` (default), ``"ntriples"``, ``"json-ld"`` or ``"trig"``; guessed from the
        extension of ``path`` when not given.
    access : str or iterable of str, default ``("public",)``
        The access levels to let out. A resource leaves only when every level it carries is
        among these; resources without a level never leave as subjects.
    ontology : bool, default False
        Also export the ontology graph (``hlsg:ontology``): the classes, properties and
        concepts the data uses.

    Returns
    -------
    str or pathlib.Path
        The serialised text when ``path`` is None, else the path written.

    Raises
    ------
    ValueError
        An unknown format or access level.
    ValidationError
        The output failed the closed check (nothing is written).

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> hls, d = "https://w3id.org/hls/", "https://w3id.org/hls/id/"
    >>> store.load(input=f'''
    ... <{d}story-a> <{hls}accessLevel> <{hls}public> ; <http://purl.org/dc/terms/title> "Open" .
    ... <{d}story-b> <{hls}accessLevel> <{hls}restricted> ; <http://purl.org/dc/terms/title> "Secret" .
    ... ''', format=ox.RdfFormat.TURTLE)
    >>> text = export(store, format="ntriples")
    >>> "Open" in text, "Secret" in text
    (True, False)
    """
    fmt = resolve_format(format, path)
    levels = _levels(access)
    selection = _select(_quads(kb), levels, ontology)
    output = _as_output(selection.quads, fmt)
    _refuse_triple_terms_in_json_ld(output, fmt)
    data = serialize(output, fmt, _prefixes_for(fmt))
    check_closed(data, fmt, selection, ontology)
    if path is None:
        return data.decode("utf-8")
    target = Path(path)
    if not target.parent.is_dir():
        raise MissingFileError(
            f"cannot export to {str(target)!r}: folder {str(target.parent)!r} does not exist"
        )
    # Write beside the target and rename, so a failed write never leaves half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


__all__ = [
    "ACCESS_LEVELS",
    "OPAQUE_GRAPH_PREFIX",
    "check_closed",
    "check_output",
    "export",
    "opaque_graphs",
    "resolve_format",
    "term_allowed",
]
