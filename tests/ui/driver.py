"""Drive the real app in a real Kivy window: touches, keys, frames and screenshots."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable, Iterator

from kivy.app import App
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.tests.common import UnitTestTouch
from kivy.metrics import dp
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget


class UiDriver:
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def screen(self):
        return self.app.navigator.current

    def pump(self, seconds: float = 0.0, frames: int = 4) -> None:
        """Run the event loop: at least `frames` frames and at least `seconds` of real time."""
        end = time.monotonic() + seconds
        done = 0
        while done < frames or time.monotonic() < end:
            EventLoop.idle()
            done += 1

    def settle(self) -> None:
        """Let screen transitions and scheduled refreshes finish."""
        self.pump(seconds=0.6)

    def tap(self, widget: Widget) -> None:
        assert widget.get_root_window() is not None, f"{widget!r} is not on screen"
        assert not widget.disabled, f"{widget!r} is disabled"
        self.scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.pump(frames=2)
        touch.touch_up()
        # A ScrollView replays a short tap to its children on a later frame.
        self.pump(seconds=0.3)

    def scroll_into_view(self, widget: Widget) -> None:
        """Scroll as a patient would, so the widget is not hidden below the fold."""
        node = widget.parent
        while node is not None and node is not node.parent:
            if hasattr(node, "layout_manager"):
                return  # a RecycleView only holds views for rows already in sight
            if isinstance(node, ScrollView):
                node.scroll_to(widget, padding=dp(120), animate=False)
                self.pump(frames=3)
                return
            node = node.parent

    def tap_text(self, text: str, root: Widget | None = None) -> None:
        self.tap(self.find_text(text, root))

    def press_escape(self) -> None:
        Window.dispatch("on_keyboard", 27, 0, None, [])
        self.pump(frames=3)

    def press_key(self, keycode: int, text: str | None = None,
                  modifiers: list[str] | None = None) -> None:
        """A key press as the window delivers it to whatever has keyboard focus."""
        Window.dispatch("on_key_down", keycode, 0, text, modifiers or [])
        Window.dispatch("on_key_up", keycode, 0)
        self.pump(frames=3)

    def type_into(self, text_input, text: str) -> None:
        text_input.focus = True
        self.pump(frames=1)
        text_input.insert_text(text)
        self.pump(frames=2)

    def widgets(self, root: Widget | None = None) -> Iterator[Widget]:
        yield from (root or self.screen).walk(restrict=True)

    def find(self, predicate: Callable[[Widget], bool], root: Widget | None = None) -> Widget:
        matches = [w for w in self.widgets(root) if predicate(w) and visible(w)]
        assert matches, "no visible widget matches"
        return matches[0]

    def find_text(self, text: str, root: Widget | None = None) -> Widget:
        """The visible widget whose whole text is `text` (buttons are Labels too)."""
        matches = [w for w in self.widgets(root)
                   if isinstance(w, Label) and w.text == text and visible(w)]
        assert matches, f"nothing on screen says {text!r}; it shows: {self.visible_texts(root)}"
        return matches[0]

    def visible_texts(self, root: Widget | None = None) -> list[str]:
        return [w.text for w in self.widgets(root)
                if isinstance(w, Label) and w.text and visible(w)]

    def open_question(self):
        """The one ConfirmDialog open over the window."""
        from app.ui.widgets.confirm import ConfirmDialog

        [dialog] = [w for w in Window.children if isinstance(w, ConfirmDialog)]
        return dialog

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
