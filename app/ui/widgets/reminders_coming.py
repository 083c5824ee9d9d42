"""Reminders, "Coming up": the next two weeks, day by day, with the quiet hours that hold some
back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.dates import clock_time, date_label, day_label, local_date
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import Card
from app.ui.widgets.reminders_section import Section

COMING_DAYS = 14


def held_note(occurrence, now: datetime, zone: str) -> str:
    """Why a reminder comes later than planned: quiet hours held it back."""
    if not occurrence.held:
        return ""
    planned = clock_time(occurrence.due, zone)
    if local_date(occurrence.due, zone) != local_date(occurrence.deliver_at, zone):
        planned = date_label(occurrence.due, now, zone, in_sentence=True)
    return _("Planned for {planned}, held until {time} (quiet hours)").format(
        planned=planned, time=clock_time(occurrence.deliver_at, zone)
    )


class DayCard(Card):
    title = StringProperty("")


class ComingRow(BoxLayout):
    time_text = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")
    note = StringProperty("")


class ComingUpSection(Section):
    empty = BooleanProperty(True)
    quiet_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shown: Any = None

    def refresh(self, force: bool = True) -> None:
        now, zone = self.now_and_zone()
        settings = self.reminders.settings_store.reminder_settings()
        upcoming = self.reminders.upcoming(now, days=COMING_DAYS)
        today = local_date(now, zone)
        if settings.quiet_hours:
            self.quiet_text = _(
                "Quiet hours are {start} to {end}: reminders then wait until they end, "
                "except the timed block diary prompts."
            ).format(start=f"{settings.quiet_start:%H:%M}", end=f"{settings.quiet_end:%H:%M}")
        else:
            self.quiet_text = _("Quiet hours are off: every reminder comes at its own time.")
        # Everything the rows show; the rows are built again only when it changed, even when
        # forced (each open), since building them is the section's cost.
        signature = (
            today,
            zone,
            tuple((o.id, o.deliver_at, o.due, o.held, o.title, o.text) for o in upcoming),
        )
        if signature == self._shown:
            return
        self._shown = signature
        days = self.ids.days
        days.clear_widgets()
        card = None
        for occurrence in upcoming:
            day = local_date(occurrence.deliver_at, zone)
            if card is None or card.day != day:
                card = DayCard(title=day_label(day, today))
                card.day = day
                days.add_widget(card)
            card.ids.rows.add_widget(
                ComingRow(
                    time_text=clock_time(occurrence.deliver_at, zone),
                    title=occurrence.title,
                    text=occurrence.text,
                    note=held_note(occurrence, now, zone),
                )
            )
        self.empty = not upcoming


load_kv_beside(__file__)
