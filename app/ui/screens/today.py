"""Home: the big "Log pain" action, how today has gone, and the way to everything else."""

from datetime import timedelta

from kivy.properties import BooleanProperty, StringProperty

from app.domain.checklists import open_items
from app.domain.pathway import BLOCK_KINDS
from app.domain.plan import next_procedure
from app.domain.trend import first_day_of
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.trend_chart import TrendChart  # noqa: F401  (used in today.kv)
from app.ui.words import (
    clock_time,
    day_heading,
    greeting,
    how_far,
    local_date,
    long_date,
    when_words,
)

RECENT_PERIOD = "14 days"


SHORT_NAMES = {"test-block": "test block", "confirm-block": "confirming block", "rfa": "RFA"}
OPEN_ITEMS_SHOWN = 3


class TodayScreen(AppScreen):
    initial_focus = StringProperty("log_pain")
    greeting = StringProperty("")
    date_text = StringProperty("")
    last_entry_text = StringProperty("")
    today_text = StringProperty("")
    has_plan = BooleanProperty(False)
    next_text = StringProperty("")
    ride_text = StringProperty("")
    open_text = StringProperty("")
    block_diary_text = StringProperty("")  # while a block diary runs: its next question

    def open(self, **_context) -> None:
        clock = self.services.clock
        now = clock.now()
        zone = clock.zone()
        self.greeting = greeting(now, zone)
        self._show_next(now, zone)
        self._show_block_diary(now, zone)
        self.date_text = long_date(now, zone)
        latest = self.services.diary.page(limit=1)
        if latest:
            entry = latest[0]
            self.last_entry_text = (
                f"Last logged: pain {entry.score} out of 10, "
                f"{day_heading(entry.at, now, zone).lower()} at {clock_time(entry.at, zone)}"
            )
        else:
            self.last_entry_text = "Nothing logged yet. Your first entry takes two taps."
        today = local_date(now, zone)
        first_day = first_day_of(RECENT_PERIOD, today)
        recent = self.services.diary.day_summaries(first_day=first_day)
        chart = self.ids.recent_chart
        chart.first_day, chart.last_day, chart.days = first_day, today, recent
        if recent and recent[-1].day == today:
            day = recent[-1]
            times = "time" if day.count == 1 else "times"
            self.today_text = f"Today you logged {day.count} {times}, average {day.average:.1f}."
        else:
            self.today_text = "No pain logged today yet."

    def _show_block_diary(self, now, zone) -> None:
        """The block diary's line, on the days around a block only: the diary's code is not
        loaded on other days (nor before the first frame)."""
        self._diary_block_id, self.block_diary_text = None, ""
        near = [p for p in self.services.plan.procedures()
                if p.kind in BLOCK_KINDS and abs(p.at - now) <= timedelta(days=1)]
        if near:
            from app.ui.block_words import today_line  # loads the block diary's domain

            block = self.services.block_diary.current_block(now)
            self._diary_block_id = block.id if block else None
            self.block_diary_text = today_line(self.services.block_diary, block, now, zone)

    def open_block_diary(self) -> None:
        self.navigator.go("block_diary", procedure_id=self._diary_block_id)

    def _show_next(self, now, zone) -> None:
        plan = self.services.plan
        procedures = plan.procedures(cycle=plan.current_cycle())
        self.has_plan = bool(procedures)
        if not procedures:
            return
        upcoming = next_procedure(procedures, now)
        if upcoming is None:
            latest = max(procedures, key=lambda p: p.at)
            self.next_text = (f"Your {SHORT_NAMES[latest.kind]} was "
                              f"{how_far(latest.at, now, zone)}.")
            self.ride_text = "Your timeline shows what to expect as you recover."
            self.open_text = ""
            return
        self.next_text = f"{when_words(upcoming.at, now, zone)}: your {SHORT_NAMES[upcoming.kind]}"
        driver = plan.driver()
        self.ride_text = (f"Ride home: {driver.name}, {driver.phone}" if driver
                          else "Ride home: not arranged yet. You must not drive yourself.")
        clinic = self.services.settings.clinic()
        pathway = self.services.pathways.for_region(upcoming.region)
        still_open = open_items(pathway, upcoming.kind, plan.marks(upcoming.id),
                                sedation=clinic.uses_sedation)
        if still_open:
            shown = "; ".join(item.text for item in still_open[:OPEN_ITEMS_SHOWN])
            more = len(still_open) - OPEN_ITEMS_SHOWN
            self.open_text = (f"Still to do ({len(still_open)}): {shown}"
                              + (f"; and {more} more." if more > 0 else "."))
        else:
            self.open_text = "Your checklist for it is complete."


load_kv_beside(__file__)
