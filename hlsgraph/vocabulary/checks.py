"""Checks of the HLS ontology itself: quality checks as SPARQL queries in the spirit of ROBOT's
``report`` queries and the OOPS! pitfall catalogue, and an OWL 2 DL consistency check with the
HermiT reasoner through owlready2 (which needs Java). The test suite requires both to find nothing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..resources import leading_comment, sparql, sparql_names

CHECKS: dict[str, tuple[str, str]] = {
    Path(name).stem: (leading_comment(sparql(name)), sparql(name)) for name in sparql_names("checks")
}
"""Each quality check: name -> (what it finds, SPARQL SELECT of ``?term ?detail``). The checks
are the files of ``queries/checks/``; each opens with a comment saying what it finds."""


def ontology_store():
    """A new in-memory pyoxigraph Store holding the ontology (not the shapes) in its default graph.

    >>> len(ontology_store()) > 1000
    True
    """
    import pyoxigraph

    from ..resources import ontology_dir
    from .ontology import SHAPES_FILE

    store = pyoxigraph.Store()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name != SHAPES_FILE:
            store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def quality_report(store=None):
    """Run every check in :data:`CHECKS`; one row per finding (none when the ontology is clean).

    Parameters
    ----------
    store
        A pyoxigraph Store holding an ontology in its default graph; by default the bundled one.

    Returns
    -------
    pandas.DataFrame
        Columns ``check``, ``term``, ``detail``, even when there is no finding.

    >>> quality_report().empty
    True
    """
    import pandas as pd

    if store is None:
        store = ontology_store()
    rows = []
    for name, (_about, query) in CHECKS.items():
        for solution in store.query(query):
            rows.append({"check": name, "term": solution["term"].value, "detail": solution["detail"].value})
    return pd.DataFrame(rows, columns=["check", "term", "detail"]).astype("string")


@dataclass
class ConsistencyResult:
    """What the reasoner found: is the ontology consistent, and which classes can have no member."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    reasoner: str = "HermiT"
    message: str = ""

    @property
    def ok(self) -> bool:
        """Consistent and with no unsatisfiable class."""
        return self.consistent and not self.unsatisfiable


def check_consistency(graph=None) -> ConsistencyResult:
    """Classify the ontology with HermiT (owlready2, in its own World) and report the outcome.

    Parameters
    ----------
    graph
        An rdflib Graph to check instead of the bundled ontology (for example the ontology plus
        some data, to see whether the data contradicts it).

    Returns
    -------
    ConsistencyResult

    Raises
    ------
    OSError
        Java, which HermiT runs on, cannot be started.
    """
    from ..extras import require
    from .ontology import ontology_graph

    owlready2 = require("owlready2", "the HermiT consistency check")

    if graph is None:
        graph = ontology_graph()
    with tempfile.TemporaryDirectory(prefix="hlsgraph-hermit-") as tmp:
        path = os.path.join(tmp, "ontology.nt")
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology("file://" + path).load(format="ntriples")
            try:
                with onto:
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as err:
                return ConsistencyResult(consistent=False, message=str(err).strip())
            except FileNotFoundError as err:  # an OS error (no program), so it stays OSError
                raise OSError(
                    f"HermiT needs Java, which could not be started ({err}); install a Java runtime "
                    "(`make setup` installs Debian's default-jre-headless)"
                ) from err
            unsat = sorted(
                c.iri
                for c in world.inconsistent_classes()
                if getattr(c, "iri", None) != "http://www.w3.org/2002/07/owl#Nothing"
            )
            return ConsistencyResult(consistent=True, unsatisfiable=unsat)
        finally:
            world.close()
