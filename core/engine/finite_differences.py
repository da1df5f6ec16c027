"""Central finite differences: an independent check of every accumulated derivative in the table."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .graph import Graph
from .numbers import Value

FD_NODE_LIMIT = 400
"""Reverse-mode checks re-evaluate the graph once per node; above this size they are skipped."""


@dataclass(frozen=True)
class FiniteDifference:
    """A central finite-difference estimate of a row's accumulated derivative, and whether it agrees.

    `ok` is None when the check cannot be made here (the nudged evaluations overflow to inf or NaN
    while the derivative is finite): a difference of infinities says nothing, so it is neither an
    agreement nor a mismatch, and `note` says why."""

    value: Value
    ok: bool | None
    note: str | None = None


RELATIVE_TOLERANCE = 1e-5
ABSOLUTE_TOLERANCE = 1e-7


def step_size(value: Value) -> Value:
    """1e-7 relative: small enough that a node near a steep spot (1 − p = 1.2e-4 at the lecture's
    W = 3, y = 0) still gets a central difference within tolerance, large enough that rounding
    (about 1e-16 · |L| / h) stays far below it."""
    return 1e-7 * np.maximum(1.0, np.abs(value))


def agrees(estimate: Value, exact: Value) -> bool:
    """True where the estimate matches, NaN matching NaN and infinities matching themselves."""
    estimate, exact = np.asarray(estimate, dtype=float), np.asarray(exact, dtype=float)
    with np.errstate(all="ignore"):
        close = np.isclose(estimate, exact, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=True)
    return bool(np.all(close))


CANNOT_CHECK = "the nudged evaluations are not finite (overflow), so their difference says nothing"
BELOW_RESOLUTION = ("the derivative and the difference are both below what a difference of nudged evaluations "
                    "can resolve here (rounding of the function's value divided by the step)")
NOT_A_NUMBER = "the derivative is NaN here (undefined), which no difference can confirm or refute"
PAST_THE_DOUBLES = ("the derivative is infinite (past the largest double), which a difference of finite values "
                    "cannot reach")
UNSTEADY = ("the difference changes with the step (the function varies faster than a step this size can "
            "follow, as sin does at 1e308), so it cannot judge the derivative")
SECOND_STEP = 1e-3
"""A mismatch is confirmed with a step this much smaller: a true mismatch stays, an unsteady estimate moves."""
RESOLUTION_ULPS = 4.0
"""A central difference (f(x+h) − f(x−h))/2h carries the rounding of f, about one ulp of f over h; below a few of
those, a derivative and its estimate cannot be told apart (σ′(40) = 4.2e-18 beside a difference of 0)."""


def resolution(above: Value, below: Value, h: Value, seed: Value = 1.0) -> Value:
    """The smallest derivative a difference of these two evaluations can resolve (elementwise)."""
    with np.errstate(all="ignore"):
        scale = np.maximum(np.abs(np.asarray(above, dtype=float)), np.abs(np.asarray(below, dtype=float)))
        # np.spacing, not ε·|f|: among subnormal values the rounding step is absolute (5e-324).
        return RESOLUTION_ULPS * np.abs(seed) * np.spacing(scale) / h


def checkable(estimate: Value, exact: Value) -> np.ndarray:
    """Where a finite-difference estimate can judge the exact value: the estimate is finite, or it is
    non-finite exactly as the exact value is (NaN for NaN, inf for inf). A NaN or inf estimate beside a
    finite derivative (or a NaN beside an infinite one) comes from f(x ± h) overflowing, not from a wrong
    derivative."""
    estimate, exact = np.asarray(estimate, dtype=float), np.asarray(exact, dtype=float)
    with np.errstate(all="ignore"):
        same_kind = (np.isnan(estimate) & np.isnan(exact)) | (np.isinf(estimate) & (estimate == exact))
    return np.isfinite(estimate) | same_kind


def _skipped(estimate: np.ndarray, exact: np.ndarray, smallest: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """Where (and why) no verdict can be given, in the order a note names them."""
    with np.errstate(all="ignore"):
        unresolved = ((np.abs(estimate) <= smallest) & (np.abs(exact) <= smallest)
                      & ~((estimate == 0) & (exact == 0)))
        return [(np.isnan(exact), NOT_A_NUMBER),
                (np.isinf(exact) & ~np.isinf(estimate), PAST_THE_DOUBLES),
                (~checkable(estimate, exact), CANNOT_CHECK),
                (unresolved, BELOW_RESOLUTION)]


def _scalar_verdict(estimate: float, exact: float, smallest: float) -> bool | None:
    """`agrees` for two finite numbers that a difference can resolve, in plain floats (the same comparison as
    numpy's `isclose`); None when the general path must decide (a non-finite number, or both below
    `smallest`). A network's forward-mode check judges hundreds of scalars a sweep, one per node."""
    if not (math.isfinite(estimate) and math.isfinite(exact) and math.isfinite(smallest)):
        return None
    if abs(estimate) <= smallest and abs(exact) <= smallest and not (estimate == 0 and exact == 0):
        return None
    return bool(abs(estimate - exact) <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * abs(exact))


