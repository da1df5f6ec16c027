"""What the student asked gradient descent to do, resolved into a run.

The headless `descent` command and the descent screen both come through here, so they accept and
refuse the same choices with the same one-line messages (as `problem.py` does for the stepper).
Each example brings defaults (data, columns, η, iterations) that reach its fit; anything the
student gives overrides them.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace

from ..engine.quoting import quoted
from . import minima
from .data import BUNDLED, DataError, Dataset, LoadCallback, Source, bundled, load_csv
from .initial import InitError, parse_init, start_from_raw, start_note
from .models import MODELS, ModelError, minima_model, model_for
from .objective import Objective
from .optimizers import (
    DEFAULT_BATCH_SIZE,
    KINDS,
    Optimizer,
    OptimizerError,
    batch_size_problem,
    learning_rate_problem,
    momentum_problem,
    seed_problem,
)
from .run import DEFAULT_TOLERANCE, DescentRun


class SetupError(ValueError):
    """A choice the student can fix; the message names the option."""


@dataclass(frozen=True)
class DescentExample:
    """A ready-made descent: its data and columns, and η and iterations per model that reach the fit."""

    name: str
    title: str
    data: str | None
    x: tuple[str, ...]
    y: str | None
    standardize: bool
    lr: dict[str, float] = field(default_factory=dict)
    iters: dict[str, int] = field(default_factory=dict)


DESCENT_EXAMPLES: dict[str, DescentExample] = {
    example.name: example for example in (
        DescentExample("heart", "Heart", "heart", ("MaxHR",), "AHD", True,
                       {"neuron": 0.5, "mlp": 1.0}, {"neuron": 1000, "mlp": 2000}),
        DescentExample("altered", "altered heart", "altered", ("MaxHR",), "AHD", True,
                       {"neuron": 0.5, "mlp": 1.0}, {"neuron": 1000, "mlp": 2000}),
        DescentExample("minima", "local minima", None, (), None, False, {"minima": 0.002}, {"minima": 1000}),
    )
}
DEFAULT_DESCENT_EXAMPLE = "heart"
DATA_LR = {"neuron": 0.5, "mlp": 1.0}
DATA_ITERS = {"neuron": 1000, "mlp": 2000}
MINIMA_START = 0.9


@dataclass(frozen=True)
class DescentConfig:
    """Every setting of a run, defaults filled in: what the JSON output's `config` shows."""

    example: str | None
    data: str | None
    x: tuple[str, ...]
    y: str | None
    model: str
    optimizer: str
    batch_size: int | None
    lr: float
    momentum: float
    iters: int
    seed: int
    standardize: bool
    start: float | None
    tolerance: float = DEFAULT_TOLERANCE
    init: tuple[tuple[str, float], ...] | None = None
    """--init: starting parameters in the data's own units (None: the model's start)."""

    def as_dict(self) -> dict[str, object]:
        document = asdict(self)
        document["x"] = list(self.x)
        document["init"] = None if self.init is None else dict(self.init)
        return document


@dataclass(frozen=True)
class DescentOptions:
    """What the student asked for, each None where they gave nothing: built once from the command line
    (`DescentOptions.from_arguments`) and resolved by name, never passed field by field."""

    example: str | None = None
    data: str | None = None
    x: str | None = None
    """Feature column(s), comma-separated as typed."""
    y: str | None = None
    model: str | None = None
    optimizer: str | None = None
    batch_size: int | None = None
    lr: float | None = None
    momentum: float | None = None
    iters: int | None = None
    seed: int | None = None
    standardize: bool | None = None
    start: float | None = None
    init: str | None = None
    """--init as typed: `NAME=VALUE,...`."""

    @classmethod
    def from_arguments(cls, arguments: object) -> DescentOptions:
        """The options an argparse namespace holds (its other attributes, such as --format, are not run options)."""
        return cls(**{name: getattr(arguments, name) for name in cls.__dataclass_fields__})


