"""Graph layout: where each node of a graph (or each layer of a collapsed network) goes on a grid.
Geometry only; the glyphs that draw it belong to the TUI."""
