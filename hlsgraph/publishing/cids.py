"""Export as the Common Impact Data Standard (CIDS 3.2.1): the organisations the evidence is
about, their outcomes, their indicators (measures) and indicator reports (observations), in the
form Common Approach's Basic-tier shapes check.

CIDS (``https://ontology.commonapproach.org/cids#``) is how impact reporting tools exchange
outcomes and indicators. The view is built by one CONSTRUCT, ``queries/cids/export.rq``; only
items at one of the access levels asked for leave (public by default), and the output is read
back and checked before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import UnknownFormatError, ValidationError
from ..namespaces import HLSD
from ..store.terms import serialize
from .export import ACCESS_LEVELS, _levels

CIDS = "https://ontology.commonapproach.org/cids#"
TOVE_ORG = "http://ontology.eil.utoronto.ca/tove/organization#"
ISO21972 = "http://ontology.eil.utoronto.ca/ISO21972/iso21972#"

PREFIXES = {
    "cids": CIDS,
    "org": TOVE_ORG,
    "i72": ISO21972,
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hlsd": HLSD,
    "hlsc": "https://w3id.org/hls/concept/",
}
"""The prefixes of the written file (``org:`` is CIDS's TOVE organisation ontology, as in the
CIDS shapes, not W3C ORG)."""

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


def cids_quads(kb, *, access: str | Iterable[str] = ("public",)) -> list[ox.Triple]:
    """The CIDS view of ``kb`` as triples: what :func:`export_cids` writes.

    >>> import hlsgraph
    >>> triples = cids_quads(hlsgraph.open())
    >>> any(t.object == ox.NamedNode(CIDS + "IndicatorReport") for t in triples)
    True
    """
    levels = _levels(access)
    query = _query("export")
    allowed = tuple(sorted(levels, key=str))
    terms = {"itemLevel": allowed, "measureLevel": allowed, "organisationLevel": allowed}
    triples = kb.store.construct(query, terms, source="queries/cids/export.rq")
    _check_released(kb, triples, levels)
    # Subject by subject, so that the written file reads one resource at a time.
    return sorted(
        set(triples),
        key=lambda t: (isinstance(t.subject, ox.BlankNode), str(t.subject), str(t.predicate), str(t.object)),
    )


def _query(name: str) -> str:
    """The text of ``queries/cids/<name>.rq``."""
    from ..resources import sparql

    return sparql(f"cids/{name}.rq")


def _check_released(kb, triples, levels) -> None:
    """The closed check: every item of the knowledge base the output names is at one of the
    levels asked for, and at no other."""
    named = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    named |= {
        t.object for t in triples if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(HLSD)
    }
    items = sorted(n.value for n in named if n.value.startswith(HLSD) and "--cids-outcome--" not in n.value)
    if not items:
        return
    rows = kb.store.select_tsv(
        _query("levels"), {"item": tuple(ox.NamedNode(i) for i in items)}, source="queries/cids/levels.rq"
    )
    allowed = {level.value for level in levels}
    for line in rows.decode("utf-8").splitlines()[1:]:
        item, _, level = line.partition("\t")
        level = level.strip().strip("<>")
        if level not in allowed:
            shown = item.strip("<>").replace(HLSD, "hlsd:")
            raise ValidationError(
                f"the CIDS export would let out {shown}, whose access level is "
                f"{level.rsplit('/', 1)[-1] if level else 'not given'}; nothing was written"
            )


def export_cids(
    kb,
    path: str | os.PathLike | None = None,
    *,
    access: str | Iterable[str] = ("public",),
) -> str | Path:
    """Write the knowledge base's outcomes, indicators and indicator reports as CIDS 3.2.1.

    Parameters
    ----------
    kb : KnowledgeBase
    path : str or PathLike, optional
        Where to write: ``.ttl`` (Turtle), ``.jsonld`` / ``.json`` (JSON-LD) or ``.nt``. Without
        it the Turtle text is returned.
    access : str or iterable of str, default ``("public",)``
        The access levels that may leave (of ``public``, ``internal``, ``restricted``).

    Returns
    -------
    str or pathlib.Path
        The Turtle text when ``path`` is None, else the path written.

    Notes
    -----
    Each organisation becomes a ``cids:Organization`` (its name as ``org:hasLegalName``); each
    outcome concept an organisation's evidence reports, a ``cids:Outcome`` for it; each measure of
    an organisation a ``cids:Indicator`` with the unit of its observations; each observation a
    ``cids:IndicatorReport`` with its value (an ISO 21972 measure), the organisation, the
    indicator, and the period it covers as ``prov:startedAtTime`` / ``prov:endedAtTime`` (a year
    or month as its whole span; an undated figure over the year of the document that gives it,
    which its comment says). The output conforms to Common Approach's Basic-tier SHACL shapes.

    Examples
    --------
    >>> import hlsgraph
    >>> text = export_cids(hlsgraph.open())
    >>> "cids:IndicatorReport" in text and "restricted" not in text
    True
    """
    triples = cids_quads(kb, access=access)
    fmt = ox.RdfFormat.TURTLE
    if path is not None:
        suffix = Path(path).suffix.lower()
        if suffix not in _FORMATS:
            raise UnknownFormatError(
                f"cannot tell the CIDS export's format from {Path(path).name!r}; "
                "use .ttl, .jsonld, .json or .nt"
            )
        fmt = _FORMATS[suffix]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else None
    data = serialize(triples, fmt, prefixes)
    # Read it back before writing: what leaves must parse as what was meant.
    if len(list(ox.parse(data, format=fmt))) != len(triples):
        raise ValidationError("the CIDS export did not read back as written; nothing was written")
    if path is None:
        return data.decode("utf-8")
    target = Path(path)
    target.write_bytes(data)
    return target


__all__ = ["ACCESS_LEVELS", "CIDS", "cids_quads", "export_cids"]
