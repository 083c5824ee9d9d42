"""The medication review: one listed medicine against the clinic's instructions for one
procedure, in the clinic's words and never the app's own."""

import pytest

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
from app.services.resources import medicines

MEDICINES = medicines()

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
