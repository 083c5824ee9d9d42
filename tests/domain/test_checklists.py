import re
from datetime import UTC, datetime

import pytest

from app.domain.checklists import (
    GROUP_TITLES,
    grouped,
    item_note,
    known_answers,
    open_items,
    ride_home,
    step_is_done,
    step_mark_id,
)
from app.domain.clinic import ClinicSettings
from app.domain.grammar import with_article
from app.domain.medications import CLASS_LABELS
from app.domain.medicine_review import (
    KEEP_TAKING_NOTE,
    KIND_PHRASES,
    MedicineNote,
    ReviewedMedicine,
    review_medicine,
)
from app.domain.plan import ChecklistMark, Contact
from app.services.pathways import builtin_pathway
from app.services.resources import medicines

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
PATHWAY = builtin_pathway("lumbar")
MEDICINES = medicines()


def ticked(*ids, checked=True):
    return {item_id: ChecklistMark(checked, "", AT) for item_id in ids}


def step_with_required_items():
    return next(
        step for step in PATHWAY.steps if any(PATHWAY.item(i).required for i in step.checklist)
    )


def test_a_step_is_done_when_every_required_item_it_shows_is_ticked():
    step = step_with_required_items()
    required = [i for i in step.checklist if PATHWAY.item(i).required]
    assert not step_is_done(step, PATHWAY, {}, sedation=True)
    assert not step_is_done(step, PATHWAY, ticked(*required[:-1]), sedation=True)
    assert step_is_done(step, PATHWAY, ticked(*required), sedation=True)


def test_marking_a_step_itself_wins_either_way():
    step = step_with_required_items()
    required = [i for i in step.checklist if PATHWAY.item(i).required]
    assert step_is_done(step, PATHWAY, ticked(step_mark_id(step.id)), sedation=True)
    undone = {**ticked(*required), **ticked(step_mark_id(step.id), checked=False)}
    assert not step_is_done(step, PATHWAY, undone, sedation=True)


def test_a_step_without_items_is_done_only_when_marked():
    step = next(step for step in PATHWAY.steps if not step.checklist)
    assert not step_is_done(step, PATHWAY, {}, sedation=None)


def test_sedation_only_items_stay_open_unless_the_clinic_said_it_does_not_sedate():
    sedation_items = [
        i for i in PATHWAY.checklist_for("rfa") if i.only_if == "sedation" and i.required
    ]
    assert sedation_items, "the built-in RFA checklist has fasting items"
    for answer in (True, None):
        still_open = {i.id for i in open_items(PATHWAY, "rfa", {}, sedation=answer)}
        assert {i.id for i in sedation_items} <= still_open
    no_sedation = {i.id for i in open_items(PATHWAY, "rfa", {}, sedation=False)}
    assert not {i.id for i in sedation_items} & no_sedation


def test_open_items_are_the_required_unticked_ones_in_pathway_order():
    items = open_items(PATHWAY, "test-block", {}, sedation=False)
    assert items and all(i.required for i in items)
    first = items[0].id
    assert [i.id for i in open_items(PATHWAY, "test-block", ticked(first), sedation=False)] == [
        i.id for i in items[1:]
    ]


def test_groups_come_in_a_fixed_order_with_plain_titles():
    titles = [title for title, _ in grouped(list(PATHWAY.checklist_for("rfa")))]
    known = list(GROUP_TITLES.values())
    assert titles == sorted(titles, key=known.index)
    assert titles[0] == "Your ride home"


def test_the_driver_named_in_the_plan_fills_the_ride_answers():
    assert known_answers(None) == {}
    answers = known_answers(Contact("Maria", "555 0142"))
    assert answers == {"ride-driver-name": "Maria", "ride-driver-phone": "555 0142"}
    assert all(PATHWAY.item(item_id) is not None for item_id in answers)


# ---------------------------------------------------------------- things to tell the clinic

TELL_EVERY_PROCEDURE = {
    "tell-pregnancy",
    "tell-allergies",
    "tell-infection",
    "tell-blood-thinner-change",
}


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_every_procedure_lists_the_things_to_tell_the_clinic(region):
    pathway = builtin_pathway(region)
    for kind in ("test-block", "confirm-block", "rfa"):
        tell = {i.id for i in pathway.checklist_for(kind) if i.group == "tell-clinic"}
        expected = TELL_EVERY_PROCEDURE | ({"tell-implanted-device"} if kind == "rfa" else set())
        assert tell == expected, kind
    words = " ".join(pathway.item(i).text for i in TELL_EVERY_PROCEDURE).lower()
    for thing in (
        "pregnant",
        "local anaesthetic",
        "contrast",
        "iodine",
        "latex",
        "fever",
        "infection",
        "blood thinner is started or changed",
    ):
        assert thing in words, thing
    assert dict(grouped(list(pathway.checklist_for("rfa"))))["Things to tell your clinic"]


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_things_to_tell_are_never_instructions(region):
    pathway = builtin_pathway(region)
    for item in pathway.checklist:
        if item.group == "tell-clinic":
            assert (
                "tell your clinic" in item.text.lower()
                or "told your clinic" in item.text.lower()
                or "your clinic knows" in item.text.lower()
            ), item.id
            assert not re.search(
                r"\b(stop|pause|skip|hold|switch off|turn off)\b", item.text.lower()
            ), item.id


