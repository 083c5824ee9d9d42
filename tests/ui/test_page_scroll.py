"""A scrolling page draws what is in sight and sets aside only what is far from it: in a real
window, on the longest pages, at the top, in the middle and at the bottom, in landscape and in
portrait at the largest text. It is clipped to its view wherever the view is on screen."""

from __future__ import annotations

import pytest
from kivy.core.window import Window
from kivy.graphics import InstructionGroup, ScissorPush, StencilPush
from kivy.uix.scrollview import ScrollView

from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.folder_picker import FolderScroll
from app.ui.widgets.page_scroll import NEAR_SIGHT, PageScroll
from app.ui.widgets.scissor_clip import clip_with_scissor
from tests.ui.test_today import add_procedure
from tests.ui.test_your_data import open_your_data

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


def folded_away(widget, view) -> bool:
    """Whether `widget` is in a group of `view`'s page that is hidden (a closed Reveal): it may
    hang out of its folded group's box, but nothing of it is drawn."""
    node = widget
    while node is not view:
        if node.opacity == 0:
            return True
        node = node.parent
    return False


def in_sight(widget, view, margin: float = 0) -> bool:
    """Whether any of `widget` is in `view`, or within `margin` above or below it."""
    x, y = widget.to_window(widget.x, widget.y)
    left, bottom = view.to_window(view.x, view.y)
    return (
        widget.width > 0
        and widget.height > 0
        and y < bottom + view.height + margin
        and y + widget.height > bottom - margin
        and x < left + view.width
        and x + widget.width > left
    )


def check_page(ui, page: str) -> dict:
    """At the top, the middle and the bottom of the page: what is in sight and not drawn, how
    many of its widgets were set aside, and which of its parts (the page's own children) are
    drawn though all of them is farther than NEAR_SIGHT from sight."""
    view = next(w for w in ui.widgets() if isinstance(w, PageScroll) and w.height > 0)
    found = {}
    for scroll_y in (1.0, 0.5, 0.0):
        view.scroll_y = scroll_y
        ui.settle()
        page_widgets = list(ui.widgets(view))
        missing = [
            type(w).__name__
            for w in page_widgets
            if in_sight(w, view) and not folded_away(w, view) and not drawn(w)
        ]
        set_aside = [w for w in page_widgets if not drawn(w)]
        far_drawn = [
            type(part).__name__
            for part in view.children[0].children
            if part.height > 0 and drawn(part) and not in_sight(part, view, NEAR_SIGHT)
        ]  # a closed Reveal, 0 high, draws nothing wherever it is
        found[scroll_y] = (missing, len(set_aside), far_drawn)
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
        assert all(not missing for missing, _aside, _far in found.values()), (page, found)
        # Long pages: something is far from sight at the top and at the bottom...
        assert found[1.0][1] > 0 and found[0.0][1] > 0, (page, found)
        # ...and none of it is drawn.
        assert all(not far for _missing, _aside, far in found.values()), (page, found)
        ui.app.navigator.home()
        ui.settle()
    assert tuple(Window.size) == size


def test_no_frame_painted_while_the_window_turns_leaves_a_part_in_sight_set_aside(
    start_app, clock, data_dir
):
    """A long page at the largest text needs more rounds of layout after a turn than Kivy runs
    before a frame (Clock.max_iteration), so frames are painted with the page half laid out. In
    each, every part set aside from a group that is drawn is out of sight where that frame
    paints it. (Until the layout ends, what a group holds may stand outside the group's box:
    only the parts whose group is drawn could show.)"""
    block = add_procedure(data_dir, clock, PROCEDURE_AT)
    ui = start_app()
    ui.app.navigator.screen("settings").set_text_scale(LARGEST_TEXT_SCALE)
    checklist = ui.app.navigator.go("checklist", procedure_id=block.id)
    ui.settle()
    view = next(w for w in ui.widgets(checklist) if isinstance(w, PageScroll))
    in_sight_but_set_aside: list[tuple] = []

    def look_at_the_painted_frame(_window) -> None:  # after the frame is drawn, before the swap
        in_sight_but_set_aside.extend(
            (tuple(Window.size), view.scroll_y, type(part).__name__)
            for part, (holder, _place) in list(view._set_aside.items())
            if drawn(holder) and in_sight(part, view) and not folded_away(part, view)
        )

    Window.bind(on_flip=look_at_the_painted_frame)
    try:
        for scroll_y in (0.1, 0.4, 0.75):
            for size in ((800, 1280), (1280, 800)):
                view.scroll_y = scroll_y
                ui.settle()
                Window.size = size
                for _painted in range(4):
                    ui.frame(draw=True)
                ui.settle()
    finally:
        Window.unbind(on_flip=look_at_the_painted_frame)
    assert not in_sight_but_set_aside, in_sight_but_set_aside[:10]


