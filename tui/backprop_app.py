"""The Textual app: thin by design. It pushes the stepper screen and guards the minimum size."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size

from backprop_tui.core.stepping.problem import Problem, build_problem

from .screens import MIN_SIZE, StepperScreen, TooSmallScreen


class BackpropApp(App[None]):
    """Step through the forward and backward pass of a computational graph."""

    CSS_PATH = ["styles/stepper.tcss", "styles/dialogs.tcss"]
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True,
                        tooltip="Ctrl+C quits from any screen and gives the terminal back as it was")]
    TITLE = "backprop-tui"

    def __init__(self, problem: Problem | None = None) -> None:
        super().__init__()
        self.problem = problem if problem is not None else build_problem()

    def open_stepper(self, problem: Problem, note: str | None = None) -> None:
        """See `navigation.open_stepper` (provisional: the one-app navigation replaces this)."""
        from .screens.descent_stepper import BatchStepperScreen

        self.push_screen(BatchStepperScreen(problem, note or ""))

    def open_descent(self, start: Mapping[str, float] | None = None) -> None:
        """See `navigation.open_descent` (provisional)."""
        from .screens.descent import DescentScreen

        self.push_screen(DescentScreen())

    def open_lesson(self, lesson_id: str) -> None:
        """See `navigation.open_lesson` (provisional)."""
        self.notify(f"lesson {lesson_id}")

    def on_mount(self) -> None:
        self.push_screen(StepperScreen(self.problem))
        self.guard_size(self.size)

    def on_resize(self, event: events.Resize) -> None:
        self.guard_size(event.size)

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
