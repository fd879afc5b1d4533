"""Pictures of the evidence: an evidence gap map (place × concept heatmap), the mix of stories
and numbers per place, a concept co-occurrence network, the actors and relationships of a place's
system, a self-assessment trend and plain bar charts of counts.

Every function takes a pandas DataFrame (the answer of an inquiry; the column names are
arguments with the inquiries' names as defaults) and returns a :class:`matplotlib.figure.Figure`
made without pyplot, so nothing global changes and a notebook shows each figure once. Colours are
colour-blind safe: the Okabe–Ito palette for categories, cividis for amounts. Titles say what the
picture shows.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import ArgumentTypeError, UnknownColumnError
from ..extras import require

require("matplotlib", "hlsgraph's plots")
from matplotlib.figure import Figure  # noqa: E402  (after the check that names the extra)
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe and Ito's eight colours, distinguishable with the common colour-vision deficiencies."""

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""Marker shapes, so that lines differ by more than colour."""

SEQUENTIAL = "cividis"
"""The colour map for amounts: perceptually even and colour-blind safe."""

NUMBER_KINDS = frozenset({"Measure", "Observation", "SelfAssessment", "Score"})
"""Evidence kinds that are numbers; every other kind counts as a story in :func:`evidence_mix`."""


def readable(value) -> str:
    """A short human label for an IRI, a prefixed name or a label.

    >>> readable("hlsc:positive-error-culture")
    'positive error culture'
    >>> readable("https://w3id.org/hls/CaseStudy")
    'Case Study'
    >>> readable("Plymouth")
    'Plymouth'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "(none)"
    text = str(value)
    if re.match(r"^[a-z][\w.-]*:[^\s/]", text) or "://" in text:
        text = re.split(r"[/#:]", text.rstrip("/"))[-1]
        text = re.sub(r"^(place|org|story|case|measure|obs)-", "", text)
        text = text.replace("-", " ").replace("_", " ")
        lower_first = text[:1].islower()
        text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
        if lower_first:  # a property (memberOf) reads as words (member of)
            text = text.lower()
    return text


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _title(ax, text: str, fontsize: float = 12) -> None:
    """Give the figure a left-aligned title wrapped to its width, so it is never cut off (a
    figure title, not an axes title, so long tick labels cannot push it off the edge)."""
    fig = ax.figure
    chars = max(30, int(fig.get_figwidth() * 130 / fontsize))
    lines = [line for part in text.split("\n") for line in (textwrap.wrap(part, chars) or [""])]
    fig.suptitle("\n".join(lines), x=0.01, ha="left", fontsize=fontsize)


def _short(label: str, width: int) -> str:
    """A label cut to ``width`` characters (rotated tick labels cannot wrap)."""
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _axis_name(column, fallback: str) -> str:
    """An axis title from a column name: ``placeLabel`` reads as ``Place``."""
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(column or fallback)).replace("_", " ").lower()
    name = re.sub(r"\s*label$", "", name).strip() or fallback
    return name[:1].upper() + name[1:]


def _need(data: pd.DataFrame, *columns: str) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ArgumentTypeError(f"expected a pandas DataFrame, not {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise UnknownColumnError(
            f"the DataFrame has no column {missing[0]!r}; its columns: {', '.join(map(str, data.columns))}. "
            "Name the right ones with the function's column arguments."
        )


def _empty(fig: Figure, ax, message: str) -> Figure:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _label_column(data: pd.DataFrame, column: str) -> pd.Series:
    """The values of ``column`` as readable labels, preferring a ``<column>_label`` column."""
    for candidate in (f"{column}_label", f"{column}Label"):
        if candidate in data.columns:
            labels = data[candidate].astype("string")
            return labels.fillna(data[column].map(readable).astype("string"))
    return data[column].map(readable).astype("string")


# ---------------------------------------------------------------------------------- heatmap


