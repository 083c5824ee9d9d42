"""One medicine the patient listed, reviewed against the clinic's instructions for one procedure:
what kind of medicine it is and the clinic's own words about it. Nothing here is an instruction
of the app's own.

Apart from checklists.py so that Today, which counts open checklist items, opens without loading
the medicines list's code."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.clinic import STEP_SETTINGS, ClinicSettings, clinic_note, medicine_setting
from app.domain.grammar import with_article
from app.domain.medications import CLASS_LABELS, MedicineList, recognise_all
from app.i18n import N_, _

# Kinds of medicine a patient may have been told never to stop: the app does not say otherwise.
KEEP_TAKING_CLASSES = ("opioid", "gabapentinoid")
KEEP_TAKING_NOTE = N_(
    "Please do not stop or change this medicine unless your clinic or the doctor who prescribes "
    "it tells you to."
)
# Each kind as "This is {kinds}." names it. English builds the phrase by its a/an rule
# (with_article); the phrases are listed here so that the catalogs translate each one whole
# (tests/domain/test_medicine_review.py checks that this list and the rule agree).
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
