"""Hostile input must not take the machine: special files, huge files, a full or closed stdout, a
run of a trillion iterations. Each test runs the real command in a child process with a time limit
and an address-space cap (the `bounded` fixture: tests/support/bounded_process.py), so a regression
fails instead of hanging CI."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

SECONDS = 60
"""Far above the second or so each refusal takes; a hang or an unbounded read is killed at this point."""


@pytest.fixture
def refused(bounded):
    """`refused(argv, message)`: descent on `argv` fails at once, one `backprop-tui: error:` line saying `message`."""

    def check(argv: list[str], message: str) -> None:
        result = bounded.run_bounded(["descent", *argv, "--x", "a", "--y", "b"], seconds=SECONDS)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("backprop-tui: error: ")
        assert message in result.stderr

    return check


class TestSpecialFiles:
    @pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
    def test_dev_zero_is_refused_without_reading_it(self, refused) -> None:
        refused(["--data", "/dev/zero"], "zero is a device, not a CSV file")

    def test_a_fifo_without_a_writer_is_refused_without_blocking(self, tmp_path: Path, refused) -> None:
        fifo = tmp_path / "pipe.csv"
        os.mkfifo(fifo)
        refused(["--data", str(fifo)], "pipe.csv is a named pipe (FIFO), not a CSV file")

    def test_a_directory_is_refused(self, tmp_path: Path, refused) -> None:
        refused(["--data", str(tmp_path)], "is a directory, not a CSV file")

    def test_a_socket_is_refused(self, tmp_path: Path, refused) -> None:
        path = tmp_path / "s.csv"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            assert stat.S_ISSOCK(path.stat().st_mode)
            refused(["--data", str(path)], "s.csv is a socket, not a CSV file")
        finally:
            server.close()

    def test_a_two_gigabyte_sparse_file_is_refused_by_its_size(self, tmp_path: Path, refused) -> None:
        path = tmp_path / "sparse.csv"
        with path.open("wb") as handle:
            handle.truncate(2 << 30)
        refused(["--data", str(path)], "sparse.csv is too large (2 GiB): the limit is 1 GiB")


OUTPUT_PATHS = [
    pytest.param(["table"], id="table"),
    pytest.param(["table", "--list-examples"], id="table-list"),
    pytest.param(["table", "--help"], id="table-help"),
    pytest.param(["--help"], id="app-help"),
    pytest.param(["descent", "--iters", "3"], id="descent-text"),
    pytest.param(["descent", "--iters", "3", "--format", "json"], id="descent-json"),
    pytest.param(["descent", "--help"], id="descent-help"),
    pytest.param(["descent", "--example", "two-neurons"], id="two-neurons"),
]


def assert_one_line_failure(result, reason: str) -> None:
    assert result.returncode == 1
    assert result.stderr == f"backprop-tui: error: cannot write the output: {reason}\n"


class TestUnwritableOutput:
    """Output that cannot be written is one stderr line and exit 1: never a traceback, never a false success."""

    @pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
    @pytest.mark.parametrize("argv", OUTPUT_PATHS)
    def test_a_full_disk(self, argv: list[str], bounded) -> None:
        with open("/dev/full", "w") as full:
            result = bounded.run_bounded(argv, seconds=SECONDS, stdout=full)
        assert_one_line_failure(result, "No space left on device")

    @pytest.mark.parametrize("argv", OUTPUT_PATHS)
    def test_a_closed_stdout(self, argv: list[str], bounded) -> None:
        result = bounded.run_bounded(argv, seconds=SECONDS, close_stdout=True)
        assert_one_line_failure(result, "standard output is closed")

    def test_help_to_a_writable_stdout_still_succeeds(self, bounded) -> None:
        result = bounded.run_bounded(["table", "--help"], seconds=SECONDS, stdout=subprocess.DEVNULL)
        assert result.returncode == 0 and result.stderr == ""


ENDLESS = ["descent", "--iters", "1000000000000", "--lr", "1e-9"]
"""A trillion iterations of a step too small to converge: the run ends only when the user stops it."""


@pytest.mark.slow
class TestEndlessRun:
    """It prints from the start, in a fixed memory budget, and Ctrl+C keeps what was printed."""

    MEGABYTES = 700
    """Address space for the child: the app's imports and a bounded history fit; an unbounded one would not
    over a long run, and then its allocation fails instead of taking the machine."""

    def test_csv_streams_and_ctrl_c_keeps_every_complete_line(self, bounded) -> None:
        code, lines, error = bounded.interrupt_after_lines([*ENDLESS, "--format", "csv"], 2500, seconds=SECONDS,
                                                   megabytes=self.MEGABYTES)
        assert code == 130 and error == ""
        assert lines[0] == "iteration,epoch,β0,β1,loss,batch_loss,grad_norm\n"
        assert all(line.endswith("\n") for line in lines)
        numbers = [int(line.split(",")[0]) for line in lines[1:]]
        assert numbers == list(range(1, len(numbers) + 1))

    def test_jsonl_streams_and_ends_with_the_interrupted_verdict(self, bounded) -> None:
        code, lines, error = bounded.interrupt_after_lines([*ENDLESS, "--format", "jsonl"], 2500, seconds=SECONDS,
                                                   megabytes=self.MEGABYTES)
        assert code == 130 and error == ""
        objects = [json.loads(line) for line in lines]
        assert [entry["iteration"] for entry in objects[:-1]] == list(range(1, len(objects)))
        assert set(objects[-1]) == {"final", "stopped"} and objects[-1]["stopped"] == "interrupted"

    def test_json_is_one_valid_document_after_ctrl_c(self, bounded) -> None:
        code, lines, error = bounded.interrupt_after_lines([*ENDLESS, "--format", "json"], 2500, seconds=SECONDS,
                                                   megabytes=self.MEGABYTES)
        assert code == 130 and error == ""
        document = json.loads("".join(lines))
        assert document["stopped"] == "interrupted" and len(document["history"]) >= 2500

    def test_text_ends_with_the_interrupted_verdict(self, bounded) -> None:
        code, lines, error = bounded.interrupt_after_lines(ENDLESS, 2500, seconds=SECONDS, megabytes=self.MEGABYTES)
        assert code == 130 and error == ""
        verdict = next(line for line in lines if line.startswith("stopped:"))
        assert verdict.startswith("stopped: interrupted after ") and "(Ctrl+C)" in verdict
        assert lines[-1].startswith("in MaxHR units: ")
