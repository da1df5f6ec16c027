"""Slides 54-59: one neuron cannot fit the middle band of the altered heart data; two hidden neurons can."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.lessons import two_neurons


@pytest.fixture(scope="module")
def one():
    return two_neurons.train(two_neurons.ONE_NEURON)


@pytest.fixture(scope="module")
def two():
    return two_neurons.train(two_neurons.TWO_NEURONS)


def test_one_neuron_is_no_better_than_the_majority_class(one):
    assert two_neurons.majority_accuracy(one.setup) == pytest.approx(95 / 145)
    assert one.accuracy <= 0.66
    assert one.curves.h1 is None


def test_two_hidden_neurons_fit_the_band(two):
    assert two.accuracy >= 0.85
    curves = two.curves
    # h1 steps up and h2 steps down across MaxHR, and p is high only in between.
    assert curves.h1[0] < 0.1 < 0.9 < curves.h1[-1]
    assert curves.h2[0] > 0.9 > 0.1 > curves.h2[-1]
    middle = np.argmax(curves.p)
    assert 0 < middle < len(curves.p) - 1
    assert curves.p[middle] > 0.5 > max(curves.p[0], curves.p[-1])


def test_the_recipe_is_reproducible(two):
    again = two_neurons.train(two_neurons.TWO_NEURONS)
    assert again.run.current.params == two.run.current.params
