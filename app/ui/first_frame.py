"""Work that must not hold up the first frame: run it a moment after the window first shows.

`Clock.schedule_once(callback, 1.0)` made during `build` counts from Kivy's last clock tick,
which at start-up is when kivy.clock was imported: on a slow or busy device more than a second
passes before the first frame, and the "later" work then ran in the very tick that draws it
(starting the reminders and building When to call added 0.4 s of CPU before the first frame).
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.clock import Clock


class AfterFirstFrame:
    """`callback(dt)` runs `delay` seconds after the next frame is on screen; `cancel()` stops it
    at any point (as a ClockEvent's does)."""

    def __init__(self, callback: Callable[[float], None], delay: float) -> None:
        self._callback = callback
        self._delay = delay
        self._event = None
        _window().bind(on_flip=self._on_flip)

    def _on_flip(self, *_args) -> None:
        _window().unbind(on_flip=self._on_flip)
        self._event = Clock.schedule_once(self._callback, self._delay)

    def cancel(self) -> None:
        _window().unbind(on_flip=self._on_flip)
        if self._event is not None:
            self._event.cancel()


def _window():
    from kivy.core.window import Window  # imported when used: importing it opens the window

    return Window
