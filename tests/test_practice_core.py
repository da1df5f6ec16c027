"""Practice, core side: the constant evaluator, the grader, the cells and hints, the run's scoring, generated
exercises, the descent questions and the progress file."""

from __future__ import annotations

import json
import math
import os

import pytest

from backprop_tui.core.engine.constant_answers import evaluate_constant
from backprop_tui.core.engine.parser import MAX_EXPRESSION_CHARS, ParseError
from backprop_tui.core.lessons.answers import check_choice, check_number
from backprop_tui.core.lessons.cells import masked_snapshot, table_cells
from backprop_tui.core.lessons.descent_questions import direction_questions, minima_question
from backprop_tui.core.lessons.exercises import EXERCISE_IDS, EXERCISES, exercise, graph_worksheet
from backprop_tui.core.lessons.generated import LEVELS, generated_problem
from backprop_tui.core.lessons.practice import Choice, ExerciseRun, Worksheet
from backprop_tui.core.lessons.progress_store import ProgressStore, state_dir
from backprop_tui.core.stepping.problem import build_problem
from backprop_tui.core.training import minima

LECTURE_DLDW = -0.000370183728  # −3e^−9/(1+e^−9)


# --- the constant evaluator -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("-9", -9.0),
    ("e^-9", math.exp(-9)),
    ("e**-9", math.exp(-9)),
    ("1/(1+exp(-9))", 1 / (1 + math.exp(-9))),
    ("-3*e^-9/(1+e^-9)", -3 * math.exp(-9) / (1 + math.exp(-9))),
    ("2*pi", 2 * math.pi),
    ("π/2", math.pi / 2),
    ("log(e^2)", 2.0),
    ("σ(0)", 0.5),
    ("−1/(1+e^-9)^2", -1 / (1 + math.exp(-9)) ** 2),
    ("2^3^2", 512.0),
    ("1.5e-3", 0.0015),
    ("e^700", 1.0142320547350045e304),  # exp(x) at x = 700: a table's value near the top of the doubles
    ("tanh(1e308)", 1.0),
    ("1.7976931348623157e308", 1.7976931348623157e308),
    ("5e-324", 5e-324),
])
def test_evaluate_constant_reads_numbers_and_expressions(text, expected):
    assert evaluate_constant(text) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("text", "column", "words"), [
    ("-9)", 3, "unexpected ')'"),
    ("2 e", 3, "unexpected 'e'"),
    ("x + 1", 1, "unknown name 'x'"),
    ("foo(2)", 1, "unknown function"),
    ("1/0", 2, "division by zero"),
    ("log(-1)", 1, "not a finite number"),
    ("(-8)^(1/3)", 5, "fractional power"),
    ("1 +", 4, "ends too early"),
    ("", 1, "empty"),
])
def test_evaluate_constant_refuses_with_the_column(text, column, words):
    with pytest.raises(ParseError) as caught:
        evaluate_constant(text)
    assert caught.value.column == column
    assert words in caught.value.message
    assert caught.value.caret.splitlines()[-1] == " " * (column - 1) + "^"


@pytest.mark.parametrize("text", [
    "10^10^10",
    "9" * 400 + "^9",
    "exp(exp(exp(100)))",
    "2^" * 90 + "2",
    "(" * 5000 + "1" + ")" * 5000,
    "1+" * 50_000 + "1",
    "-" * 100_000 + "1",
])
def test_evaluate_constant_refuses_hostile_input(text):
    with pytest.raises(ParseError):
        evaluate_constant(text)


def test_evaluate_constant_refuses_over_long_input_before_parsing_it():
    with pytest.raises(ParseError) as caught:
        evaluate_constant("1" * 100_000)
    assert caught.value.column == MAX_EXPRESSION_CHARS + 1


# --- the grader ------------------------------------------------------------------------------------------

def test_check_number_accepts_five_significant_digits_and_expressions():
    assert check_number("-0.00037018", LECTURE_DLDW).verdict == "right"
    assert check_number("-3*e^-9/(1+e^-9)", LECTURE_DLDW).verdict == "right"
    assert check_number("-0.00037", LECTURE_DLDW).verdict == "wrong"


def test_check_number_does_not_take_one_for_xi4():
    xi4 = 1 / (1 + math.exp(-9))
    assert check_number("1", xi4).verdict == "wrong"
    assert check_number("0.99988", xi4).verdict == "right"


def test_check_number_near_zero_uses_the_absolute_tolerance():
    assert check_number("0", -0.0).verdict == "right"
    assert check_number("1e-12", 0.0).verdict == "right"
    assert check_number("1e-6", 0.0).verdict == "wrong"


def test_check_number_gives_the_parsers_column_for_a_typo():
    checked = check_number("1/(1+e^-9", 1.0)
    assert checked.verdict == "unparsed"
    assert checked.column == 10
    assert "expected ')'" in checked.message


