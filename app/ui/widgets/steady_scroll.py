"""The scroll effect of every scrolling page and list: Kivy's DampedScrollEffect (a fling that
slows, a spring back from past an end), advanced in steps of at most STEP_SECONDS.

Kivy's effect moves its spring once a frame by the time since the last one. After a frame that
took half a second or more (a page built on a slow tablet; a busy machine), each such move
overshot further than the last: a page pulled past its end, or whose height changed under it,
never came to rest, swinging wider on every frame. The same time in small steps keeps the
motion Kivy's, at any frame rate."""

from kivy.effects.dampedscroll import DampedScrollEffect

STEP_SECONDS = 1 / 60


class SteadyScrollEffect(DampedScrollEffect):
    def update_velocity(self, dt: float) -> None:
        while dt > STEP_SECONDS:
            super().update_velocity(STEP_SECONDS)
            dt -= STEP_SECONDS
        super().update_velocity(dt)
