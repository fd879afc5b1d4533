"""The story browser: filter the evidence by concept, place, kind and year, and read an item
with its provenance (which source, which section)."""

from __future__ import annotations

import html

import pandas as pd
import pyoxigraph as ox

from ...namespaces import HLS, PREFIXES
from ...resources import sparql
from .. import plots
from .base import (
    ANY,
    Shown,
    message_html,
    widgets,
)

NARRATIVE = (
    ("summary", "What happened"),
    ("changeInLife", "Change in the person's life"),
    ("startingPoint", "Starting point"),
    ("impetus", "Impetus for change"),
    ("progressAndChallenges", "Progress and challenges"),
    ("whereNext", "Where next"),
    ("whatWeTried", "What we tried"),
    ("whatHappened", "What happened"),
    ("whatWeLearned", "What we learned"),
    ("whatWeChangeNext", "What we change next"),
)
"""The ``hls:`` text properties the story reader tells, in order, with their headings: a
story's summary, a case study's story of change, a reflection's learning cycle."""


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as nullable strings, whatever datatypes the literals had."""
    return frame.astype("string")


class StoryBrowser(Shown):
    """Filter the evidence by concept, place, kind and year, and read an item with its provenance.

    The reader tells the item's own words: a story's summary and the change in a person's
    life, a case study's story of change, a reflection's cycle (what was tried, what happened,
    what was learned, what changes next); see :data:`NARRATIVE`.

    Parameters
    ----------
    kb : KnowledgeBase
    kinds : sequence of str
        The evidence kinds offered (local names of ``hls:`` classes); narrative kinds by default.

    Attributes
    ----------
    concept, place, kind : ipywidgets.Dropdown
        Filters (value ``""``, shown as "(any)", = any); concept and place match narrower
        concepts and places
        within.
    year_from, year_to : ipywidgets.Dropdown
        The years the item's date must fall in (``""`` = open); undated items pass only when
        both are open.
    items : ipywidgets.Select
        The items that pass the filters (value: the item's IRI).
    matches : pandas.DataFrame
        Those items, one row each: item, title, kind, place, date, access.
    reader : ipywidgets.HTML
        The chosen item told in full, with where it comes from.
    """

    what = "story browser"

    def __init__(
        self,
        kb,
        kinds=(
            "Story",
            "Vignette",
            "Testimony",
            "Exemplar",
            "CaseStudy",
            "Reflection",
            "AppreciativeInquiry",
            "ListeningExercise",
            "EthnographicResearch",
            "ChangeJourney",
        ),
    ):
        self.kb = kb
        # One query per kind, the kind bound as a term (an item of two kinds is listed once).
        per_kind = [
            kb.select(sparql("widgets/items.rq"), compact=False, kind_=ox.NamedNode(HLS + k)) for k in kinds
        ]
        self.catalogue = _strings(pd.concat(per_kind, ignore_index=True).drop_duplicates("item"))
        self.catalogue["kind"] = self.catalogue["kind"].str.rsplit("/", n=1).str[-1]
        self.catalogue["year"] = self.catalogue["date"].str.slice(0, 4)
        self.concepts = _strings(kb.select(sparql("widgets/concepts.rq"), compact=False))
        self.places = _strings(kb.select(sparql("widgets/places.rq"), compact=False))
        self.provenance = _strings(kb.select(sparql("widgets/provenance.rq"), compact=False))
        known = set(self.catalogue["item"])
        self.concepts = self.concepts[self.concepts["item"].isin(known)]
        self.places = self.places[self.places["item"].isin(known)]

        style = {"description_width": "initial"}
        self.concept = widgets.Dropdown(
            options=[(ANY, "")] + self._options(self.concepts, "concept"),
            description="Concept",
            style=style,
        )
        self.place = widgets.Dropdown(
            options=[(ANY, "")] + self._options(self.places, "place"), description="Place", style=style
        )
        kinds_present = [k for k in kinds if k in set(self.catalogue["kind"].dropna())]
        self.kind = widgets.Dropdown(
            options=[(ANY, "")] + [(plots.readable("hls:" + k), k) for k in kinds_present],
            description="Kind",
            style=style,
        )
        years = sorted(set(self.catalogue["year"].dropna()))
        self.year_from = widgets.Dropdown(
            options=[(ANY, "")] + [(y, y) for y in years], description="From", style=style
        )
        self.year_to = widgets.Dropdown(
            options=[(ANY, "")] + [(y, y) for y in years], description="To", style=style
        )
        self.count = widgets.HTML()
        self.items = widgets.Select(options=[], rows=10, layout=widgets.Layout(width="95%"))
        self.reader = widgets.HTML(layout=widgets.Layout(width="95%"))
        for box in (self.concept, self.place, self.kind, self.year_from, self.year_to):
            box.observe(lambda change: self.refresh(), names="value")
        self.items.observe(lambda change: self.show(change["new"]), names="value")
        self.matches = pd.DataFrame()
        self.refresh()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.concept, self.place, self.kind]),
                widgets.HBox([self.year_from, self.year_to]),
                self.count,
                self.items,
                self.reader,
            ]
        )
        self.widget.add_class("hlsgraph-stories")

    @staticmethod
    def _options(frame: pd.DataFrame, column: str) -> list[tuple[str, str]]:
        label = frame[f"{column}Label"].fillna(frame[column].map(plots.readable))
        pairs = dict(zip(frame[column], label, strict=True))
        return sorted(((str(lab), str(iri)) for iri, lab in pairs.items()), key=lambda p: p[0].casefold())

    def refresh(self) -> pd.DataFrame:
        """Apply the filters; update the list and ``matches``."""
        rows = self.catalogue
        if self.concept.value:
            rows = rows[
                rows["item"].isin(self.concepts.loc[self.concepts["concept"] == self.concept.value, "item"])
            ]
        if self.place.value:
            rows = rows[rows["item"].isin(self.places.loc[self.places["place"] == self.place.value, "item"])]
        if self.kind.value:
            rows = rows[rows["kind"] == self.kind.value]
        if self.year_from.value or self.year_to.value:
            low, high = self.year_from.value or "0000", self.year_to.value or "9999"
            rows = rows[rows["year"].notna() & (rows["year"] >= low) & (rows["year"] <= high)]
        direct = self.places[self.places["direct"].str.lower() == "true"]
        place_label = (
            direct.assign(label=direct["placeLabel"].fillna(direct["place"].map(plots.readable)))
            .groupby("item")["label"]
            .agg(lambda s: "; ".join(sorted(set(s))))
        )
        self.matches = (
            rows.assign(place=rows["item"].map(place_label))[
                ["item", "title", "kind", "place", "date", "access"]
            ]
            .sort_values(["title", "item"], na_position="last")
            .reset_index(drop=True)
        )
        self.count.value = f"<b>{len(self.matches)}</b> of {len(self.catalogue)} items match"
        options = [
            (f"{t or plots.readable(i)} [{plots.readable('hls:' + (k or 'Item'))}]", i)
            for i, t, k in zip(self.matches["item"], self.matches["title"], self.matches["kind"], strict=True)
        ]
        self.items.options = options
        if options:
            self.items.value = options[0][1]
        else:
            self.reader.value = message_html("Nothing matches these filters.")
        return self.matches

    def story(self, item: str) -> str:
        """The HTML telling of one item: title, kind, place, date, concepts, text, provenance."""
        rows = self.catalogue[self.catalogue["item"] == item]
        if rows.empty:
            return message_html(f"No evidence item {item}.", "error")
        row = rows.iloc[0]
        e = lambda v: html.escape(str(v)) if pd.notna(v) else ""  # noqa: E731
        direct = self.concepts[
            (self.concepts["item"] == item) & (self.concepts["direct"].str.lower() == "true")
        ]
        concept_names = sorted(set(direct["conceptLabel"].fillna(direct["concept"].map(plots.readable))))
        places = self.places[(self.places["item"] == item) & (self.places["direct"].str.lower() == "true")]
        place_names = sorted(set(places["placeLabel"].fillna(places["place"].map(plots.readable))))
        parts = [
            f"<h3 style='margin:8px 0 4px'>{e(row['title'])}</h3>",
            f"<p><i>{e(plots.readable('hls:' + str(row['kind'])))}"
            + (f" · {e(', '.join(place_names))}" if place_names else "")
            + (f" · {e(row['date'])}" if pd.notna(row["date"]) else "")
            + f" · access: {e(plots.readable(row['access']))}</i></p>",
        ]
        texts = self.kb.select(sparql("widgets/item-text.rq"), compact=False, item=ox.NamedNode(item))
        by_property = dict(
            zip(texts["property"].astype("string"), texts["text"].astype("string"), strict=True)
        )
        for local, heading in NARRATIVE:
            text = by_property.get(PREFIXES["hls"] + local)
            if text is not None and pd.notna(text) and str(text).strip():
                parts.append(f"<p style='margin:6px 0'><b>{heading}:</b> {e(text)}</p>")
        if concept_names:
            parts.append(f"<p><b>Illustrates:</b> {e(', '.join(concept_names))}</p>")
        sources = self.provenance[self.provenance["item"] == item]
        if not sources.empty:
            parts.append("<p><b>Where this comes from:</b></p><ul>")
            for _, src in sources.iterrows():
                section = (
                    src["sourceLabel"] if pd.notna(src["sourceLabel"]) else plots.readable(src["source"])
                )
                doc = " — ".join(
                    e(v)
                    for v in (src["documentTitle"], src["creator"], src["issued"])
                    if pd.notna(v) and str(v)
                )
                parts.append(
                    f"<li>{e(section)}"
                    + (f" ({doc})" if doc else "")
                    + f" <code>{e(src['source'])}</code></li>"
                )
            parts.append("</ul>")
        else:
            parts.append(message_html("No provenance recorded for this item."))
        return "".join(parts)

    def show(self, item: str | None) -> None:
        """Put one item in the reader."""
        self.reader.value = f'<div style="line-height:1.45">{self.story(item)}</div>' if item else ""

    def saved_view(self) -> str:
        chosen = [
            f"{box.description}: {html.escape(label)}"
            for box in (self.concept, self.place, self.kind, self.year_from, self.year_to)
            for label, value in box.options
            if value and value == box.value
        ]
        listed = "".join(f"<li>{html.escape(label)}</li>" for label, _ in self.items.options[:12])
        more = len(self.items.options) - 12
        return (
            (f"<p style='margin:4px 0'>Filters: {'; '.join(chosen)}</p>" if chosen else "")
            + f"<p style='margin:4px 0'>{self.count.value}</p>"
            + f"<ul style='margin:4px 0'>{listed}</ul>"
            + (f"<p style='margin:4px 0'>... and {more} more</p>" if more > 0 else "")
            + self.reader.value
        )
