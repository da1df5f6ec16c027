"""Practice progress kept between runs: `$XDG_STATE_HOME/backprop-tui/practice.json`.

Several windows may share the file (two terminals, or the app beside `practice --status`/`--reset`), so a
change is never a copy written back: each one re-reads the file under an exclusive lock, applies itself to
what is on disk and replaces the file atomically (state_files). Any interleaving of processes keeps every
record, and a finished count counts every finish. A missing, corrupt or unwritable file never stops the app:
the store says why once (`problem`) and goes on in memory without saving.

Opening the store imports only the standard library: the exercise catalogue (and the training code behind
its descent questions) is imported when an exercise's id must be checked or the list printed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .state_files import StateFileError, locked, read_state, state_dir, write_state

if TYPE_CHECKING:
    from .practice import Score

__all__ = ["ExerciseProgress", "ProgressStore", "state_dir"]

STATE_FILE = "practice.json"
VERSION = 1
Status = Literal["new", "in progress", "done"]
STATUSES = ("new", "in progress", "done")


def _whole(value: Any, what: str, *, optional: bool = False) -> int | None:
    """A JSON whole number (not a bool, not a float such as 1e400), or None when `optional`."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} is not a whole number")
    return value


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
        """Checked field by field: a record of the wrong shape is a ValueError, never an exception of another kind."""
        if not isinstance(data, dict):
            raise ValueError("an exercise's record is not an object")
        status = data.get("status", "new")
        if status not in STATUSES:
            raise ValueError("an exercise's record has a bad status")
        best = _whole(data.get("best"), "best", optional=True)
        if best is not None and best > 100:
            raise ValueError("best is above 100 %")
        last_score, retry = data.get("last_score", ""), data.get("retry", [])
        if not isinstance(last_score, str) or not isinstance(retry, list) or \
                not all(isinstance(item, str) for item in retry):
            raise ValueError("an exercise's last score or cells to retry are not text")
        return cls(status, best, _whole(data.get("finished", 0), "finished") or 0, last_score, list(retry),
                   _whole(data.get("seed"), "seed", optional=True))


def _known_ids() -> tuple[str, ...]:
    from .exercises import EXERCISE_IDS

    return EXERCISE_IDS


class ProgressStore:
    """The records of every exercise: read from the file, and each change merged into it (when it can be)."""

    def __init__(self, directory: Path | None = None, *, on_disk: bool = True) -> None:
        """`on_disk=False`: the records live in memory for this run only, the file neither read nor written (a
        classroom tab: the server's state folder is every student's, and one student's scores are not another's)."""
        self.path = (directory or state_dir()) / STATE_FILE
        self.records: dict[str, ExerciseProgress] = {}
        self.problem: str | None = None
        """Why progress is not being kept (a corrupt or unwritable file), said once; None when all is well."""
        self.saving = on_disk
        self._said = False
        self.reload()

    def reload(self) -> None:
        """Read the file again (another window may have written it); nothing when the store has given up on it."""
        if not self.saving:
            return
        try:
            self.records = self._read()
        except StateFileError as error:
            self._give_up(f"{error}: starting afresh; progress will not be saved "
                          f"(backprop-tui practice --reset clears it)")

    def _read(self) -> dict[str, ExerciseProgress]:
        document = read_state(self.path)
        if document is None:
            return {}
        try:
            if not isinstance(document, dict) or not isinstance(document.get("exercises"), dict):
                raise ValueError("no exercises object")
            return {str(key): ExerciseProgress.from_json(value) for key, value in document["exercises"].items()}
        except ValueError as error:
            raise StateFileError(f"{self.path} is corrupt ({error})") from None

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
        def start(record: ExerciseProgress) -> None:
            if record.status == "new":
                record.status = "in progress"
            record.seed = seed if seed is not None else record.seed

        self._change(exercise_id, start)

    def finished(self, exercise_id: str, score: Score, seed: int | None = None) -> None:
        """Record a finished exercise; one not on the list (the stepper's graph) is not kept."""
        def finish(record: ExerciseProgress) -> None:
            record.status = "done"
            record.best = score.percent if record.best is None else max(record.best, score.percent)
            record.finished += 1
            record.last_score = score.text
            record.retry = list(score.retry)
            record.seed = seed if seed is not None else record.seed

        self._change(exercise_id, finish)

    def _change(self, exercise_id: str, apply: Callable[[ExerciseProgress], None]) -> None:
        """Apply a change here, then, under the lock, to the file as it is now on disk (not to this copy)."""
        if exercise_id not in _known_ids():
            return
        apply(self.records.setdefault(exercise_id, ExerciseProgress()))
        if not self.saving:
            return
        try:
            with locked(self.path):
                on_disk = self._read()
                apply(on_disk.setdefault(exercise_id, ExerciseProgress()))
                write_state(self.path, self._file_document(on_disk))
            self.records = on_disk
        except StateFileError as error:
            self._give_up(f"{error}: progress will not be saved (backprop-tui practice --reset clears it)")
        except OSError as error:
            self._give_up(f"cannot write {self.path} ({error.strerror or error}): progress will not be saved")

    def _file_document(self, records: dict[str, ExerciseProgress]) -> dict[str, Any]:
        """What is saved: every record on disk, also those of exercises this version does not list."""
        return {"version": VERSION, "exercises": {key: asdict(value) for key, value in records.items()}}

    def document(self) -> dict[str, Any]:
        """What `--status --format json` prints (every exercise, in list order)."""
        return {"version": VERSION, "path": str(self.path),
                "exercises": {exercise_id: asdict(self.record(exercise_id)) for exercise_id in _known_ids()}}

    def status_document(self) -> dict[str, Any]:
        """`document()` as `--status --format json` prints it: each exercise's nulls say why they are null."""
        document = self.document()
        for record in document["exercises"].values():
            reasons = {name: NULL_REASONS.get(name, "not recorded yet") for name, value in record.items()
                       if value is None}
            if reasons:
                record["null_reasons"] = reasons
        return document

    def reset(self) -> bool:
        """Forget everything (delete the file); False when the file exists but cannot be removed."""
        self.records = {}
        try:
            with locked(self.path):
                self.path.unlink(missing_ok=True)
        except OSError as error:
            # No file, and no folder to lock it in (XDG_STATE_HOME=/proc): nothing to forget, a reset like any other.
            if os.path.lexists(self.path):
                self.problem = None  # this failure, not the load's ("… --reset clears it"), is what a reset says
                self._give_up(f"cannot remove {self.path} ({error.strerror or error})")
                return False
        self.problem, self.saving, self._said = None, True, False
        return True

    def status_text(self) -> str:
        """One line per exercise: `lecture-forward  done  best 83 %  last: 7 first try · …`."""
        ids = _known_ids()
        width = max(len(exercise_id) for exercise_id in ids)
        lines = []
        for exercise_id in ids:
            record = self.record(exercise_id)
            best = f"best {record.best:3d} %" if record.best is not None else "best   – "
            last = f"  last: {record.last_score}" if record.last_score else ""
            lines.append(f"{exercise_id.ljust(width)}  {record.status.ljust(11)}  {best}{last}")
        return "\n".join(lines)
