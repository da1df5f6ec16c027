"""`backprop-tui serve`'s command line: every mistake is one line on stderr and exit code 2, before anything listens.

Bad options are checked in-process (no server starts); an address in use and the warning for a
non-loopback address need a real server process, which starts no session and stops at once.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from backprop_tui.tui.cli.main import main
from backprop_tui.tui.serve.command import default_max_sessions, split_app_options, urls
from backprop_tui.tui.serve.sessions import duration_text


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("options", [
    ["--port", "70000"], ["--port", "-1"], ["--port", "http"],
    ["--max-sessions", "-3"], ["--max-sessions", "0"], ["--max-sessions", "many"],
    ["--ready-sessions", "-1"], ["--ready-sessions", "some"],
    ["--idle-timeout", "soon"], ["--idle-timeout", "-5"], ["--idle-timeout", "inf"],
    ["--allow-origin", "course.example.org"], ["--allow-origin", "https://course.example.org/page"],
    ["--allow-origin", "ftp://course.example.org"], ["--allow-origin", "null"],
    ["--example", "mlp"],  # the app's options belong after --
    ["--", "--example", "nope"], ["--", "--expr", "exp("], ["--", "table"], ["--", "--at"],
])
def test_a_bad_option_is_one_line_and_exit_2(capsys, options):
    code, out, err = run(capsys, "serve", *options)
    assert code == 2 and out == ""
    assert err.startswith("backprop-tui: error: ") and err.count("\n") == 1


def test_app_options_go_after_the_separator(capsys):
    code, _, err = run(capsys, "serve", "--example", "mlp")
    assert code == 2 and "after --" in err


def test_help_lists_the_options(capsys):
    code, out, err = run(capsys, "serve", "--help")
    assert code == 0 and err == ""
    for option in ("--host", "--port", "--max-sessions", "--ready-sessions", "--idle-timeout", "--allow-origin",
                   "APP OPTIONS"):
        assert option in out


def test_an_address_in_use_is_one_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"backprop-tui: error: cannot listen on 127.0.0.1 port {port}")
    assert result.stderr.count("\n") == 1


def test_listening_beyond_loopback_warns_and_ctrl_c_stops_cleanly(serve):
    with serve.ServerProcess("--host", "0.0.0.0", "--max-sessions", "3", "--", "--example", "mlp") as server:
        assert "--example mlp" in server.lines[0] and server.url.startswith("http://")
        code = server.stop()
    assert code in (0, 130)
    assert server.errors[0].startswith("backprop-tui serve: warning: listening on 0.0.0.0: anyone who can reach")
    assert len(server.errors) == 1 and not any("Traceback" in line for line in server.lines)
    assert any("Up to 3 sessions at once" in line for line in server.lines)


def test_the_default_cap_is_sized_to_memory():
    assert default_max_sessions(None) == 8
    assert default_max_sessions(0) == 1
    assert default_max_sessions(16 * 2**30) > default_max_sessions(4 * 2**30) > 1


def test_helpers():
    assert split_app_options(["--port", "1", "--", "--example", "mlp"]) == (["--port", "1"], ["--example", "mlp"])
    assert split_app_options(["--port", "1"]) == (["--port", "1"], [])
    assert urls("127.0.0.1", [("127.0.0.1", 8000)]) == ["http://127.0.0.1:8000/"]
    assert urls("::1", [("::1", 8000)]) == ["http://[::1]:8000/"]
    assert urls("localhost", [("::1", 8000), ("127.0.0.1", 8000)]) == ["http://localhost:8000/"]
    assert duration_text(1800) == "30 minutes" and duration_text(1) == "1 second"
    assert duration_text(2.5) == "2.5 seconds"
