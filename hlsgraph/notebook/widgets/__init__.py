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

The widgets live one family a module: :mod:`.explorer`, :mod:`.stories` and :mod:`.places`, on
what they share in :mod:`.base`; every name is importable from here as before.
"""

from .base import ANY, SAVED_VIEW_NOTE, csv_link, expand, figure_png, image_html, table_html
from .explorer import FACET_KINDS, InquiryExplorer, chart_for
from .places import PlaceComparer
from .stories import NARRATIVE, StoryBrowser

__all__ = [
    "InquiryExplorer",
    "StoryBrowser",
    "PlaceComparer",
    "chart_for",
    "csv_link",
    "expand",
    "table_html",
    "ANY",
    "FACET_KINDS",
    "NARRATIVE",
    "SAVED_VIEW_NOTE",
    "figure_png",
    "image_html",
]
