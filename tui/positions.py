"""Each lesson screen's position, as saved between runs: what it is, and how a screen is put back there.

Kept here rather than in the screens so that one module says what "where the student was" means for every
lesson (a screen may still define `resume_position`/`restore_position` itself, which wins). A restore
checks every field and refuses a position of another graph or the wrong type by raising ValueError
(the app then says so once and leaves the screen at its start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from backprop_tui.core.lessons.resume import Position

MAX_REPLAYED_ITERATIONS = 100_000
"""A descent is put back by re-running it (runs are reproducible); more than this would keep the student waiting."""


def _whole(position: Position, key: str, low: int, high: int) -> int:
    value = position.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key} is not a whole number in [{low}, {high}]")
    return value


def _graph_of(screen: Any) -> str:
    source = screen.problem.source
    return f"{source.kind}:{source.text}"[:200]


def _stepper_position(screen: Any) -> Position | None:
    if screen.stepper is None:
        return None
    return {"step": screen.index, "graph": _graph_of(screen), "mode": screen.problem.mode}


def _restore_stepper(screen: Any, position: Position) -> None:
    if screen.stepper is None or position.get("graph") != _graph_of(screen) or \
            position.get("mode") != screen.problem.mode:
        return  # another graph (an edited expression, another example): its step means nothing here
    screen.index = _whole(position, "step", 0, len(screen.stepper) - 1)


def _descent_position(screen: Any) -> Position | None:
    return {"iteration": int(screen.view.iteration)}


def _restore_descent(screen: Any, position: Position) -> None:
    iterations = _whole(position, "iteration", 0, min(MAX_REPLAYED_ITERATIONS, screen.setup.config.iters))
    if iterations:
        screen.change(lambda: screen.driver.step(iterations))


def _two_neurons_position(screen: Any) -> Position | None:
    position: Position = {"part": int(screen.part)}
    for part, iteration in screen.remembered.items():
        position[f"iteration{part}"] = int(iteration)
    return position


def _restore_two_neurons(screen: Any, position: Position) -> None:
    part = _whole(position, "part", 1, 2)
    for key in ("iteration1", "iteration2"):
        if key in position:
            # Set before the part is trained: its result then opens at this iteration instead of its last.
            screen.remembered[int(key[-1])] = _whole(position, key, 0, 10**9)
    screen.part = part


def _hand_position(screen: Any) -> Position | None:
    session = screen.session
    position: Position = {"beta0": session.hand.beta0, "beta1": session.hand.beta1}
    if session.hand_seed is not None:
        position["seed"] = session.hand_seed
    return position


def _restore_hand(screen: Any, position: Position) -> None:
    from backprop_tui.core.lessons.classification import HandParams

    beta0, beta1, seed = position.get("beta0"), position.get("beta1"), position.get("seed")
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (beta0, beta1)):
        raise ValueError("β0 and β1 are not numbers")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ValueError("the seed is not a whole number")
    screen.session.hand = HandParams(float(beta0), float(beta1))  # type: ignore[arg-type]
    screen.session.hand_seed = seed
    screen.show()


CODECS = {
    "StepperScreen": (_stepper_position, _restore_stepper),
    "DescentScreen": (_descent_position, _restore_descent),
    "TwoNeuronsScreen": (_two_neurons_position, _restore_two_neurons),
    "ClassificationScreen": (_hand_position, _restore_hand),
    "LossScreen": (_hand_position, _restore_hand),
}
"""By class name, so this module imports no screen (each is imported only when its lesson is opened)."""


def position_of(screen: Screen[Any] | None) -> Position | None:
    hook = getattr(screen, "resume_position", None)
    if hook is not None:
        return hook()
    codec = CODECS.get(type(screen).__name__)
    return codec[0](screen) if codec is not None else None


def restore(screen: Screen[Any] | None, position: Position) -> None:
    hook = getattr(screen, "restore_position", None)
    if hook is not None:
        hook(position)
        return
    codec = CODECS.get(type(screen).__name__)
    if codec is not None:
        codec[1](screen, position)
