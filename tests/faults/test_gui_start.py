"""The window's start on a diary that cannot simply be opened: damaged with a backup (repaired,
and the patient told once), damaged with no backup, read-only, missing with backups present.
The window never just closes, and nothing is deleted.

These run in the real Kivy window of tests/ui (its fixtures are used here; without a display
the module is skipped as tests/ui is)."""

from __future__ import annotations

import pytest

from tests.ui.display import NO_DISPLAY, has_display

if not has_display():
    pytest.skip(NO_DISPLAY, allow_module_level=True)

# First: tests/ui's app_window sets Kivy's config before anything below opens the window.
from tests.ui.app_window import clock, speech_wav, start_app  # noqa: F401  # isort: skip

import sqlite3
from datetime import timedelta

import app.ui.app as app_module
from app.domain.diary import validate_entry
from app.services.data_safety import OpenedDiary
from app.store.connection import Database
from app.store.database import database_path, open_database
from app.store.diary_repository import DiaryRepository
from app.ui.screens.recovery import RepairNotice
from tests.ui.stored_diaries import back_up, damage, files_in, recovery_page, seed_diary
from tests.ui.tmpfs import remount_read_only, small_tmpfs


@pytest.fixture
def disk(tmp_path):
    with small_tmpfs(tmp_path / "disk") as mount:
        yield mount


@pytest.fixture
def data_dir(tmp_path, request):
    """A temporary folder; on a tmpfs of its own for the tests that ask for `disk`."""
    if "disk" in request.fixturenames:
        return request.getfixturevalue("disk") / "data"
    return tmp_path / "data"


def test_a_damaged_diary_with_a_backup_is_repaired_and_the_patient_told_once(
    start_app, clock, data_dir
):
    seed_diary(data_dir, clock, 3, 6)
    back_up(data_dir, clock, days_ago=1)
    damage(database_path(data_dir))

    ui = start_app(first_run=True)
    ui.settle()
    [notice] = [w for w in ui.app.root_window.children if isinstance(w, RepairNotice)]
    assert notice.message.startswith(
        "Your diary file was damaged, so Facet Companion put it aside and brought back your "
        "backup from yesterday, Friday 27 November, 15:30."
    )
    assert "What happened to your diary" in ui.visible_texts(notice)
    assert ui.screen.name == "today"
    assert "Last logged: pain 6 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()
    [aside] = data_dir.glob("facet-damaged-*.db")  # kept, not deleted
    ui.tap(notice.ids.ok)
    ui.settle()
    assert not [w for w in ui.app.root_window.children if isinstance(w, RepairNotice)]

    ui = start_app(first_run=True)  # the next start: nothing more to say
    ui.settle()
    assert not [w for w in ui.app.root_window.children if isinstance(w, RepairNotice)]
    assert aside.exists()


def test_a_damaged_diary_without_a_backup_opens_the_recovery_page_and_nothing_is_deleted(
    start_app, clock, data_dir
):
    seed_diary(data_dir, clock, 3)
    damage(database_path(data_dir))
    before = files_in(data_dir)

    ui = start_app(first_run=True)
    page = recovery_page(ui)
    assert "Your diary could not be opened" in ui.visible_texts(page)
    assert "Your diary file is damaged" in ui.visible_texts(page)
    assert page.details.startswith("Your diary file is damaged and there is no backup")
    assert "Start a new diary" in ui.visible_texts(page)
    assert "Restore the newest backup" not in ui.visible_texts(page)
    after = files_in(data_dir)
    assert after["facet.db"] == before["facet.db"]  # untouched (SQLite's -shm may appear)
    assert set(before) <= set(after)


def test_a_read_only_diary_opens_the_recovery_page_and_the_app_keeps_running(
    start_app, clock, data_dir, disk
):
    seed_diary(data_dir, clock, 4)
    remount_read_only(disk)
    before = files_in(data_dir)

    ui = start_app(first_run=True)
    page = recovery_page(ui)
    assert "The app cannot write to your diary" in ui.visible_texts(page)
    ui.tap(page.ids.try_again)  # still read-only: the same page, the window still open
    ui.settle()
    page = recovery_page(ui)
    assert page.problem.kind == "read_only"
    ui.press_escape()  # asks before closing, as Today does
    assert "Close Facet Companion?" in ui.visible_texts(ui.app.root_window.children[0])
    ui.press_escape()
    after = files_in(data_dir)
    assert after["facet.db"] == before["facet.db"] and set(before) <= set(after)


def test_a_missing_diary_with_backups_is_offered_back_not_replaced_by_an_empty_one(
    start_app, clock, data_dir
):
    seed_diary(data_dir, clock, 5)
    back_up(data_dir, clock, days_ago=2)
    database_path(data_dir).unlink()

    ui = start_app(first_run=True)
    page = recovery_page(ui)
    assert "Your diary file is missing" in ui.visible_texts(page)
    assert {"Restore my diary", "Start a new diary"} <= set(ui.visible_texts(page))
    assert not database_path(data_dir).exists()  # no new, empty diary made behind its back


def test_a_diary_that_opens_but_takes_no_writes_keeps_the_app_running(
    start_app, clock, data_dir, monkeypatch
):
    """The app's own side of a read-only diary: a file the safe open let through (read-only to
    this user, say) used to end the app at its first write at start. Now the diary opens, and a
    save says why it cannot be kept, with what was typed still on screen."""
    seed_diary(data_dir, clock, 4)
    path = database_path(data_dir)
    # An entry deleted two hours ago: the start purges it, a write the file refuses.
    db = open_database(data_dir)
    diary = DiaryRepository(db)
    gone = diary.add(
        validate_entry({"score": 9}, now=clock.now() - timedelta(hours=3), zone=clock.zone())
    )
    diary.delete(gone.id, now=clock.now() - timedelta(hours=2))
    db.close()

    def read_only_open(*_args, **_kwargs):
        return OpenedDiary(
            db=Database(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)),
            notice=None,
            problem=None,
        )

    monkeypatch.setattr(app_module, "open_diary", read_only_open)
    ui = start_app(first_run=True)
    assert ui.screen.name == "today"
    assert "Last logged: pain 4 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("6")
    ui.tap_text("Save pain 6")
    ui.settle()
    assert ui.app.banner.message == (
        "Could not save: this device lets the app read your diary but not change it. What you "
        "typed is still here; tap Save again later, or ask whoever looks after this device."
    )
    assert ui.screen.name == "log" and ui.screen.ids.scale.score == 6
