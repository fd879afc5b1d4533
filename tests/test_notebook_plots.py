"""The pictures: what each figure shows (titles, cells, labels, colours) for known input, and
the clear errors for input without the expected columns."""

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from hlsgraph.notebook import plots

LONG = pd.DataFrame(
    {
        "place": ["hlsd:place-plymouth", "hlsd:place-plymouth", "hlsd:place-gateshead"],
        "placeLabel": ["Plymouth", "Plymouth", "Gateshead"],
        "concept": ["hlsc:trust", "hlsc:learning", "hlsc:trust"],
        "conceptLabel": ["Trust", "Learning", "Trust"],
        "items": [2, 4, 3],
    }
)


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_gap_matrix_fills_gaps_with_zero_and_uses_labels():
    table = plots.gap_matrix(LONG)
    assert table.loc["Gateshead", "Learning"] == 0
    assert table.loc["Plymouth", "Learning"] == 4
    assert table.to_numpy().sum() == 9


def test_evidence_gap_map_annotates_counts_and_leaves_gaps_blank():
    fig = plots.evidence_gap_map(LONG)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert fig.get_suptitle().startswith("Evidence gap map")
    assert sorted(_texts(fig)) == ["2", "3", "4"]  # the gap (Gateshead, Learning) has no number
    image = ax.get_images()[0]
    data = image.get_array()
    assert np.ma.count_masked(data) == 1
    assert image.get_cmap().name.startswith("cividis")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Gateshead", "Plymouth"]
    # Concepts are ordered by how much evidence they have.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Trust", "Learning"]


def test_gap_map_limits_columns_and_says_so():
    many = pd.DataFrame({"place": ["A"] * 50, "concept": [f"c{i}" for i in range(50)], "items": range(1, 51)})
    fig = plots.evidence_gap_map(many, max_columns=10)
    assert len(fig.axes[0].get_xticklabels()) == 10
    assert "40 least-evidenced concepts not shown" in fig.get_suptitle()


def test_evidence_mix_splits_stories_from_numbers():
    mix = pd.DataFrame(
        {
            "place": ["Plymouth", "Plymouth", "Plymouth", "Gateshead"],
            "kind": ["hls:Story", "hls:Measure", "hls:Observation", "https://w3id.org/hls/CaseStudy"],
            "items": [4, 3, 2, 1],
        }
    )
    fig = plots.evidence_mix(mix, place="place")
    ax = fig.axes[0]
    widths = {(round(p.get_y(), 1), mcolors.to_hex(p.get_facecolor())): p.get_width() for p in ax.patches}
    stories = sorted(w for (_, c), w in widths.items() if c == plots.OKABE_ITO[1].lower())
    numbers = sorted(w for (_, c), w in widths.items() if c == plots.OKABE_ITO[0].lower())
    assert stories == [1, 4] and numbers == [0, 5]
    assert "stories and numbers" in fig.get_suptitle()


def test_networks_have_one_node_per_concept_and_a_legend_per_relation():
    pairs = pd.DataFrame(
        {
            "concept_a": ["hlsc:trust", "hlsc:trust", "hlsc:learning"],
            "concept_b": ["hlsc:learning", "hlsc:empathy", "hlsc:empathy"],
            "stories": [3, 1, 2],
        }
    )
    fig = plots.concept_cooccurrence(pairs, source="concept_a", target="concept_b")
    labels = sorted(t for t in _texts(fig))
    assert labels == ["empathy", "learning", "trust"]
    fig = plots.concept_cooccurrence(pairs, source="concept_a", target="concept_b", max_edges=1)
    assert sorted(_texts(fig)) == ["learning", "trust"]  # only the strongest pair
    assert "2 weaker ones not shown" in fig.get_suptitle()
    fig = plots.concept_cooccurrence(pairs, source="concept_a", target="concept_b", min_weight=5)
    assert _texts(fig) == ["No two concepts share a story"]

    actors = pd.DataFrame(
        {
            "actor": ["Council", "Council", "Provider A"],
            "relation": ["hls:commissions", "hls:funds", "hls:memberOf"],
            "other": ["Provider A", "Provider B", "Alliance"],
        }
    )
    fig = plots.actor_network(actors, source="actor", target="other", place="Plymouth")
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["commissions", "funds", "member of"]
    assert "in Plymouth" in fig.get_suptitle()
    assert sorted(_texts(fig)) == ["Alliance", "Council", "Provider A", "Provider B"]
    # Two relationships between the same pair are both drawn.
    both = pd.DataFrame(
        {
            "actor": ["Council", "Council"],
            "relation": ["hls:funds", "hls:commissions"],
            "other": ["Provider", "Provider"],
        }
    )
    fig = plots.actor_network(both, source="actor", target="other")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["commissions", "funds"]
    assert len(fig.axes[0].patches) == 2  # two arrows


def test_score_trend_draws_a_line_per_learning_point():
    scores = pd.DataFrame(
        {
            "date": ["2024-01-01", "2024-06-01", "2024-01-01", "2024-06-01"],
            "learning_point": ["Trust", "Trust", "Power", "Power"],
            "score": [2, 4, 1, 3],
        }
    )
    fig = plots.score_trend(scores, series="learning_point")
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    ys = sorted([round(float(v)) for v in line.get_ydata()] for line in lines)
    assert ys == [[1, 3], [2, 4]]
    assert len({line.get_marker() for line in lines}) == 2  # not by colour alone


def test_titles_are_wrapped_to_fit():
    fig = plots.bar_counts(
        pd.DataFrame({"k": ["a"], "n": [1]}), label="k", count="n", title="A very long title " * 8
    )
    title = fig.get_suptitle()
    assert "\n" in title and max(len(line) for line in title.split("\n")) <= 130


def test_missing_column_names_the_columns_there_are():
    with pytest.raises(KeyError, match=r"no column 'items'; its columns: place, concept"):
        plots.evidence_gap_map(pd.DataFrame({"place": ["A"], "concept": ["b"]}))
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        plots.bar_counts([1, 2], label="a", count="b", title="x")


def test_empty_answers_say_so():
    fig = plots.evidence_gap_map(pd.DataFrame({"place": [], "concept": [], "items": []}))
    assert _texts(fig) == ["No evidence to map"]


def test_readable_labels():
    assert plots.readable("hlsd:place-plymouth") == "plymouth"
    assert plots.readable("hls:partnerOf") == "partner of"
    assert plots.readable(pd.NA) == "(none)"
