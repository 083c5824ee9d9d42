"""A page pulled past its end springs back and comes to rest, also when the device draws its
frames half a second apart (a slow tablet, a page being built): in a real window, by touch."""

from __future__ import annotations

import time

from kivy.tests.common import UnitTestTouch

from app.ui.widgets.steady_scroll import SteadyScrollEffect
from tests.ui.test_learn_and_settings import open_settings

SLOW_FRAME_SECONDS = 0.7


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
    for _frame in range(4):
        time.sleep(SLOW_FRAME_SECONDS)
        ui.frame(draw=False)
    effect = ui.wait_until(
        lambda: scroll.effect_y if scroll.effect_y.velocity == 0 else None,
        "the page to stop moving",
    )
    assert effect.overscroll == 0
    assert scroll.scroll_y == 1  # back at its top
    ui.settle()
