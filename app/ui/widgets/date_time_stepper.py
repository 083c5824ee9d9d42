"""A day, hour and minute chosen with large steppers, the day counted from today, the chosen
date in words, and (where `time_typing` is on) the time typed instead."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.dates import calendar_date, day_label, relative_day
from app.domain.plan import PlanInputError, parse_typed_time
from app.domain.typed import repeated_time_note
from app.i18n import ngettext
from app.ui.kv import load_kv_beside


def days_from_today(day: date, today: date) -> str:
    """The day stepper's own short words ("Today", "In 7 days", "3 days ago"): short enough
    for the stepper at the largest text, with the full date on its own line below it."""
    days = (day - today).days
    if relative_day(day, today):
        return relative_day(day, today)
    if days > 0:
        return ngettext("In {count} day", "In {count} days", days).format(count=days)
    return ngettext("{count} day ago", "{count} days ago", -days).format(count=-days)


class DateTimeStepper(BoxLayout):
    day_offset = NumericProperty(0)  # days from today; negative is in the past
    min_offset = NumericProperty(-365)
    max_offset = NumericProperty(0)
    hour = NumericProperty(12)
    minute = NumericProperty(0)
    minute_step = NumericProperty(5)
    summary = StringProperty("")  # "Tomorrow, Saturday 5 December, 09:00"
    date_words = StringProperty("")  # "Friday 4 December" (the year when not this year's)
    time_typing = BooleanProperty(False)  # also offer a field to type the time in
    typed_problem = StringProperty("")  # what is wrong with the typed time, or ""
    time_note = StringProperty("")  # the chosen time happens twice (the clocks go back), or ""

    def __init__(self, **kwargs):
        self._today = date.today()
        self._zone = ""
        super().__init__(**kwargs)
        self.bind(day_offset=self._summarise, hour=self._summarise, minute=self._summarise)

    def reset(self, now: datetime, zone: str, instant: datetime | None = None) -> None:
        """Show `instant` (default: `now`) for a patient whose clock says `now` in `zone`."""
        self._today = now.astimezone(ZoneInfo(zone)).date()
        self._zone = zone
        shown = (instant or now).astimezone(ZoneInfo(zone))
        self.day_offset = (shown.date() - self._today).days
        self.hour, self.minute = shown.hour, shown.minute
        self.typed_problem = ""
        self._summarise()
        self._show_time_in_field()

    def value(self, zone: str) -> datetime:
        return datetime.combine(self.day, time(int(self.hour), int(self.minute)), ZoneInfo(zone))

    @property
    def day(self) -> date:
        return self._today + timedelta(days=int(self.day_offset))

    def describe_day(self, offset: float) -> str:
        return days_from_today(self._today + timedelta(days=int(offset)), self._today)

    def take_typed_time(self, text: str) -> bool:
        """Use a typed time (Enter or leaving the field). A bad one is kept in the field, the
        steppers keep their time, and `typed_problem` says what is wrong."""
        if not text.strip():
            self.typed_problem = ""
            self._show_time_in_field()
            return True
        try:
            typed = parse_typed_time(text)
        except PlanInputError as problem:
            self.typed_problem = problem.errors["time"]
            return False
        self.typed_problem = ""
        self.hour, self.minute = typed.hour, typed.minute
        self._show_time_in_field()
        return True

    def _summarise(self, *_args):
        self.date_words = calendar_date(self.day, self._today)
        # The one date label of every screen: "Tomorrow, Saturday 5 December, 09:00".
        self.summary = (
            f"{day_label(self.day, self._today)}, {int(self.hour):02d}:{int(self.minute):02d}"
        )
        chosen = datetime.combine(self.day, time(int(self.hour), int(self.minute)))
        self.time_note = (
            repeated_time_note(chosen, self._zone, on_screen=True) or "" if self._zone else ""
        )
        if "typed" in self.ids and not self.ids.typed.focus:
            self.typed_problem = ""  # the steppers were used: they hold the time now
            self._show_time_in_field()

    def _show_time_in_field(self) -> None:
        if "typed" in self.ids and not self.typed_problem:
            self.ids.typed.text = f"{int(self.hour):02d}:{int(self.minute):02d}"


load_kv_beside(__file__)
