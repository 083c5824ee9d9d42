"""The medication review, the things to tell the clinic, the clinic's emergency number in a step
and the clinic's new instruction fields, as patients and staff meet them in a real window."""

from __future__ import annotations

from app.domain.clinic import ClinicSettings
from app.domain.plan import validate_procedure
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from app.ui.widgets.controls import AppButton
from app.ui.widgets.medication_review import MedicineRow

CLINIC = ClinicSettings(
    name="Riverside Spine Clinic",
    phone="555 0100",
    emergency_number="112",
    uses_sedation=True,
    glp1_text="Tell us at booking if you take a weekly GLP-1 injection.",
    pain_medicine_hold_text="No pain medicine for the 8 hours of the diary.",
    rfa_pain_medicine_text="Take your usual pain medicines on the day of the RFA.",
)


def seed(data_dir, clock, clinic: ClinicSettings = CLINIC):
    db = open_database(data_dir)
    SettingsRepository(db).save_clinic(clinic)
    plan = PlanRepository(db)
    procedures = [
        plan.add_procedure(
            validate_procedure(
                {"kind": kind, "region": "lumbar", "side": "both", "at": at},
                now=clock.now(),
                zone=clock.zone(),
            )
        )
        for kind, at in (("test-block", "2026-12-10T09:00"), ("rfa", "2027-01-14T09:00"))
    ]
    return plan, procedures


def add_medicine(ui, name: str) -> None:
    review = ui.screen._review
    ui.type_into(review.ids.new_medicine, name)
    ui.tap(ui.find_text("Add", review))


def row_of(ui, name: str) -> MedicineRow:
    return next(w for w in ui.widgets() if isinstance(w, MedicineRow) and w.name == name)


def test_the_review_names_a_weight_loss_glp1_brand_and_shows_the_clinics_text(
    start_app, clock, data_dir
):
    plan, (block, rfa) = seed(data_dir, clock)
    ui = start_app()
    ui.app.navigator.go("checklist", procedure_id=rfa.id)
    ui.settle()
    add_medicine(ui, "Wegovy 2.4 mg weekly")
    add_medicine(ui, "Excedrin")
    add_medicine(ui, "gabapentin 300mg")
    assert [m.name for m in plan.medicines()] == [
        "Wegovy 2.4 mg weekly",
        "Excedrin",
        "gabapentin 300mg",
    ]

    wegovy = row_of(ui, "Wegovy 2.4 mg weekly")
    texts = ui.visible_texts(wegovy)
    assert "This is a GLP-1 medicine (it slows down the stomach)." in texts
    assert CLINIC.glp1_text in texts
    assert not any("diabetes" in text.lower() for text in texts)

    excedrin = " ".join(ui.visible_texts(row_of(ui, "Excedrin")))
    assert (
        "This is an antiplatelet medicine (also thins the blood) and a paracetamol "
        "(acetaminophen) pain medicine." in excedrin
    )
    # On the RFA's checklist, the RFA's pain-medicine text, never the block's.
    assert CLINIC.rfa_pain_medicine_text in excedrin
    assert CLINIC.pain_medicine_hold_text not in excedrin
    assert "Please call Riverside Spine Clinic on 555 0100 and ask." in excedrin  # aspirin: unset

    gabapentin = " ".join(ui.visible_texts(row_of(ui, "gabapentin 300mg")))
    assert "This is a nerve pain medicine (gabapentin or pregabalin)." in gabapentin
    assert "Please do not stop or change this medicine" in gabapentin

    # The same list on the block's checklist shows the block's pain-medicine text.
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.text.startswith("Test block")))
    ui.settle()
    block_excedrin = " ".join(ui.visible_texts(row_of(ui, "Excedrin")))
    assert CLINIC.pain_medicine_hold_text in block_excedrin
    assert CLINIC.rfa_pain_medicine_text not in block_excedrin