def gap_matrix(
    data: pd.DataFrame, *, rows: str = "place", columns: str = "concept", values: str | None = "items"
) -> pd.DataFrame:
    """A place × concept table of counts from a long table (one row per place and concept).

    With ``values=None`` rows are counted. Missing pairs are 0: the gaps.

    >>> long = pd.DataFrame({"place": ["A", "A", "B"], "concept": ["trust", "learning", "trust"],
    ...                      "items": [2, 1, 3]})
    >>> gap_matrix(long).to_dict(orient="index")
    {'A': {'learning': 1, 'trust': 2}, 'B': {'learning': 0, 'trust': 3}}
    """
    need = [rows, columns] + ([values] if values else [])
    _need(data, *need)
    frame = pd.DataFrame({rows: _label_column(data, rows), columns: _label_column(data, columns)})
    frame["n"] = pd.to_numeric(data[values], errors="coerce").fillna(0).astype(int) if values else 1
    table = frame.pivot_table(index=rows, columns=columns, values="n", aggfunc="sum", fill_value=0)
    table.index = table.index.astype(object)
    table.columns = table.columns.astype(object)
    table.index.name, table.columns.name = rows, columns
    return table.astype(int)


def _most_evidenced(table: pd.DataFrame, sort: bool, max_columns: int, max_rows: int):
    """The table with its most evidenced columns first (when ``sort``) and at most that many
    columns and rows (the least evidenced left out); how many columns and rows were left out."""
    if sort and table.size:
        table = table.loc[:, table.sum(axis=0).sort_values(ascending=False, kind="stable").index]
    dropped = dropped_rows = 0
    if table.shape[1] > max_columns:
        dropped = table.shape[1] - max_columns
        keep_columns = set(table.sum(axis=0).sort_values(ascending=False, kind="stable").index[:max_columns])
        table = table.loc[:, [c for c in table.columns if c in keep_columns]]
    if table.shape[0] > max_rows:
        dropped_rows = table.shape[0] - max_rows
        keep = table.sum(axis=1).sort_values(ascending=False).index[:max_rows]
        table = table.loc[[r for r in table.index if r in set(keep)]]
    return table, dropped, dropped_rows


def _write_counts(ax, values) -> None:
    """Each non-empty cell's count in it: white on dark cells, black on light ones."""
    vmax = values.max()
    for (i, j), v in np.ndenumerate(values):
        if v:
            colour = "white" if v < 0.55 * vmax else "black"
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8, color=colour)


