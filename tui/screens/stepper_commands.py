"""The command palette's stepper commands: the same actions as the keys, found by name."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class StepperCommands(Provider):
    """Every key binding of the screen the palette was opened from, as a command."""

    def _commands(self) -> list[tuple[str, str, str]]:
        return [(binding.description, binding.tooltip, binding.action)
                for binding in self.screen.BINDINGS if isinstance(binding, Binding)]

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            for text in (name, help_text):
                score = matcher.match(text)
                if score > 0:
                    yield Hit(score, matcher.highlight(text), partial(self.screen.run_action, action),
                              text=text, help=help_text if text == name else name)
                    break
