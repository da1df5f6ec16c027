"""The hand-written VJP rules and batch fast paths: the derived rule's numbers bit for bit, finite
differences, the `needs` mask, no writes into arguments, and the training path that uses them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from backprop_tui.core.engine import primitives as prims
from backprop_tui.core.engine.compiled import CompiledGraph
from backprop_tui.core.engine.primitives import PRIMITIVES, derived_vjp_rule, vjp_rule
from backprop_tui.core.stepping.examples import mlp_graph, neuron_graph
from backprop_tui.core.training.data import bundled, load_csv
from backprop_tui.core.training.models import neuron_model
from backprop_tui.core.training.objective import Objective
from backprop_tui.core.training.optimizers import Optimizer
from backprop_tui.core.training.run import DescentRun

HAND_WRITTEN = ("add", "mul", "affine", "sigmoid", "bce", "bce_logit")
ROWS = 7
H = 1e-6


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def arguments(name: str, shapes: str, seed: int = 0) -> tuple:
    """Arguments of `name` inside its smooth domain; `shapes` has one letter per argument:
    `b` a batch of ROWS, `s` a numpy scalar, `f` a Python float."""
    rng = _rng(seed)

    def value(kind: str, low: float, high: float):
        if kind == "b":
            return rng.uniform(low, high, ROWS)
        number = float(rng.uniform(low, high))
        return np.float64(number) if kind == "s" else number

    if name == "bce":
        return value(shapes[0], 0.05, 0.95), value(shapes[1], 0.0, 1.0)
    if name == "bce_logit":
        return value(shapes[0], -40.0, 40.0), value(shapes[1], 0.0, 1.0)
    return tuple(value(kind, -2.0, 2.0) for kind in shapes)


SHAPES = {
    "add": ("ff", "ss", "bb", "bs", "sb"),
    "mul": ("ff", "ss", "bb", "bs", "sb"),
    "affine": ("sss", "ssb", "bbb", "ssbsb", "fsbsb", "sbs"),
    "sigmoid": ("f", "s", "b"),
    "bce": ("ff", "ss", "bb", "bs", "sb"),
    "bce_logit": ("ff", "ss", "bb", "bs", "sb"),
}
CASES = [(name, shapes) for name in HAND_WRITTEN for shapes in SHAPES[name]]
ADJOINTS = ("scalar", "float", "batch")


def adjoint_for(kind: str, out: object, seed: int = 1):
    if kind == "batch" and np.ndim(out):
        return _rng(seed).normal(size=np.shape(out))
    return 0.75 if kind == "float" else np.float64(-1.25)


def assert_identical(actual: object, expected: object, label: str) -> None:
    """Same type, shape and bits (NaN where the derived rule has NaN)."""
    assert type(actual) is type(expected), (label, type(actual), type(expected))
    assert np.shape(actual) == np.shape(expected), label
    np.testing.assert_array_equal(actual, expected, err_msg=label, strict=True)


def test_the_hand_written_rules_are_registered() -> None:
    for name in HAND_WRITTEN:
        assert vjp_rule(name) is not None
        assert vjp_rule(name).__name__ != "vjp", f"{name} still uses the derived rule"


@pytest.mark.parametrize(("name", "shapes"), CASES)
@pytest.mark.parametrize("adjoint_kind", ADJOINTS)
def test_every_piece_equals_the_derived_rule_bit_for_bit(name: str, shapes: str, adjoint_kind: str) -> None:
    prim = PRIMITIVES[name]
    for seed in range(3):
        args = arguments(name, shapes, seed)
        out = prim.evaluate(*args)
        adjoint = adjoint_for(adjoint_kind, out, seed)
        expected = derived_vjp_rule(prim)(args, out, adjoint)
        actual = vjp_rule(name)(args, out, adjoint)
        assert len(actual) == len(expected) == len(args)
        for position, (piece, reference) in enumerate(zip(actual, expected, strict=True)):
            assert_identical(piece, reference, f"{name} {shapes} piece {position}")


@pytest.mark.parametrize(("name", "shapes"), CASES)
def test_the_needs_mask_computes_exactly_the_needed_pieces(name: str, shapes: str) -> None:
    prim = PRIMITIVES[name]
    args = arguments(name, shapes, 5)
    out = prim.evaluate(*args)
    adjoint = adjoint_for("batch", out, 5)
    full = derived_vjp_rule(prim)(args, out, adjoint)
    count = len(args)
    for mask in range(2 ** count):
        needs = tuple(bool(mask >> position & 1) for position in range(count))
        pieces = vjp_rule(name)(args, out, adjoint, needs)
        derived = derived_vjp_rule(prim)(args, out, adjoint, needs)
        assert len(pieces) == count
        for position, need in enumerate(needs):
            if need:
                assert_identical(pieces[position], full[position], f"{name} {needs} piece {position}")
                assert_identical(derived[position], full[position], f"derived {name} {needs} piece {position}")
            else:
                assert pieces[position] is None and derived[position] is None


def numeric_partial(name: str, args: tuple, position: int) -> np.ndarray:
    """∂out/∂args[position] row by row (elementwise primitives: a row depends on its own entries only)."""
    prim = PRIMITIVES[name]
    above, below = list(args), list(args)
    above[position] = np.asarray(args[position], dtype=float) + H
    below[position] = np.asarray(args[position], dtype=float) - H
    return (np.asarray(prim.evaluate(*above)) - np.asarray(prim.evaluate(*below))) / (2 * H)


@pytest.mark.parametrize(("name", "shapes"), CASES)
def test_every_piece_agrees_with_finite_differences(name: str, shapes: str) -> None:
    prim = PRIMITIVES[name]
    args = arguments(name, shapes, 9)
    out = prim.evaluate(*args)
    adjoint = adjoint_for("batch", out, 9)
    for position, piece in enumerate(vjp_rule(name)(args, out, adjoint)):
        expected = np.asarray(adjoint) * numeric_partial(name, args, position)
        np.testing.assert_allclose(np.broadcast_to(piece, np.shape(expected)), expected, rtol=1e-6, atol=1e-8,
                                   err_msg=f"{name} {shapes} piece {position}")


@pytest.mark.parametrize(("name", "shapes"), CASES)
def test_rules_and_evaluations_never_write_into_their_arguments(name: str, shapes: str) -> None:
    prim = PRIMITIVES[name]
    args = arguments(name, shapes, 3)
    saved = [np.copy(arg) for arg in args]
    out = prim.evaluate(*args)
    saved_out = np.copy(out)
    adjoint = adjoint_for("batch", out, 3)
    saved_adjoint = np.copy(adjoint)
    pieces = vjp_rule(name)(args, out, adjoint, None)
    for arg, before in zip(args, saved, strict=True):
        np.testing.assert_array_equal(arg, before)
    np.testing.assert_array_equal(out, saved_out)
    np.testing.assert_array_equal(adjoint, saved_adjoint)
    for piece in pieces:
        for arg in (*args, out):
            assert not (isinstance(piece, np.ndarray) and np.shares_memory(piece, arg)), name


def test_the_batch_evaluations_compute_the_plain_expressions_bit_for_bit() -> None:
    rng = _rng(4)
    z = rng.normal(scale=30.0, size=1000)
    assert_identical(PRIMITIVES["sigmoid"].evaluate(z), 1.0 / (1.0 + np.exp(-z)), "sigmoid")
    p, y = rng.uniform(0.001, 0.999, 1000), (rng.random(1000) < 0.5).astype(float)
    assert_identical(PRIMITIVES["bce"].evaluate(p, y), -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)), "bce")
    b, w1, x1, w2, x2 = np.float64(0.3), np.float64(-1.1), rng.normal(size=1000), 0.7, rng.normal(size=1000)
    assert_identical(PRIMITIVES["affine"].evaluate(b, w1, x1, w2, x2), (b + w1 * x1) + w2 * x2, "affine")
    rows = [PRIMITIVES["sigmoid"].evaluate(float(value)) for value in z[:20]]
    np.testing.assert_array_equal(rows, PRIMITIVES["sigmoid"].evaluate(z[:20]))


def test_the_sigmoid_is_exact_and_quiet_at_the_extremes() -> None:
    z = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            batch = PRIMITIVES["sigmoid"].evaluate(z)
            scalars = [PRIMITIVES["sigmoid"].evaluate(value) for value in z]
            (adjoint,) = vjp_rule("sigmoid")((z,), batch, np.ones(len(z)))
    assert batch[0] == 0.0 and batch[-1] == 1.0 and batch[3] == 0.5
    assert np.all(np.isfinite(batch)) and np.all((batch >= 0) & (batch <= 1))
    np.testing.assert_array_equal(scalars, batch)
    assert adjoint[0] == 0.0 and adjoint[-1] == 0.0 and adjoint[3] == 0.25


def test_integer_and_zero_dimensional_arguments_take_the_plain_path() -> None:
    assert PRIMITIVES["sigmoid"].evaluate(np.array([0, 0])).tolist() == [0.5, 0.5]
    assert PRIMITIVES["sigmoid"].evaluate(np.array(0.0)) == 0.5
    assert PRIMITIVES["affine"].evaluate(1, 2, np.array([1, 2])).tolist() == [3, 5]
    assert PRIMITIVES["bce"].evaluate(np.array([0.5]), 1.0)[0] == pytest.approx(np.log(2))


class TestTrainingUsesTheMask:
    def test_the_data_inputs_get_no_piece(self, monkeypatch: pytest.MonkeyPatch) -> None:
        seen: list[tuple[str, object]] = []
        for name in ("affine", "sigmoid", "bce_logit"):
            rule = prims.VJP_RULES[name]

            def spy(args, out, adjoint, needs=None, rule=rule, name=name):
                seen.append((name, needs))
                return rule(args, out, adjoint, needs)

            monkeypatch.setitem(prims.VJP_RULES, name, spy)
        compiled = CompiledGraph(neuron_graph(), ("β0", "β1"), ("X", "y"))
        x = _rng().normal(size=ROWS)
        compiled.value_and_grad({"X": x, "y": (x > 0).astype(float), "β0": 0.1, "β1": 0.2}, np.full(ROWS, 1 / ROWS))
        assert seen == [("bce_logit", (True, False)), ("affine", (True, True, False))]

    def test_inner_nodes_of_the_mlp_are_still_needed(self) -> None:
        compiled = CompiledGraph(mlp_graph(), ("W10", "W11", "W20", "W21", "W30", "W31", "W32"), ("X", "y"))
        needs = {step.rule.__name__: step.needs for step in compiled._backward}
        assert needs["_bce_logit_vjp"] == (True, False)
        assert (True, True, True, True, True) in [step.needs for step in compiled._backward]


class TestDescentStep:
    @pytest.mark.parametrize("optimizer", [Optimizer("gd", lr=0.5), Optimizer("minibatch", lr=0.1, batch_size=50),
                                           Optimizer("sgd", lr=0.05, momentum=0.5)])
    def test_the_returned_record_is_the_history_row(self, optimizer: Optimizer) -> None:
        data = load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True)
        run = DescentRun(Objective(neuron_model(1), data), optimizer, tolerance=0.0)
        records = [run.step() for _ in range(300)]  # past the history's first flush (256 rows)
        assert records == list(run.history)
        assert run.undo() == records[-1] and run.step() == records[-1]
