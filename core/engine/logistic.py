"""The logistic loss computed from the logit, exact in float64 wherever the true value is finite.

Computing the cross-entropy from the probability p = σ(z) loses everything once σ rounds to exactly
0 or 1 (|z| ≳ 37): log(1 − p) becomes log 0 and 0 · log 0 a NaN, although the true loss
(softplus(z) − y·z) is an ordinary number. Written in terms of the logit, every quantity below uses
only e^−|z|, which never overflows (the gradient's σ(±z) are reciprocals, which take an overflow to its
limit), so no term is ever NaN and nothing cancels for y ∈ {0, 1}:

    softplus(z)       = log(1 + e^z)          = max(z, 0) + log1p(e^−|z|)
    log σ(z)          = −softplus(−z)
    bce_from_logit    = −[y log σ(z) + (1 − y) log(1 − σ(z))] = log1p(e^−|z|) + max(z, 0) − y·z
    ∂/∂z              = σ(z) − y   (as (1 − y)·σ(z) − y·σ(−z), each σ a reciprocal of 1 + a power of e)
    ∂/∂y              = −z

    σ(z)              = 1/(1 + e^−z)         (relative precision everywhere: nothing cancels)
    σ′(z)             = σ(z)·σ(−z) = t/(1 + t)², t = e^−|z|   (never 1 − a rounded σ)

These are the one place the formulas live: the engine's `sigmoid` and `bce_logit` primitives (the
nodes of every classifier graph, so the training loss and the landscape) and the hand lessons'
probabilities and losses (core/lessons/classification.py) all call them.
"""

from __future__ import annotations

import numpy as np

from .numbers import Value

_F64 = np.dtype(np.float64)
_add_rows = np.add.reduce
_ONE = np.array(1.0)
"""1.0 as a float64 array: a ufunc takes it as is, where a Python 1.0 is converted on every call."""
_ONE.flags.writeable = False


def fits_batch(z: object, y: object) -> bool:
    """Whether the in-place batch kernels apply: `z` a float64 batch, `y` a scalar or a batch of its shape."""
    if not (type(z) is np.ndarray and z.dtype is _F64 and z.ndim > 0):  # type: ignore[union-attr]
        return False
    return type(y) is not np.ndarray or (y.dtype is _F64 and y.shape == z.shape)  # type: ignore[union-attr]


def sigmoid_kernel(z: Value) -> Value:
    """σ(z) = 1/(1 + e^−z), without its own errstate (the engine's evaluation holds one): e^1000
    overflows to inf and gives 0, the right limit. 1 + e^−z never cancels, so σ keeps full relative
    precision on both sides (4.248e-18 at z = −40, where ½(1 + tanh(z/2)) rounds to 0). Over a batch
    one array does it all, and exp costs about a third of tanh."""
    if type(z) is np.ndarray and z.dtype is _F64 and z.ndim:
        t = np.negative(z)
        np.exp(t, t)
        np.add(t, _ONE, t)
        np.divide(_ONE, t, t)
        return _subnormal_tail(z, t) if z.size and z.min() < _OVERFLOW_SIDE else t
    z = np.asarray(z, dtype=float)
    out = 1.0 / (1.0 + np.exp(-z))
    return _subnormal_tail(z, out) if np.ndim(z) == 0 and z < _OVERFLOW_SIDE else out


_OVERFLOW_SIDE = -700.0
"""Below this, e^−z is near overflow: 1/(1 + e^−z) gives 0 from z ≈ −709.8 while σ(z) is still a subnormal
double down to z ≈ −745 (σ(−710) = 4.476e-309)."""


def _subnormal_tail(z: Value, out: Value) -> Value:
    """σ(z) = e^z/(1 + e^z) where z < −700: e^z does not overflow there, so the subnormal tail is kept
    (only reached for such z, so the usual batch pays one min())."""
    z = np.asarray(z, dtype=float)
    tail = z < _OVERFLOW_SIDE
    e = np.exp(np.where(tail, z, 0.0))
    return np.where(tail, e / (1.0 + e), out) if np.ndim(out) else np.float64(e / (1.0 + e))


def sigmoid_slope_kernel(z: Value) -> Value:
    """σ′(z) = σ(z)·σ(−z) = t/(1 + t)² with t = e^−|z|, without its own errstate.

    σ(1 − σ) computed from a rounded σ is 0 once σ rounds to 1 (z ≳ 37) and off by 1e-3 relative at
    z = 30; this form keeps full relative precision on both sides (4.248354255291589e-18 at z = ±40)
    and is symmetric, so it needs one exp and no σ at all. tanh′(x) = 4σ′(2x) uses it too."""
    if type(z) is np.ndarray and z.dtype is _F64 and z.ndim:
        t = np.abs(z)
        np.negative(t, t)
        np.exp(t, t)
        square = np.add(t, _ONE)
        np.multiply(square, square, square)
        return np.divide(t, square, t)
    t = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return t / ((1.0 + t) * (1.0 + t))


def sigmoid(z: Value) -> Value:
    """σ(z) for any caller: `sigmoid_kernel` with overflow silenced (it is the right limit, not an error)."""
    with np.errstate(all="ignore"):
        return sigmoid_kernel(z)


def softplus(z: Value) -> Value:
    """log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|)."""
    z = np.asarray(z, dtype=float)
    with np.errstate(all="ignore"):
        return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z: Value) -> Value:
    """log σ(z) = −softplus(−z): finite for every finite z (−1000 at z = −1000, not −inf)."""
    return -softplus(-np.asarray(z, dtype=float))


