"""`backprop-tui table`: every format, the JSON fields users' scripts read, and exit code 2 on bad input."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys

import pytest

from backprop_tui.tui.cli.main import main

GRADIENT = -3 * math.exp(-9) / (1 + math.exp(-9))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_is_the_lecture_table(capsys):
    code, out, err = run(capsys, "table")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["var", "definition"]
    assert [line.split()[0] for line in lines[2:]] == ["X", "y", "W", "ξ1", "ξ2", "ξ3", "ξ4", "ξ5", "L"]
    assert "e^-9 = 0.000123409804" in out


def test_json_has_the_documented_fields(capsys):
    code, out, _ = run(capsys, "table", "--example", "lecture", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["example"] == "lecture"
    assert document["mode"] == "reverse"
    assert document["inputs"] == {"X": 3.0, "y": 1.0, "W": 3.0}
    assert [node["name"] for node in document["nodes"]] == ["ξ1", "ξ2", "ξ3", "ξ4", "ξ5", "L"]
    first = document["nodes"][0]
    assert set(first) >= {"name", "op", "inputs", "formula", "expanded", "local_partials", "value", "local_values",
                          "adjoint", "fd_check"}
    assert first["inputs"] == ["W", "X"]
    assert first["local_partials"] == {"W": "−X", "X": "−W"}
    assert first["value"] == -9.0
    assert document["output"] == {"name": "L", "value": pytest.approx(-math.log(1 / (1 + math.exp(-9))))}
    assert document["gradient"]["W"] == pytest.approx(GRADIENT, rel=1e-12)
    assert all(node["fd_check"]["ok"] for node in document["nodes"])


def test_json_forward_mode_reports_tangents(capsys):
    code, out, _ = run(capsys, "table", "--expr", "-y*log(1/(1+exp(-W*X)))", "--at", "X=3,y=1,W=3",
                       "--mode", "forward", "--wrt", "W", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["expr"] == "-y*log(1/(1+exp(-W*X)))"
    assert document["wrt"] == "W"
    assert "tangent" in document["nodes"][-1] and "adjoint" not in document["nodes"][-1]
    assert document["gradient"] == {"W": pytest.approx(GRADIENT, rel=1e-12)}


def test_json_marks_non_finite_numbers_as_null_and_flags_them(capsys):
    code, out, _ = run(capsys, "table", "--expr", "log(x)*y", "--at", "x=0,y=2", "--format", "json")
    assert code == 0
    node = json.loads(out)["nodes"][0]
    assert node["value"] is None
    assert node["non_finite"]["value"] == "-inf"


def test_csv_parses_with_one_row_per_node(capsys):
    _, out, _ = run(capsys, "table", "--example", "lecture-full", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "var" and len(rows) == 1 + 3 + 11
    assert rows[-1][0] == "L"


def test_markdown_and_latex(capsys):
    _, markdown, _ = run(capsys, "table", "--format", "markdown")
    assert markdown.splitlines()[1].startswith("|---|")
    assert "| ξ4 | 1/ξ3 |" in markdown
    _, latex, _ = run(capsys, "table", "--format", "latex")
    assert latex.startswith(r"\begin{tabular}") and latex.rstrip().endswith(r"\end{tabular}")
    assert r"$\xi_{4}$ & $1/\xi_{3}$" in latex
    assert r"e^{-9}" in latex


def test_list_examples(capsys):
    code, out, _ = run(capsys, "table", "--list-examples")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["lecture", "lecture-full", "lecture-b", "neuron",
                                                              "neuron-multi", "mlp",
                                                              "mlp-16-16"]


@pytest.mark.parametrize(("argv", "message"), [
    (["table", "--example", "nope"], "unknown example 'nope'"),
    (["table", "--expr", "x +"], "column 4"),
    (["table", "--expr", "x*y", "--at", "x=1,z=2"], "unknown variable 'z'"),
    (["table", "--expr", "x*y", "--at", "x=1"], "no value for y"),
    (["table", "--at", "X=nan"], "finite number"),
    (["table", "--at", "X=abc"], "not a number"),
    (["table", "--at", "X=1e-400"], "the value of X: the number 1e-400 is smaller than the smallest double"),
    (["table", "--example", "neuron-multi", "--at", "W=[1,-1e-999,0,0,0]"], "W[1]: the number -1e-999 is smaller"),
    (["table", "--at", "X"], "NAME=VALUE"),
    (["table", "--mode", "forward", "--wrt", "Q"], "cannot differentiate with respect to 'Q'"),
    (["table", "--example", "lecture", "--expr", "x*x"], "not allowed with"),
    (["table", "--format", "pdf"], "invalid choice"),
    (["--example", "nope"], "unknown example"),
])
def test_bad_input_is_one_line_and_exit_code_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err


def test_closing_the_pipe_early_is_quiet():
    command = (f"{sys.executable} -c 'from backprop_tui.tui.cli.main import main; main()' "
               "table --example lecture-full | head -1")
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True,
                            timeout=60, input="")
    assert result.stdout.startswith("var")
    assert result.stderr == ""


def test_exit_code_from_a_real_process():
    result = subprocess.run([sys.executable, "-c", "import sys; from backprop_tui.tui.cli.main import main; main()",
                             "table", "--expr", "x**"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("backprop-tui: error:")


def test_names_with_brackets_take_values(capsys):
    code, out, _ = run(capsys, "table", "--example", "mlp-16-16", "--at", "W1[1,1]=0.3,X=1", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["inputs"]["W1[1,1]"] == 0.3 and document["inputs"]["X"] == 1.0


def test_a_table_process_ends_at_once_with_its_whole_output_written(capsys):
    """The command run as a process ends with `os._exit` once its table is written (tui/cli/process_end.py): every
    byte must be out first, through a pipe bigger than the pipe's buffer, and the exit code must be 0."""
    expression = "+".join(["X"] * 600)
    argv = ["table", "--expr", expression, "--at", "X=1", "--format", "json"]
    result = subprocess.run([sys.executable, "-m", "backprop_tui.tui.cli.main", *argv], capture_output=True,
                            timeout=120)
    assert result.returncode == 0 and result.stderr == b""
    code, in_process, _ = run(capsys, *argv)  # the same call in this process returns; it never ends the process
    assert code == 0
    assert len(result.stdout) > 2**17
    assert result.stdout.decode("utf-8") == in_process
