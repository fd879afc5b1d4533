"""Interactive tools for a notebook, built from ipywidgets:

* :class:`InquiryExplorer`: pick a named inquiry; its parameters appear as inputs (dropdowns
  filled from the graph for places, concepts, organisations...); run it; read the table, a chart
  where one fits, and download the answer as CSV.
* :class:`StoryBrowser`: filter the evidence by concept, place, kind and year; read an item with
  its provenance (which source, which section).
* :class:`PlaceComparer`: put several places side by side, aspect by aspect, as a table and an
  evidence gap map.

Each keeps its state in plain attributes (``.result``, ``.matches``, ``.table``) and shows its
output in HTML and Image widgets rather than in an Output area, so it works, and can be tested,
without a browser: set a widget's ``.value``, call ``.click()`` on a button, read the attributes.
Show one in a notebook by making it the last expression of a cell.
"""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

import pandas as pd
import pyoxigraph as ox

from ..csvsafe import frame_to_csv
from ..errors import (
    HLSGraphError,
    UnknownInquiryError,
    UnknownLabelError,
    UnknownParameterError,
    did_you_mean,
)
from ..extras import require
from ..namespaces import HLS, PREFIXES
from ..resources import sparql
from ..tables import html_table, rows_phrase
from . import plots

if TYPE_CHECKING:  # ipywidgets has no type information: its names are Any to the checker
    import ipywidgets as widgets
else:
    widgets = require("ipywidgets", "hlsgraph's notebook widgets")

ANY = "(any)"
"""The label of the choice that leaves a filter or optional parameter unset."""


def expand(value: str) -> str:
    """A full IRI for a prefixed name (left as it is when it is one already or has no known
    prefix).

    >>> expand("hlsc:trust")
    'https://w3id.org/hls/concept/trust'
    """
    text = str(value)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text


def csv_link(frame: pd.DataFrame, filename: str = "answer.csv") -> str:
    """An HTML link that downloads ``frame`` as a CSV file (the data travels in the link).

    >>> csv_link(pd.DataFrame({"a": [1]}), "x.csv")[:56]  # formulas neutralised (hlsgraph.csvsafe)
    '<a download="x.csv" href="data:text/csv;base64,YQ0KMQ0K"'
    """
    payload = base64.b64encode(frame_to_csv(frame).encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:text/csv;base64,{payload}" '
        f'target="_blank">Download {html.escape(filename)} ({rows_phrase(len(frame))})</a>'
    )


def figure_png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (for an ``ipywidgets.Image``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def table_html(frame: pd.DataFrame, max_rows: int = 200) -> str:
    """A DataFrame as the widgets show it: blank for empty, in a scroll box of bounded height
    (see :func:`hlsgraph.tables.html_table`), cut at ``max_rows`` rows and saying so.

    >>> "&lt;NA&gt;" in table_html(pd.DataFrame({"a": [pd.NA]}, dtype="string"))
    False
    """
    return html_table(frame, max_rows=max_rows, note_more="Download the CSV for all of them.")


def image_html(png: bytes, alt: str) -> str:
    """An ``<img>`` carrying a PNG in its address, scaled to the width it has (for the views a
    notebook keeps of a widget)."""
    if not png:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}" '
        'style="max-width:100%;height:auto;display:block;margin:6px 0">'
    )


def _message(text: str, kind: str = "info") -> str:
    colour = {"error": "#D55E00", "info": "#555555"}[kind]
    return f'<p style="color:{colour};margin:4px 0;line-height:1.45">{html.escape(text)}</p>'


def _show_chart(image: widgets.Image, png: bytes) -> None:
    """Put a chart in an Image widget, or hide the widget when there is none (an empty Image
    shows as a broken picture)."""
    image.value = png
    image.layout.display = None if png else "none"


SAVED_VIEW_NOTE = (
    "The view saved with this notebook when it was last run. Run the notebook (Run ▸ Run All "
    "Cells) to use the live {what}."
)


