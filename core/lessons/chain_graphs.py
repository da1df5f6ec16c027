"""The small graphs of slide 29's chain rule, and slide 27-28's two regressions on five points.

Each is an engine graph, so every value and derivative the chain-rule lesson shows comes from the
engine's primitives (their values and local partials), never from a formula written in the lesson.
"""

from __future__ import annotations

import numpy as np

from ..engine.graph import Graph, GraphBuilder

CHAIN_AT = {"x": 1.5}
"""Where the one-input chains are evaluated: x = 1.5, so x² = 2.25 (no special angle, no round number)."""
MULTI_AT = {"x1": 1.5, "x2": 0.5}
"""Where slide 29's vector form is evaluated."""

POINTS_X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
"""Five made-up points for slides 27-28: small enough to add up by hand."""
POINTS_Y_LINEAR = np.array([1.8, 4.1, 5.9, 8.2, 9.9])
"""Slide 27's responses: roughly y = 2x, so the closed form lands near β1 = 2, β0 = 0."""
POINTS_Y_CLASS = np.array([0.0, 0.0, 1.0, 0.0, 1.0])
"""Slide 28's classes: mixed (not separable), so the logistic loss has a finite minimum to look for."""


def two_link_chain() -> Graph:
    """Slide 29: y = g(x) = x², z = f(y) = sin(y), so dz/dx = dz/dy · dy/dx."""
    b = GraphBuilder()
    x = b.input("x")
    y = b.op("square", x, name="y")
    b.op("sin", y, name="z")
    return b.build("z")


def long_chain() -> Graph:
    """Slide 29's longer chain: a = x², b = sin(a), c = e^b, z = log(1 + c): dz/dx is a product of four."""
    b = GraphBuilder()
    x = b.input("x")
    a = b.op("square", x, name="a")
    sine = b.op("sin", a, name="b")
    c = b.op("exp", sine, name="c")
    d = b.op("add", 1, c, name="d")
    b.op("log", d, name="z")
    return b.build("z")


def vector_chain() -> Graph:
    """Slide 29's vector form, y = g(x), z = f(y): y1 = x1·x2, y2 = sin(x1), y3 = e^x2 and
    z = y1 + y2·y3, so ∂z/∂xᵢ = Σⱼ ∂z/∂yⱼ · ∂yⱼ/∂xᵢ has three terms for each xᵢ (one of them 0)."""
    b = GraphBuilder()
    x1, x2 = b.input("x1"), b.input("x2")
    y1 = b.op("mul", x1, x2, name="y1")
    y2 = b.op("sin", x1, name="y2")
    y3 = b.op("exp", x2, name="y3")
    b.op("affine", y1, y2, y3, name="z")
    return b.build("z")


def _one_row(b: GraphBuilder) -> tuple[str, str]:
    """The inputs x, y, β0, β1 and h = β0 + β1x, which slides 27 and 28 share; returns y and h."""
    x, y = b.input("x"), b.input("y")
    beta0, beta1 = b.input("β0"), b.input("β1")
    return y, b.op("affine", beta0, beta1, x, name="h")


def squared_error_graph() -> Graph:
    """Slide 27: one row's (yᵢ − β0 − β1xᵢ)²; over the five points, f is the sum of the rows."""
    b = GraphBuilder()
    y, h = _one_row(b)
    r = b.op("sub", y, h, name="r")
    b.op("square", r, name="f")
    return b.build("f")


def cross_entropy_graph() -> Graph:
    """Slide 28: one row's −[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)] with pᵢ = σ(β0 + β1xᵢ), read from the logit."""
    b = GraphBuilder()
    y, h = _one_row(b)
    b.op("bce_logit", h, y, name="f")
    return b.build("f")
