"""Export grants as a 360Giving JSON package that validates against the bundled schema.

Only public grants leave: a grant is exported when every access level it carries is
``hls:public``, and never when it is a grant to an individual, whatever its level says. Each grant
is written back from the fields the importer kept (``hlsgraph.vocabulary.giving360.OBJECTS``), so a
file imported and exported again keeps every standard field of every public grant; a grant made
some other way (an ``hls:Grant`` with ``hls:funder`` and ``hls:recipient``) gets its organisations
from those links. The package is checked against the schema before anything is written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InvalidArgumentError, MissingFileError, ValidationError
from ..namespaces import HLS, PREFIXES
from ..resources import sparql
from ..vocabulary.giving360 import OBJECTS, POSITION, Field

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def _released_grants(kb, funder: str | None) -> list[str]:
    """The grants that may leave: public, not to an individual, of ``funder`` when given."""
    terms = {"funder": ox.NamedNode(funder)} if funder else {}
    frame = kb.select(sparql("giving360/public-grants.rq"), compact=False, **terms)
    return [str(g) for g in frame["grant"]]


def _value(field: Field, term: Any) -> Any:
    if not isinstance(term, ox.Literal):
        return term.value
    if field.kind == "number":
        text = term.value
        return int(text) if "." not in text else float(text)
    return term.value


class _Triples:
    """The triples of the graphs that hold grants, by subject."""

    def __init__(self, kb):
        graphs = kb.select(sparql("giving360/grant-graphs.rq"), compact=False)
        self.by_subject: dict[Any, list[tuple[str, Any]]] = defaultdict(list)
        seen = set()
        for graph in graphs["graph"]:
            for quad in kb.quads(str(graph)):
                key = (quad.subject, quad.predicate, quad.object)
                if key in seen:
                    continue
                seen.add(key)
                self.by_subject[quad.subject].append((quad.predicate.value, quad.object))
        self.kb = kb

    def build(self, subject: Any, kind: str) -> dict:
        fields = {f.predicate: f for f in OBJECTS[kind]}
        found: dict[str, Any] = {}
        items: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for predicate, term in self.by_subject.get(subject, ()):
            field = fields.get(predicate)
            if field is None:
                continue
            if field.kind in ("objects", "object"):
                child = self.build(term, field.of)
                if field.kind == "object":
                    found[field.key] = child
                else:
                    items[field.key].append((self.position(term), child))
            elif field.kind == "strings":
                found.setdefault(field.key, []).append(_value(field, term))
            else:
                found[field.key] = _value(field, term)
        for key, listed in items.items():
            found[key] = [child for _, child in sorted(listed, key=lambda pair: pair[0])]
        for key, value in found.items():
            if isinstance(value, list) and value and isinstance(value[0], str):
                found[key] = sorted(value)
        order = [f.key for f in OBJECTS[kind]]
        return {key: found[key] for key in order if key in found}

    def position(self, node: Any) -> int:
        for predicate, term in self.by_subject.get(node, ()):
            if predicate == POSITION:
                return int(term.value)
        return 0

    def organisations(self, grant: Any, predicate: str) -> list[dict]:
        """Organisations linked by ``hls:funder`` / ``hls:recipient``, for grants that have no
        fields of the standard naming them."""
        import pandas as pd

        frame = self.kb.select(
            sparql("giving360/grant-organisations.rq"),
            compact=False,
            grant=grant,
            link=ox.NamedNode(HLS + predicate),
        )
        return [
            {
                "id": str(row.org if pd.isna(row.id) else row.id),
                "name": str(row.org if pd.isna(row.name) else row.name),
            }
            for row in frame.itertuples(index=False)
        ]


def grants_json(kb, *, funder: str | None = None) -> dict:
    """The public grants of ``kb`` as a 360Giving package (a dict), not yet checked.

    ``funder`` restricts to one funder's grants: an organisation's IRI, its org-id or its label.
    """
    target = _funder_iri(kb, funder) if funder is not None else None
    triples = _Triples(kb)
    grants = []
    for iri in _released_grants(kb, target):
        node = ox.NamedNode(iri)
        grant = triples.build(node, "Grant")
        if "fundingOrganization" not in grant:
            grant["fundingOrganization"] = triples.organisations(node, "funder")
        if "recipientOrganization" not in grant:
            grant["recipientOrganization"] = triples.organisations(node, "recipient")
        grants.append(grant)
    return {"grants": grants}


def _funder_iri(kb, funder: str) -> str:
    text = str(funder).strip()
    frame = kb.select(sparql("giving360/organisation-by-id.rq"), compact=False, id=ox.Literal(text))
    if len(frame):
        return str(frame["org"].iloc[0])
    return kb.resolve(text, kind=HLS + "Organisation").value


def export_360giving(kb, path: str | os.PathLike, *, funder: str | None = None) -> Path:
    """Write the knowledge base's public grants as a 360Giving JSON package.

    Parameters
    ----------
    kb : hlsgraph.KnowledgeBase
        Where the grants are (imported with ``kb.import_360giving`` or made otherwise).
    path : str or PathLike
        The ``.json`` file to write (replaced whole, never left half written).
    funder : str, optional
        Only this funder's grants: its IRI, org-id (``GB-CHC-...``) or label.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        There is no public grant to export.
    ValidationError
        The package would not conform to the 360Giving schema (nothing is written).

    Examples
    --------
    >>> import hlsgraph, json, tempfile, pathlib
    >>> from hlsgraph.importing.giving360 import example_file
    >>> kb = hlsgraph.open()
    >>> _ = kb.import_360giving(example_file())
    >>> out = kb.export_360giving(pathlib.Path(tempfile.mkdtemp()) / "alwf.json")
    >>> len(json.loads(out.read_text())["grants"])
    475
    """
    from ..importing.giving360 import schema as schemas

    package = grants_json(kb, funder=funder)
    if not package["grants"]:
        which = f" of funder {funder!r}" if funder else ""
        raise InvalidArgumentError(
            f"no public grants{which} to export: grants to individuals and restricted grants never leave"
        )
    problems = []
    for grant in package["grants"]:
        if schemas.is_valid(grant):
            continue
        for error in schemas.errors(grant):
            for field_path, rule in schemas.describe(error):
                problems.append(f"grant {grant.get('id')}: {field_path or '(grant)'}: {rule}")
    if problems:
        raise ValidationError(
            "export refused: the package would not conform to the 360Giving schema, nothing was "
            "written:\n  " + "\n  ".join(problems[:20])
        )
    target = Path(path)
    if not target.parent.is_dir():
        raise MissingFileError(
            f"cannot export to {str(target)!r}: folder {str(target.parent)!r} does not exist"
        )
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(package, out, ensure_ascii=False, indent=2)
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


__all__ = ["export_360giving", "grants_json"]
