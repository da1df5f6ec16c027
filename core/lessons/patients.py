"""One patient of the loss lesson (slides 14-17): their loss worked out in words, and the stepper on them.

Picking a patient in the loss table opens the stepper's `neuron` graph (slides 51, 61) with X = that
patient's MaxHR, y = their class and the student's β0, β1, so the backward pass the student walks is
the one for the exact patient the computer got wrong.
"""

from __future__ import annotations

from ..stepping.examples import neuron_graph
from ..stepping.problem import Problem
from ..stepping.table import TableSource
from .classification import Predictions


def patient_problem(predictions: Predictions, index: int) -> tuple[Problem, str]:
    """The stepper's `neuron` graph on one patient at the current β, and the note saying who it is."""
    patient = predictions.patient(index)
    params = predictions.params
    inputs = {"X": patient.x, "y": float(patient.actual), "β0": params.beta0, "β1": params.beta1}
    problem = Problem(TableSource("example", "neuron"), neuron_graph(), inputs, "β1", "reverse")
    verdict = "right" if patient.predicted == patient.actual else "wrong"
    note = (f"Patient {patient.row}: {predictions.feature} = {patient.x:g}, {predictions.target} = "
            f"{predictions.label(patient.actual)}; p̂ = {patient.p:.4g}, predicted "
            f"{predictions.label(patient.predicted)} ({verdict}), Lᵢ = {patient.loss:.4g}")
    return problem, note


def explain_loss(seen: Predictions, index: int) -> str:
    """One patient's loss worked out: which branch of −[y log p̂ + (1−y) log(1−p̂)] their class keeps.

    Where p̂ rounds to 0 or 1 the log form would read log 0, so the logit form that computed it is shown."""
    patient, params = seen.patient(index), seen.params
    logit = params.beta0 + params.beta1 * patient.x
    who = f"Patient {patient.row}: {seen.feature} = {patient.x:g}, {seen.label(patient.actual)} (y = {patient.actual})"
    verdict = "right" if patient.predicted == patient.actual else "wrong"
    said = f"p̂ = {patient.p:.4g} says {seen.label(patient.predicted)} ({verdict})"
    saturated = not 1e-12 < patient.p < 1 - 1e-12
    if saturated:
        form = "log(1 + e^−z)" if patient.actual == 1 else "log(1 + e^z)"
        worked = (f"p̂ rounds to {patient.p:.0f}, so Lᵢ = {form} with z = β0 + β1·x = {logit:.6g}: "
                  f"Lᵢ = {patient.loss:.6g}")
    elif patient.actual == 1:
        worked = f"Lᵢ = −log p̂ = −log {patient.p:.4g} = {patient.loss:.4g}"
    else:
        worked = f"Lᵢ = −log(1 − p̂) = −log(1 − {patient.p:.4g}) = {patient.loss:.4g}"
    return f"{who}. {said}. {worked}."
