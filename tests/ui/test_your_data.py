"""Settings > Your data as a patient meets it: the last backup in words, a copy saved in a folder
they pick, and a restore that is asked first, sets the diary as it was aside and shows the
restored diary on every screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain.diary import validate_entry
from app.store.backups import backup_folder, verify_diary
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository

SHOTS = os.environ.get("FACET_SHOTS")
RESTORE_QUESTION = (
    "Restore the diary from today, Saturday 28 November, 15:30? What you saved "
    "after that is set aside, not deleted: the diary as it is now is kept in a "
    "file of its own."
)


def seed(data_dir, clock, *scores):
    repo = DiaryRepository(open_database(data_dir))
    for score in scores:
        repo.add(validate_entry({"score": score}, now=clock.now(), zone=clock.zone()))


def scores_in(path: Path) -> list[int]:
    """The scores of the diary file at `path`, read without touching the app's data folder."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted(
            score
            for (score,) in conn.execute("SELECT score FROM entries WHERE deleted_at_utc IS NULL")
        )
    finally:
        conn.close()


def open_your_data(ui):
    ui.app.navigator.go("settings")
    ui.settle()
    ui.tap(ui.screen.ids.your_data)
    ui.settle()
    assert ui.screen.name == "your_data"
    return ui.screen


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = ui.app.root_window.size
        orientation = "landscape" if width > height else "portrait"
        ui.screenshot(Path(SHOTS) / f"{name}-{orientation}.png")


def test_back_up_now_saves_a_good_copy_in_the_folder_the_patient_picks(
    start_app, clock, data_dir, tmp_path
):
    seed(data_dir, clock, 3, 6)
    usb = tmp_path / "usb stick"
    usb.mkdir()
    ui = start_app()
    screen = open_your_data(ui)
    # The app's own daily backup was made as it opened.
    assert screen.last_backup_text == "Last backup: Today, Saturday 28 November, 15:30."

    ui.type_into(screen.ids.chooser.ids.typed, str(usb))
    ui.tap(screen.ids.back_up)
    ui.settle()
    [copy] = usb.glob("facet-*.db")
    assert screen.outcome_ok
    assert screen.outcome_text == f"Saved: a backup of your diary, in the file {copy}."
    verify_diary(copy)  # raises unless it is a whole diary this version opens
    assert scores_in(copy) == [3, 6]
    # The file also shows among the backup files of the folder that is open.
    assert copy.name in ui.visible_texts()


def test_back_up_now_to_a_folder_that_refuses_says_so_in_plain_words(start_app, data_dir, tmp_path):
    if os.geteuid() == 0:
        pytest.skip(
            "root writes into a read-only folder anyway; as root, "
            "tests/ui/test_full_disk.py refuses a backup onto a full disk"
        )
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        ui = start_app()
        screen = open_your_data(ui)
        screen.ids.chooser.path = str(locked)
        ui.tap(screen.ids.back_up)
        assert not screen.outcome_ok
        assert screen.outcome_text == (
            f"No backup was saved in {locked}: this device does not let the app save there. "
            "Choose another folder, such as a USB stick, and tap “Back up now” again."
        )
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_restore_from_a_listed_backup_is_asked_first_and_shows_the_restored_diary(
    start_app, clock, data_dir
):
    seed(data_dir, clock, 3)
    ui = start_app()  # the daily backup holds the 3
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("8")
    ui.tap_text("Save pain 8")
    ui.settle()
    assert scores_in(data_dir / "facet.db") == [3, 8]

    screen = open_your_data(ui)
    shot(ui, "your-data")
    ui.tap_text("Today, Saturday 28 November, 15:30", screen.ids.backups)
    question = ui.open_question()
    assert question.message == RESTORE_QUESTION
    ui.tap(question.ids.stay)  # "Keep my diary as it is"
    ui.settle()
    assert scores_in(data_dir / "facet.db") == [3, 8]

    ui.tap_text("Today, Saturday 28 November, 15:30", screen.ids.backups)
    ui.tap(ui.open_question().ids.leave)  # "Restore"
    ui.settle()

    [set_aside] = data_dir.glob("facet-set-aside-*.db")
    assert scores_in(set_aside) == [3, 8]  # the diary as it was: kept, not deleted
    assert scores_in(data_dir / "facet.db") == [3]
    screen = ui.screen
    assert screen.name == "your_data" and screen.outcome_ok
    assert screen.outcome_text == (
        "Restored the diary from today, Saturday 28 November, 15:30. "
        f"The diary you had before is kept in {set_aside}."
    )
    # Every screen shows the restored diary.
    ui.app.navigator.home()
    ui.settle()
    assert "Last logged: pain 3 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()
    ui.app.navigator.go("diary")
    ui.settle()
    assert [row["score"] for row in ui.screen.ids.history.data if "score" in row] == [3]
    # The diary as it was before the restore is also among the backups.
    assert any("before-restore" in p.name for p in backup_folder(data_dir).iterdir())


def test_a_file_that_is_not_a_diary_is_refused_and_the_diary_is_unchanged(
    start_app, clock, data_dir, tmp_path
):
    seed(data_dir, clock, 5)
    not_a_diary = tmp_path / "holiday.db"
    not_a_diary.write_text("photos from the seaside")
    ui = start_app()
    screen = open_your_data(ui)
    ui.type_into(screen.ids.typed_file, str(not_a_diary))
    ui.tap_text("Restore from this file")
    assert ui.open_question().message.startswith("Restore the file holiday.db?")
    ui.tap(ui.open_question().ids.leave)
    ui.settle()
    screen = ui.screen
    assert screen.name == "your_data" and not screen.outcome_ok
    assert screen.outcome_text.startswith("Your diary was not changed. holiday.db")
    assert scores_in(data_dir / "facet.db") == [5]
    assert list(data_dir.glob("facet-set-aside-*")) == []
