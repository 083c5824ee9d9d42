"""The first-run guide: which procedures, where, which side, when, the clinic and the ride home.

Five short pages. Nothing is saved until the last one, and then all of it is saved at once. Opened
again with `editing=True`, it shows the current plan: a changed time reschedules that procedure,
an unticked one is cancelled, and earlier cycles are left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from app.domain.clinic import ClinicInputError, clinic_to_dict, validate_clinic
from app.domain.pathway import PROCEDURE_KINDS, PROCEDURE_LABELS
from app.domain.plan import PlanInputError, validate_contact, validate_procedure
from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen
from app.ui.widgets.date_time_stepper import DateTimeStepper  # noqa: F401  (used in guide.kv)

PAGES = ("welcome", "procedures", "dates", "people", "done")
DEFAULT_TIME = time(9, 0)
# Procedures are usually weeks apart; these only seed the pickers for a new plan.
DEFAULT_DAYS_AHEAD = {"test-block": 7, "confirm-block": 21, "rfa": 42}


class GuideScreen(AppScreen):
    page = NumericProperty(0)
    editing = BooleanProperty(False)
    has_existing = BooleanProperty(False)
    chosen = ListProperty([])  # procedure kinds, in PROCEDURE_KINDS order
    region = StringProperty("")
    side = StringProperty("")
    errors = DictProperty({})
    summary = StringProperty("")
    initial_focus = StringProperty("start")

    def open(self, editing: bool = False, **_context) -> None:
        self.editing = editing
        self.errors = {}
        plan = self.services.plan
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        current = {p.kind: p for p in plan.procedures(cycle=plan.current_cycle())}
        self._existing = current
        self.has_existing = bool(current)
        self.chosen = [kind for kind in PROCEDURE_KINDS if kind in current]
        first = next(iter(current.values()), None)
        self.region = first.region if first else ""
        self.side = first.side if first else ""
        for kind in PROCEDURE_KINDS:
            picker = self.ids[f"when_{kind.replace('-', '_')}"]
            existing = current.get(kind)
            picker.reset(now, zone, existing.at if existing else _default_time(now, zone, kind))
        clinic = self.services.settings.clinic()
        self.ids.clinic_name.text = clinic.name
        self.ids.clinic_phone.text = clinic.phone
        driver = plan.driver()
        self.ids.driver_name.text = driver.name if driver else ""
        self.ids.driver_phone.text = driver.phone if driver else ""
        self.page = 1 if editing else 0
        self.services.settings.mark_guide_offered()

    def on_page(self, *_args) -> None:
        self.ids.scroll.scroll_y = 1

    def toggle(self, kind: str) -> None:
        chosen = set(self.chosen) ^ {kind}
        self.chosen = [k for k in PROCEDURE_KINDS if k in chosen]
        self.errors = {}

    def next_page(self) -> None:
        problems = self._problems_on_page()
        self.errors = problems
        if problems:
            return
        if PAGES[self.page] == "people":
            self._save()
            return
        self.page += 1

    def previous_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.errors = {}
        else:
            self.navigator.back()

    def not_now(self) -> None:
        self.navigator.home()

    def finish(self) -> None:
        self.navigator.home()
        self.navigator.go("timeline")

    def ask_before_leaving(self, proceed) -> bool:
        # Back from inside the guide goes back a page rather than dropping what was chosen.
        if 0 < self.page < PAGES.index("done"):
            self.previous_page()
            return True
        return False

    def label(self, kind: str) -> str:
        return PROCEDURE_LABELS[kind]

    # --- checking and saving ---------------------------------------------------------------

    def _problems_on_page(self) -> dict[str, str]:
        page = PAGES[self.page]
        if page == "procedures":
            problems = {}
            if not self.chosen:
                problems["chosen"] = "Tap at least one procedure your clinic has booked for you."
            if not self.region:
                problems["region"] = "Choose the lower back or the neck."
            if not self.side:
                problems["side"] = "Choose the left side, the right side or both sides."
            return problems
        if page == "dates":
            try:
                self._procedures()
            except PlanInputError as problem:
                return problem.errors
            return {}
        if page == "people":
            return self._people_problems()
        return {}

    def _procedures(self):
        clock = self.services.clock
        now, zone = clock.now(), clock.zone()
        found, errors = [], {}
        for kind in self.chosen:
            picker = self.ids[f"when_{kind.replace('-', '_')}"]
            existing = self._existing.get(kind)
            raw = {"kind": kind, "region": self.region, "side": self.side,
                   "at": picker.value(zone),
                   "anaesthetic": existing.anaesthetic if existing else None,
                   "cycle": self.services.plan.current_cycle(),
                   "id": existing.id if existing else None}
            try:
                found.append(validate_procedure(raw, now=now, zone=zone))
            except PlanInputError as problem:
                errors[f"when_{kind}"] = " ".join(problem.errors.values())
        if errors:
            raise PlanInputError(errors)
        return found

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
        return validate_contact({"name": self.ids.driver_name.text,
                                 "phone": self.ids.driver_phone.text})

    def _save(self) -> None:
        plan, settings = self.services.plan, self.services.settings
        procedures = self._procedures()
        clinic = self._clinic()
        has_driver = self.ids.driver_name.text.strip() or self.ids.driver_phone.text.strip()
        driver = self._driver() if has_driver else None
        with plan.db.atomic():
            for procedure in procedures:
                if procedure.id is None:
                    plan.add_procedure(procedure)
                else:
                    plan.update_procedure(procedure)
            for kind, existing in self._existing.items():
                if kind not in self.chosen:
                    plan.cancel(existing.id)
            plan.set_driver(driver)
            settings.save_clinic(clinic)
            settings.mark_set_up()
        self.summary = _summary(procedures, driver, clinic)
        self.page = PAGES.index("done")


def _default_time(now: datetime, zone: str, kind: str) -> datetime:
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=DEFAULT_DAYS_AHEAD[kind])
    return datetime.combine(day, DEFAULT_TIME, ZoneInfo(zone))


def _summary(procedures, driver, clinic) -> str:
    lines = [f"• {p.label}: {p.local_at:%A %-d %B at %H:%M}" for p in procedures]
    if driver:
        lines.append(f"• Your ride home: {driver.name}, {driver.phone}")
    else:
        lines.append("• Your ride home: not added yet. You will need someone to drive you.")
    if clinic.name or clinic.phone:
        lines.append("• Your clinic: " + " ".join(part for part in (clinic.name, clinic.phone) if part))
    return "\n".join(lines)


load_kv_beside(__file__)
