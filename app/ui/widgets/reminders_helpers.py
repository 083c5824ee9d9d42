"""Reminders, "Helpers": the people who drive the patient and check on them, a form to add one,
and the driver already named offered as a helper."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from app.domain.checklists import ride_home
from app.domain.plan import next_procedure
from app.i18n import N_, _
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import Card
from app.ui.widgets.reminders_section import FormSection


class HelperRow(Card):
    helper_id = NumericProperty(0)
    name = StringProperty("")
    detail = StringProperty("")
    section = ObjectProperty(None)


class HelpersSection(FormSection):
    FIELDS = ("name", "phone", "relation")
    DRIVER_RELATION = N_("Drives you home")
    empty = BooleanProperty(True)
    driver_offer = StringProperty("")  # "Add <name> as your helper?" while the driver is not one

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shown: list | None = None

    def refresh(self, force: bool = True) -> None:
        if not force:
            return
        helpers = self.reminders.helpers.all()
        if helpers != self._shown:  # the rows are built again only when they change
            self._shown = helpers
            rows = self.ids.rows
            rows.clear_widgets()
            for helper in helpers:
                detail = ", ".join(part for part in (helper.relation, helper.phone) if part)
                rows.add_widget(
                    HelperRow(helper_id=helper.id, name=helper.name, detail=detail, section=self)
                )
        self.empty = not helpers
        self._driver = self._driver_not_yet_helper(helpers)
        self.driver_offer = (
            _("Add {name} as your helper?").format(name=self._driver.name) if self._driver else ""
        )

    def _driver_not_yet_helper(self, helpers):
        """The driver the patient already named (in the guide or on the checklist), when no
        helper has that name: offered, so the patient is not asked for them a third time."""
        plan = self.screen.services.plan
        upcoming = next_procedure(plan.procedures(cycle=plan.current_cycle()), self.clock.now())
        driver = ride_home(plan.driver(), plan.marks(upcoming.id) if upcoming else {})
        names = {helper.name.casefold() for helper in helpers}
        return driver if driver is not None and driver.name.casefold() not in names else None

    def add_driver(self) -> None:
        """Save the driver as a helper; a missing phone number is asked for at its field,
        with the name already filled in."""
        driver = self._driver
        self.ids.name.text, self.ids.phone.text = driver.name, driver.phone
        self.ids.relation.text = _(self.DRIVER_RELATION)
        self.save()

    def save(self) -> None:
        raw = {field: self.ids[field].text for field in self.FIELDS}
        self.save_with(
            self.reminders.add_caregiver,
            raw,
            lambda helper: _("Helper saved: {name}.").format(name=helper.name),
        )

    def has_input(self) -> bool:
        return any(self.ids[field].text.strip() for field in self.FIELDS)

    def clear_form(self) -> None:
        for field in self.FIELDS:
            self.ids[field].text = ""
        super().clear_form()

    def remove(self, helper_id: int, name: str) -> None:
        helpers = self.reminders.helpers
        self.remove_with_undo(
            lambda item: helpers.remove(item, now=self.clock.now()),
            helpers.restore,
            helper_id,
            _("{name} removed.").format(name=name),
            _("{name} is back in your helpers.").format(name=name),
        )


load_kv_beside(__file__)
