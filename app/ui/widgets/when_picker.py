"""Choose "now" or a time in the past year."""

from __future__ import annotations

from datetime import datetime

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.date_time_stepper import DateTimeStepper  # noqa: F401  (used in when_picker.kv)


class WhenPicker(BoxLayout):
    is_now = BooleanProperty(True)
    now_label = StringProperty("")  # "Now" or "Keep the time": set by the screen, translated
    other_label = StringProperty("")
    summary = StringProperty("")

    def on_kv_post(self, base_widget):
        self.bind(is_now=self._summarise)
        self.ids.stepper.bind(summary=self._summarise)

    def reset(self, now: datetime, zone: str, instant: datetime | None = None) -> None:
        """Show `instant`, or "now" when it is None."""
        self.ids.stepper.reset(now, zone, instant)
        self.is_now = instant is None
        self._summarise()

    def value(self, zone: str) -> datetime | None:
        """The chosen local time, or None for now."""
        return None if self.is_now else self.ids.stepper.value(zone)

    def _summarise(self, *_args):
        self.summary = (self.now_label or _("Now")) if self.is_now else self.ids.stepper.summary


load_kv_beside(__file__)
