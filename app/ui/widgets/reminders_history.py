"""Reminders, "History": every reminder that came, newest first, and what happened to it, in a
RecycleView whose rows are measured here (they wrap)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.domain.dates import clock_time, date_label, day_label, local_date
from app.domain.reminders import ReminderRecord
from app.i18n import N_, _
from app.ui.kv import load_kv_beside
from app.ui.measure import text_height, text_width
from app.ui.widgets.controls import Card
from app.ui.widgets.reminders_section import Section

HISTORY_WORDS = {
    "claimed": N_("Shown"),
    "delivered": N_("Shown"),
    "snoozed": N_("Snoozed"),
    "done": N_("Done"),
    "dismissed": N_("Dismissed"),
    "missed": N_("Missed"),
}


def history_words(record: ReminderRecord, now: datetime, zone: str) -> str:
    """What happened to a reminder, in plain words with its time."""
    state = record.state
    if state in ("claimed", "delivered"):
        shown = record.delivered_at or record.occurrence.deliver_at
        return _("Shown {when}").format(when=date_label(shown, now, zone, in_sentence=True))
    if state == "snoozed" and record.snoozed_until is not None:
        return _("Snoozed until {when}").format(
            when=date_label(record.snoozed_until, now, zone, in_sentence=True)
        )
    if state == "done" and record.done_at is not None:
        return _("Done {when}").format(when=date_label(record.done_at, now, zone, in_sentence=True))
    if state == "dismissed" and record.dismissed_at is not None:
        return _("Dismissed {when}").format(
            when=date_label(record.dismissed_at, now, zone, in_sentence=True)
        )
    if state == "missed":
        return _("Missed: the app was not running then")
    return _(HISTORY_WORDS[state]) if state in HISTORY_WORDS else state


class HistoryRow(Card):
    time_text = StringProperty("")
    time_width = NumericProperty(0)
    line = StringProperty("")
    state_text = StringProperty("")
    state = StringProperty("")


class HistoryDayRow(BoxLayout):
    text = StringProperty("")


# HistoryRow's and HistoryDayRow's padding and spacing (reminders_history.kv), to measure
# their heights.
HISTORY_ROW_PADDING = (16, 8)
HISTORY_DAY_PADDING = (8, 12)
WIDEST_TIME = "00:00"


class HistorySection(Section):
    def __init__(self, **kwargs):
        self._shown: Any = None
        self._measure_again = Clock.create_trigger(lambda _dt: self.refresh(force=False))
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        # Rows wrap at the list's width: a new width (a turned tablet) measures them again.
        self.ids.history.bind(width=self._measure_again)

    def refresh(self, force: bool = True) -> None:
        now, zone = self.now_and_zone()
        records = self.reminders.states.history()
        today = local_date(now, zone)
        theme = App.get_running_app().theme
        width = self.ids.history.width
        # Everything the rows show and their measures depend on; they are measured again only
        # when it changed, even when forced (each open): measuring them is the section's cost.
        signature = (
            today,
            zone,
            theme.font_body,
            width,
            tuple((r.id, r.state, r.round, r.snoozed_until) for r in records),
        )
        if signature == self._shown:
            return
        self._shown = signature
        rows: list[dict] = []
        current = None
        for record in records:
            occurrence = record.occurrence
            day = local_date(occurrence.deliver_at, zone)
            if day != current:
                current = day
                rows.append(self._day_row(day_label(day, today), width, theme))
            rows.append(self._row(record, now, zone, width, theme))
        if not rows:
            rows.append(
                self._day_row(_("Nothing yet. Reminders appear here once they come."), width, theme)
            )
        self.ids.history.data = rows

    @staticmethod
    def _day_row(text: str, width: float, theme) -> dict:
        across, down = (dp(n) for n in HISTORY_DAY_PADDING)
        return {
            "viewclass": "HistoryDayRow",
            "text": text,
            "height": text_height(text, theme.font_large, width - 2 * across, bold=True) + 2 * down,
        }

    @staticmethod
    def _row(record: ReminderRecord, now: datetime, zone: str, width: float, theme) -> dict:
        occurrence = record.occurrence
        time_text = clock_time(occurrence.deliver_at, zone)
        line = _("{title}: {text}").format(title=occurrence.title, text=occurrence.text)
        state_text = history_words(record, now, zone)
        across, down = (dp(n) for n in HISTORY_ROW_PADDING)
        # As wide as the widest time, so the words of every row start in one column.
        time_width = max(
            text_width(text, theme.font_large, bold=True) for text in (time_text, WIDEST_TIME)
        )
        words_width = width - 2 * across - time_width - theme.spacing
        height = text_height(line, theme.font_body, words_width) + text_height(
            state_text, theme.font_body, words_width, bold=True
        )
        return {
            "viewclass": "HistoryRow",
            "time_text": time_text,
            "time_width": time_width,
            "line": line,
            "state_text": state_text,
            "state": record.state,
            "height": max(theme.touch, height + 2 * down),
        }

    def to_top(self) -> None:
        self.ids.history.scroll_y = 1


load_kv_beside(__file__)
