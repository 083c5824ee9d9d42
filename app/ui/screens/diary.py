"""History newest first, grouped by day, with the trend chart and period filters."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from app.domain.dates import clock_time, day_label, local_date
from app.domain.diary import PainEntry
from app.domain.trend import DEFAULT_PERIOD, describe_period, first_day_of
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.trend_chart import TrendChart  # noqa: F401  (used in diary.kv)

PAGE_SIZE = 150
LOAD_MORE_WHEN_BELOW = 0.08  # scroll_y: how close to the bottom before the next page loads
UNDO_SECONDS = 15
ROW_SPACING = dp(2)


class EntryRow(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    entry_id = NumericProperty(0)
    score = NumericProperty(0)
    time = StringProperty("")
    detail = StringProperty("")


class DayHeaderRow(BoxLayout):
    text = StringProperty("")
    detail = StringProperty("")


class DiaryScreen(AppScreen):
    initial_focus = StringProperty("period_7")
    period = StringProperty(DEFAULT_PERIOD)
    summary = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._entries: list[PainEntry] = []
        self._has_more = False
        self._refresh = Clock.create_trigger(self.refresh)

    def on_kv_post(self, base_widget):
        self.ids.history.bind(scroll_y=self._maybe_load_more)

    def open(self, **_context) -> None:
        self.refresh()

    def choose_period(self, period: str) -> None:
        self.period = period
        self.ids.history.scroll_y = 1
        self.refresh()

    def refresh(self, *_):
        """Reload the chart and as many entries as were already shown."""
        now, zone = self.services.clock.now(), self.services.clock.zone()
        today = local_date(now, zone)
        first_day = first_day_of(self.period, today)
        days = self.services.diary.day_summaries(first_day=first_day)
        chart = self.ids.chart
        chart.first_day = first_day or (days[0].day if days else today)
        chart.last_day = today
        chart.days = days
        words = "All entries" if first_day is None else f"Last {self.period}"
        self.summary = describe_period(days, words)
        keep = max(PAGE_SIZE, len(self._entries))
        self._entries = self.services.diary.page(first_day=first_day, limit=keep)
        self._has_more = len(self._entries) == keep
        self._show_entries(today)

    def edit(self, entry_id: int) -> None:
        self.navigator.go("entry", entry_id=entry_id)

    def delete_entry(self, entry_id: int) -> None:
        self.services.diary.delete(entry_id, now=self.services.clock.now())
        self._refresh()
        self.show_banner(
            "Entry deleted.", seconds=UNDO_SECONDS, action_text="Undo",
            action=lambda: self._undo_delete(entry_id),
        )

    def _undo_delete(self, entry_id: int) -> None:
        self.services.diary.restore(entry_id)
        self._refresh()
        self.show_banner("Entry restored.")

    def _maybe_load_more(self, _view, scroll_y) -> None:
        if not self._has_more or scroll_y > LOAD_MORE_WHEN_BELOW or not self._entries:
            return
        today = local_date(self.services.clock.now(), self.services.clock.zone())
        first_day = first_day_of(self.period, today)
        more = self.services.diary.page(first_day=first_day, after=self._entries[-1], limit=PAGE_SIZE)
        self._has_more = len(more) == PAGE_SIZE
        self._entries += more
        history = self.ids.history
        from_top = (1 - history.scroll_y) * max(0, _content_height(history) - history.height)
        self._show_entries(today)
        # Keep the rows the patient was reading in place instead of jumping to the new bottom.
        history.scroll_y = 1 - from_top / max(1, _content_height(history) - history.height)

    def _show_entries(self, today) -> None:
        rows: list[dict] = []
        current_day = None
        for entry in self._entries:
            if entry.local_date != current_day:
                current_day = entry.local_date
                rows.append(_day_header(current_day, today))
            rows.append(_entry_row(entry))
        if not rows:
            rows.append({"viewclass": "DayHeaderRow", "text": "No entries in this period.",
                         "detail": "Tap “Log pain” to add one.", "height": dp(72) * _text_scale()})
        self.ids.history.data = rows


def _content_height(history) -> float:
    rows = history.data
    return sum(row["height"] for row in rows) + ROW_SPACING * max(0, len(rows) - 1)


def _day_header(day, today) -> dict:
    return {"viewclass": "DayHeaderRow", "text": day_label(day, today), "detail": "",
            "height": dp(64) * _text_scale()}


def _entry_row(entry: PainEntry) -> dict:
    parts = [f"{a.label}: {a.score}" for a in entry.areas]
    if entry.activity:
        parts.append(entry.activity)
    if entry.medication:
        parts.append(f"took {entry.medication}")
    if entry.note:
        parts.append(f"“{entry.note.splitlines()[0][:80]}”")
    return {
        "viewclass": "EntryRow",
        "entry_id": entry.id,
        "score": entry.score,
        "time": clock_time(entry.at, entry.zone),
        "detail": " · ".join(parts) or "No details",
        "height": dp(84) * _text_scale(),
    }


def _text_scale() -> float:
    """Rows grow with the text size chosen in Settings."""
    return App.get_running_app().theme.text_scale


load_kv_beside(__file__)
