"""Snapshot tests of the stepper screen at fixed sizes on fixed examples.

Regenerate with `pytest tests/test_snapshots_stepper.py --snapshot-update` after looking at the
change; every key press below says what it does.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from backprop_tui.tui.dialogs.edit import EditScreen

LECTURE_FULL_VALUES = 11
"""Steps of lecture-full's forward pass in reverse mode: one per operation."""


class TestStart:
    def test_lecture_full_ready_to_step(self, snap_compare, lecture_app, size):
        assert snap_compare(lecture_app("lecture-full"), terminal_size=size)


class TestForwardPass:
    def test_middle_of_the_forward_pass(self, snap_compare, lecture_app, size):
        press = ["n"] * 6  # six values stored: ξ1 … ξ6, ξ6 lit with the edge from ξ4
        assert snap_compare(lecture_app("lecture-full"), press=press, terminal_size=size)

    def test_end_of_the_forward_pass(self, snap_compare, lecture_app, size):
        press = ["n"] * LECTURE_FULL_VALUES  # every value stored, L last; no adjoint yet
        assert snap_compare(lecture_app("lecture-full"), press=press, terminal_size=size)


class TestBackwardPass:
    def test_fan_out_sum_being_built_at_xi4(self, snap_compare, lecture_app, size):
        press = [
            *["n"] * LECTURE_FULL_VALUES,  # the forward pass
            "n",  # seed dL/dL = 1
            *["n"] * 7,  # adjoints of Lᴮ, Lᴬ, ξ8, ξ7, ξ6, ξ5, then ξ4 (from ξ5)
            "n",  # ξ4's second contribution, from ξ6: -1.00012341 + 0
        ]
        assert snap_compare(lecture_app("lecture-full"), press=press, terminal_size=size)

    def test_end_of_the_backward_pass(self, snap_compare, lecture_app, size):
        press = ["end"]  # the last step: dL/dX; y shows its two contributions summed
        assert snap_compare(lecture_app("lecture-full"), press=press, terminal_size=size)


class TestForwardMode:
    def test_forward_mode_tangents_fill_top_down(self, snap_compare, lecture_app, size):
        press = [
            "m",  # switch to forward mode (d/dW), back at the start
            "n", "n", "n",  # values and tangents of ξ1, ξ2, ξ3
        ]
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=size)


class TestBasicFunctions:
    def test_basic_functions_dialog(self, snap_compare, lecture_app, size):
        press = ["f"]  # slide 67: this graph's own six functions beside their derivatives, and as Python
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=size)

    def test_basic_functions_dialog_80_by_24(self, snap_compare, lecture_app, small):
        press = ["f"]  # the graph's own functions, scrolling in a small terminal
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=small)

    def test_f_again_lists_every_primitive(self, snap_compare, lecture_app, size):
        press = ["f", "f"]  # one key further: every basic function the engine knows
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=size)

    def test_y_flipped_to_0_the_lb_half_carries_the_gradient(self, snap_compare, lecture_app, size):
        press = ["y", "end"]  # y = 0: Lᴬ is 0, dL/dW comes from the Lᴮ half; the last step
        assert snap_compare(lecture_app("lecture-full"), press=press, terminal_size=size)


class TestHelp:
    def test_help_screen(self, snap_compare, lecture_app, size):
        press = ["question_mark"]  # open the help screen
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=size)


class TestEdit:
    def test_invalid_expression_is_refused_inline_and_notified(self, snap_compare, lecture_app, size):
        async def run_before(pilot: Pilot) -> None:
            await pilot.press("e")  # open the edit form
            form = pilot.app.screen
            form.query_one(f"#{EditScreen.EXPRESSION_ID}", Input).value = "1 +* x"  # a bad expression
            await pilot.pause()
            await pilot.press("enter")  # try to apply it: refused, with a notification
            await pilot.pause()

        assert snap_compare(lecture_app("lecture"), run_before=run_before, terminal_size=size)


class TestSmallTerminal:
    def test_80_by_24_in_the_backward_pass(self, snap_compare, lecture_app, small):
        press = ["n"] * 9  # lecture: six values, the seed, ∂L/∂ξ5 and ∂L/∂ξ4
        assert snap_compare(lecture_app("lecture"), press=press, terminal_size=small)

    def test_smaller_than_80_by_24_asks_for_a_larger_window(self, snap_compare, lecture_app):
        assert snap_compare(lecture_app("lecture"), terminal_size=(70, 20))


MLP_VALUES = 7
"""Steps of the slides' 1-2-1 network's forward pass: z1, h1, z2, h2, q, p, L."""
DEEP_VALUES = 67
"""Steps of mlp-16-16's forward pass: 32 + 32 neurons' nodes, then q, p and L."""


class TestScale:
    def test_1_16_16_1_opens_collapsed_to_layers(self, snap_compare, lecture_app, size):
        assert snap_compare(lecture_app("mlp-16-16"), terminal_size=size)

    @pytest.mark.slow  # hundreds of key presses through the 1-16-16-1 network
    def test_1_16_16_1_collapsed_inside_the_second_hidden_layer_going_back(self, snap_compare, lecture_app, size):
        press = [
            *["n"] * DEEP_VALUES,  # the forward pass, every layer's values stored
            "n",  # seed ∂L/∂L = 1
            "n", "n",  # ∂L/∂p, ∂L/∂q
            *["n"] * 17,  # the 17 output parameters W3[1,16] … b3[1]
            *["n"] * 18,  # h2[16], z2[16] … h2[8], z2[8]: the second hidden layer, two steps a neuron
            "n",  # ∂L/∂h2[7] from q: the edge from layer 3 back into layer 2 is lit
        ]
        assert snap_compare(lecture_app("mlp-16-16"), press=press, terminal_size=size)

    def test_mlp_fan_out_sum_at_x_from_the_hidden_layer(self, snap_compare, lecture_app, size):
        press = [
            *["n"] * MLP_VALUES,  # the forward pass
            "n",  # seed ∂L/∂L = 1
            *["n"] * 14,  # adjoints of p, q, h2, z2, h1, z1, the six weights and y
            "n",  # ∂L/∂X from z1: its first contribution
            "n",  # ∂L/∂X += from z2: the sum -0.268941421 + 0.268941421 = 0
        ]
        assert snap_compare(lecture_app("mlp"), press=press, terminal_size=size)


class TestBigGraph:
    def test_a_graph_past_the_limit_shows_windows_around_the_step(self, snap_compare, size):
        from backprop_tui.core.stepping.problem import build_problem
        from backprop_tui.tui.app import BackpropApp

        app = BackpropApp(build_problem(None, "+".join(["X"] * 600), "X=1"))
        press = ["end", *["p"] * 3]  # the backward pass's last steps: X's sum of 599 contributions
        assert snap_compare(app, press=press, terminal_size=size)
