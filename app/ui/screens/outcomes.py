"""Outcomes after RFA: the pain before it (0 to 10 and the three PEG questions), the check-ins at
the pathway's weeks, the change against before the RFA in plain words, and a gentle note when
relief seems to be fading."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from app.domain.dates import date_label, day_label, local_date
from app.domain.outcomes import (
    BASELINE_WEEK,
    MEANINGFUL_PERCENT,
    MEANINGFUL_POINTS,
    PEG_ITEMS,
    OutcomeInputError,
)
from app.ui.kv import load_kv_beside
from app.ui.rows import show_rows
from app.ui.screens.base import AppScreen
from app.ui.widgets.confirm import ask_to_leave_unsaved
from app.ui.widgets.status_row import StatusRow

MONTHS = {12: "3 months", 26: "6 months", 52: "1 year"}


def week_words(week: int) -> str:
    """"2 weeks", "12 weeks (3 months)"."""
    words = f"{week} week{'s' if week != 1 else ''}"
    return f"{words} ({MONTHS[week]})" if week in MONTHS else words


def checkin_name(week: int) -> str:
    """"2-week check-in", "52-week check-in"."""
    return f"{week}-week check-in"


class OutcomesScreen(AppScreen):
    unsaved_message = "Your answers on this page have not been saved."
    has_rfa = BooleanProperty(False)
    mode = StringProperty("overview")  # overview | form
    rfa_text = StringProperty("")
    weeks_text = StringProperty("")
    open_text = StringProperty("")
    baseline_text = StringProperty("")
    baseline_button = StringProperty("")
    trend_text = StringProperty("")
    meaningful_text = StringProperty("")
    note_title = StringProperty("")
    note_text = StringProperty("")
    form_title = StringProperty("")
    form_intro = StringProperty("")
    pain_question = StringProperty("")
    meaning_note = StringProperty(
        f"A change of at least {MEANINGFUL_POINTS} points, or {MEANINGFUL_PERCENT}% of your pain "
        "before the RFA, is one most people notice.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rfa = None
        self._open = None
        self._week = None

    def open(self, procedure_id: int | None = None, **_context) -> None:
        outcomes = self.services.outcomes
        now = self.services.clock.now()
        try:
            self._rfa = (outcomes.rfa(procedure_id) if procedure_id is not None
                         else outcomes.latest_rfa(now))
        except LookupError:
            self._rfa = None
        self.mode = "overview"
        self.refresh()
        self.ids.scroll.scroll_y = 1

    def refresh(self) -> None:
        rfa = self._rfa
        self.has_rfa = rfa is not None
        if rfa is None:
            return
        outcomes = self.services.outcomes
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        when = date_label(rfa.at, now, rfa.zone, in_sentence=True)
        self.rfa_text = (f"{rfa.label}: {when}" if rfa.at <= now
                         else f"{rfa.label}: booked for {when}")
        schedule = outcomes.schedule(rfa.id)
        weeks = [str(due.week) for due in schedule]
        listed = ", ".join(weeks[:-1]) + f" and {weeks[-1]}" if len(weeks) > 1 else "".join(weeks)
        self.weeks_text = (f"Short check-ins at {listed} weeks compare your pain with how it "
                           "was before the RFA.")
        checkins = {c.week: c for c in outcomes.checkins(rfa.id)}
        trend = outcomes.trend(rfa.id)
        self._open = outcomes.open_checkin(rfa.id, now)
        self.open_text = (f"Your {checkin_name(self._open.week)} is open"
                          if self._open else "")
        self._show_baseline(trend.baseline, any(w != BASELINE_WEEK for w in checkins))
        self._show_rows(schedule, checkins, trend, now, zone)
        self._show_trend(trend)

    def _show_baseline(self, baseline, has_checkins: bool) -> None:
        if baseline is None:
            self.baseline_text = ("Not recorded yet. It is the starting point every check-in "
                                  "is compared with, so please record it before your RFA.")
            self.baseline_button = "Record it now"
            return
        peg = baseline.peg
        peg_words = (f" PEG score {peg.score:.1f} (pain {peg.pain}, enjoyment of life "
                     f"{peg.enjoyment}, general activity {peg.activity})." if peg
                     else " The PEG questions were not answered.")
        self.baseline_text = f"Your usual pain: {baseline.pain} out of 10.{peg_words}"
        self.baseline_button = "" if has_checkins else "Change it"

    def _show_rows(self, schedule, checkins, trend, now, zone) -> None:
        """A row per check-in (made once, then only filled: see app/ui/rows.py)."""
        changes = {p.checkin.week: p for p in trend.points}
        today = local_date(now, zone)
        shown = []
        for due in schedule:
            recorded = checkins.get(due.week)
            state = due.state(now, recorded is not None)
            if recorded is not None:
                point = changes.get(due.week)
                text = f"Pain {recorded.pain}"
                if point is not None and point.pain is not None:
                    text += f": {point.pain.words}"
            elif state == "open":
                text = "Open now"
            elif state == "missed":
                text = "Not recorded"
            else:
                text = f"Opens {day_label(local_date(due.opens, zone), today, in_sentence=True)}"
            shown.append({"first": week_words(due.week),
                          "second": day_label(local_date(due.due, zone), today),
                          "state_text": text, "kind": state})
        show_rows(self.ids.checkin_rows, StatusRow, shown)

    def _show_trend(self, trend) -> None:
        latest = trend.latest
        self.trend_text = self.meaningful_text = ""
        if latest is not None and latest.pain is not None:
            change = latest.pain
            self.trend_text = (
                f"At your {checkin_name(latest.checkin.week)} your pain was "
                f"{latest.checkin.pain} out of 10: {change.words} compared with before the RFA."
            )
            if latest.peg is not None:
                self.trend_text += (f" Your PEG score was {latest.checkin.peg.score:.1f}: "
                                    f"{latest.peg.words}.")
            if change.points == 0:
                self.meaningful_text = "That is the same as before the RFA."
            elif change.meaningful:
                self.meaningful_text = ("That is a meaningful change: a change this size is "
                                        "one most people notice.")
            else:
                self.meaningful_text = "That is a small change."
        elif latest is not None:
            self.trend_text = ("Record your pain before the RFA to see how each check-in "
                               "compares with it.")
        self.note_text = trend.note
        self.note_title = ("Relief seems to be fading" if trend.note_kind == "fading"
                           else "Close to how it was before")

    # --- the form ---------------------------------------------------------------------------

    def start_checkin(self) -> None:
        if self._open is not None:
            self._start_form(self._open.week)

    def start_baseline(self) -> None:
        self._start_form(BASELINE_WEEK)

    def _start_form(self, week: int) -> None:
        self._week = week
        existing = next((c for c in self.services.outcomes.checkins(self._rfa.id)
                         if c.week == week), None)
        if week == BASELINE_WEEK:
            self.form_title = "Before your RFA"
            after = self._rfa.at <= self.services.clock.now()
            self.form_intro = ("Score how your pain usually was in the days before your RFA."
                               if after else "Score how your pain usually is these days.")
            self.pain_question = "Your usual pain"
        else:
            self.form_title = f"Your {checkin_name(week)}"
            self.form_intro = ("Four questions on the same 0 to 10 scale. Your answers are "
                               "compared with how your pain was before the RFA.")
            self.pain_question = "Your usual pain these days"
        self.ids.pain_scale.score = existing.pain if existing else None
        for item in PEG_ITEMS:
            value = getattr(existing.peg, item) if existing and existing.peg else None
            self.ids[f"peg_{item}"].score = value
        self.ids.note.text = existing.note if existing else ""
        self._show_errors({})
        self._opened_with = self._form_values()
        self.mode = "form"
        self.ids.scroll.scroll_y = 1

    def cancel_form(self) -> None:
        self.mode = "overview"
        self.ids.scroll.scroll_y = 1

    def save_form(self) -> None:
        rfa, clock = self._rfa, self.services.clock
        now = clock.now()
        raw = {
            "pain": self.ids.pain_scale.score,
            "peg": {item: self.ids[f"peg_{item}"].score for item in PEG_ITEMS},
            "note": self.ids.note.text,
        }
        if self._week == BASELINE_WEEK and now > rfa.at:
            raw["at"] = rfa.at  # recalled after the RFA: dated as the pain just before it
        try:
            saved = self.services.outcomes.save(rfa.id, self._week, raw, now=now,
                                                zone=clock.zone())
        except OutcomeInputError as problem:
            self._show_errors(problem.errors)
            self.show_banner("Please check the questions marked in red. Nothing was lost.")
            return
        self.mode = "overview"
        self.refresh()
        self.ids.scroll.scroll_y = 1
        what = ("your pain before the RFA" if saved.week == BASELINE_WEEK
                else f"your {checkin_name(saved.week)}")
        self.show_banner(f"Saved: {what}.")

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.ids.pain_error.text = errors.get("pain", "")
        for item in PEG_ITEMS:
            self.ids[f"peg_{item}_error"].text = errors.get(f"peg.{item}", "")
        self.ids.peg_error.text = errors.get("peg", "")
        self.ids.note_error.text = errors.get("note", "")
        self.ids.form_error.text = " ".join(errors[k] for k in ("week", "at") if k in errors)

    def _form_values(self) -> tuple:
        scales = [self.ids.pain_scale] + [self.ids[f"peg_{item}"] for item in PEG_ITEMS]
        return tuple(scale.score for scale in scales) + (self.ids.note.text,)

    def _focus_initial(self) -> None:
        if self.mode == "form":
            self.ids.pain_scale.focus_first()
        elif self._open is not None:
            self.ids.checkin_button.focus = True
        else:
            self.ids.top_bar.ids.back.focus = True

    def ask_before_leaving(self, proceed) -> bool:
        """Back from the form returns to the overview (asking first when something was chosen
        or typed) instead of leaving the screen."""
        if self.mode != "form":
            return False
        if self.has_unsaved_input():
            ask_to_leave_unsaved(self.unsaved_message, self.cancel_form)
        else:
            self.cancel_form()
        return True

    def has_unsaved_input(self) -> bool:
        return self.mode == "form" and self._form_values() != self._opened_with

load_kv_beside(__file__)
