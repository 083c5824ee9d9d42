"""Choose "now" or a time in the past year with large steppers for day, hour and minute."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside
from app.ui.words import day_name

DAYS_BACK_LIMIT = 365


class WhenPicker(BoxLayout):
    is_now = BooleanProperty(True)
    days_back = NumericProperty(0)
    hour = NumericProperty(12)
    minute = NumericProperty(0)
    now_label = StringProperty("Now")
    other_label = StringProperty("Earlier")
    summary = StringProperty("")

    def __init__(self, **kwargs):
        self._today = datetime.now().date()
        super().__init__(**kwargs)
        self.bind(is_now=self._summarise, days_back=self._summarise, hour=self._summarise,
                  minute=self._summarise)

    def reset(self, now: datetime, zone: str, instant: datetime | None = None) -> None:
        """Show `instant` (or "now" when None) for a patient whose clock says `now` in `zone`."""
        local_now = now.astimezone(ZoneInfo(zone))
        self._today = local_now.date()
        shown = (instant or now).astimezone(ZoneInfo(zone))
        self.days_back = max(0, (self._today - shown.date()).days)
        self.hour, self.minute = shown.hour, shown.minute
        self.is_now = instant is None
        self._summarise()

    def value(self, zone: str) -> datetime | None:
        """The chosen local time, or None for now."""
        if self.is_now:
            return None
        day = self._today - timedelta(days=int(self.days_back))
        return datetime.combine(day, time(int(self.hour), int(self.minute)), ZoneInfo(zone))

    def describe_day(self, days_back: float) -> str:
        return day_name(self._today - timedelta(days=int(days_back)), self._today)

    def _summarise(self, *_):
        if self.is_now:
            self.summary = self.now_label
        else:
            day = self.describe_day(self.days_back)
            self.summary = f"{day} at {int(self.hour):02d}:{int(self.minute):02d}"


load_kv_beside(__file__)
