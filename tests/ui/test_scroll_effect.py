"""A page pulled past its end springs back and comes to rest, also when the device draws its
frames half a second apart (a slow tablet, a page being built): in a real window, by touch."""

from __future__ import annotations

import time

from kivy.tests.common import UnitTestTouch

from app.ui.widgets.steady_scroll import SteadyScrollEffect
from tests.ui.test_learn_and_settings import open_settings

SLOW_FRAME_SECONDS = 0.7
SLOW_FRAMES = 8


def pull_down(ui, scroll, distance: float) -> None:
    """A finger put on the page and pulled down `distance` px, past the page's top."""
    x, y = scroll.to_window(scroll.center_x, scroll.center_y)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    ui.frames(2)
    for step in range(1, 11):
        touch.touch_move(x, y - distance * step / 10)
        ui.frames(1)
    touch.touch_up()


def test_a_page_pulled_past_its_top_comes_to_rest_at_it_between_slow_frames(start_app):
    ui = start_app()
    open_settings(ui)
    scroll = ui.screen.ids.scroll
    assert isinstance(scroll.effect_y, SteadyScrollEffect)
    pull_down(ui, scroll, 300)
    assert scroll.effect_y.overscroll, "the pull did not take the page past its top"
    for _frame in range(SLOW_FRAMES):
        time.sleep(SLOW_FRAME_SECONDS)
        ui.frame(draw=False)
        if scroll.effect_y.velocity == 0 and scroll.effect_y.overscroll == 0:
            break
    else:
        raise AssertionError(f"still moving after {SLOW_FRAMES} slow frames: {describe(scroll)}")
    scrollable = scroll.viewport_size[1] - scroll.height
    assert (1 - scroll.scroll_y) * scrollable <= 2, describe(scroll)  # at its top, to 2 px
    ui.settle()


def describe(scroll) -> str:
    effect = scroll.effect_y
    return f"velocity {effect.velocity:.3g}, past the end {effect.overscroll:.3g} px"
