"""`backprop-tui serve`: the app in students' browsers, one app process per tab, served by textual-serve.

Every option is checked here, before anything listens: the server's own (address, cap, idle timeout)
and the app's (after `--`, parsed by the app's own parser), so a mistake is one line on stderr and
exit code 2 at start, never an error inside every student's session. The server itself is
`sessions.ClassroomServer`.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from backprop_tui.core.engine.literals import NumberRefused, typed_number

from ..cli.common import PROGRAM, OneLineParser, app_parser, fail, glue_option_values, problem_from
from ..cli.number_options import typed_whole
from .guard import is_ip_address

SESSION_MEMORY_MB = 64
"""The memory budget of one session, from the README's capacity table (`python tests/benchmarks/bench.py --only
classroom`): a session forked from the warm parent adds 19-21 MB (USS, its private pages) on its first screen,
about 37 MB with the descent screen running at 120x40, and 56 MB at the largest screen a session may have
(640x240, guard.py) with the descent screen running; 64 MB covers the worst of them. What sessions share with
the warm parent (about 30 MB of each one's RSS) is counted once, in the rest of memory."""
MEMORY_SHARE = 0.75
"""The share of available memory the default cap lets sessions take; the rest is the system's and the server's."""
DEFAULT_IDLE_TIMEOUT = 1800.0
DEFAULT_READY_SESSIONS = 16
"""Sessions built ahead of time (pool.py): each is a first screen in milliseconds instead of a share of the
cores. Measured with 30 students connecting at once on the 2-core machine (shared, load average 8.5-16,
sizes interleaved): none ready, median 1.9-3.3 s and slowest 3.2-5.5 s; 10 ready, 0.9-1.4 s and 2.8-3.9 s;
16 ready, 0.1-0.2 s and 1.9-3.0 s; 20 ready, 0.2 s and 1.5-2.0 s (README, Classroom). A ready session
holds 16 MB of its own memory (USS) and uses about 1 ms of CPU a second while it waits; ready sessions count
against the cap, so memory never holds more than --max-sessions sessions."""
WILDCARD_HOSTS = ("", "0.0.0.0", "::")


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux's MemAvailable), or None when it cannot be read."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def default_max_sessions(available: int | None) -> int:
    """As many sessions as `MEMORY_SHARE` of the available memory holds; 8 when memory cannot be read."""
    if available is None:
        return 8
    return max(1, int(available * MEMORY_SHARE // (SESSION_MEMORY_MB * 2**20)))


def bounded_whole_number(low: int, high: int | None, rule: str) -> Callable[[str], int]:
    """An argparse type for a whole number in [low, high] whose refusal says `rule`, then what was given."""

    def convert(text: str) -> int:
        try:
            value = typed_whole(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{rule}, not {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{rule}, not {value}")
        return value

    return convert


port_number = bounded_whole_number(0, 65535, "a port is a whole number from 0 to 65535")
session_count = bounded_whole_number(1, None, "expected a whole number of sessions, at least 1")
ready_count = bounded_whole_number(0, None, "expected a whole number of sessions, 0 or more")


def seconds(text: str) -> float:
    try:
        value = typed_number(text)  # 1e-400 is refused, not read as 0 (never)
    except NumberRefused:
        raise argparse.ArgumentTypeError(f"expected a number of seconds (0 = never), not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds (0 = never), not {text!r}")
    return value


def serve_parser(default_sessions: int) -> OneLineParser:
    parser = OneLineParser(
        prog=f"{PROGRAM} serve", usage=f"{PROGRAM} serve [options] [-- APP OPTIONS]",
        description="Serve the app to browsers: each tab gets its own app process (a classroom: students "
                    "open the printed URL). APP OPTIONS, after --, choose what every student opens on, "
                    f"e.g. `{PROGRAM} serve -- --example mlp`; they are checked before the server starts.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every "
                             "network it is on)")
    parser.add_argument("--port", type=port_number, default=8000, help="the port (default 8000; 0 = any free port)")
    parser.add_argument("--max-sessions", type=session_count, metavar="N",
                        help=f"sessions open at once; the next tab is told the classroom is full (default "
                             f"{default_sessions}: what {MEMORY_SHARE * 100:.0f}%% of this machine's available memory "
                             f"holds at {SESSION_MEMORY_MB} MB a session, the most one was measured to add)")
    parser.add_argument("--ready-sessions", type=ready_count, default=DEFAULT_READY_SESSIONS, metavar="N",
                        help=f"sessions started before anyone connects, so the first N students see their screen "
                             f"at once (default {DEFAULT_READY_SESSIONS}; 0 = none); they count against "
                             "--max-sessions and are replaced in the background as students take them")
    parser.add_argument("--idle-timeout", type=seconds, default=DEFAULT_IDLE_TIMEOUT, metavar="SECONDS",
                        help=f"end a session after this long without input (default {DEFAULT_IDLE_TIMEOUT:g}; "
                             "0 = never)")
    parser.add_argument("--allow-origin", action="append", default=[], type=allowed_origin, metavar="ORIGIN",
                        help="also accept sessions from pages at ORIGIN, e.g. https://course.example.org (a reverse "
                             "proxy's public address); repeat for several. Without it only this server's own page "
                             "can open sessions: other web pages a student visits cannot")
    return parser


def allowed_origin(text: str) -> str:
    """`https://course.example.org` (scheme and host, optional port; no path): what a browser sends as Origin."""
    from .guard import origin_of

    origin = origin_of(text)
    if origin is None or origin != text.strip().rstrip("/").lower():
        raise argparse.ArgumentTypeError(f"an origin is http(s)://HOST[:PORT] with nothing after it, not {text!r}")
    return origin


