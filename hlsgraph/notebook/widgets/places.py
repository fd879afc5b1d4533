"""The place comparer: several places side by side, aspect by aspect, as a table and an
evidence gap map."""

from __future__ import annotations

import pandas as pd

from ...errors import (
    UnknownLabelError,
    did_you_mean,
)
from ...namespaces import PREFIXES
from ...tables import rows_phrase
from .. import plots
from .base import (
    ANY,
    Shown,
    expand,
    figure_png,
    image_html,
    message_html,
    show_chart,
    table_html,
    widgets,
)


class PlaceComparer(Shown):
    """Several places side by side: for each concept, how many items connect each place to it,
    on what basis, and their funding and money added like with like.

    Built on the ``compare-places`` inquiry (one column per place), so counts include the
    places within each place and the concepts narrower than each concept, System Behaviours
    come through the cases their claims are about, and an arrangement for several places is
    never added once per place.

    Parameters
    ----------
    kb : KnowledgeBase
    places : sequence of str, optional
        Places (IRIs, prefixed names or labels) chosen at first.

    Attributes
    ----------
    places : ipywidgets.SelectMultiple
    aspect : ipywidgets.Dropdown
        Which aspect (concept scheme, funding, measures) to show (``""``: all of them).
    basis : ipywidgets.Dropdown
        Only what a source states (``"stated"``), only interpretation, or both (``None``).
    compare_button : ipywidgets.Button
    table : pandas.DataFrame
        One row per aspect, concept, quantity and basis, one column per place (after the last
        comparison).
    view, status : ipywidgets.HTML
    chart : ipywidgets.Image
    """

    what = "place comparer"

    def __init__(self, kb, places=None):
        self.kb = kb
        candidates = [(label, iri) for iri, label in kb.labels().candidates(PREFIXES["hls"] + "Place")]
        self.places = widgets.SelectMultiple(
            options=candidates, rows=8, description="Places", style={"description_width": "initial"}
        )
        if places:
            wanted = [expand(p) for p in places]
            by_label = {label.casefold(): iri for label, iri in candidates}
            chosen = [
                w if any(w == iri for _, iri in candidates) else by_label.get(str(w).casefold())
                for w in wanted
            ]
            missing = [p for p, c in zip(places, chosen, strict=True) if c is None]
            if missing:
                raise UnknownLabelError(
                    f"no place {missing[0]!r} in the knowledge base"
                    + did_you_mean(str(missing[0]), [label for label, _ in candidates])
                )
            self.places.value = tuple(chosen)
        self.aspect = widgets.Dropdown(
            options=[(ANY, "")], description="Aspect", style={"description_width": "initial"}
        )
        self.basis = widgets.Dropdown(
            options=[(ANY, None), ("stated by a source", "stated"), ("interpreted", "interpreted")],
            value=None,
            description="Basis",
            style={"description_width": "initial"},
        )
        self.compare_button = widgets.Button(description="Compare", button_style="primary")
        self.status = widgets.HTML()
        self.view = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.chart = widgets.Image(
            format="png",
            layout=widgets.Layout(max_width="100%", margin="2px 0", align_self="flex-start", display="none"),
        )
        self.table = pd.DataFrame()
        self._wide = pd.DataFrame()
        self._names: list[str] = []
        self.compare_button.on_click(self.compare)
        self.aspect.observe(lambda change: self._render(), names="value")
        self.basis.observe(lambda change: self.compare(), names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.places, widgets.VBox([self.aspect, self.basis])]),
                self.compare_button,
                self.status,
                self.chart,
                self.view,
            ]
        )
        self.widget.add_class("hlsgraph-comparer")
        if len(self.places.value) >= 2:
            self.compare()

    def compare(self, _button=None) -> pd.DataFrame:
        """Compare the chosen places; fill ``table``, the view and the chart."""
        chosen = list(self.places.value)
        if len(chosen) < 2:
            self.status.value = message_html("Choose at least two places to compare.", "error")
            self.table = pd.DataFrame()
            self.view.value = ""
            show_chart(self.chart, b"")
            return self.table
        params = {"places": chosen}
        if self.basis.value:
            params["basis"] = self.basis.value
        wide = self.kb.inquire("compare-places", **params)
        # The place columns are the ones after the inquiry's own key columns.
        self._names = [c for c in wide.columns if c not in _COMPARE_KEYS]
        wide = wide.astype(dict.fromkeys(("aspect", "concept", "conceptLabel", "purposeLabel"), "string"))
        wide["aspect"] = wide["aspect"].fillna("")
        wide["conceptLabel"] = wide["conceptLabel"].fillna(
            wide["concept"].map(plots.readable, na_action="ignore")
        )
        self._wide = wide
        aspects = sorted(set(wide["aspect"]) - {""})
        current = self.aspect.value
        self.aspect.options = [(ANY, "")] + [(a, a) for a in aspects]
        self.aspect.value = current if current in aspects else ""
        self._render()
        return self.table

    def _render(self) -> None:
        wide = self._wide
        if wide.empty and not self._names:
            return
        if self.aspect.value:
            wide = wide[wide["aspect"] == self.aspect.value]
        what = wide["quantity"].where(
            wide["currency"].isna(),
            wide["quantity"]
            + " ("
            + wide["currency"].fillna("")
            + ", "
            + wide["amountBasis"].fillna("")
            + ")",
        )
        concept = wide["conceptLabel"].where(
            wide["purposeLabel"].isna(), wide["conceptLabel"] + " × " + wide["purposeLabel"].fillna("")
        )
        table = pd.DataFrame(
            {
                "aspect": wide["aspect"],
                "concept": concept.fillna(""),
                "quantity": what,
                "basis": wide["basis"],
            }
        )
        for name in self._names:
            table[name] = wide[name]
        table = table.reset_index(drop=True)
        self.table = table
        self.status.value = message_html(
            f"{rows_phrase(len(table))} compared across {rows_phrase(len(self._names), 'place')}"
        )
        self.view.value = table_html(table)
        # The chart: items per concept (both bases together: each item counts once), places across.
        items = table[table["quantity"] == "items"]
        # Sum the two bases of a concept, then take one row per concept (a concept listed in
        # two schemes, Trust in VEST and in HLS, counts once).
        heat = items.groupby(["aspect", "concept"], sort=False)[self._names].sum()
        heat = heat.groupby(level="concept", sort=False).max()
        heat = heat.loc[heat.sum(axis=1) > 0]
        if heat.empty:
            show_chart(self.chart, b"")
            return
        heat.index.name, heat.columns.name = "concept", "place"
        title = "Places compared: evidence items per concept" + (
            f" ({self.aspect.value})" if self.aspect.value else ""
        )
        # The heatmap keeps the table's order: concepts down as listed, places across as chosen.
        fig = plots.evidence_gap_map(heat, title=title + " (blank = none)", sort=False, max_rows=30)
        self.figure = fig
        show_chart(self.chart, figure_png(fig))

    def saved_view(self) -> str:
        if self.table.empty:
            return self.status.value
        return (
            self.status.value
            + image_html(self.chart.value, "heatmap of the places compared")
            + self.view.value
        )


# The key columns of compare-places: every other column of its answer is a place.
_COMPARE_KEYS = frozenset(
    (
        "aspect",
        "scheme",
        "concept",
        "conceptLabel",
        "purpose",
        "purposeLabel",
        "quantity",
        "currency",
        "amountBasis",
        "basis",
    )
)
