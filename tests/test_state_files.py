"""State files (issue 22): several processes on one progress file lose nothing, and any bytes in any
state file are one warning and the app goes on (never a crash, a hang or a gigabyte read)."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tui.core.lessons.exercises import EXERCISE_IDS
from backprop_tui.core.lessons.practice import Score
from backprop_tui.core.lessons.progress_store import ProgressStore
from backprop_tui.core.lessons.state_files import MAX_BYTES, StateFileError, read_state

ROUNDS = 15


def _score(percent_first: int) -> Score:
    return Score(percent_first, 0, 10 - percent_first, 10, ())


def _worker(directory: str, own: str, shared: str, rounds: int, barrier) -> None:  # noqa: ANN001 (a Barrier)
    store = ProgressStore(Path(directory))  # one copy loaded at start, as one window of the app
    barrier.wait()
    for round_number in range(rounds):
        store.started(own)
        store.finished(shared, _score(round_number % 11))
    store.finished(own, _score(5))


def test_processes_updating_different_and_the_same_exercises_lose_nothing(tmp_path):
    """Four processes, each with its own exercise and all on one shared one: every record and every finish stays."""
    context = multiprocessing.get_context("spawn")
    owners = EXERCISE_IDS[1:5]
    shared = EXERCISE_IDS[0]
    barrier = context.Barrier(len(owners))
    workers = [context.Process(target=_worker, args=(str(tmp_path), own, shared, ROUNDS, barrier)) for own in owners]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    store = ProgressStore(tmp_path)
    assert store.problem is None
    for own in owners:
        assert (store.record(own).status, store.record(own).finished) == ("done", 1)
    assert store.record(shared).finished == ROUNDS * len(owners)
    assert store.record(shared).best == 100
    assert not list(tmp_path.glob("*.tmp"))


def test_a_write_keeps_what_another_window_wrote_since_this_one_loaded(tmp_path):
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    first.started(EXERCISE_IDS[0])
    second.started(EXERCISE_IDS[1])
    first.finished(EXERCISE_IDS[2], _score(10))
    again = ProgressStore(tmp_path)
    assert [again.record(key).status for key in EXERCISE_IDS[:3]] == ["in progress", "in progress", "done"]
    assert first.record(EXERCISE_IDS[1]).status == "in progress"  # the writer now shows the merged file


def test_records_of_exercises_this_version_does_not_list_are_kept(tmp_path):
    (tmp_path / "practice.json").write_text(json.dumps(
        {"version": 1, "exercises": {"from-a-later-version": {"status": "done", "finished": 3}}}), encoding="utf-8")
    ProgressStore(tmp_path).started(EXERCISE_IDS[0])
    saved = json.loads((tmp_path / "practice.json").read_text(encoding="utf-8"))
    assert saved["exercises"]["from-a-later-version"]["finished"] == 3


HOSTILE_CONTENTS = {
    "random bytes": bytes(range(256)) * 4,
    "latin-1 in last_score": b'{"version": 1, "exercises": {"neuron": {"last_score": "\xe9"}}}',
    "finished 1e400": b'{"version": 1, "exercises": {"neuron": {"finished": 1e400}}}',
    "best as a float": b'{"version": 1, "exercises": {"neuron": {"best": 80.5}}}',
    "seed as a bool": b'{"version": 1, "exercises": {"neuron": {"seed": true}}}',
    "NaN": b'{"version": 1, "exercises": {"neuron": {"finished": NaN}}}',
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"exercises": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_001,
    "a list": b"[]",
    "null": b"null",
    "retry of numbers": b'{"version": 1, "exercises": {"neuron": {"retry": [1, 2]}}}',
    "empty": b"",
}


@pytest.mark.parametrize("name", HOSTILE_CONTENTS)
def test_any_bytes_in_the_progress_file_are_one_problem_and_the_store_goes_on(tmp_path, name):
    path = tmp_path / "practice.json"
    path.write_bytes(HOSTILE_CONTENTS[name])
    store = ProgressStore(tmp_path)
    assert store.records == {}
    problem = store.unsaid_problem()
    assert problem and "\n" not in problem and str(path) in problem
    store.started(EXERCISE_IDS[0])  # in memory; the student's file is left as it was
    assert store.record(EXERCISE_IDS[0]).status == "in progress"
    assert path.read_bytes() == HOSTILE_CONTENTS[name]


def _special_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "practice.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "huge sparse file":
        with path.open("wb") as stream:
            stream.truncate(2 * 1024**3)  # 2 GB that take no disk: only a size check keeps it out of memory
    elif kind == "symlink to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "symlink loop":
        path.symlink_to(path)
    return path


SPECIAL_FILES = ("fifo", "directory", "huge sparse file", "symlink to /dev/zero", "symlink loop")


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_special_files_are_refused_without_reading_them(tmp_path, kind):
    path = _special_file(tmp_path, kind)
    with pytest.raises(StateFileError) as caught:
        read_state(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_practice_status_survives_special_files_with_one_warning(tmp_path, kind):
    """In a child process with a timeout: a FIFO used to hang `--status` forever."""
    (tmp_path / "backprop-tui").mkdir()
    _special_file(tmp_path / "backprop-tui", kind)
    result = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli", "practice", "--status"],
                            env={**os.environ, "XDG_STATE_HOME": str(tmp_path)}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "warning" in result.stderr
    assert result.stdout.splitlines()[0].startswith(EXERCISE_IDS[0])


def test_a_file_just_under_the_cap_is_read(tmp_path):
    path = tmp_path / "state.json"
    text = json.dumps({"padding": "x" * (MAX_BYTES - 20)})
    path.write_text(text, encoding="utf-8")
    assert read_state(path)["padding"].startswith("x")
    assert read_state(tmp_path / "missing.json") is None


def test_opening_the_progress_file_imports_no_numpy_and_no_training():
    """Issue 24: opening the store used to import the whole training stack (19 modules deep)."""
    code = ("import sys; from backprop_tui.core.lessons.progress_store import ProgressStore; ProgressStore(); "
            "print(sorted(m for m in sys.modules if m == 'numpy' or '.training' in m or '.stepping' in m))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
