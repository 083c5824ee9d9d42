"""What is done and what is still open, from a pathway and the marks the patient saved; and the
patient's medicines reviewed against the clinic's instructions for one procedure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.clinic import STEP_SETTINGS, ClinicSettings, clinic_note, medicine_setting
from app.domain.grammar import with_article
from app.domain.medications import CLASS_LABELS, MedicineList, recognise_all
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


# --- the medication review -------------------------------------------------------------------

# Kinds of medicine a patient may have been told never to stop: the app does not say otherwise.
KEEP_TAKING_CLASSES = ("opioid", "gabapentinoid")
KEEP_TAKING_NOTE = N_(
    "Please do not stop or change this medicine unless your clinic or the doctor who prescribes "
    "it tells you to."
)
# Each kind as "This is {kinds}." names it. English builds the phrase by its a/an rule
# (with_article); the phrases are listed here so that the catalogs translate each one whole
# (tests/domain/test_checklists.py checks that this list and the rule agree).
KIND_PHRASES = (
    N_("a blood thinner"),
    N_("an antiplatelet medicine (also thins the blood)"),
    N_("a diabetes medicine"),
    N_("a GLP-1 medicine (it slows down the stomach)"),
    N_("an anti-inflammatory pain medicine"),
    N_("an opioid pain medicine"),
    N_("a paracetamol (acetaminophen) pain medicine"),
    N_("a nerve pain medicine (gabapentin or pregabalin)"),
)


@dataclass(frozen=True)
class MedicineNote:
    title: str  # what the instruction is about: "Blood thinners"; "" for the app's own reminder
    text: str  # the clinic's own words, or a request to call the clinic


@dataclass(frozen=True)
class ReviewedMedicine:
    """One line of the patient's Medicines list, as the review shows it for one procedure.

    `kind_text` names the kinds ("This is an opioid pain medicine."), "" when none is recognised;
    `notes` hold the clinic's instruction for each kind, once each, in the order of the kinds.
    """

    name: str
    kind_text: str
    notes: tuple[MedicineNote, ...]

    @property
    def instruction(self) -> str:
        """The notes as one text; each named by its title when there is more than one."""
        titled = sum(1 for note in self.notes if note.title) > 1
        return "\n\n".join(
            f"{note.title}: {note.text}" if titled and note.title else note.text
            for note in self.notes
        )


def review_medicine(
    name: str, clinic: ClinicSettings, kind: str, medicines: MedicineList
) -> ReviewedMedicine:
    """What the app knows about one listed medicine before a `kind` procedure, from the list of
    medicines the app recognises (`medicines`).

    A product of two kinds (Excedrin: aspirin and paracetamol) shows both, each with the clinic's
    instruction for this procedure: a pain medicine on an RFA checklist shows the clinic's RFA
    text, never the block's. Nothing here is an instruction of the app's own.
    """
    found = recognise_all(name, medicines)
    if not found:
        return ReviewedMedicine(name, "", ())
    classes: list[str] = []
    for product in found:
        classes += [c for c in product.classes if c not in classes]
    guesses = [p.matched_name for p in found if not p.exact]
    sentences = [_("Did you mean {names}?").format(names=_joined(guesses))] if guesses else []
    for product in found:
        if product.generic.casefold() != product.matched_name.casefold() and (
            " and " in product.generic or "," in product.generic
        ):
            sentences.append(
                _("{name} contains {generic}.").format(
                    name=product.matched_name, generic=product.generic
                )
            )
    kinds = [_(with_article(CLASS_LABELS[c])) for c in classes]
    sentences.append(_("This is {kinds}.").format(kinds=_joined(kinds)))
    notes: list[MedicineNote] = []
    settings_shown: set[str] = set()
    for drug_class in classes:
        setting = medicine_setting(drug_class, kind)
        if setting is None or setting in settings_shown:
            continue
        settings_shown.add(setting)
        notes.append(
            MedicineNote(_(STEP_SETTINGS[setting]), clinic_note(clinic, setting, kind=kind))
        )
    if any(c in KEEP_TAKING_CLASSES for c in classes):
        notes.append(MedicineNote("", _(KEEP_TAKING_NOTE)))
    return ReviewedMedicine(name, " ".join(sentences), tuple(notes))


def _joined(parts: list[str]) -> str:
    """ "a, b and c" in the patient's language."""
    if len(parts) == 1:
        return parts[0]
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])
