"""A scrolling page draws what is in sight and sets aside only what is far from it: in a real
window, on the longest pages, at the top, in the middle and at the bottom, in landscape and in
portrait at the largest text."""

from __future__ import annotations

import pytest
from kivy.core.window import Window
from kivy.uix.scrollview import ScrollView

from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.page_scroll import PageScroll
from tests.ui.test_today import add_procedure

PROCEDURE_AT = "2026-12-01T10:00"


def drawn(widget) -> bool:
    """Whether `widget`'s drawing reaches the window: its canvas is in its parent's, and so on up
    (a ScrollView holds its page's canvas in its own viewport canvas)."""
    node = widget
    while node.parent is not None and node.parent is not node:
        parent = node.parent
        holders = [parent.canvas, parent.canvas.before, parent.canvas.after]
        if isinstance(parent, ScrollView):
            holders.append(parent.canvas_viewport)
        if not any(node.canvas in holder.children for holder in holders):
            return False
        node = parent
    return True


def in_sight(widget, view) -> bool:
    x, y = widget.to_window(widget.x, widget.y)
    left, bottom = view.to_window(view.x, view.y)
    return (
        widget.width > 0
        and widget.height > 0
        and y < bottom + view.height
        and y + widget.height > bottom
        and x < left + view.width
        and x + widget.width > left
    )


def check_page(ui, page: str) -> dict:
    """At the top, the middle and the bottom of the page: what is in sight and not drawn, and
    how many of its widgets were set aside."""
    view = next(w for w in ui.widgets() if isinstance(w, PageScroll) and w.height > 0)
    found = {}
    for scroll_y in (1.0, 0.5, 0.0):
        view.scroll_y = scroll_y
        ui.settle()
        page_widgets = list(ui.widgets(view))
        missing = [type(w).__name__ for w in page_widgets if in_sight(w, view) and not drawn(w)]
        set_aside = [w for w in page_widgets if not drawn(w)]
        found[scroll_y] = (missing, len(set_aside))
    return found


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_what_is_in_sight_is_drawn_and_what_is_far_is_set_aside(start_app, clock, data_dir, size):
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app(size=size)
    if size[1] > size[0]:
        ui.app.navigator.screen("settings").set_text_scale(LARGEST_TEXT_SCALE)
        ui.settle()
    for page, context in (("settings", {}), ("checklist", {"procedure_id": block.id})):
        ui.app.navigator.go(page, **context)
        ui.settle()
        found = check_page(ui, page)
        assert all(not missing for missing, _aside in found.values()), (page, found)
        # Long pages: something is far from sight at the top and at the bottom.
        assert found[1.0][1] > 0 and found[0.0][1] > 0, (page, found)
        ui.app.navigator.home()
        ui.settle()
    assert tuple(Window.size) == size
