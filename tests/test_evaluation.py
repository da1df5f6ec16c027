"""The mode-independent pass (core/stepping/evaluation.py) is computed once per graph and inputs, shared by every
stepper on them, never changed by one, and let go with its graph."""

from __future__ import annotations

import gc
import weakref

import numpy as np

from backprop_tui.core.engine.numbers import vector
from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.stepping import evaluation as ev
from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.stepping.steppers import ForwardStepper, ReverseStepper


def test_both_modes_and_every_input_share_one_pass():
    chosen = GRAPH_EXAMPLES["mlp"]
    graph = chosen.graph()
    reverse = ReverseStepper(graph, chosen.defaults)
    forwards = [ForwardStepper(graph, chosen.defaults, wrt) for wrt in graph.inputs]
    assert all(f.values is reverse.values and f.partial_monomials is reverse.partial_monomials for f in forwards)
    other = ReverseStepper(graph, {**chosen.defaults, "X": chosen.defaults["X"] + 1.0})
    assert other.values is not reverse.values and other.values["X"] == reverse.values["X"] + 1.0


def test_a_vector_is_not_a_batch_of_the_same_numbers():
    graph = build_problem("neuron-multi").graph
    inputs = {"X": vector([1, 150, 63, 145, 233]), "W": vector([-3, 0.01, 0.02, 0.01, 0.005]), "y": 0.0}
    as_vectors = ev.evaluation(graph, inputs)
    as_batches = ev.evaluation(graph, {name: np.asarray(value) for name, value in inputs.items()})
    assert as_vectors is not as_batches and as_vectors.vectors and not as_batches.vectors


def test_stepping_through_every_snapshot_changes_nothing_shared():
    chosen = GRAPH_EXAMPLES["lecture-full"]
    graph = chosen.graph()
    fresh = ev._evaluate(graph, chosen.defaults)
    for stepper in (ReverseStepper(graph, chosen.defaults), ForwardStepper(graph, chosen.defaults, "W")):
        for index in range(len(stepper)):
            stepper.snapshot(index)
    shared = ev.evaluation(graph, chosen.defaults)
    assert shared.values == fresh.values and shared.partials == fresh.partials
    assert shared.value_forms == fresh.value_forms and shared.partial_forms == fresh.partial_forms


def test_a_graph_no_longer_used_takes_its_pass_with_it():
    graph = graph_from_expression("x*y+sin(x)")  # a graph of its own (an example's is kept by its example)
    ReverseStepper(graph, {"x": 0.5, "y": 2.0})
    present, alive = graph in ev._kept, weakref.ref(graph)  # not in an assert: pytest's rewriting holds values
    del graph
    gc.collect()
    assert present and alive() is None  # the cache did not keep it (nor its pass: the entry goes with the key)


def test_at_most_two_input_sets_are_kept_per_graph():
    chosen = GRAPH_EXAMPLES["lecture"]
    graph = chosen.graph()
    for x in (1.0, 2.0, 3.0, 4.0):
        ReverseStepper(graph, {**chosen.defaults, "X": x})
    assert len(ev._kept[graph]) == ev.KEPT_PER_GRAPH == 2


def test_rows_built_by_one_mode_are_the_rows_the_other_mode_would_build():
    """The blank and valued rows are shared through the pass: the forward steppers of every input reuse what the
    reverse stepper built, and each is equal to the row built from scratch on a fresh pass."""
    chosen = GRAPH_EXAMPLES["mlp"]
    graph = chosen.graph()
    reverse = ReverseStepper(graph, chosen.defaults)
    reverse.final()
    shared = {name: reverse.valued_row(name) for name in graph.operations}
    for wrt in graph.inputs:
        forward = ForwardStepper(graph, chosen.defaults, wrt)
        assert all(forward.valued_row(name) is row for name, row in shared.items())
    built_alone = ReverseStepper.__new__(ReverseStepper)
    built_alone.__dict__.update(reverse.__dict__, _blank={}, _valued={})
    assert all(built_alone.valued_row(name) == row and built_alone.valued_row(name) is not row
               for name, row in shared.items())
