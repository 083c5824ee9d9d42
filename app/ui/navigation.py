"""Screens by name, built on first visit, and a history so Back always has somewhere to go."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager, SlideTransition

from app.ui.first_frame import AfterFirstFrame
from app.ui.frame_pace import FramePace
from app.ui.shell import laid_out

# name -> (module, class). Imported on first visit so start-up only pays for the Today screen.
SCREENS = {
    "today": ("app.ui.screens.today", "TodayScreen"),
    "log": ("app.ui.screens.quick_log", "QuickLogScreen"),
    "entry": ("app.ui.screens.entry", "EntryScreen"),
    "diary": ("app.ui.screens.diary", "DiaryScreen"),
    "guide": ("app.ui.screens.guide", "GuideScreen"),
    "timeline": ("app.ui.screens.timeline", "TimelineScreen"),
    "step": ("app.ui.screens.step", "StepScreen"),
    "checklist": ("app.ui.screens.checklist", "ChecklistScreen"),
    "reminders": ("app.ui.screens.reminders", "RemindersScreen"),
    "learn": ("app.ui.screens.learn", "LearnScreen"),
    "article": ("app.ui.screens.article", "ArticleScreen"),
    "when_to_call": ("app.ui.screens.when_to_call", "WhenToCallScreen"),
    "settings": ("app.ui.screens.settings", "SettingsScreen"),
    "block_diary": ("app.ui.screens.block_diary", "BlockDiaryScreen"),
    "paper_diary": ("app.ui.screens.paper_diary", "PaperDiaryScreen"),
    "outcomes": ("app.ui.screens.outcomes", "OutcomesScreen"),
    "reports": ("app.ui.screens.reports", "ReportsScreen"),
    "your_data": ("app.ui.screens.your_data", "YourDataScreen"),
    "kiosk_pin": ("app.ui.screens.kiosk_pin", "KioskPinScreen"),
    "kiosk_staff": ("app.ui.screens.kiosk_staff", "KioskStaffScreen"),
    "kiosk_setup": ("app.ui.screens.kiosk_setup", "KioskSetupScreen"),
}
HOME = "today"
# Every frame of a transition redraws the whole window (on a tablet's GPU cheap, in software GL
# 30-100 ms of CPU each), and a page is not ready before its slide ends, so a slide is short:
# Kivy's default 0.4 s drew up to 24 frames.
SLIDE_SECONDS = 0.1
# A slide is drawn only where at least this many frames of it fit in SLIDE_SECONDS (its first
# frame shows the old page in place, its last the new one): see app/ui/frame_pace.py.
SLIDE_FRAMES_AT_LEAST = 4
# Pages that appear at once whatever the motion setting: someone in pain tapping "When to call"
# must not wait for a slide.
APPEAR_AT_ONCE = frozenset({"when_to_call"})
# Built a moment after start, while the patient reads Today, so that even the first tap on them
# only fills them in (building When to call is most of its first visit).
BUILT_AFTER_START = ("when_to_call",)
BUILD_AFTER_SECONDS = 2.0  # after the first frame
# A visit whose page changes nothing on screen draws no frame: the collector is back after this
# long whatever happens.
COLLECTOR_REST_AT_MOST_SECONDS = 2.0
TAB = 9


class Navigator:
    def __init__(
        self, manager: ScreenManager, services, on_leave_home: Callable[[], None], theme=None
    ):
        self.manager = manager
        self.services = services
        self.on_leave_home = on_leave_home
        self.theme = theme  # its `less_motion` (Settings) turns the slide off
        self._slide = SlideTransition(duration=SLIDE_SECONDS)
        self.pace = FramePace(Window)
        self._at_once = NoTransition()
        self.history: list[str] = []
        self._built: dict[str, Screen] = {}
        self._stale: set[str] = set()  # built in a language no longer chosen (rebuild_screens)
        self._build_ahead_event = AfterFirstFrame(
            lambda _dt: self._build_ahead(), BUILD_AFTER_SECONDS
        )
        # A weak binding: it ends with this navigator (a restarted app makes a new one).
        Window.bind(on_key_down=self._on_key_down)

    def _on_key_down(self, _window, key, _scancode, _text, modifiers) -> bool:
        """Tab while no control has the keyboard (a page opened with none focused, or a touch
        took the focus away) starts on the first control of what is in front, an open question
        or the page; Shift-Tab on its last. (A focused control handles Tab itself.)"""
        if key != TAB or self.manager.get_root_window() is None or not Window.children:
            return False
        front = Window.children[0]
        controls = [
            widget
            for widget in front.walk(restrict=True)
            if isinstance(widget, FocusBehavior) and widget.is_focusable and not widget.disabled
        ]
        if not controls or any(control.focus for control in controls):
            return False
        if self.theme is not None:
            # Handled here, the key goes no further, not to the app's own keyboard_mode switch.
            self.theme.keyboard_mode = True
        (controls[-1] if "shift" in modifiers else controls[0]).focus = True
        return True

    @property
    def current(self) -> Screen | None:
        return self.manager.current_screen

    def screen(self, name: str) -> Screen:
        if name not in self._built:
            module_name, class_name = SCREENS[name]
            # A page's widgets are made to stay: the cycle collector, run every 700 new objects,
            # walked them again and again, 55 to 160 ms of building Settings, the Block diary or
            # Outcomes, and freed next to nothing. It runs once, after the build.
            collecting = gc.isenabled()
            gc.disable()
            try:
                screen_class = getattr(importlib.import_module(module_name), class_name)
                self._built[name] = laid_out(
                    screen_class(name=name, services=self.services, size=self.manager.size)
                )
            finally:
                if collecting:
                    gc.enable()
        return self._built[name]

    def _rest_collector_until_drawn(self) -> None:
        """Hold Python's cycle collector from the tap until the page's next frame is on screen.

        A first visit fills the page (the Checklist's 36 rows) and then lays it out and renders
        its words in the next frame: the collector ran 180 times in a first Checklist visit,
        twice over every object of the app, 170 to 190 ms of a 650 to 740 ms visit, and up to
        280 ms of the Block diary's. It runs once, after that frame. A hold already in place
        (start-up's, or a visit whose frame is not drawn yet) is left to end where it began."""
        if not gc.isenabled():
            return
        gc.disable()
        # Kept: Kivy binds weakly. Replacing an earlier one is safe, as it has already run.
        self._collector_back = AfterFirstFrame(lambda _dt: gc.enable(), 0)
        Clock.schedule_once(lambda _dt: gc.enable(), COLLECTOR_REST_AT_MOST_SECONDS)

    def _build_ahead(self) -> None:
        if self.manager.get_root_window() is None:  # the app stopped meanwhile
            return
        for name in BUILT_AFTER_START:
            self.screen(name)

    def go(self, name: str, **context) -> Screen:
        if self.current is not None and self.current.name != name:
            self.history.append(self.current.name)
        return self._show(name, "left", context)

    def back(self, *, confirmed: bool = False) -> None:
        """Leave the current screen; on the home screen, ask before closing.

        A screen holding unsaved input asks first (`AppScreen.ask_before_leaving`) and calls
        back(confirmed=True) if the patient chooses to leave. The screen returned to is not
        opened afresh while it still holds unsaved input, so a look at another page (When to
        call) never resets what was typed.
        """
        if not confirmed and self.current.ask_before_leaving(lambda: self.back(confirmed=True)):
            return
        if not self.history:
            self.on_leave_home()
            return
        name = self.history.pop()
        returning_to = self.screen(name)
        self._show(name, "right", {}, reopen=not returning_to.has_unsaved_input())

    def forget_other_screens(self) -> None:
        """Drop every built screen but the current one, so each is built afresh on its next
        visit: after a kiosk session is wiped, nothing a patient typed waits in a page."""
        current = self.current
        self._built = {name: screen for name, screen in self._built.items() if screen is current}

    def rebuild_screens(self) -> Screen:
        """After the language changed: every screen is built afresh at its next visit (a
        screen's words are set when it is built), and the current one now, in place. A current
        screen holding unsaved input is kept as it is, so nothing typed is lost."""
        current = self.current
        self.services.speech.stop()  # nothing goes on reading in the language left behind
        if current.has_unsaved_input():
            self.forget_other_screens()
            self._stale.add(current.name)
            return current
        self._built = {}
        screen = self.screen(current.name)
        screen.open()
        # Out first: the manager would rename a second screen of the same name.
        self.manager.remove_widget(current)
        self.manager.switch_to(screen, transition=self._at_once)
        return screen

    def _drop_if_stale(self, name: str) -> None:
        """A screen kept in the old language because it held unsaved input is built afresh at
        the first visit where it holds none (it is not the one shown then)."""
        if name not in self._stale:
            return
        kept = self._built.get(name)
        if kept is None or (kept is not self.current and not kept.has_unsaved_input()):
            self._built.pop(name, None)
            self._stale.discard(name)

    def home(self) -> Screen:
        self.history.clear()
        return self._show(HOME, "right", {})

    def _show(self, name: str, direction: str, context: dict, reopen: bool = True) -> Screen:
        self._rest_collector_until_drawn()
        self._drop_if_stale(name)
        screen = self.screen(name)
        if reopen:
            screen.open(**context)
        if self.manager.current_screen is not screen:
            self.services.speech.stop()  # a page read aloud is not read over the next one
            if self._slides_to(name):
                self.manager.switch_to(screen, transition=self._slide, direction=direction)
            else:
                self.manager.switch_to(screen, transition=self._at_once)
        return screen

    def _slides_to(self, name: str) -> bool:
        """A page slides in unless it is one that appears at once, the patient chose less
        motion, or this device draws too slowly for the slide to be seen."""
        if name in APPEAR_AT_ONCE or (self.theme is not None and self.theme.less_motion):
            return False
        return self.pace.shows_frames_between(SLIDE_SECONDS, SLIDE_FRAMES_AT_LEAST)
