"""The patient's language and the clinic's report language, kept in the settings.

The patient chooses English or Español on the guide's first page or in Settings; it is stored
and applied at start-up, and a change is used from the next screen on (app.i18n looks the
language up on every call). The clinic chooses the language of the clinician's part of a report
(Settings' clinic part); until it does, that is the patient's language.
"""

from __future__ import annotations

from app import i18n
from app.store.settings_repository import SettingsRepository

LANGUAGE_KEY = "language"  # the patient's
CLINIC_LANGUAGE_KEY = "clinic.report_language"  # the clinic's; unset: the patient's language


def patient_language(settings: SettingsRepository) -> str:
    """The stored language code; English when none (or an unknown one) is stored."""
    return i18n.checked_language(settings.get(LANGUAGE_KEY))


def apply_patient_language(settings: SettingsRepository) -> str:
    """At start-up: the stored language becomes the app's. Returns its code."""
    code = patient_language(settings)
    i18n.set_language(code)
    return code


def choose_language(settings: SettingsRepository, code: str) -> None:
    """The patient's choice: used from now on and at every start."""
    i18n.set_language(code)
    settings.put(LANGUAGE_KEY, code)


def clinic_language(settings: SettingsRepository) -> str:
    """The language of the clinician's fixed fields in a report: the clinic's choice, else the
    patient's language."""
    chosen = settings.get(CLINIC_LANGUAGE_KEY)
    return chosen if chosen in i18n.LANGUAGES else patient_language(settings)


def clinic_language_chosen(settings: SettingsRepository) -> str | None:
    """The clinic's own choice, or None when it follows the patient's language."""
    chosen = settings.get(CLINIC_LANGUAGE_KEY)
    return chosen if chosen in i18n.LANGUAGES else None


def choose_clinic_language(settings: SettingsRepository, code: str | None) -> None:
    """The clinic's choice; None: follow the patient's language."""
    if code is None:
        settings.remove(CLINIC_LANGUAGE_KEY)
    else:
        if code not in i18n.LANGUAGES:
            raise ValueError(f"unknown language {code!r}")
        settings.put(CLINIC_LANGUAGE_KEY, code)
