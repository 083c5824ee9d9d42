"""The clinic's settings as staff change them on the Settings page: checked by the domain
(`validate_clinic`), then saved, so nothing unchecked reaches what patients are shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.clinic import ClinicSettings, validate_clinic
from app.store.connection import Database
from app.store.settings_repository import SettingsRepository


class ClinicService:
    def __init__(self, db: Database) -> None:
        self._settings = SettingsRepository(db)

    def save(self, raw: Mapping[str, Any]) -> ClinicSettings:
        """Check the clinic's form (raises `ClinicInputError` naming each field that is not
        right, and saves nothing then) and save it; returns the settings as saved."""
        clinic = validate_clinic(raw)
        self._settings.save_clinic(clinic)
        return clinic
