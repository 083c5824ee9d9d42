"""The language setting in a real window: chosen in Settings or on the guide's first page, used
by the next screen without a restart, kept for the next start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.language import clinic_language, patient_language
from app.store.database import open_database
from app.store.settings_repository import SettingsRepository
from app.ui.theme import LARGEST_TEXT_SCALE
from tests.ui.test_block_diary import add_procedure
from tests.ui.test_learn_and_settings import open_settings

SHOTS = os.environ.get("FACET_SHOTS")
TODAY_EN = "Today, Saturday 28 November"
TODAY_ES = "Hoy, sábado, 28 de noviembre"


def stored(data_dir: Path) -> SettingsRepository:
    return SettingsRepository(open_database(data_dir))


def choose(ui, name: str) -> None:
    ui.tap(ui.find_text(name, ui.screen.ids.language))
    ui.settle()


def test_spanish_chosen_in_settings_is_used_at_the_next_screens_and_kept(
    start_app, data_dir, clock
):
    add_procedure(
        data_dir,
        clock,
        kind="test-block",
        region="lumbar",
        side="left",
        at="2026-12-10T09:30",
        anaesthetic="lidocaine",
    )
    ui = start_app()
    assert TODAY_EN in ui.visible_texts()
    open_settings(ui)
    choose(ui, "Español")
    assert ui.screen.name == "settings"  # the same page, built again in Spanish
    assert "Idioma (Language)" in ui.visible_texts()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"
    assert TODAY_ES in ui.visible_texts()
    timeline = ui.app.navigator.go("timeline")
    ui.settle()
    today_row = [
        row["text"] for row in timeline.ids.path.data if row.get("viewclass") == "TodayMarkerRow"
    ]
    assert today_row == [TODAY_ES]
    assert patient_language(stored(data_dir)) == "es"

    ui = start_app()  # the next start: Spanish at once
    assert TODAY_ES in ui.visible_texts()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Ajustes"))  # Today's Settings tile
    ui.settle()
    choose(ui, "English")
    assert "Language" in ui.visible_texts()
    ui.press_escape()
    ui.settle()
    assert TODAY_EN in ui.visible_texts()


def test_what_was_typed_in_settings_stays_when_the_language_changes(start_app):
    ui = start_app()
    open_settings(ui)
    settings_page = ui.screen
    ui.type_into(settings_page.ids.name, "Riverside Spine Clinic")
    choose(ui, "Español")
    # The page holding unsaved input is kept as it is (its words change at its next visit).
    assert ui.screen is settings_page
    assert settings_page.ids.name.text == "Riverside Spine Clinic"
    ui.tap_text("Save settings")
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today" and TODAY_ES in ui.visible_texts()
    ui.app.navigator.go("settings")
    ui.settle()
    assert ui.screen is not settings_page  # built again, in Spanish
    assert "Idioma (Language)" in ui.visible_texts()
    assert ui.screen.ids.name.text == "Riverside Spine Clinic"


def test_the_guides_first_page_offers_the_language(start_app, data_dir):
    ui = start_app(first_run=True)
    assert ui.screen.name == "guide"
    choose(ui, "Español")
    assert ui.screen.name == "guide" and ui.screen.page == 0
    assert "Idioma (Language)" in ui.visible_texts()
    assert patient_language(stored(data_dir)) == "es"


def test_the_clinics_report_language_is_chosen_in_its_part_of_settings(start_app, data_dir):
    ui = start_app()
    open_settings(ui)
    choose(ui, "Español")
    assert clinic_language(stored(data_dir)) == "es"  # the patient's, until the clinic chooses
    report = ui.screen.ids.report_language
    ui.tap(ui.find_text("English", report))
    assert clinic_language(stored(data_dir)) == "en"
    assert patient_language(stored(data_dir)) == "es"
    ui.tap(ui.find_text("El idioma del paciente", report))
    assert clinic_language(stored(data_dir)) == "es"


@pytest.mark.skipif(not SHOTS, reason="screenshots only when FACET_SHOTS is set")
@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)])
def test_language_screenshots_in_spanish_at_the_largest_text(start_app, data_dir, size):
    ui = start_app(size=size, first_run=True)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    choose(ui, "Español")
    ui.screenshot(Path(SHOTS) / f"guide-es-{size[0]}x{size[1]}.png")
    ui.app.navigator.go("settings")
    ui.settle()
    ui.screenshot(Path(SHOTS) / f"settings-es-{size[0]}x{size[1]}.png")
    ui.screen.ids.scroll.scroll_to(ui.screen.ids.report_language, padding=200, animate=False)
    ui.pump(frames=4)
    ui.screenshot(Path(SHOTS) / f"settings-report-language-es-{size[0]}x{size[1]}.png")