def resolve(options: DescentOptions = DescentOptions()) -> DescentConfig:  # noqa: B008 (frozen, so shared safely)
    """Fill in the defaults and refuse contradictions, each with a message that names the option."""
    if options.init is not None:
        return _with_init(resolve(replace(options, init=None)), options.init)
    example, data = options.example, options.data
    if example is not None and data is not None:
        raise SetupError("give either --example or --data, not both")
    if data is None and example is None:
        example = DEFAULT_DESCENT_EXAMPLE
    chosen = DESCENT_EXAMPLES.get(example) if example is not None else None
    if example is not None and chosen is None:
        raise SetupError(f"unknown example {example!r}: choose one of {', '.join(DESCENT_EXAMPLES)}")
    if chosen is not None and chosen.name == "minima":
        return _resolve_minima(options)
    if options.start is not None:
        raise SetupError("--start is for --example minima")
    if data is not None and (not options.x or not options.y):
        raise SetupError("--data needs --x COLUMN[,COLUMN…] and --y COLUMN")
    columns = _columns(options.x) if options.x else chosen.x  # type: ignore[union-attr]
    model = options.model or "neuron"
    if model not in MODELS:
        raise SetupError(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    if model == "mlp" and len(columns) != 1:
        raise SetupError(f"--model mlp takes exactly one --x column, got {len(columns)}")
    kind, size = _batching(options.optimizer, options.batch_size)
    defaults_lr = chosen.lr if chosen else DATA_LR
    defaults_iters = chosen.iters if chosen else DATA_ITERS
    standardize = chosen.standardize if chosen else False
    config = DescentConfig(
        example=chosen.name if chosen else None,
        data=data if data is not None else BUNDLED[chosen.data],  # type: ignore[union-attr,index]
        x=columns, y=options.y or chosen.y, model=model, optimizer=kind, batch_size=size,  # type: ignore[union-attr]
        lr=_given(options.lr, defaults_lr[model]), momentum=_given(options.momentum, 0.0),
        iters=_given(options.iters, defaults_iters[model]), seed=_given(options.seed, 0),
        standardize=_given(options.standardize, standardize), start=None)
    _check_numbers(config)
    return config


def _given(value, default):  # noqa: ANN001, ANN202 (any option's type)
    """The student's value, or the default where they gave none."""
    return default if value is None else value


def _resolve_minima(options: DescentOptions) -> DescentConfig:
    given = {"--data": options.data, "--x": options.x, "--y": options.y, "--batch-size": options.batch_size,
             "--standardize": options.standardize}
    extra = [option for option, value in given.items() if value is not None]
    if extra:
        raise SetupError(f"the minima example has no data: {extra[0]} does not apply")
    if options.model not in (None, "minima"):
        raise SetupError("the minima example has its own function: --model does not apply")
    if options.optimizer not in (None, "gd"):
        raise SetupError("the minima example has no data to batch: use --optimizer gd")
    example = DESCENT_EXAMPLES["minima"]
    try:
        start = minima.check_start(_given(options.start, MINIMA_START))
    except minima.StartError as error:
        raise SetupError(f"--start: {error}") from None
    config = DescentConfig(
        example="minima", data=None, x=(), y=None, model="minima", optimizer="gd", batch_size=None,
        lr=_given(options.lr, example.lr["minima"]), momentum=_given(options.momentum, 0.0),
        iters=_given(options.iters, example.iters["minima"]), seed=_given(options.seed, 0),
        standardize=False, start=start)
    _check_numbers(config)
    return config


def init_refused(error: Exception) -> SetupError:
    """The refusal of a --init value, checked when the options are read or when the data is loaded."""
    return SetupError(f"--init: {error}")


def _with_init(config: DescentConfig, init: str) -> DescentConfig:
    """`config` starting from --init's parameters (checked against the model's names, not loaded yet)."""
    if config.model == "minima":
        raise SetupError("--init is for a model fitted to data; the minima example starts at --start")
    try:
        given = parse_init(init, model_for(config.model, len(config.x)).params)
    except (InitError, ModelError) as error:
        raise init_refused(error) from None
    return replace(config, init=tuple(given.items()))


def _columns(text: str) -> tuple[str, ...]:
    columns = tuple(part.strip() for part in text.split(","))
    if any(not column for column in columns):
        raise SetupError(f"--x has an empty column name: {quoted(text)}")
    return columns


def _batching(optimizer: str | None, batch_size: int | None) -> tuple[str, int | None]:
    """The optimizer and its batch size; a batch size alone means mini-batch."""
    if optimizer is None:
        optimizer = "minibatch" if batch_size is not None else "gd"
    if optimizer not in KINDS:
        raise SetupError(f"unknown optimizer {optimizer!r}: choose one of {', '.join(KINDS)}")
    problem = batch_size_problem(batch_size) if batch_size is not None else None
    if problem is not None:
        raise SetupError(f"--batch-size {problem}")
    if optimizer == "gd" and batch_size is not None:
        raise SetupError("--batch-size does not apply to --optimizer gd (it uses every row); use minibatch")
    if optimizer == "sgd" and batch_size not in (None, 1):
        raise SetupError("--optimizer sgd uses one row per step; use minibatch for --batch-size")
    if optimizer == "minibatch":
        return optimizer, DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    return optimizer, 1 if optimizer == "sgd" else None


def _check_numbers(config: DescentConfig) -> None:
    checks = (("--lr", learning_rate_problem(config.lr)), ("--momentum", momentum_problem(config.momentum)),
              ("--seed", seed_problem(config.seed)))
    for option, problem in checks:
        if problem is not None:
            raise SetupError(f"{option} {problem}")
    if config.iters < 1:
        raise SetupError(f"--iters must be at least 1, got {config.iters}")


@dataclass(frozen=True)
class DescentSetup:
    """A resolved configuration with its data loaded and its objective built, ready for runs."""

    config: DescentConfig
    objective: Objective
    start: tuple[float, ...] | None = None
    """Where runs start, in training's units (standardised or not); None: the model's own start."""

    @property
    def data(self) -> Dataset | None:
        return self.objective.data

    @property
    def start_note(self) -> str | None:
        """`starting from β0 = 6, β1 = -0.04 (in MaxHR units); standardised for training: …`, with --init."""
        data = self.data
        if self.config.init is None or self.start is None or data is None:
            return None
        return start_note(self.objective.model, data.scaling, data.features, dict(self.config.init), self.start)

    def optimizer(self) -> Optimizer:
        config = self.config
        return Optimizer(config.optimizer, config.lr, config.momentum,  # type: ignore[arg-type]
                         config.batch_size or DEFAULT_BATCH_SIZE, config.seed)

    def new_run(self) -> DescentRun:
        return DescentRun(self.objective, self.optimizer(), tolerance=self.config.tolerance, start=self.start)

    @property
    def title(self) -> str:
        """`Heart.csv: AHD ~ MaxHR (303 rows, standardised)`, or the minima function."""
        data = self.data
        if data is None:
            return f"f(x) = {minima.DISPLAY} from x = {self.config.start:g}"
        scaled = ", standardised" if data.scaling else ""
        dropped = f", {data.dropped} dropped for missing values" if data.dropped else ""
        return f"{data.name}: {data.target} ~ {' + '.join(data.features)} ({len(data)} rows{scaled}{dropped})"


def build(config: DescentConfig, progress: LoadCallback | None = None) -> DescentSetup:
    """Load the data (if any) and build the model's objective; refusals become SetupError."""
    try:
        if config.model == "minima":
            return DescentSetup(config, Objective(minima_model(config.start)))  # type: ignore[arg-type]
        example = DESCENT_EXAMPLES[config.example] if config.example else None
        source: Source = bundled(example.data) if example and example.data else os.fspath(config.data)  # type: ignore[arg-type]
        data = load_csv(source, config.x, config.y, standardize=config.standardize,  # type: ignore[arg-type]
                        progress=progress)
        model = model_for(config.model, len(config.x))
        start = start_from_raw(model, data.scaling, dict(config.init)) if config.init is not None else None
        return DescentSetup(config, Objective(model, data), start)
    except InitError as error:
        raise init_refused(error) from None
    except (DataError, ModelError, OptimizerError) as error:
        raise SetupError(str(error)) from None
