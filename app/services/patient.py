"""The patient's name and date of birth, for the reports: what was typed is checked by the
domain (`validate_patient`), then saved, so a screen never saves details it has not checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.dates import local_date
from app.domain.patient import PatientDetails, validate_patient
from app.services.clock import Clock
from app.store.block_diary_repository import PatientRepository
from app.store.connection import Database


class PatientService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._patients = PatientRepository(db)
        self._clock = clock

    def save_details(self, raw: Mapping[str, Any]) -> PatientDetails:
        """Check the typed name and birth date (raises `PatientInputError` naming each field
        that is not right; a birth date in the future is one) and save them when they differ
        from the saved ones. Empty fields forget them."""
        details = validate_patient(raw, today=local_date(self._clock.now(), self._clock.zone()))
        if details != self._patients.details():
            self._patients.save(details)
        return details