@pytest.mark.parametrize("region", ["lumbar", "cervical"])
def test_the_implanted_device_question_comes_before_rfa_only(region):
    pathway = builtin_pathway(region)
    device = pathway.item("tell-implanted-device")
    assert device.procedures == ("rfa",) and device.required
    for word in (
        "pacemaker",
        "defibrillator",
        "spinal cord stimulator",
        "pump",
        "implanted device",
    ):
        assert word in device.text
    assert device.clinic_setting == "implanted_device_text"
    assert all(
        device not in pathway.checklist_for(kind) for kind in ("test-block", "confirm-block")
    )
    shown_by = [s for s in pathway.steps if device.id in s.checklist]
    assert shown_by and all(s.phase == "before" for s in shown_by)


def test_an_items_clinic_note_is_the_clinics_text_or_tell_them_before_the_day():
    device = PATHWAY.item("tell-implanted-device")
    assert item_note(device, ClinicSettings(name="Riverside", phone="555 0100"), "rfa") == (
        "If you have one, please tell Riverside on 555 0100 before the day."
    )
    own = ClinicSettings(implanted_device_text="We will call your cardiologist.")
    assert item_note(device, own, "rfa") == "We will call your cardiologist."
    assert item_note(PATHWAY.item("bring-id"), own, "rfa") == ""


# ---------------------------------------------------------------- the medication review

CLINIC = ClinicSettings(
    name="Riverside",
    phone="555 0100",
    uses_sedation=True,
    antiplatelet_hold_text="Keep your aspirin unless we say otherwise.",
    diabetes_text="Bring your sugar readings.",
    glp1_text="Tell us at booking if you take a weekly injection.",
    pain_medicine_hold_text="No pain medicine for the diary's 8 hours.",
)


def test_an_nsaid_on_an_rfa_checklist_never_shows_the_blocks_pain_medicine_text():
    block = review_medicine("Advil 200mg", CLINIC, "test-block", MEDICINES)
    assert block.kind_text == "This is an anti-inflammatory pain medicine."
    assert block.instruction == CLINIC.pain_medicine_hold_text
    rfa = review_medicine("Advil 200mg", CLINIC, "rfa", MEDICINES)
    assert CLINIC.pain_medicine_hold_text not in rfa.instruction
    assert "pain medicine before an RFA" in rfa.instruction
    assert "Please call Riverside on 555 0100" in rfa.instruction
    own = ClinicSettings(pain_medicine_hold_text="Block text.", rfa_pain_medicine_text="RFA text.")
    assert review_medicine("Advil", own, "rfa", MEDICINES).instruction == "RFA text."


@pytest.mark.parametrize(
    "typed, kind_text",
    [
        ("ibuprofen", "This is an anti-inflammatory pain medicine."),
        ("Plavix", "This is an antiplatelet medicine (also thins the blood)."),
        ("Eliquis", "This is a blood thinner."),
        ("tramadol", "This is an opioid pain medicine."),
        ("Lyrica", "This is a nerve pain medicine (gabapentin or pregabalin)."),
        ("Tylenol", "This is a paracetamol (acetaminophen) pain medicine."),
        ("Wegovy", "This is a GLP-1 medicine (it slows down the stomach)."),
    ],
)
def test_each_kind_is_named_with_the_right_article(typed, kind_text):
    assert review_medicine(typed, CLINIC, "test-block", MEDICINES).kind_text == kind_text


def test_every_kind_phrase_the_rule_builds_is_listed_for_translation():
    assert sorted(KIND_PHRASES) == sorted(with_article(label) for label in CLASS_LABELS.values())


def test_a_weight_loss_glp1_brand_shows_the_glp1_instruction_and_is_never_a_diabetes_medicine():
    for brand in ("Wegovy", "Zepbound", "Saxenda"):
        reviewed = review_medicine(brand, CLINIC, "rfa", MEDICINES)
        assert "diabetes" not in reviewed.kind_text.lower()
        assert reviewed.notes == (MedicineNote("GLP-1 medicines and sedation", CLINIC.glp1_text),)
    ozempic = review_medicine("Ozempic", CLINIC, "rfa", MEDICINES)
    assert (
        ozempic.kind_text == "This is a GLP-1 medicine (it slows down the stomach) and a "
        "diabetes medicine."
    )
    assert [n.text for n in ozempic.notes] == [CLINIC.glp1_text, CLINIC.diabetes_text]


