"""The Reports screen in Spanish at the largest text, as a patient meets it: its words from the
Spanish catalog, a PDF saved from it with the clinician's fields in the clinic's language, and
a screenshot in portrait that was looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from app import i18n
from app.services.language import choose_clinic_language, choose_language
from app.store.database import open_database
from app.store.settings_repository import SettingsRepository
from app.ui.theme import LARGEST_TEXT_SCALE

SHOTS = Path("/tmp/shots-reports")


@pytest.fixture
def spanish(data_dir):
    """The patient chose Español (stored, as Settings does); English again after the test."""
    choose_language(SettingsRepository(open_database(data_dir)), "es")
    yield i18n.translation("es").gettext
    i18n.set_language("en")


def wait_for_report(ui, seconds: float = 20.0) -> None:
    ui.wait_until(
        lambda: not ui.screen.busy and ui.screen.result_text,
        "the report to be written",
        timeout=seconds,
    )


@pytest.mark.parametrize("clinic, heading", [("en", "Procedures"), ("es", "Procedimientos")])
def test_reports_in_spanish_at_200_with_the_clinic_language(
    start_app, data_dir, tmp_path, spanish, clinic, heading
):
    choose_clinic_language(SettingsRepository(open_database(data_dir)), clinic)
    ui = start_app(size=(800, 1280))
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("reports", folder=str(tmp_path))
    ui.settle()
    texts = ui.visible_texts()
    for english in ("1. Choose the folder", "2. Your details (optional)", "Your name"):
        assert spanish(english) != english and spanish(english) in texts, english
    ui.screenshot(SHOTS / f"reports-es-200-800x1280-clinic-{clinic}.png")
    ui.tap_text(spanish("PDF: a one-page summary for your doctor"))
    wait_for_report(ui)
    screen = ui.screen
    assert screen.result_ok, screen.result_text
    assert screen.result_text.startswith("Guardado: ")
    assert screen.progress_text == "Listo: 100 %"
    [pdf] = tmp_path.glob("*.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert heading in text