def _check(estimate: Value, exact: Value, smallest: Value = 0.0) -> FiniteDifference:
    """The verdict on one derivative: ok, a mismatch, or None with the reason no difference can decide."""
    if isinstance(estimate, float) and isinstance(exact, float) and isinstance(smallest, float):
        verdict = _scalar_verdict(float(estimate), float(exact), float(smallest))  # np.float64 is a float
        if verdict is not None:
            return FiniteDifference(float(estimate), verdict)
    estimate = float(estimate) if np.ndim(estimate) == 0 else np.asarray(estimate, dtype=float)
    shape = np.broadcast_shapes(np.shape(estimate), np.shape(exact), np.shape(smallest))
    guess, truth = np.broadcast_to(estimate, shape), np.broadcast_to(np.asarray(exact, dtype=float), shape)
    skipped = np.zeros(shape, dtype=bool)
    note = None
    for where, reason in _skipped(guess, truth, np.broadcast_to(smallest, shape)):
        if note is None and np.any(where & ~skipped):
            note = reason
        skipped |= where
    if not np.any(skipped):
        return FiniteDifference(estimate, agrees(estimate, exact))
    if np.all(skipped) or agrees(guess[~skipped], truth[~skipped]):
        return FiniteDifference(estimate, None, note)
    return FiniteDifference(estimate, False)


def forward_checks(graph: Graph, values: Mapping[str, Value], wrt: str,
                   tangents: Mapping[str, Value]) -> dict[str, FiniteDifference]:
    """dξ/d(wrt) for every node from two evaluations of the whole graph at wrt ± h (for a vector wrt, two
    per component, the estimates stacked on the last axis as the tangents are)."""
    if np.ndim(values[wrt]) and all(np.ndim(tangents[name]) for name in graph.operations):
        return _forward_checks_per_component(graph, values, wrt, tangents)
    h = step_size(values[wrt])
    inputs = {name: values[name] for name in graph.inputs}
    with np.errstate(all="ignore"):
        above = graph.evaluate({**inputs, wrt: values[wrt] + h})
        below = graph.evaluate({**inputs, wrt: values[wrt] - h})
        checks = {name: _check((above[name] - below[name]) / (2 * h), tangents[name],
                               resolution(above[name], below[name], h)) for name in graph.operations}
        if any(check.ok is False for check in checks.values()):
            small = h * SECOND_STEP
            above = graph.evaluate({**inputs, wrt: values[wrt] + small})
            below = graph.evaluate({**inputs, wrt: values[wrt] - small})
            for name, check in checks.items():
                if check.ok is False:
                    checks[name] = _confirmed(check, (above[name] - below[name]) / (2 * small))
        return checks


def _forward_checks_per_component(graph: Graph, values: Mapping[str, Value], wrt: str,
                                  tangents: Mapping[str, Value]) -> dict[str, FiniteDifference]:
    inputs = {name: values[name] for name in graph.inputs}
    point = np.asarray(values[wrt], dtype=float)
    h = step_size(point)
    columns: dict[str, list[Value]] = {name: [] for name in graph.operations}
    floors: dict[str, list[Value]] = {name: [] for name in graph.operations}
    with np.errstate(all="ignore"):
        for index in range(point.size):
            above, below = point.copy(), point.copy()
            above[index] += h[index]
            below[index] -= h[index]
            high = graph.evaluate({**inputs, wrt: above})
            low = graph.evaluate({**inputs, wrt: below})
            for name in graph.operations:
                columns[name].append((np.asarray(high[name]) - np.asarray(low[name])) / (2 * h[index]))
                floors[name].append(resolution(high[name], low[name], h[index]))
        return {name: _check(np.stack(column, axis=-1), tangents[name], np.stack(floors[name], axis=-1))
                for name, column in columns.items()}


def _confirmed(check: FiniteDifference, second: Value) -> FiniteDifference:
    """A mismatch stands only if a much smaller step gives about the same estimate; else no verdict."""
    first, second = np.asarray(check.value, dtype=float), np.asarray(second, dtype=float)
    with np.errstate(all="ignore"):  # relative only: two tiny estimates 1000× apart are not the same estimate
        steady = np.isclose(second, first, rtol=1e-2, atol=0.0) | ((first == 0) & (second == 0))
    return check if bool(np.all(steady)) else FiniteDifference(check.value, None, UNSTEADY)


def _output_with(graph: Graph, values: Mapping[str, Value], name: str, nudged: Value,
                 downstream: list[str]) -> Value:
    """The output with node `name` pinned to `nudged`, recomputing only `downstream` (`_downstream(graph, name)`,
    found once for all of a node's nudges)."""
    changed = {name: nudged}
    overlay = _Overlay(values, changed)
    nodes, index, identities = graph.nodes, graph.index, graph.exact_values
    with np.errstate(all="ignore"):
        for descendant in downstream:
            node = nodes[index[descendant]]
            # A value identity (L = bce_logit(h, y) for L = bce(σ(h), y)) holds unless the node between is nudged.
            identity = identities.get(descendant)
            exact = identity is not None and (name not in node.parents or name in identity.args)
            changed[descendant] = graph.compute_silenced(node, overlay, exact)
    return changed.get(graph.output, values[graph.output])


