"""A day, hour and minute chosen with large steppers, the day counted from today."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.dates import day_label
from app.ui.kv import load_kv_beside


class DateTimeStepper(BoxLayout):
    day_offset = NumericProperty(0)  # days from today; negative is in the past
    min_offset = NumericProperty(-365)
    max_offset = NumericProperty(0)
    hour = NumericProperty(12)
    minute = NumericProperty(0)
    summary = StringProperty("")

    def __init__(self, **kwargs):
        self._today = date.today()
        super().__init__(**kwargs)
        self.bind(day_offset=self._summarise, hour=self._summarise, minute=self._summarise)

    def reset(self, now: datetime, zone: str, instant: datetime | None = None) -> None:
        """Show `instant` (default: `now`) for a patient whose clock says `now` in `zone`."""
        self._today = now.astimezone(ZoneInfo(zone)).date()
        shown = (instant or now).astimezone(ZoneInfo(zone))
        self.day_offset = (shown.date() - self._today).days
        self.hour, self.minute = shown.hour, shown.minute
        self._summarise()

    def value(self, zone: str) -> datetime:
        day = self._today + timedelta(days=int(self.day_offset))
        return datetime.combine(day, time(int(self.hour), int(self.minute)), ZoneInfo(zone))

    def describe_day(self, offset: float) -> str:
        return day_label(self._today + timedelta(days=int(offset)), self._today)

    def _summarise(self, *_):
        self.summary = f"{self.describe_day(self.day_offset)}, {int(self.hour):02d}:{int(self.minute):02d}"


load_kv_beside(__file__)
