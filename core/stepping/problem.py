"""What the student asked to see: a graph, the values of its inputs, the mode and the input to
differentiate with respect to. The CLI and the TUI's edit form both build it here, so they accept
and refuse exactly the same things with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.graph import Graph, GraphError
from ..engine.literals import NumberRefused, too_small, typed_number
from ..engine.numbers import Vector, format_value, vector
from ..engine.parser import ParseError, graph_from_expression
from ..engine.quoting import quoted, short
from .examples import GRAPH_EXAMPLES, example
from .slide_notes import slide_notes
from .snapshot import MODES, Mode, unknown_mode
from .steppers import Stepper, make_stepper
from .table import TableSource

DEFAULT_GRAPH_EXAMPLE = "lecture"


class ProblemError(ValueError):
    """Input the student can fix: the message says what is wrong and where."""


@dataclass(frozen=True)
class Problem:
    """A graph with everything needed to step through it."""

    source: TableSource
    graph: Graph
    inputs: dict[str, float] = field(default_factory=dict)
    wrt: str = ""
    mode: Mode = "reverse"

    def stepper(self, mode: Mode | None = None) -> Stepper:
        chosen = mode or self.mode
        example_name = self.source.text if self.source.kind == "example" else None
        notes = slide_notes(example_name, chosen, self.inputs, self.wrt)
        return make_stepper(chosen, self.graph, self.inputs, self.wrt, notes)

    @property
    def title(self) -> str:
        if self.source.kind == "example":
            chosen = GRAPH_EXAMPLES[self.source.text]
            return f"{chosen.name} ({chosen.slides})"
        return self.source.title or self.source.text

    def with_mode(self, mode: Mode) -> Problem:
        return Problem(self.source, self.graph, dict(self.inputs), self.wrt, mode)

    def with_wrt(self, wrt: str) -> Problem:
        if wrt not in self.graph.inputs:
            raise ProblemError(f"unknown input {quoted(wrt)}: the graph's inputs are {', '.join(self.graph.inputs)}")
        return Problem(self.source, self.graph, dict(self.inputs), wrt, self.mode)


def split_assignments(text: str) -> list[str]:
    """`X=3,W1[2,1]=0.5` split at each comma whose next bracket is not a `]` (a comma inside
    brackets belongs to a name). One pass from the right finds every comma's next bracket; the
    look-ahead regex this replaces rescanned the rest of the text at every comma."""
    keep: set[int] = set()
    next_bracket = ""
    for position in range(len(text) - 1, -1, -1):
        char = text[position]
        if char in "[]":
            next_bracket = char
        elif char == "," and next_bracket == "]":
            keep.add(position)
    parts: list[str] = []
    start = 0
    for position, char in enumerate(text):
        if char == "," and position not in keep:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return parts


def _parse_number(name: str, raw: str) -> float:
    try:
        return typed_number(raw)
    except NumberRefused as refused:
        if refused.rule == "not a number":
            raise ProblemError(f"the value of {short(name)} is not a number: {quoted(raw)}") from None
        if refused.rule == "not finite":
            raise ProblemError(f"the value of {short(name)} must be a finite number, got {quoted(raw)}") from None
        raise ProblemError(f"the value of {short(name)}: {too_small(raw.strip())}") from None


MAX_VECTOR_LENGTH = 1000
"""More components than any vector a student types (slide 14 has five): a longer one is refused, not stored."""


def _parse_vector(name: str, raw: str) -> Vector:
    """`[-3, 0.01, 0.02]` (commas or semicolons between the numbers) as a Vector of finite numbers."""
    if not raw.endswith("]"):
        raise ProblemError(f"the vector {short(name)} must end with ']': {quoted(raw)}")
    parts = [part.strip() for part in raw[1:-1].replace(";", ",").split(",")]
    if parts == [""] or "" in parts:
        raise ProblemError(f"the vector {short(name)} needs numbers between its commas: {quoted(raw)}")
    if len(parts) > MAX_VECTOR_LENGTH:
        raise ProblemError(f"the vector {short(name)} has {len(parts)} numbers: at most {MAX_VECTOR_LENGTH}")
    return vector([_parse_number(f"{name}[{index}]", part) for index, part in enumerate(parts)])  # type: ignore[return-value]


def check_vectors(inputs: dict[str, float], defaults: dict[str, float]) -> None:
    """An input the example gives as a vector must stay one, and the vectors must have one length (WᵀX)."""
    for name, default in defaults.items():
        if isinstance(default, Vector) and not isinstance(inputs[name], Vector):
            raise ProblemError(f"{name} is a vector here: give it as {name}=[{', '.join(['…'] * 2)}], "
                               f"e.g. {name}={format_value(default)}")
    for name, value in inputs.items():
        if isinstance(value, Vector) and not isinstance(defaults.get(name), Vector):
            raise ProblemError(f"{name} takes one number here, not a vector (vectors are for slide 14's "
                               f"neuron-multi, W and X)")
    lengths = {name: len(value) for name, value in inputs.items() if isinstance(value, Vector)}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ProblemError(f"the vectors must have the same length for WᵀX: {shown} numbers")


def parse_assignments(text: str | None) -> dict[str, float]:
    """`X=3,y=1,W=3` as a dict; every value must be a finite number (or a vector `W=[-3, 0.01]` of
    them), every name given once.

    Commas inside brackets belong to a name (`W1[2,1]=0.5`) or a vector, not between assignments.
    """
    values: dict[str, float] = {}
    if not text:
        return values
    for part in split_assignments(text):
        part = part.strip()
        if not part:
            continue
        name, equals, raw = part.partition("=")
        name, raw = name.strip(), raw.strip()
        if not equals or not name or not raw:
            raise ProblemError(f"expected NAME=VALUE, got {quoted(part)}")
        number = _parse_vector(name, raw) if raw.startswith("[") else _parse_number(name, raw)
        if name in values:
            given = f"{short(name)}={format_value(values[name])} and {short(part)}"
            raise ProblemError(f"{short(name)} is given twice ({given}): give it once")
        values[name] = number
    return values


def build_problem(example_name: str | None = None, expression: str | None = None, at: str | None = None,
                  wrt: str | None = None, mode: str = "reverse") -> Problem:
    """Resolve the CLI's/form's choices into a Problem, or raise ProblemError with a one-line message."""
    if mode not in MODES:
        raise ProblemError(unknown_mode(mode))
    if example_name and expression:
        raise ProblemError("give either an example or an expression, not both")
    defaults: dict[str, float] = {}
    try:
        if expression is not None:
            if not expression.strip():
                raise ProblemError("the expression is empty")
            graph = graph_from_expression(expression)
            source = TableSource("expr", expression)
            default_wrt = "W" if "W" in graph.inputs else graph.inputs[0]
        else:
            chosen = example(example_name or DEFAULT_GRAPH_EXAMPLE)
            graph = chosen.graph()
            source = TableSource("example", chosen.name)
            defaults, default_wrt = dict(chosen.defaults), chosen.wrt
    except ParseError as error:
        raise ProblemError(f"cannot parse the expression at column {error.column}: {error.message}") from None
    except GraphError as error:
        raise ProblemError(str(error)) from None
    given = parse_assignments(at)
    unknown = [name for name in given if name not in graph.index or graph.node(name).op is not None]
    if unknown:
        raise ProblemError(f"unknown variable {quoted(unknown[0])}: the graph's inputs are {', '.join(graph.inputs)}")
    inputs = {**defaults, **given}
    missing = [name for name in graph.inputs if name not in inputs]
    if missing:
        raise ProblemError(f"no value for {', '.join(missing)}: give it with --at {missing[0]}=VALUE")
    check_vectors(inputs, defaults)
    chosen_wrt = wrt or default_wrt
    try:
        graph.check_input(chosen_wrt)
    except GraphError as error:
        raise ProblemError(str(error)) from None
    return Problem(source, graph, {name: inputs[name] for name in graph.inputs}, chosen_wrt, mode)  # type: ignore[arg-type]
