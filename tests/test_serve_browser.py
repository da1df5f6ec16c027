"""`backprop-tui serve` in a real browser: headless Chromium, driven by Playwright, opens the printed URL.

The first key works without a click (the page focuses the terminal), the cap answers the next tab
with a page that says so, a closed tab ends its process, and Ctrl+C tells an open tab why it ended.
The app's screen is read from the websocket frames the page receives. Debian's chromium is used
(never `playwright install`); without it, or without playwright, the test is skipped.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 90.0


def poll(page, condition: Callable[[], object], timeout: float = TIMEOUT) -> bool:
    """Wait for `condition`, letting Playwright deliver the page's events between looks (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


class Screen:
    """What the app drew in one page: the text of every binary websocket frame the page received."""

    def __init__(self, page, screen_text: Callable[[bytes], str]) -> None:
        self.screen_text = screen_text
        self.parts: list[str] = []
        page.on("websocket", lambda websocket: websocket.on("framereceived", self._received))

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.parts.append(self.screen_text(payload))

    def shows(self, pattern: str) -> bool:
        return re.search(pattern, "".join(self.parts)) is not None


@pytest.fixture
def browser(tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield context
        finally:
            context.close()


def test_a_classroom_in_the_browser(browser, serve):
    with serve.ServerProcess("--max-sessions", "1", "--idle-timeout", "0") as server:
        first = browser.new_page()
        screen = Screen(first, serve.screen_text)
        first.goto(server.url)
        assert poll(first, lambda: screen.shows(r"step 0/\d+")), "the stepper never appeared"
        first.keyboard.press("n")  # no click first: the page focused the terminal
        assert poll(first, lambda: screen.shows(r"step 1/\d+")), "the first key press was not answered"
        session = server.sessions()
        assert len(session) == 1

        second = browser.new_page()
        response = second.goto(server.url)
        assert response is not None and response.status == 503
        assert "classroom is full" in second.text_content("body")

        first.close()
        assert poll(second, lambda: not server.sessions()), "closing the tab left its app running"
        assert poll(second, lambda: not serve.alive(session[0]))

        second_screen = Screen(second, serve.screen_text)
        second.reload()
        assert poll(second, lambda: second_screen.shows(r"step 0/\d+")), "a freed place was not given to the next tab"
        pids = server.sessions()
        assert server.stop() in (0, 130)
        second.wait_for_function("document.querySelector('#closed-message').textContent.includes('stopped')",
                                 timeout=TIMEOUT * 1000)
    assert not any(serve.alive(pid) for pid in pids)
    assert not any("Traceback" in line for line in server.lines + server.errors)
