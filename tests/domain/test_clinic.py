"""The clinic's settings: checked with a friendly message per field, and shown in the steps that
need them, or a request to call the clinic while they are empty."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.clinic import (
    ClinicInputError,
    ClinicSettings,
    clinic_from_dict,
    clinic_note,
    clinic_to_dict,
    in_sentence,
    validate_clinic,
)

FULL = {
    "name": "Riverside Spine Clinic",
    "phone": "+1 (555) 010-0199",
    "address": "12 River Road, Suite 4",
    "emergency_number": "911",
    "uses_sedation": True,
    "fasting_text": "Nothing to eat for 6 hours before; clear water until 2 hours before.",
    "anticoagulant_hold_text": "Call us: we will agree a plan with your prescriber.",
    "antiplatelet_hold_text": "Keep taking aspirin unless we tell you otherwise.",
    "diabetes_text": "Check your sugar twice a day for three days.",
    "pain_medicine_hold_text": "No pain medicine on the morning of the block.",
    "rfa_pain_medicine_text": "Take your usual pain medicines on the day of the RFA.",
    "glp1_text": "Tell us at booking if you take a weekly GLP-1 injection.",
    "implanted_device_text": "Bring your device card; we will contact your cardiologist.",
    "arrival_minutes": {"test-block": 30, "confirm-block": "30", "rfa": 60},
    "relief_threshold_percent": 50,
    "lidocaine_hours": [1, 2.5],
    "bupivacaine_hours": (3, 8),
    "pathway_file": "/etc/clinic/lumbar.toml",
}


def test_defaults():
    clinic = ClinicSettings()
    assert clinic.relief_threshold_percent == 80
    assert clinic.lidocaine_hours == (1.0, 2.0) and clinic.bupivacaine_hours == (3.0, 8.0)
    assert clinic.emergency_number == "" and clinic.uses_sedation is None  # not said yet
    assert clinic.arrival_for("rfa") is None
    assert validate_clinic({}) == clinic


def test_a_full_form_is_accepted_and_survives_a_round_trip():
    clinic = validate_clinic(FULL)
    assert clinic.arrival_minutes == {"test-block": 30, "confirm-block": 30, "rfa": 60}
    assert clinic.lidocaine_hours == (1.0, 2.5)
    assert clinic.expected_hours("bupivacaine") == (3.0, 8.0)
    assert clinic.medicine_text("anticoagulant", "rfa") == FULL["anticoagulant_hold_text"]
    assert clinic.medicine_text("glp1", "test-block") == FULL["glp1_text"]
    assert clinic.medicine_text("unknown", "rfa") == ""
    for pain_class in ("nsaid", "opioid", "paracetamol", "gabapentinoid"):
        assert clinic.medicine_text(pain_class, "test-block") == FULL["pain_medicine_hold_text"]
        assert clinic.medicine_text(pain_class, "confirm-block") == FULL["pain_medicine_hold_text"]
        # The block's pain-medicine text never shows for an RFA.
        assert clinic.medicine_text(pain_class, "rfa") == FULL["rfa_pain_medicine_text"]
    assert clinic.implanted_device_text == FULL["implanted_device_text"]
    assert clinic_from_dict(clinic_to_dict(clinic)) == clinic


@pytest.mark.parametrize(
    "key, value, field, words",
    [
        ("phone", "call reception", "phone", "only digits"),
        ("phone", "+", "phone", "two digits"),
        ("phone", "1" * 31, "phone", "limit"),
        ("emergency_number", "nine-one-one", "emergency_number", "only digits"),
        ("name", "x" * 101, "name", "limit"),
        ("fasting_text", "x" * 1001, "fasting_text", "limit"),
        ("diabetes_text", "a\x00b", "diabetes_text", "cannot be saved"),
        ("glp1_text", "x" * 1001, "glp1_text", "GLP-1"),
        ("implanted_device_text", "x" * 1001, "implanted_device_text", "implanted device"),
        ("rfa_pain_medicine_text", "x" * 1001, "rfa_pain_medicine_text", "RFA pain medicine"),
        ("arrival_minutes", {"rfa": 241}, "arrival_minutes.rfa", "0 to 240"),
        ("arrival_minutes", {"rfa": -5}, "arrival_minutes.rfa", "0 to 240"),
        ("arrival_minutes", {"rfa": "soon"}, "arrival_minutes.rfa", "whole number"),
        ("arrival_minutes", {"surgery": 30}, "arrival_minutes.surgery", "not a procedure"),
        ("arrival_minutes", 30, "arrival_minutes", "each procedure"),
        ("relief_threshold_percent", 70, "relief_threshold_percent", "80%"),
        ("lidocaine_hours", [3, 1], "lidocaine_hours", "shortest first"),
        ("bupivacaine_hours", [0, 30], "bupivacaine_hours", "from 0 to 24"),
        ("bupivacaine_hours", "3-8", "bupivacaine_hours", "two numbers"),
        ("uses_sedation", "sometimes", "uses_sedation", "yes or no"),
    ],
)
def test_each_bad_field_has_its_own_message(key, value, field, words):
    with pytest.raises(ClinicInputError) as caught:
        validate_clinic({**FULL, key: value})
    assert words in caught.value.errors[field]


def test_empty_arrival_means_not_set():
    clinic = validate_clinic({"arrival_minutes": {"rfa": "", "test-block": None}})
    assert clinic.arrival_for("rfa") is None and clinic.arrival_for("test-block") is None


def test_stored_settings_are_read_leniently():
    stored = {**clinic_to_dict(validate_clinic(FULL)), "phone": "bad phone", "from_v9": 1}
    clinic = clinic_from_dict(stored)
    assert clinic.phone == ""  # the bad value falls back to its default
    assert clinic.name == FULL["name"]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(sorted(FULL) + ["other"]),
        st.one_of(
            st.none(),
            st.text(max_size=20),
            st.integers(),
            st.floats(),
            st.booleans(),
            st.lists(st.integers(-5, 30), max_size=3),
            st.dictionaries(st.text(max_size=12), st.integers(-10, 300), max_size=3),
        ),
    )
)
def test_any_stored_value_reads_back_as_settings(data):
    assert isinstance(clinic_from_dict(data), ClinicSettings)


RFA_AT = datetime(2026, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def test_notes_show_the_clinics_words():
    clinic = validate_clinic(FULL)
    assert clinic_note(clinic, "fasting_text", kind="rfa") == FULL["fasting_text"]
    assert clinic_note(clinic, "arrival_minutes", kind="rfa", local_at=RFA_AT) == (
        "Your clinic asks you to arrive 60 minutes before your appointment, at 08:00."
    )
    assert clinic_note(clinic, "address", kind="rfa") == FULL["address"]


def test_an_empty_setting_asks_the_patient_to_call_the_clinic():
    clinic = validate_clinic({"name": "Riverside", "phone": "555 0100", "uses_sedation": True})
    note = clinic_note(clinic, "anticoagulant_hold_text", kind="rfa")
    assert "Please call Riverside on 555 0100" in note
    assert "blood thinners" in note
    assert "when to arrive" in clinic_note(clinic, "arrival_minutes", kind="rfa")
    assert "call your clinic and ask" in clinic_note(
        ClinicSettings(uses_sedation=True), "fasting_text", kind="rfa"
    )


def test_no_fasting_instructions_when_the_clinic_does_not_sedate():
    assert "does not use sedation" in clinic_note(
        ClinicSettings(uses_sedation=False), "fasting_text", kind="rfa"
    )
    assert "call your clinic" in clinic_note(ClinicSettings(), "fasting_text", kind="rfa")


def test_an_empty_device_text_asks_to_tell_the_clinic_before_the_day_and_nothing_more():
    note = clinic_note(
        ClinicSettings(name="Riverside", phone="555 0100"), "implanted_device_text", kind="rfa"
    )
    assert note == "If you have one, please tell Riverside on 555 0100 before the day."
    assert clinic_note(ClinicSettings(), "implanted_device_text", kind="rfa") == (
        "If you have one, please tell your clinic before the day."
    )
    own = ClinicSettings(implanted_device_text="Bring your device card.")
    assert clinic_note(own, "implanted_device_text", kind="rfa") == "Bring your device card."


def test_glp1_notes_follow_the_clinic_and_its_sedation_answer():
    clinic = ClinicSettings(name="Riverside", uses_sedation=True)
    note = clinic_note(clinic, "glp1_text", kind="rfa")
    assert "GLP-1 medicines and sedation" in note and "Please call Riverside" in note
    no_sedation = ClinicSettings(uses_sedation=False)
    assert "does not use sedation" in clinic_note(no_sedation, "glp1_text", kind="rfa")
    own = ClinicSettings(uses_sedation=True, glp1_text="Skip your weekly dose the week before.")
    assert clinic_note(own, "glp1_text", kind="rfa") == "Skip your weekly dose the week before."


def test_a_label_keeps_its_capitals_inside_a_sentence():
    assert in_sentence("GLP-1 medicines and sedation") == "GLP-1 medicines and sedation"
    assert in_sentence("Pain medicine before an RFA") == "pain medicine before an RFA"
    assert in_sentence("Blood thinners") == "blood thinners"
    clinic = ClinicSettings()
    assert "about pain medicine before an RFA to the app" in clinic_note(
        clinic, "rfa_pain_medicine_text", kind="rfa"
    )
    assert "about blood thinners to the app" in clinic_note(
        clinic, "anticoagulant_hold_text", kind="rfa"
    )
