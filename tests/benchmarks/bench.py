"""backprop-tui's benchmark: every figure of the performance budget, measured in one run.

Run `python tests/benchmarks/bench.py` (add `--quick` for the CI smoke run, `--json` for JSON, `--only classroom`
for just the `backprop-tui serve` figures).
Each line is `name value unit`, plus `ratio=…` against a baseline measured in the same process
(or, for the scaling figures, the cost per node at the largest size against the smallest),
and `target=…` where the budget sets one. Medians of repeated runs; stdlib timing only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    ratio: float | None = None
    target: str | None = None
    met: bool | None = None

    def line(self) -> str:
        text = f"{self.name} {self.value:.6g} {self.unit}"
        if self.ratio is not None:
            text += f" ratio={self.ratio:.3f}"
        if self.target is not None:
            text += f" target={self.target} {'met' if self.met else 'NOT MET'}"
        return text


def median_time(function: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def paired_median_times(functions: list[Callable[[], object]], inner: int, rounds: int) -> list[float]:
    """Median seconds per call of each function, timed in turns (`inner` calls each per round), so a
    change in the machine's speed during the run hits all of them alike."""
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(rounds):
        for function, times in zip(functions, samples, strict=True):
            started = time.perf_counter()
            for _ in range(inner):
                function()
            times.append((time.perf_counter() - started) / inner)
    return [statistics.median(times) for times in samples]


def ratio_figure(name: str, seconds: float, baseline_seconds: float, limit: float, strict: bool = False) -> Figure:
    """A time in milliseconds with its ratio to the baseline and whether the budget's limit holds."""
    ratio = seconds / baseline_seconds
    met = ratio < limit if strict else ratio <= limit
    return Figure(name, seconds * 1000, "ms", ratio, f"{'<' if strict else '<='}{limit}", met)


# 1. Start-up -----------------------------------------------------------------------------------------

def startup(pairs: int) -> list[Figure]:
    """Launch to first paint in a 120×40 pseudo-terminal (first_paint.py): `backprop-tui` until the lecture
    graph's first node label is painted, against a bare Textual app until its cell is, alternating."""
    from first_paint import paired_paints_and_cpu

    app, baseline = paired_paints_and_cpu(pairs)
    base = statistics.median(wall for wall, _ in baseline)
    base_cpu = statistics.median(cpu for _, cpu in baseline)
    # The CPU time each launch used up to its paint: the same launches, steadier than the wall clock while
    # other work shares the cores.
    return [Figure("startup_baseline_first_cell", base * 1000, "ms"),
            ratio_figure("startup_to_first_node", statistics.median(wall for wall, _ in app), base, 1.1),
            Figure("startup_baseline_cpu_first_cell", base_cpu * 1000, "ms"),
            ratio_figure("startup_cpu_to_first_node", statistics.median(cpu for _, cpu in app), base_cpu, 1.1)]


# 2. Step latency --------------------------------------------------------------------------------------

async def _press_latency(app_factory: Callable[[], object], presses: int, key: str = "n") -> float:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(presses):
            await pilot.press(key)
            await app.workers.wait_for_complete()  # the descent screen steps in a worker
            await pilot.pause()
        return (time.perf_counter() - started) / presses