def test_the_rfa_checklist_asks_about_implanted_devices_and_the_block_does_not(
    start_app, clock, data_dir
):
    plan, (block, rfa) = seed(data_dir, clock)
    ui = start_app()
    ui.app.navigator.go("checklist", procedure_id=rfa.id)
    ui.settle()
    texts = ui.visible_texts()
    assert "Things to tell your clinic" in texts
    question = next(
        t
        for t in texts
        if t.startswith("Do you have a pacemaker, defibrillator, spinal cord stimulator, pump")
    )
    # No device text from the clinic yet: tell them before the day, with their phone.
    assert (
        "If you have one, please tell Riverside Spine Clinic on 555 0100 before the day." in texts
    )
    ui.tap(ui.find_text(question).parent)
    assert plan.marks(rfa.id)["tell-implanted-device"].checked

    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.text.startswith("Test block")))
    ui.settle()
    texts = ui.visible_texts()
    assert "Things to tell your clinic" in texts
    assert not any(t.startswith("Do you have a pacemaker") for t in texts)
    assert any("allergic to numbing medicine (local anaesthetic)" in t for t in texts)


def test_a_step_gives_the_clinics_emergency_number(start_app, clock, data_dir):
    plan, (block, rfa) = seed(data_dir, clock)
    ui = start_app()
    ui.app.navigator.go("step", procedure_id=rfa.id, step_id="rfa-home")
    ui.settle()
    text = ui.screen.text
    assert "Call 112 for: new weakness or numbness in your legs" in text
    assert "a severe headache" in text and "{" not in text
    assert text in ui.visible_texts()


def test_the_device_step_shows_the_clinics_own_words_once(start_app, clock, data_dir):
    clinic = ClinicSettings(name="Riverside", implanted_device_text="Bring your device card.")
    plan, (block, rfa) = seed(data_dir, clock, clinic)
    ui = start_app()
    ui.app.navigator.go("step", procedure_id=rfa.id, step_id="rfa-tell-clinic")
    ui.settle()
    texts = ui.visible_texts()
    assert texts.count("Bring your device card.") == 1
    assert "From your clinic: implanted devices" in texts
    assert "call your clinic if you are not sure they know" in ui.screen.text.lower()

    ui.app.navigator.go("step", procedure_id=rfa.id, step_id="rfa-glp1")
    ui.settle()
    assert "From your clinic: GLP-1 medicines and sedation" in ui.visible_texts()


def test_the_new_clinic_texts_are_saved_and_read_back(start_app, data_dir):
    ui = start_app()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Settings" and isinstance(w, AppButton)))
    ui.settle()
    typed = {
        "glp1_text": "Skip your weekly injection the week before if you have sedation.",
        "rfa_pain_medicine_text": "Keep taking your usual pain medicines.",
        "implanted_device_text": "Bring your device card; we call your cardiologist.",
    }
    for field, text in typed.items():
        ui.type_into(ui.screen.ids[field], text)
    ui.tap_text("Save settings")
    ui.settle()
    saved = SettingsRepository(open_database(data_dir)).clinic()
    assert {field: getattr(saved, field) for field in typed} == typed

    ui = start_app()  # restart
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Settings" and isinstance(w, AppButton)))
    ui.settle()
    for field, text in typed.items():
        assert ui.screen.ids[field].text == text
    assert "GLP-1 medicines and sedation" in ui.visible_texts()
    assert "Implanted devices before RFA" in ui.visible_texts()

    # A change to a new field is guarded like the others.
    ui.type_into(ui.screen.ids.implanted_device_text, " Thank you.")
    ui.press_escape()
    question = ui.open_question()
    assert question.title == "Leave without saving?"
    ui.tap_text("Keep editing", question)
    ui.settle()
    assert (
        ui.screen.ids.implanted_device_text.text == typed["implanted_device_text"] + " Thank you."
    )


def test_a_too_long_device_text_is_refused_at_its_field(start_app, data_dir):
    ui = start_app()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Settings" and isinstance(w, AppButton)))
    ui.settle()
    ui.screen.ids.implanted_device_text.text = "x" * 1001
    ui.tap_text("Save settings")
    ui.settle()
    error = ui.screen.ids.implanted_device_text_error.text
    assert "implanted device" in error and error in ui.visible_texts()
    assert ui.screen.ids.implanted_device_text.text == "x" * 1001
    assert SettingsRepository(open_database(data_dir)).clinic().implanted_device_text == ""
