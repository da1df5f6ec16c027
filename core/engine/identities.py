"""Identities a graph may declare: numbers its nodes' own rules would round away, written in earlier values.

The slides draw a neuron as h → p = σ(h) → L = bce(p, y), and that is the graph the student steps
through. But p = σ(h) is exactly 1.0 in float64 once h ≳ 37, and everything read from p then rounds:
L = −log p is 0 · log 0, ∂L/∂p = −y/p + (1−y)/(1−p) divides by 0, and the chain rule's product
dL/dp · ∂p/∂h becomes ∞ · 0. Each of these numbers equals, in exact arithmetic, a formula in h that
float64 computes to full precision (L = bce_logit(h, y), dL/dh = p − y = σ(h) − y). An identity
attaches such a formula to one number of one node, so the graph keeps the slide's shape while the
engine computes that number from the identity:

- `value`: the node's value is the primitive `op` applied to `args` (so training may compile the
  node as that primitive: `Graph.fused`);
- `partial`: the local partial ∂node/∂parent is `fn(*args)`;
- `chain`: d node / d `parent` along node ← `via` ← parent is `fn(*args)`; reverse mode sends it
  (times node's adjoint) from `via` to `parent`, forward mode adds it (times parent's tangent) to node
  in place of via's term. It needs `via`'s only child to be node and its only parent to be `parent`.

`text` is what the number is shown as: the partial's formula, or the identity in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .numbers import Value

IdentityKind = Literal["value", "partial", "chain"]


@dataclass(frozen=True)
class Identity:
    """One number of node `node` computed from the values of `args` (see the module's docstring)."""

    node: str
    kind: IdentityKind
    args: tuple[str, ...]
    fn: Callable[..., Value]
    text: str
    parent: str | None = None
    via: str | None = None
    op: str | None = None


def exact_value(node: str, op: str, args: tuple[str, ...], fn: Callable[..., Value], text: str) -> Identity:
    """`node`'s value is the primitive `op` (computed by `fn`) of `args`."""
    return Identity(node, "value", args, fn, text, op=op)


def exact_partial(node: str, parent: str, args: tuple[str, ...], fn: Callable[..., Value], text: str) -> Identity:
    """∂node/∂parent is `fn(*args)`, shown as the formula `text`."""
    return Identity(node, "partial", args, fn, text, parent=parent)


def exact_chain(node: str, via: str, parent: str, args: tuple[str, ...], fn: Callable[..., Value],
                text: str) -> Identity:
    """d node/d parent through `via` is `fn(*args)` (`text` says which identity, e.g. `p − y`)."""
    return Identity(node, "chain", args, fn, text, parent=parent, via=via)