def _baseline_app():
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class OneCell(App):
        BINDINGS = [("n", "next", "Next")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("value", key="value")
            for row in range(8):
                table.add_row(str(row), key=str(row))
            self.counter = 0

        def action_next(self) -> None:
            self.counter += 1
            self.query_one(DataTable).update_cell(str(self.counter % 8), "value", str(self.counter))

    return OneCell()


def _stepper_app(example_name: str):
    from backprop_tui.core.stepping.problem import build_problem
    from backprop_tui.tui.app import BackpropApp

    return BackpropApp(build_problem(example_name))


def _descent_app():
    from backprop_tui.core.training.setup import DescentOptions, build, resolve
    from backprop_tui.tui.app import BackpropApp

    return BackpropApp(lesson="descent", descent_setup=build(resolve(DescentOptions())))


def step_latency(presses: int) -> list[Figure]:
    base = asyncio.run(_press_latency(_baseline_app, presses))
    figures = [Figure("step_latency_baseline", base * 1000, "ms")]
    for example_name in ("lecture", "mlp-16-16"):
        value = asyncio.run(_press_latency(lambda name=example_name: _stepper_app(name), presses))
        figures.append(ratio_figure(f"step_latency_{example_name}", value, base, 2.0))
    # One descent iteration (space): the worker's step, then the header, table and four plots redrawn.
    descent = asyncio.run(_press_latency(_descent_app, presses, key="space"))
    figures.append(Figure("step_latency_descent_iteration", descent * 1000, "ms", descent / base))
    return figures


# 3. Scalar graphs -------------------------------------------------------------------------------------

def scalar_graphs(nodes: int, repeats: int) -> list[Figure]:
    from backprop_tui.core.engine.autodiff import forward_tangents, reverse_adjoints
    from backprop_tui.core.engine.graph import GraphBuilder
    from backprop_tui.core.engine.parser import graph_from_expression

    builder = GraphBuilder()
    current = builder.input("x")
    for index in range(nodes):
        current = builder.op("sin" if index % 2 else "tanh", current)
    chain = builder.build()
    wide = graph_from_expression("+".join(["x*y"] * (nodes // 2)))

    def sweep(graph, inputs):
        def run():
            values = graph.evaluate(inputs)
            forward_tangents(graph, values, "x")
            reverse_adjoints(graph, values)
        return run

    figures = [finite_difference_checks(repeats)]
    for label, graph, inputs in (("chain", chain, {"x": 0.3}), ("wide_sum", wide, {"x": 0.3, "y": 1.5})):
        seconds = median_time(sweep(graph, inputs), repeats)
        figures.append(Figure(f"scalar_{label}_forward_reverse", len(graph) / seconds, "nodes/s"))
    expression = "+".join(f"sin(x*{index % 9 + 1})" for index in range(nodes // 10))[: nodes]
    expression = expression[: expression.rfind("+")]
    seconds = median_time(lambda: graph_from_expression(expression), repeats)
    figures.append(Figure(f"parse_build_{len(expression)}_chars", seconds * 1000, "ms"))
    return figures


def finite_difference_checks(repeats: int) -> Figure:
    """The reverse stepper of `X+X+…` at 399 nodes, just under the limit where the finite differences stop: each
    node nudged twice and everything downstream recomputed, quadratic in the chain's length."""
    from backprop_tui.core.stepping.problem import build_problem

    problem = build_problem(None, "+".join(["X"] * 399), "X=1")
    return Figure("reverse_stepper_with_finite_differences_399_nodes", median_time(problem.stepper, repeats) * 1000,
                  "ms")


# 4. Engine ----------------------------------------------------------------------------------------------

LEARNING_RATE = 0.5


def _heart():
    from backprop_tui.core.training.data import bundled, load_csv

    return load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True)


def _synthetic(rows: int):
    """`rows` of one standardised feature and a 0/1 target drawn from a logistic model (seeded)."""
    import numpy as np

    from backprop_tui.core.training.data import Dataset

    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 1))
    y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-(0.3 - 0.8 * x[:, 0])))).astype(float)
    return Dataset("synthetic", ("x",), "y", x, x, y, 0, None, ("0", "1"))


def _hand_iteration(x, y) -> Callable[[], object]:
    """The same iteration written out in numpy: forward, loss, gradient of the mean loss, update."""
    import numpy as np

    beta = [0.0, 0.0]

    def iteration() -> float:
        b0, b1 = beta
        z = b0 + b1 * x
        p = 1 / (1 + np.exp(-z))
        loss = np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
        g0 = np.mean(p - y)
        g1 = np.mean((p - y) * x)
        beta[0] = b0 - LEARNING_RATE * g0
        beta[1] = b1 - LEARNING_RATE * g1
        return float(loss)

    return iteration


