"""What is done and what is still open, from a pathway and the marks the patient saved. The
patient's medicines, reviewed against the clinic's instructions, are medicine_review.py's."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.clinic import ClinicSettings, clinic_note
from app.domain.pathway import ChecklistItem, Pathway, Step
from app.domain.plan import ChecklistMark, Contact
from app.i18n import N_, _

GROUP_TITLES = {
    "ride": N_("Your ride home"),
    "medicines": N_("Your medicines"),
    "fasting": N_("Eating and drinking"),
    "pain-medicine": N_("Pain medicine before the block"),
    "diary": N_("Your pain diary"),
    "tell-clinic": N_("Things to tell your clinic"),
    "bring": N_("What to bring and wear"),
    "home-help": N_("Help at home"),
    "time-off": N_("Time off"),
}


# Checklist answers the plan already knows: the driver the patient named in the guide.
DRIVER_NAME_ITEM = "ride-driver-name"
DRIVER_PHONE_ITEM = "ride-driver-phone"
PICKUP_TIME_ITEM = "caregiver-pickup-time"  # when the helper picks the patient up (HH:MM)


def known_answers(driver) -> dict[str, str]:
    """Values to show in still-empty checklist answers, from the plan's driver (a Contact)."""
    if driver is None:
        return {}
    return {DRIVER_NAME_ITEM: driver.name, DRIVER_PHONE_ITEM: driver.phone}


def ride_home(driver: Contact | None, marks: Mapping[str, ChecklistMark]) -> Contact | None:
    """Who drives the patient home: the driver named in the guide, else the name (and phone)
    saved on this procedure's checklist; None when neither has one."""
    if driver is not None:
        return driver
    name, phone = marks.get(DRIVER_NAME_ITEM), marks.get(DRIVER_PHONE_ITEM)
    if name is None or not name.value.strip():
        return None
    return Contact(name.value.strip(), phone.value.strip() if phone else "")


def step_mark_id(step_id: str) -> str:
    """The checklist-mark id under which a step itself is marked done."""
    return f"step:{step_id}"


def is_answered(item_id: str, marks: Mapping[str, ChecklistMark], known: Mapping[str, str]) -> bool:
    """Ticked or saved by the patient; an item they never touched is answered when the plan
    already knows the answer (`known`, from `known_answers`: the guide's driver), so a driver
    entered once counts everywhere. A mark the patient saved, even an emptied one, decides."""
    mark = marks.get(item_id)
    if mark is not None:
        return mark.checked
    return bool(known.get(item_id))


def applies(item: ChecklistItem, sedation: bool | None) -> bool:
    """Sedation-only items apply unless the clinic said it does not sedate (None: not said)."""
    return item.only_if != "sedation" or sedation is not False


def step_is_done(
    step: Step,
    pathway: Pathway,
    marks: Mapping[str, ChecklistMark],
    *,
    sedation: bool | None,
    known: Mapping[str, str] | None = None,
) -> bool:
    """Done when the patient marked it so, or when every required item it shows is answered
    (`known`: what the plan already knows, as in `is_answered`)."""
    manual = marks.get(step_mark_id(step.id))
    if manual is not None:
        return manual.checked
    required = [
        item
        for item in (pathway.item(item_id) for item_id in step.checklist)
        if item is not None and item.required and applies(item, sedation)
    ]
    return bool(required) and all(is_answered(item.id, marks, known or {}) for item in required)


def open_items(
    pathway: Pathway,
    kind: str,
    marks: Mapping[str, ChecklistMark],
    *,
    sedation: bool | None,
    known: Mapping[str, str] | None = None,
) -> list[ChecklistItem]:
    """Required items for one procedure that are not answered yet, in pathway order."""
    return [
        item
        for item in pathway.checklist_for(kind, sedation=sedation)
        if item.required and not is_answered(item.id, marks, known or {})
    ]


def grouped(items: list[ChecklistItem]) -> list[tuple[str, list[ChecklistItem]]]:
    """Items under their group titles, groups in the order GROUP_TITLES lists them."""
    groups: dict[str, list[ChecklistItem]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    order = list(GROUP_TITLES)
    return [
        (
            _(GROUP_TITLES[group])
            if group in GROUP_TITLES
            else group.replace("-", " ").capitalize(),
            groups[group],
        )
        for group in sorted(groups, key=lambda g: order.index(g) if g in order else len(order))
    ]


def item_note(item: ChecklistItem, clinic: ClinicSettings, kind: str) -> str:
    """The clinic's words an item shows under its text (its `clinic_setting`), or ""."""
    return clinic_note(clinic, item.clinic_setting, kind=kind) if item.clinic_setting else ""
