"""History newest first, grouped by day, with the trend chart and period filters."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from app.domain.dates import clock_time, day_label, local_date
from app.domain.diary import PainEntry
from app.domain.trend import DEFAULT_PERIOD, describe_period, first_day_of
from app.i18n import N_, _
from app.ui.fallback_text import fallback_markup
from app.ui.kv import load_kv_beside
from app.ui.measure import text_height
from app.ui.screens.base import AppScreen
from app.ui.shell import place_now
from app.ui.widgets.controls import Card
from app.ui.widgets.trend_chart import TrendChart  # noqa: F401  (used in diary.kv)

PAGE_SIZE = 150
LOAD_MORE_WHEN_BELOW = 0.08  # scroll_y: how close to the bottom before the next page loads
UNDO_SECONDS = 15
ROW_SPACING = dp(2)
# The parts of a row around its text (diary.kv): the list's lane for its scroll bar, the row's
# own padding, and the space between its first line and what was noted.
LIST_RIGHT_PADDING = dp(18)
ROW_PADDING_X, ROW_PADDING_Y, ROW_SPACING_INSIDE = dp(12), dp(12), dp(6)
OVERVIEW_SPACING = dp(12)
LINKS_SPACING = dp(8)
ROW_BOTTOM_GAP = dp(12)  # below the overview and the links
CHART_EXPLAINED = N_(
    "The line is each day's average; the bar runs from that day's lowest to highest score."
)
LINKS = (N_("Block diary"), N_("After your RFA"), N_("Reports for your clinic"))


class EntryRow(RecycleDataViewBehavior, ButtonBehavior, Card):
    entry_id = NumericProperty(0)
    score = NumericProperty(0)
    time = StringProperty("")
    detail = StringProperty("")


class DiaryOverviewRow(BoxLayout):
    days = ListProperty([])
    first_day = ObjectProperty(None, allownone=True)
    last_day = ObjectProperty(None, allownone=True)
    summary = StringProperty("")
    chart_height = NumericProperty(dp(240))


class DiaryLinksRow(BoxLayout):
    pass


class DayHeaderRow(BoxLayout):
    text = StringProperty("")
    detail = StringProperty("")


class DiaryScreen(AppScreen):
    initial_focus = StringProperty("period_7")
    period = StringProperty(DEFAULT_PERIOD)
    summary = StringProperty("")
    chart_days = ListProperty([])  # what the chart at the top of the list shows
    chart_first_day = ObjectProperty(None, allownone=True)
    chart_last_day = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._entries: list[PainEntry] = []
        self._has_more = False
        self._refresh = Clock.create_trigger(self.refresh)

    def on_kv_post(self, base_widget):
        # Placed whole now, at its size, so that the first open measures the rows at the list's
        # own width: otherwise they were measured at 100 px and again a frame later.
        place_now(self)
        self.ids.history.bind(scroll_y=self._maybe_load_more)
        # A row's height depends on how its words wrap: measured again when the width changes
        # (the window turned) or the text size does.
        self._reflow = Clock.create_trigger(self._show_entries_again)
        self.ids.history.bind(width=self._reflow)
        App.get_running_app().theme.bind(text_scale=self._reflow)

    def open(self, **_context) -> None:
        self.refresh()

    def choose_period(self, period: str) -> None:
        self.period = period
        self.ids.history.scroll_y = 1
        self.refresh()

    def refresh(self, *_args):
        """Reload the chart and as many entries as were already shown."""
        now, zone = self.services.clock.now(), self.services.clock.zone()
        today = local_date(now, zone)
        first_day = first_day_of(self.period, today)
        days = self.services.diary.day_summaries(first_day=first_day)
        self.chart_first_day = first_day or (days[0].day if days else today)
        self.chart_last_day = today
        self.chart_days = days
        self.summary = describe_period(days, self.period)
        keep = max(PAGE_SIZE, len(self._entries))
        self._entries = self.services.diary.page(first_day=first_day, limit=keep)
        self._has_more = len(self._entries) == keep
        self._show_entries(today)

    def edit(self, entry_id: int) -> None:
        self.navigator.go("entry", entry_id=entry_id)

    def delete_entry(self, entry_id: int) -> None:
        self.services.diary_service.delete(entry_id)
        self._refresh()
        self.show_banner(
            _("Entry deleted."),
            seconds=UNDO_SECONDS,
            action_text=_("Undo"),
            action=lambda: self._undo_delete(entry_id),
        )

    def _undo_delete(self, entry_id: int) -> None:
        self.services.diary_service.undo_delete(entry_id)
        self._refresh()
        self.show_banner(_("Entry restored."))

    def _maybe_load_more(self, _view, scroll_y) -> None:
        if not self._has_more or scroll_y > LOAD_MORE_WHEN_BELOW or not self._entries:
            return
        today = local_date(self.services.clock.now(), self.services.clock.zone())
        first_day = first_day_of(self.period, today)
        more = self.services.diary.page(
            first_day=first_day, after=self._entries[-1], limit=PAGE_SIZE
        )
        self._has_more = len(more) == PAGE_SIZE
        self._entries += more
        history = self.ids.history
        from_top = (1 - history.scroll_y) * max(0, _content_height(history) - history.height)
        self._show_entries(today)
        # Keep the rows the patient was reading in place instead of jumping to the new bottom.
        history.scroll_y = 1 - from_top / max(1, _content_height(history) - history.height)

    def _show_entries_again(self, *_args) -> None:
        if self.ids.history.data:  # shown once already
            self._show_entries(local_date(self.services.clock.now(), self.services.clock.zone()))

    def _show_entries(self, today) -> None:
        list_width = self.ids.history.width - LIST_RIGHT_PADDING
        rows: list[dict] = [self._overview_row(list_width), _links_row(list_width)]
        current_day = None
        text_width = list_width - 2 * ROW_PADDING_X
        for entry in self._entries:
            if entry.local_date != current_day:
                current_day = entry.local_date
                rows.append(_day_header(day_label(current_day, today), "", text_width))
            rows.append(_entry_row(entry, text_width))
        if current_day is None:
            rows.append(
                _day_header(
                    _("No entries in this period."), _("Tap “Log pain” to add one."), text_width
                )
            )
        self.ids.history.data = rows

    def _overview_row(self, width: float) -> dict:
        theme = App.get_running_app().theme
        chart_height = max(dp(240), theme.font_small * 9)
        height = (
            chart_height
            + 2 * OVERVIEW_SPACING
            + ROW_BOTTOM_GAP
            + text_height(self.summary, theme.font_body, width)
            + text_height(_(CHART_EXPLAINED), theme.font_small, width)
        )
        return {
            "viewclass": "DiaryOverviewRow",
            "days": self.chart_days,
            "first_day": self.chart_first_day,
            "last_day": self.chart_last_day,
            "summary": self.summary,
            "chart_height": chart_height,
            "height": height,
        }


def _links_row(width: float) -> dict:
    """The three buttons side by side, as tall as the longest words need (AppButton: its text
    wraps dp(16) inside its width, less its padding of dp(12) each side, with dp(20) above and
    below)."""
    theme = App.get_running_app().theme
    button_width = (width - 2 * LINKS_SPACING) / len(LINKS)
    words = max(
        text_height(_(link), theme.font_body, button_width - dp(16) - dp(24)) for link in LINKS
    )
    return {
        "viewclass": "DiaryLinksRow",
        "height": max(theme.touch, words + dp(20)) + ROW_BOTTOM_GAP,
    }


def _content_height(history) -> float:
    rows = history.data
    return sum(row["height"] for row in rows) + ROW_SPACING * max(0, len(rows) - 1)


def _day_header(text: str, detail: str, width: float) -> dict:
    theme = App.get_running_app().theme
    height = dp(14) + text_height(text, theme.font_large, width - dp(16), bold=True)
    if detail:
        height += text_height(detail, theme.font_small, width - dp(16))
    return {"viewclass": "DayHeaderRow", "text": text, "detail": detail, "height": height}


def entry_details(entry: PainEntry) -> str:
    """What a row says under its score: the places, the activity, the medicine, the note."""
    parts = [_("{place}: {score}").format(place=a.label, score=a.score) for a in entry.areas]
    if entry.activity:
        parts.append(entry.activity)
    if entry.medication:
        parts.append(_("took {medicine}").format(medicine=entry.medication))
    if entry.note:
        parts.append(_("“{note}”").format(note=entry.note.splitlines()[0][:80]))
    return " · ".join(parts) or _("No details")


def _entry_row(entry: PainEntry, text_width: float) -> dict:
    theme = App.get_running_app().theme
    detail = entry_details(entry)
    score_height = max(dp(60), text_height("10", theme.font_title, dp(400), bold=True) + dp(4))
    button_height = max(theme.touch, text_height(_("Delete"), theme.font_body, dp(800)) + dp(20))
    return {
        "viewclass": "EntryRow",
        "entry_id": entry.id,
        "score": entry.score,
        "time": clock_time(entry.at, entry.zone),
        "detail": detail,
        "height": (
            2 * ROW_PADDING_Y
            + max(score_height, button_height)
            + ROW_SPACING_INSIDE
            + text_height(fallback_markup(detail), theme.font_body, text_width, markup=True)
        ),
    }


load_kv_beside(__file__)
