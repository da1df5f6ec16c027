"""The chain-rule chapter (slides 26-29): every number checked against sympy or mpmath, computed here."""

from __future__ import annotations

import dataclasses
import re

import mpmath
import numpy as np
import pytest
import sympy as sp

from backprop_tui.core.lessons import chain_graphs as cg
from backprop_tui.core.lessons.chain_rule import (
    ChainStep,
    least_squares,
    lesson_pages,
    summed_gradient,
)

NUMBER = r"-?\d[\d.e+-]*"


@pytest.fixture(scope="module")
def pages():
    return {page.id: page for page in lesson_pages()}


def numbers_in(line: str) -> list[float]:
    return [float(text) for text in re.findall(NUMBER, line)]


class TestPages:
    def test_the_chapter_follows_the_lecture_26_27_28_then_29_three_times(self, pages):
        assert [(page.id, page.slides) for page in pages.values()] == [
            ("school", "26"), ("linear", "27"), ("logistic", "28"), ("chain", "29"), ("long-chain", "29"),
            ("vector", "29")]

    def test_each_step_adds_lines_to_the_last_and_steps_are_immutable(self, pages):
        for page in pages.values():
            for before, after in zip(page.steps, page.steps[1:], strict=False):
                assert after.lines[:len(before.lines)] == before.lines
                assert len(after.lines) > len(before.lines)
            with pytest.raises(dataclasses.FrozenInstanceError):
                page.steps[0].lines = ()  # type: ignore[misc]
        assert isinstance(pages["chain"].steps[0], ChainStep)

    def test_the_graph_pages_carry_a_snapshot_at_every_step_and_the_text_pages_none(self, pages):
        for name in ("chain", "long-chain", "vector"):
            assert pages[name].graph is not None
            assert all(step.snapshot is not None for step in pages[name].steps)
        for name in ("school", "linear", "logistic"):
            assert pages[name].graph is None and all(step.snapshot is None for step in pages[name].steps)


class TestSchool:
    def test_each_rule_s_slope_at_2_is_sympy_s(self, pages):
        x = sp.Symbol("x")
        truths = [x**2, sp.exp(x), sp.log(x), sp.sin(x), 1 / x, 1 / (1 + sp.exp(-x))]
        lines = pages["school"].steps[-1].lines
        for line, expression in zip(lines, truths, strict=False):
            shown = float(line.rsplit(": ", 1)[1])
            assert shown == pytest.approx(float(sp.diff(expression, x).subs(x, 2)), rel=1e-8), line


class TestRegressions:
    def test_the_closed_form_is_numpys_least_squares_fit(self):
        fit = least_squares(cg.POINTS_X, cg.POINTS_Y_LINEAR)
        slope, intercept = np.polyfit(cg.POINTS_X, cg.POINTS_Y_LINEAR, 1)
        assert fit.beta1 == pytest.approx(slope, rel=1e-12)
        assert fit.beta0 == pytest.approx(intercept, abs=1e-12)
        assert (fit.beta1, fit.beta0) == pytest.approx((2.03, -0.11))

    def test_the_engine_s_derivatives_vanish_at_the_fit_and_match_sympy_elsewhere(self):
        b0, b1 = sp.symbols("b0 b1")
        f = sum((float(y) - b0 - b1 * float(x)) ** 2 for x, y in zip(cg.POINTS_X, cg.POINTS_Y_LINEAR, strict=True))
        fit = least_squares(cg.POINTS_X, cg.POINTS_Y_LINEAR)
        total, d0, d1 = summed_gradient(cg.squared_error_graph(), cg.POINTS_Y_LINEAR, fit.beta0, fit.beta1)
        assert abs(d0) < 1e-12 and abs(d1) < 1e-12
        assert total == pytest.approx(float(f.subs({b0: fit.beta0, b1: fit.beta1})), rel=1e-12)
        _, d0, d1 = summed_gradient(cg.squared_error_graph(), cg.POINTS_Y_LINEAR, 0.5, 1.0)
        point = {b0: 0.5, b1: 1.0}
        assert (d0, d1) == pytest.approx((float(sp.diff(f, b0).subs(point)), float(sp.diff(f, b1).subs(point))))

    def test_the_logistic_derivatives_at_slide_27_s_answer_are_mpmath_s_and_not_zero(self, pages):
        guess = least_squares(cg.POINTS_X, cg.POINTS_Y_CLASS)

        def loss(beta0, beta1):
            total = mpmath.mpf(0)
            for x, y in zip(cg.POINTS_X, cg.POINTS_Y_CLASS, strict=True):
                p = 1 / (1 + mpmath.exp(-(beta0 + beta1 * x)))
                total -= y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p)
            return total

        with mpmath.workdps(40):
            truth0 = mpmath.diff(lambda b: loss(b, guess.beta1), guess.beta0)
            truth1 = mpmath.diff(lambda b: loss(guess.beta0, b), guess.beta1)
        _, d0, d1 = summed_gradient(cg.cross_entropy_graph(), cg.POINTS_Y_CLASS, guess.beta0, guess.beta1)
        assert (d0, d1) == pytest.approx((float(truth0), float(truth1)), rel=1e-12)
        assert abs(d0) > 0.5 and abs(d1) > 0.5
        line = pages["logistic"].steps[-1].lines[3]
        shown = [float(re.search(rf"df/dβ{k} = ({NUMBER})", line).group(1)) for k in (0, 1)]
        assert shown == pytest.approx([float(truth0), float(truth1)], rel=1e-8)


