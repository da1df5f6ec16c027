"""The first line of every lesson screen: the brand, what is shown, and where the student is.

One layout and one set of styles for the stepper, the descent screens, the two-neurons lesson and the
by-hand lessons; each screen's header (`StepperHeader`, `DescentHeader`, `NeuronsHeader`) only says
what goes into the line. The labels keep their screen's ids (`descent-title`, `stepper-progress`…),
which the screens' stylesheets and the tests address.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

from .header_title import HeaderTitle


class ScreenHeader(Horizontal):
    """`brand · [parts] title … [status]` on one line: the title takes the room the others leave, and wraps to a
    second line when that room is too small (the inputs `W=3` were cut off the end at 80 columns)."""

    DEFAULT_CSS = """
    ScreenHeader {
        height: auto;
        max-height: 2;
        background: $panel;
        & > .header-brand { width: auto; padding: 0 0 0 1; text-style: bold; }
        & > .header-parts { width: auto; padding: 0 1; }
        & > .header-title { width: 1fr; padding: 0 1; text-style: bold; }
        & > .header-status { width: auto; padding: 0 1; }
        &.-muted > .header-title { text-style: none; color: $text-muted; }
    }
    """

    def __init__(self, brand: str, name: str, title: str = "", *, status: str | None = None, parts: bool = False,
                 muted: bool = False) -> None:
        """`name` prefixes the labels' ids (`{name}-brand`, `{name}-title`, `{name}-{status}`, `{name}-parts`);
        `status` names the right-hand label (none without it), `parts` adds a label before the title, and
        `muted` shows the title dim instead of bold."""
        super().__init__(classes="-muted" if muted else None)
        self.brand, self.prefix, self.initial_title = brand, name, title
        self.status, self.parts = status, parts

    def compose(self) -> ComposeResult:
        yield Label(Content(self.brand), id=f"{self.prefix}-brand", classes="header-brand")
        if self.parts:
            yield Label(id=f"{self.prefix}-parts", classes="header-parts")
        yield HeaderTitle(self.initial_title, id=f"{self.prefix}-title", classes="header-title")
        if self.status is not None:
            yield Label(id=f"{self.prefix}-{self.status}", classes="header-status")

    def label(self, part: str) -> Label:
        """The label `part` (brand, parts, title or the status's name)."""
        return self.query_one(f"#{self.prefix}-{part}", Label)

    def show_title(self, title: str | Content) -> None:
        """The title, whole when it fits the header's two lines, else shortened where its parts are longest."""
        label = self.label("title")
        assert isinstance(label, HeaderTitle)
        label.show(title)

    def show_status(self, status: str) -> None:
        """The right-hand label; a new layout only when its width changes (it is `width: auto`)."""
        assert self.status is not None
        label = self.label(self.status)
        label.update(Content(status), layout=len(status) != len(str(label.content)))
