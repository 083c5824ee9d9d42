"""Reminders, "Settings": quiet hours, block diary prompts at night, reading aloud, the helpers'
reminders on this tablet, the daily diary reminder, and the background agent. Saved as they
change."""

from __future__ import annotations

from datetime import time

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from app.domain.dates import date_label
from app.domain.reminders import ReminderInputError
from app.i18n import _
from app.services import autostart
from app.ui.kv import load_kv_beside
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in reminders_settings.kv)
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in reminders_settings.kv)
from app.ui.widgets.reminders_section import Section, show_errors

MINUTES_PER_DAY = 24 * 60


def hhmm(minutes: float) -> str:
    """Minutes after midnight as a clock time: 1260 -> "21:00"."""
    minutes = int(minutes) % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(at: time) -> int:
    return at.hour * 60 + at.minute


class ReminderSettingsSection(Section):
    SETTING_FIELDS = (
        "quiet_hours",
        "quiet_start",
        "quiet_end",
        "block_prompts_silenced",
        "read_aloud",
        "caregiver_here",
        "diary_at",
    )

    quiet_hours = BooleanProperty(True)
    quiet_start = NumericProperty(21 * 60)
    quiet_end = NumericProperty(8 * 60)
    block_prompts_silenced = BooleanProperty(False)
    read_aloud = BooleanProperty(False)
    caregiver_here = BooleanProperty(True)
    diary_at = NumericProperty(19 * 60)
    autostart_supported = BooleanProperty(True)
    autostart_on = BooleanProperty(False)
    agent_text = StringProperty("")
    autostart_error = StringProperty("")

    describe_time = staticmethod(hhmm)

    def __init__(self, **kwargs):
        self._filling = False
        self._save_soon = Clock.create_trigger(self._save)
        super().__init__(**kwargs)
        self.bind(**dict.fromkeys(self.SETTING_FIELDS, self._changed))

    def refresh(self, force: bool = True) -> None:
        if force:
            self._fill()
        self._show_agent()

    def _fill(self) -> None:
        settings = self.reminders.settings_store.reminder_settings()
        self._filling = True
        try:
            self.quiet_hours = settings.quiet_hours
            self.quiet_start = minutes_of(settings.quiet_start)
            self.quiet_end = minutes_of(settings.quiet_end)
            self.block_prompts_silenced = settings.block_prompts_silenced
            self.read_aloud = settings.read_aloud
            self.caregiver_here = settings.caregiver_here
            self.diary_at = minutes_of(settings.diary_at)
        finally:
            self._filling = False
        show_errors(self, {}, self.SETTING_FIELDS)
        self.autostart_supported = autostart.supported()
        self.autostart_on = autostart.is_enabled()

    def _changed(self, *_args) -> None:
        if not self._filling:
            self._save_soon()

    def _save(self, *_args) -> None:
        raw = {
            "quiet_hours": self.quiet_hours,
            "quiet_start": hhmm(self.quiet_start),
            "quiet_end": hhmm(self.quiet_end),
            "block_prompts_silenced": self.block_prompts_silenced,
            "read_aloud": self.read_aloud,
            "caregiver_here": self.caregiver_here,
            "diary_at": hhmm(self.diary_at),
        }
        try:
            self.reminders.save_settings(raw)
        except ReminderInputError as problem:
            show_errors(self, problem.errors, self.SETTING_FIELDS)
            return
        show_errors(self, {}, self.SETTING_FIELDS)

    def set_autostart(self, on: bool) -> None:
        try:
            if on:
                autostart.enable(App.get_running_app().data_dir)
            else:
                autostart.disable()
        except OSError as problem:
            self.autostart_error = _(
                "That could not be changed ({reason}). Nothing else was affected."
            ).format(reason=problem.strerror or problem)
        else:
            self.autostart_error = ""
        self.autostart_on = autostart.is_enabled()
        self._show_agent()

    def _show_agent(self) -> None:
        last = self.reminders.heartbeats.last_seen("agent")
        now, zone = self.now_and_zone()
        if last is not None:
            last_ran = date_label(last, now, zone, in_sentence=True)
            self.agent_text = _("The background reminders last ran {when}.").format(when=last_ran)
        elif self.autostart_on:
            self.agent_text = _(
                "The background reminders have not run yet. They start the "
                "next time you log in to this computer."
            )
        else:
            self.agent_text = _("The background reminders have not run on this device yet.")


load_kv_beside(__file__)
