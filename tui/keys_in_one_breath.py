"""Keys typed in one breath: what the app does with input that arrives while it quits or while a screen mounts.

A student hammering keys sends several before the app has handled the first. Two such bursts ended in a traceback:
- `q` then `e` (or `x`, `l`, `f`): the dialog opened while the app shut down, its fields were never composed, and
  the way out failed on them (exit 1). Input that arrives once the app is quitting is now dropped.
- `n`, `escape`, `enter`, `escape` on the practice list: an exercise was closed before it had mounted, its widgets
  were removed under its own `on_mount`, which then found no feedback label. A screen still mounting is now popped
  once it has mounted.
- `l`, `enter`, `→`: a key the old screen did not take bubbles up to the app, which looks it up in the bindings of
  the screen shown *now*: the lesson just opened, not yet composed, whose action then found none of its widgets
  (the soak's monkey hit it in `classification`). A key now waits until the screen shown has mounted.
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.screen import Screen

POP_WAIT = 2.0
"""Seconds a screen still mounting is waited for before it is popped anyway (a mount takes milliseconds)."""
POP_POLL = 0.005


class KeysInOneBreath(App):
    """The app's two guards against bursts of keys (see the module); `exit` sets `leaving`."""

    leaving = False
    """Set once the app is quitting: input that arrives after it is dropped."""

    def exit(self, result: object = None, return_code: int = 0, message: object | None = None) -> None:
        self.leaving = True
        super().exit(result, return_code, message)  # type: ignore[arg-type]

    async def on_event(self, event: events.Event) -> None:
        if self.leaving and isinstance(event, events.InputEvent):
            return
        if isinstance(event, events.Key) and self.screen_stack and not self.screen.is_mounted:
            await until_mounted(self.screen)  # the keys after it wait in the queue, in order
        await super().on_event(event)

    def pop_screen(self) -> AwaitComplete:
        """Pop the top screen, or, while it is still mounting, once it has mounted (at most `POP_WAIT` seconds)."""
        top = self.screen
        if top.is_mounted or len(self.screen_stack) <= 1:
            return super().pop_screen()

        async def once_mounted() -> None:
            await until_mounted(top)
            if self.screen is top and len(self.screen_stack) > 1:  # not popped meanwhile by another way out
                await super(KeysInOneBreath, self).pop_screen()

        return AwaitComplete(once_mounted()).call_next(self)


async def until_mounted(screen: Screen) -> None:
    """Return once `screen` has composed and mounted, or after `POP_WAIT` seconds (a mount takes milliseconds)."""
    for _ in range(int(POP_WAIT / POP_POLL)):
        if screen.is_mounted:
            return
        await asyncio.sleep(POP_POLL)
