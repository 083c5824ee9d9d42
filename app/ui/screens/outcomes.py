"""Outcomes after RFA: the pain before it (0 to 10 and the three PEG questions), the check-ins at
the pathway's weeks, the change against before the RFA in plain words, and a gentle note when
relief seems to be fading."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from app.domain.dates import date_label, day_label, local_date, number
from app.domain.outcomes import (
    BASELINE_WEEK,
    MEANINGFUL_PERCENT,
    MEANINGFUL_POINTS,
    PEG_ITEMS,
    OutcomeInputError,
)
from app.i18n import _, ngettext
from app.ui.kv import load_kv_beside
from app.ui.rows import show_rows
from app.ui.save_problems import keeps_input_when_storage_fails
from app.ui.screens.base import AppScreen
from app.ui.widgets.confirm import ask_to_leave_unsaved
from app.ui.widgets.status_row import StatusRow

MONTHS = {12: 3, 26: 6}  # weeks -> the months they are about
YEAR_WEEKS = 52


def week_words(week: int) -> str:
    """ "2 weeks", "12 weeks (3 months)", "52 weeks (1 year)"."""
    if week == YEAR_WEEKS:
        return _("{weeks} weeks (1 year)").format(weeks=week)
    if week in MONTHS:
        return _("{weeks} weeks ({months} months)").format(weeks=week, months=MONTHS[week])
    return ngettext("{weeks} week", "{weeks} weeks", week).format(weeks=week)


def checkin_name(week: int) -> str:
    """ "2-week check-in", "52-week check-in"."""
    return _("{weeks}-week check-in").format(weeks=week)


def listed(items: list[str]) -> str:
    """ "2, 4 and 12"."""
    if len(items) < 2:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


class OutcomesScreen(AppScreen):
    @property
    def unsaved_message(self) -> str:
        return _("Your answers on this page have not been saved.")

    has_rfa = BooleanProperty(False)
    mode = StringProperty("overview")  # overview | form
    rfa_text = StringProperty("")
    weeks_text = StringProperty("")
    open_text = StringProperty("")
    baseline_text = StringProperty("")
    baseline_button = StringProperty("")
    baseline_missing = BooleanProperty(False)  # nothing recorded before the RFA yet
    trend_text = StringProperty("")
    meaningful_text = StringProperty("")
    note_title = StringProperty("")
    note_text = StringProperty("")
    form_title = StringProperty("")
    form_intro = StringProperty("")
    pain_question = StringProperty("")
    meaning_note = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rfa = None
        self._open = None
        self._week = None

    def open(self, procedure_id: int | None = None, **_context) -> None:
        outcomes = self.services.outcomes
        now = self.services.clock.now()
        try:
            self._rfa = (
                outcomes.rfa(procedure_id) if procedure_id is not None else outcomes.latest_rfa(now)
            )
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
        self.rfa_text = (
            _("{procedure}: {when}") if rfa.at <= now else _("{procedure}: booked for {when}")
        ).format(procedure=rfa.label, when=when)
        self.meaning_note = _(
            "A change of at least {points} points, or {percent} of your pain before the RFA, "
            "is one most people notice."
        ).format(points=MEANINGFUL_POINTS, percent=f"{MEANINGFUL_PERCENT}%")
        schedule = outcomes.schedule(rfa.id)
        weeks = listed([str(due.week) for due in schedule])
        self.weeks_text = _(
            "Short check-ins at {weeks} weeks compare your pain with how it was before the RFA."
        ).format(weeks=weeks)
        checkins = {c.week: c for c in outcomes.checkins(rfa.id)}
        trend = outcomes.trend(rfa.id)
        self._open = outcomes.open_checkin(rfa.id, now)
        self.open_text = (
            _("Your {checkin} is open").format(checkin=checkin_name(self._open.week))
            if self._open
            else ""
        )
        self._show_baseline(trend.baseline, any(w != BASELINE_WEEK for w in checkins))
        self._show_rows(schedule, checkins, trend, now, zone)
        self._show_trend(trend)

    def _show_baseline(self, baseline, has_checkins: bool) -> None:
        self.baseline_missing = baseline is None
        if baseline is None:
            self.baseline_text = _(
                "Not recorded yet. It is the starting point every check-in "
                "is compared with, so please record it before your RFA."
            )
            self.baseline_button = _("Record it now")
            return
        peg = baseline.peg
        peg_words = (
            _(
                "PEG score {score} (pain {pain}, enjoyment of life {enjoyment}, general "
                "activity {activity})."
            ).format(
                score=number(peg.score),
                pain=peg.pain,
                enjoyment=peg.enjoyment,
                activity=peg.activity,
            )
            if peg
            else _("The PEG questions were not answered.")
        )
        self.baseline_text = (
            _("Your usual pain: {pain} out of 10.").format(pain=baseline.pain) + " " + peg_words
        )
        self.baseline_button = "" if has_checkins else _("Change it")

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
                if point is not None and point.pain is not None:
                    text = _("Pain {pain}: {change}").format(
                        pain=recorded.pain, change=point.pain.words
                    )
                else:
                    text = _("Pain {pain}").format(pain=recorded.pain)
            elif state == "open":
                text = _("Open now")
            elif state == "missed":
                text = _("Not recorded")
            else:
                text = _("Opens {day}").format(
                    day=day_label(local_date(due.opens, zone), today, in_sentence=True)
                )
            shown.append(
                {
                    "first": week_words(due.week),
                    "second": day_label(local_date(due.due, zone), today),
                    "state_text": text,
                    "kind": state,
                }
            )
        show_rows(self.ids.checkin_rows, StatusRow, shown)

    def _show_trend(self, trend) -> None:
        latest = trend.latest
        self.trend_text = self.meaningful_text = ""
        if latest is not None and latest.pain is not None:
            change = latest.pain
            self.trend_text = _(
                "At your {checkin} your pain was {pain} out of 10: {change} compared with "
                "before the RFA."
            ).format(
                checkin=checkin_name(latest.checkin.week),
                pain=latest.checkin.pain,
                change=change.words,
            )
            if latest.peg is not None:
                self.trend_text += " " + _("Your PEG score was {score}: {change}.").format(
                    score=number(latest.checkin.peg.score), change=latest.peg.words
                )
            if change.points == 0:
                self.meaningful_text = _("That is the same as before the RFA.")
            elif change.meaningful:
                self.meaningful_text = _(
                    "That is a meaningful change: a change this size is one most people notice."
                )
            else:
                self.meaningful_text = _("That is a small change.")
        elif latest is not None:
            self.trend_text = _(
                "Record your pain before the RFA to see how each check-in compares with it."
            )
        self.note_text = trend.note
        self.note_title = (
            _("Relief seems to be fading")
            if trend.note_kind == "fading"
            else _("Close to how it was before")
        )

    # --- the form ---------------------------------------------------------------------------

    def start_checkin(self) -> None:
        if self._open is not None:
            self._start_form(self._open.week)

    def start_baseline(self) -> None:
        self._start_form(BASELINE_WEEK)

    def _start_form(self, week: int) -> None:
        self._week = week
        existing = next(
            (c for c in self.services.outcomes.checkins(self._rfa.id) if c.week == week), None
        )
        if week == BASELINE_WEEK:
            self.form_title = _("Before your RFA")
            after = self._rfa.at <= self.services.clock.now()
            self.form_intro = (
                _("Score how your pain usually was in the days before your RFA.")
                if after
                else _("Score how your pain usually is these days.")
            )
            self.pain_question = _("Your usual pain")
        else:
            self.form_title = _("Your {checkin}").format(checkin=checkin_name(week))
            self.form_intro = _(
                "Four questions on the same 0 to 10 scale. Your answers are "
                "compared with how your pain was before the RFA."
            )
            self.pain_question = _("Your usual pain these days")
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

    @keeps_input_when_storage_fails
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
            saved = self.services.outcomes.save(rfa.id, self._week, raw, now=now, zone=clock.zone())
        except OutcomeInputError as problem:
            self._show_errors(problem.errors)
            self.show_banner(_("Please check the questions marked in red. Nothing was lost."))
            return
        self.mode = "overview"
        self.refresh()
        self.ids.scroll.scroll_y = 1
        self.show_banner(
            _("Saved: your pain before the RFA.")
            if saved.week == BASELINE_WEEK
            else _("Saved: your {checkin}.").format(checkin=checkin_name(saved.week))
        )

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
