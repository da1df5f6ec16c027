"""The student's place between runs, as the app sees it: each lesson's position is asked of the screen at
the bottom of its mode when the student leaves it or quits, and handed back the first time that lesson
is shown in the next run (`positions` says what a position is for each screen). The positions live in the app's session
(`core.lessons.session`), and the file is `core.lessons.resume`'s. Nothing here can stop the app: a
hook that refuses a position (a different graph, a field of the wrong type) leaves the screen at its start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import positions

if TYPE_CHECKING:
    from textual.screen import Screen

    from backprop_tui.core.lessons.resume import PlaceStore, Position

    from .app import BackpropApp


def base_screen(app: BackpropApp) -> Screen[Any] | None:
    """The screen at the bottom of the current mode: the lesson itself, under any dialog."""
    return app.screen_stack[0] if app.screen_stack else None


def keep_position(app: BackpropApp, mode: str) -> None:
    """Ask the current mode's lesson screen where it is, into the session. A lesson whose saved position has
    not been handed back yet keeps the saved one (its screen would only report its start)."""
    if mode not in app.restored:
        return
    try:
        position: Position | None = positions.position_of(base_screen(app))
    except Exception:  # noqa: BLE001 (a position is a convenience: never a crash at quitting time)
        return
    app.place.keep(mode, position)


def restore_position(app: BackpropApp, mode: str) -> None:
    """Hand the lesson shown its saved position, once per run (later visits find it where it was left)."""
    if mode in app.restored or mode != app.current_mode:
        return
    app.restored.add(mode)
    position = app.place.positions.get(mode)
    if position is None:
        return
    try:
        positions.restore(base_screen(app), position)
    except (ValueError, TypeError, KeyError, ArithmeticError):
        app.notify(f"the saved place in {mode} could not be restored: starting at its beginning",
                   severity="warning")


def save_place(app: BackpropApp, store: PlaceStore | None) -> str | None:
    """Write the place (the lesson shown and every position) when the app keeps one; a failure is notified once.
    Returns why the place is not kept when it is not (on the way out a notification is never seen: the caller
    prints it)."""
    if store is None or not app.screen_stack:
        return None
    keep_position(app, app.current_mode)
    app.place.lesson = app.current_mode
    said = store.problem
    store.save(app.place)
    if store.problem and store.problem != said:
        app.notify(store.problem, title="Place", severity="warning", timeout=8)
    return None if store.saving else store.problem
