"""RoundedFill covers exactly the pixels Kivy's RoundedRectangle covers, each once, at any size,
place and radius, also after it is moved or resized (app/ui/widgets/rounded_fill.py)."""

from __future__ import annotations

import random

import pytest
from kivy.clock import Clock
from kivy.graphics import ClearBuffers, ClearColor, Color, Fbo, RoundedRectangle

from app.ui.widgets.rounded_fill import RoundedFill

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
        Clock.tick_draw()  # drawn once where it was made
        fbo.draw()
        shape.pos, shape.size, shape.radius = pos, size, radius
    Clock.tick_draw()  # where RoundedFill computes its points, before the frame
    fbo.draw()
    return fbo.pixels


@pytest.mark.parametrize(("pos", "size", "radius"), SHAPES + any_shapes(60))
def test_covers_the_pixels_of_kivys_rounded_rectangle(pos, size, radius):
    kivy = drawn(RoundedRectangle, pos, size, radius)
    assert kivy.count(b"\x80\x80\x80") > 0  # something was drawn, at half strength
    assert drawn(RoundedFill, pos, size, radius) == kivy


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
