"""The keys a screen answers to, for the tests that press them at random or all at once."""

from __future__ import annotations

from textual.screen import Screen

NEVER = {"q", "ctrl+c", "ctrl+q"}
"""Quitting keys: a monkey that pressed them would end its own run."""
EXTRA_KEYS = ["escape", "enter", "tab", "space", "backspace", "a", "1", "-", "down", "up"]


def screen_keys(screen: Screen) -> list[str]:
    """Every key the active screen (and the app) binds, minus quitting, plus a few typed keys."""
    keys = []
    for holder in (screen, screen.app):
        for binding in getattr(holder, "BINDINGS", []):
            key = binding[0] if isinstance(binding, tuple) else binding.key
            keys.extend(part.strip() for part in key.split(","))
    return [key for key in keys + EXTRA_KEYS if key not in NEVER]