def evidence_gap_map(
    data: pd.DataFrame,
    *,
    rows: str = "place",
    columns: str = "concept",
    values: str | None = "items",
    title: str | None = None,
    max_columns: int = 40,
    max_rows: int = 40,
    sort: bool = True,
) -> Figure:
    """Heatmap of how much evidence each place holds for each concept; blank cells are gaps.

    Parameters
    ----------
    data : DataFrame
        Long form (one row per place and concept with a count in ``values``), or a wide table
        already (places as index, concepts as columns) when ``rows`` is not a column of it.
    rows, columns, values : str
        The columns holding the place, the concept and the count.
    title : str, optional
        Defaults to a sentence saying what the picture shows.
    max_columns, max_rows : int
        Columns or rows beyond this many (the least evidenced) are left out, and the title
        says so.
    sort : bool
        Put the most evidenced columns first (default); ``False`` keeps the order given, so the
        picture reads in the same order as a table beside it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = (
        data
        if rows not in getattr(data, "columns", ())
        else gap_matrix(data, rows=rows, columns=columns, values=values)
    )
    table, dropped, dropped_rows = _most_evidenced(table, sort, max_columns, max_rows)
    # Room for the cells and for the longest row label (about 0.075 inch a character).
    longest = max((len(str(r)) for r in table.index), default=8)
    height = max(3.0, (0.55 if table.shape[0] <= 15 else 0.34) * table.shape[0] + 3.0)
    width = max(7.0, 0.45 * table.shape[1] + 0.075 * longest + 2.5)
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    title = title or "Evidence gap map: evidence items per place and concept (blank = no evidence)"
    if dropped:
        title += (
            f"\n({dropped} least-evidenced {_axis_name(table.columns.name, 'concept').lower()}s not shown)"
        )
    if dropped_rows:
        title += (
            f"\n({dropped_rows} least-evidenced {_axis_name(table.index.name, 'place').lower()}s not shown)"
        )
    _title(ax, title)
    if table.size == 0:
        return _empty(fig, ax, "No evidence to map")
    values_ = table.to_numpy(dtype=float)
    masked = np.ma.masked_where(values_ == 0, values_)
    import matplotlib

    cmap = matplotlib.colormaps[SEQUENTIAL].with_extremes(bad="white")
    image = ax.imshow(masked, cmap=cmap, aspect="auto", vmin=0.5, vmax=max(values_.max(), 1))
    ax.set_xticks(
        range(table.shape[1]),
        [_short(str(c), 38) for c in table.columns],
        rotation=60,
        ha="right",
        rotation_mode="anchor",
        fontsize=9,
    )
    ax.set_yticks(range(table.shape[0]), [str(r) for r in table.index], fontsize=10)
    if table.shape[0] > 12:
        # A tall map names its columns at the top too, where a reader starts.
        ax.tick_params(axis="x", labeltop=True, top=True)
        for tick in ax.xaxis.get_major_ticks():
            tick.label2.set(rotation=60, ha="left", rotation_mode="anchor", fontsize=9)
    ax.set_xlabel(_axis_name(table.columns.name, "concept"))
    ax.set_ylabel(_axis_name(table.index.name, "place"))
    # Grid lines between cells make empty cells read as cells, not as background.
    ax.set_xticks(np.arange(-0.5, table.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, table.shape[0]), minor=True)
    ax.grid(which="minor", color="#bbbbbb", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    _write_counts(ax, values_)
    # Counts are whole numbers: the colour bar's ticks are too.
    bar = fig.colorbar(image, ax=ax, shrink=0.8, label="evidence items")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return fig


# ------------------------------------------------------------------------------- bar charts


def evidence_mix(
    data: pd.DataFrame,
    *,
    place: str = "placeLabel",
    kind: str = "kind",
    count: str = "items",
    title: str | None = None,
) -> Figure:
    """Stacked bars of stories against numbers for each place.

    ``data`` is long (one row per place and evidence kind with a count); kinds in
    :data:`NUMBER_KINDS` count as numbers, the rest as stories. When ``data`` already has
    ``stories`` and ``numbers`` columns they are used as they are.
    """
    if {"stories", "numbers"} <= set(data.columns):
        _need(data, place)
        table = pd.DataFrame(
            {
                "stories": pd.to_numeric(data["stories"], errors="coerce").fillna(0).to_numpy(),
                "numbers": pd.to_numeric(data["numbers"], errors="coerce").fillna(0).to_numpy(),
            },
            index=_label_column(data, place).to_numpy(),
        )
        table = table.groupby(level=0).sum()
    else:
        _need(data, place, kind, count)
        kinds = data[kind].map(readable).str.replace(" ", "", regex=False)
        frame = pd.DataFrame(
            {
                "place": _label_column(data, place).to_numpy(),
                "group": np.where(kinds.isin(NUMBER_KINDS), "numbers", "stories"),
                "n": pd.to_numeric(data[count], errors="coerce").fillna(0).to_numpy(),
            }
        )
        table = frame.pivot_table(index="place", columns="group", values="n", aggfunc="sum", fill_value=0)
        table = table.reindex(columns=["stories", "numbers"], fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values().index]
    fig = Figure(figsize=(8, max(2.8, 0.45 * len(table) + 1.8)), layout="constrained")
    ax = fig.add_subplot()
    _title(ax, title or "Evidence mix: stories and numbers held for each place")
    if table.empty:
        return _empty(fig, ax, "No evidence to count")
    left = np.zeros(len(table))
    for colour, group in zip((OKABE_ITO[1], OKABE_ITO[0]), ("stories", "numbers"), strict=True):
        values_ = table[group].to_numpy(dtype=float)
        bars = ax.barh(
            table.index.astype(str),
            values_,
            left=left,
            color=colour,
            label=f"{group} ({'narrative evidence' if group == 'stories' else 'measures and observations'})",
        )
        ax.bar_label(
            bars,
            labels=[f"{int(v)}" if v else "" for v in values_],
            label_type="center",
            fontsize=8,
            color="white" if group == "numbers" else "black",
        )
        left += values_
    ax.set_xlabel("evidence items")
    ax.legend(loc="lower right", fontsize=9, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def bar_counts(
    data: pd.DataFrame,
    *,
    label: str,
    count: str,
    title: str,
    xlabel: str = "count",
    colour: str = OKABE_ITO[0],
) -> Figure:
    """A horizontal bar chart of one count per label, largest at the top.

    >>> fig = bar_counts(pd.DataFrame({"kind": ["Story", "Measure"], "n": [5, 2]}),
    ...                  label="kind", count="n", title="Evidence items by kind")
    >>> fig.get_suptitle()
    'Evidence items by kind'
    """
    _need(data, label, count)
    frame = pd.DataFrame(
        {
            "label": _label_column(data, label).to_numpy(),
            "n": pd.to_numeric(data[count], errors="coerce").fillna(0).to_numpy(),
        }
    )
    frame = frame.groupby("label", sort=False)["n"].sum().sort_values()
    fig = Figure(figsize=(8, max(2.5, 0.38 * len(frame) + 1.5)), layout="constrained")
    ax = fig.add_subplot()
    _title(ax, title)
    if frame.empty:
        return _empty(fig, ax, "Nothing to count")
    bars = ax.barh([_wrap(str(i), 40) for i in frame.index], frame.to_numpy(), color=colour)
    ax.bar_label(bars, fmt="%g", padding=3, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# --------------------------------------------------------------------------------- networks


def _layout(graph, seed: int) -> dict:
    """Node positions that are the same for the same data: a circle for a few nodes (nothing
    overlaps), else a seeded spring layout with room between nodes."""
    nx = require("networkx", "network pictures")

    simple = nx.Graph(graph)
    n = simple.number_of_nodes()
    if n <= 8:
        return nx.circular_layout(sorted(simple.nodes))
    # ForceAtlas2 keeps clusters apart and labels readable; its node sizes stop boxes overlapping.
    positions = nx.forceatlas2_layout(
        simple,
        seed=seed,
        max_iter=400,
        scaling_ratio=6.0,
        node_size={node: 1.0 + len(str(node)) / 8 for node in simple},
        strong_gravity=True,
        gravity=0.5,
    )
    return {node: tuple(xy) for node, xy in positions.items()}


def _graph(data, source, target, weight, directed, attribute=None):
    nx = require("networkx", "network pictures")

    if attribute:  # one edge per kind of relationship between the same two nodes
        graph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    else:
        graph = nx.DiGraph() if directed else nx.Graph()
    src, dst = _label_column(data, source), _label_column(data, target)
    weights = (
        pd.to_numeric(data[weight], errors="coerce").fillna(1).to_numpy() if weight else np.ones(len(data))
    )
    attrs = data[attribute].map(readable).to_numpy() if attribute else [None] * len(data)
    for a, b, w, attr in zip(src, dst, weights, attrs, strict=True):
        if a == b:
            continue
        if attribute:
            if not any(d.get("kind") == attr for d in (graph.get_edge_data(a, b) or {}).values()):
                graph.add_edge(a, b, weight=float(w), kind=attr)
        elif graph.has_edge(a, b):
            graph[a][b]["weight"] += float(w)
        else:
            graph.add_edge(a, b, weight=float(w))
    return graph


def concept_cooccurrence(
    data: pd.DataFrame,
    *,
    source: str = "labelA",
    target: str = "labelB",
    weight: str = "stories",
    min_weight: int = 1,
    title: str | None = None,
    seed: int = 7,
    max_edges: int = 40,
) -> Figure:
    """A network of concepts joined when the same stories illustrate both; thicker lines for
    more shared stories.

    ``data`` has one row per pair of concepts with the number of stories they share (the
    ``concept-co-occurrence`` inquiry's answer). Only the ``max_edges`` strongest pairs are
    drawn (the title says when some are left out), so the picture stays readable.
    """
    _need(data, source, target, weight)
    strength = pd.to_numeric(data[weight], errors="coerce").fillna(0)
    data = data[strength >= min_weight]
    left_out = max(0, len(data) - max_edges)
    if left_out:
        data = data.loc[strength[data.index].sort_values(ascending=False, kind="stable").index[:max_edges]]
    graph = _graph(data, source, target, weight, directed=False)
    fig = Figure(figsize=(9, 7), layout="constrained")
    ax = fig.add_subplot()
    _title(
        ax,
        (
            title
            or "Concepts that appear together: lines join concepts illustrated by the "
            "same stories\n(thicker line = more stories in common)"
        )
        + (f"\n(the {max_edges} strongest pairs; {left_out} weaker ones not shown)" if left_out else ""),
        11,
    )
    ax.set_axis_off()
    if graph.number_of_edges() == 0:
        return _empty(fig, ax, "No two concepts share a story")
    nx = require("networkx", "network pictures")

    positions = _layout(graph, seed)
    weights = np.array([d["weight"] for _, _, d in graph.edges(data=True)])
    widths = 1 + 5 * (weights - weights.min()) / max(weights.max() - weights.min(), 1)
    nx.draw_networkx_edges(graph, positions, ax=ax, width=widths, edge_color=OKABE_ITO[4], alpha=0.7)
    degree = dict(graph.degree(weight="weight"))
    sizes = [120 + 60 * degree[n] for n in graph.nodes]
    nx.draw_networkx_nodes(
        graph, positions, ax=ax, node_size=sizes, node_color=OKABE_ITO[1], edgecolors="black", linewidths=0.6
    )
    # Labels sit just above their node on a white ground, so lines never run through them.
    span = max((max(abs(x), abs(y)) for x, y in positions.values()), default=1.0) or 1.0
    above = {n: (x, y + 0.06 * span) for n, (x, y) in positions.items()}
    nx.draw_networkx_labels(
        graph,
        above,
        ax=ax,
        labels={n: _wrap(n, 22) for n in graph.nodes},
        font_size=9,
        verticalalignment="bottom",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
    )
    ax.margins(0.1)
    return fig


def actor_network(
    data: pd.DataFrame,
    *,
    source: str = "sourceLabel",
    target: str = "targetLabel",
    relation: str = "relation",
    title: str | None = None,
    place: str | None = None,
    seed: int = 3,
) -> Figure:
    """The organisations of a place's system and how they relate (funds, commissions, member
    of, partner of...), one colour and line style per kind of relationship.

    ``data`` has one row per relationship: who, the relationship, and to whom (the
    ``actors-and-relationships`` inquiry's answer).
    """
    _need(data, source, target, relation)
    graph = _graph(data, source, target, None, directed=True, attribute=relation)
    fig = Figure(figsize=(10, 7.5), layout="constrained")
    ax = fig.add_subplot()
    where = f" in {place}" if place else ""
    _title(ax, title or f"Who works with whom{where}: organisations and their relationships")
    ax.set_axis_off()
    if graph.number_of_edges() == 0:
        return _empty(fig, ax, "No relationships recorded")
    nx = require("networkx", "network pictures")

    kinds = sorted({d["kind"] for _, _, d in graph.edges(data=True)})
    styles: tuple[Literal["solid", "dashed", "dotted", "dashdot"], ...] = (
        "solid",
        "dashed",
        "dotted",
        "dashdot",
    )
    positions = _layout(graph, seed)
    handles = []
    for i, kind in enumerate(kinds):
        # Several relationships between the same two organisations bend by different amounts.
        edges = [(a, b) for a, b, d in graph.edges(data=True) if d["kind"] == kind]
        colour, style = OKABE_ITO[i % len(OKABE_ITO)], styles[i // len(OKABE_ITO) % len(styles)]
        nx.draw_networkx_edges(
            graph,
            positions,
            edgelist=edges,
            ax=ax,
            edge_color=colour,
            style=style,
            width=2,
            arrows=True,
            arrowsize=16,
            node_size=2600,
            connectionstyle=f"arc3,rad={0.06 + 0.12 * i}",
        )
        handles.append(Line2D([0], [0], color=colour, linestyle=style, linewidth=2, label=kind))
    for node, (x, y) in positions.items():
        ax.text(
            x,
            y,
            _wrap(node, 18),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.35", "facecolor": "#f2f2f2", "edgecolor": "black"},
        )
    ax.margins(0.12)
    ax.legend(
        handles=handles,
        title="relationship (arrow: from → to)",
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        frameon=False,
    )
    return fig


# ---------------------------------------------------------------------------------- trends


def score_trend(
    data: pd.DataFrame,
    *,
    date: str = "date",
    series: str = "pointLabel",
    score: str = "score",
    title: str | None = None,
    low: int = 1,
    high: int = 5,
) -> Figure:
    """Self-assessment scores over time, one line (colour and marker) per learning point.

    Lines are drawn a hair apart vertically so that points with the same scores stay visible;
    the axis keeps whole-number ticks."""
    _need(data, date, series, score)
    frame = (
        pd.DataFrame(
            {
                "date": pd.to_datetime(data[date].astype(str), errors="coerce").to_numpy(),
                "series": _label_column(data, series).to_numpy(),
                "score": pd.to_numeric(data[score], errors="coerce").to_numpy(),
            }
        )
        .dropna()
        .sort_values("date")
    )
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.add_subplot()
    _title(ax, title or "Self-assessment over time: score for each key learning point")
    if frame.empty:
        return _empty(fig, ax, "No scores recorded")
    groups = list(frame.groupby("series", sort=True))
    for i, (name, group) in enumerate(groups):
        # A small vertical offset per line, so that equal scores do not hide one another.
        offset = (i - (len(groups) - 1) / 2) * min(0.05, 0.4 / max(len(groups), 1))
        ax.plot(
            group["date"],
            group["score"] + offset,
            marker=MARKERS[i % len(MARKERS)],
            linewidth=1.8,
            color=OKABE_ITO[i % len(OKABE_ITO)],
            label=_wrap(str(name), 45),
        )
    ax.set_ylim(low - 0.3, high + 0.3)
    ax.set_yticks(range(low, high + 1))
    ax.set_ylabel(f"score ({low} = not yet, {high} = fully)")
    ax.set_xlabel("date of self-assessment")
    ax.grid(axis="y", color="#dddddd")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def model_map(
    edges: pd.DataFrame,
    *,
    source: str = "domain",
    target: str = "range",
    relation: str = "property",
    title: str | None = None,
    seed: int = 11,
) -> Figure:
    """How the model hangs together: classes as boxes, properties as labelled arrows.

    ``edges`` has one row per property with its domain and range class.
    """
    _need(edges, source, target, relation)
    nx = require("networkx", "network pictures")

    edges = edges.dropna(subset=[source, target, relation])
    graph = nx.MultiDiGraph()
    for a, b, p in zip(
        _label_column(edges, source),
        _label_column(edges, target),
        _label_column(edges, relation),
        strict=True,
    ):
        graph.add_edge(a, b, label=p)
    fig = Figure(figsize=(12, 9), layout="constrained")
    ax = fig.add_subplot()
    _title(
        ax,
        title
        or "How the model hangs together: main classes (boxes) and the properties that link them (arrows)",
    )
    ax.set_axis_off()
    if graph.number_of_edges() == 0:
        return _empty(fig, ax, "No properties with a domain and range")
    positions = _layout(graph, seed)
    simple = nx.DiGraph(graph)
    nx.draw_networkx_edges(
        simple,
        positions,
        ax=ax,
        edge_color="#777777",
        arrows=True,
        arrowsize=12,
        node_size=2000,
        connectionstyle="arc3,rad=0.06",
    )
    labels: dict = {}
    for a, b, d in graph.edges(data=True):
        labels.setdefault((a, b), []).append(d["label"])
    nx.draw_networkx_edge_labels(
        simple,
        positions,
        ax=ax,
        font_size=7,
        font_color=OKABE_ITO[5],
        edge_labels={k: _wrap(", ".join(v), 24) for k, v in labels.items()},
        connectionstyle="arc3,rad=0.06",
    )
    for node, (x, y) in positions.items():
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(node))  # FundingArrangement: two words
        ax.text(
            x,
            y,
            _wrap(words, 16),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.35", "facecolor": "#e8f1fa", "edgecolor": OKABE_ITO[0]},
        )
    ax.margins(0.08)
    return fig


__all__ = [
    "OKABE_ITO",
    "SEQUENTIAL",
    "readable",
    "gap_matrix",
    "evidence_gap_map",
    "evidence_mix",
    "bar_counts",
    "concept_cooccurrence",
    "actor_network",
    "score_trend",
    "model_map",
]
