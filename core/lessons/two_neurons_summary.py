"""The two-neurons example's headless summary (`backprop-tui descent --example two-neurons`): text and JSON.

What each part reached, from the trained `PartResult`s of `core.lessons.two_neurons`, and why one
sigmoid cannot pass the majority class while two hidden neurons keep the band.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.numbers import format_scalar
from ..training.report import config_document, final_summary
from .two_neurons import CLASS_NAMES, EXAMPLE, PartResult, majority_accuracy, view


def part_document(result: PartResult) -> dict[str, object]:
    """One part as JSON, with the descent command's own `config` and `final` objects."""
    return {"config": config_document(result.setup), "final": final_summary(result.run),
            "stopped": result.stopped, "iterations": result.iterations}


def summary_document(one: PartResult, two: PartResult) -> dict[str, object]:
    return {"example": EXAMPLE, "majority_accuracy": majority_accuracy(one.setup),
            "parts": {"one_neuron": part_document(one), "two_neurons": part_document(two)}}


def _assignments(names: Sequence[str], values: Sequence[float], digits: int = 6) -> str:
    return ", ".join(f"{name} = {format_scalar(value, digits)}" for name, value in zip(names, values, strict=True))


def recipe_text(result: PartResult) -> str:
    """`full batch · η = 0.5 · up to 1000 iterations`: how the part was trained."""
    config = result.setup.config
    return f"{result.run.optimizer.label} · η = {config.lr:g} · up to {config.iters} iterations"


def stopped_text(result: PartResult) -> str:
    if result.stopped == "converged":
        return f"converged after {result.iterations} iterations (‖g‖ < {result.run.tolerance:g})"
    if result.stopped == "diverged":
        return f"diverged at iteration {result.iterations}"
    return f"after {result.iterations} iterations (the recipe's limit)"


def summary_lines(one: PartResult, two: PartResult) -> list[str]:
    """The headless summary: what each part reached, and why the first cannot pass the majority class."""
    majority = majority_accuracy(one.setup)
    common = CLASS_NAMES[int(np.mean(one.setup.data.y) > 0.5)]  # type: ignore[union-attr]
    feature = one.setup.data.features[0]  # type: ignore[union-attr]
    lines = [f"two neurons (slides 54-59) · {one.setup.title}",
             f"always predicting \"{common}\": accuracy {100 * majority:.1f}%"]
    for number, result in enumerate((one, two), start=1):
        last = view(result, result.iterations)
        model = result.run.objective.model
        lines += ["",
                  f"part {number} · {model.title} · {recipe_text(result)}",
                  f"  start: {_assignments(model.params, model.start)}",
                  f"  stopped: {stopped_text(result)}",
                  f"  accuracy {100 * result.accuracy:.1f}% · loss {format_scalar(result.loss, 6)} · "
                  f"predicts disease for {last.predicted_disease} of {len(result.setup.data)} rows",  # type: ignore[arg-type]
                  f"  in {feature} units: {_assignments(model.params, last.raw_params)}"]
        if len(last.crossings) == 1:
            low, high = float(last.curves.maxhr[0]), float(last.curves.maxhr[-1])
            where = "outside" if not low <= last.crossings[0] <= high else "inside"
            lines.append(f"  p = ½ at {feature} ≈ {last.crossings[0]:.1f}, {where} the data ({low:.0f}–{high:.0f}): "
                         f"one sigmoid steps once, so it cannot keep a band")
        else:
            first, second = ("on" if up else "off" for up in last.rising)
            band = last.rising == (True, False) and 0 < last.predicted_disease < len(result.setup.data)  # type: ignore[arg-type]
            output = "the output keeps the band between them" if band else "the output neuron weighs the two"
            lines.append(f"  h1 switches {first} above {feature} ≈ {last.crossings[0]:.1f}, h2 switches {second} "
                         f"above ≈ {last.crossings[1]:.1f}: {output}")
    return lines
