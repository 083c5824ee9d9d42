"""The guide: which procedures, where, which side, when, the clinic and the ride home.

Five short pages. Nothing is saved until the last one, and then all of it is saved at once, so
leaving the guide part way leaves the plan exactly as it was (and, when something was changed,
asks first with the app's one "Leave without saving?" question). Opened again with
`editing=True`, it shows the current plan: a changed time reschedules that procedure, an unticked
one is cancelled, and earlier rounds are left alone. Opened with `new_round=True`, it starts the
next round empty; the round exists only once its dates are saved.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kivy.clock import Clock
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from app.domain.clinic import ClinicInputError, clinic_to_dict, validate_clinic
from app.domain.dates import date_label
from app.domain.pathway import PROCEDURE_KINDS, PROCEDURE_LABELS
from app.domain.plan import (
    PlanInputError,
    already_planned_error,
    validate_contact,
    validate_procedure,
)
from app.i18n import _, ngettext
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.button_flow import ButtonFlow  # noqa: F401  (used in guide.kv)
from app.ui.widgets.confirm import ConfirmDialog, ask_to_leave_unsaved
from app.ui.widgets.date_time_stepper import DateTimeStepper
from app.ui.widgets.language_choice import LanguageChoice  # noqa: F401  (used in guide.kv)

PAGES = ("welcome", "procedures", "dates", "people", "done")
DONE = PAGES.index("done")
DEFAULT_TIME = time(9, 0)
# Procedures are usually weeks apart; these only seed the pickers for a new plan.
DEFAULT_DAYS_AHEAD = {"test-block": 7, "confirm-block": 21, "rfa": 42}
MINUTE_STEP = 15  # appointments are booked on the quarter hour; any minute can be typed


class GuideScreen(AppScreen):
    _mid_flow = False  # open, not yet saved or left
    page = NumericProperty(0)
    first_page = NumericProperty(0)  # the welcome page on the first run, else the procedures
    editing = BooleanProperty(False)
    new_round = BooleanProperty(False)
    round_number = NumericProperty(1)  # the round being set up or changed
    has_existing = BooleanProperty(False)
    chosen = ListProperty([])  # procedure kinds, in PROCEDURE_KINDS order
    region = StringProperty("")
    side = StringProperty("")
    errors = DictProperty({})
    summary = StringProperty("")
    initial_focus = StringProperty("start")

    def open(self, editing: bool = False, new_round: bool = False, **context) -> None:
        if not context and not editing and not new_round and self._mid_flow:
            return  # back from When to call, opened from the guide: carry on where they were
        self._mid_flow = True
        self.editing = editing or new_round
        self.new_round = new_round
        self.errors = {}
        plan = self.services.plan
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        current_round = plan.current_cycle()
        current = {p.kind: p for p in plan.procedures(cycle=current_round)}
        # A new round starts empty and changes nothing in the rounds before it.
        self._existing = {} if new_round else current
        self.round_number = plan.next_cycle() if new_round else current_round
        self.has_existing = bool(self._existing)
        self.chosen = [kind for kind in PROCEDURE_KINDS if kind in self._existing]
        # The same place and side are the likeliest in a new round too; the patient can change them.
        known = next(iter(current.values()), None)
        self.region = known.region if known else ""
        self.side = known.side if known else ""
        for kind in PROCEDURE_KINDS:
            picker = self._picker(kind)
            picker.minute_step = MINUTE_STEP
            existing = self._existing.get(kind)
            picker.reset(now, zone, existing.at if existing else _default_time(now, zone, kind))
        clinic = self.services.settings.clinic()
        self.ids.clinic_name.text = clinic.name
        self.ids.clinic_phone.text = clinic.phone
        driver = plan.driver()
        self.ids.driver_name.text = driver.name if driver else ""
        self.ids.driver_phone.text = driver.phone if driver else ""
        self._past_accepted: set[tuple[str, datetime]] = set()
        self.first_page = 1 if self.editing else 0
        self.page = self.first_page
        self._opened_with = self._form_state()
        self.services.settings.mark_guide_offered()

    def on_page(self, *_args) -> None:
        self.ids.scroll.scroll_y = 1
        Clock.schedule_once(self._to_top, 0.1)

    def _to_top(self, *_args) -> None:
        """Each page starts at its top: once it is laid out, and after the scroll effect of the
        tap that turned the page has settled (it would otherwise carry the old position on)."""
        scroll = self.ids.scroll
        scroll.scroll_y = 1
        if scroll.effect_y is not None:
            scroll.effect_y.reset(scroll.effect_y.max)

    def toggle(self, kind: str) -> None:
        chosen = set(self.chosen) ^ {kind}
        self.chosen = [k for k in PROCEDURE_KINDS if k in chosen]
        self.errors = {}

    def next_page(self) -> None:
        problems = self._problems_on_page()
        self.errors = problems
        if problems:
            return
        if PAGES[self.page] == "dates" and self._ask_about_past_times():
            return
        if PAGES[self.page] == "people":
            self._save()
            return
        self.page += 1

    def previous_page(self) -> None:
        """The guide's one Back button: a page back, and from its first page out of the guide
        (asking first when something was chosen)."""
        if self.page > self.first_page:
            self.page -= 1
            self.errors = {}
        else:
            self.navigator.back()

    def not_now(self) -> None:
        if self.has_unsaved_input():
            ask_to_leave_unsaved(self.unsaved_message, self._left(self.navigator.home))
            return
        self._left(self.navigator.home)()

    def finish(self) -> None:
        self._left(self.navigator.home)()
        self.navigator.go("timeline")

    # --- leaving -----------------------------------------------------------------------------

    def has_unsaved_input(self) -> bool:
        """Whether leaving now would drop something the patient chose or typed (the hook that
        Back, Escape, Android's back and the window's close request ask)."""
        return self.page != DONE and self._form_state() != self._opened_with

    @property
    def unsaved_message(self) -> str:
        if self.new_round:
            return _(
                "Round {number} has not been saved. If you leave, your plan stays exactly "
                "as it was."
            ).format(number=self.round_number)
        if self.has_existing:
            return _("Your changes have not been saved. If you leave, your plan stays as it was.")
        return _("Your plan has not been saved yet. If you leave, what you chose here is dropped.")

    def forget_unsaved_input(self) -> None:
        """After "Leave without saving": the next visit starts afresh from what is saved."""
        self._mid_flow = False

    def ask_before_leaving(self, proceed) -> bool:
        """Leaving the guide from any page asks first when something changed; nothing is saved
        either way."""
        if not self.has_unsaved_input():
            self.forget_unsaved_input()
            return False
        ask_to_leave_unsaved(self.unsaved_message, self._left(proceed))
        return True

    def _left(self, leave):
        """`leave`, after which the next visit starts afresh from what is saved."""

        def left() -> None:
            self.forget_unsaved_input()
            leave()

        return left

    def _form_state(self) -> tuple:
        zone = self.services.clock.zone()
        return (
            tuple(self.chosen),
            self.region,
            self.side,
            tuple(self._picker(kind).value(zone) for kind in self.chosen),
            tuple(self._picker(kind).ids.typed.text for kind in self.chosen),
            self.ids.clinic_name.text,
            self.ids.clinic_phone.text,
            self.ids.driver_name.text,
            self.ids.driver_phone.text,
        )

    def label(self, kind: str) -> str:
        return _(PROCEDURE_LABELS[kind])

    # --- checking and saving ---------------------------------------------------------------

    def _picker(self, kind: str) -> DateTimeStepper:
        return self.ids[f"when_{kind.replace('-', '_')}"]

    def _problems_on_page(self) -> dict[str, str]:
        page = PAGES[self.page]
        if page == "procedures":
            problems = {}
            if not self.chosen:
                problems["chosen"] = _("Tap at least one procedure your clinic has booked for you.")
            if not self.region:
                problems["region"] = _("Choose the lower back or the neck.")
            if not self.side:
                problems["side"] = _("Choose the left side, the right side or both sides.")
            return problems
        if page == "dates":
            for kind in self.chosen:  # a time typed but not yet taken (no Enter, still focused)
                picker = self._picker(kind)
                picker.take_typed_time(picker.ids.typed.text)
            typed = {
                f"when_{kind}": self._picker(kind).typed_problem
                for kind in self.chosen
                if self._picker(kind).typed_problem
            }
            if typed:
                return typed
            try:
                self._procedures()
            except PlanInputError as problem:
                return problem.errors
            return {}
        if page == "people":
            return self._people_problems()
        return {}

    def _procedures(self):
        clock, plan = self.services.clock, self.services.plan
        now, zone = clock.now(), clock.zone()
        found, errors = [], {}
        for kind in self.chosen:
            existing = self._existing.get(kind)
            raw = {
                "kind": kind,
                "region": self.region,
                "side": self.side,
                "at": self._picker(kind).value(zone),
                "anaesthetic": existing.anaesthetic if existing else None,
                "levels": existing.levels if existing else "",
                "cycle": self.round_number,
                "id": existing.id if existing else None,
            }
            try:
                procedure = validate_procedure(raw, now=now, zone=zone)
            except PlanInputError as problem:
                errors[f"when_{kind}"] = " ".join(problem.errors.values())
                continue
            same = plan.find_same(procedure)
            if same is not None:  # never a second copy of an appointment already planned
                errors[f"when_{kind}"] = already_planned_error(same).errors["at"]
            found.append(procedure)
        if errors:
            raise PlanInputError(errors)
        return found

    def _ask_about_past_times(self) -> bool:
        """A time already past on the chosen day is asked about ("Is this right?") before it is
        taken; True while the question is open."""
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        doubtful = []
        for kind in self.chosen:
            at = self._picker(kind).value(zone)
            existing = self._existing.get(kind)
            unchanged = existing is not None and existing.at == at
            if at < now and not unchanged and (kind, at) not in self._past_accepted:
                doubtful.append((kind, at))
        if not doubtful:
            return False

        def accept() -> None:
            self._past_accepted.update(doubtful)
            self.next_page()

        times = "\n".join(
            _("{procedure}: {date}.").format(
                procedure=_(PROCEDURE_LABELS[kind]), date=date_label(at, now, zone)
            )
            for kind, at in doubtful
        )
        passed = ngettext(
            "That time has already passed.", "These times have already passed.", len(doubtful)
        )
        ConfirmDialog(
            title=_("Is this right?"),
            message=f"{times}\n{passed}",
            stay_text=_("Change the time"),
            go_text=_("Yes, it is right"),
            on_go=accept,
        ).open()
        return True

    def _people_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        try:
            self._clinic()
        except ClinicInputError as problem:
            problems.update({f"clinic_{key}": message for key, message in problem.errors.items()})
        if self.ids.driver_name.text.strip() or self.ids.driver_phone.text.strip():
            try:
                self._driver()
            except PlanInputError as problem:
                problems.update({f"driver_{key}": text for key, text in problem.errors.items()})
        return problems

    def _clinic(self):
        current = clinic_to_dict(self.services.settings.clinic())
        current.update(name=self.ids.clinic_name.text, phone=self.ids.clinic_phone.text)
        return validate_clinic(current)

    def _driver(self):
        return validate_contact(
            {"name": self.ids.driver_name.text, "phone": self.ids.driver_phone.text}
        )

    def _save(self) -> None:
        try:
            procedures = self._procedures()
        except PlanInputError as problem:  # the plan changed elsewhere since the dates page
            self.errors = problem.errors
            self.page = PAGES.index("dates")
            return
        clinic = self._clinic()
        has_driver = self.ids.driver_name.text.strip() or self.ids.driver_phone.text.strip()
        driver = self._driver() if has_driver else None
        cancelled = [
            existing.id for kind, existing in self._existing.items() if kind not in self.chosen
        ]
        self.services.plan_service.save_guide(
            procedures,
            round_number=self.round_number,
            cancelled=cancelled,
            driver=driver,
            clinic=clinic,
        )
        self.summary = _summary(procedures, driver, clinic, self.services.clock.now())
        self.page = DONE


def _default_time(now: datetime, zone: str, kind: str) -> datetime:
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=DEFAULT_DAYS_AHEAD[kind])
    return datetime.combine(day, DEFAULT_TIME, ZoneInfo(zone))


def _summary(procedures, driver, clinic, now: datetime) -> str:
    lines = [
        _("• {procedure}: {date}").format(procedure=p.label, date=date_label(p.at, now, p.zone))
        for p in procedures
    ]
    if driver:
        lines.append(
            _("• Your ride home: {name}, {phone}").format(name=driver.name, phone=driver.phone)
        )
    else:
        lines.append(_("• Your ride home: not added yet. You will need someone to drive you."))
    if clinic.name or clinic.phone:
        lines.append(
            _("• Your clinic: {clinic}").format(
                clinic=" ".join(part for part in (clinic.name, clinic.phone) if part)
            )
        )
    return "\n".join(lines)


load_kv_beside(__file__)
