"""`backprop-tui practice --status/--reset`: headless, one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest
from support.nulls import unexplained_nulls

from backprop_tui.core.lessons.exercises import EXERCISE_IDS
from backprop_tui.tui.cli.main import main


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    return tmp_path / "backprop-tui"


def test_status_json_lists_every_exercise_new(capsys, state_home):
    assert main(["practice", "--status", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["path"] == str(state_home / "practice.json")
    assert list(document["exercises"]) == list(EXERCISE_IDS)
    assert {record["status"] for record in document["exercises"].values()} == {"new"}
    assert unexplained_nulls(document) == []  # a new exercise's best score and seed say why they are null


def test_status_text_after_progress_and_reset(capsys, state_home):
    state_home.mkdir(parents=True)
    (state_home / "practice.json").write_text(json.dumps(
        {"version": 1, "exercises": {"neuron": {"status": "done", "best": 80, "finished": 2}}}), encoding="utf-8")
    assert main(["practice", "--status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split()[:5] == ["neuron", "done", "best", "80", "%"]
    assert main(["practice", "--reset"]) == 0
    assert "forgotten" in capsys.readouterr().out
    assert not (state_home / "practice.json").exists()


def test_reset_with_no_folder_that_can_exist_has_nothing_to_forget(capsys, monkeypatch, tmp_path):
    """A state folder that cannot be made (its parent is a file) holds no progress: reset succeeds and says so."""
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "not-a-folder"))
    assert main(["practice", "--reset"]) == 0
    assert "forgotten" in capsys.readouterr().out


def test_reset_that_cannot_remove_the_file_says_so(capsys, state_home):
    state_home.mkdir(parents=True)
    (state_home / "practice.json").mkdir()  # a directory in its place: unlink fails
    (state_home / "practice.json" / "inside").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["practice", "--reset"])
    assert exited.value.code == 2
    assert "cannot remove" in capsys.readouterr().err


def test_status_survives_a_corrupt_file_with_one_warning(capsys, state_home):
    state_home.mkdir(parents=True)
    (state_home / "practice.json").write_text("{", encoding="utf-8")
    assert main(["practice", "--status"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "is corrupt" in captured.err
    assert "lecture-forward" in captured.out


@pytest.mark.parametrize(("argv", "words"), [
    (["--seed", "-1"], "--seed must be a whole number of at least 0"),
    (["--seed", "x"], "argument --seed: must be a whole number, got 'x'"),
    (["--format", "json"], "--format is for --status"),
    (["--status", "--reset"], "not allowed with"),
])
def test_mistakes_are_one_line_and_exit_2(capsys, argv, words):
    with pytest.raises(SystemExit) as exited:
        main(["practice", *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("backprop-tui: error: ") and words in err and err.count("\n") == 1
