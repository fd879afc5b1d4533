"""Answers as people read them: a DataFrame as an HTML table for a notebook (blank for empty,
columns sized to their contents, in a scroll box of bounded height), as plain text fitted to a
terminal's width (cut cells marked with "…"), or as Markdown. One owner for this, so the
widgets, the reports and the command line show a table the same way."""

from __future__ import annotations

import html
import math
import textwrap
import unicodedata
from typing import Any

ELLIPSIS = "…"
"""What ends a cell or heading cut to fit."""

SCROLL_HEIGHT = 420
"""The height in pixels of the box a long HTML table scrolls in."""

_WRAP_AT = 32
"""Columns whose values run longer than this many characters wrap; shorter ones stay on one line."""


def cell_text(value: Any) -> str:
    """A value as a table cell shows it: ``""`` for a missing value, whole-number floats without
    ``.0``, midnight timestamps as dates, line breaks as spaces.

    >>> import pandas as pd
    >>> [cell_text(v) for v in (pd.NA, None, float("nan"), 3.0, 2.5, "a\\nb")]
    ['', '', '', '3', '2.5', 'a b']
    >>> cell_text(pd.Timestamp("2024-05-01"))
    '2024-05-01'
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN, NaT
            return ""
    except (TypeError, ValueError):  # pd.NA cannot be compared
        return ""
    if isinstance(value, float):
        if math.isinf(value):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        if (value.hour, value.minute, value.second, getattr(value, "microsecond", 0)) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).splitlines())


def rows_phrase(count: int, noun: str = "row") -> str:
    """``count`` with ``noun`` in the singular or plural.

    >>> rows_phrase(1), rows_phrase(0), rows_phrase(18, "story")
    ('1 row', '0 rows', '18 stories')
    """
    if count == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{count:,} {plural}"


def _is_numeric(series) -> bool:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(series.dtype) and not is_bool_dtype(series.dtype)


# ------------------------------------------------------------------------ HTML


def html_table(frame, *, max_rows: int = 200, height: int = SCROLL_HEIGHT, note_more: str = "") -> str:
    """A DataFrame as an HTML table in a scroll box: empty cells blank, short columns on one
    line, long text wrapped at a readable width, numbers on the right, the header kept in view.

    Only inline styles are used, so the table looks the same in a widget, in a notebook output
    that JupyterLab sanitises (an untrusted notebook) and in exported HTML.

    Parameters
    ----------
    frame : pandas.DataFrame
    max_rows : int
        Rows shown at most; a line under the box says how many there are in all.
    height : int
        The box's maximum height in pixels; longer answers scroll inside it (wide ones too).
    note_more : str
        Said after "first N of M rows" (for example where to get them all).

    Examples
    --------
    >>> import pandas as pd
    >>> text = html_table(pd.DataFrame({"title": ["A", pd.NA]}, dtype="string"))
    >>> "&lt;NA&gt;" in text, text.count("<tr")
    (False, 3)
    """
    shown = frame.head(max_rows)
    columns = [str(c) for c in shown.columns]
    texts = [[cell_text(v) for v in shown[c]] for c in shown.columns]
    numeric = [_is_numeric(shown[c]) for c in shown.columns]
    heads, total = [], 0.0
    for name, values, is_number in zip(columns, texts, numeric, strict=True):
        longest = max([len(name)] + [len(v) for v in values])
        # Every column gets a width in em, and the table their sum: JupyterLab lays out tables
        # in its outputs with ``table-layout: fixed``, where only given widths count. Short
        # columns fit their longest value; long text wraps at about 55 characters at most.
        width = min(longest, 100) * 0.3 + 8 if longest > _WRAP_AT else longest * 0.62 + 1.2
        total += width
        align = "right" if is_number else "left"
        heads.append(
            f'<th style="position:sticky;top:0;z-index:1;background:var(--jp-layout-color1,#fff);'
            f'text-align:{align};vertical-align:bottom;border-bottom:1px solid #999;width:{width:.1f}em">'
            f"{html.escape(name)}</th>"
        )
    body = []
    for i in range(len(shown)):
        stripe = ' style="background:rgba(127,127,127,0.07)"' if i % 2 else ""
        # Each cell says its alignment: JupyterLab's own table style right-aligns every cell.
        cells = "".join(
            f'<td style="text-align:{"right" if is_number else "left"};vertical-align:top">'
            f"{html.escape(values[i])}</td>"
            for values, is_number in zip(texts, numeric, strict=True)
        )
        body.append(f"<tr{stripe}>{cells}</tr>")
    table = (
        f'<div class="hlsgraph-answer" style="max-height:{height}px;overflow:auto;'
        'line-height:1.4;border:1px solid rgba(127,127,127,0.35);max-width:100%">'
        '<table class="hlsgraph-table" cellpadding="4" '
        f'style="border-collapse:collapse;font-size:12.5px;margin:0;width:{total:.1f}em;max-width:none">'
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    if len(frame) > max_rows:
        more = f" {note_more}" if note_more else ""
        table += f'<p style="margin:4px 0">First {max_rows} of {len(frame):,} rows.{html.escape(more)}</p>'
    return table


# ------------------------------------------------------------------------ plain text


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes: wide (East Asian) characters two, combining
    marks and zero-width characters none.

    >>> display_width("abc"), display_width("日本"), display_width("e\\u0301")
    (3, 4, 1)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" when cut.

    >>> fit("Gateshead", 20), fit("North East England", 8)
    ('Gateshead', 'North E…')
    """
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        w = display_width(char)
        if used + w > width - 1:
            break
        kept.append(char)
        used += w
    return "".join(kept).rstrip() + ELLIPSIS


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def _column_widths(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Shrink the widest columns first until the widths add up to ``room`` (never below
    ``floor``)."""
    widths = list(natural)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floor[i] > 0, widths[i]))
        if widths[widest] <= floor[widest]:
            break
        widths[widest] -= 1
    return widths


def text_table(frame, *, width: int = 100, gap: int = 2, floor: int = 12) -> str:
    """A DataFrame as plain text no wider than ``width``: empty cells blank, cells cut to fit
    end in "…", numbers on the right.

    Every column shown gets at least ``floor`` characters (or its widest value, if narrower);
    when not all fit, columns left blank throughout go first, then the last ones, and a closing
    line names what was left out.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"place": ["Gateshead", "North East England"], "items": [3, pd.NA]})
    >>> print(text_table(frame.astype({"items": "Int64"}), width=40))
    place               items
    Gateshead               3
    North East England
    >>> print(text_table(frame.astype({"items": "Int64"}), width=16, floor=8))
    place      items
    Gateshead      3
    North Ea…
    """
    if len(frame.columns) == 0:
        return "(no columns)"
    names = [str(c) for c in frame.columns]
    texts = [[cell_text(v) for v in frame[c]] for c in frame.columns]
    numeric = [_is_numeric(frame[c]) for c in frame.columns]
    natural = [
        max([display_width(n)] + [display_width(v) for v in col]) for n, col in zip(names, texts, strict=True)
    ]
    empty = [not any(col) for col in texts]
    floors = [
        min(nat, max(floor, 1) if not blank else min(display_width(n), floor))
        for n, nat, blank in zip(names, natural, empty, strict=True)
    ]
    shown = list(range(len(names)))

    def needed(columns):
        return sum(floors[i] for i in columns) + gap * (len(columns) - 1)

    # Leave out blank columns (from the right), then the last ones, until the rest fit.
    for i in [i for i in reversed(shown) if empty[i]] + list(reversed(shown)):
        if needed(shown) <= width or len(shown) == 1:
            break
        if i in shown:
            shown.remove(i)
    left_out = [i for i in range(len(names)) if i not in shown]
    widths = dict(
        zip(
            shown,
            _column_widths(
                [natural[i] for i in shown], [floors[i] for i in shown], width - gap * (len(shown) - 1)
            ),
            strict=True,
        )
    )
    spacer = " " * gap
    header = (_pad(fit(names[i], widths[i]), widths[i], numeric[i]) for i in shown)
    lines = [spacer.join(header).rstrip()]
    for r in range(len(frame)):
        cells = (_pad(fit(texts[i][r], widths[i]), widths[i], numeric[i]) for i in shown)
        lines.append(spacer.join(cells).rstrip())
    if left_out:
        named = ", ".join(names[i] + (" (blank)" if empty[i] else "") for i in left_out)
        note = f"({len(left_out)} more columns not shown: {named}; --format csv shows all)"
        lines.extend(textwrap.wrap(note, width, break_long_words=False))
    return "\n".join(lines)


# ------------------------------------------------------------------------ Markdown


def markdown_table(frame) -> str:
    """A DataFrame as a Markdown (GitHub) table: empty cells blank, ``|`` escaped.

    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"a": ["x|y", None], "n": [1, 2]})))
    | a | n |
    | --- | ---: |
    | x\\|y | 1 |
    |  | 2 |
    """
    names = [str(c).replace("|", "\\|") for c in frame.columns]
    numeric = [_is_numeric(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(names) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    columns = [[cell_text(v).replace("|", "\\|") for v in frame[c]] for c in frame.columns]
    for r in range(len(frame)):
        lines.append("| " + " | ".join(col[r] for col in columns) + " |")
    return "\n".join(lines)
