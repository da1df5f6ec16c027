"""`backprop-tui --help` names every subcommand there is, and `--version` prints the installed version."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from backprop_tui.tui.cli.main import SUBCOMMANDS, main


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.splitlines() if line.startswith("  ") and not line.startswith("  -")}
    assert set(SUBCOMMANDS) <= listed, f"missing from --help: {set(SUBCOMMANDS) - listed}"
    assert "lesson map" in out


def test_version_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"backprop-tui {version('backprop-tui')}"
