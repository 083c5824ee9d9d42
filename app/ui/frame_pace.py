"""How long the window takes to draw a frame, so that a page slides in only where the slide can
be seen.

A slide's first frame shows the old page where it was (Kivy starts the animation at 0) and its
last frame the new page in place; only the frames between move. Where a frame takes a third of
the slide or longer (software GL, a slow or busy tablet), there are no frames between: the
patient saw the old page for one more frame and then the new one, and every frame of the slide
redraws both pages. There the page appears at once, a frame sooner and with the same pictures;
a device that draws quickly slides as before.
"""

from __future__ import annotations

import statistics
import time
from collections import deque

from kivy.clock import Clock

FRAMES_REMEMBERED = 5  # the median of the last few frames: one slow frame changes nothing


class FramePace:
    """Times every frame the window draws, from the start of drawing to the next clock tick
    (after the buffer swap). Its bindings are weak: they end with the object."""

    def __init__(self, window) -> None:
        self._recent: deque[float] = deque(maxlen=FRAMES_REMEMBERED)
        self._started: float | None = None
        self._frame_done = Clock.create_trigger(self._on_frame_done, 0)
        window.bind(on_draw=self._on_draw, on_flip=self._on_flip)

    def record(self, seconds: float) -> None:
        """One frame drawn in `seconds`."""
        self._recent.append(seconds)

    def frame_seconds(self) -> float | None:
        """The recent time a frame takes; None before any frame was drawn."""
        return statistics.median(self._recent) if self._recent else None

    def shows_frames_between(self, seconds: float, frames: int) -> bool:
        """Whether an animation of `seconds` would be drawn in at least `frames` frames (start and
        end included) at the recent pace; True before any frame was drawn."""
        frame = self.frame_seconds()
        return frame is None or frame * frames <= seconds

    def _on_draw(self, *_args) -> None:
        self._started = time.perf_counter()

    def _on_flip(self, *_args) -> None:
        self._frame_done()  # the swap comes after the handlers bound here

    def _on_frame_done(self, _dt) -> None:
        if self._started is not None:
            self.record(time.perf_counter() - self._started)
            self._started = None
