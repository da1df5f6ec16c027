"""What the two by-hand lessons (`classification`, `loss`) share: the β in the app's session, a
header, a fresh draw of the bad computer, the hand-over to descent, and redrawing when they come back
to the front (the other lesson may have moved β meanwhile)."""

from __future__ import annotations

from textual.screen import Screen

from backprop_tui.core.lessons.catalog import lesson
from backprop_tui.core.lessons.classification import heart_data, next_seed, random_params
from backprop_tui.core.lessons.session import Session

from .. import navigation
from ..widgets.screen_header import ScreenHeader


def session_of(screen: Screen) -> Session:
    """The app's session; an app without one (a bare test app) gets one, kept on the app."""
    app = screen.app
    session = getattr(app, "session", None)
    if session is None:
        session = Session()
        app.session = session  # type: ignore[attr-defined]
    return session


def lesson_header(lesson_id: str, title: str) -> ScreenHeader:
    """The first line of a by-hand lesson: `backprop-tui · loss ·`, its slides (from the lesson map) and `title`."""
    return ScreenHeader(f"backprop-tui · {lesson_id} ·", lesson_id, f"slides {lesson(lesson_id).slides}: {title}",
                        muted=True)


class HandLessonScreen(Screen[None]):
    """A lesson on the Heart data at the β the student set by hand; subclasses draw it in `show`."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self) -> None:
        super().__init__()
        self.data = heart_data()

    @property
    def session(self) -> Session:
        return session_of(self)

    def show(self) -> None:
        raise NotImplementedError

    def fit_to_size(self) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        """Back from another lesson: the session may hold other β now (a draw in the other lesson)."""
        self.show()

    def on_resize(self) -> None:
        """After the screen's own resize handler has set the breakpoint classes `fit_to_size` reads."""
        self.call_after_refresh(self.fit_to_size)

    def action_random(self) -> None:
        """Slide 15's bad computer: random weights from the next seed (shown, so a draw can be repeated)."""
        seed = next_seed(self.session.hand_seed)
        self.session.hand_seed = seed
        self.session.hand = random_params(seed)
        self.show()

    def action_descent(self) -> None:
        navigation.open_descent(self.app, self.session.hand.as_dict())

    def action_help(self) -> None:
        from ..dialogs.hand_help import HandHelpScreen

        self.app.push_screen(HandHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
