"""Drive the real app in a real Kivy window: touches, keys, frames and screenshots.

A step waits for a condition (the page still, a text on screen, a widget, a question), frame by
frame, and fails after a timeout saying what it waited for and what the window shows. Fixed
sleeps are for tests where real time is the point (an undo that must outlast ten seconds).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from kivy.animation import Animation
from kivy.app import App
from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.tests.common import UnitTestTouch
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

T = TypeVar("T")

# Generous: six test processes may share two cores. A wait that is met returns at once.
WAIT_SECONDS = 20.0
# Clock work due within this many seconds still belongs to the step just taken (a ScrollView
# hands a tap to its child 0.2 s after the finger lifts; a page scrolls to its top 0.1 s after
# it opens); work due later (a banner hiding after 6 s, the reminders starting a second after
# the first frame) is the app's own business.
STILL_WITHIN_SECONDS = 0.6
# Clock work and animations that never end while a page is shown, or only colour a scroll bar:
# the page is still while they go on.
COSMETIC_CALLBACKS = frozenset(
    {
        "_bind_inactive_bar_color",  # a ScrollView's bar fades 0.5 s after scrolling stops
        "_do_blink_cursor",  # a focused TextInput's cursor blinks for as long as it has focus
    }
)
COSMETIC_PROPERTIES = frozenset({"_bar_color"})


class WaitTimeout(AssertionError):
    """A condition the test waited for did not come true in time."""


class UiDriver:
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def screen(self):
        """The page in front; None on the recovery page, which opens without the navigator."""
        navigator = self.app.navigator
        return None if navigator is None else navigator.current

    # --- Frames and waits -------------------------------------------------------------------

    def pump(self, seconds: float = 0.0, frames: int = 4) -> None:
        """Run the event loop, drawing every frame: at least `frames` frames and at least
        `seconds` of real time. Only where real time or every drawn frame is the point;
        otherwise wait for a condition."""
        end = time.monotonic() + seconds
        done = 0
        while done < frames or time.monotonic() < end:
            EventLoop.idle()
            done += 1

    def frame(self, draw: bool = True) -> None:
        """One frame of the event loop. Without `draw` it does everything but paint the window
        (clock, touches, layout, textures): painting 1280x800 in software GL under Xvfb is most
        of a frame's cost, and a frame in the middle of a step is never looked at."""
        if draw:
            EventLoop.idle()
            return
        Clock.tick()
        EventLoop.dispatch_input()
        Builder.sync()
        Clock.tick_draw()
        Builder.sync()

    def frames(self, count: int) -> None:
        """`count` frames, the last one drawn."""
        for done in range(1, count + 1):
            self.frame(draw=done == count)

    def wait_until(
        self,
        condition: Callable[[], T],
        what: str,
        timeout: float = WAIT_SECONDS,
        frames: int = 1,
        draw_each: bool = False,
    ) -> T:
        """Run frames (at least `frames`) until `condition()` returns something true; return it.
        The window is drawn once the condition holds (and checked again after that frame), or
        at every frame with `draw_each`. Fails after `timeout` seconds naming `what` it waited
        for and what the window shows."""
        end = time.monotonic() + timeout
        done = 0
        while True:
            if done >= frames and condition():
                if not draw_each:
                    self.frame(draw=True)
                result = condition()
                if result:
                    return result
            if time.monotonic() > end:
                raise WaitTimeout(f"waited {timeout:g} s for {what}; {self.describe()}")
            self.frame(draw=draw_each)
            done += 1

    def still(self) -> bool:
        """The page in front has finished arriving: no slide running, no animation (a question
        opening) and nothing due on Kivy's clock in the next moment (a layout, a ScrollView
        passing a tap on, a refresh the page scheduled)."""
        navigator = self.app.navigator
        if navigator is not None and (
            navigator.current is None or navigator.manager.transition.is_active
        ):
            return False
        return not busy_animations() and not clock_work_due()

    def settle(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until the page is still (see `still`)."""
        self.wait_until(self.still, "the window to be still", timeout, frames=2)

    def wait_for_screen(self, name: str, timeout: float = WAIT_SECONDS):
        """Wait until the page `name` is in front and still; return it."""
        self.wait_until(
            lambda: self.screen is not None and self.screen.name == name and self.still(),
            f"the {name!r} page",
            timeout,
            frames=2,
        )
        return self.screen

    def wait_for_text(
        self, text: str, root: Widget | None = None, timeout: float = WAIT_SECONDS
    ) -> Widget:
        """Wait until a visible widget's whole text is `text`; return it."""
        return self.wait_until(
            lambda: self._text_widget(text, root), f"something on screen to say {text!r}", timeout
        )

    def wait_for_text_gone(
        self, text: str, root: Widget | None = None, timeout: float = WAIT_SECONDS
    ) -> None:
        self.wait_until(
            lambda: self._text_widget(text, root) is None, f"{text!r} to leave the screen", timeout
        )

    def wait_for(
        self,
        predicate: Callable[[Widget], bool],
        what: str,
        root: Widget | None = None,
        timeout: float = WAIT_SECONDS,
    ) -> Widget:
        """Wait until a visible widget matches `predicate`; return it."""
        return self.wait_until(lambda: self._first(predicate, root), what, timeout)

    def wait_for_question(self, timeout: float = WAIT_SECONDS):
        """Wait until one ConfirmDialog is open over the window and still; return it."""
        return self.wait_until(
            lambda: self.question() if self.still() else None,
            "a question (ConfirmDialog) to open",
            timeout,
        )

    def wait_for_reminders(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until the app has started its reminder service (a second after its first
        frame) and the window is still again (a list of what came while it was closed)."""
        self.wait_until(
            lambda: self.app.services.reminders is not None,
            "the app to start its reminders",
            timeout,
        )
        self.settle(timeout)

    def describe(self) -> str:
        """What the window shows, for a failure message."""
        screen = self.screen
        sliding = screen is not None and self.app.navigator.manager.transition.is_active
        pending = [_callback_name(event) for event in pending_clock_work()]
        return (
            f"page {screen.name if screen else None!r}, sliding: {sliding}, animations: "
            f"{len(busy_animations())}, due on the clock: {pending}; the window shows: "
            f"{[text for front in Window.children for text in self.visible_texts(front)]}"
        )

    # --- Touches and keys -------------------------------------------------------------------

    def tap(self, widget: Widget) -> None:
        """Touch down and up on the widget's centre, then wait until the window is still (a
        ScrollView hands a short tap to its children 0.2 s after the finger lifts)."""
        assert widget.get_root_window() is not None, f"{widget!r} is not on screen"
        assert not widget.disabled, f"{widget!r} is disabled"
        self.scroll_into_view(widget)
        # A scroll can lay out again what it brought into sight (a wrapped label grows): the
        # centre is read once nothing moves, or the touch lands where the widget was.
        self.wait_until(self._still_anywhere, f"the window to be still before tapping {widget!r}")
        x, y = self._seen_centre(widget)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(2)
        touch.touch_up()
        self.wait_until(self._still_anywhere, f"the tap on {widget!r} to be handled", frames=2)

    @staticmethod
    def _seen_centre(widget: Widget) -> tuple[float, float]:
        """The centre, in the window, of the part of `widget` that every scrolling view around
        it shows: where a patient's finger goes when a short view (a page squeezed at the
        largest text) shows only part of a button."""
        left, bottom = widget.to_window(*widget.pos)
        right, top = widget.to_window(widget.right, widget.top)
        node = widget.parent
        while node is not None and node is not node.parent:
            if isinstance(node, ScrollView):
                view_left, view_bottom = node.to_window(*node.pos)
                view_right, view_top = node.to_window(node.right, node.top)
                left, bottom = max(left, view_left), max(bottom, view_bottom)
                right, top = min(right, view_right), min(top, view_top)
            node = node.parent
        assert left < right and bottom < top, f"no part of {widget!r} is in sight"
        return (left + right) / 2, (bottom + top) / 2

    def scroll_into_view(self, widget: Widget) -> None:
        """Scroll as a patient would, so the widget is not hidden below the fold."""
        node = widget.parent
        while node is not None and node is not node.parent:
            if hasattr(node, "layout_manager"):
                return  # a RecycleView only holds views for rows already in sight
            if isinstance(node, ScrollView):
                node.scroll_to(widget, padding=dp(120), animate=False)
                self.frames(3)
                return
            node = node.parent

    def tap_text(self, text: str, root: Widget | None = None) -> None:
        self.tap(self.find_text(text, root))

    def press_escape(self) -> None:
        Window.dispatch("on_keyboard", 27, 0, None, [])
        self.frames(3)

    def press_key(
        self, keycode: int, text: str | None = None, modifiers: list[str] | None = None
    ) -> None:
        """A key press as the window delivers it to whatever has keyboard focus."""
        Window.dispatch("on_key_down", keycode, 0, text, modifiers or [])
        Window.dispatch("on_key_up", keycode, 0)
        self.frames(3)

    def type_into(self, text_input, text: str) -> None:
        text_input.focus = True
        self.frame()
        text_input.insert_text(text)
        self.frames(2)

    # --- Finding ----------------------------------------------------------------------------

    def widgets(self, root: Widget | None = None) -> Iterator[Widget]:
        yield from (root or self.screen).walk(restrict=True)

    def find(self, predicate: Callable[[Widget], bool], root: Widget | None = None) -> Widget:
        match = self._first(predicate, root)
        assert match is not None, "no visible widget matches"
        return match

    def find_text(self, text: str, root: Widget | None = None) -> Widget:
        """The visible widget whose whole text is `text` (buttons are Labels too)."""
        match = self._text_widget(text, root)
        assert match is not None, (
            f"nothing on screen says {text!r}; it shows: {self.visible_texts(root)}"
        )
        return match

    def visible_texts(self, root: Widget | None = None) -> list[str]:
        return [
            w.text for w in self.widgets(root) if isinstance(w, Label) and w.text and visible(w)
        ]

    def open_question(self):
        """The one ConfirmDialog open over the window (waits for it to open)."""
        return self.wait_for_question()

    def question(self):
        """The ConfirmDialog open over the window, or None; never two at once."""
        from app.ui.widgets.confirm import ConfirmDialog

        questions = [w for w in Window.children if isinstance(w, ConfirmDialog) and w.is_open]
        assert len(questions) <= 1, f"{len(questions)} questions are open at once"
        return questions[0] if questions else None

    def _first(self, predicate: Callable[[Widget], bool], root: Widget | None) -> Widget | None:
        return next((w for w in self.widgets(root) if predicate(w) and visible(w)), None)

    def _text_widget(self, text: str, root: Widget | None) -> Widget | None:
        return self._first(lambda w: isinstance(w, Label) and w.text == text, root)

    def _still_anywhere(self) -> bool:
        """Still, also when no page is shown (a tap that closed the app)."""
        return self.app.navigator is None or self.screen is None or self.still()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pump(frames=3)
        written = Window.screenshot(name=str(path.with_suffix("")) + "-.png")
        shutil.move(written, path)
        return path


def visible(widget: Widget) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if node.opacity == 0 or getattr(node, "height", 1) == 0:
            return False
        node = node.parent
    return True


def pending_clock_work() -> list:
    """One-off Kivy clock events due within STILL_WITHIN_SECONDS (repeating ones, such as the
    reminders' tick, never end and are left out, as are the COSMETIC_CALLBACKS)."""
    now = Clock.get_time()
    return [
        event
        for event in Clock.get_events()
        if not event.loop
        and event.is_triggered
        and event._last_dt + event.timeout - now < STILL_WITHIN_SECONDS
        # A callback whose object is gone (Kivy keeps methods weakly) will never run.
        and _callback(event) is not None
        and _callback(event).__name__ not in COSMETIC_CALLBACKS
    ]


def clock_work_due() -> bool:
    return bool(pending_clock_work())


def busy_animations() -> list[Animation]:
    """Running animations other than the COSMETIC_PROPERTIES' (a page sliding, a question
    fading in)."""
    return [
        animation
        for animation in Animation._instances
        if not set(animation.animated_properties) <= COSMETIC_PROPERTIES
    ]


def _callback(event) -> Callable:
    callback = event.get_callback()
    return getattr(callback, "func", callback)  # a functools.partial's function


def _callback_name(event) -> str:
    return getattr(_callback(event), "__qualname__", repr(_callback(event)))