def split_app_options(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """`--port 9000 -- --example mlp` → the server's options, the app's options."""
    arguments = list(argv)
    if "--" in arguments:
        index = arguments.index("--")
        return arguments[:index], arguments[index + 1:]
    return arguments, []


def checked_app_options(app_options: Sequence[str]) -> list[str]:
    """Parse the app's options exactly as `app.launch` does, failing here (exit 2) on any mistake."""
    glued = glue_option_values(app_options)
    problem_from(app_parser().parse_args(glued))
    return glued


def session_command(app_options: Sequence[str]) -> list[str]:
    """What each tab runs: this very installation of the app (never a shell string; see SessionService)."""
    return [sys.executable, "-m", "backprop_tui.tui.cli.main", *app_options]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def network_address() -> str:
    """This machine's address on its network, for the URL students type when the server listens everywhere.
    A UDP socket's `connect` only picks the outgoing interface: no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()


def urls(host: str, addresses: Sequence[tuple[str, int]]) -> list[str]:
    """The URLs to print: the bound address(es), or this machine's network address for a wildcard host."""
    found = []
    for address, port in addresses:
        shown = network_address() if host in WILDCARD_HOSTS else address if is_ip_address(host) else host
        url = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
        if url not in found:
            found.append(url)
    return found


def run_serve(argv: Sequence[str]) -> int:
    server_options, app_options = split_app_options(argv)
    available = available_memory()
    default_sessions = default_max_sessions(available)
    arguments, unknown = serve_parser(default_sessions).parse_known_args(server_options)
    if unknown:
        fail(f"unrecognized arguments: {' '.join(unknown)} (the app's options go after --, "
             f"e.g. {PROGRAM} serve -- --example mlp)")
    glued = checked_app_options(app_options)
    command = session_command(glued)
    cap_reason = "--max-sessions"
    if arguments.max_sessions is None:
        arguments.max_sessions = default_sessions
        cap_reason = (f"what {MEMORY_SHARE * 100:.0f}% of the {available / 2**30:.1f} GB of available memory holds "
                      f"at {SESSION_MEMORY_MB} MB a session; --max-sessions sets it" if available else
                      "memory could not be read; --max-sessions sets it")
    from .sessions import ClassroomServer, duration_text, sessions_text

    if not is_loopback(arguments.host):
        print(f"{PROGRAM} serve: warning: listening on {arguments.host}: anyone who can reach this address "
              "can open sessions", file=sys.stderr, flush=True)
    listening = False

    def announce(addresses: list[tuple[str, int]]) -> None:
        nonlocal listening
        listening = True
        shown = shlex.join([PROGRAM, *app_options])
        idle = f"after {duration_text(arguments.idle_timeout)} without input" if arguments.idle_timeout else "never"
        print(f"Serving `{shown}` to browsers: open {' or '.join(urls(arguments.host, addresses))}", flush=True)
        print(f"Up to {sessions_text(arguments.max_sessions)} at once ({cap_reason}).", flush=True)
        if ready := min(arguments.ready_sessions, arguments.max_sessions):
            print(f"{sessions_text(ready).capitalize()} kept ready for the next students to connect, counted in "
                  "the cap (--ready-sessions).", flush=True)
        print(f"Idle sessions end {idle} (--idle-timeout).", flush=True)
        print("Press Ctrl+C to stop the server and every session.", flush=True)

    server = ClassroomServer(command, app_options=glued, host=arguments.host, port=arguments.port,
                             max_sessions=arguments.max_sessions, idle_timeout=arguments.idle_timeout,
                             allowed_origins=arguments.allow_origin, ready_sessions=arguments.ready_sessions,
                             on_listening=announce)
    try:
        server.serve()
    except OSError as error:
        if listening:
            raise
        fail(f"cannot listen on {arguments.host} port {arguments.port}: {error.strerror or error}")
    print("Stopped: every session has ended.", flush=True)
    return 0
