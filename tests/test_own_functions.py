"""Slide 67 for the graph on screen: its own basic functions, their derivatives and their Python pairs.

The pairs are run here (as slide 67's Python would be) at the lecture's X=3, y=1, W=3 and compared
with mpmath's values of the same closed forms, so a wrong renaming or a wrong pair shows as a wrong
number; the Pilot test walks the dialog's keys from the backprop-table lesson.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from backprop_tui.core.stepping.own_functions import own_functions
from backprop_tui.core.stepping.problem import build_problem


def pairs(example: str) -> dict[str, object]:
    """Every node's Python pair of `example`, defined in one namespace (numpy as np)."""
    namespace: dict[str, object] = {"np": np}
    for item in own_functions(build_problem(example).graph):
        assert item.python is not None, item.node
        exec(item.python, namespace)  # noqa: S102 (the app's own generated text, never user input)
    return namespace


class TestLecture:
    def test_the_six_functions_as_slide_67_writes_them(self):
        items = own_functions(build_problem("lecture").graph)
        assert [item.definition for item in items] == [
            "ξ1 = −WᵀX", "ξ2 = e^ξ1", "ξ3 = 1+ξ2", "ξ4 = 1/ξ3", "ξ5 = log ξ4", "L = −yξ5"]
        assert [item.partials for item in items] == [
            ("∂ξ1/∂W = −X", "∂ξ1/∂X = −W"), ("∂ξ2/∂ξ1 = e^ξ1",), ("∂ξ3/∂ξ2 = 1",), ("∂ξ4/∂ξ3 = −1/ξ3²",),
            ("∂ξ5/∂ξ4 = 1/ξ4",), ("∂L/∂y = −ξ5", "∂L/∂ξ5 = −y")]
        assert items[1].python == "def ξ2(ξ1): return np.exp(ξ1)\ndef d_ξ2(ξ1): return np.exp(ξ1)"

    def test_the_python_pairs_give_the_lectures_numbers(self):
        ns = pairs("lecture")
        x, y, w = 3.0, 1.0, 3.0
        e9 = mpmath.exp(-9)
        xi1 = ns["ξ1"](w, x)
        xi2 = ns["ξ2"](xi1)
        xi3 = ns["ξ3"](xi2)
        xi4 = ns["ξ4"](xi3)
        xi5 = ns["ξ5"](xi4)
        loss = ns["L"](y, xi5)
        truth = [-9, e9, 1 + e9, 1 / (1 + e9), mpmath.log(1 / (1 + e9)), -mpmath.log(1 / (1 + e9))]
        for got, expected in zip([xi1, xi2, xi3, xi4, xi5, loss], truth, strict=True):
            assert float(got) == pytest.approx(float(expected), rel=1e-14)
        assert ns["d_ξ1"](w, x) == (-3.0, -3.0)
        assert float(ns["d_ξ2"](xi1)) == pytest.approx(float(e9), rel=1e-14)
        assert ns["d_ξ3"](xi2) == 1.0
        assert float(ns["d_ξ4"](xi3)) == pytest.approx(float(-1 / (1 + e9) ** 2), rel=1e-14)
        assert float(ns["d_ξ5"](xi4)) == pytest.approx(float(1 + e9), rel=1e-14)
        assert ns["d_L"](y, xi5) == (-xi5, -1.0)
        # the chain of slide 66: dL/dW = ∂L/∂ξ5 · ∂ξ5/∂ξ4 · ∂ξ4/∂ξ3 · ∂ξ3/∂ξ2 · ∂ξ2/∂ξ1 · ∂ξ1/∂W
        chain = ns["d_L"](y, xi5)[1] * ns["d_ξ5"](xi4) * ns["d_ξ4"](xi3) * ns["d_ξ3"](xi2) * ns["d_ξ2"](xi1)
        assert float(chain * ns["d_ξ1"](w, x)[0]) == pytest.approx(float(-3 * e9 / (1 + e9)), rel=1e-13)


class TestOtherGraphs:
    def test_an_affine_node_of_any_width_gets_its_own_pair(self):
        ns = pairs("mlp")
        item = next(item for item in own_functions(build_problem("mlp").graph) if item.node == "q")
        assert item.python.startswith("def q(W30, W31, h1, W32, h2): return W30 + W31 * h1 + W32 * h2")
        assert ns["q"](0.5, 2.0, 0.25, -3.0, 0.75) == pytest.approx(0.5 + 2.0 * 0.25 - 3.0 * 0.75)
        assert ns["d_q"](0.5, 2.0, 0.25, -3.0, 0.75) == (1.0, 0.25, 2.0, 0.75, -3.0)

    def test_every_example_graph_lists_each_operation_once(self):
        from backprop_tui.core.stepping.examples import GRAPH_EXAMPLES

        for name in GRAPH_EXAMPLES:
            graph = build_problem(name).graph
            assert [item.node for item in own_functions(graph)] == list(graph.operations)


class TestDialog:
    async def test_f_shows_the_graphs_own_then_all_then_own_again(self, size):
        from backprop_tui.tui.app import BackpropApp
        from backprop_tui.tui.dialogs.primitives import ALL_ID, OWN_ID, PrimitivesScreen

        app = BackpropApp(lesson="backprop-table")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            lesson = app.screen
            await pilot.press("f")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PrimitivesScreen) and not dialog.showing_all
            own = dialog.query_one(f"#{OWN_ID}")
            text = " ".join(str(widget.render()) for widget in own.query("Static"))
            assert "ξ4 = 1/ξ3    ∂ξ4/∂ξ3 = −1/ξ3²" in text and "def d_ξ4(ξ3): return -(1 / ξ3) ** 2" in text
            await pilot.press("f")
            assert dialog.showing_all and not own.display
            assert dialog.query_one(f"#{ALL_ID}").display
            await pilot.press("f")
            assert not dialog.showing_all and own.display
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is lesson