class _Shown:
    """Shown as its ``.widget`` when it is the last expression of a notebook cell, together with
    a static HTML view of what it shows (:meth:`saved_view`).

    A live widget needs the notebook's kernel and a trusted output: JupyterLab renders widget
    views only for outputs it trusts, and a notebook opened from disk (a fresh clone, a
    download) is not trusted, so its saved widget state goes unused and the text form is shown.
    The HTML view is sanitised and shown instead in that case, and wherever no widget can run
    (nbviewer, GitHub, ``nbconvert --to html``).
    """

    widget: widgets.Widget
    what = "widget"

    def saved_view(self) -> str:
        """The widget's present answer as plain HTML (no scripts, inline styles only)."""
        return ""

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: run the notebook to use the live {self.what}"
        note = _message(SAVED_VIEW_NOTE.format(what=self.what))
        bundle["text/html"] = f'<div class="hlsgraph-saved-view">{note}{self.saved_view()}</div>'
        return bundle


# ------------------------------------------------------------------------ inquiry explorer

FACET_KINDS = (
    "Role",
    "PlaceKind",
    "SettlementKind",
    "JourneyKind",
    "MeasurePerspective",
    "MeasurePurpose",
    "MeasureQuestion",
    "EvidenceLevel",
    "Basis",
    "AmountBasis",
)
"""Kinds of concept that classify items (who an item is from, the scale of a place, a measure's
facets, the basis of a link or of an amount) rather than ideas evidence illustrates; concept
dropdowns leave them out."""