def _torch_iteration(x, y) -> Callable[[], object] | None:
    """The same iteration with torch autograd (float64 tensors), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    beta = torch.zeros(2, dtype=torch.float64, requires_grad=True)

    def iteration() -> float:
        z = beta[0] + beta[1] * tx
        p = 1 / (1 + torch.exp(-z))
        loss = torch.mean(-(ty * torch.log(p) + (1 - ty) * torch.log(1 - p)))
        loss.backward()
        with torch.no_grad():
            beta.sub_(LEARNING_RATE * beta.grad)
        beta.grad = None
        return float(loss)

    return iteration


def engine(rows: int, repeats: int) -> list[Figure]:
    """One full-batch descent iteration of logistic regression, as `DescentRun.step()` does it: the
    compiled forward and reverse pass over the batch (the gradient of the mean loss), the update, the
    history row and the verdict; on full batch the loss comes with the gradient, nothing is recomputed."""
    import numpy as np

    from backprop_tui.core.training.models import neuron_model
    from backprop_tui.core.training.objective import Objective
    from backprop_tui.core.training.optimizers import Optimizer
    from backprop_tui.core.training.run import DescentRun

    figures = []
    for label, data, limit, inner, rounds in (("heart_303", _heart(), 2.0, 200, 5 * repeats),
                                               (f"synthetic_{rows}", _synthetic(rows), 1.3, 1, 3 * repeats)):
        x, y = np.ascontiguousarray(data.X[:, 0]), data.y
        run = DescentRun(Objective(neuron_model(1), data), Optimizer("gd", lr=LEARNING_RATE), tolerance=0.0)
        functions = [run.step, _hand_iteration(x, y)]
        torch_iteration = _torch_iteration(x, y)
        if torch_iteration is not None:
            functions.append(torch_iteration)
        for function in functions:
            function()  # warm up: first calls allocate and fill caches
        ours, hand, *torch = paired_median_times(functions, inner, rounds)
        figures.append(Figure(f"engine_numpy_by_hand_{label}", hand * 1000, "ms"))
        figures.append(ratio_figure(f"engine_gd_iteration_{label}", ours, hand, limit))
        if torch:
            figures.append(Figure(f"engine_torch_autograd_{label}", torch[0] * 1000, "ms"))
            figures.append(ratio_figure(f"engine_gd_vs_torch_{label}", ours, torch[0], 1.0, strict=True))
        else:
            print(f"engine_torch_autograd_{label} skipped: torch is not installed", file=sys.stderr)
    return figures


# 5. Memory ----------------------------------------------------------------------------------------------

def memory(iterations: int) -> list[Figure]:
    """Peak traced memory of a descent run from loading the data to its last iteration: full-batch
    descent of figure 3's logistic regression on the Heart data, told never to stop (tolerance 0)."""
    import tracemalloc

    from backprop_tui.core.training.models import neuron_model
    from backprop_tui.core.training.objective import Objective
    from backprop_tui.core.training.optimizers import Optimizer
    from backprop_tui.core.training.run import DescentRun

    tracemalloc.start()
    try:
        data = _heart()
        run = DescentRun(Objective(neuron_model(1), data), Optimizer("gd", lr=LEARNING_RATE), tolerance=0.0)
        stopped = run.run(iterations)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if stopped != "iterations" or len(run.history) != iterations:
        raise RuntimeError(f"the memory run stopped early: {stopped} after {len(run.history)} iterations")
    megabytes = peak / 2**20
    return [Figure(f"memory_peak_{iterations}_iterations", megabytes, "MB", target="<50", met=megabytes < 50)]


