"""Reminders: what is waiting now, what is coming, what happened, the patient's own reminders,
their helpers, a calendar file for a phone, and how reminders behave at night.

Large tab buttons at the top switch between seven sections; only the chosen section is in the
window (so the others take no touches, no keyboard focus and no drawing). Each section is a
widget of its own (app/ui/widgets/reminders_<section>.py and .kv) that reads
`services.reminders` (a `ReminderService`, and its stores) afresh when it is chosen, and the
visible one is read again every few seconds while the screen is shown, rebuilt only when what it
shows has changed.

The App starts `services.reminders` a moment after the first frame; until then the screen says
it is starting and tries again shortly.
"""

from __future__ import annotations

import importlib

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.measure import text_width
from app.ui.screens.base import AppScreen
from app.ui.widgets.choice_row import room_for_words
from app.ui.widgets.reminders_now import INBOX_SHOWN
from app.ui.widgets.reminders_section import Section

# name -> (module, class) of each section, in the order of the tabs.
SECTIONS = {
    "now": ("app.ui.widgets.reminders_now", "NowSection"),
    "coming": ("app.ui.widgets.reminders_coming", "ComingUpSection"),
    "history": ("app.ui.widgets.reminders_history", "HistorySection"),
    "own": ("app.ui.widgets.reminders_own", "OwnSection"),
    "helpers": ("app.ui.widgets.reminders_helpers", "HelpersSection"),
    "calendar": ("app.ui.widgets.reminders_calendar", "CalendarSection"),
    "settings": ("app.ui.widgets.reminders_settings", "ReminderSettingsSection"),
}
TAB_COLUMNS = (7, 4)  # tabs in a row where they fit: one or two even rows
REFRESH_SECONDS = 5  # how often the visible section looks for news while the screen is shown
STARTING_RETRY_SECONDS = 0.5


class RemindersScreen(AppScreen):
    section = StringProperty("")
    tabs_in_grid = BooleanProperty(True)  # False: one row of tabs that scrolls sideways
    inbox_count = NumericProperty(0)
    starting = BooleanProperty(False)
    initial_focus = StringProperty("tab_now")

    def __init__(self, **kwargs):
        self._poll = None
        self._wanted: str | None = None
        self._measure_tabs = Clock.create_trigger(self._fit_tabs)
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        # Sections not on show are out of the window; this keeps them (and what was typed).
        # Each is built (and its module loaded) when first chosen: building all seven was most
        # of the first visit.
        self.sections = SectionsBuiltOnUse(self)
        for name in SECTIONS:
            self.ids[f"tab_{name}"].bind(texture_size=self._measure_tabs)
        self.ids.tab_scroll.bind(width=self._measure_tabs)

    @property
    def unsaved_message(self) -> str:
        return _("What you typed for a new reminder or helper has not been saved.")

    @property
    def reminders(self):
        return getattr(self.services, "reminders", None)

    def open(self, section: str | None = None, **_context) -> None:
        if self.reminders is None:
            self.starting = True
            self._wanted = section
            Clock.schedule_once(lambda _dt: self._retry_open(), STARTING_RETRY_SECONDS)
            return
        self.starting = False
        if section not in SECTIONS:
            section = self.section or ("now" if self.reminders.states.inbox_count() else "coming")
        self.show_section(section)

    def _retry_open(self) -> None:
        if self.manager is not None and self.manager.current_screen is self and self.starting:
            self.open(section=self._wanted)

    def show_section(self, name: str) -> None:
        self.section = name
        self.initial_focus = f"tab_{name}"
        host = self.ids.host
        chosen = self.sections[name]
        if chosen.parent is not host:
            host.clear_widgets()
            host.add_widget(chosen)
        chosen.refresh(force=True)
        chosen.to_top()
        self.count_inbox()
        self._tab_in_sight()

    def refresh(self) -> None:
        """Look for news: the inbox count, and the visible section if what it shows changed."""
        if self.get_root_window() is None:  # the app has stopped (on_leave never came)
            self.on_leave()
            return
        if self.reminders is None or not self.section:
            return
        self.count_inbox()
        self.sections[self.section].refresh(force=False)

    def count_inbox(self) -> None:
        # As many as the Now section shows: the newest INBOX_SHOWN.
        self.inbox_count = min(self.reminders.states.inbox_count(), INBOX_SHOWN)

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        if self._poll is None:
            self._poll = Clock.schedule_interval(lambda _dt: self.refresh(), REFRESH_SECONDS)

    def on_leave(self, *_args) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None

    def _forms(self):
        """The forms built so far (one never shown holds nothing typed)."""
        return tuple(self.sections[name] for name in ("own", "helpers") if name in self.sections)

    def has_unsaved_input(self) -> bool:
        return any(form.has_input() for form in self._forms())

    def forget_unsaved_input(self) -> None:
        for form in self._forms():
            form.clear_form()

    def _fit_tabs(self, *_args) -> None:
        """The tabs in 7 or 4 columns where each fits its longest word whole; else (large
        text, long words) in one row as wide as their words, scrolling sideways. Every tab as
        tall as the tallest label needs, so a row of tabs lines up."""
        tabs = self.ids.tabs
        buttons = [self.ids[f"tab_{name}"] for name in SECTIONS]
        needed = max(room_for_words(button) for button in buttons)
        room = self.ids.tab_scroll.width - tabs.padding[0] - tabs.padding[2]
        fitting = int((room + tabs.spacing[0]) // (needed + tabs.spacing[0]))
        columns = next((cols for cols in TAB_COLUMNS if cols <= fitting), None)
        self.tabs_in_grid = columns is not None
        tabs.cols = columns or len(SECTIONS)
        for button in buttons:
            button.wrap = self.tabs_in_grid
            button.size_hint_x = 1 if self.tabs_in_grid else None
            if not self.tabs_in_grid:
                button.width = (
                    text_width(button.text, button.font_size, button.bold)
                    + 2 * button.padding[0]
                    + dp(8)
                )
        tallest = max(button.texture_size[1] for button in buttons)
        tabs.row_default_height = max(App.get_running_app().theme.touch, tallest + dp(20))
        self._tab_in_sight()

    def _tab_in_sight(self) -> None:
        """The chosen tab scrolled into the sideways row."""
        if not self.tabs_in_grid and self.section:
            self.ids.tab_scroll.scroll_to(
                self.ids[f"tab_{self.section}"], padding=dp(48), animate=False
            )


class SectionsBuiltOnUse(dict):
    """The screen's sections by name; `sections[name]` builds that section the first time."""

    def __init__(self, screen: RemindersScreen) -> None:
        super().__init__()
        self.screen = screen

    def __missing__(self, name: str) -> Section:
        module, class_name = SECTIONS[name]
        section_class = getattr(importlib.import_module(module), class_name)
        section = self[name] = section_class(screen=self.screen)
        return section


load_kv_beside(__file__)
