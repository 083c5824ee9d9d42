"""How long the window takes to draw a frame, so that a page slides in only where the slide can
be seen.

A slide's first frame shows the old page where it was (Kivy starts the animation at 0) and its
last frame the new page in place; only the frames between move. Where a frame takes longer than
a quarter of the slide (software GL, a slow or busy tablet), the page comes in by two or three
jumps rather than gliding, the patient waits for four frames or more instead of one (about
150 ms instead of 45 on software GL), and every frame of the slide redraws both pages. There
the page appears at once, with the same pictures; a device that draws quickly slides as before.
"""

from __future__ import annotations

import statistics
from collections import deque

from kivy.clock import Clock

FRAMES_REMEMBERED = 5  # the median of the last few frames: one slow frame changes nothing


class FramePace:
    """Times the frames the window draws back to back (an animation, a slide, a press): a
    frame drawn in the clock tick right after another one took that tick's whole length
    (Clock.frametime: input, layout, drawing, the buffer swap). It schedules nothing on the
    clock, so an idle window stays idle. Its binding is weak: it ends with the object."""

    def __init__(self, window) -> None:
        self._recent: deque[float] = deque(maxlen=FRAMES_REMEMBERED)
        self._drawn_in_tick: int | None = None
        window.bind(on_draw=self._on_draw)

    def record(self, seconds: float) -> None:
        """One frame drawn in `seconds`."""
        self._recent.append(seconds)

    def frame_seconds(self) -> float | None:
        """The recent time a frame takes; None before two frames were drawn back to back."""
        return statistics.median(self._recent) if self._recent else None

    def shows_frames_between(self, seconds: float, frames: int) -> bool:
        """Whether an animation of `seconds` would be drawn in at least `frames` frames (start and
        end included) at the recent pace; True while the pace is not known."""
        frame = self.frame_seconds()
        return frame is None or frame * frames <= seconds

    def _on_draw(self, *_args) -> None:
        tick = Clock.frames
        if self._drawn_in_tick == tick - 1:
            self.record(Clock.frametime)
        self._drawn_in_tick = tick
