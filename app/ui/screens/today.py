"""Home: the big "Log pain" action, how today has gone, and the way to everything else."""

from datetime import timedelta

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from app.domain.checklists import known_answers, open_items, ride_home, step_is_done
from app.domain.dates import (
    date_label,
    date_label_with_distance,
    day_label,
    local_date,
    number,
)
from app.domain.due_now import is_due_now
from app.domain.pathway import BLOCK_KINDS
from app.domain.plan import build_timeline, next_procedure
from app.domain.trend import first_day_of
from app.i18n import N_, _, ngettext
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.controls import AppButton
from app.ui.widgets.trend_chart import TrendChart  # noqa: F401  (used in today.kv)
from app.ui.words import greeting

RECENT_PERIOD = "14 days"
# While Today is on screen it looks again this often: the block diary's line then says "a
# question is open now" once a prompt opens, and after midnight the whole page is tomorrow's.
REFRESH_SECONDS = 15

# Whole sentences per kind of procedure: the words around a procedure's name differ by language.
COMING_SENTENCES = {
    "test-block": N_("Your test block: {when}"),
    "confirm-block": N_("Your confirming block: {when}"),
    "rfa": N_("Your RFA: {when}"),
}
PAST_SENTENCES = {
    "test-block": N_("Your test block was {when}."),
    "confirm-block": N_("Your confirming block was {when}."),
    "rfa": N_("Your RFA was {when}."),
}
OPEN_ITEMS_SHOWN = 3
DO_NOW_SHOWN = 3