class InquiryExplorer(_Shown):
    """Pick a named inquiry, fill in its parameters, run it, see and download the answer.

    Parameters
    ----------
    kb : KnowledgeBase
        What the inquiries run against.
    inquiry : str, optional
        The inquiry selected at first (default: the first by name).
    run : bool, optional
        Run the inquiry at once (default: when ``inquiry`` is given), so the explorer opens on an
        answer.
    **params
        Values for the first inquiry's parameters (labels, prefixed names or IRIs, as for
        ``kb.inquire``).

    Attributes
    ----------
    inquiry : ipywidgets.Dropdown
        The inquiry chosen (its value is the inquiry's name).
    inputs : dict of str to ipywidgets.Widget
        One input per parameter of the chosen inquiry; resource parameters are dropdowns whose
        values are IRIs (``""``, shown as "(any)", for an optional one left unset).
    run_button : ipywidgets.Button
    result : pandas.DataFrame or None
        The answer of the last run.
    table, download, status : ipywidgets.HTML
    chart : ipywidgets.Image
        A chart of the answer where one fits, shown above the table (hidden when none fits).
    """

    what = "explorer"

    def __init__(self, kb, inquiry: str | None = None, *, run: bool | None = None, **params):
        self.kb = kb
        self.definitions = kb.catalogue
        self.result: pd.DataFrame | None = None
        self.figure = None
        self._uses: dict[str, dict[str, int]] = {}
        names = sorted(self.definitions)
        if inquiry is not None and inquiry not in self.definitions:
            raise UnknownInquiryError(f"no inquiry named {inquiry!r}{did_you_mean(inquiry, names)}")
        self.inquiry = widgets.Dropdown(
            options=[(f"{self.definitions[n].title} ({n})", n) for n in names],
            value=inquiry or (names[0] if names else None),
            description="Inquiry",
            layout=widgets.Layout(width="90%"),
            style={"description_width": "initial"},
        )
        self.about = widgets.HTML()
        self.inputs: dict[str, widgets.Widget] = {}
        self.input_box = widgets.VBox()
        self.run_button = widgets.Button(description="Run", button_style="primary", icon="play")
        self.status = widgets.HTML()
        # Not stretched to the box's width (a VBox stretches its children): drawn at its own
        # size, or narrower when that is wider than the notebook.
        self.chart = widgets.Image(
            format="png", layout=widgets.Layout(max_width="100%", margin="2px 0", align_self="flex-start")
        )
        # A scroll container of its own, so a wide answer scrolls inside the output, not past it.
        self.table = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.download = widgets.HTML()
        self.inquiry.observe(lambda change: self._build_inputs(), names="value")
        self.run_button.on_click(self.run)
        self._build_inputs()
        self.set_parameters(**params)
        self.widget = widgets.VBox(
            [
                self.inquiry,
                self.about,
                self.input_box,
                self.run_button,
                self.status,
                self.chart,
                self.table,
                self.download,
            ]
        )
        self.widget.add_class("hlsgraph-explorer")
        self.inquiry.add_class("hlsgraph-inquiry")
        if run or (run is None and inquiry is not None):
            self.run()

    @property
    def labels(self):
        """The knowledge base's own label index (built once, kept until the next write)."""
        return self.kb.labels()

    def choices(self, parameter) -> list[tuple[str, str]]:
        """``(label, IRI)`` pairs a parameter's dropdown offers, from ``values_from`` (a class
        or a ``SELECT ?value ?label`` query) or else from the parameter type's class; a choice
        among all concepts leaves out the kinds of :data:`FACET_KINDS`."""
        source = parameter.values_from
        if source and source.lstrip().upper().startswith(("SELECT", "PREFIX")):
            frame = self.kb.select(source, compact=False)
            value_col = "value" if "value" in frame.columns else frame.columns[0]
            label_col = "label" if "label" in frame.columns else value_col
            label_of = {
                str(v): str(lab) if pd.notna(lab) else plots.readable(v)
                for v, lab in zip(frame[value_col], frame[label_col], strict=True)
                if pd.notna(v)
            }
            return sorted(((lab, iri) for iri, lab in label_of.items()), key=lambda p: p[0].casefold())
        kind = expand(source) if source else parameter.kind
        pairs = [(label, iri) for iri, label in self.labels.candidates(kind)]
        if kind == PREFIXES["skos"] + "Concept":
            facets = self._facets()
            pairs = [(label, iri) for label, iri in pairs if iri not in facets]
        return pairs

    def _facets(self) -> set[str]:
        found: set[str] = set()
        for kind in FACET_KINDS:
            frame = self.kb.select(sparql("widgets/members.rq"), compact=False, kind=ox.NamedNode(HLS + kind))
            found.update(str(v) for v in frame["value"])
        return found

    def _most_used(self, kind: str | None, options: list[tuple[str, str]]) -> str | None:
        """Of the options, the one the most statements point at (so a required dropdown opens
        on a choice with an answer)."""
        if not kind or not options:
            return None
        if kind not in self._uses:
            frame = self.kb.select(sparql("widgets/most-used.rq"), compact=False, kind=ox.NamedNode(kind))
            self._uses[kind] = {str(v): int(n) for v, n in zip(frame["value"], frame["uses"], strict=True)}
        uses = self._uses[kind]
        best = max(options, key=lambda option: uses.get(option[1], 0))
        return best[1] if uses.get(best[1], 0) else None

    def _input_for(self, parameter) -> widgets.Widget:
        description = parameter.name + ("" if not parameter.required else " *")
        common = {
            "description": description,
            "style": {"description_width": "initial"},
            "layout": widgets.Layout(width="70%"),
            "tooltip": parameter.description,
        }
        if parameter.is_resource and getattr(parameter, "multiple", False):
            # A list-valued parameter (compare-places' places): pick several.
            return widgets.SelectMultiple(options=self.choices(parameter), rows=6, **common)
        if parameter.is_resource:
            return self._resource_dropdown(parameter, common)
        source = parameter.values_from or ""
        if source.lstrip().upper().startswith(("SELECT", "PREFIX")):
            # A literal parameter whose values come from the graph (a basis: stated or
            # interpreted): a dropdown of them, unset by default when optional.
            options: list[tuple[str, str | None]] = list(self.choices(parameter))
            if not parameter.required:
                options = [(ANY, None), *options]
            default = parameter.default if any(v == parameter.default for _, v in options) else None
            return widgets.Dropdown(
                options=options, value=default if default is not None else options[0][1], **common
            )
        if parameter.type == "integer":
            return widgets.IntText(value=int(parameter.default or 0), **common)
        if parameter.type == "decimal":
            return widgets.FloatText(value=float(parameter.default or 0), **common)
        if parameter.type == "boolean":
            return widgets.Checkbox(value=str(parameter.default).lower() == "true", **common)
        return widgets.Text(value=parameter.default or "", placeholder=parameter.description, **common)

    def _resource_dropdown(self, parameter, common: dict) -> widgets.Dropdown:
        """A dropdown of the resources a parameter takes: its default, else (when required) the
        most used one, or "any" first when optional."""
        options = self.choices(parameter)
        value = None
        if parameter.default is not None:
            default = expand(parameter.default)
            value = default if any(iri == default for _, iri in options) else None
        if not parameter.required:
            # "" rather than None: a Dropdown whose value is None shows a blank.
            options = [(ANY, "")] + options
            value = value or ""
        elif value is None and options:
            value = self._most_used(parameter.kind, options) or options[0][1]
        return widgets.Dropdown(options=options, value=value, **common)

    def _build_inputs(self) -> None:
        self.inputs = {}
        self._clear()
        definition = self.definitions.get(self.inquiry.value)
        if definition is None:
            self.about.value = _message("No inquiries found.")
            self.input_box.children = ()
            return
        # Widgets set a 28 px line height for one-line labels; paragraphs need their own.
        self.about.value = f'<p style="line-height:1.45">{html.escape(definition.description)}</p>'
        self.inputs = {p.name: self._input_for(p) for p in definition.parameters}
        self.input_box.children = tuple(self.inputs.values())

    def _clear(self, status: str = "") -> None:
        """Take the last answer off the screen (it answered another question)."""
        self.result = None
        self.figure = None
        self.status.value = status
        self.table.value = self.download.value = ""
        _show_chart(self.chart, b"")

    def set_parameters(self, **params) -> None:
        """Fill the inputs of the chosen inquiry: a resource by its label, prefixed name or IRI.

        Raises :class:`hlsgraph.UnknownParameterError` for a parameter the inquiry does not
        declare, and :class:`hlsgraph.UnknownLabelError` for a value its dropdown does not offer.
        """
        for name, value in params.items():
            if name not in self.inputs:
                raise UnknownParameterError(
                    f"{self.inquiry.value} has no parameter {name!r}{did_you_mean(name, self.inputs)}; "
                    f"its parameters: {', '.join(self.inputs) or 'none'}"
                )
            box = self.inputs[name]
            if isinstance(box, widgets.Dropdown):
                offered = {iri for _, iri in box.options}
                iri = expand(value) if expand(value) in offered else None
                if iri is None:
                    iri = self.kb.resolve(value).value
                if iri not in offered:
                    labels = [label for label, _ in box.options]
                    raise UnknownLabelError(
                        f"{name}: {value!r} is not among the choices{did_you_mean(str(value), labels)}"
                    )
                box.value = iri
            else:
                box.value = value

    def parameters(self) -> dict:
        """The parameter values the inputs hold now (unset optional ones left out)."""
        values = {}
        for name, box in self.inputs.items():
            value = box.value
            if value is None or (isinstance(value, str) and not value.strip()) or value == ():
                continue
            values[name] = list(value) if isinstance(value, tuple) else value
        return values

    def run(self, _button=None) -> pd.DataFrame | None:
        """Run the chosen inquiry with the inputs' values; fill the chart, table and download.

        Returns the answer, or ``None`` when the inquiry failed (``status`` says why).
        """
        name = self.inquiry.value
        params = self.parameters()
        try:
            frame = self.kb.inquire(name, **params)
        except (HLSGraphError, ValueError, KeyError) as err:
            self._clear(_message(f"{name} could not run: {err}", "error"))
            return None
        self.result = frame
        self.status.value = _message(f"{name}: {rows_phrase(len(frame))}")
        self.table.value = table_html(frame) if len(frame) else ""
        self.download.value = csv_link(frame, f"{name}.csv") if len(frame) else ""
        self.figure = chart_for(name, frame)
        _show_chart(self.chart, figure_png(self.figure) if self.figure is not None else b"")
        return frame

    def _shown_value(self, name: str) -> str:
        """A parameter's value as its input shows it (a dropdown's label, not its IRI)."""
        box = self.inputs[name]
        return str(getattr(box, "label", None) or box.value)

    def saved_view(self) -> str:
        name = self.inquiry.value
        definition = self.definitions.get(name)
        if definition is None:
            return ""
        shown = ", ".join(f"{key} = {self._shown_value(key)}" for key in self.parameters())
        head = f"<p style='margin:4px 0'><b>{html.escape(definition.title)}</b> ({html.escape(name)})"
        head += f": {html.escape(shown)}</p>" if shown else "</p>"
        if self.result is None:
            return head + (self.status.value or _message("Not run yet."))
        return head + self.status.value + image_html(self.chart.value, f"chart of {name}") + self.table.value


