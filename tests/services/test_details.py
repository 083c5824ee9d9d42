"""The patient's details for reports and the clinic's settings: what was typed is checked by
the domain, then saved; nothing is saved when any of it is not right. A real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.clinic import ClinicInputError
from app.domain.patient import PatientDetails, PatientInputError
from app.services.clinic import ClinicService
from app.services.clock import FixedClock
from app.services.patient import PatientService
from app.store.block_diary_repository import PatientQueries
from app.store.settings_repository import SettingsRepository

NOW = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # already 29 November in Auckland


def test_patient_details_are_checked_then_saved(fresh_db):
    patients = PatientService(fresh_db, FixedClock(NOW, "Pacific/Auckland"))
    saved = patients.save_details({"name": "  Ana Ruiz ", "birth_date": "1950-03-04"})
    assert saved == PatientDetails("Ana Ruiz", date(1950, 3, 4))
    assert PatientQueries(fresh_db).details() == saved


def test_a_birth_date_in_the_future_is_refused_by_the_patients_own_date(fresh_db):
    patients = PatientService(fresh_db, FixedClock(NOW, "Pacific/Auckland"))
    patients.save_details({"name": "Ana Ruiz", "birth_date": "2026-11-29"})  # today there
    with pytest.raises(PatientInputError) as refused:
        patients.save_details({"name": "Someone else", "birth_date": "2026-11-30"})
    assert list(refused.value.errors) == ["birth_date"]
    assert PatientQueries(fresh_db).details() == PatientDetails("Ana Ruiz", date(2026, 11, 29))


def test_empty_details_forget_the_saved_ones(fresh_db):
    patients = PatientService(fresh_db, FixedClock(NOW, "UTC"))
    patients.save_details({"name": "Ana Ruiz", "birth_date": ""})
    patients.save_details({"name": "", "birth_date": ""})
    assert PatientQueries(fresh_db).details() == PatientDetails()
    assert fresh_db.execute("SELECT count(*) FROM patient_details").fetchone()[0] == 0


def test_the_clinics_settings_are_checked_then_saved(fresh_db):
    settings = SettingsRepository(fresh_db)
    saved = ClinicService(fresh_db).save({"name": "Riverside Spine", "phone": "555 0199"})
    assert settings.clinic() == saved
    assert (saved.name, saved.phone) == ("Riverside Spine", "555 0199")
    with pytest.raises(ClinicInputError) as refused:
        ClinicService(fresh_db).save({"name": "Other", "phone": "call us"})
    assert list(refused.value.errors) == ["phone"]
    assert settings.clinic() == saved
