"""Two windows on one state folder: each run saves only the positions it set or cleared, onto the place file as
the other run left it, so neither window's place is lost (the last writer no longer wins the whole file)."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from backprop_tui.core.lessons.resume import PLACE_FILE, Place, PlaceStore

MODES = ("lecture", "descent", "two-neurons", "classification")


def saved(directory: Path) -> dict:
    return json.loads((directory / PLACE_FILE).read_text(encoding="utf-8"))


def two_windows(directory: Path) -> tuple[tuple[PlaceStore, Place], tuple[PlaceStore, Place]]:
    """Two runs started on the same file, each with its store and its place."""
    first, second = PlaceStore(directory), PlaceStore(directory)
    return (first, first.load(MODES)), (second, second.load(MODES))


def test_each_window_keeps_the_position_it_set(tmp_path):
    (a, place_a), (b, place_b) = two_windows(tmp_path)
    place_a.keep("descent", {"iteration": 3})
    place_a.lesson = "descent"
    a.save(place_a)
    place_b.keep("lecture", {"step": 2})
    place_b.lesson = "lecture"
    b.save(place_b)
    document = saved(tmp_path)
    assert document["positions"] == {"descent": {"iteration": 3}, "lecture": {"step": 2}}
    assert document["lesson"] == "lecture"  # the window closed last says which lesson opens next


def test_a_position_cleared_in_one_window_stays_cleared(tmp_path):
    PlaceStore(tmp_path).save(_place_with(descent={"iteration": 5}, lecture={"step": 1}))
    (a, place_a), (b, place_b) = two_windows(tmp_path)
    assert place_b.positions["descent"] == {"iteration": 5}
    place_a.keep("descent", None)  # back at its start
    a.save(place_a)
    place_b.keep("lecture", {"step": 4})
    b.save(place_b)  # B still holds descent's old position, but never touched it
    assert saved(tmp_path)["positions"] == {"lecture": {"step": 4}}


def test_a_later_save_does_not_undo_the_other_windows_newer_position(tmp_path):
    (a, place_a), (b, place_b) = two_windows(tmp_path)
    place_a.keep("descent", {"iteration": 1})
    a.save(place_a)
    place_b.keep("descent", {"iteration": 7})
    b.save(place_b)
    place_a.keep("lecture", {"step": 3})
    a.save(place_a)  # A's descent was saved already: only its lecture is new
    assert saved(tmp_path)["positions"] == {"descent": {"iteration": 7}, "lecture": {"step": 3}}


def test_positions_of_lessons_this_version_does_not_know_are_kept(tmp_path):
    (tmp_path / PLACE_FILE).write_text(json.dumps(
        {"version": 1, "lesson": "future", "positions": {"future": {"page": 2}, "junk": [1, 2]}}), encoding="utf-8")
    store = PlaceStore(tmp_path)
    place = store.load(MODES)
    assert place.lesson is None and place.positions == {}
    place.keep("descent", {"iteration": 2})
    place.lesson = "descent"
    store.save(place)
    assert saved(tmp_path) == {"version": 1, "lesson": "descent",
                               "positions": {"future": {"page": 2}, "descent": {"iteration": 2}}}


def test_an_unreadable_file_is_replaced_by_this_runs_place(tmp_path):
    (tmp_path / PLACE_FILE).write_bytes(b"\xff\xfe not json")
    store = PlaceStore(tmp_path)
    place = store.load(MODES)
    assert store.problem is not None and place.positions == {}
    place.keep("lecture", {"step": 1})
    store.save(place)
    assert store.saving and saved(tmp_path)["positions"] == {"lecture": {"step": 1}}


def _place_with(**positions: dict) -> Place:
    place = Place()
    for mode, position in positions.items():
        place.keep(mode, position)
    return place


def _window(directory: str, mode: str, saves: int) -> None:
    """One window saving its own lesson's position again and again, as a student stepping and switching would."""
    store = PlaceStore(Path(directory))
    place = store.load(MODES)
    for step in range(1, saves + 1):
        place.keep(mode, {"step": step})
        place.lesson = mode
        store.save(place)


def test_windows_saving_at_the_same_time_lose_nothing(tmp_path):
    """Four processes, each saving its own lesson 40 times at once: every last position is on disk. Without the
    lock, a read by one between another's read and write loses that other's position."""
    saves = 40
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_window, args=(str(tmp_path), mode, saves)) for mode in MODES]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * len(MODES)
    assert saved(tmp_path)["positions"] == {mode: {"step": saves} for mode in MODES}