def test_check_choice_reads_the_number_of_a_choice():
    assert check_choice("2", 3, 1).verdict == "right"
    assert check_choice(" 1. ", 3, 1).verdict == "wrong"
    assert check_choice("4", 3, 1).verdict == "unparsed"
    assert check_choice("left", 3, 1).verdict == "unparsed"


# --- the cells of the lecture's table ---------------------------------------------------------------------

def test_the_first_exercise_asks_xi1_first():
    worksheet = EXERCISES[0].build(None)
    first = worksheet.questions[0]
    assert EXERCISES[0].id == "lecture-forward"
    assert (first.label, first.kind, first.expected) == ("ξ1", "value", -9.0)
    assert first.hint == "ξ1 = −WᵀX, and W = 3, X = 3"


def test_lecture_forward_ends_with_dL_dW():
    last = exercise("lecture-forward").build(None).questions[-1]
    assert last.label == "dL/dW"
    assert last.expected == pytest.approx(LECTURE_DLDW, abs=1e-12)


def test_partial_hint_in_the_lectures_words():
    cells = exercise("lecture-forward").build(None).questions
    partial = next(cell for cell in cells if cell.label == "∂ξ4/∂ξ3")
    assert partial.hint == "∂ξ4/∂ξ3 = −1/ξ3², and ξ3 = 1+e^-9 = 1.00012341"
    assert partial.expected == pytest.approx(-1 / (1 + math.exp(-9)) ** 2)


def test_lecture_backward_asks_the_adjoints_down_to_W():
    cells = exercise("lecture-backward").build(None).questions
    assert [cell.label for cell in cells] == ["dL/dξ5", "dL/dξ4", "dL/dξ3", "dL/dξ2", "dL/dξ1", "dL/dW"]
    assert cells[-1].expected == pytest.approx(LECTURE_DLDW, abs=1e-12)


def test_lecture_full_asks_the_fan_out_sum_at_xi4():
    cells = exercise("lecture-full-backward").build(None).questions
    at_xi4 = [cell for cell in cells if cell.node == "ξ4"]
    assert [cell.contribution for cell in at_xi4] == [1, 2]
    assert "a fan-out, so add this term" in at_xi4[1].hint
    stepper = build_problem("lecture-full").stepper()
    assert at_xi4[1].expected == pytest.approx(float(stepper.adjoints["ξ4"]))


def test_masked_snapshot_hides_the_cell_asked_and_everything_after():
    worksheet = exercise("lecture-forward").build(None)
    cells, stepper = worksheet.questions, worksheet.stepper
    asking_partial = masked_snapshot(stepper, cells, 1)  # ∂ξ1/∂W: ξ1's value shown, its partials not yet
    row = asking_partial.row("ξ1")
    assert row.value == -9 and row.partial_values == () and row.accumulated is None
    assert "-3" not in asking_partial.step.explanation
    assert masked_snapshot(stepper, cells, len(cells)) == stepper.final()


def test_table_cells_of_a_reverse_graph_ask_only_the_chosen_inputs():
    """Slide 61's chain (issue 20): L reads p and p reads h, so the adjoints run L → p → h → β1, and the
    exercise asks dL/dp as the slide computes it; of the inputs only the chosen one is asked."""
    stepper = build_problem("neuron").stepper()
    labels = [cell.label for cell in table_cells(stepper, ("accumulated",), ("β1",))]
    assert labels == ["dL/dp", "dL/dh", "dL/dβ1"]


def test_graph_worksheet_refuses_a_graph_too_big_to_type_through():
    with pytest.raises(ValueError, match="cells to type"):
        graph_worksheet(build_problem("mlp-16-16"))


# --- a run: first try, after a hint, revealed -------------------------------------------------------------

def test_run_scores_first_try_hint_and_reveal():
    run = ExerciseRun(exercise("lecture-backward").build(None))
    assert run.submit("-1").kind == "right"
    wrong = run.submit("1")
    assert wrong.kind == "wrong" and wrong.message.startswith("✗ not quite. Hint: dL/dξ4 = dL/dξ5 · ∂ξ5/∂ξ4")
    assert run.submit("-(1+e^-9)").kind == "right"
    assert run.submit("1/(").kind == "unparsed"  # a typo is not an attempt
    assert run.submit("2").kind == "wrong"
    assert run.submit("3").kind == "revealed"
    assert run.reveal().kind == "revealed"
    for answer in ("1/(1+e^-9)*e^-9", "-3*e^-9/(1+e^-9)"):
        assert run.submit(answer).kind == "right"
    assert run.finished and run.submit("1") is None
    score = run.score
    assert (score.first, score.hint, score.revealed, score.total) == (3, 1, 2, 6)
    assert score.retry == ("dL/dξ4", "dL/dξ3", "dL/dξ2")
    assert score.percent == round(100 * 3.5 / 6)


