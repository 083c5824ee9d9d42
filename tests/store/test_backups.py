"""Backups against real SQLite files: made and checked, listed, rotated, put back."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.store.backups import (
    INTERRUPTED_AFTER_SECONDS,
    BackupError,
    backup_folder,
    backups_in,
    check_database,
    good_backups,
    make_backup,
    newest_good_backup,
    prune_backups,
    restore,
    verify_diary,
)
from app.store.database import database_path, open_database
from app.store.migrations import MIGRATION_SET

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_entry(db, score: int, note: str = "") -> None:
    db.execute(
        "INSERT INTO entries (at_utc, zone, local_date, score, note) "
        "VALUES ('2026-12-01T10:00:00.000000+00:00', 'UTC', '2026-12-01', ?, ?)",
        [score, note],
    )


def scores(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [score for (score,) in conn.execute("SELECT score FROM entries ORDER BY id")]
    finally:
        conn.close()


def damage(path: Path, page: int) -> None:
    with open(path, "r+b") as file:
        file.seek((page - 1) * 4096)
        file.write(b"\xa5" * 4096)


@pytest.fixture
def diary(data_dir):
    """A diary with two entries, still open (its WAL holds them), as while the app runs."""
    db = open_database(data_dir)
    add_entry(db, 3)
    add_entry(db, 5)
    yield db
    db.close()


def test_a_backup_is_a_checked_private_single_file_snapshot(diary, data_dir):
    backup = make_backup(database_path(data_dir), backup_folder(data_dir), now=NOW, reason="daily")
    assert backup.path.parent == data_dir / "backups"
    assert backup.path.name == "facet-20261201T150000.000000Z-daily.db"
    assert (backup.made_at, backup.reason) == (NOW, "daily")
    assert scores(backup.path) == [3, 5]  # what was still in the WAL is in the copy
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(backup.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no WAL
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert sorted(p.name for p in backup.path.parent.iterdir()) == [backup.path.name]
    verify_diary(backup.path)


def test_a_damaged_diary_gives_no_backup_and_leaves_nothing_behind(diary, data_dir):
    diary.close()
    damage(database_path(data_dir), 4)
    with pytest.raises(BackupError) as refused:
        make_backup(database_path(data_dir), backup_folder(data_dir), now=NOW, reason="daily")
    assert refused.value.problems
    assert "damaged" in str(refused.value)
    assert list(backup_folder(data_dir).iterdir()) == []
    assert good_backups(data_dir) == []


def test_a_backup_folder_that_cannot_be_made_is_a_plain_error(diary, data_dir, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(BackupError) as refused:
        make_backup(database_path(data_dir), blocker / "backups", now=NOW, reason="manual")
    assert str(refused.value).startswith("The backup could not be written to")


def test_backups_are_listed_newest_first_and_half_made_copies_never_count(diary, data_dir):
    path = database_path(data_dir)
    for days in (3, 1, 2):
        make_backup(path, backup_folder(data_dir), now=NOW - timedelta(days=days), reason="daily")
    folder = backup_folder(data_dir)
    (folder / ".facet-20261201T150000.000000Z-daily.db.partial-1234").write_bytes(b"half")
    (folder / "holiday-photo.jpg").write_bytes(b"not ours")
    listed = good_backups(data_dir)
    assert [b.made_at for b in listed] == [NOW - timedelta(days=d) for d in (1, 2, 3)]
    assert newest_good_backup(data_dir) == listed[0]


def test_rotation_keeps_seven_daily_and_four_weekly_and_clears_old_partials(diary, data_dir):
    path = database_path(data_dir)
    folder = backup_folder(data_dir)
    for days in range(40):
        make_backup(path, folder, now=NOW - timedelta(days=days), reason="daily")
    old_partial = folder / ".facet-x.db.partial-aaaa"
    fresh_partial = folder / ".facet-y.db.partial-bbbb"  # another process is making it now
    for partial in (old_partial, fresh_partial):
        partial.write_bytes(b"half")
    long_ago = time.time() - INTERRUPTED_AFTER_SECONDS - 60
    os.utime(old_partial, (long_ago, long_ago))

    removed = prune_backups(data_dir, now=NOW)

    kept = [b.made_at for b in good_backups(data_dir)]
    assert kept[:7] == [NOW - timedelta(days=d) for d in range(7)]
    assert 7 < len(kept) <= 11
    assert len(removed) == 40 - len(kept) + 1
    assert not old_partial.exists() and fresh_partial.exists()


def test_check_database_finds_damage_and_says_nothing_when_fine(diary, data_dir):
    path = database_path(data_dir)
    assert check_database(path, full=False) == []
    assert check_database(path, full=True) == []
    diary.close()
    damage(path, 2)
    assert check_database(path, full=False)
    assert check_database(path, full=True)
    path.write_bytes(b"a shopping list, not a database" * 200)
    assert check_database(path, full=False) == ["file is not a database"]


@pytest.mark.parametrize("case", ["empty", "text", "other-sqlite", "newer", "damaged", "none"])
def test_only_a_whole_facet_diary_this_app_can_open_is_put_back(diary, data_dir, tmp_path, case):
    candidate = tmp_path / "candidate.db"
    if case == "empty":
        candidate.write_bytes(b"")
    elif case == "text":
        candidate.write_text("dear diary " * 500)
    elif case == "other-sqlite":
        conn = sqlite3.connect(candidate)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        conn.close()
    elif case in ("newer", "damaged"):
        candidate = make_backup(
            database_path(data_dir), tmp_path / "b", now=NOW, reason="manual"
        ).path
        if case == "newer":
            conn = sqlite3.connect(candidate)
            with conn:
                conn.execute(
                    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                    "VALUES (?, 'm999_future', '2031-01-01')",
                    [MIGRATION_SET],
                )
            conn.close()
        else:
            damage(candidate, 3)
    live = database_path(data_dir)
    diary.close()
    before = sha256(live)

    with pytest.raises(BackupError) as refused:
        restore(data_dir, candidate, now=NOW)

    message = str(refused.value)
    expected = {
        "empty": "is empty",
        "text": "damaged",
        "other-sqlite": "not a Facet Companion",
        "newer": "newer version",
        "damaged": "damaged",
        "none": "There is no file",
    }
    assert expected[case] in message
    assert "\n" not in message
    assert sha256(live) == before
    assert sorted(p.name for p in data_dir.iterdir() if p.name != "backups") == ["facet.db"]


def test_restore_sets_the_current_diary_aside_whole_and_backs_it_up(diary, data_dir, tmp_path):
    live = database_path(data_dir)
    backup = make_backup(live, tmp_path / "out", now=NOW - timedelta(days=1), reason="manual")
    add_entry(diary, 9, "saved after the backup")  # in the WAL while the app runs
    diary.close()

    aside = restore(data_dir, backup.path, now=NOW)

    assert aside == data_dir / "facet-set-aside-20261201T150000Z.db"
    assert scores(aside) == [3, 5, 9]  # never deleted, and whole
    assert scores(live) == [3, 5]
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    [before_restore] = [b for b in good_backups(data_dir) if b.reason == "before-restore"]
    assert scores(before_restore.path) == [3, 5, 9]
    assert not Path(f"{live}-wal").exists() or Path(f"{live}-wal").stat().st_size == 0
    db = open_database(data_dir)
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    db.close()


def test_restoring_while_the_agent_holds_the_diary_open_carries_its_wal_along(
    diary, data_dir, tmp_path
):
    """The -wal goes with the file it belongs to, never left beside the restored one."""
    live = database_path(data_dir)
    backup = make_backup(live, tmp_path / "out", now=NOW - timedelta(days=1), reason="manual")
    add_entry(diary, 8)
    aside = restore(data_dir, backup.path, now=NOW)
    diary.close()  # the agent's connection still pointed at the old file
    assert 8 in scores(aside)
    assert scores(live) == [3, 5]
    assert check_database(live, full=True) == []


def test_restore_without_a_current_diary_returns_none(data_dir, tmp_path):
    db = open_database(tmp_path / "elsewhere")
    add_entry(db, 4)
    db.close()
    backup = make_backup(
        database_path(tmp_path / "elsewhere"), tmp_path / "out", now=NOW, reason="manual"
    )
    assert restore(data_dir, backup.path, now=NOW) is None
    assert scores(database_path(data_dir)) == [4]


def test_the_diary_itself_is_not_a_backup(diary, data_dir):
    diary.close()
    with pytest.raises(BackupError, match="the diary itself"):
        restore(data_dir, database_path(data_dir), now=NOW)


def test_backups_in_a_folder_of_the_users(diary, data_dir, tmp_path):
    out = tmp_path / "usb stick"
    made = make_backup(database_path(data_dir), out, now=NOW, reason="manual")
    assert backups_in(out) == [made]
    assert good_backups(data_dir) == []  # not one of the automatic ones


def test_a_salvage_cut_short_leaves_no_copy_of_the_diary_behind(data_dir):
    from app.store.backups import remove_interrupted_copies

    scratch = data_dir / ".salvage-abc123"
    scratch.mkdir(parents=True)
    (scratch / "damaged.db").write_bytes(b"the patient's words")
    assert remove_interrupted_copies(data_dir) == []  # maybe still in use
    long_ago = time.time() - INTERRUPTED_AFTER_SECONDS - 60
    os.utime(scratch, (long_ago, long_ago))
    assert remove_interrupted_copies(data_dir) == [scratch]
    assert not scratch.exists()


def test_restore_over_a_damaged_diary_sets_it_aside_unchanged(diary, data_dir, tmp_path):
    live = database_path(data_dir)
    backup = make_backup(live, tmp_path / "out", now=NOW - timedelta(days=1), reason="manual")
    diary.close()
    damage(live, 2)
    damaged = live.read_bytes()

    aside = restore(data_dir, backup.path, now=NOW)

    assert aside.read_bytes() == damaged
    assert scores(live) == [3, 5]
    assert [b.reason for b in good_backups(data_dir)] == []  # a damaged file is not backed up


HOT_JOURNAL = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 2")  # spill changed pages to the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE entries SET note = ?", ["x" * 2000])
os._exit(0)  # dies mid-transaction: the -journal is hot
"""


def test_a_hot_journal_left_by_a_crashed_writer_is_rolled_back_not_called_damage(data_dir):
    import subprocess
    import sys

    db = open_database(data_dir)
    for score in range(200):
        add_entry(db, score % 11, "short")
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()
    live = database_path(data_dir)
    subprocess.run([sys.executable, "-c", HOT_JOURNAL, str(live)], check=True)
    assert Path(f"{live}-journal").stat().st_size > 0

    assert check_database(live, full=False) == []

    conn = sqlite3.connect(live)
    assert {note for (note,) in conn.execute("SELECT note FROM entries")} == {"short"}
    conn.close()
