"""Textual's footer, made to fit: in a narrow terminal it hides keys from the right, never help and quit.

Textual's `Footer` lays its keys out in one row and lets the ones past the right edge fall off: at
80 columns the stepper's footer ended `? H` and the classification lesson's `q Qui`. This footer
measures its keys once they are laid out and, while they overflow, hides the command palette's key
first and then the keys nearest the right end, keeping the keys that get help, the lesson map and
quit (every hidden key still works, and `?` lists them all).

Textual's footer also rebuilds all its keys whenever the screen says its bindings may have changed, which
it says after most key presses: this one rebuilds only when the keys it would show did change (the
rebuild, a dozen widgets mounted and styled, was a twentieth of a key press's time).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

KEPT_ACTIONS = frozenset({"help", "quit", "app.quit", "app.lessons"})
"""The keys a footer never hides: a student must always see how to get help, the map, and out."""


def kept(unit: list[Widget]) -> bool:
    """Whether a unit of the footer (a key, or a group of keys and its label) shows a key that is never hidden."""
    keys = [child for widget in unit for child in (widget, *widget.children) if isinstance(child, FooterKey)]
    return any(key.action in KEPT_ACTIONS for key in keys)


class FittingFooter(Footer):
    """A `Footer` whose keys never run past its right edge; help and quit always among those shown."""

    DEFAULT_CSS = """
    FittingFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    _waits = 0
    fitted = False
    """Whether the keys shown were fitted to the width since the last change (tests wait for it: the fit runs
    after a refresh, when the keys have their sizes)."""

    _shown: Hashable = None
    """What the keys composed last showed (`shown_keys`)."""

    def shown_keys(self) -> Hashable:
        """Everything `Footer.compose` reads to build the keys: the same value, the same keys."""
        if not self._bindings_ready or not self.is_attached:
            return None
        bindings = tuple((binding.key, binding.action, binding.description, binding.show, binding.group,
                          binding.key_display, binding.tooltip, enabled, tooltip)
                         for _, binding, enabled, tooltip in self.screen.active_bindings.values())
        return bindings, self.compact, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE

    def compose(self) -> ComposeResult:
        """Textual's keys, each born with the footer's `compact`.

        A Textual `FooterKey` starts compact and is told the footer's value once mounted: at 100 columns or
        more its `-compact` class was added and then removed, each time restyling the key, about 20 restyles
        per footer (a tenth of the app's start in a test). Set before mounting, neither happens. The palette's
        key is not bound to the footer's `compact` and stays as Textual makes it."""
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        shown = self.shown_keys()
        if shown is not None and shown == self._shown and self.children:
            return
        self.fitted = False
        self._shown = shown
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.fitted = False
        for child in self.children:
            child.display = True
        self.call_after_refresh(self.fit_keys)

    def units(self) -> list[list[Widget]]:
        """The footer's items in order, a group of keys together with the label after it."""
        units: list[list[Widget]] = []
        for child in self.children:
            if isinstance(child, FooterKey) and child.has_class("-command-palette"):
                continue
            if isinstance(child, FooterLabel) and units and isinstance(units[-1][-1], KeyGroup):
                units[-1].append(child)
            else:
                units.append([child])
        return units

    def fit_keys(self) -> None:
        """Hide the palette's key, then keys from the right (never the kept ones), until the rest fit."""
        width = self.size.width
        if not width:
            return
        if any(child.display and not child.outer_size.width for child in self.children) and self._waits < 30:
            self._waits += 1  # a key not laid out yet (the palette's, docked, comes a refresh later): measure then
            self.call_after_refresh(self.fit_keys)
            return
        self._waits = 0
        self.fitted = bool(self.children)
        units = self.units()
        widths = [sum(widget.outer_size.width + widget.styles.margin.width for widget in unit) for unit in units]
        palette = [child for child in self.children
                   if isinstance(child, FooterKey) and child.has_class("-command-palette")]
        used = sum(widths) + sum(key.outer_size.width for key in palette if key.display)
        if used <= width:
            return
        for key in palette:
            used -= key.outer_size.width
            key.display = False
        for index in range(len(units) - 1, -1, -1):
            if used <= width:
                break
            if not kept(units[index]):
                for widget in units[index]:
                    widget.display = False
                used -= widths[index]
