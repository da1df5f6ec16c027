"""Where was I (issue 21): the next launch reopens the lesson and its position where the student left it;
--fresh starts over; an explicit --lesson/--example/--expr wins; a bad place file is one warning.
Also (issue 22): the practice progress is the session's one store, and the palette survives a quick Enter."""

from __future__ import annotations

import json

import pytest
from textual import events

from backprop_tui.core.lessons.resume import PLACE_FILE
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.cli.common import app_parser
from backprop_tui.tui.screens.descent import DescentScreen
from backprop_tui.tui.screens.stepper import StepperScreen
from backprop_tui.tui.screens.two_neurons import TwoNeuronsScreen

SIZE = (120, 40)


def launched(tmp_path, *argv: str) -> BackpropApp:
    """The app as `backprop-tui ARGV` builds it (the same rule as `launch`), keeping its state in tmp_path."""
    from backprop_tui.tui.cli.common import problem_from

    arguments = app_parser().parse_args(list(argv))
    explicit = arguments.lesson is not None or arguments.example is not None or arguments.expr is not None
    return BackpropApp(problem_from(arguments), lesson=arguments.lesson, state_directory=tmp_path,
                       remember_place=True, resume=not (arguments.fresh or explicit))


async def quit_app(pilot) -> None:  # noqa: ANN001 (a Pilot)
    await pilot.press("ctrl+c")
    await pilot.pause()


async def test_the_stepper_reopens_at_the_step_it_was_left_on(tmp_path, settle):
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "right", "right", "right")
        assert pilot.app.screen.index == 4
        await quit_app(pilot)
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, StepperScreen) and pilot.app.screen.index == 4
    async with launched(tmp_path, "--fresh").run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.screen.index == 0


async def test_a_lesson_reopens_with_its_iteration_and_the_others_keep_theirs(tmp_path, settle):
    app = launched(tmp_path, "--lesson", "descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        assert pilot.app.screen.view.iteration == 3
        pilot.app.open_lesson("two-neurons")
        await settle(pilot)
        await pilot.press("tab")  # part 2
        await settle(pilot)
        await quit_app(pilot)
    saved = json.loads((tmp_path / PLACE_FILE).read_text(encoding="utf-8"))
    assert saved["lesson"] == "two-neurons" and saved["positions"]["descent"] == {"iteration": 3}
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TwoNeuronsScreen) and screen.part == 2
        pilot.app.open_lesson("descent")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DescentScreen) and pilot.app.screen.view.iteration == 3


async def test_beta_set_by_hand_is_kept(tmp_path, settle):
    async with launched(tmp_path, "--lesson", "classification").run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")  # a random draw
        await settle(pilot)
        hand, seed = pilot.app.session.hand, pilot.app.session.hand_seed
        await quit_app(pilot)
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "ClassificationScreen"
        assert (pilot.app.session.hand, pilot.app.session.hand_seed) == (hand, seed)


async def test_an_explicit_lesson_wins_over_the_saved_one(tmp_path, settle):
    (tmp_path / PLACE_FILE).write_text(json.dumps({"version": 1, "lesson": "minima", "positions": {}}),
                                       encoding="utf-8")
    async with launched(tmp_path, "--lesson", "loss").run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.current_mode == "loss"
    async with launched(tmp_path, "--example", "neuron").run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.current_mode == "stepper"


@pytest.mark.parametrize("content", [b"\xff\xfe", b"[" * 100_000, b'{"lesson": "nowhere"}',
                                     b'{"lesson": "stepper", "positions": {"stepper": {"step": 1e400}}}',
                                     b'{"lesson": "stepper", "positions": {"stepper": {"step": -4, '
                                     b'"graph": "example:lecture", "mode": "reverse"}}}'])
async def test_a_bad_place_file_never_stops_the_app(tmp_path, settle, content):
    (tmp_path / PLACE_FILE).write_bytes(content)
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.is_running and isinstance(pilot.app.screen, StepperScreen)
        assert pilot.app.screen.index == 0
        await quit_app(pilot)
    assert json.loads((tmp_path / PLACE_FILE).read_text(encoding="utf-8"))["lesson"] == "stepper"


async def test_a_place_file_that_is_a_directory_is_one_warning(tmp_path, settle):
    (tmp_path / PLACE_FILE).mkdir()
    async with launched(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("place.json" in str(toast.message) for toast in pilot.app._notifications)
        await quit_app(pilot)
    assert not pilot.app.return_code


async def test_the_steppers_k_shares_the_sessions_progress_store(tmp_path, settle):
    app = launched(tmp_path, "--lesson", "practice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = pilot.app.screen.store
        assert store is pilot.app.session.progress
        pilot.app.open_workbench()
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "PracticeScreen" and pilot.app.screen.store is store


@pytest.mark.parametrize("lesson", ["descent", "two-neurons", "classification", "forward-backward"])
async def test_the_palette_survives_enter_enter_typed_quickly(lesson, settle):
    """ctrl+p, then two Enters queued at once (as a terminal delivers them): ScreenStackError before the guard."""
    app = BackpropApp(lesson=lesson)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for _ in range(2):
            app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert app.current_mode == lesson and len(app.screen_stack) >= 1


async def test_the_palette_under_the_too_small_cover_is_not_opened_twice(settle):
    """Found by the monkey: ctrl+p, a resize to 20×5, ctrl+p again → DuplicateIds('--command-palette')."""
    app = BackpropApp(lesson="descent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert app.is_running and app.return_code is None


def test_launch_remembers_in_a_terminal_and_not_in_a_classroom_tab(tmp_path, monkeypatch):
    """`launch` builds the app that keeps a place; a `serve` tab (Textual's web driver) shares the server's
    state folder with every student, so it neither resumes nor saves one."""
    from backprop_tui.tui.cli import main as cli_main

    built: list[BackpropApp] = []
    monkeypatch.setattr(cli_main, "run_app", lambda app, **options: built.append(app) or 0)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    cli_main.launch([])
    cli_main.launch(["--fresh"])
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    cli_main.launch([])
    assert [app.place_store is not None for app in built] == [True, True, False]
    assert built[0].place_store.path == tmp_path / "backprop-tui" / PLACE_FILE


@pytest.mark.parametrize("content", [bytes(range(256)), b'{"exercises": {"neuron": {"finished": 1e400}}}',
                                     b"[" * 100_000])
async def test_a_hostile_progress_file_is_one_warning_in_the_practice_lesson_and_under_k(tmp_path, settle,
                                                                                      content):
    (tmp_path / "practice.json").write_bytes(content)
    app = BackpropApp(lesson="practice", state_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warnings = [toast for toast in app._notifications if "practice.json" in str(toast.message)]
        assert len(warnings) == 1
        app.open_workbench()
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert type(app.screen).__name__ == "PracticeScreen" and app.is_running
    assert (tmp_path / "practice.json").read_bytes() == content


async def test_a_place_that_cannot_be_written_is_said_after_the_app_has_left(tmp_path, settle, monkeypatch, capfd):
    """A full disk is a notification while the app runs and, on the way out, a line printed once the terminal is
    back: a notification shown while quitting is never seen."""
    import errno

    from backprop_tui.core.lessons import resume

    def disk_full(path, document) -> None:  # noqa: ANN001
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(resume, "write_state", disk_full)
    app = launched(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await quit_app(pilot)
    captured = capfd.readouterr()
    printed = " ".join((captured.out + captured.err).split())  # Textual wraps the line to the terminal's width
    assert printed.count("backprop-tui: warning: cannot write") == 1 and "your place will not be kept" in printed
