"""A ready session claimed by a student (tui/serve/ready_driver.py): the tab sees only screens drawn at the student's
size, however the claim and the app's own start and resize interleave.

Each case runs in a child Python that forks ready sessions from a warm parent, as the server does, and reads the
raw output a tab would get; the lowest row the output moves the cursor to is the height the screen was drawn for.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

TIMEOUT = 120.0

WARM_PARENT = r"""
import gc, os, select, time
from textual_serve.app_service import AppService

os.environ.update(AppService._build_environment(AppService("", write_bytes=None, write_str=None, close=None,
                                                           download_manager=None), 80, 24))  # the server's
from textual.app import App

from backprop_tui.tui.serve import warm_parent
from backprop_tui.tui.serve.pool import claim_message

QUIT = b'M\x00\x00\x00\x10{"type": "quit"}'
KEY_N = b"D\x00\x00\x00\x01n"


def fork_ready(columns, rows, waiting=b""):
    session_in, claim = os.pipe()
    screen, session_out = os.pipe()
    os.write(claim, waiting)  # input the session finds waiting before it even exists
    if (pid := os.fork()) == 0:
        os.dup2(session_in, 0)
        os.dup2(session_out, 1)
        os._exit(warm_parent.run_session([], columns, rows, ready=True))
    os.close(session_in)
    os.close(session_out)
    return pid, claim, screen


def read_until(screen, text):
    output = b""
    while text not in output:
        output += os.read(screen, 65536)
    return output


def end(pid, claim, screen):
    os.write(claim, QUIT)
    rest = b""
    while chunk := os.read(screen, 65536):
        rest += chunk
    os.waitpid(pid, 0)
    return rest


"""

WARM_UP = r"""
warm_parent.share_parsed_css()
warm_parent.warm_up([])
gc.collect()
gc.freeze()
"""

CLAIM_FIRST = WARM_PARENT + WARM_UP + r"""
for _ in range(3):
    pid, claim, screen = fork_ready(120, 40, waiting=claim_message(80, 24))
    output = read_until(screen, b"step 0/")
    while select.select([screen], [], [], 1.0)[0]:  # and whatever it draws next, until it is still for 1 s
        output += os.read(screen, 65536)
    output += end(pid, claim, screen)
    os.write(1, output.hex().encode() + b"\n")  # what the tab would get, for the test to read
"""

CLAIM_DURING_A_SLOW_RESIZE = WARM_PARENT + r"""
check_resize = App._check_resize


def check_resize_late(self):
    # Textual lays a resized screen out after a 1/120 s timer: on a loaded machine, much later.
    if self._resize_timer is None:
        return check_resize(self)
    self._resize_timer.stop()
    self._resize_timer = self.set_timer(0.3, lambda: check_resize(self))


App._check_resize = check_resize_late
""" + WARM_UP + r"""
for _ in range(3):
    pid, claim, screen = fork_ready(80, 24)
    time.sleep(1.0)  # built at the guess (or still building: either way the claim must win)
    os.write(claim, claim_message(100, 50) + KEY_N)  # and a key that repaints while the resize waits
    output = read_until(screen, b"step 1/")
    end(pid, claim, screen)
    os.write(1, output.hex().encode() + b"\n")  # what the tab would get, for the test to read
"""


def rows_drawn_by_each_session(script: str, serve) -> list[int]:  # noqa: ANN001 (the serve fixture's module)
    """Run `script`; for each session it forked, the lowest row its output drew to (`serve.rows_drawn`)."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    return [serve.rows_drawn(bytes.fromhex(line.decode()).decode("utf-8", "replace")) for line in result.stdout.split()]


def test_a_claim_that_arrives_before_the_app_has_started_still_wins(serve):
    """A student can take a ready session forked a moment ago: the claim then waits on its input before the
    app has even posted its guessed size, and must still be the size it ends at (it once lost, every time)."""
    assert rows_drawn_by_each_session(CLAIM_FIRST, serve) == [24, 24, 24], "a screen drawn for the guessed 40 rows won"


def test_nothing_drawn_at_the_guess_reaches_a_tab_claimed_at_another_size(serve):
    """A claim at a new size resizes the app, which lays its screen out a timer later. A frame painted in
    between (a key, the end of the start) was drawn at the guess: it once reached the tab first, under load."""
    assert rows_drawn_by_each_session(CLAIM_DURING_A_SLOW_RESIZE, serve) == [50, 50, 50], \
        "a frame drawn for the guessed 24 rows came first"
