"""What the notebook widgets share: IRIs from prefixed names, answers as HTML tables, CSV
links and chart images, and :class:`Shown`, which shows a widget with a static HTML view of its
answer for wherever no widget can run."""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING

import pandas as pd

from ...csvsafe import frame_to_csv
from ...extras import require
from ...namespaces import PREFIXES
from ...tables import html_table, rows_phrase

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


def message_html(text: str, kind: str = "info") -> str:
    """A one-line message (``kind`` "info" or "error") as a styled, escaped HTML paragraph."""
    colour = {"error": "#D55E00", "info": "#555555"}[kind]
    return f'<p style="color:{colour};margin:4px 0;line-height:1.45">{html.escape(text)}</p>'


def show_chart(image: widgets.Image, png: bytes) -> None:
    """Put a chart in an Image widget, or hide the widget when there is none (an empty Image
    shows as a broken picture)."""
    image.value = png
    image.layout.display = None if png else "none"


SAVED_VIEW_NOTE = (
    "The view saved with this notebook when it was last run. Run the notebook (Run ▸ Run All "
    "Cells) to use the live {what}."
)


class Shown:
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
        note = message_html(SAVED_VIEW_NOTE.format(what=self.what))
        bundle["text/html"] = f'<div class="hlsgraph-saved-view">{note}{self.saved_view()}</div>'
        return bundle
