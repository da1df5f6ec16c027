"""A finite-difference verdict on two plain numbers (the fast path of `_check`) is the one the array path gives:
the same `ok`, the same note, for finite, huge, tiny, subnormal, zero and non-finite numbers."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backprop_tui.core.engine import finite_differences as fd

EDGES = [0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e-18, 4.2e-18, 1.0, -1.0, 1.00001, 1e308, -1e308, 1.7976931348623157e308,
         float("inf"), float("-inf"), float("nan")]
numbers = st.one_of(st.sampled_from(EDGES), st.floats(allow_nan=True, allow_infinity=True))
SCALE_EDGES = [0.0, 5e-324, 1e-18, 1e-9, 1.0, float("inf"), float("nan")]
scales = st.one_of(st.sampled_from(SCALE_EDGES),
                   st.floats(min_value=0.0, allow_nan=False, allow_infinity=False))


def through_arrays(estimate: float, exact: float, smallest: float) -> fd.FiniteDifference:
    """The same check with one-element arrays, which never take the scalar path."""
    check = fd._check(np.array([estimate]), np.array([exact]), np.array([smallest]))
    return fd.FiniteDifference(float(np.asarray(check.value)[0]), check.ok, check.note)


def assert_same_verdict(estimate: float, exact: float, smallest: float) -> None:
    scalar = fd._check(np.float64(estimate), np.float64(exact), np.float64(smallest))
    array = through_arrays(estimate, exact, smallest)
    assert type(scalar.ok) is type(array.ok)  # a bool or None, never numpy's bool_
    assert (scalar.ok, scalar.note) == (array.ok, array.note), (estimate, exact, smallest)
    assert np.array_equal(scalar.value, array.value, equal_nan=True)


def test_every_pair_of_edge_numbers_gets_the_array_paths_verdict():
    """Every edge against every edge, at every edge scale: the cases a random draw reaches rarely, all of them."""
    for estimate, exact, smallest in itertools.product(EDGES, EDGES, SCALE_EDGES):
        assert_same_verdict(estimate, exact, smallest)


@settings(max_examples=600, deadline=None)
@given(numbers, numbers, scales)
@example(1.0, 1.00001, 0.0)
@example(1.0, 1.0000100001, 0.0)
@example(4.2e-18, 0.0, 1e-17)
@example(0.0, 0.0, 1e-17)
@example(1e308, -1e308, 0.0)
def test_the_scalar_path_gives_the_array_paths_verdict(estimate, exact, smallest):
    assert_same_verdict(estimate, exact, smallest)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False), st.floats(min_value=0.99, max_value=1.01),
       st.booleans())
def test_numbers_at_the_edge_of_the_tolerance_get_the_same_verdict(estimate, factor, above):
    """Pairs a hair inside or outside the tolerance, where swapping which number scales it would change the verdict."""
    gap = (fd.ABSOLUTE_TOLERANCE + fd.RELATIVE_TOLERANCE * abs(estimate)) * factor
    exact = estimate + gap if above else estimate - gap
    scalar = fd._check(np.float64(estimate), np.float64(exact), np.float64(0.0))
    array = through_arrays(estimate, exact, 0.0)
    assert (scalar.ok, scalar.note) == (array.ok, array.note)
