"""The box-drawing characters of the graph drawing: core's layout says which way each line cell's
lines go (a bitmask), and these pick the glyph that joins them, light or heavy (the lit edge)."""

from __future__ import annotations

from backprop_tui.core.layout.placement import DOWN, LEFT, RIGHT, UP

_SHAPES = (UP | DOWN, LEFT | RIGHT, DOWN | RIGHT, DOWN | LEFT, UP | RIGHT, UP | LEFT, UP | DOWN | RIGHT,
           UP | DOWN | LEFT, LEFT | RIGHT | DOWN, LEFT | RIGHT | UP, UP | DOWN | LEFT | RIGHT, UP, DOWN, LEFT, RIGHT)
LIGHT_GLYPHS = dict(zip(_SHAPES, "│─┌┐└┘├┤┬┴┼││──", strict=True))
HEAVY_GLYPHS = dict(zip(_SHAPES, "┃━┏┓┗┛┣┫┳┻╋┃┃━━", strict=True))
ARROW = "▶"
LIGHT_BOX = "┌─┐│└┘"
HEAVY_BOX = "┏━┓┃┗┛"
"""A box's corners, edges and sides: heavy for the current node."""


def glyph(directions: int, heavy: bool = False) -> str:
    """The box-drawing character joining the given directions (a bitmask of UP, DOWN, LEFT, RIGHT)."""
    return (HEAVY_GLYPHS if heavy else LIGHT_GLYPHS).get(directions, " ")
