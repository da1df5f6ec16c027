"""Axis labels a plot can print (tui/widgets/plot_axes.py): plotext's own labels where they are short, short
significant-digit labels where plotext's would be wider than the plot (and it would draw nothing)."""

from __future__ import annotations

import numpy as np
import pytest
from plotext._utility import get_labels  # plotext's own labelling, the oracle for the width predicted

from backprop_tui.tui.widgets.plot_axes import WIDEST_LABEL, fit_axis, plotext_label_width, readable_ticks

SPANS = [(0.578, 1.035), (71.0, 202.0), (-2.0, 1.0), (0.0, 1.0), (0.5955, 0.6932), (0.0, 2.0), (-1e5, 1e5),
         (0.6931, 0.69310001), (1e-300, 3e-300), (0.69, 4.26e306), (-1.7e308, 1.7e308), (123456.0, 123457.0)]


@pytest.mark.parametrize(("low", "high"), SPANS)
def test_the_width_predicted_is_plotexts_own(low, high):
    """Where plotext's labels fit, the prediction matches their width (so the lecture's plots keep them);
    where they do not, both say so."""
    ticks = [low * (1 - i / 4) + high * i / 4 for i in range(5)]
    try:
        widest = max(len(label) for label in get_labels(ticks)) + 1  # a sign's place
    except OverflowError:  # plotext cannot label ±1.7e308 at all (its rounding overflows): it must not try
        widest = 10**6
    predicted = plotext_label_width(low, high)
    assert (predicted <= WIDEST_LABEL) == (widest <= WIDEST_LABEL), (predicted, widest)


@pytest.mark.parametrize(("low", "high"), SPANS)
def test_readable_ticks_span_the_axis_with_distinct_short_labels(low, high):
    ticks, labels = readable_ticks(low, high)
    assert ticks[0] == low and ticks[-1] == high and all(np.isfinite(ticks))
    assert len(set(labels)) == len(labels) == 5
    assert all(len(label) <= 24 for label in labels)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[float], list[str]]] = []

    def xticks(self, ticks: list[float], labels: list[str]) -> None:
        self.calls.append(("x", ticks, labels))

    def yticks(self, ticks: list[float], labels: list[str]) -> None:
        self.calls.append(("y", ticks, labels))


def test_an_ordinary_axis_keeps_plotexts_labels_and_a_huge_one_gets_short_ones():
    plt = Recorder()
    fit_axis(plt, "y", [0.69, 0.59, float("nan")])
    assert plt.calls == []
    fit_axis(plt, "y", [0.693147, 4.26e306, 1.18e306, float("inf")])
    (axis, ticks, labels), = plt.calls
    assert axis == "y" and labels[0] == "0.693" and labels[-1] == "4.26e+306"
