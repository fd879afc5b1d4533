"""Reasoning: the entailments inquiries rely on, materialised into the graph ``hlsg:inferred``.

The rules are SPARQL CONSTRUCT queries in ``queries/rules/`` (sub-properties, sub-classes, the
SKOS broader closure and the closure of each transitive property), run over the asserted graphs
only, so no rule builds on an inference and every way of updating the inferences gives the same
graph. :class:`Reasoner` keeps them up to date after a graph is added, replaced or removed,
doing as little work as each change allows (see ``docs/knowledge-base.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .namespaces import HLSG
from .progress import bar
from .resources import sparql, sparql_names
from .store.base import Backend
from .store.terms import sparql_term

INFERRED_GRAPH = ox.NamedNode(HLSG + "inferred")
META_GRAPH = ox.NamedNode(HLSG + "meta")
# A removed graph with more subjects than this is handled by recomputing everything (the
# LIMIT of queries/reasoning/graph-subjects.rq is one more).
_PLAN_LIMIT = 20_000


def rule(name: str) -> str:
    """The text of the rule ``queries/rules/<name>.rq``.

    >>> "CONSTRUCT" in rule("types")
    True
    """
    return sparql(f"rules/{name}.rq")


def rule_names() -> list[str]:
    """The rule files there are (for docs and tests)."""
    return [Path(name).stem for name in sparql_names("rules")]


class Reasoner:
    """Keeps ``hlsg:inferred`` of one store up to date.

    A store that outlives the process (on disk, remote) records in ``hlsg:meta`` that the
    inferences are about to go out of date before each write, and clears the mark once they are
    current again, so a process that dies in between leaves a mark the next open acts on.
    """

    def __init__(self, store: Backend):
        self.store = store
        self._progress: bool | None = None  # of the reasoning under way

    # ------------------------------------------------------------------ the stale mark

    def mark_stale(self) -> None:
        # In its own transaction before the write: if the process dies between the write and
        # the reasoning, the next open recomputes the inferences.
        if self.store.kind != "memory":
            self.store.update(sparql("reasoning/mark-stale.ru"), source="queries/reasoning/mark-stale.ru")

    def unmark_stale(self) -> None:
        if self.store.kind != "memory":
            self.store.update(sparql("reasoning/unmark-stale.ru"), source="queries/reasoning/unmark-stale.ru")

    def stale(self) -> bool:
        """Whether the inferences may be out of date (marked so, or never computed)."""
        return self.store.ask(
            sparql("reasoning/stale.rq"), source="queries/reasoning/stale.rq"
        ) or not self.store.has_graph(INFERRED_GRAPH)

    # ------------------------------------------------------------------ reasoning

    def reason(self, *, added: ox.NamedNode | None = None, progress: bool | None = None) -> int:
        """Bring ``hlsg:inferred`` up to date; the number of inferred triples.

        After a graph was only *added* (``added=``), the rules run over that graph alone (over
        everything when it changes a class or property hierarchy), since what was inferred
        before still holds. Otherwise the whole set is recomputed and only the difference
        written. Rule output goes from the engine's N-Triples serialiser straight into the
        store, with no Python object per triple.
        """
        store = self.store
        self._progress = progress
        if added is not None and store.has_graph(INFERRED_GRAPH):
            widens = store.ask(rule("widens"), {"graph": added}, source="queries/rules/widens.rq")
            outputs = self._run_rules(None if widens else sparql_term(added), exclude_inferred=True)
            data = b"".join(outputs)
            if data.strip():
                store.put_triples(INFERRED_GRAPH, data, replace=False)
        elif store.kind == "remote":
            # The endpoint cannot leave a graph out of the union: drop and rebuild.
            store.remove_graph(INFERRED_GRAPH)
            for output in self._run_rules(None, exclude_inferred=False):
                if output.strip():
                    store.put_triples(INFERRED_GRAPH, output, replace=False)
        else:
            self._recompute()
        if not store.has_graph(INFERRED_GRAPH):
            store.put_triples(INFERRED_GRAPH, b"", replace=False)
        self.unmark_stale()
        counted = store.select_tsv(sparql("reasoning/count.rq"), source="queries/reasoning/count.rq").decode(
            "utf-8"
        )
        return int(counted.split("\n")[1].split("^^")[0].strip('"'))

    def _run_rules(
        self,
        graph: str | None,
        *,
        exclude_inferred: bool,
        subjects: list[str] | None = None,
        closures: bool = True,
    ) -> list[bytes]:
        """Each rule's new triples as N-Triples. ``graph`` (in SPARQL syntax) restricts the data
        side of the type and sub-property rules to that graph, ``subjects`` (IRIs in N-Triples
        syntax) to those subjects; ``closures=False`` skips the closure rules."""
        store = self.store

        def data(pattern: str) -> str:
            if subjects is not None:
                variable = pattern.split()[1]  # the pattern's subject variable
                pattern = "{ VALUES " + variable + " { " + " ".join(subjects) + " } " + pattern[1:]
            return f"GRAPH {graph} {pattern}" if graph else pattern

        def run(name: str, text: str | None = None) -> bytes:
            text = re.sub(r"DATA(\{[^}]*\})", lambda m: data(m.group(1)), text or rule(name))
            return store.construct_ntriples(
                text, source=f"queries/rules/{name}.rq", exclude_inferred=exclude_inferred
            )

        steps = [("subproperty", None)]
        if closures:
            steps.append(("broader", None))
            for line in store.select_tsv(rule("transitive-properties")).decode("utf-8").split("\n")[1:]:
                if line.startswith("<"):
                    steps.append(("transitive", rule("transitive").replace("PROPERTY", line)))
        steps.append(("types", None))
        outputs = []
        with bar(len(steps), desc="Reasoning", unit="rule", progress=self._progress) as shown:
            for name, text in steps:
                outputs.append(run(name, text))
                shown.update(1)
        return outputs

    def removal_plan(self, graph: ox.NamedNode):
        """Before ``graph`` is removed or replaced: its subjects and the inferred triples about
        them, or ``None`` when only a full recomputation will do (it shapes a hierarchy or a
        closure, has blank-node subjects, or is too large to list)."""
        store = self.store
        if not store.has_graph(INFERRED_GRAPH) or store.ask(
            rule("shapes-inference"), {"graph": graph}, source="queries/rules/shapes-inference.rq"
        ):
            return None
        subjects = (
            store.select_tsv(
                sparql("reasoning/graph-subjects.rq"),
                {"graph": graph},
                source="queries/reasoning/graph-subjects.rq",
            )
            .decode("utf-8")
            .split("\n")[1:]
        )
        subjects = [s for s in subjects if s]
        if len(subjects) > _PLAN_LIMIT or any(not s.startswith("<") for s in subjects):
            return None
        candidates = store.construct_ntriples(
            sparql("reasoning/about-graph.rq"), {"graph": graph}, source="queries/reasoning/about-graph.rq"
        )
        if b"_:" in candidates:
            return None
        return subjects, candidates

    def after_removal(self, plan, also: ox.NamedNode | None = None, progress: bool | None = None) -> None:
        """Bring the inferences up to date after a graph was removed (or replaced by ``also``).

        Only inferred triples about the removed graph's subjects can lose their support (the
        graph shaped no hierarchy or closure, see :meth:`removal_plan`): those are deleted, the
        type and sub-property rules rerun for those subjects alone and the (small) closure rules
        over everything."""
        store = self.store
        self._progress = progress
        if plan is None:
            self.reason(progress=progress)
            return
        subjects, candidates = plan
        if candidates.strip():
            store.update(
                f"DELETE DATA {{ GRAPH {sparql_term(INFERRED_GRAPH)} {{\n"
                + candidates.decode("utf-8")
                + "\n} }"
            )
        if subjects:
            outputs = self._run_rules(None, exclude_inferred=True, subjects=subjects)
            data = b"".join(outputs)
            if data.strip():
                store.put_triples(INFERRED_GRAPH, data, replace=False)
        if also is not None:
            self.reason(added=also, progress=progress)  # what the replacement brings, as an added graph
        else:
            self.unmark_stale()

    def _recompute(self) -> None:
        """Recompute every entailment from the asserted graphs and write only the difference
        (on a large store on disk, dropping and rewriting them all would take minutes)."""
        store = self.store
        wanted: set[bytes] = set()
        for output in self._run_rules(None, exclude_inferred=True):
            wanted.update(line for line in output.split(b"\n") if line.strip())
        present = {
            line
            for line in store.construct_ntriples(
                sparql("reasoning/inferred.rq"), source="queries/reasoning/inferred.rq"
            ).split(b"\n")
            if line.strip()
        }
        if any(b"_:" in line for line in wanted | present):
            # Blank-node labels differ from query to query and DELETE DATA refuses them.
            store.remove_graph(INFERRED_GRAPH)
            if wanted:
                store.put_triples(INFERRED_GRAPH, b"\n".join(sorted(wanted)) + b"\n", replace=False)
            return
        stale, missing = present - wanted, wanted - present
        if stale:
            store.update(
                f"DELETE DATA {{ GRAPH {sparql_term(INFERRED_GRAPH)} {{\n"
                + b"\n".join(sorted(stale)).decode("utf-8")
                + "\n} }"
            )
        if missing:
            store.put_triples(INFERRED_GRAPH, b"\n".join(sorted(missing)) + b"\n", replace=False)