class DoNowButton(AppButton):
    title = StringProperty("")
    when = StringProperty("")


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
    has_open_items = BooleanProperty(False)  # the checklist still has things to do
    block_diary_text = StringProperty("")  # while a block diary runs: its next question
    do_now = ListProperty([])  # steps past their date before a procedure still ahead

    def __init__(self, **kwargs):
        self._diary_block_id = None
        self._shown_day = None
        self._poll = None
        super().__init__(**kwargs)

    def open(self, **_context) -> None:
        clock = self.services.clock
        now = clock.now()
        zone = clock.zone()
        self.greeting = greeting(now, zone)
        self._show_next(now, zone)
        self._show_block_diary(now, zone)
        today = self._shown_day = local_date(now, zone)
        self.date_text = day_label(today, today)
        latest = self.services.diary.page(limit=1)
        if latest:
            entry = latest[0]
            self.last_entry_text = _("Last logged: pain {score} out of 10, {when}").format(
                score=entry.score, when=date_label(entry.at, now, zone, in_sentence=True)
            )
        else:
            self.last_entry_text = _("Nothing logged yet. Your first entry takes three taps.")
        first_day = first_day_of(RECENT_PERIOD, today)
        recent = self.services.diary.day_summaries(first_day=first_day)
        chart = self.ids.recent_chart
        chart.first_day, chart.last_day, chart.days = first_day, today, recent
        if recent and recent[-1].day == today:
            day = recent[-1]
            self.today_text = ngettext(
                "Today you logged {count} time, average {average}.",
                "Today you logged {count} times, average {average}.",
                day.count,
            ).format(count=day.count, average=number(day.average))
        else:
            self.today_text = _("No pain logged today yet.")

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        if self._poll is None:
            self._poll = Clock.schedule_interval(
                lambda _dt: self.refresh_while_shown(), REFRESH_SECONDS
            )

    def on_leave(self, *_args) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None

    def refresh_while_shown(self) -> None:
        """What the poll runs: the block diary's line, or the whole page on a new day."""
        if self.get_root_window() is None:  # the app has stopped
            self.on_leave()
            return
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        if local_date(now, zone) != self._shown_day:
            self.open()
        else:
            self._show_block_diary(now, zone)

    def _block_near(self, now):
        """The block the diary is about, on the days around a block only (None otherwise): the
        diary's code is not loaded on other days, nor before the first frame."""
        near = [
            p
            for p in self.services.plan.procedures()
            if p.kind in BLOCK_KINDS and abs(p.at - now) <= timedelta(days=1)
        ]
        return self.services.block_diary.current_block(now) if near else None

    def _show_block_diary(self, now, zone) -> None:
        self._diary_block_id, self.block_diary_text = None, ""
        block = self._block_near(now)
        if block is not None:
            from app.ui.block_words import today_line  # loads the block diary's domain

            self._diary_block_id = block.id
            self.block_diary_text = today_line(self.services.block_diary, block, now, zone)

    def _block_with_open_prompt(self, now):
        block = self._block_near(now)
        if block is None or self.services.block_diary.state(block.id, now).current is None:
            return None
        return block

    def open_block_diary(self) -> None:
        """The block diary as it stands now: an open question opens ready to answer."""
        clock = self.services.clock
        self._show_block_diary(clock.now(), clock.zone())
        self.navigator.go("block_diary", procedure_id=self._diary_block_id)

    def log_pain(self) -> None:
        """While a block diary question is open, "Log pain" answers it: a score logged in the
        everyday diary then would miss the block's record."""
        open_block = self._block_with_open_prompt(self.services.clock.now())
        if open_block is not None:
            self.navigator.go("block_diary", procedure_id=open_block.id)
        else:
            self.navigator.go("log")

    def open_step(self, procedure_id: int, step_id: str) -> None:
        self.navigator.go("step", procedure_id=procedure_id, step_id=step_id)

    def on_do_now(self, _screen, steps) -> None:
        box = self.ids.do_now_box
        box.clear_widgets()
        for step in steps:
            button = DoNowButton(title=step["title"], when=step["when"])
            button.bind(on_press=lambda _b, s=step: self.open_step(s["procedure_id"], s["step_id"]))
            box.add_widget(button)

    def _show_next(self, now, zone) -> None:
        plan = self.services.plan
        procedures = plan.procedures(cycle=plan.current_cycle())
        self.has_plan = bool(procedures)
        self.do_now = []
        self.has_open_items = False
        if not procedures:
            return
        upcoming = next_procedure(procedures, now)
        if upcoming is None:
            latest = max(procedures, key=lambda p: p.at)
            when = date_label_with_distance(latest.at, now, zone, in_sentence=True)
            self.next_text = _(PAST_SENTENCES[latest.kind]).format(when=when)
            self.ride_text = _("Your timeline shows what to expect as you recover.")
            self.open_text = ""
            return
        when = date_label_with_distance(upcoming.at, now, zone, in_sentence=True)
        self.next_text = _(COMING_SENTENCES[upcoming.kind]).format(when=when)
        marks = plan.marks(upcoming.id)
        driver = ride_home(plan.driver(), marks)
        if driver is None:
            self.ride_text = _("Ride home: not arranged yet. You must not drive yourself.")
        elif driver.phone:
            self.ride_text = _("Ride home: {name}, {phone}").format(
                name=driver.name, phone=driver.phone
            )
        else:
            self.ride_text = _("Ride home: {name}").format(name=driver.name)
        known = known_answers(plan.driver())
        sedation = self.services.settings.clinic().uses_sedation
        self.do_now = self._steps_to_do_now(procedures, known, sedation, now, zone)
        pathway = self.services.pathways.for_region(upcoming.region)
        still_open = open_items(pathway, upcoming.kind, marks, sedation=sedation, known=known)
        self.has_open_items = bool(still_open)
        if still_open:
            lines = [f"•  {item.text}" for item in still_open[:OPEN_ITEMS_SHOWN]]
            more = len(still_open) - OPEN_ITEMS_SHOWN
            if more > 0:
                lines.append(
                    "•  "
                    + ngettext(
                        "and {count} more on your checklist",
                        "and {count} more on your checklist",
                        more,
                    ).format(count=more)
                )
            heading = _("Still to do ({count}):").format(count=len(still_open))
            self.open_text = heading + "\n" + "\n".join(lines)
        else:
            self.open_text = _("Your checklist for it is complete.")

    def _steps_to_do_now(self, procedures, known, sedation, now, zone) -> list[dict]:
        """The steps whose date has passed before their procedure, oldest first."""
        marks = {p.id: self.services.plan.marks(p.id) for p in procedures}
        rows = []
        for region in sorted({p.region for p in procedures}):
            pathway = self.services.pathways.for_region(region)
            for dated in build_timeline(procedures, pathway, sedation=sedation):
                done = step_is_done(
                    dated.step, pathway, marks[dated.procedure.id], sedation=sedation, known=known
                )
                if is_due_now(dated, done, now):
                    rows.append(
                        (
                            dated.due,
                            {
                                "procedure_id": dated.procedure.id,
                                "step_id": dated.step.id,
                                "title": dated.step.title,
                                "when": _("It was for {when}").format(
                                    when=date_label(dated.due, now, zone, in_sentence=True)
                                ),
                            },
                        )
                    )
        rows.sort(key=lambda row: row[0])
        return [row for _due, row in rows[:DO_NOW_SHOWN]]


load_kv_beside(__file__)
