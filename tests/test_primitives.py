"""Every primitive's local partials, JVP and VJP against central finite differences, scalar and batched."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.engine.primitives import PRIMITIVES, MissingRuleError, jvp_rule, vjp_rule

# Points inside each primitive's smooth domain (relu away from its kink, log/sqrt/div positive).
SAMPLE_ARGS: dict[str, tuple[float, ...]] = {
    "add": (0.7, -1.3), "sub": (0.7, -1.3), "mul": (0.7, -1.3), "div": (0.7, 1.9), "neg": (0.4,),
    "negmul": (1.2, -0.3), "pow": (1.7, 3.0), "exp": (0.3,), "log": (1.7,), "reciprocal": (1.3,),
    "one_minus": (0.2,), "sin": (0.9,), "cos": (0.9,), "tanh": (0.5,), "sigmoid": (-0.8,), "relu": (0.6,),
    "sqrt": (2.3,), "square": (-1.1,), "affine": (0.5, 1.5, -0.7, 2.0, 0.3), "bce": (0.3, 1.0),
    "bce_logit": (-0.8, 1.0),
    "dot": (1.5, -0.5), "neg_dot": (3.0, 3.0),
}
H = 1e-6


def numeric_partials(name: str, args: tuple[float, ...]) -> list[float]:
    prim = PRIMITIVES[name]
    result = []
    for position in range(len(args)):
        above = list(args)
        below = list(args)
        above[position] += H
        below[position] -= H
        result.append((prim.evaluate(*above) - prim.evaluate(*below)) / (2 * H))
    return result


def test_every_primitive_has_sample_arguments():
    assert set(SAMPLE_ARGS) == set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_local_partials_match_finite_differences(name):
    prim = PRIMITIVES[name]
    args = SAMPLE_ARGS[name]
    out = prim.evaluate(*args)
    exact = prim.partials(args, out)
    for position, estimate in enumerate(numeric_partials(name, args)):
        if position in prim.const_positions:
            continue
        assert exact[position] == pytest.approx(estimate, rel=1e-6, abs=1e-8), (name, position)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_jvp_and_vjp_agree_with_finite_differences(name):
    prim = PRIMITIVES[name]
    args = SAMPLE_ARGS[name]
    out = prim.evaluate(*args)
    numeric = numeric_partials(name, args)
    variable = [position for position in range(len(args)) if position not in prim.const_positions]
    rng = np.random.default_rng(7)
    tangents = [float(rng.normal()) if position in variable else 0.0 for position in range(len(args))]
    expected_jvp = sum(numeric[p] * tangents[p] for p in variable)
    assert jvp_rule(name)(args, out, tangents) == pytest.approx(expected_jvp, rel=1e-6, abs=1e-8)
    adjoint = 0.75
    contributions = vjp_rule(name)(args, out, adjoint)
    assert len(contributions) == len(args)
    for position in variable:
        assert contributions[position] == pytest.approx(adjoint * numeric[position], rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", sorted(set(PRIMITIVES) - {"dot", "neg_dot"}))
def test_elementwise_rules_work_on_batches(name):
    """The same rules run over a batch: each entry equals the scalar computation."""
    prim = PRIMITIVES[name]
    scalar_args = SAMPLE_ARGS[name]
    batch = [np.full(4, value) + (0 if position in prim.const_positions else np.linspace(0, 0.03, 4))
             for position, value in enumerate(scalar_args)]
    batch = [float(value[0]) if position in prim.const_positions else value for position, value in enumerate(batch)]
    out = prim.evaluate(*batch)
    adjoints = vjp_rule(name)(batch, out, np.ones(4))
    for row in range(4):
        row_args = tuple(value if np.ndim(value) == 0 else float(value[row]) for value in batch)
        row_out = prim.evaluate(*row_args)
        assert out[row] == pytest.approx(row_out)
        for position, contribution in enumerate(vjp_rule(name)(row_args, row_out, 1.0)):
            if position not in prim.const_positions:
                assert np.broadcast_to(adjoints[position], (4,))[row] == pytest.approx(contribution)


def test_dot_with_vector_weights_over_a_batch():
    rng = np.random.default_rng(3)
    w = rng.normal(size=3)
    x = rng.normal(size=(5, 3))
    out = PRIMITIVES["dot"].evaluate(w, x)
    np.testing.assert_allclose(out, x @ w)
    adjoint = rng.normal(size=5)
    grad_w, grad_x = vjp_rule("dot")((w, x), out, adjoint)
    np.testing.assert_allclose(np.sum(grad_w, axis=0), x.T @ adjoint)
    np.testing.assert_allclose(grad_x, np.outer(adjoint, w))
    tangent_w = rng.normal(size=3)
    np.testing.assert_allclose(jvp_rule("dot")((w, x), out, (tangent_w, np.zeros((5, 3)))), x @ tangent_w)


def test_partial_formula_text_reads_like_the_lecture():
    from backprop_tui.core.engine import formula as fm

    xi3, xi4 = fm.atom("ξ3"), fm.atom("ξ4")
    assert str(PRIMITIVES["reciprocal"].partial_texts([xi3], xi4)[0]) == "−1/ξ3²"
    assert str(PRIMITIVES["log"].partial_texts([xi4], fm.atom("ξ5"))[0]) == "1/ξ4"
    assert str(PRIMITIVES["exp"].partial_texts([fm.atom("ξ1")], fm.atom("ξ2"))[0]) == "e^ξ1"
    assert str(PRIMITIVES["negmul"].render([fm.atom("y"), fm.atom("ξ5")])) == "−yξ5"


def test_missing_rule_is_a_clear_error():
    with pytest.raises(MissingRuleError, match="no forward-mode"):
        jvp_rule("no-such-primitive")
    with pytest.raises(MissingRuleError, match="no reverse-mode"):
        vjp_rule("no-such-primitive")
