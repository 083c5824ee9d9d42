"""RoundedFill covers exactly the pixels Kivy's RoundedRectangle covers, each once, at any size,
place and radius, also after it is moved or resized (app/ui/widgets/rounded_fill.py)."""

from __future__ import annotations

import random

import pytest
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.graphics import ClearBuffers, ClearColor, Color, Fbo, RoundedRectangle
from kivy.metrics import dp
from kivy.tests.common import UnitTestTouch

from app.ui.widgets.controls import Card
from app.ui.widgets.rounded_fill import RoundedFill, computing

pytestmark = pytest.mark.ui

FBO_SIZE = (420, 260)
# (pos, size, radius): the app's cards and buttons at odd fractions of a pixel, a circle, a
# pill whose radius is more than half its height, a tab with square bottom corners, a corner
# with two radii, four different corners, shapes thinner than their radius.
SHAPES = [
    ((10, 20), (300, 120), [12]),
    ((10.3, 20.7), (300.6, 120.4), [12.5]),
    ((5.5, 7.25), (100, 48), [8]),
    ((40.1, 30.9), (60, 60), [30]),
    ((20.2, 100.6), (380.3, 40.2), [30]),
    ((3.7, 3.3), (200.5, 90.5), [12, 12, 0, 0]),
    ((15.25, 9.75), (250, 150), [(40, 12)]),
    ((12.4, 11.6), (390, 230), [4, 60, 0, 25.5]),
    ((100.5, 100.5), (3, 50), [12]),
    ((100.5, 100.5), (50, 1.5), [12]),
    ((0, 0), (420, 260), [0]),
]


def any_shapes(count: int) -> list:
    """Shapes at places and sizes no one chose, the same in every run: half with one radius on
    every round corner (any of them square), half with four radii of their own."""
    pick = random.Random(13)
    shapes = []
    for number in range(count):
        radius = pick.uniform(1, 80)
        if number % 2:
            radii = [pick.choice([0, pick.uniform(1, 80)]) for _ in range(4)]
        else:
            radii = [pick.choice([0, radius, radius]) for _ in range(4)]
        shapes.append(
            (
                (pick.uniform(0, 200), pick.uniform(0, 120)),
                (pick.uniform(1, 220), pick.uniform(1, 140)),
                radii,
            )
        )
    return shapes


def drawn(shape_class, pos, size, radius, move_from=None) -> bytes:
    """The pixels of one shape, half transparent so that a pixel covered twice shows darker,
    drawn over black in an Fbo; `move_from` (pos, size, radius) is where it was made first."""
    fbo = Fbo(size=FBO_SIZE)
    with fbo:
        ClearColor(0, 0, 0, 1)
        ClearBuffers()
        Color(1, 1, 1, 0.5)
        first = move_from or (pos, size, radius)
        shape = shape_class(pos=first[0], size=first[1], radius=first[2])
    if move_from is not None:
        computing.run()  # drawn once where it was made
        fbo.draw()
        shape.pos, shape.size, shape.radius = pos, size, radius
    computing.run()  # what the window does as it paints a frame
    fbo.draw()
    return fbo.pixels


@pytest.mark.parametrize(("pos", "size", "radius"), SHAPES + any_shapes(60))
def test_covers_the_pixels_of_kivys_rounded_rectangle(pos, size, radius):
    kivy = drawn(RoundedRectangle, pos, size, radius)
    assert kivy.count(b"\x80\x80\x80") > 0  # something was drawn, at half strength
    assert drawn(RoundedFill, pos, size, radius) == kivy


@pytest.mark.parametrize(("pos", "size", "radius"), SHAPES + any_shapes(60))
def test_its_outline_is_kivys_to_the_last_bit(pos, size, radius):
    """The same floats, so that no pixel on the edge can differ, where the pixel test only
    checks the pixel centres these shapes happen to hold."""
    fbo = Fbo(size=FBO_SIZE)
    with fbo:
        kivy = RoundedRectangle(pos=pos, size=size, radius=radius)
    fbo.draw()  # Kivy computes its points as it draws
    assert RoundedFill(pos=pos, size=size, radius=radius).outline() == kivy.points


