"""Forward against backward mode (slides 70-72): the two columns, the sweeps and the costs, checked against
mpmath's derivatives of the loss written out here and against the steppers' own step counts."""

from __future__ import annotations

import mpmath
import pytest

from backprop_tui.core.lessons.modes_compared import ModesCompared, cost_row, cost_table, weights_of
from backprop_tui.core.stepping.examples import example
from backprop_tui.core.stepping.steppers import make_stepper


def sigma(t):
    return 1 / (1 + mpmath.exp(-t))


def mlp_loss(w: dict) -> mpmath.mpf:
    """The 1-2-1 network of slides 57-59 at X = 0.5, y = 1, written out by hand."""
    x, y = mpmath.mpf("0.5"), 1
    h1 = sigma(w["W10"] + w["W11"] * x)
    h2 = sigma(w["W20"] + w["W21"] * x)
    p = sigma(w["W30"] + w["W31"] * h1 + w["W32"] * h2)
    return -(y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p))


def mlp_truth(weight: str) -> float:
    start = {name: mpmath.mpf(value) for name, value in example("mlp").defaults.items() if name.startswith("W")}
    with mpmath.workdps(40):
        return float(mpmath.diff(lambda t: mlp_loss({**start, weight: t}), start[weight]))


class TestColumns:
    def test_slide_71s_forward_column_ends_with_dl_dw_and_slide_72s_backward_column_agrees(self):
        compared = ModesCompared("lecture")
        final = compared.snapshot(compared.total - 1)
        with mpmath.workdps(40):
            truth = mpmath.diff(lambda w: -mpmath.log(sigma(w * 3)), 3)  # L = −y log σ(WX), X=3, y=1
        rows = {row.name: row for row in final.rows}
        assert float(rows["L"].tangent) == pytest.approx(float(truth), rel=1e-8)
        assert float(rows["W"].adjoint) == pytest.approx(float(truth), rel=1e-8)
        assert float(truth) == pytest.approx(-0.00037018372, abs=1e-11)  # slide 71 prints 0.00037018372 (|·|), cut

    def test_the_tangents_fill_top_down_and_the_adjoints_bottom_up(self):
        compared = ModesCompared("lecture")
        operations = list(compared.graph.operations)
        for index in range(compared.total):
            comparison = compared.snapshot(index)
            rows = {row.name: row for row in comparison.rows}
            with_tangent = [name for name in operations if rows[name].tangent is not None]
            with_adjoint = [name for name in operations if rows[name].adjoint is not None]
            assert with_tangent == operations[:len(with_tangent)]
            assert with_adjoint == operations[len(operations) - len(with_adjoint):]
        first_adjoint = next(i for i in range(compared.total) if compared.snapshot(i).rows[-1].adjoint is not None)
        assert first_adjoint > len(operations)  # the backward pass starts once every value is stored

    def test_the_forward_pass_ends_first_and_says_one_sweep_gave_one_derivative(self):
        compared = ModesCompared("mlp")
        assert len(compared.forward) < len(compared.reverse) == compared.total
        after = compared.snapshot(len(compared.forward))
        assert after.forward_done and not after.reverse_done
        assert "one derivative" in after.forward_text
        assert compared.snapshot(compared.total - 1).reverse_done


class TestSweeps:
    def test_every_weight_of_the_1_2_1_network_by_its_own_forward_sweep_and_by_the_one_backward_sweep(self):
        compared = ModesCompared("mlp")
        final = compared.snapshot(compared.total - 1)
        assert [sweep.weight for sweep in final.sweeps] == ["W10", "W11", "W20", "W21", "W30", "W31", "W32"]
        assert [sweep.forward_sweep for sweep in final.sweeps] == list(range(1, 8))
        for sweep in final.sweeps:
            truth = mlp_truth(sweep.weight)
            assert float(sweep.forward) == pytest.approx(truth, rel=1e-8), sweep.weight
            assert float(sweep.reverse) == pytest.approx(truth, rel=1e-8), sweep.weight
        assert all(sweep.reverse is None for sweep in compared.snapshot(len(compared.forward)).sweeps)

    def test_w_moves_the_forward_column_to_the_next_weight(self):
        compared = ModesCompared("mlp")
        assert compared.wrt == "W11" and compared.next_weight() == "W20"
        moved = compared.with_wrt("W32")
        assert moved.next_weight() == "W10"  # round the list
        final = moved.snapshot(moved.total - 1)
        assert float({row.name: row for row in final.rows}["L"].tangent) == pytest.approx(mlp_truth("W32"), rel=1e-8)
        assert [sweep.shown for sweep in final.sweeps].index(True) == 6


class TestCosts:
    @pytest.mark.parametrize("name", ["lecture", "neuron", "mlp"])
    def test_the_products_counted_are_the_chain_rule_terms_the_steppers_compute(self, name):
        chosen = example(name)
        graph, inputs = chosen.graph(), chosen.defaults
        row = cost_row(name)
        weights = weights_of(graph)
        forward_terms = 0
        for weight in weights:
            stepper = make_stepper("forward", graph, inputs, weight)
            forward_terms += sum(len(terms) for terms in stepper.terms.values())
        reverse = make_stepper("reverse", graph, inputs)
        adjoint_steps = sum(1 for outline in reverse.outline if outline.kind == "adjoint")
        assert (row.forward_products, row.reverse_products) == (forward_terms, adjoint_steps)
        assert (row.forward_sweeps, row.reverse_sweeps) == (len(weights), 1)

    def test_forward_mode_costs_grow_with_the_weights_and_reverse_stays_one_sweep(self):
        rows = cost_table()
        assert [row.weights for row in rows] == sorted(row.weights for row in rows)
        assert [row.weights for row in rows][:3] == [1, 2, 7]
        assert all(row.reverse_sweeps == 1 and row.forward_sweeps == row.weights for row in rows)
        big = rows[-1]
        assert big.forward_products > 4 * big.reverse_products