def clipped_by(view) -> str:
    """What a scrolling view clips its drawing with: "scissor", "stencil" or "nothing"."""
    for instruction in view.canvas.before.children:
        if isinstance(instruction, ScissorPush):
            return "scissor"
        if isinstance(instruction, StencilPush) or (
            type(instruction) is InstructionGroup
            and isinstance(instruction.children[0], StencilPush)
        ):
            return "stencil"
    return "nothing"


def clip_and_view(view: PageScroll) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The rectangle the page is clipped to, and where its view is in the window (x, y, w, h)."""
    [clip] = [i for i in view.canvas.before.children if isinstance(i, ScissorPush)]
    left, bottom = view.to_window(*view.pos)
    right, top = view.to_window(view.right, view.top)
    return (*clip.pos, *clip.size), (left, bottom, right - left, top - bottom)


def test_a_page_is_clipped_to_its_view_as_it_slides_in_and_after_the_window_turns(
    start_app, monkeypatch
):
    ui = start_app()
    assert not ui.app.theme.less_motion
    # A device that draws fast enough for pages to slide in (software GL under Xvfb does not).
    monkeypatch.setattr(ui.app.navigator.pace, "shows_frames_between", lambda *_args: True)
    settings = ui.app.navigator.go("settings")  # as its tile does, without waiting for stillness
    view = next(w for w in ui.widgets(settings) if isinstance(w, PageScroll))
    assert clipped_by(view) == "scissor"
    frames = []
    while ui.app.navigator.manager.transition.is_active:
        ui.frame()
        frames.append(clip_and_view(view))
    ui.settle()
    frames.append(clip_and_view(view))
    Window.size = (800, 1280)
    ui.settle()
    frames.append(clip_and_view(view))
    away = [view_box for _clip, view_box in frames if view_box[0] != 0]
    assert away, frames  # a frame drew the page away from its place (the slide's start)
    for clip, view_box in frames:
        assert all(abs(a - b) <= 1 for a, b in zip(clip, view_box, strict=True)), frames
    assert frames[-1][1][2] == 800 and frames[-1][1][3] > frames[-2][1][3]  # turned


def test_a_view_that_draws_no_stencil_is_left_as_it_is(start_app):
    start_app()
    view = ScrollView()
    assert clipped_by(view) == "scissor"
    view.canvas.before.clear()
    view.canvas.after.clear()
    clip_with_scissor(view)
    assert clipped_by(view) == "nothing"
    assert not view.canvas.before.children and not view.canvas.after.children


def test_a_list_inside_a_scrolling_page_keeps_the_stencil_and_the_page_the_scissor(start_app):
    """The page moves what it holds by a translation set a frame after its scroll, which a
    scissor of the list inside could not follow."""
    ui = start_app(size=(800, 1280))
    screen = open_your_data(ui)
    page = next(w for w in ui.widgets(screen) if isinstance(w, PageScroll))
    folders = next(w for w in ui.widgets(page) if isinstance(w, FolderScroll))
    assert (clipped_by(page), clipped_by(folders)) == ("scissor", "stencil")
    page.scroll_y = 0.5
    ui.settle()
    assert (clipped_by(page), clipped_by(folders)) == ("scissor", "stencil")
    ui.app.navigator.home()  # and on the next visit too
    ui.settle()
    open_your_data(ui)
    assert clipped_by(folders) == "stencil"