def _downstream(graph: Graph, name: str) -> list[str]:
    """Every node that depends on `name`, in topological order."""
    seen: set[str] = set()
    stack = list(graph.children[name])
    while stack:
        child = stack.pop()
        if child not in seen:
            seen.add(child)
            stack.extend(graph.children[child])
    return sorted(seen, key=graph.index.__getitem__)


class _Overlay(dict):
    """Values with some entries replaced, without copying the whole mapping per node."""

    def __init__(self, base: Mapping[str, Value], top: Mapping[str, Value]) -> None:
        super().__init__()
        self.base, self.top = base, top

    def __getitem__(self, key: str) -> Value:
        return self.top[key] if key in self.top else self.base[key]


def reverse_checks(graph: Graph, values: Mapping[str, Value], adjoints: Mapping[str, Value],
                   seed: Value = 1.0) -> dict[str, FiniteDifference]:
    """∂out/∂ξ for every node by nudging that node alone and recomputing everything downstream of it.

    The output's change is weighted by the same `seed` as the backward pass (1/n per row for a
    batch's mean loss), so the estimate checks exactly what the adjoints claim.
    """
    checks: dict[str, FiniteDifference] = {}
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            if node.name not in adjoints:
                continue
            adjoint = adjoints[node.name]
            estimate, smallest = _nudged(graph, values, node.name, seed, 1.0)
            check = _check(estimate, adjoint, smallest)
            if check.ok is False:
                check = _check(_refined_estimate(graph, values, node.name, adjoint, seed, estimate), adjoint, smallest)
            if check.ok is False:
                check = _confirmed(check, _nudged(graph, values, node.name, seed, SECOND_STEP)[0])
            checks[node.name] = check
    return checks


REFINEMENTS = (1e-2, 1e-4)
"""Step scales tried in turn where a difference disagrees: a node near the edge of its function's domain
(p = 1 − 2e-6 beside log(1 − p), p = 2e-7 beside log p) curves too fast for the usual step, and a smaller
one tells a wrong derivative (wrong at every step) from a coarse difference."""


def _refined_estimate(graph: Graph, values: Mapping[str, Value], name: str, adjoint: Value,
                      seed: Value, estimate: Value) -> Value:
    """Where the usual step's difference disagrees (per row), the next finer step's, if that one agrees."""
    for scale in REFINEMENTS:
        settled = _close(estimate, adjoint)
        if np.all(settled):
            break
        finer = _nudged(graph, values, name, seed, scale)[0]
        estimate = np.where(settled | ~_close(finer, adjoint), estimate, finer)
        estimate = estimate if np.ndim(estimate) else np.float64(estimate)
    return estimate


def _close(estimate: Value, exact: Value) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.isclose(np.asarray(estimate, dtype=float), np.asarray(exact, dtype=float),
                          rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=True)


def _nudged(graph: Graph, values: Mapping[str, Value], name: str, seed: Value,
            scale: float) -> tuple[Value, Value]:
    """The central difference of the output in node `name` at `scale` times the usual step, and the
    smallest derivative that difference can resolve."""
    if np.ndim(values[name]) and np.shape(values[name]) != np.shape(values[graph.output]):
        return _nudged_components(graph, values, name, seed, scale)
    h = scale * step_size(values[name])
    downstream = _downstream(graph, name)
    above = _output_with(graph, values, name, values[name] + h, downstream)
    below = _output_with(graph, values, name, values[name] - h, downstream)
    estimate, smallest = seed * (above - below) / (2 * h), resolution(above, below, h, seed)
    if np.ndim(values[name]) == 0 and np.ndim(estimate) > 0:
        estimate, smallest = np.sum(estimate), np.sum(smallest)
    return estimate, smallest


def _nudged_components(graph: Graph, values: Mapping[str, Value], name: str, seed: Value,
                       scale: float) -> tuple[Value, Value]:
    """A vector node (slide 14's W): one central difference per component, the others held. Nudging all
    components at once would give the directional derivative along h, divided by each hᵢ: not dL/dWᵢ."""
    value = np.asarray(values[name], dtype=float)
    h = scale * step_size(value)
    estimate, smallest = np.empty(value.shape), np.empty(value.shape)
    downstream = _downstream(graph, name)
    for index in np.ndindex(value.shape):
        above, below = value.copy(), value.copy()
        above[index] += h[index]
        below[index] -= h[index]
        high = _output_with(graph, values, name, above, downstream)
        low = _output_with(graph, values, name, below, downstream)
        estimate[index] = np.sum(seed * (high - low)) / (2 * h[index])
        smallest[index] = np.sum(resolution(high, low, h[index], seed))
    return estimate, smallest
