"""The warm parent: a process that has already imported and run the app once, and forks one child per session.

A fresh Python process spends most of a session's start-up importing Textual and numpy and parsing
the app's CSS; 30 students connecting at once on two cores then wait seconds for their first screen.
This process pays that once: it imports the app, runs it headless to its first screen (filling
Textual's lazy imports and caches), shares parsed CSS across every later app, freezes what it holds
out of the garbage collector's reach (so children share those pages instead of copying them), and
then waits. For each session the server sends three pipe ends (the app's stdin, stdout, stderr) and
a terminal size; this process forks, and the child becomes the session: its own process, in its own
session (so the teacher's Ctrl+C reaches only the server), speaking textual-serve's protocol on
those pipes exactly as an exec'd app would. The reply is the child's pid and a pidfd (Linux), by
which the server watches and signals the child without racing pid reuse; this process reaps it.

Run by the server as `python -m backprop_tui.tui.serve.warm_parent FD [APP OPTIONS]`, FD being its
end of a SEQPACKET socket pair; it exits when the server closes that socket (or dies).
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import socket
import sys
import traceback
from collections.abc import Sequence

REQUEST_SIZE = 4096
WARM_SIZE = (120, 40)


def share_parsed_css() -> None:
    """Every Textual stylesheet parses its CSS again (per app, per theme change): the same text, the same rules.
    Cache parsed rules once for all stylesheets of this process and its children, keyed also by the
    stylesheet's variables (the theme), so a different theme still parses its own. Rules are read, never
    changed, after parsing: Textual's own per-stylesheet cache shares them the same way."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):  # noqa: ANN001
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        if (rules := parsed.get(key)) is None:
            rules = parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = shared_parse_rules


def warm_up(app_options: Sequence[str]) -> None:
    """Import the app and run it headless to its first screen, then drop it: imports, caches and the parsed CSS stay.
    The web drivers sessions run with (TEXTUAL_DRIVER, set by the server, and a ready session's) are imported too."""
    import numpy.random  # noqa: F401 (each session reseeds it: imported here, not once per session: 30-60 ms)
    import textual.drivers.web_driver  # noqa: F401

    from ..cli.main import launch
    from . import ready_driver  # noqa: F401

    async def first_screen(pilot) -> None:  # noqa: ANN001
        await pilot.pause()
        pilot.app.exit()

    launch(app_options, headless=True, size=WARM_SIZE, auto_pilot=first_screen)


def run_session(app_options: Sequence[str], columns: int, rows: int, ready: bool = False) -> int:
    """In the forked child: become one student's app, on the pipes now at fds 0, 1 and 2.

    `ready`: a ready session (pool.py): the app builds its first screen at this guessed size with its
    output held back (ready_driver.py), and shows it when the server claims it for a student."""
    os.environ["COLUMNS"], os.environ["ROWS"] = str(columns), str(rows)
    import numpy

    numpy.random.seed()  # each session its own random state, not a copy of the parent's
    from ..cli.main import launch

    if ready:
        import textual.constants

        from . import ready_driver

        # Only Textual's own choice of driver changes: TEXTUAL_DRIVER (which the app reads to know it is
        # in a browser) stays textual-serve's WebDriver.
        textual.constants.DRIVER = f"{ready_driver.__name__}:{ready_driver.ReadyWebDriver.__name__}"  # type: ignore[misc]
        ready_driver.mark_ready()

    return launch(app_options)


def child(app_options: Sequence[str], request: dict, fds: list[int], keep_closed: Sequence[int]) -> None:
    """The forked child's whole life: never returns to the parent's loop."""
    code = 1
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL if number != signal.SIGINT else signal.default_int_handler)
        for fd in keep_closed:
            os.close(fd)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        code = run_session(app_options, int(request["columns"]), int(request["rows"]), request.get("ready") is True)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # a session's crash is its own: reported on its stderr, never the parent's
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 (the pipe may be gone: nothing left to tell)
                pass
        os._exit(code if isinstance(code, int) else 1)


def reap() -> None:
    """Collect every child that has ended (the server watches them by pidfd; here they only must not linger)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _fork(ready: bool) -> int:
    """`os.fork()`; a ready session's child is born with the ready name (see `ready_driver.mark_ready`)."""
    if not ready:
        return os.fork()
    from . import ready_driver  # imported by warm_up already

    ready_driver.mark_ready()
    pid = -1
    try:
        pid = os.fork()
    finally:
        if pid != 0:
            ready_driver.unmark_ready()
    return pid


def serve_forks(channel: socket.socket, app_options: Sequence[str]) -> None:
    wakeup_read, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    os.set_blocking(wakeup_read, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    channel.send(b'{"ready": true}')
    while True:
        readable, _, _ = select.select([channel, wakeup_read], [], [])
        if wakeup_read in readable:
            while True:
                try:
                    if not os.read(wakeup_read, 512):
                        break
                except BlockingIOError:
                    break
            reap()
        if channel not in readable:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(channel, REQUEST_SIZE, 3)
        except OSError:
            return
        if not message:
            return  # the server closed its end (or died): no new sessions; running ones end with their pipes
        try:
            request = json.loads(message)
            if len(fds) != 3:
                raise ValueError(f"expected 3 pipe ends, got {len(fds)}")
            pid = _fork(isinstance(request, dict) and request.get("ready") is True)
        except (ValueError, OSError) as error:
            for fd in fds:
                os.close(fd)
            channel.send(json.dumps({"error": str(error)}).encode())
            continue
        if pid == 0:
            child(app_options, request, fds, (channel.fileno(), wakeup_read, wakeup_write))
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)  # before any reaping: the pid cannot have been reused yet
        try:
            socket.send_fds(channel, [json.dumps({"pid": pid}).encode()], [pidfd])
        finally:
            os.close(pidfd)


def main(argv: Sequence[str]) -> int:
    channel = socket.socket(fileno=int(argv[0]))
    app_options = list(argv[1:])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the teacher's Ctrl+C is for the server, which closes the channel
    try:
        share_parsed_css()
        warm_up(app_options)
    except BaseException as error:  # noqa: BLE001 (reported to the server as one line; it falls back to exec)
        channel.send(json.dumps({"error": f"warm-up failed: {error!r}"}).encode())
        return 1
    gc.collect()
    gc.freeze()
    serve_forks(channel, app_options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
