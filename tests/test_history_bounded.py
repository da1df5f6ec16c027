"""A bounded history (the headless CLI's): fixed memory however long the run, the latest iterations
exact (so undo is exact), older ones an evenly spaced sample; an unbounded one (the screen's) unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_tui.core.training import history as history_module
from backprop_tui.core.training.data import bundled, load_csv
from backprop_tui.core.training.history import History
from backprop_tui.core.training.models import neuron_model
from backprop_tui.core.training.objective import Objective
from backprop_tui.core.training.optimizers import Optimizer
from backprop_tui.core.training.run import DescentRun, DescentState

BLOCK = 16
RECENT = 64


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 16 rows, staged 4 at a time: a bounded history's every path is reached in a few hundred rows."""
    monkeypatch.setattr(history_module, "BLOCK_ROWS", BLOCK)
    monkeypatch.setattr(history_module, "STAGED_ROWS", 4)


def filled(count: int, bounded: bool = True) -> History:
    history = History(1)
    if bounded:
        history.keep_recent(RECENT)
    for index in range(count):
        history.append(1, index, 1, 0.1, 0.0, float(index), 0.0, 0.0, (float(index),), (0.0,), (0.0,))
    return history


@pytest.mark.usefixtures("small_blocks")
class TestBoundedHistory:
    def test_memory_stays_fixed_however_many_iterations(self) -> None:
        sizes = [filled(count).nbytes for count in (1_000, 10_000, 100_000)]
        bound = (2 * RECENT + 2 * BLOCK) * History(1).width * 8 + 2 * RECENT * 8
        assert all(size <= bound for size in sizes), sizes
        assert filled(10_000, bounded=False).nbytes > 10 * bound

    def test_the_length_still_counts_every_iteration(self) -> None:
        history = filled(10_000)
        assert len(history) == 10_000
        assert history[-1].iteration == 10_000 and history[-1].loss == 9999.0

    def test_the_latest_iterations_are_exact(self) -> None:
        history = filled(10_000)
        for index in range(10_000 - RECENT, 10_000):
            assert history[index].loss == float(index) and history.value(index, "loss") == float(index)

    def test_older_iterations_are_an_evenly_spaced_sample_from_the_first(self) -> None:
        history = filled(10_000)
        kept = history.iterations()
        old = kept[kept < 10_000 - RECENT - BLOCK]
        assert old[0] == 0 and len(old) <= RECENT
        assert len(set(np.diff(old).tolist())) == 1
        assert history.column("loss").tolist() == kept.astype(float).tolist()
        assert history.params_array()[:, 0].tolist() == kept.astype(float).tolist()
        assert [record.iteration for record in history] == (kept + 1).tolist()

    def test_a_thinned_iteration_is_an_index_error_that_says_so(self) -> None:
        history = filled(10_000)
        missing = next(index for index in range(10_000) if index not in set(history.iterations().tolist()))
        with pytest.raises(IndexError, match=f"iteration {missing + 1} was thinned away"):
            history[missing]

    def test_pop_goes_back_through_the_exact_rows_then_refuses(self) -> None:
        history = filled(1_000)
        popped: list[float] = []
        with pytest.raises(IndexError, match="cannot undo further"):
            while len(popped) < 1_000:
                popped.append(history.pop().loss)
        assert RECENT <= len(popped) < 1_000
        assert popped == [float(index) for index in range(999, 999 - len(popped), -1)]

    def test_clear_keeps_the_bound(self) -> None:
        history = filled(1_000)
        history.clear()
        assert len(history) == 0 and history.bounded
        for index in range(1_000):
            history.append(1, index, 1, 0.1, 0.0, float(index), 0.0, 0.0, (0.0,), (0.0,), (0.0,))
        assert history.nbytes <= filled(1_000).nbytes

    def test_an_unbounded_history_keeps_every_iteration(self) -> None:
        history = filled(1_000, bounded=False)
        assert not history.bounded and history.iterations().tolist() == list(range(1_000))
        assert history.column("loss").tolist() == [float(index) for index in range(1_000)]


@pytest.mark.usefixtures("small_blocks")
def test_undo_in_a_bounded_run_returns_exactly_to_each_recent_state() -> None:
    data = load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True)
    optimizer = Optimizer("minibatch", lr=0.3, batch_size=50, momentum=0.8, seed=2)
    bounded, reference = (DescentRun(Objective(neuron_model(1), data), optimizer) for _ in range(2))
    bounded.history.keep_recent(RECENT)
    states: list[DescentState] = []
    for _ in range(300):
        states.append(bounded.current)
        assert bounded.step() == reference.step()
    assert bounded.history.nbytes < reference.history.nbytes / 2
    for expected in reversed(states[-RECENT:]):
        bounded.undo()
        assert bounded.current == expected
