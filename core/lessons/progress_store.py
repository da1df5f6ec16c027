"""Practice progress kept between runs: `$XDG_STATE_HOME/backprop-tui/practice.json`.

Written atomically (a temporary file in the same folder, then os.replace), so a crash never leaves
half a file. A missing, corrupt or unwritable file never stops the app: the store says why once
(`problem`) and goes on in memory without saving.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .exercises import EXERCISE_IDS, EXERCISES
from .practice import Score

STATE_FILE = "practice.json"
VERSION = 1
Status = Literal["new", "in progress", "done"]


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_STATE_HOME/backprop-tui`, or `~/.local/state/backprop-tui` when it is unset or not absolute."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path(environ.get("HOME") or Path.home()) / ".local/state"
    return root / "backprop-tui"


NULL_REASONS = {
    "best": "no score yet: the exercise has not been finished",
    "seed": "no numbers drawn yet: the exercise has not been started",
}
"""Why a progress record's field is null, for `--status --format json`."""


@dataclass
class ExerciseProgress:
    """One exercise's record: its status, the best score in percent, how often finished, the last cells to retry."""

    status: Status = "new"
    best: int | None = None
    finished: int = 0
    last_score: str = ""
    retry: list[str] = field(default_factory=list)
    seed: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> ExerciseProgress:
        if not isinstance(data, dict):
            raise ValueError("an exercise's record is not an object")
        status = data.get("status", "new")
        best = data.get("best")
        if status not in ("new", "in progress", "done") or not (best is None or isinstance(best, int)):
            raise ValueError("an exercise's record has a bad status or score")
        retry = data.get("retry", [])
        seed = data.get("seed")
        return cls(status, best, int(data.get("finished", 0)), str(data.get("last_score", "")),
                   [str(item) for item in retry] if isinstance(retry, list) else [],
                   seed if isinstance(seed, int) else None)


class ProgressStore:
    """The records of every exercise, loaded once and saved after every change (when it can be)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or state_dir()) / STATE_FILE
        self.records: dict[str, ExerciseProgress] = {}
        self.problem: str | None = None
        """Why progress is not being kept (a corrupt or unwritable file), said once; None when all is well."""
        self.saving = True
        self._said = False
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as error:
            self._give_up(f"cannot read {self.path} ({error.strerror or error}): progress will not be saved")
            return
        try:
            document = json.loads(text)
            exercises = document["exercises"]
            if not isinstance(exercises, dict):
                raise ValueError("exercises is not an object")
            self.records = {key: ExerciseProgress.from_json(value) for key, value in exercises.items()}
        except (ValueError, KeyError, TypeError) as error:
            self.records = {}
            self._give_up(f"{self.path} is corrupt ({error}): starting afresh; progress will not be saved "
                          f"(backprop-tui practice --reset clears it)")

    def _give_up(self, message: str) -> None:
        if self.problem is None:
            self.problem = message
        self.saving = False

    def unsaid_problem(self) -> str | None:
        """The problem, the first time it is asked for (a screen says it once); None after that or when all is well."""
        if self.problem is None or self._said:
            return None
        self._said = True
        return self.problem

    def record(self, exercise_id: str) -> ExerciseProgress:
        return self.records.get(exercise_id, ExerciseProgress())

    def started(self, exercise_id: str, seed: int | None = None) -> None:
        if exercise_id not in EXERCISE_IDS:
            return
        record = self.records.setdefault(exercise_id, ExerciseProgress())
        if record.status == "new":
            record.status = "in progress"
        record.seed = seed if seed is not None else record.seed
        self.save()

    def finished(self, exercise_id: str, score: Score, seed: int | None = None) -> None:
        """Record a finished exercise; one not on the list (the stepper's graph) is not kept."""
        if exercise_id not in EXERCISE_IDS:
            return
        record = self.records.setdefault(exercise_id, ExerciseProgress())
        record.status = "done"
        record.best = score.percent if record.best is None else max(record.best, score.percent)
        record.finished += 1
        record.last_score = score.text
        record.retry = list(score.retry)
        record.seed = seed if seed is not None else record.seed
        self.save()

    def document(self) -> dict[str, Any]:
        """The JSON that is saved and that `--status --format json` prints (every exercise, in list order)."""
        return {"version": VERSION, "path": str(self.path),
                "exercises": {exercise.id: asdict(self.record(exercise.id)) for exercise in EXERCISES}}

    def status_document(self) -> dict[str, Any]:
        """`document()` as `--status --format json` prints it: each exercise's nulls say why they are null."""
        document = self.document()
        for record in document["exercises"].values():
            reasons = {name: NULL_REASONS.get(name, "not recorded yet") for name, value in record.items()
                       if value is None}
            if reasons:
                record["null_reasons"] = reasons
        return document

    def save(self) -> None:
        if not self.saving:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".practice-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(self.document(), stream, ensure_ascii=False, indent=1)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            self._give_up(f"cannot write {self.path} ({error.strerror or error}): progress will not be saved")

    def reset(self) -> bool:
        """Forget everything (delete the file); False when the file exists but cannot be removed."""
        self.records = {}
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            self._give_up(f"cannot remove {self.path} ({error.strerror or error})")
            return False
        self.problem, self.saving, self._said = None, True, False
        return True

    def status_text(self) -> str:
        """One line per exercise: `lecture-forward  done  best 83 %  last: 7 first try · …`."""
        width = max(len(exercise.id) for exercise in EXERCISES)
        lines = []
        for exercise in EXERCISES:
            record = self.record(exercise.id)
            best = f"best {record.best:3d} %" if record.best is not None else "best   – "
            last = f"  last: {record.last_score}" if record.last_score else ""
            lines.append(f"{exercise.id.ljust(width)}  {record.status.ljust(11)}  {best}{last}")
        return "\n".join(lines)
