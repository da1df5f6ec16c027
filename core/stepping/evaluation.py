"""What a graph's pass computes before any mode's first step, once for a graph and its inputs.

The values, the local partials, the rounding bounds and the closed forms of every value and partial depend on
the graph and the input values only, not on the mode or on the input differentiated against. Switching mode
(`m`) or the input (`w`) on a big graph built them all again, and the forward-mode check of every input of a
network (one stepper per input) built them once per input. They are kept here for the last few graphs seen,
by the graph object (weakly: a graph no longer used takes its entry with it) and the input values' bytes.
Steppers only read what they are handed, except the two row caches, which they fill (a row is immutable, and
the same for every mode).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.graph import Graph
from ..engine.numbers import Value, Vector, scalar_or_array
from . import closed_form
from .rounding import rounding_errors
from .snapshot import Row

KEPT_PER_GRAPH = 2
"""Input sets kept per graph: the one shown and one more (y flipped and back), so memory stays that of two passes."""


def has_vectors(inputs: Mapping[str, Value]) -> bool:
    """Whether some inputs are vectors and none is a batch (then no 1-D array in the pass is a batch)."""
    kinds = [isinstance(value, Vector) for value in inputs.values() if np.ndim(value) > 0]
    return bool(kinds) and all(kinds)


def shown_value(value: Value, vectors: bool) -> Value:
    """`value` as the table shows it: with vector inputs (slide 14's W and X, one sample, no batch) every 1-D
    array is a vector, shown component by component; otherwise a 1-D array is a batch."""
    value = scalar_or_array(value)
    if vectors and np.ndim(value) in (1, 2) and not isinstance(value, Vector):
        return value.view(Vector)
    return value


@dataclass(frozen=True)
class Evaluation:
    """The mode-independent part of a stepper (see the module's docstring); its dicts are only read."""

    vectors: bool
    shown: Callable[[Value], Value]
    inputs: dict[str, Value]
    values: dict[str, Value]
    partials: dict[str, dict[str, Value]]
    value_forms: dict[str, Any]
    partial_forms: dict[str, Any]
    value_monomials: dict[str, Any]
    partial_monomials: dict[str, Any]
    blank_rows: dict[str, Row] = field(default_factory=dict)
    """Each node's row before it is computed, by name: built by the first stepper that shows it, then shared."""
    valued_rows: dict[str, Row] = field(default_factory=dict)
    """Each node's row once its value and local partials are known (mode-independent too), shared the same way:
    the forward-mode check of a 390-node network built all 390 again for each of its 323 inputs."""


_kept: weakref.WeakKeyDictionary[Graph, dict[tuple, Evaluation]] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()
"""Steppers are built on the UI thread and in workers (the descent's backprop view): one at a time in `_kept`."""


def _inputs_key(graph: Graph, inputs: Mapping[str, Value]) -> tuple:
    """The input values exactly: their bytes, shape and type (a vector is not a batch of the same numbers)."""
    key = []
    for name in graph.inputs:
        if name in inputs:
            value = inputs[name]
            array = np.asarray(value, dtype=float)
            key.append((name, array.shape, array.tobytes(), isinstance(value, Vector)))
    return tuple(key)


def evaluation(graph: Graph, inputs: Mapping[str, Value]) -> Evaluation:
    """The graph's pass at `inputs`, computed the first time and then handed out as it is."""
    key = _inputs_key(graph, inputs)
    with _kept_lock:
        found = _kept.get(graph, {}).get(key)
    if found is not None:
        return found
    found = _evaluate(graph, inputs)
    with _kept_lock:
        per_graph = _kept.setdefault(graph, {})
        if len(per_graph) >= KEPT_PER_GRAPH:
            per_graph.pop(next(iter(per_graph)))
        per_graph[key] = found
    return found


def _evaluate(graph: Graph, inputs: Mapping[str, Value]) -> Evaluation:
    vectors = has_vectors(inputs)
    # Without vectors `shown` is `scalar_or_array` itself: a call less for each of the some hundred thousand
    # numbers a ten-thousand-node graph shows.
    shown: Callable[[Value], Value] = (lambda value: shown_value(value, True)) if vectors else scalar_or_array
    given = {name: scalar_or_array(np.asarray(inputs[name], dtype=float)) for name in graph.inputs if name in inputs}
    values = {name: shown(value) for name, value in graph.evaluate(given).items()}
    partials = {name: {parent: shown(partial) for parent, partial in node_partials.items()}
                for name, node_partials in graph.every_local_partials(values).items()}
    # A shown scalar is a float64 (`scalar_or_array`): only other values need numpy's slower `ndim`.
    if not all(type(value) is np.float64 or np.ndim(value) == 0 for value in values.values()):
        return Evaluation(vectors, shown, given, values, partials, {}, {}, {}, {})
    errors = rounding_errors(graph, values)
    value_forms = closed_form.value_closed_forms(graph, values, errors)
    partial_forms = {name: closed_form.partial_closed_forms(graph, name, value_forms, partials[name], errors)
                     for name in graph.operations}
    value_monomials = closed_form.value_monomials(graph, values, value_forms)
    partial_monomials = {name: closed_form.partial_monomials(graph, name, value_monomials, partial_forms[name],
                                                             partials[name])
                         for name in graph.operations}
    return Evaluation(vectors, shown, given, values, partials, value_forms, partial_forms, value_monomials,
                      partial_monomials)
