"""Reminders, "Add your own": the patient's own reminders, and a form to add one (every day or on
one day, a time, for them or their helper)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from app.domain.dates import day_label, local_date
from app.domain.reminders import own_reminder_when
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in reminders_own.kv)
from app.ui.widgets.controls import Card
from app.ui.widgets.reminders_section import FormSection


class OwnRow(Card):
    reminder_id = NumericProperty(0)
    label = StringProperty("")
    text = StringProperty("")
    for_helper = BooleanProperty(False)
    section = ObjectProperty(None)


class OwnSection(FormSection):
    FIELDS = ("text", "at", "on", "audience")

    daily = BooleanProperty(True)
    day_offset = NumericProperty(1)
    hour = NumericProperty(9)
    minute = NumericProperty(0)
    audience = StringProperty("patient")
    empty = BooleanProperty(True)
    day_words = ObjectProperty(None)  # the day stepper's words; replaced when "today" moves on

    def __init__(self, **kwargs):
        self._today = date.today()
        self._shown: Any = None
        self.day_words = self._describe_day
        super().__init__(**kwargs)

    def refresh(self, force: bool = True) -> None:
        if not force:
            return
        now, zone = self.now_and_zone()
        today = local_date(now, zone)
        if today != self._today:
            self._today = today
            self.day_words = lambda offset: self._describe_day(offset)  # a new one: re-read
        own = self.reminders.own.all()
        if (today, own) == self._shown:  # the rows are built again only when they change
            return
        self._shown = (today, own)
        rows = self.ids.rows
        rows.clear_widgets()
        for reminder in own:
            rows.add_widget(
                OwnRow(
                    reminder_id=reminder.id,
                    text=reminder.text,
                    section=self,
                    label=own_reminder_when(reminder, today),
                    for_helper=reminder.audience == "caregiver",
                )
            )
        self.empty = not own

    def _describe_day(self, offset: float) -> str:
        return day_label(self._today + timedelta(days=int(offset)), self._today)

    def raw(self) -> dict[str, Any]:
        day = self._today + timedelta(days=int(self.day_offset))
        return {
            "text": self.ids.text.text,
            "at": f"{int(self.hour):02d}:{int(self.minute):02d}",
            "on": "" if self.daily else day.isoformat(),
            "audience": self.audience,
        }

    def save(self) -> None:
        self.save_with(
            self.reminders.add_own_reminder,
            self.raw(),
            lambda reminder: _("Reminder saved: {reminder}.").format(
                reminder=own_reminder_when(reminder, self._today)
            ),
        )

    def has_input(self) -> bool:
        return bool(self.ids.text.text.strip())

    def clear_form(self) -> None:
        self.ids.text.text = ""
        self.daily, self.day_offset, self.hour, self.minute = True, 1, 9, 0
        self.audience = "patient"
        super().clear_form()

    def delete(self, reminder_id: int) -> None:
        own = self.reminders.own
        self.remove_with_undo(
            lambda item: own.delete(item, now=self.clock.now()),
            own.restore,
            reminder_id,
            _("Reminder deleted."),
            _("Reminder restored."),
        )


load_kv_beside(__file__)