def _first(frame: pd.DataFrame, *names: str) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def chart_for(name: str, frame: pd.DataFrame):
    """A figure that fits an inquiry's answer, or ``None`` when none does.

    Recognised by their columns: the evidence gap map gets its heatmap, concept co-occurrence
    its network, the evidence mix its stacked bars, actors and relationships their network,
    self-assessments their trend; any other answer with one numeric column and a label column
    becomes a bar chart.
    """
    if frame is None or frame.empty:
        return None
    columns = set(frame.columns)
    if {"place", "concept", "items"} <= columns:
        label_rows = "placeLabel" if "placeLabel" in columns else "place"
        label_cols = "conceptLabel" if "conceptLabel" in columns else "concept"
        return plots.evidence_gap_map(frame, rows=label_rows, columns=label_cols, values="items")
    if {"labelA", "labelB", "stories"} <= columns:
        return plots.concept_cooccurrence(frame)
    if {"stories", "numbers", "placeLabel"} <= columns:
        return plots.evidence_mix(frame)
    if {"sourceLabel", "targetLabel", "relation"} <= columns:
        return plots.actor_network(frame)
    if {"date", "pointLabel", "score"} <= columns:
        return plots.score_trend(frame)
    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    label = _first(frame, "title", "label", "conceptLabel", "placeLabel", "name", "kind")
    if len(numeric) == 1 and label and len(frame) <= 40:
        return plots.bar_counts(
            frame, label=label, count=numeric[0], title=f"{name}: {numeric[0]} by {label}", xlabel=numeric[0]
        )
    return None


