"""Diary files set up before the app starts (used, backed up, damaged, missing) and what the
window shows about them, shared by tests/ui/test_recovery.py and tests/faults/test_gui_start.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from app.domain.diary import validate_entry
from app.store.backups import backup_folder, make_backup
from app.store.database import database_path, open_database
from app.store.diary_repository import DiaryRepository
from app.store.settings_repository import SettingsRepository
from app.ui.screens.recovery import RecoveryPage

PAGE = 4096  # SQLite's page size in these files


def seed_diary(data_dir, clock, *scores) -> None:
    """A diary that has been used (the guide already offered), closed so its WAL is merged."""
    db = open_database(data_dir)
    SettingsRepository(db).mark_guide_offered()
    repo = DiaryRepository(db)
    for score in scores:
        repo.add(
            validate_entry(
                {"score": score, "note": "a fairly long note " * 40},
                now=clock.now(),
                zone=clock.zone(),
            )
        )
    db.close()


def back_up(data_dir, clock, *, days_ago: int) -> Path:
    return make_backup(
        database_path(data_dir),
        backup_folder(data_dir),
        now=clock.now() - timedelta(days=days_ago),
        reason="daily",
    ).path


def damage(path: Path) -> None:
    """Every page after the first overwritten: still an SQLite file, but its tables are gone."""
    size = path.stat().st_size
    assert size > 2 * PAGE
    with open(path, "r+b") as file:
        file.seek(PAGE)
        file.write(b"\xa5" * (size - PAGE))


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def recovery_page(ui) -> RecoveryPage:
    [page] = ui.app.root.children
    assert isinstance(page, RecoveryPage), f"the window shows {page!r}"
    return page
