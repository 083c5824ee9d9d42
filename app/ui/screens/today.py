"""Home: the big "Log pain" action, how today has gone, and the way to everything else."""

from kivy.properties import StringProperty

from app.domain.trend import first_day_of
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.trend_chart import TrendChart  # noqa: F401  (used in today.kv)
from app.ui.words import clock_time, day_heading, greeting, local_date, long_date

RECENT_PERIOD = "14 days"


class TodayScreen(AppScreen):
    initial_focus = StringProperty("log_pain")
    greeting = StringProperty("")
    date_text = StringProperty("")
    last_entry_text = StringProperty("")
    today_text = StringProperty("")

    def open(self, **_context) -> None:
        clock = self.services.clock
        now = clock.now()
        zone = clock.zone()
        self.greeting = greeting(now, zone)
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

load_kv_beside(__file__)
