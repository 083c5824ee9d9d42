"""Work that waits for the window to paint its next frame: by then the frame's layouts and kv
rules have all run, so what the work reads is what will be on screen.

Not a clock callback before the frame: kv sets a canvas instruction's place and size only after
the clock's last callbacks, and Kivy runs those callbacks for at most Clock.max_iteration (20)
rounds and then paints anyway (after the window turns, a long page's nested layouts take more:
parts of a page in sight were painted set aside, found by a review on 2026-12-02)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar
from weakref import WeakSet

from kivy.core.window import Window

Item = TypeVar("Item")


class AsPainted(Generic[Item]):
    """`work(item)` once for each item asked for since the last frame, as the next one is
    painted; an item that is gone by then is passed over. Keep it (a module's name): the window
    holds its handler weakly."""

    def __init__(self, work: Callable[[Item], None]) -> None:
        self._work = work
        self._waiting: WeakSet = WeakSet()
        Window.bind(on_draw=self.run)  # bound handlers run before the window paints

    def ask(self, item: Item) -> None:
        self._waiting.add(item)

    def run(self, *_args) -> None:
        """Also to call before drawing into an Fbo outside the window's frame."""
        while self._waiting:
            self._work(self._waiting.pop())
