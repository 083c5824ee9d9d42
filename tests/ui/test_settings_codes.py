"""The clinic's procedure codes on the Settings screen: typed, checked at their field, saved, and
shown again after a restart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.ui.theme import LARGEST_TEXT_SCALE
from tests.ui.test_learn_and_settings import open_settings, saved_clinic

SHOTS = os.environ.get("FACET_SHOTS")


def test_procedure_codes_are_checked_saved_and_kept(start_app, data_dir):
    ui = start_app()
    open_settings(ui)
    rows = ui.screen.code_rows
    assert list(rows) == ["block-lumbar", "block-cervical", "rfa-lumbar", "rfa-cervical"]
    ui.type_into(rows["block-lumbar"].ids.code, "6449")
    ui.tap_text("Save settings")
    ui.settle()
    assert rows["block-lumbar"].error == (
        "“6449” is not a procedure code: use the five "
        "characters the clinic bills with, such as 64490."
    )
    assert rows["block-lumbar"].error in ui.visible_texts()
    assert saved_clinic(data_dir).procedure_codes["block-lumbar"] == ""

    ui.type_into(rows["block-lumbar"].ids.code, "3")
    ui.type_into(rows["rfa-lumbar"].ids.code, "64635")
    ui.tap_text("Save settings")
    ui.settle()
    assert rows["block-lumbar"].error == ""
    assert saved_clinic(data_dir).procedure_codes == {
        "block-lumbar": "64493",
        "block-cervical": "",
        "rfa-lumbar": "64635",
        "rfa-cervical": "",
    }

    ui = start_app()
    open_settings(ui)
    assert ui.screen.code_rows["rfa-lumbar"].ids.code.text == "64635"
    ui.press_escape()  # nothing changed: leaving does not ask
    ui.settle()
    assert ui.screen.name == "today"


@pytest.mark.skipif(not SHOTS, reason="screenshots only when FACET_SHOTS is set")
@pytest.mark.parametrize("size, scale", [((1280, 800), 1.0), ((800, 1280), LARGEST_TEXT_SCALE)])
def test_procedure_codes_screenshots(start_app, size, scale):
    ui = start_app(size=size)
    ui.app.theme.text_scale = scale
    open_settings(ui)
    row = ui.screen.code_rows["block-lumbar"]
    ui.type_into(row.ids.code, "6449")
    ui.tap_text("Save settings")
    ui.settle()
    ui.screen.ids.scroll.scroll_to(row, padding=200, animate=False)
    ui.pump(frames=4)
    ui.screenshot(Path(SHOTS) / f"settings-codes-{size[0]}x{size[1]}.png")
