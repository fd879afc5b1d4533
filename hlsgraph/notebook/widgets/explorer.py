"""The inquiry explorer: pick a named inquiry, fill in its parameters, run it, and read the
table, a chart where one fits, and a CSV download of the answer."""

from __future__ import annotations

import html

import pandas as pd
import pyoxigraph as ox

from ...errors import (
    HLSGraphError,
    UnknownInquiryError,
    UnknownLabelError,
    UnknownParameterError,
    did_you_mean,
)
from ...namespaces import HLS, PREFIXES
from ...resources import sparql
from ...tables import rows_phrase
from .. import plots
from .base import (
    ANY,
    Shown,
    csv_link,
    expand,
    figure_png,
    image_html,
    message_html,
    show_chart,
    table_html,
    widgets,
)

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


class InquiryExplorer(Shown):
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
            self.about.value = message_html("No inquiries found.")
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
        show_chart(self.chart, b"")

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
            self._clear(message_html(f"{name} could not run: {err}", "error"))
            return None
        self.result = frame
        self.status.value = message_html(f"{name}: {rows_phrase(len(frame))}")
        self.table.value = table_html(frame) if len(frame) else ""
        self.download.value = csv_link(frame, f"{name}.csv") if len(frame) else ""
        self.figure = chart_for(name, frame)
        show_chart(self.chart, figure_png(self.figure) if self.figure is not None else b"")
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
            return head + (self.status.value or message_html("Not run yet."))
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
