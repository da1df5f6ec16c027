"""The lesson map: the lecture's chapters in the lecture's order, each with its slides and what you do there.

One table, read by the map screen, by `backprop-tui lessons` and by `--lesson ID`; a chapter's id is
the public name a student or a teacher types, so ids are kept once published.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.quoting import quoted


@dataclass(frozen=True)
class Lesson:
    """One chapter of the lecture as a place in the app."""

    id: str
    title: str
    slides: str
    doing: str
    """One line on what the student does there."""


LESSONS: tuple[Lesson, ...] = (
    Lesson("classification", "classification, the Heart data, the sigmoid and its two parameters", "4-13",
           "move β0 and β1 by hand and watch the sigmoid shift, steepen and flip over the Heart data"),
    Lesson("loss", "a bad computer: predictions patient by patient, the loss as their average", "14-17",
           "read every patient's prediction and loss; the worst first; step into one patient's backward pass"),
    Lesson("descent", "gradient descent: slope, step, learning rate", "18-25, 33-34",
           "take one step θ ← θ − η·dL/dθ at a time, or run; change η, and the momentum μ (m, slide 34), "
           "and watch the loss, the fit and the path"),
    Lesson("chain-rule", "the chain rule, and why we need a formalism", "26-29",
           "see linear regression solve in closed form and logistic regression not; step the chain rule "
           "through three small graphs, the vector form's sum one term at a time"),
    Lesson("minima", "local and global minima", "35-38",
           "move the start of f(x) = cos(3πx)/x and see which minimum plain gradient descent ends in; "
           "a answers slide 38's \"good strategy?\": several random starts and where each ends"),
    Lesson("batches", "full batch, mini-batch, stochastic", "39-49",
           "switch the batch mode (b) and watch each batch's own loss curve move around the full loss curve"),
    Lesson("perceptron", "the neuron: affine, activation, loss", "14, 50-53",
           "step through h = β0 + β1X, p = σ(h), L = cross-entropy; v: several Heart columns, h = WᵀX"),
    Lesson("two-neurons", "two hidden neurons fit what one cannot", "54-59",
           "train one neuron and then a 1-2-1 network on the altered data; move through the iterations"),
    Lesson("backprop-table", "the chain rule, node by node: the lecture's table (forward mode first, as slide 65)",
           "60-67", "fill the lecture's table for X=3, y=1, W=3, tangents flowing with the values; "
           "f shows this graph's basic functions beside their derivatives (slide 67), f again all of them"),
    Lesson("graph", "the computational graph of the whole loss", "68-69",
           "walk both branches of the loss, Lᴬ and Lᴮ; p feeds both logs, so its derivative is a sum; "
           "y flips y to 0 so the Lᴮ branch carries the gradient"),
    Lesson("forward-backward", "forward mode against backward mode", "70-72",
           "both passes of one graph side by side, dξ/dW filling top-down and dL/dξ bottom-up; "
           "count the sweeps per weight, on the 1-2-1 network too (g)"),
    Lesson("practice", "practice: compute each cell before the app reveals it", "60-72",
           "type each value, local partial and derivative yourself; a hint after a miss; a score per exercise"),
)

LESSON_IDS: tuple[str, ...] = tuple(lesson.id for lesson in LESSONS)


class UnknownLessonError(LookupError):
    """A lesson id that is not on the map; the message lists the ones that are."""


def lesson(lesson_id: str) -> Lesson:
    for candidate in LESSONS:
        if candidate.id == lesson_id:
            return candidate
    raise UnknownLessonError(f"unknown lesson {quoted(lesson_id)}: choose one of {', '.join(LESSON_IDS)}")


def lessons_document() -> list[dict[str, str]]:
    """The map as JSON: `[{"id", "title", "slides", "doing"}]`, in the lecture's order."""
    return [{"id": item.id, "title": item.title, "slides": item.slides, "doing": item.doing} for item in LESSONS]


def lessons_text() -> str:
    """The map as text, one chapter a line: `descent  18-25, 33-34  gradient descent: …`."""
    id_width = max(len(item.id) for item in LESSONS)
    slides_width = max(len(item.slides) for item in LESSONS)
    return "\n".join(f"{item.id.ljust(id_width)}  {item.slides.ljust(slides_width)}  {item.title}"
                     for item in LESSONS)
