"""The `forward-backward` lesson (slides 70-72): both passes of one graph side by side, one step per key.

Core (`core.lessons.modes_compared`) lines the forward and the reverse stepper up and counts the sweeps
and their cost; this screen lays their columns out as the slides' tables and lights each pass's node.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from backprop_tui.core.lessons.modes_compared import COMPARED_EXAMPLES, Comparison, ModesCompared, cost_table

from ..widgets.cell_fit import ellipsized
from ..widgets.fitting_footer import FittingFooter
from ..widgets.screen_header import ScreenHeader

PENDING = "·"
MIN_DEFINITION = 10
"""The narrowest definition column: a long loss formula is cut with … there (the node's name stays whole)."""


def _cell(text: str | None, width: int, style: str = "") -> tuple[str, str]:
    """A column's cell padded to `width` (cut with … past it); a cell its pass has not reached is a dim dot."""
    if text is None:
        return PENDING.ljust(width), "dim"
    return ellipsized(text, width).ljust(width), style


def table_lines(comparison: Comparison, final: Comparison, width: int) -> list[Content]:
    """The slides' table with both derivative columns: node, definition, value, dξ/dW ↓, dL/dξ ↑.

    Column widths come from the finished table (`final`), so the columns stay put while they fill;
    the definitions get what `width` leaves."""
    name_width = max(len(row.name) for row in final.rows)
    numbers = [text for row in final.rows for text in (row.value, row.tangent, row.adjoint) if text is not None]
    number_width = max(len(f"dξ/d{final.wrt} ↓"), *(len(text) for text in numbers))
    longest = max(len(row.definition) for row in final.rows)
    definition_width = max(MIN_DEFINITION, min(longest, width - name_width - 3 * number_width - 4))
    header = Content.assemble(
        ("ξ".ljust(name_width), "bold"), " ", ("definition".ljust(definition_width), "bold"), " ",
        ("value".ljust(number_width), "bold"), " ", (f"dξ/d{comparison.wrt} ↓".ljust(number_width), "green bold"),
        " ", ("dL/dξ ↑".ljust(number_width), "cyan bold"))
    lines = [header]
    for row in comparison.rows:
        forward_style = "reverse bold" if row.name == comparison.forward_node else "green"
        reverse_style = "reverse bold" if row.name == comparison.reverse_node else "cyan"
        lines.append(Content.assemble(
            (row.name.ljust(name_width), "bold"), " ", _cell(row.definition, definition_width, "dim"), " ",
            _cell(row.value, number_width), " ", _cell(row.tangent, number_width, forward_style), " ",
            _cell(row.adjoint, number_width, reverse_style)))
    return lines


def sweep_lines(comparison: Comparison) -> list[Content]:
    """Weight by weight: the forward sweep that gives dL/dw and the one backward sweep's value."""
    count = len(comparison.sweeps)
    lines = [Content.assemble((f"dL/dw for all {count} weight{'s' if count != 1 else ''}", "bold")),
             Content.assemble(("w".ljust(5), "bold"), ("forward sweep".ljust(20), "green bold"),
                              ("reverse (1)", "cyan bold"))]
    for sweep in comparison.sweeps:
        mark = "▶" if sweep.shown else " "
        lines.append(Content.assemble(
            f"{mark}{sweep.weight}".ljust(5), f"#{sweep.forward_sweep}".ljust(4),
            (sweep.forward.ljust(16), "green bold" if sweep.shown else "green"),
            (sweep.reverse, "cyan") if sweep.reverse else (PENDING, "dim")))
    lines.append(Content.styled(f"forward: {count} sweep{'s' if count != 1 else ''} · reverse: 1", "bold"))
    return lines


def cost_lines() -> list[Content]:
    """Each lecture graph: weights, sweeps and chain-rule products per mode for the full gradient."""
    lines = [Content.styled("cost of the full gradient", "bold"),
             Content.assemble(("graph".ljust(10), "bold"), ("w".rjust(4), "bold"), ("sweeps f/r".rjust(12), "bold"),
                              ("products f/r".rjust(14), "bold"))]
    for row in cost_table():
        lines.append(Content.assemble(
            row.example.ljust(10), str(row.weights).rjust(4),
            f"{row.forward_sweeps}/{row.reverse_sweeps}".rjust(12),
            f"{row.forward_products}/{row.reverse_products}".rjust(14)))
    lines.append(Content.styled("forward: one sweep per weight; reverse: one for all", "dim"))
    return lines



class ModesComparedScreen(Screen[None]):
    """Forward and backward mode stepped together on the lecture's graph or the 1-2-1 network."""

    CSS_PATH = "../styles/modes_compared.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("right,n", "step(1)", "Next", tooltip="Next step of both passes"),
        Binding("left,p", "step(-1)", "Back", tooltip="Previous step of both passes"),
        Binding("home", "ends(False)", "First", show=False, tooltip="Before either pass"),
        Binding("end", "ends(True)", "Last", tooltip="Both passes done"),
        Binding("w", "weight", "Weight", tooltip="Forward mode's next sweep: the derivative for the next weight"),
        Binding("g", "graph", "Graph", tooltip="Switch between the lecture's graph and the 1-2-1 network"),
        Binding("question_mark", "help", "Help", tooltip="Keys, and forward against backward mode"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.compared = ModesCompared(COMPARED_EXAMPLES[0])
        self.index = 0

    def compose(self) -> ComposeResult:
        yield ScreenHeader("backprop-tui · forward-backward ·", "fb",
                           "slides 70-72: forward mode against backward mode",
                           muted=True)
        yield Label(id="fb-status")
        with Horizontal(id="fb-body"):
            with VerticalScroll(id="fb-table-box"):
                yield Static(id="fb-table")
            with VerticalScroll(id="fb-side"):
                yield Static(id="fb-sweeps")
                yield Static(id="fb-costs")
        yield Static(id="fb-forward")
        yield Static(id="fb-reverse")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#fb-table-box").border_title = "one graph, both passes"
        self.query_one("#fb-side").border_title = "sweeps"
        self.query_one("#fb-costs", Static).update(Content("\n").join(cost_lines()))
        self.show()

    def on_resize(self) -> None:
        self.query_one(Footer).compact = self.has_class("-narrow")
        self.call_after_refresh(self.show)

    def show(self) -> None:
        comparison = self.compared.snapshot(self.index)
        self.query_one("#fb-status", Label).update(Content.assemble(
            (f"{comparison.example} graph", "bold"), f" · step {comparison.index}/{comparison.total - 1} · ",
            ("forward", "green bold"), f": dξ/d{comparison.wrt}, sweep {self.sweep_number()} of "
            f"{len(comparison.sweeps)} · ", ("reverse", "cyan bold"), ": every dL/dξ in 1 sweep"))
        final = self.compared.snapshot(self.compared.total - 1)
        width = self.query_one("#fb-table-box").scrollable_content_region.width
        self.query_one("#fb-table", Static).update(Content("\n").join(table_lines(comparison, final, width)))
        self.keep_in_view(comparison)
        self.query_one("#fb-sweeps", Static).update(Content("\n").join([*sweep_lines(comparison), Content("")]))
        self.query_one("#fb-forward", Static).update(Content.assemble(("forward ", "green bold"),
                                                                      comparison.forward_text))
        self.query_one("#fb-reverse", Static).update(Content.assemble(("reverse ", "cyan bold"),
                                                                      comparison.reverse_text))

    def keep_in_view(self, comparison: Comparison) -> None:
        """On a short terminal the table scrolls: keep the row of the step just taken (the reverse pass's, else
        the forward pass's) in view, with the header line."""
        node = comparison.reverse_node or comparison.forward_node
        names = [row.name for row in comparison.rows]
        if node in names:
            line = names.index(node) + 1
            box = self.query_one("#fb-table-box", VerticalScroll)
            box.call_after_refresh(box.scroll_to_region, Region(0, line, 1, 1), animate=False)

    def sweep_number(self) -> int:
        weights = self.compared.weights
        return weights.index(self.compared.wrt) + 1 if self.compared.wrt in weights else 1

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(self.index + delta, self.compared.total - 1))
        self.show()

    def action_ends(self, last: bool) -> None:
        self.index = self.compared.total - 1 if last else 0
        self.show()

    def action_weight(self) -> None:
        """The next forward sweep: the same graph, differentiated against the next weight, from the start."""
        self.compared = self.compared.with_wrt(self.compared.next_weight())
        self.index = 0
        self.show()

    def action_graph(self) -> None:
        position = COMPARED_EXAMPLES.index(self.compared.example)
        self.compared = ModesCompared(COMPARED_EXAMPLES[(position + 1) % len(COMPARED_EXAMPLES)])
        self.index = 0
        self.show()

    def action_help(self) -> None:
        from ..dialogs.chapters_help import ModesComparedHelpScreen

        self.app.push_screen(ModesComparedHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
