"""Reports in a notebook: empty cells blank (pandas wrote <NA> for empty string cells whatever
na_rep said), long lists in a scroll box, the same table as the widgets."""

import pandas as pd

from hlsgraph.reports import Report


class Findings(Report):
    title = "Check"

    def __init__(self, frame):
        self.frame = frame

    @property
    def ok(self):
        return self.frame.empty

    def summary(self):
        return f"{len(self.frame)} findings"

    def to_dataframe(self):
        return self.frame

    def raise_for_problems(self):
        return self


def test_a_report_shows_empty_cells_blank_in_a_scroll_box():
    frame = pd.DataFrame(
        {
            "row": [3, 2, 1] * 100,
            "column": ["place", pd.NA, "title"] * 100,
            "expected": ["x", "y", pd.NA] * 100,
        }
    ).astype({"row": "Int64", "column": "string", "expected": "string"})
    page = Findings(frame)._repr_html_()
    assert "&lt;NA&gt;" not in page and "<NA>" not in page
    assert "overflow:auto" in page and page.count("<tr") == Findings.html_rows + 1
    assert "First 200 of 300 rows" in page and "report.to_dataframe()" in page