def bce_from_logit(z: Value, y: Value) -> Value:
    """The binary cross-entropy −[y log σ(z) + (1−y) log(1−σ(z))] of logit `z` and target `y`, per element.

    The hinge max(z, 0) − y·z is formed before the tail is added, so a well-classified row keeps its tiny
    loss (4.2e-18 at z = 40, y = 1) instead of rounding it away against z. A logit that overflowed to ±inf
    (β = 1e308) gets the loss's limit: 0 where it points at the target, inf where it points away, never
    the NaN of inf − inf.
    """
    with np.errstate(all="ignore"):
        if fits_batch(z, y):
            return loss_kernel(z, y)
        z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
        result = np.log1p(np.exp(-np.abs(z))) + (np.maximum(z, 0.0) - y * z)
        if not np.isfinite(np.add.reduce(z, axis=None)):
            result = _infinite_logits(np.array(result, dtype=float), z, y)
    return result if result.ndim else np.float64(result)


def _infinite_logits(result: np.ndarray, z: np.ndarray, y: Value) -> np.ndarray:
    """The loss's limit where the logit itself overflowed to ±inf: 0 where it points at the target (z = +inf,
    y = 1), inf otherwise; the hinge's inf − inf or 0·inf would be NaN there."""
    infinite = np.isinf(z)
    if np.any(infinite):
        z_all, y_all = np.broadcast_arrays(z, y)
        z_inf, y_inf = z_all[infinite], y_all[infinite]
        pointed = ((z_inf > 0) & (y_inf == 1)) | ((z_inf < 0) & (y_inf == 0))
        result[infinite] = np.where(pointed, 0.0, np.inf)
    return result


def bce_logit_gradient(z: Value, y: Value) -> Value:
    """∂ bce_from_logit / ∂z = σ(z) − y, written (1 − y)·σ(z) − y·σ(−z) so nothing cancels when y is 0 or 1.

    With E = e^−z, σ(z) = 1/(1 + E) and σ(−z) = 1/(1 + 1/E): each has full relative precision, and an
    overflowing E (z < −709) or a vanishing one (z > 745) gives the right limit, 0 or 1, not a NaN.
    """
    with np.errstate(all="ignore"):
        if fits_batch(z, y):
            return gradient_kernel(z, y)
        z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
        tail = np.exp(-z)
        result = (1.0 - y) * (1.0 / (tail + 1.0)) - y * (1.0 / (1.0 / tail + 1.0))
    return result if result.ndim else np.float64(result)


# The batch kernels: the same formulas, in the same order of operations (the same bits), in arrays of
# their own. They leave numpy's error state to the caller: the engine evaluates every primitive inside
# one `errstate(all="ignore")` already, and entering it again per call would cost more than the arithmetic
# on a small batch (303 rows).

def loss_kernel(z: np.ndarray, y: Value) -> np.ndarray:
    """`bce_from_logit` over a float64 batch (`fits_batch`), without its own errstate."""
    product = np.multiply(y, z)
    hinge = np.maximum(z, 0.0)
    np.subtract(hinge, product, hinge)  # max(z, 0) − y·z: exact for y ∈ {0, 1}
    tail = np.abs(z, product)           # two arrays in all: a fresh array costs more than a pass over it
    np.negative(tail, tail)
    np.exp(tail, tail)
    np.log1p(tail, tail)
    np.add(tail, hinge, tail)
    # One sum decides whether any logit overflowed (a diverged run): only then is the limit put in.
    return tail if np.isfinite(_add_rows(z, axis=None)) else _infinite_logits(tail, z, y)


def gradient_kernel(z: np.ndarray, y: Value) -> np.ndarray:
    """`bce_logit_gradient` over a float64 batch (`fits_batch`), without its own errstate."""
    tail = np.negative(z)
    np.exp(tail, tail)                # E = e^−z
    up = np.add(tail, 1.0)
    np.divide(1.0, up, up)            # σ(z)
    np.divide(1.0, tail, tail)
    np.add(tail, 1.0, tail)
    np.divide(1.0, tail, tail)        # σ(−z)
    np.multiply(np.subtract(1.0, y), up, up)
    np.multiply(y, tail, tail)
    return np.subtract(up, tail, up)


# The slides' chain p = σ(z), L = bce(p, y), each factor written in the logit so it keeps every digit where
# p rounds to 0 or 1 (the graph's identities, core/engine/identities.py, give the stepper these numbers).

def sigmoid_slope(z: Value) -> Value:
    """∂σ/∂z = σ(z)(1 − σ(z)) as σ(z)·σ(−z): 4.25e-18 at z = 40, where σ(40) rounds to 1 and σ(1 − σ) to 0."""
    z = np.asarray(z, dtype=float)
    with np.errstate(all="ignore"):
        result = (1.0 / (1.0 + np.exp(-z))) * (1.0 / (1.0 + np.exp(z)))
    return result if result.ndim else np.float64(result)


def bce_slope_from_logit(z: Value, y: Value) -> Value:
    """∂L/∂p = −y/p + (1−y)/(1−p) at p = σ(z), as −y(1 + e^−z) + (1−y)(1 + e^z): 1/(1 − p) is 1 + e^z
    (2.35e17 at z = 40, where 1/(1 − p) from the rounded p is 1/0). A term whose coefficient is 0 is 0,
    even where its other factor overflows (y = 1, z = 800)."""
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):
        positive = np.where(y != 0, -y * (1.0 + np.exp(-z)), 0.0)
        negative = np.where(y != 1, (1.0 - y) * (1.0 + np.exp(z)), 0.0)
        result = positive + negative
    return result if result.ndim else np.float64(result)