class TestChainRule:
    x, x1, x2 = sp.symbols("x x1 x2")

    def final_number(self, line: str) -> float:
        return float(line.rsplit("= ", 1)[1])

    def test_dz_dx_of_sin_x_squared_is_sympy_s(self, pages):
        truth = float(sp.diff(sp.sin(self.x**2), self.x).subs(self.x, 1.5))
        page = pages["chain"]
        assert page.steps[-1].snapshot.row("x").accumulated == pytest.approx(truth, rel=1e-14)
        product = page.steps[-1].lines[-2]
        assert product.startswith("dz/dx = ∂z/∂y · ∂y/∂x = ")
        assert self.final_number(product) == pytest.approx(truth, rel=1e-8)
        factors = numbers_in(product.split(" = ", 2)[2])[:2]
        assert factors == pytest.approx([float(sp.cos(2.25)), 3.0], rel=1e-8)

    def test_the_long_chain_is_a_product_of_five_local_partials(self, pages):
        expression = sp.log(1 + sp.exp(sp.sin(self.x**2)))
        truth = float(sp.diff(expression, self.x).subs(self.x, 1.5))
        page = pages["long-chain"]
        product = page.steps[-1].lines[-2]
        assert product.count("∂") == 10  # five factors ∂a/∂b
        factors = numbers_in(product.split(" = ", 2)[2])[:5]
        assert float(np.prod(factors)) == pytest.approx(truth, rel=1e-7)
        assert page.steps[-1].snapshot.row("x").accumulated == pytest.approx(truth, rel=1e-14)

    def test_the_vector_form_builds_each_sum_one_term_at_a_time(self, pages):
        z = self.x1 * self.x2 + sp.sin(self.x1) * sp.exp(self.x2)
        at = {self.x1: 1.5, self.x2: 0.5}
        truth = {name: float(sp.diff(z, symbol).subs(at)) for name, symbol in (("x1", self.x1), ("x2", self.x2))}
        page = pages["vector"]
        for name, value in truth.items():
            seen = [len(step.snapshot.row(name).contributions) for step in page.steps]
            assert sorted(set(seen)) == [0, 1, 2]  # nothing, then one term, then the sum of two
            assert seen == sorted(seen)
            assert page.steps[-1].snapshot.row(name).accumulated == pytest.approx(value, rel=1e-14)
        sums = [line for line in page.steps[-1].lines if line.startswith("∂z/∂x")]
        assert len(sums) == 2
        for line in sums:
            name = line[len("∂z/∂"):line.index(" ")]
            assert line.count(")(") == 3  # every j, the one that does not read xᵢ as (·)(0)
            assert "(0)" in line
            assert self.final_number(line) == pytest.approx(truth[name], rel=1e-8)
