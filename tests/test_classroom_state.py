"""A classroom tab (`backprop-tui serve`) shares the server's state folder with every student: it must neither
show one student's practice scores to another nor write its own there. Its progress lasts for its session."""

from __future__ import annotations

import json

import pytest

from backprop_tui.core.lessons.progress_store import STATE_FILE, ProgressStore
from backprop_tui.tui.app import BackpropApp
from backprop_tui.tui.cli import main as cli_main

ANOTHER_STUDENTS = {"version": 1, "exercises": {"neuron": {"status": "done", "best": 100, "finished": 3}}}


def test_a_store_kept_in_memory_neither_reads_nor_writes_the_file(tmp_path):
    path = tmp_path / STATE_FILE
    path.write_text(json.dumps(ANOTHER_STUDENTS), encoding="utf-8")
    before = path.read_bytes()
    store = ProgressStore(tmp_path, on_disk=False)
    assert store.record("neuron").status == "new"  # not the other student's "done"
    store.started("lecture-backward")
    assert store.record("lecture-backward").status == "in progress"  # kept for this session
    assert store.problem is None  # nothing went wrong: nothing to warn about
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [STATE_FILE]  # not even a lock file


def test_launch_keeps_progress_in_a_terminal_and_not_in_a_classroom_tab(tmp_path, monkeypatch):
    built: list[BackpropApp] = []
    monkeypatch.setattr(cli_main, "run_app", lambda app, **options: built.append(app) or 0)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    cli_main.launch(["--lesson", "practice"])
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    cli_main.launch(["--lesson", "practice"])
    terminal, tab = built
    assert terminal.session.progress.saving and not tab.session.progress.saving
    assert tab.place_store is None


async def test_a_classroom_tab_shows_its_own_progress_only(tmp_path, settle):
    (tmp_path / STATE_FILE).write_text(json.dumps(ANOTHER_STUDENTS), encoding="utf-8")
    app = BackpropApp(lesson="practice", state_directory=tmp_path, keep_progress=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = "\n".join(str(strip.text) for strip in app.screen._compositor.render_strips())  # what the tab shows
        assert "done" not in shown and app.is_running
        assert not [toast for toast in app._notifications if "practice.json" in str(toast.message)]
    assert json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8")) == ANOTHER_STUDENTS


@pytest.mark.slow
async def test_a_served_tab_on_the_practice_list_leaves_the_servers_folder_as_it_was(tmp_path, serve):
    """The real path: `serve -- --lesson practice`, a student's tab (textual-serve's web driver, a forked
    session), the server's state folder holding another student's file."""
    import aiohttp

    folder = tmp_path / "backprop-tui"
    folder.mkdir()
    (folder / STATE_FILE).write_text(json.dumps(ANOTHER_STUDENTS), encoding="utf-8")
    before = sorted(path.name for path in folder.iterdir())
    with serve.ServerProcess("--", "--lesson", "practice", environment={"XDG_STATE_HOME": str(tmp_path)}) as server:
        async with aiohttp.ClientSession() as http:
            student = await serve.open_student(http, server.url)
            assert await student.read_until("neuron", 120) is not None
            await student.press("n")  # the first exercise not done: the lecture's graph, forward mode
            assert await student.read_until("ξ1", 120) is not None
            assert "done · best 100" not in student.text
            await student.close()  # the tab closed: its session ends, as the server stops after it
    assert sorted(path.name for path in folder.iterdir()) == before
    assert json.loads((folder / STATE_FILE).read_text(encoding="utf-8")) == ANOTHER_STUDENTS
