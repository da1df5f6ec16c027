"""Cost grows linearly with the graph: what each part builds is counted, never timed.

`X+X+…` is the hostile case: one input feeding every node, so its adjoint is a sum of n terms and
its edges pass every column of the drawing. Each test counts the work one part does (rows built,
steps described, boxes laid out, rows a key press looks at) or its traced memory, at two sizes.
"""

from __future__ import annotations

import tracemalloc

import pytest

from backprop_tui.core.engine.parser import graph_from_expression
from backprop_tui.core.layout.placement import layout_dag
from backprop_tui.core.layout.window import SHOW_WHOLE_LIMIT, WINDOW_RADIUS, graph_window, needs_window
from backprop_tui.core.stepping.export import export_table
from backprop_tui.core.stepping.problem import build_problem, split_assignments
from backprop_tui.core.stepping.steppers import ReverseStepper, Stepper, make_stepper


def fan_out(terms: int) -> str:
    return "+".join(["X"] * terms)


def counting(monkeypatch, owner: type, method: str) -> list[object]:
    """Record every call of `owner.method` (its first argument after self) and still run it."""
    calls: list[object] = []
    original = getattr(owner, method)

    def counted(self, *args, **kwargs):
        calls.append(args[0] if args else None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, counted)
    return calls


def test_the_fan_out_sum_is_exact_at_ten_thousand_terms():
    final = ReverseStepper(graph_from_expression(fan_out(10_000)), {"X": 1.0}).final()
    row = final.row("X")
    assert row.accumulated == 10_000.0
    assert len(row.contributions) == 9_999  # ξ1 = X+X sends one contribution of 2


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_a_stepper_describes_a_step_only_when_it_is_shown(monkeypatch, mode):
    built = counting(monkeypatch, Stepper, "_build_step")
    stepper = make_stepper(mode, graph_from_expression(fan_out(2_000)), {"X": 1.0}, "X")
    assert built == []
    export_table(stepper, build_problem(None, fan_out(3), "X=1").source, "json")
    assert sorted(built) == [len(stepper) - 1]  # the last step, which the final snapshot names
    stepper.snapshot(5)
    assert sorted(built) == [5, 6, len(stepper) - 1]  # step 5 and the next step's formula


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_the_next_snapshot_rebuilds_only_the_rows_its_step_changed(monkeypatch, mode):
    stepper = make_stepper(mode, graph_from_expression(fan_out(2_000)), {"X": 1.0}, "X")
    rows = counting(monkeypatch, type(stepper), "_row_at")
    stepper.snapshot(len(stepper) // 2)
    rows.clear()
    for index in range(len(stepper) // 2 + 1, len(stepper) // 2 + 40):
        before = stepper.snapshot(index - 1)
        after = stepper.snapshot(index)
        changed = [new.name for new, old in zip(after.rows, before.rows, strict=True) if new is not old]
        assert changed == [after.node]
    assert len(rows) == 39


def test_stepping_through_incrementally_lands_on_the_snapshots_built_from_scratch():
    graph = graph_from_expression("x*x + x*y + sin(x*y) + x")
    walked = make_stepper("reverse", graph, {"x": 0.5, "y": 2.0})
    snapshots = [walked.snapshot(index) for index in range(len(walked))]
    for index in reversed(range(len(walked))):
        fresh = make_stepper("reverse", graph, {"x": 0.5, "y": 2.0})
        assert fresh.snapshot(index) == snapshots[index]
        assert walked.snapshot(index) == snapshots[index]


def traced_peak(terms: int) -> int:
    problem = build_problem(None, fan_out(terms), "X=1")
    tracemalloc.start()
    try:
        export_table(problem.stepper(), problem.source, "json")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_printing_the_table_takes_memory_linear_in_the_graph():
    small, large = traced_peak(1_000), traced_peak(3_000)
    assert large < 3 * small * 1.25, f"{small / 2**20:.1f} MB at 1000 nodes, {large / 2**20:.1f} MB at 3000"


def test_a_window_of_a_huge_graph_costs_what_a_window_of_a_big_one_does():
    for terms in (1_000, 10_000):
        graph = graph_from_expression(fan_out(terms))
        assert needs_window(graph)
        window = graph_window(graph, "ξ500")
        assert window.first <= graph.index["ξ500"] < window.last
        assert len(window.dag) == 2 * WINDOW_RADIUS + 1 + 2  # the run, X (read by all) and the node before it
        drawing = layout_dag(window.dag, {name: 12 for name in window.names})
        assert len(drawing.boxes) == len(window.dag)
        cells = len(drawing.cells)
        if terms == 1_000:
            first_cells = cells
    assert cells == first_cells


def test_a_window_near_the_end_is_as_big_and_holds_the_node():
    graph = graph_from_expression(fan_out(SHOW_WHOLE_LIMIT + 100))
    window = graph_window(graph, graph.output)
    assert window.last == len(graph) and window.last - window.first == 2 * WINDOW_RADIUS + 1
    assert window.around(len(graph) - 1, 3)
    assert not window.around(window.first + 1, 3)
    assert window.names[0] == "X"


@pytest.mark.parametrize(("text", "parts"), [
    ("X=3,y=1,W=3", ["X=3", "y=1", "W=3"]),
    ("W1[2,1]=0.5,b=1", ["W1[2,1]=0.5", "b=1"]),
    ("a=1],b=2", ["a=1]", "b=2"]),
    ("a[1,2=3", ["a[1", "2=3"]),
    ("", [""]),
])
def test_assignments_split_at_commas_outside_brackets(text, parts):
    assert split_assignments(text) == parts


def test_splitting_many_assignments_reads_each_character_a_bounded_number_of_times():
    class Counted(str):
        reads = 0

        def __getitem__(self, key):
            Counted.reads += 1
            return str.__getitem__(self, key)

    for count in (1_000, 4_000):
        text = Counted(",".join(f"W[{i},{i}]=1" for i in range(count)))
        Counted.reads = 0
        assert len(split_assignments(text)) == count
        assert Counted.reads <= 2 * len(text)


def test_a_graph_with_thousands_of_inputs_builds_and_prints():
    terms = 3_000
    problem = build_problem(None, "+".join(f"x{i}" for i in range(terms)),
                            ",".join(f"x{i}={i % 7}" for i in range(terms)))
    final = problem.stepper().final()
    assert final.row("x2999").accumulated == 1.0
    assert final.row(problem.graph.output).value == sum(i % 7 for i in range(terms))
