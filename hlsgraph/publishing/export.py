"""Export a knowledge base as Turtle, N-Triples, JSON-LD or TriG, letting out only what is
marked for release.

The rule is an allowlist. A resource leaves only when it carries ``hls:accessLevel`` and every
level it carries is one of those asked for (``("public",)`` by default); a triple leaves only when
its subject is such a resource (or a blank node hanging off one); a triple whose object is an
individual (``hlsd:``) that is not itself released, or any resource marked with a level that was
not asked for, is dropped, so a public story never points at a restricted one. Unmarked
resources are never exported as subjects; released items may still name vocabulary terms
(``hls:``, ``hlsc:``, other vocabularies) by IRI. The ontology (graph ``hlsg:ontology``) comes
along only when asked for with ``ontology=True``.

Before anything is written the serialised output is parsed again and checked against the same
rule (a closed check); a breach raises :class:`~hlsgraph.errors.ValidationError` and writes
nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import ValidationError, did_you_mean
from ..namespaces import ACCESS_LEVELS, HLS, HLSD, HLSG, PREFIXES
from ..store.terms import rdf_format

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
        raise ValueError("access= names no access level; give at least one of " + ", ".join(ACCESS_LEVELS))
    levels = set()
    for name in names:
        local = str(name).removeprefix(HLS).removeprefix("hls:")
        if local not in ACCESS_LEVELS:
            raise ValueError(
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
    raise TypeError(
        f"cannot export from {type(kb).__name__}: expected a knowledge base from hlsgraph.open() "
        "or a pyoxigraph.Store"
    )


def _select(quads: Iterable[ox.Quad], levels: frozenset, ontology: bool) -> _Selection:
    """Apply the allowlist to every quad of a dataset."""
    quads = [q for q in quads if q.graph_name != ox.NamedNode(HLSG + "meta")]
    marks: dict = {}
    for quad in quads:
        # Levels count wherever they are stated, inferred graph included.
        if quad.predicate == ACCESS_LEVEL:
            marks.setdefault(quad.subject, set()).add(quad.object)
    released = frozenset(s for s, marked in marks.items() if marked <= levels)
    withheld = frozenset(s for s, marked in marks.items() if not marked <= levels)

    by_subject: dict = {}
    for quad in quads:
        if quad.graph_name not in _NOT_EXPORTED:
            by_subject.setdefault(quad.subject, []).append(quad)

    def keep_object(term) -> bool:
        if term in withheld:
            return False
        # Individuals leave only when released themselves: an unmarked one is not named either.
        if isinstance(term, ox.NamedNode) and term.value.startswith(HLSD):
            return term in released
        return True

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
            if not keep_object(quad.object):
                continue
            chosen.append(quad)
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen_blanks:
                if quad.object in withheld:
                    continue
                seen_blanks.add(quad.object)
                frontier.append(quad.object)
    if ontology:
        chosen.extend(
            q
            for q in quads
            if q.graph_name == ONTOLOGY_GRAPH and keep_object(q.subject) and keep_object(q.object)
        )
    return _Selection(chosen, released, withheld)


def _as_output(quads: list[ox.Quad], fmt: ox.RdfFormat) -> list:
    """Quads for a dataset format, de-duplicated triples (the union graph) for the others."""
    if fmt.supports_datasets:
        return sorted(set(quads), key=str)
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def _prefixes_for(fmt: ox.RdfFormat) -> dict[str, str] | None:
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return None
    return dict(PREFIXES)


def check_closed(data: bytes, fmt: ox.RdfFormat, selection: _Selection, ontology: bool) -> None:
    """Parse an export again and check every triple against the allowlist.

    Raises
    ------
    ValidationError
        When a triple's subject is not a released resource (nor a blank node of one, nor an
        ontology term when the ontology was asked for), or a term of it is withheld or an
        individual that is not released.
    """
    parsed = list(ox.parse(data, format=fmt))
    # Blank-node labels change in a round trip: a parsed blank subject is accepted when some
    # parsed triple points at it from an accepted subject.
    ontology_subjects = set()
    if ontology:
        ontology_subjects = {q.subject for q in selection.quads if q.graph_name == ONTOLOGY_GRAPH}
    accepted = set(selection.released) | ontology_subjects
    changed = True
    while changed:  # blank nodes reached from accepted subjects are accepted too
        changed = False
        for triple in parsed:
            if triple.subject in accepted and isinstance(triple.object, ox.BlankNode):
                if triple.object not in accepted:
                    accepted.add(triple.object)
                    changed = True
    problems = []
    for triple in parsed:
        terms = (triple.subject, triple.predicate, triple.object)
        bad = [
            t
            for t in terms
            if t in selection.withheld
            or (isinstance(t, ox.NamedNode) and t.value.startswith(HLSD) and t not in selection.released)
        ]
        if bad:
            problems.append(f"{triple} names {bad[0]}, which is not released")
        elif triple.subject not in accepted:
            problems.append(f"{triple} has a subject that is not marked for release")
        if len(problems) >= 5:
            break
    if problems:
        raise ValidationError(
            "export refused: its output breaks the access rule, nothing was written:\n  "
            + "\n  ".join(problems)
        )


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
    data = ox.serialize(_as_output(selection.quads, fmt), format=fmt, prefixes=_prefixes_for(fmt))
    check_closed(data, fmt, selection, ontology)
    if path is None:
        return data.decode("utf-8")
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(
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


__all__ = ["ACCESS_LEVELS", "export", "resolve_format", "check_closed"]