# --- generated exercises ----------------------------------------------------------------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_the_same_seed_gives_the_same_generated_exercise(level):
    first, again = generated_problem(42, level), generated_problem(42, level)
    assert (first.source.text, first.inputs) == (again.source.text, again.inputs)
    assert {generated_problem(seed, level).source.text for seed in range(6)} != {first.source.text}


@pytest.mark.parametrize("level", LEVELS)
def test_generated_exercises_have_a_fan_out_and_workable_numbers(level):
    for seed in range(10):
        worksheet = exercise(f"generated-{level}").build(seed)
        assert worksheet.seed == seed
        assert any(cell.contribution == 2 for cell in worksheet.questions), worksheet.problem.source.text
        assert all(math.isfinite(cell.expected) and abs(cell.expected) < 1e4 for cell in worksheet.questions)


# --- the descent questions ---------------------------------------------------------------------------------

def test_direction_questions_follow_the_slopes_sign():
    for question in direction_questions():
        slope_positive = "(positive)" in question.prompt
        assert question.correct == (0 if slope_positive else 1)
        assert ("moved left" if slope_positive else "moved right") in question.shown


def test_minima_question_has_one_start_in_the_global_basin():
    question = minima_question()
    assert isinstance(question, Choice)
    assert question.shown.count("(global)") == 1
    starts = [float(option.rsplit("= ", 1)[1]) for option in question.options]
    assert starts[question.correct] < minima.RIDGE
    assert all(start > minima.RIDGE for index, start in enumerate(starts) if index != question.correct)


# --- the progress file ------------------------------------------------------------------------------------

def finished_run() -> ExerciseRun:
    run = ExerciseRun(exercise("lecture-backward").build(None))
    for _ in run.questions:
        run.reveal()
    return run


def test_state_dir_follows_xdg_state_home(tmp_path):
    assert state_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "backprop-tui"


def test_state_dir_falls_back_to_local_state(tmp_path):
    assert state_dir({"HOME": str(tmp_path)}) == tmp_path / ".local/state/backprop-tui"
    assert state_dir({"XDG_STATE_HOME": "relative", "HOME": str(tmp_path)}) == tmp_path / ".local/state/backprop-tui"


def test_progress_is_saved_atomically_and_read_back(tmp_path):
    store = ProgressStore(tmp_path)
    store.started("lecture-backward")
    store.finished("lecture-backward", finished_run().score)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["practice.json", "practice.json.lock"]  # no temporary
    again = ProgressStore(tmp_path)
    record = again.record("lecture-backward")
    assert (record.status, record.best, record.finished) == ("done", 0, 1)
    assert record.retry[0] == "dL/dξ5"
    assert again.record("neuron").status == "new"
    assert list(again.document()["exercises"]) == list(EXERCISE_IDS)


def test_a_corrupt_state_file_is_survived_and_said_once(tmp_path):
    (tmp_path / "practice.json").write_text("{not json", encoding="utf-8")
    store = ProgressStore(tmp_path)
    assert store.records == {}
    message = store.unsaid_problem()
    assert message and "corrupt" in message
    assert store.unsaid_problem() is None
    store.finished("neuron", finished_run().score)  # in memory, not saved over the corrupt file
    assert store.record("neuron").status == "done"
    assert (tmp_path / "practice.json").read_text(encoding="utf-8") == "{not json"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_state_directory_is_survived(tmp_path):
    tmp_path.chmod(0o500)
    try:
        store = ProgressStore(tmp_path / "sub")
        store.finished("neuron", finished_run().score)
        assert not store.saving and "cannot write" in store.unsaid_problem()
    finally:
        tmp_path.chmod(0o700)


def test_a_state_path_that_is_a_directory_is_survived(tmp_path):
    (tmp_path / "practice.json").mkdir()
    store = ProgressStore(tmp_path)
    store.finished("neuron", finished_run().score)
    assert not store.saving and store.unsaid_problem()


def test_reset_forgets_everything(tmp_path):
    store = ProgressStore(tmp_path)
    store.finished("neuron", finished_run().score)
    assert store.reset()
    assert not (tmp_path / "practice.json").exists()
    assert ProgressStore(tmp_path).record("neuron").status == "new"


def test_status_document_is_json(tmp_path):
    store = ProgressStore(tmp_path)
    store.finished("lecture-backward", finished_run().score)
    document = json.loads(json.dumps(store.document()))
    assert document["exercises"]["lecture-backward"]["status"] == "done"
    line = store.status_text().splitlines()[1]
    assert line.split()[:4] == ["lecture-backward", "done", "best", "0"]


def test_a_worksheet_without_questions_is_finished_at_once():
    run = ExerciseRun(Worksheet((), "nothing"))
    assert run.finished and run.reveal() is None and run.score.percent == 0
