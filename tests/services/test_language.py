"""The patient's language and the clinic's report language, stored in a real settings table."""

from __future__ import annotations

from datetime import date

import pytest

from app import i18n
from app.domain.dates import day_label
from app.services.language import (
    apply_patient_language,
    choose_clinic_language,
    choose_language,
    clinic_language,
    patient_language,
)
from app.store.settings_repository import SettingsRepository


@pytest.fixture
def settings(fresh_db) -> SettingsRepository:
    return SettingsRepository(fresh_db)


def test_english_until_the_patient_chooses(settings):
    assert patient_language(settings) == "en"
    assert apply_patient_language(settings) == "en"
    assert i18n._("Today") == "Today"


def test_a_chosen_language_is_used_at_once_and_at_the_next_start(settings):
    choose_language(settings, "es")
    assert i18n._("Today") == "Hoy"
    i18n.set_language("en")  # as a new start begins
    assert apply_patient_language(settings) == "es"
    assert day_label(date(2026, 12, 1), date(2026, 12, 1)) == "Hoy, martes, 1 de diciembre"


def test_an_unknown_stored_language_reads_as_english(settings):
    settings.put("language", "xx")
    assert apply_patient_language(settings) == "en"


def test_the_clinic_language_follows_the_patient_until_the_clinic_chooses(settings):
    assert clinic_language(settings) == "en"
    choose_language(settings, "es")
    assert clinic_language(settings) == "es"
    choose_clinic_language(settings, "en")
    assert clinic_language(settings) == "en"
    assert patient_language(settings) == "es"
    choose_clinic_language(settings, None)
    assert clinic_language(settings) == "es"
    with pytest.raises(ValueError):
        choose_clinic_language(settings, "fr")


def test_the_report_words_of_a_second_language_beside_the_patients(settings):
    choose_language(settings, "es")
    assert i18n.translation("en").gettext("Today") == "Today"
    assert (
        i18n.translation("es").ngettext("in {count} day", "in {count} days", 3)
        == "dentro de {count} días"
    )
    with i18n.in_language("en"):
        assert i18n._("Today") == "Today"
    assert i18n._("Today") == "Hoy"
