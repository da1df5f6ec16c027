"""What a screen cuts: each check compares what a widget holds with what the terminal shows of it.

`clipped(app)` lists, in words, every cut on the screen shown:
- a text widget (a Label or Static outside anything that scrolls) whose text needs more rows, or more
  columns when it does not wrap, than its region has (the graph lesson's note stopped at "so its
  derivative is a");
- the graph canvas: a box wider than the canvas's view, or a box crossing the view's left or right
  edge (ξ7 cut in half, L's right border missing), a box text not painted whole where its box is
  (`L = −[y log(σ(h))…`), or the current node's box out of view;
- a footer whose help or quit key is hidden or past the right edge (`? H`, `q Qui`);
- an ellipsis `…` painted anywhere (a truncated border title, table cell or box) that is not in the text
  of the widget that paints it;
- a widget reaching past the container it sits in, when that container does not scroll (the edit form's
  Apply and Cancel below the dialog's border at 80×24);
- a table's column label wider than its column, or taller than the header row: DataTable crops it without an
  ellipsis (the lecture's table headed `local parti` at 80×24).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets._footer import FooterKey

from backprop_tui.tui.widgets import GraphCanvas, TraceTable

ELLIPSIS = "…"


def screen_lines(app: App) -> list[str]:
    """The screen as painted, one string a row (the compositor's output, what a terminal would show)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _scrolls(widget: Widget) -> bool:
    """Whether the widget scrolls its own text with its scroll bar shown (the bar says there is more: the
    two-neurons recipe panel's, when the loss plot below takes its rows), or sits in something that scrolls:
    its text is then reachable, not cut."""
    if widget.show_vertical_scrollbar and widget.max_scroll_y > 0:
        return True
    node = widget.parent
    while isinstance(node, Widget):
        if isinstance(node, (ScrollableContainer, DataTable, OptionList)) or (
                node.is_scrollable and (node.max_scroll_y > 0 or node.max_scroll_x > 0)):
            return True
        node = node.parent
    return False


def text_cuts(app: App) -> list[str]:
    cuts = []
    for widget in app.screen.query(Static):
        if not widget.display or not widget.visible or widget.region.area == 0 or _scrolls(widget):
            continue
        if isinstance(widget, FooterKey) or isinstance(widget.parent, Footer):
            continue
        region = widget.content_region
        viewport = app.size
        needed = widget.get_content_height(region.size, viewport, region.width)
        if needed > region.height:
            text = str(widget.render())[:60]
            cuts.append(f"{widget!r} needs {needed} rows, shows {region.height}: {text!r}")
        if widget.styles.text_wrap == "nowrap":
            wide = widget.get_content_width(region.size, viewport)
            if wide > region.width:
                cuts.append(f"{widget!r} needs {wide} columns, shows {region.width}")
    return cuts


def canvas_cuts(app: App) -> list[str]:
    cuts = []
    for canvas in app.screen.query(GraphCanvas):
        if not canvas.display or canvas.region.area == 0:
            continue
        view = canvas.scrollable_content_region
        left, top = canvas.scroll_offset
        right, bottom = left + view.width, top + view.height
        drawing = canvas.drawing
        fits = drawing.width <= view.width
        if not fits and len(drawing.boxes) <= 120 and not canvas.is_collapsed and canvas._window is None:
            cuts.append(f"graph drawing {drawing.width} wide in a view {view.width} wide")
        rows = {y - top: canvas.render_line(y - top).text for y in range(top, min(bottom, drawing.height))}
        for box in drawing.boxes.values():
            across = box.x < right and box.x + box.width > left
            if across and (box.x < left or box.x + box.width > right):
                cuts.append(f"box {box.name} cut at the view's edge "
                            f"(x {box.x}..{box.x + box.width}, view {left}..{right})")
                continue
            if not across:
                continue
            target = drawing.refs.get(box.name)
            texts = canvas._ref_texts.get(box.name, ()) if target else canvas._texts.get(box.name, ())
            for line, text in enumerate(texts, start=1):
                y = box.y + line - top
                if text and y in rows and text not in rows[y][box.x - left:box.x - left + box.width]:
                    cuts.append(f"box {box.name} line {line} shows {rows[y][box.x - left:box.x - left + box.width]!r},"
                                f" holds {text!r}")
        snapshot = canvas.snapshot
        if snapshot is not None and snapshot.node is not None:
            box = canvas.box_of(snapshot.node)
            if box is not None and not (left <= box.x and box.x + box.width <= right
                                        and top <= box.y and box.y + box.height <= bottom):
                cuts.append(f"the current node {snapshot.node}'s box is not in view")
    return cuts


def footer_cuts(app: App) -> list[str]:
    cuts = []
    width = app.size.width
    for footer in app.screen.query(Footer):
        keys = list(footer.query(FooterKey))
        actions = {key.action for key in keys}
        screen_actions = {binding.action for _, binding, _, _ in app.screen.active_bindings.values() if binding.show}
        for wanted in ("help", "quit"):
            if wanted in screen_actions and wanted not in actions:
                cuts.append(f"footer has no {wanted} key")
        for key in keys:
            if key.action in ("help", "quit", "app.lessons"):
                if not key.display or key.region.width == 0:
                    cuts.append(f"footer key {key.action} hidden")
                elif key.region.right > width:
                    cuts.append(f"footer key {key.action} runs past the right edge ({key.region.right} > {width})")
    return cuts


def ellipsis_cuts(app: App) -> list[str]:
    """A painted `…` that no widget's own text holds: something was truncated to fit. The lecture's table may cut
    a formula only when its columns are squeezed to their minimum widths (an 80-column terminal)."""
    own = any(ELLIPSIS in str(widget.render()) for screen in app.screen_stack  # a dialog shows the screens below
              for widget in screen.query(Static) if widget.display)
    if own:
        return []
    allowed: set[int] = set()
    for table in app.screen.query(TraceTable):
        if table.display and table.squeezed:
            allowed.update(range(table.region.y, table.region.bottom))
    return [f"row {index}: {line.strip()[:100]!r}" for index, line in enumerate(screen_lines(app))
            if ELLIPSIS in line and index not in allowed]


def _parent_scrolls(widget: Widget) -> bool:
    """Whether the widget's own container has a scroll bar for it (overflow auto or scroll, not hidden). Only
    the container itself counts: what a Vertical hides, a screen that scrolls does not bring into view."""
    node = widget.parent
    return isinstance(node, (DataTable, OptionList)) or (isinstance(node, Widget) and (
        node.styles.overflow_y in ("auto", "scroll") or node.styles.overflow_x in ("auto", "scroll")))


def overflow_cuts(app: App) -> list[str]:
    """Widgets that reach past their container's content, where no container can scroll to them."""
    cuts = []
    for widget in app.screen.query("*"):
        parent = widget.parent
        if (not isinstance(parent, Widget) or not widget.display or not widget.visible or widget.region.area == 0
                or _parent_scrolls(widget)):
            continue
        inside = parent.content_region if parent is not app.screen else app.screen.region
        if inside.contains_region(widget.region):
            continue
        if isinstance(widget, Static):  # a text: cut when the rows it needs are not all in view
            shown = widget.region.intersection(inside)
            needed = widget.get_content_height(widget.content_region.size, app.size, widget.content_region.width)
            if needed + widget.styles.gutter.height <= shown.height and shown.width == widget.region.width:
                continue  # a stale row of layout below a text that fits (a header's title)
        cuts.append(f"{widget!r} at {widget.region} reaches past {parent!r}'s {inside}")
    return cuts


def header_cuts(app: App) -> list[str]:
    """Column labels a DataTable crops: wider than the column, or with more lines than the header has rows."""
    cuts = []
    for table in app.screen.query(DataTable):
        if not table.display or table.region.area == 0 or not table.show_header:
            continue
        for column in table.columns.values():
            lines = column.label.plain.split("\n")
            wide = max(cell_len(line) for line in lines)
            if wide > column.width or len(lines) > table.header_height:
                cuts.append(f"{table!r} column label {column.label.plain!r} ({wide} wide, {len(lines)} lines) "
                            f"in a column {column.width} wide under a header {table.header_height} high")
    return cuts


def clipped(app: App) -> list[str]:
    """Every cut on the screen shown, in words (empty when the screen is a finished page)."""
    return [*text_cuts(app), *canvas_cuts(app), *footer_cuts(app), *ellipsis_cuts(app), *overflow_cuts(app),
            *header_cuts(app)]
