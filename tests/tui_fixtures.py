"""Fixed problems for the TUI tests: the lecture's examples and a 1-16-16-1 MLP for timing."""

from __future__ import annotations

from backprop_tui.core.engine.graph import GraphBuilder
from backprop_tui.core.stepping.problem import Problem, build_problem
from backprop_tui.core.stepping.table import TableSource
from backprop_tui.tui.backprop_app import BackpropApp

SIZE = (120, 40)
SMALL = (80, 24)


def lecture_app(example: str = "lecture-full", mode: str = "reverse") -> BackpropApp:
    """The app on a lecture example with its default inputs."""
    return BackpropApp(build_problem(example, mode=mode))


def mlp_problem(hidden: tuple[int, int] = (16, 16)) -> Problem:
    """A 1-16-16-1 sigmoid MLP: first-layer weights are inputs, the others constants (about 100 nodes)."""
    b = GraphBuilder()
    x, y = b.input("X"), b.input("y")
    first = []
    for i in range(hidden[0]):
        bias, weight = b.input(f"b{i}"), b.input(f"w{i}")
        first.append(b.op("sigmoid", b.op("affine", bias, weight, x, name=f"z{i}"), name=f"h{i}"))
    second = []
    for j in range(hidden[1]):
        terms: list[str | float] = [0.1 * (j % 3)]
        for i, h in enumerate(first):
            terms += [0.05 * ((i + j) % 5 - 2), h]
        second.append(b.op("sigmoid", b.op("affine", *terms, name=f"u{j}"), name=f"g{j}"))
    out: list[str | float] = [0.2]
    for j, g in enumerate(second):
        out += [0.1 * (j % 4 - 1.5), g]
    p = b.op("sigmoid", b.op("affine", *out, name="q"), name="p")
    b.op("bce", p, y, name="L")
    graph = b.build("L")
    inputs = {"X": 0.5, "y": 1.0}
    for i in range(hidden[0]):
        inputs[f"b{i}"], inputs[f"w{i}"] = 0.1 * (i % 3 - 1), 0.3 * (i % 5 - 2)
    return Problem(TableSource("expr", "1-16-16-1 MLP"), graph, inputs, "w0", "reverse")


async def settle(pilot) -> None:
    """Wait until the app has mounted and every worker (landscape, training) has finished and reported."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pressing(*keys: str):
    """A snapshot `run_before`: let the workers finish, press `keys`, and clear the toasts."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before
