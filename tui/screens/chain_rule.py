"""The `chain-rule` lesson (slides 26-29): six pages, stepped a line at a time, the graph above the lines.

Core (`core.lessons.chain_rule`) writes every page's steps; this screen shows the one the student is on:
the page's intro, the lines so far (the newest lit), and on slide 29's pages the graph lit at the step.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from backprop_tui.core.lessons.chain_rule import ChainPage, lesson_pages

from ..widgets.fitting_footer import FittingFooter
from ..widgets.graph_canvas import GraphCanvas
from ..widgets.screen_header import ScreenHeader


class ChainRuleScreen(Screen[None]):
    """A page of the chain-rule chapter at one step; ← → step, [ ] turn pages."""

    CSS_PATH = "../styles/chain_rule.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("right,n", "step(1)", "Next", tooltip="Next step: one more line of the page"),
        Binding("left,p", "step(-1)", "Back", tooltip="Previous step"),
        Binding("home", "ends(False)", "First", show=False, tooltip="The page's first step"),
        Binding("end", "ends(True)", "Last", show=False, tooltip="The page's last step: every line"),
        Binding("right_square_bracket,pagedown", "page(1)", "Next page", key_display="]",
                tooltip="The next page (slides 26, 27, 28, then 29 three times)"),
        Binding("left_square_bracket,pageup", "page(-1)", "Prev page", key_display="[",
                tooltip="The previous page"),
        Binding("question_mark", "help", "Help", tooltip="Keys, and the ideas of slides 26-29"),
        Binding("l", "app.lessons", "Lessons", tooltip="The lesson map: the lecture chapter by chapter"),
        Binding("q", "quit", "Quit", tooltip="Quit backprop-tui"),
    ]

    page_index: reactive[int] = reactive(0, init=False)
    step_index: reactive[int] = reactive(0, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.pages: tuple[ChainPage, ...] = lesson_pages()

    @property
    def page(self) -> ChainPage:
        return self.pages[self.page_index]

    def compose(self) -> ComposeResult:
        yield ScreenHeader("backprop-tui · chain rule ·", "chain", "slides 26-29: the formalism before the graph",
                           muted=True)
        yield Label(id="chain-pages")
        yield Label(id="chain-intro")
        yield GraphCanvas(id="chain-graph")
        with VerticalScroll(id="chain-log"):
            yield Static(id="chain-lines")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#chain-graph").border_title = "the graph"
        self.query_one("#chain-log").border_title = "step by step"
        self.show_page()

    def on_resize(self) -> None:
        self.query_one(Footer).compact = self.has_class("-narrow")
        self.call_after_refresh(self.show_step)

    def show_page(self) -> None:
        """A new page: its intro, its graph (or none), and its current step."""
        page = self.page
        canvas = self.query_one(GraphCanvas)
        canvas.display = page.graph is not None
        final = page.steps[-1].snapshot
        if page.graph is not None and final is not None:
            canvas.load(page.graph, final)
            canvas.border_subtitle = ""  # these graphs are small: no layers to collapse, and no `c` here
        self.query_one(ScreenHeader).show_title(page.title)
        self.query_one("#chain-intro", Label).update(Content(page.intro))
        self.show_step()

    def show_step(self) -> None:
        page, index = self.page, self.step_index
        step = page.steps[index]
        tabs = []
        narrow = self.has_class("-narrow")
        for number, other in enumerate(self.pages):
            if number == self.page_index:
                tabs.append((f" {other.slides} {other.id} ", "reverse bold"))
            else:
                tabs.append((f" {other.slides} " if narrow else f" {other.slides} {other.id} ", "dim"))
        self.query_one("#chain-pages", Label).update(Content.assemble(
            *tabs, f"  step {index}/{len(page.steps) - 1}"))
        lines = [Content(line) for line in step.lines[:-1]]
        if step.lines:
            lines.append(Content.styled(step.lines[-1], "bold"))
        if index == len(page.steps) - 1:
            lines.append(Content.styled("(end of the page: ] for the next)", "dim"))
        elif not step.lines:
            lines.append(Content.styled("→ or n: the first step", "dim"))
        self.query_one("#chain-lines", Static).update(Content("\n").join(lines))
        log = self.query_one("#chain-log", VerticalScroll)
        log.call_after_refresh(log.scroll_end, animate=False)  # after the new lines are laid out
        if step.snapshot is not None and page.graph is not None:
            self.query_one(GraphCanvas).snapshot = step.snapshot

    def watch_page_index(self) -> None:
        self.set_reactive(ChainRuleScreen.step_index, 0)
        self.show_page()

    def watch_step_index(self) -> None:
        self.show_step()

    def action_step(self, delta: int) -> None:
        self.step_index = max(0, min(self.step_index + delta, len(self.page.steps) - 1))

    def action_ends(self, last: bool) -> None:
        self.step_index = len(self.page.steps) - 1 if last else 0

    def action_page(self, delta: int) -> None:
        self.page_index = max(0, min(self.page_index + delta, len(self.pages) - 1))

    def action_help(self) -> None:
        from ..dialogs.chapters_help import ChainRuleHelpScreen

        self.app.push_screen(ChainRuleHelpScreen(self.BINDINGS))

    def action_quit(self) -> None:
        self.app.exit()
