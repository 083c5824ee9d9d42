"""A save on a full disk (a small tmpfs of the test's own, root only) says so in the banner, in
plain words, and keeps what was typed on screen; once space is freed, Save works."""

from __future__ import annotations

import pytest

from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from tests.ui.tmpfs import fill, small_tmpfs

FULL = (
    "Could not save: this device's storage is full. What you typed is still here; free "
    "some space and tap Save again."
)


@pytest.fixture
def data_dir(tmp_path):
    """The app's data folder on a 4 MB tmpfs (replaces the usual fixture in this module)."""
    with small_tmpfs(tmp_path / "disk") as disk:
        yield disk / "data"


def saved_entries(data_dir):
    return list(DiaryRepository(open_database(data_dir)).since())


def banner_text(ui) -> str:
    banner = ui.app.banner
    return banner.message if banner.parent is not None else ""


def test_a_full_disk_keeps_the_score_on_quick_log_until_space_is_freed(start_app, data_dir):
    ui = start_app()
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("7")
    filler = fill(data_dir.parent)

    ui.tap_text("Save pain 7")
    ui.settle()
    assert banner_text(ui) == FULL
    assert ui.screen.name == "log" and ui.screen.ids.scale.score == 7
    filler.unlink()
    assert saved_entries(data_dir) == []

    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save pain 7")
    ui.settle()
    assert ui.screen.name == "today"
    assert [entry.score for entry in saved_entries(data_dir)] == [7]


def test_a_full_disk_keeps_the_details_and_the_note_typed(start_app, data_dir):
    ui = start_app()
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("4")
    ui.tap_text("Add details")
    ui.settle()
    note = "Worse after gardening, better lying flat " * 4
    ui.type_into(ui.screen.ids.note, note)
    filler = fill(data_dir.parent)

    ui.tap_text("Save")
    ui.settle()
    assert banner_text(ui) == FULL
    assert ui.screen.name == "entry"
    assert (ui.screen.ids.scale.score, ui.screen.ids.note.text) == (4, note)
    assert ui.screen.has_unsaved_input()  # leaving still asks first
    filler.unlink()

    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save")
    ui.settle()
    [entry] = saved_entries(data_dir)
    assert (entry.score, entry.note) == (4, note.strip())


def test_back_up_now_onto_a_full_disk_is_refused_in_plain_words(start_app, data_dir):
    ui = start_app()
    ui.app.navigator.go("settings")
    ui.settle()
    ui.tap(ui.screen.ids.your_data)
    ui.settle()
    screen = ui.screen
    folder = data_dir.parent / "copies"
    folder.mkdir()
    screen.ids.chooser.path = str(folder)
    filler = fill(data_dir.parent)
    try:
        ui.tap(screen.ids.back_up)
        ui.settle()
        assert not screen.outcome_ok
        assert screen.outcome_text == (
            f"No backup was saved in {folder}: there is not enough free space there. Choose "
            "another folder, such as a USB stick, and tap “Back up now” again."
        )
        assert list(folder.iterdir()) == []  # nothing half-made left behind
    finally:
        filler.unlink()