def _cli_peak_megabytes(argv: list[str]) -> float:
    """Peak RSS of `backprop-tui ARGV > /dev/null`, measured by a fresh parent whose only child it is."""
    probe = ("import resource, subprocess, sys; "
             "subprocess.run([sys.executable, '-m', 'backprop_tui.tui.cli.main', *sys.argv[1:]], "
             "stdout=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    kilobytes = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True)
    return int(kilobytes.stdout) / 1024


def bounded_run_memory(iterations: int) -> list[Figure]:
    """Peak RSS of a headless run of `iterations` printed as CSV, and its growth over a run ten times
    shorter: the history is bounded, so a long run must take no more memory than a short one."""
    def peak(count: int) -> float:
        return _cli_peak_megabytes(["descent", "--example", "minima", "--lr", "1e-9", "--iters", str(count),
                                    "--format", "csv"])

    short, long = peak(iterations // 10), peak(iterations)
    growth = long - short
    return [Figure(f"descent_cli_peak_rss_{iterations}_iterations", long, "MB"),
            Figure(f"descent_cli_rss_growth_{iterations // 10}_to_{iterations}_iterations", growth, "MB",
                   ratio=long / short, target="<10", met=growth < 10)]


# 6. Classroom: serve_classroom.py ----------------------------------------------------------------------

# 7. Big graphs ----------------------------------------------------------------------------------------

def _big_graph(which: str, terms: int) -> dict[str, float]:
    """One figure of big_graph.py, measured in a fresh process so its peak memory is its own."""
    done = subprocess.run([sys.executable, str(HERE / "big_graph.py"), which, str(terms)], check=True,
                          capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def big_graphs(terms: int, repeats: int) -> list[Figure]:
    """`table --format json` and the TUI's first paint on `X+X+…` with `terms` terms (one input feeding
    every node), from process start: medians of `repeats` runs, peak resident memory of the worst."""
    figures = []
    for which, label, seconds_limit, megabytes_limit in (("table", "table_json", 1.0, 200),
                                                          ("paint", "tui_first_paint", 2.0, 300)):
        runs = [_big_graph(which, terms) for _ in range(repeats)]
        seconds = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        peak = max(run["peak_mb"] for run in runs)
        figures.append(Figure(f"{label}_{terms}_nodes", seconds * 1000, "ms", target=f"<{seconds_limit * 1000:.0f}",
                              met=seconds < seconds_limit))
        figures.append(Figure(f"{label}_{terms}_nodes_cpu", cpu * 1000, "ms", target=f"<{seconds_limit * 1000:.0f}",
                              met=cpu < seconds_limit))
        figures.append(Figure(f"{label}_{terms}_nodes_peak", peak, "MB", target=f"<{megabytes_limit}",
                              met=peak < megabytes_limit))
    return figures


def big_graph_step_latency(terms: int, presses: int) -> list[Figure]:
    """A key press on the `X+X+…` graph, forward from the start and back from the end, against the baseline."""
    from backprop_tui.core.stepping.problem import build_problem
    from backprop_tui.tui.app import BackpropApp

    problem = build_problem(None, "+".join(["X"] * terms), "X=1")
    base = asyncio.run(_press_latency(_baseline_app, presses))
    forward = asyncio.run(_press_latency(lambda: BackpropApp(problem), presses))
    return [Figure("step_latency_baseline_again", base * 1000, "ms"),
            ratio_figure(f"step_latency_sum_{terms}_nodes", forward, base, 2.0)]


def scaling(sizes: tuple[int, ...]) -> list[Figure]:
    """Parse, step and print the table at each size (once imported): CPU time and traced peak memory,
    and the ratio of the largest size's cost per node to the smallest's (1 for linear growth)."""
    runs = {terms: _big_graph("work", terms) for terms in sizes}
    figures = []
    for terms, run in runs.items():
        figures.append(Figure(f"scaling_{terms}_nodes_cpu", run["cpu"] * 1000, "ms"))
        figures.append(Figure(f"scaling_{terms}_nodes_traced", run["traced_mb"], "MB"))
    small, large = sizes[0], sizes[-1]
    for key, label in (("cpu", "time"), ("traced_mb", "memory")):
        ratio = (runs[large][key] / large) / (runs[small][key] / small)
        figures.append(Figure(f"scaling_{label}_per_node_{large}_vs_{small}", ratio, "x", ratio,
                              "<=1.5", ratio <= 1.5))
    return figures


# 8. Bounds the tests used to time -------------------------------------------------------------------
# Wall-clock bounds do not belong in tests (a busy CI machine fails them, a fast one hides a regression);
# the tests keep the behaviour (the refusal, the exact rows, the step reached) and the time is a figure here.

HOSTILE_EXPRESSIONS = {
    "too_long": "x" * 20_001,
    "deep_parentheses": "(" * 10_000 + "x" + ")" * 10_000,
    "many_signs": "-" * 10_000 + "x",
    "power_tower": "x" + "**x" * 5_000,
    "deep_calls": "exp(" * 5_000 + "x" + ")" * 5_000,
    "constant_powers": "x" + "**2" * 5_000,
}
"""tests/test_parser.py's hostile inputs: each must be refused (a ParseError) in well under a second."""


def parse_hostile(repeats: int) -> list[Figure]:
    """The slowest refusal of a hostile expression, against parsing the lecture's expression in the same process."""
    from backprop_tui.core.engine.parser import ParseError, parse_expression

    def refuse(source: str) -> None:
        try:
            parse_expression(source)
        except ParseError:
            return
        raise RuntimeError(f"a hostile expression was accepted: {source[:40]}…")

    base = median_time(lambda: parse_expression("-y*log(1/(1+exp(-W*X)))"), repeats * 20)
    slowest = max(median_time(lambda source=source: refuse(source), repeats) for source in HOSTILE_EXPRESSIONS.values())
    return [Figure("parse_baseline", base * 1000, "ms"),
            Figure("parse_hostile_slowest", slowest * 1000, "ms", slowest / base, "<1000 ms", slowest < 1.0)]


def csv_load(rows: int, repeats: int) -> list[Figure]:
    """Loading a `rows`-row CSV (tests/test_data.py's file), against reading its lines in the same process.
    The budget is 10 s for a million rows, scaled to `rows`."""
    import tempfile

    import numpy as np

    from backprop_tui.core.training.data import load_csv

    rng = np.random.default_rng(0)
    heart_rates = np.round(rng.normal(150, 20, rows), 1)
    labels = np.where(rng.random(rows) < 0.4, "Yes", "No")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write('"",Age,MaxHR,AHD\n')
            handle.writelines(f'"{row}",50,{rate},{label}\n'
                              for row, (rate, label) in enumerate(zip(heart_rates.tolist(), labels.tolist(),
                                                                      strict=True)))

        def read_lines() -> int:
            with path.open(encoding="utf-8") as handle:
                return sum(1 for _ in handle)

        base = median_time(read_lines, repeats)
        seconds = median_time(lambda: load_csv(path, ["MaxHR"], "AHD", standardize=True), repeats)
    limit = 10.0 * rows / 1_000_000
    return [Figure(f"csv_read_lines_{rows}_rows", base, "s"),
            Figure(f"csv_load_{rows}_rows", seconds, "s", seconds / base, f"<{limit:g} s", seconds < limit)]


async def _cpu_per_press(app, key: str, presses: int, start: Callable[[object], None]) -> float:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start(app.screen)
        await pilot.pause()
        started = time.process_time()
        await pilot.press(*[key] * presses)
        await pilot.pause()
        return (time.process_time() - started) / presses


def big_graph_steps(presses: int) -> list[Figure]:
    """CPU per step on big graphs (tests/test_tui_stepper.py's former bounds): a step back on the 100-node
    MLP (budget 250 ms), and a late step of mlp-16-16 against an early one (budget 2.5× and 250 ms)."""
    sys.path.insert(0, str(HERE.parent))  # tests/, for its support package
    from support.graphs import build_mlp_problem

    from backprop_tui.tui.app import BackpropApp

    def at_end(screen) -> None:  # noqa: ANN001
        screen.index = len(screen.stepper) - 1

    def at(index: int) -> Callable[[object], None]:
        def go(screen) -> None:  # noqa: ANN001
            screen.index = index if index >= 0 else len(screen.stepper) + index
        return go

    mlp = asyncio.run(_cpu_per_press(BackpropApp(build_mlp_problem()), "p", presses, at_end))
    early = asyncio.run(_cpu_per_press(_stepper_app("mlp-16-16"), "n", presses, at(1)))
    late = asyncio.run(_cpu_per_press(_stepper_app("mlp-16-16"), "n", presses, at(-(presses + 5))))
    return [Figure("step_cpu_mlp_100_nodes_back", mlp * 1000, "ms", None, "<250 ms", mlp < 0.25),
            Figure("step_cpu_mlp_16_16_early", early * 1000, "ms"),
            Figure("step_cpu_mlp_16_16_late", late * 1000, "ms", late / early, "<2.5x early and <250 ms",
                   late < 2.5 * early + 0.01 and late < 0.25)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("classroom",), help="measure only this section")
    parser.add_argument("--students", type=lambda text: tuple(int(n) for n in text.split(",")), metavar="N,N,…",
                        help="the classroom sizes to measure (default 1,10,30,100; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (CI): fewer repeats, smaller sizes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    quick = arguments.quick
    started = time.perf_counter()
    figures: list[Figure] = []
    if arguments.only is None:
        figures += startup(pairs=3 if quick else 9)
        figures += step_latency(presses=10 if quick else 60)
        figures += engine(rows=100_000 if quick else 1_000_000, repeats=2 if quick else 5)
        figures += scalar_graphs(nodes=2_000 if quick else 10_000, repeats=2 if quick else 5)
        figures += memory(iterations=2_000 if quick else 100_000)
        figures += bounded_run_memory(iterations=20_000 if quick else 500_000)
        figures += big_graphs(terms=2_000 if quick else 10_000, repeats=1 if quick else 3)
        figures += big_graph_step_latency(terms=2_000 if quick else 10_000, presses=10 if quick else 60)
        figures += scaling(sizes=(500, 1_000, 2_000) if quick else (1_000, 3_000, 10_000))
        figures += parse_hostile(repeats=2 if quick else 5)
        figures += csv_load(rows=100_000 if quick else 1_000_000, repeats=1 if quick else 3)
        figures += big_graph_steps(presses=10 if quick else 40)
    from serve_classroom import classroom  # its own module (it starts servers and speaks websocket)

    figures += classroom(arguments.students or ((1,) if quick else (1, 10, 30, 100)), Figure)
    if arguments.json:
        print(json.dumps({"figures": [asdict(figure) for figure in figures],
                          "seconds": time.perf_counter() - started, "quick": quick}, indent=2))
    else:
        for figure in figures:
            print(figure.line())
        print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