def test_a_product_of_two_kinds_shows_both_with_each_instruction():
    reviewed = review_medicine("Excedrin Extra Strength", CLINIC, "test-block", MEDICINES)
    assert reviewed.kind_text == (
        "Excedrin contains aspirin, paracetamol and caffeine. This is an antiplatelet medicine "
        "(also thins the blood) and a paracetamol (acetaminophen) pain medicine."
    )
    assert reviewed.instruction == (
        "Aspirin and other antiplatelet medicines: Keep your aspirin unless we say otherwise."
        "\n\nPain medicine before a block: No pain medicine for the diary's 8 hours."
    )
    soliqua = review_medicine("Soliqua", CLINIC, "rfa", MEDICINES)
    assert [n.title for n in soliqua.notes] == [
        "Diabetes medicines",
        "GLP-1 medicines and sedation",
    ]


def test_two_pain_kinds_share_one_instruction_and_opioids_are_never_stopped_on_the_apps_word():
    reviewed = review_medicine("Percocet 5/325", CLINIC, "test-block", MEDICINES)
    assert [n.text for n in reviewed.notes] == [CLINIC.pain_medicine_hold_text, KEEP_TAKING_NOTE]
    gabapentin = review_medicine("gabapentin 300mg", CLINIC, "rfa", MEDICINES)
    assert KEEP_TAKING_NOTE in gabapentin.instruction
    assert KEEP_TAKING_NOTE not in review_medicine("Advil", CLINIC, "rfa", MEDICINES).instruction


def test_without_the_clinics_words_every_kind_asks_the_patient_to_call():
    empty = ClinicSettings(name="Riverside", phone="555 0100", uses_sedation=True)
    for typed in (
        "Eliquis",
        "aspirin",
        "metformin",
        "Wegovy",
        "Advil",
        "oxycodone",
        "Tylenol",
        "gabapentin",
    ):
        for kind in ("test-block", "rfa"):
            reviewed = review_medicine(typed, empty, kind, MEDICINES)
            assert reviewed.notes, typed
            assert "Please call Riverside on 555 0100 and ask." in reviewed.instruction, typed


def test_a_typo_asks_did_you_mean_and_an_unknown_medicine_shows_nothing():
    reviewed = review_medicine("Wegovvy", CLINIC, "rfa", MEDICINES)
    assert reviewed.kind_text.startswith("Did you mean Wegovy? This is a GLP-1 medicine")
    unknown = review_medicine("vitamin D", CLINIC, "rfa", MEDICINES)
    assert unknown == ReviewedMedicine("vitamin D", "", ())


# --- one truth about the driver -----------------------------------------------------------------

DRIVER = Contact("Maria Lopez", "07700 900123")


def saved(item_id, value, checked=True):
    return {item_id: ChecklistMark(checked, value, AT)}


def test_the_guides_driver_answers_the_driver_items_of_the_to_do_list():
    before = {i.id for i in open_items(PATHWAY, "test-block", {}, sedation=True)}
    assert {"ride-driver-name", "ride-driver-phone"} <= before
    after = {
        i.id
        for i in open_items(PATHWAY, "test-block", {}, sedation=True, known=known_answers(DRIVER))
    }
    assert after == before - {"ride-driver-name", "ride-driver-phone"}


def test_a_mark_the_patient_saved_decides_over_what_the_plan_knows():
    emptied = saved("ride-driver-name", "", checked=False)
    still_open = {
        i.id
        for i in open_items(
            PATHWAY, "test-block", emptied, sedation=True, known=known_answers(DRIVER)
        )
    }
    assert "ride-driver-name" in still_open and "ride-driver-phone" not in still_open


def test_a_step_of_driver_items_is_done_by_the_guides_driver():
    step = next(
        s
        for s in PATHWAY.steps
        if "ride-driver-name" in s.checklist and "ride-driver-phone" in s.checklist
    )
    others = [
        i
        for i in step.checklist
        if i not in ("ride-driver-name", "ride-driver-phone") and PATHWAY.item(i).required
    ]
    marks = ticked(*others)
    assert not step_is_done(step, PATHWAY, marks, sedation=True)
    assert step_is_done(step, PATHWAY, marks, sedation=True, known=known_answers(DRIVER))


def test_the_driver_is_the_guides_or_else_the_one_written_on_the_checklist():
    assert ride_home(DRIVER, {}) == DRIVER
    checklist = {**saved("ride-driver-name", " Sam "), **saved("ride-driver-phone", "555 0101")}
    assert ride_home(None, checklist) == Contact("Sam", "555 0101")
    assert ride_home(DRIVER, checklist) == DRIVER
    assert ride_home(None, saved("ride-driver-name", "Sam")) == Contact("Sam", "")
    assert ride_home(None, saved("ride-driver-name", "", checked=False)) is None
    assert ride_home(None, {}) is None
