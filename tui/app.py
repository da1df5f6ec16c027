"""The one app: the stepper, the descent screens and every lesson of the map, each lesson a mode.

A Textual mode keeps its own stack of screens, so switching lessons leaves each one exactly where
the student left it: the same run, iteration, part and row. What several screens share (the
lessons visited, the hand-set parameters) is the app-held `Session`. `escape` goes back one screen
everywhere: off a screen pushed inside a lesson, or back to the lesson the student came from.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size

from backprop_tui.core.lessons.catalog import LESSON_IDS
from backprop_tui.core.lessons.resume import Place, PlaceStore
from backprop_tui.core.stepping.problem import Problem, build_problem

from . import hang_up, place, signals
from .keys_in_one_breath import KeysInOneBreath
from .lesson_screens import BUILDERS, WORKBENCH
from .screens.too_small import MIN_SIZE, TooSmallScreen

if TYPE_CHECKING:
    from textual.screen import Screen

    from backprop_tui.core.lessons.session import Session
    from backprop_tui.core.training.setup import DescentSetup

class BackpropApp(KeysInOneBreath, App[None]):
    """Step through backpropagation, and the whole lecture around it, lesson by lesson."""

    CSS_PATH = "styles/stepper.tcss"
    """The first screen's styles; the dialogs' (styles/dialogs.tcss) are read when the first dialog is shown."""
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True,
                tooltip="Ctrl+C quits from any screen and gives the terminal back as it was"),
        Binding("escape", "back", "Back", show=False, tooltip="Back one screen, or to the lesson you came from"),
        Binding("ctrl+z", "suspend_process", "Suspend", show=False, priority=True,
                tooltip="Ctrl+Z puts the app in the background, as in any terminal program (fg brings it back)"),
    ]
    TITLE = "backprop-tui"
    DEFAULT_MODE = WORKBENCH
    CSS = "OptionList { min-width: 8; }"
    """A list laid out at a width of zero wraps its options with a step of zero: Textual 8.2.8 then raises
    `ValueError: range() arg 3 must not be zero` (rich.cells.chop_cells). A screen is laid out at the new size
    before the app covers it, so a terminal a few columns wide did that to the practice list."""

    def __init__(self, problem: Problem | None = None, *, lesson: str | None = None,
                 descent_setup: DescentSetup | None = None, two_neurons_seed: int | None = None,
                 practice_seed: int | None = None, state_directory: Path | None = None,
                 remember_place: bool = False, resume: bool = False, keep_progress: bool = True) -> None:
        place_store = PlaceStore(state_directory) if remember_place else None
        resumed = place_store.load(BUILDERS) if resume and place_store is not None else Place()
        first_lesson = lesson if lesson is not None else resumed.lesson
        self.DEFAULT_MODE = first_lesson if first_lesson in BUILDERS else WORKBENCH
        """The mode Textual starts in (it reads this in its `__init__`): the first lesson's own, so a student back
        at a lesson, or `--lesson`, waits for that lesson's screen alone; the stepper's was built, drawn and left."""
        super().__init__()
        self.problem = problem if problem is not None else build_problem()
        self._session: Session | None = None
        self.first_lesson = first_lesson
        self.two_neurons_seed = two_neurons_seed
        """The seed of the two-neurons lesson (None: the lesson's own), resolved when that lesson is built, so
        start-up never imports the training code behind it."""
        self.practice_seed = practice_seed
        """The seed of the generated exercises (`backprop-tui practice --seed N`)."""
        self.descent_setup = descent_setup
        """The run set up on the command line (`descent --tui …`): the first lesson's, used when it is built."""
        self.started = False
        """Whether start-up is over (Textual's Ready): until then the footer composes no keys (StartupFooter)."""
        self.came_from: list[str] = []
        """The modes the student left to reach this one, most recent last: where `escape` returns."""
        self.state_directory = state_directory
        """Where progress and place are kept (None: `$XDG_STATE_HOME/backprop-tui`)."""
        self.keep_progress = keep_progress
        """Whether practice progress is written to the state folder (not in a classroom tab, see `cli.main`)."""
        self.place_store = place_store
        """Saves the student's place on every lesson switch and on exit (`backprop-tui` itself; not tests)."""
        self.place = resumed
        """Each lesson's position as last left; the session holds the same object once it is made."""
        self.restored: set[str] = set()
        """The modes whose saved position has been handed to their screen in this run (once each)."""
        self._uninstall_signals = lambda: None
        self.collector_paused = False
        """Whether start-up paused Python's cycle collector (`cli.main`): turned back on after the first frame."""
        for mode in BUILDERS:
            self.add_mode(mode, lambda mode=mode: self._build_mode(mode))

    def _build_mode(self, mode: str) -> Screen:
        """The screen at the bottom of `mode`'s stack, built the first time the mode is shown.

        Textual refreshes the whole CSS when it starts a mode whose screen has not seen the app's latest CSS:
        every source parsed again and the app restyled, some 2.5% of start-up before the first frame. A screen
        just built is styled on mount from that same stylesheet, so of that pass only the app's restyle counts
        (the screen's colours derive from the app's): it is done here, the rest skipped. A theme changed later
        still reaches every screen (Textual restyles them)."""
        screen = BUILDERS[mode](self, mode)
        if screen._css_update_count != self._css_update_count:
            self.stylesheet.update(self)
            screen._css_update_count = self._css_update_count
        return screen

    @property
    def session(self) -> Session:
        """What the student has done in this run, made when first needed: the lessons' code it imports
        (the classification lesson's parameters) is not needed to show the stepper."""
        if self._session is None:
            from backprop_tui.core.lessons.session import Session

            self._session = Session(state_directory=self.state_directory, place=self.place,
                                    progress_on_disk=self.keep_progress)
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = session

    def on_ready(self) -> None:
        """Start-up is over: the footer composes its keys after the next refresh, the first one displayed."""
        self.started = True
        self.screen.refresh_bindings()
        if self.collector_paused:
            self.call_after_refresh(self._resume_collector)

    def _resume_collector(self) -> None:
        """The first frame is drawn: the cycle collector back on, start-up's objects (the modules, the
        widgets, which live as long as the app) frozen out of its scans, so its first full pass is not theirs."""
        self.collector_paused = False
        gc.freeze()
        gc.enable()

    def on_mount(self) -> None:
        self._uninstall_signals = signals.install(self.end_on_signal, terminal=hang_up.terminal_fd(self.is_headless))
        self.app_resume_signal.subscribe(self, self._repaint_after_resume)
        # Any screen pushed while the terminal is too small (the practice list opening the next exercise
        # after a resize) would land on the cover and be drawn at 20×5: cover again after every change.
        self.screen_change_signal.subscribe(self, lambda screen: self.call_next(self.guard_size, self.size))
        if self.current_mode != WORKBENCH:  # started in a lesson (`--lesson`, or where the student left off)
            self.session.visited.add(self.current_mode)
        self.guard_size(self.size)
        self.call_after_refresh(place.restore_position, self, self.current_mode)
        if self.place_store is not None and self.place_store.problem:
            self.notify(self.place_store.problem, title="Place", severity="warning", timeout=8)

    def on_unmount(self) -> None:
        self._uninstall_signals()

    def end_on_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP: quit as Ctrl+C does (the terminal given back, the place saved), exit 128 + signum."""
        self.exit(return_code=128 + signum)

    def exit(self, result: None = None, return_code: int = 0, message: object | None = None) -> None:
        """Every way out (q, Ctrl+C, a signal) saves the student's place first; a place that cannot be written (a
        full disk) is said on the terminal once the app has left it, since a notification would vanish with it."""
        problem = place.save_place(self, self.place_store)
        if problem is not None and message is None:
            message = f"backprop-tui: warning: {problem}"
        super().exit(result, return_code, message)  # type: ignore[arg-type]

    def action_suspend_process(self) -> None:
        """Ctrl+Z: the terminal's job control, which raw mode turns into a key. The place is saved first, since a
        stopped job is often forgotten and its terminal closed. Textual's driver gives the terminal back on the
        stop and takes it again on `fg`; in a browser tab there is nothing to suspend, and nothing happens."""
        place.save_place(self, self.place_store)
        super().action_suspend_process()

    def _repaint_after_resume(self, _app: object) -> None:
        """Back from Ctrl+Z (`fg`): the terminal's alternate screen comes back empty, and Textual's driver only
        re-sends the unchanged size, so without this the student saw a blank window until a key redrew part of it."""
        self.screen.refresh(layout=True)

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a quick second Enter (see `palette`)."""
        from textual.command import CommandPalette

        from .palette import GuardedCommandPalette

        open_already = CommandPalette.is_open(self) or any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack)  # under the too-small cover
        if self.use_command_palette and not open_already and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    @property
    def lesson(self) -> str | None:
        """The lesson being shown (None on the stepper the app opened on)."""
        return self.current_mode if self.current_mode in LESSON_IDS else None

    def open_mode(self, mode: str) -> None:
        """Show `mode` where it was left, remembering where the student came from."""
        if mode == self.current_mode or not self.screen_stack:
            return
        self._uncover()
        left = self.current_mode
        place.keep_position(self, left)
        try:
            self.switch_mode(mode)
        except ImportError:
            # A lesson whose screen cannot be loaded (a partial install) is a warning where the student is,
            # not a crash of the whole app; Textual had already told the screen shown it was suspended.
            self.screen.post_message(events.ScreenResume())
            self.notify(f"the {mode} lesson is not available (its screen could not be loaded)", severity="warning")
            return
        self.came_from.append(left)
        if mode in LESSON_IDS:
            self.session.visited.add(mode)
        self.call_next(self.guard_size, self.size)
        self.call_after_refresh(place.restore_position, self, mode)
        place.save_place(self, self.place_store)

    def open_lesson(self, lesson_id: str) -> None:
        """See `navigation.open_lesson`."""
        if lesson_id not in BUILDERS:
            self.notify(f"no lesson {lesson_id!r}", severity="error")
            return
        self.open_mode(lesson_id)

    def open_workbench(self) -> None:
        """See `navigation.open_workbench`."""
        self.open_mode(WORKBENCH)

    def open_stepper(self, problem: Problem, note: str | None = None) -> None:
        """See `navigation.open_stepper`: pushed in the current mode, so escape comes back here."""
        from .screens.stepper import StepperScreen

        self._uncover()
        self.push_screen(StepperScreen(problem, note=note, pushed=True))
        self.call_next(self.guard_size, self.size)

    def open_descent(self, start: Mapping[str, float] | None = None) -> None:
        """See `navigation.open_descent`: the descent lesson, restarted from `start` when given."""
        self.open_mode("descent")
        if start is not None:
            self.call_next(self._start_descent_from, dict(start))

    def _start_descent_from(self, start: dict[str, float]) -> None:
        from .screens.descent import DescentScreen

        base = self.screen_stack[0] if self.screen_stack else None
        if isinstance(base, DescentScreen):
            base.restart_from(start)

    def action_lessons(self) -> None:
        """The lesson map over whatever is shown; choosing a lesson opens it where it was left."""
        from .dialogs.lesson_map import LessonMapScreen

        if isinstance(self.screen, (LessonMapScreen, TooSmallScreen)):
            return
        self.push_screen(LessonMapScreen(self.session.visited, self.lesson), self._chose_lesson)

    def _chose_lesson(self, lesson_id: str | None) -> None:
        # Textual calls this after the map has been popped, so the switch leaves the old mode's stack whole.
        if lesson_id is not None:
            self.call_after_refresh(self.open_lesson, lesson_id)

    def action_back(self) -> None:
        """Off a screen pushed inside this lesson, or back to the lesson the student came from."""
        if isinstance(self.screen, TooSmallScreen):
            return
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.came_from:
            place.keep_position(self, self.current_mode)
            self.switch_mode(self.came_from.pop())
            self.call_next(self.guard_size, self.size)
            place.save_place(self, self.place_store)

    def on_resize(self, event: events.Resize) -> None:
        self.guard_size(event.size)

    def _uncover(self) -> None:
        if isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def guard_size(self, size: Size) -> None:
        """Cover everything with a "make the window larger" message while the terminal is too small."""
        small = size.width < MIN_SIZE.width or size.height < MIN_SIZE.height
        covering = isinstance(self.screen, TooSmallScreen)
        if small and not covering:
            self.push_screen(TooSmallScreen())
        elif small:
            self.screen.show_size(size)
        elif covering:
            self.pop_screen()