def test_follows_a_change_of_place_size_and_radius():
    before = ((300.5, 200.5), (100, 40), [20])
    for pos, size, radius in SHAPES[:8]:
        kivy = drawn(RoundedRectangle, pos, size, radius)
        assert drawn(RoundedFill, pos, size, radius, move_from=before) == kivy


def test_draws_nothing_at_zero_width_or_height():
    empty = drawn(RoundedFill, (0, 0), (0, 0), [12])
    for size in ((0, 50), (50, 0)):
        assert drawn(RoundedFill, (10, 10), size, [12], move_from=((10, 10), (50, 50), [12])) == (
            empty
        )
    assert empty.count(b"\x80\x80\x80") == 0


def test_a_panel_is_painted_where_its_card_is_in_the_frame_a_touch_moves_it(start_app):
    """A touch that changes a layout: the layout runs in the clock's last callbacks before the
    frame, and kv moves a canvas instruction only after them. A panel computed in those
    callbacks was painted one frame late (and a page's new cards without their panels)."""
    ui = start_app()
    page = ui.app.navigator.go("settings").ids.form
    ui.settle()
    above = next(w for w in page.children if isinstance(w, Card) and w.height > 0)
    card = Card(gap=dp(4), size_hint_y=None, height=dp(100))
    page.add_widget(card)  # at the bottom: as it grows, every card above it moves up
    heights = [dp(180), dp(60), dp(240)]

    def grow(_window, _touch) -> bool:
        card.height = heights.pop(0)
        return True  # the touch is only for this

    Window.bind(on_touch_down=grow)
    try:
        ui.settle()
        while heights:
            # Queued as the window's input queues a real touch (UnitTestTouch.touch_down would
            # handle it at once, outside any frame), so it is handled inside the next frame.
            touch = UnitTestTouch(5, 5)
            EventLoop._dispatch_input("begin", touch)
            EventLoop.idle()  # the frame in which the touch is handled
            EventLoop._dispatch_input("end", touch)
            assert painted(card) == pytest.approx(panel_place(card), abs=0.01)
            assert painted(above) == pytest.approx(panel_place(above), abs=0.01)
    finally:
        Window.unbind(on_touch_down=grow)
        page.remove_widget(card)


def painted(card) -> tuple[float, float, float, float]:
    """Where the last frame painted the card's panel: left, bottom, right, top."""
    [panel] = [i for i in card.canvas.before.children if isinstance(i, RoundedFill)]
    xs, ys = panel.vertices[0::4], panel.vertices[1::4]
    return min(xs), min(ys), max(xs), max(ys)


def panel_place(card) -> tuple[float, float, float, float]:
    return card.x, card.y + card.gap, card.right, card.top - card.gap


def test_asks_for_a_frame_only_for_a_change_on_screen(start_app):
    """A frame costs tens of milliseconds of software GL: none for a value set again (kv sets
    one whenever anything its rule reads changes) or for a shape on no screen."""
    ui = start_app()
    ui.settle()
    panel = next(
        i
        for card in ui.widgets()
        if isinstance(card, Card) and card.height > 0
        for i in card.canvas.before.children
        if isinstance(i, RoundedFill)
    )
    nowhere = RoundedFill(pos=(0, 0), size=(50, 50), radius=[8])
    ui.pump(frames=2)
    assert not Window.canvas.needs_redraw
    panel.pos, panel.size, panel.radius = tuple(panel.pos), tuple(panel.size), list(panel.radius)
    nowhere.pos = (10, 10)
    assert not Window.canvas.needs_redraw
    panel.pos = (panel.pos[0] + 1, panel.pos[1])
    assert Window.canvas.needs_redraw
