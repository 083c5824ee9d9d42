"""The patient's plan as the screens change it: a checklist answer, a step done, the medicines
list and the guide's dates, ride home and clinic.

What was typed is checked by the domain (`validate_mark_value`, `validate_medicine_name`)
before it is saved, here rather than in each screen; the guide's save, which changes the plan
and the clinic's settings together, is one transaction. The time a mark is made comes from the
clock the service was given. Screens read the plan through `PlanQueries`.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.checklists import step_mark_id
from app.domain.clinic import ClinicSettings
from app.domain.pathway import ChecklistItem
from app.domain.plan import (
    ChecklistMark,
    Contact,
    PatientMedicine,
    Procedure,
    validate_mark_value,
    validate_medicine_name,
)
from app.services.clock import Clock
from app.store.connection import Database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository


class PlanService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._plans = PlanRepository(db)
        self._settings = SettingsRepository(db)
        self._clock = clock

    def mark_item(
        self, procedure_id: int, item: ChecklistItem, *, checked: bool, value: str
    ) -> ChecklistMark:
        """Check and save a checklist item's tick and answer (a phone number, a time, a short
        text); raises `PlanInputError` naming "value" and saves nothing when it is not right."""
        text = validate_mark_value(item, value)
        return self._plans.mark(
            item.id, procedure_id, checked=checked, value=text, now=self._clock.now()
        )

    def mark_step(self, procedure_id: int, step_id: str, *, done: bool) -> ChecklistMark:
        """A step of the timeline marked done (or not) for one procedure."""
        return self._plans.mark(
            step_mark_id(step_id), procedure_id, checked=done, now=self._clock.now()
        )

    def add_medicine(self, typed: str) -> PatientMedicine:
        """Check and add a medicine to the patient's list; raises `PlanInputError` naming
        "medicine" when the name is not right. A name already listed is kept as it was."""
        return self._plans.add_medicine(validate_medicine_name(typed), self._clock.now())

    def remove_medicine(self, name: str) -> bool:
        """Take a medicine off the list; False when it was not listed."""
        return self._plans.remove_medicine(name)

    def save_guide(
        self,
        procedures: Iterable[Procedure],
        *,
        round_number: int,
        cancelled: Iterable[int],
        driver: Contact | None,
        clinic: ClinicSettings,
    ) -> None:
        """The guide's answers, checked on its pages, saved as one: new procedures added to
        `round_number`, changed ones updated, the ones no longer chosen (`cancelled` ids)
        cancelled, the ride home and the clinic's name and phone; the app is then set up.
        Nothing changes when any of it cannot be saved."""
        with self._plans.db.atomic():
            for procedure in procedures:
                if procedure.id is None:
                    self._plans.add_procedure(procedure, cycle=round_number)
                else:
                    self._plans.update_procedure(procedure)
            for procedure_id in cancelled:
                self._plans.cancel(procedure_id)
            self._plans.set_driver(driver)
            self._settings.save_clinic(clinic)
            self._settings.mark_set_up()
