"""Measure one big-graph figure in a fresh process and print it as one JSON line (used by bench.py).

`python big_graph.py table N` runs `backprop-tui table --expr X+X+…(N terms) --at X=1 --format json`
in a child process, its output thrown away; `python big_graph.py paint N` starts the app on that graph
headless and exits at its first frame; `python big_graph.py work N` times parsing, stepping and
printing the table once the modules are imported, then measures the same work's traced peak memory.
Times count from the process's start for `paint`, and from the child's start to its exit for `table` (what
the user waits for); peak memory is that process's resident peak.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402


def expression(terms: int) -> str:
    """`X+X+…`: one input feeding every node, the fan-out that made the stepper and the layout quadratic."""
    return "+".join(["X"] * terms)


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_table(terms: int) -> dict[str, float]:
    """The command as a user runs it, in a process of its own, timed from its start to its exit (what the user
    waits for: the interpreter's start, the imports, the table, and the process's end), its output thrown away."""
    command = [sys.executable, "-m", "backprop_tui.tui.cli.main", "table", "--expr", expression(terms), "--at", "X=1",
               "--format", "json"]
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        subprocess.run(command, stdout=sink, check=True)
    seconds = time.perf_counter() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu": child.ru_utime + child.ru_stime, "peak_mb": child.ru_maxrss / 1024}


def run_paint(terms: int) -> dict[str, float]:
    from backprop_tui.tui.cli.main import launch

    async def exit_after_first_frame(pilot) -> None:
        await pilot.pause()
        pilot.app.exit()

    launch(["--expr", expression(terms), "--at", "X=1"], headless=True, auto_pilot=exit_after_first_frame,
           size=(120, 40))
    return {"seconds": time.perf_counter() - STARTED, "cpu": time.process_time(), "peak_mb": peak_megabytes()}


def run_work(terms: int) -> dict[str, float]:
    import tracemalloc

    from backprop_tui.core.stepping.export import export_table
    from backprop_tui.core.stepping.problem import build_problem

    def work(size: int = terms) -> None:
        problem = build_problem(None, expression(size), "X=1")
        export_table(problem.stepper(), problem.source, "json")

    work(10)  # warm up: the first call pays for lazy imports and first-use caches
    started, cpu = time.perf_counter(), time.process_time()
    work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "cpu": cpu, "traced_mb": peak / 2**20}


if __name__ == "__main__":
    which, size = sys.argv[1], int(sys.argv[2])
    result = {"table": run_table, "paint": run_paint, "work": run_work}[which](size)
    print(json.dumps(result))