# ------------------------------------------------------------------------ story browser


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


class StoryBrowser(_Shown):
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
            self.reader.value = _message("Nothing matches these filters.")
        return self.matches

    def story(self, item: str) -> str:
        """The HTML telling of one item: title, kind, place, date, concepts, text, provenance."""
        rows = self.catalogue[self.catalogue["item"] == item]
        if rows.empty:
            return _message(f"No evidence item {item}.", "error")
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
            parts.append(_message("No provenance recorded for this item."))
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


# ------------------------------------------------------------------------ place comparer


class PlaceComparer(_Shown):
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
            self.status.value = _message("Choose at least two places to compare.", "error")
            self.table = pd.DataFrame()
            self.view.value = ""
            _show_chart(self.chart, b"")
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
        self.status.value = _message(
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
            _show_chart(self.chart, b"")
            return
        heat.index.name, heat.columns.name = "concept", "place"
        title = "Places compared: evidence items per concept" + (
            f" ({self.aspect.value})" if self.aspect.value else ""
        )
        # The heatmap keeps the table's order: concepts down as listed, places across as chosen.
        fig = plots.evidence_gap_map(heat, title=title + " (blank = none)", sort=False, max_rows=30)
        self.figure = fig
        _show_chart(self.chart, figure_png(fig))

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


__all__ = [
    "InquiryExplorer",
    "StoryBrowser",
    "PlaceComparer",
    "chart_for",
    "csv_link",
    "expand",
    "table_html",
    "ANY",
]
