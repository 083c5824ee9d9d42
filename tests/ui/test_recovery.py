""" "Your diary could not be opened" as a patient meets it: each choice asked first, the diary
back (or a new one started) with every old file kept, and a choice that cannot work said on the
page. (How the start gets here: tests/faults/test_gui_start.py.)"""

from __future__ import annotations

import os
from pathlib import Path

from app.store.backups import backup_folder
from app.store.database import database_path
from app.ui.screens.recovery import RepairNotice
from tests.ui.stored_diaries import back_up, damage, recovery_page, seed_diary

SHOTS = os.environ.get("FACET_SHOTS")


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = ui.app.root_window.size
        orientation = "landscape" if width > height else "portrait"
        ui.screenshot(Path(SHOTS) / f"{name}-{orientation}.png")


def test_a_missing_diary_is_restored_from_its_newest_backup_after_asking(
    start_app, clock, data_dir
):
    seed_diary(data_dir, clock, 5)
    back_up(data_dir, clock, days_ago=2)
    database_path(data_dir).unlink()
    ui = start_app(first_run=True)
    page = recovery_page(ui)
    assert page.ids.restore.focus  # the keyboard starts on the suggested choice
    shot(ui, "recovery-missing")

    ui.tap(page.ids.restore)  # "Restore my diary"
    asked = ui.open_question()
    assert asked.message == (
        "Restore the diary from Thursday 26 November, 15:30? It holds what you saved up to then."
    )
    ui.tap(asked.ids.stay)  # "Not now"
    ui.settle()
    assert recovery_page(ui) is page and not database_path(data_dir).exists()

    ui.tap(page.ids.restore)
    ui.tap(ui.open_question().ids.leave)  # "Restore"
    ui.settle()
    assert ui.screen.name == "today"
    assert ui.app.banner.message == "Your diary was restored from Thursday 26 November, 15:30."
    assert "Last logged: pain 5 out of 10, today, Saturday 28 November, 15:30" in ui.visible_texts()


def test_start_a_new_diary_keeps_the_old_backups(start_app, clock, data_dir):
    seed_diary(data_dir, clock, 5)
    backup = back_up(data_dir, clock, days_ago=2)
    database_path(data_dir).unlink()
    ui = start_app(first_run=True)

    ui.tap(recovery_page(ui).ids.start_new)
    asked = ui.open_question()
    assert asked.title == "Start a new diary?"
    ui.tap(asked.ids.leave)  # "Start a new diary"
    ui.settle()
    # A new diary with nothing in it: the guide offers to set up the plan, as on a first start.
    assert ui.screen.name == "guide"
    ui.app.navigator.home()
    ui.settle()
    assert "Nothing logged yet. Your first entry takes three taps." in ui.visible_texts()
    [kept] = backup_folder(data_dir).glob(f"*/{backup.name}")  # moved aside, not deleted
    assert kept.read_bytes()[:16] == b"SQLite format 3\0"


def test_a_damaged_diary_with_no_backup_can_start_anew_and_the_damaged_file_is_kept(
    start_app, clock, data_dir
):
    seed_diary(data_dir, clock, 5)
    damage(database_path(data_dir))
    damaged = database_path(data_dir).read_bytes()
    ui = start_app(first_run=True)
    shot(ui, "recovery-damaged")

    ui.tap(recovery_page(ui).ids.start_new)
    ui.tap(ui.open_question().ids.leave)
    ui.settle()
    assert ui.screen.name == "guide"
    [notice] = [w for w in ui.app.root_window.children if isinstance(w, RepairNotice)]
    assert notice.message.startswith(
        "A new diary was started in place of the one that could not be opened."
    )
    kept = [p for p in data_dir.glob("facet-*.db") if p.read_bytes() == damaged]
    assert len(kept) == 1, sorted(p.name for p in data_dir.iterdir())
