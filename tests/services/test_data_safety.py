"""The safe open against real SQLite files: daily backups, checks, repair, and the problems the
app shows instead of a traceback."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app.services.data_safety import REPAIR_LOCK_FILE, open_diary, start_new_diary
from app.store.backups import (
    backup_folder,
    check_database,
    good_backups,
    newest_good_backup,
    restore,
)
from app.store.database import database_path, open_database
from app.store.migrations import MIGRATION_SET, STEPS, known_migration_names
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import RECOVERY_NOTICE_KEY
from tests.faults.diary_story import DAY1, DAY2, DAY3, ZONE, build_story

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def opened_by(runner: str, data_dir: Path, now=DAY3):
    opened = open_diary(data_dir, now=now, runner=runner, zone=ZONE)
    if opened.db is not None:
        opened.db.close()
    return opened


def damage(path: Path, page: int) -> None:
    with open(path, "r+b") as file:
        file.seek((page - 1) * 4096)
        file.write(os.urandom(4096))


def entry_count(data_dir: Path) -> int:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


def test_one_backup_a_day_whoever_opens_first(data_dir):
    assert opened_by("app", data_dir, DAY1).problem is None  # a new diary: nothing to back up
    assert good_backups(data_dir) == []
    opened_by("agent", data_dir, DAY2)
    opened_by("app", data_dir, DAY2 + timedelta(hours=3))
    opened_by("cli", data_dir, DAY2 + timedelta(hours=5))
    assert [(b.made_at, b.reason) for b in good_backups(data_dir)] == [(DAY2, "daily")]
    opened_by("cli", data_dir, DAY3)
    assert [b.made_at for b in good_backups(data_dir)] == [DAY3, DAY2]


def test_a_month_of_use_keeps_at_most_eleven_backups(data_dir):
    for day in range(40):
        opened_by("app", data_dir, DAY1 + timedelta(days=day))
    backups = good_backups(data_dir)
    assert backups[0].made_at == DAY1 + timedelta(days=39)
    assert len(backups) <= 11
    assert [b.made_at for b in backups[:7]] == [DAY1 + timedelta(days=39 - d) for d in range(7)]


def test_a_backup_is_made_before_the_schema_changes(data_dir):
    from sqlite_utils import Database as UtilsDatabase
    from sqlite_utils import Migrations

    older = Migrations(MIGRATION_SET)
    for step in STEPS[:-1]:
        older()(step)
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(database_path(data_dir))
    older.apply(UtilsDatabase(conn))
    conn.close()
    opened_by("app", data_dir, DAY1)
    [backup] = good_backups(data_dir)
    assert backup.reason == "before-migration"
    conn = sqlite3.connect(backup.path)
    applied = {name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert applied == known_migration_names() - {STEPS[-1].__name__}
    opened_by("app", data_dir, DAY1 + timedelta(hours=1))  # nothing more to migrate: no backup
    assert len(good_backups(data_dir)) == 1


def test_a_damaged_diary_is_repaired_and_the_patient_told_once(tmp_path):
    story = build_story(tmp_path / "data")
    damage(database_path(story.data_dir), 2)
    opened = open_diary(story.data_dir, now=DAY3, runner="app", zone=ZONE)
    assert opened.problem is None
    notice = opened.notice
    assert notice.startswith(
        "Your diary file was damaged, so Facet Companion put it aside and "
        "brought back your backup from yesterday, Saturday 21 November, "
        "09:00."
    )
    assert "copied back from the damaged file" in notice
    assert "facet-damaged-20261122T090000Z.db" in notice
    total = opened.db.execute("SELECT count(*) FROM entries").fetchone()[0]
    assert total == len(story.entry_ids_before) + len(story.entry_ids_after)
    opened.db.close()
    assert opened_by("app", story.data_dir).notice is None  # said once


def test_a_repair_by_the_agent_is_told_by_the_app_when_it_next_opens(tmp_path):
    story = build_story(tmp_path / "data")
    damage(database_path(story.data_dir), 2)
    by_agent = opened_by("agent", story.data_dir)
    assert by_agent.notice and "damaged" in by_agent.notice
    by_app = opened_by("app", story.data_dir, DAY3 + timedelta(hours=2))
    assert by_app.notice == by_agent.notice
    assert opened_by("app", story.data_dir, DAY3 + timedelta(hours=3)).notice is None
    conn = sqlite3.connect(database_path(story.data_dir))
    assert (
        conn.execute(
            "SELECT count(*) FROM settings WHERE key = ?", [RECOVERY_NOTICE_KEY]
        ).fetchone()[0]
        == 0
    )
    conn.close()


def test_damage_with_no_backup_is_a_problem_and_nothing_is_touched(data_dir):
    opened_by("app", data_dir, DAY1)
    path = database_path(data_dir)
    damage(path, 3)
    before = sha256(path)
    opened = opened_by("app", data_dir, DAY1 + timedelta(hours=1))
    assert opened.db is None and opened.notice is None
    assert opened.problem.kind == "damaged"
    assert opened.problem.can_restore is False
    assert "Nothing has been deleted" in opened.problem.message
    assert sha256(path) == before
    # reading a WAL-mode file makes its -shm; nothing is set aside, nothing backed up
    assert {p.name for p in data_dir.iterdir()} <= {
        "facet.db",
        "facet.db-wal",
        "facet.db-shm",
        REPAIR_LOCK_FILE,
    }


def test_a_bad_newest_backup_is_passed_over_for_the_next_good_one(tmp_path):
    story = build_story(tmp_path / "data")
    opened_by("app", story.data_dir, DAY3)  # a second daily backup
    newest = newest_good_backup(story.data_dir)
    damage(newest.path, 2)  # the backup rotted on the disk since
    damage(database_path(story.data_dir), 2)
    opened = opened_by("app", story.data_dir, DAY3 + timedelta(days=1))
    assert opened.problem is None
    assert "Saturday 21 November" in opened.notice  # the day-2 backup
    assert not newest.path.exists()  # a spoiled copy is removed, never counted again


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_missing_diary_with_backups_is_never_quietly_a_new_one(tmp_path, how):
    story = build_story(tmp_path / "data")
    path = database_path(story.data_dir)
    if how == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"")
    opened = opened_by("app", story.data_dir)
    assert opened.db is None
    assert opened.problem.kind == "missing" and opened.problem.can_restore
    assert "Saturday 21 November, 09:00" in opened.problem.message
    assert path.exists() == (how == "emptied") and (not path.exists() or path.stat().st_size == 0)

    restore(story.data_dir, newest_good_backup(story.data_dir).path, now=DAY3)
    again = opened_by("app", story.data_dir)
    assert again.problem is None
    assert entry_count(story.data_dir) == len(story.entry_ids_before)


def test_starting_a_new_diary_keeps_the_old_files(tmp_path):
    story = build_story(tmp_path / "data")
    path = database_path(story.data_dir)
    path.write_bytes(b"")
    old_backups = {b.path.name for b in good_backups(story.data_dir)}

    db = start_new_diary(story.data_dir, now=DAY3)

    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    db.close()
    assert good_backups(story.data_dir) == []  # the new diary's own backups start afresh
    [kept] = backup_folder(story.data_dir).glob("earlier-diary-*")
    assert {p.name for p in kept.iterdir()} == old_backups
    assert (story.data_dir / "facet-before-new-diary-20261122T090000Z.db").exists()
    assert opened_by("app", story.data_dir).problem is None


def test_a_diary_from_a_newer_version_is_refused_untouched(data_dir):
    opened_by("app", data_dir, DAY1)
    path = database_path(data_dir)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES (?, 'm999_future', '2031-01-01')",
            [MIGRATION_SET],
        )
    conn.close()
    before = sha256(path)
    opened = opened_by("app", data_dir, DAY2)
    assert opened.problem.kind == "newer"
    assert "update the app" in opened.problem.message
    assert sha256(path) == before
    assert good_backups(data_dir) == []


def test_a_locked_diary_is_a_problem_not_a_traceback(data_dir, monkeypatch):
    import app.store.database as database

    opened_by("app", data_dir, DAY1)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(database_path(data_dir))
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    try:
        opened = opened_by("app", data_dir, DAY2)
    finally:
        holder.rollback()
        holder.close()
    assert opened.problem.kind == "locked"
    assert "another program" in opened.problem.message


@contextlib.contextmanager
def small_tmpfs(mount_point: Path, size: str = "2m"):
    mount_point.mkdir(parents=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=True
    )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.skipif(not IS_ROOT, reason="mounting a read-only tmpfs needs root")
def test_a_read_only_folder_is_a_problem_and_nothing_changes(tmp_path):
    with small_tmpfs(tmp_path / "mnt") as mount:
        data_dir = mount / "data"
        opened_by("app", data_dir, DAY1)
        before = sha256(database_path(data_dir))
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        opened = opened_by("app", data_dir, DAY2)
        assert opened.problem.kind == "read_only"
        assert "not allowed to save in the folder" in opened.problem.message
        assert sha256(database_path(data_dir)) == before


@pytest.mark.skipif(not IS_ROOT, reason="a read-only bind mount needs root")
def test_a_read_only_diary_file_in_a_writable_folder_is_a_problem(data_dir):
    """SQLite opens such a file read-only without a word; the first save would then fail."""
    opened_by("app", data_dir, DAY1)
    path = database_path(data_dir)
    before = sha256(path)
    subprocess.run(["mount", "--bind", str(path), str(path)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(path)], check=True)
        opened = opened_by("app", data_dir, DAY2)
    finally:
        subprocess.run(["umount", str(path)], check=True)
    assert opened.problem.kind == "read_only"
    assert "Nothing has been changed" in opened.problem.message
    assert sha256(path) == before
    assert good_backups(data_dir) == []


@pytest.mark.skipif(IS_ROOT, reason="root may write to a file whatever its mode")
def test_a_read_only_diary_file_is_a_problem(data_dir):
    opened_by("app", data_dir, DAY1)
    os.chmod(data_dir, 0o500)
    try:
        opened = opened_by("app", data_dir, DAY2)
    finally:
        os.chmod(data_dir, 0o700)
    assert opened.problem.kind == "read_only"


def fill(path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "wb") as file:
        while True:
            file.write(b"\0" * 4096)
            file.flush()


@pytest.mark.skipif(not IS_ROOT, reason="a small tmpfs for a full disk needs root")
def test_a_full_disk_opens_the_diary_without_a_backup_or_says_there_is_no_room(tmp_path):
    with small_tmpfs(tmp_path / "mnt", size="600k") as mount:
        data_dir = mount / "data"
        opened_by("app", data_dir, DAY1)
        agent = open_database(data_dir)  # the agent holds it open: its -shm exists
        fill(mount / "filler")
        opened = opened_by("app", data_dir, DAY2)
        assert opened.problem is None  # the day's backup did not fit: the diary still opens
        assert good_backups(data_dir) == []
        assert list(backup_folder(data_dir).glob(".*")) == []  # nothing half-made
        agent.close()
        # After a restart nothing holds it open: with no room for the -shm that SQLite needs
        # to read a WAL diary, it cannot be opened at all
        for side in ("-wal", "-shm"):
            Path(f"{database_path(data_dir)}{side}").unlink(missing_ok=True)
        fill(mount / "more filler")
        opened = opened_by("app", data_dir, DAY2 + timedelta(hours=1))
        assert opened.problem.kind == "read_only"
        assert "no room left" in opened.problem.message


def test_rows_still_in_the_wal_of_a_crashed_app_are_salvaged(tmp_path):
    """The app died with its last entries in the -wal; then the main file was damaged."""
    story = build_story(tmp_path / "data")
    crashed = tmp_path / "crashed"
    db = open_database(story.data_dir)
    db.execute(
        "INSERT INTO entries (at_utc, zone, local_date, score, note) VALUES "
        "('2026-11-21T18:00:00.000000+00:00', 'UTC', '2026-11-21', 8, 'in the wal')"
    )
    shutil.copytree(story.data_dir, crashed)  # the files as a crash leaves them
    db.close()
    assert Path(f"{database_path(crashed)}-wal").stat().st_size > 0
    damage(database_path(crashed), 2)

    opened = open_diary(crashed, now=DAY3, runner="app", zone=ZONE)

    assert opened.problem is None
    notes = [note for (note,) in opened.db.execute("SELECT note FROM entries")]
    opened.db.close()
    assert "in the wal" in notes
    [aside] = crashed.glob("facet-damaged-*.db")
    assert Path(f"{aside}-wal").stat().st_size > 0  # the -wal went with its file


def test_damage_only_the_full_check_sees_is_found_by_the_next_days_backup(tmp_path):
    """An index that no longer matches its table passes the quick check of every start; the
    day's backup runs the full check and finds it."""
    story = build_story(tmp_path / "data")
    path = database_path(story.data_dir)
    db = open_database(story.data_dir)
    PlanRepository(db).add_medicine("Paracetamol", DAY2)
    db.close()
    conn = sqlite3.connect(path)
    [page] = [
        page
        for (page,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'sqlite_autoindex_patient_medicines_1'"
        )
    ]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * 4096
    at = data.index(b"Paracetamol", start, start + 4096)
    data[at : at + 11] = b"Paracetamoz"  # the same length: the b-tree stays well formed
    path.write_bytes(bytes(data))
    assert check_database(path, full=False) == []
    assert check_database(path, full=True)

    same_day = opened_by("app", story.data_dir, DAY2 + timedelta(hours=6))
    assert same_day.problem is None and same_day.notice is None  # the full check is daily
    next_day = opened_by("app", story.data_dir, DAY3)
    assert next_day.problem is None
    assert next_day.notice.startswith("Your diary file was damaged")
    assert check_database(path, full=True) == []
    assert [b.reason for b in good_backups(story.data_dir)][0] == "after-recovery"


def test_an_ordinary_open_loads_neither_sqlite_utils_nor_the_salvage(data_dir):
    opened_by("app", data_dir, DAY1)
    opened_by("app", data_dir, DAY2)
    probe = (
        "import sys; from datetime import datetime, timezone; "
        "from app.services.data_safety import open_diary; "
        f"o = open_diary({str(data_dir)!r}, now=datetime(2026, 11, 21, 12, "
        "tzinfo=timezone.utc), runner='app', zone='UTC'); assert o.problem is None; "
        "print(sorted(m for m in ('sqlite_utils', 'app.store.salvage') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "[]"


REPAIR_RACE = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from app.services.data_safety import open_diary
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
opened = open_diary(Path(sys.argv[1]), now=datetime(2026, 11, 22, 9, tzinfo=timezone.utc),
                    runner=sys.argv[3], zone="UTC")
assert opened.problem is None, opened.problem
print(opened.db.execute("SELECT count(*) FROM entries").fetchone()[0])
"""


def test_the_app_and_the_agent_starting_together_repair_the_diary_once(tmp_path):
    story = build_story(tmp_path / "data")
    damage(database_path(story.data_dir), 2)
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", REPAIR_RACE, str(story.data_dir), str(go), runner],
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for runner in ("app", "agent")
    ]
    time.sleep(0.5)
    go.touch()
    outputs = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    everything = len(story.entry_ids_before) + len(story.entry_ids_after)
    assert [int(out) for out, _ in outputs] == [everything, everything]
    assert len(list(story.data_dir.glob("facet-damaged-*.db"))) == 1


def test_a_new_diary_in_place_of_a_damaged_one_without_backup_keeps_what_reads(data_dir):
    db = open_diary(data_dir, now=DAY1, runner="app", zone=ZONE).db
    for score in (2, 4, 6):
        db.execute(
            "INSERT INTO entries (at_utc, zone, local_date, score) VALUES "
            "('2026-11-20T08:00:00.000000+00:00', 'UTC', '2026-11-20', ?)",
            [score],
        )
    db.close()
    conn = sqlite3.connect(database_path(data_dir))
    [settings_page] = [
        page for (page,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'settings'")
    ]
    conn.close()
    damage(database_path(data_dir), settings_page)
    assert opened_by("app", data_dir, DAY2).problem.kind == "damaged"

    start_new_diary(data_dir, now=DAY2).close()

    assert sorted(
        s for (s,) in sqlite3.connect(database_path(data_dir)).execute("SELECT score FROM entries")
    ) == [2, 4, 6]
    opened = opened_by("app", data_dir, DAY2 + timedelta(minutes=1))
    assert opened.notice == (
        "A new diary was started in place of the one that could not be opened. 3 things that "
        "could still be read from the old file were copied into it. Some parts could not be "
        "read: settings. Please look through your diary and add again anything that is "
        "missing. The old file was kept, not deleted: it is called "
        "facet-before-new-diary-20261121T090000Z.db and is in the same folder as your diary."
    )


def test_a_backup_from_before_a_schema_change_is_restored_and_brought_up_to_date(tmp_path):
    from sqlite_utils import Database as UtilsDatabase
    from sqlite_utils import Migrations

    older = Migrations(MIGRATION_SET)
    for step in STEPS[:-1]:
        older()(step)
    old_file = tmp_path / "old.db"
    conn = sqlite3.connect(old_file)
    older.apply(UtilsDatabase(conn))
    conn.execute(
        "INSERT INTO entries (at_utc, zone, local_date, score) VALUES "
        "('2026-11-01T09:00:00.000000+00:00', 'UTC', '2026-11-01', 4)"
    )
    conn.commit()
    conn.close()
    data_dir = tmp_path / "data"
    opened_by("app", data_dir, DAY1)

    restore(data_dir, old_file, now=DAY2)
    opened = open_diary(data_dir, now=DAY2 + timedelta(minutes=5), runner="app", zone=ZONE)

    assert opened.problem is None
    applied = {name for (name,) in opened.db.execute("SELECT name FROM _sqlite_migrations")}
    assert applied == known_migration_names()
    assert opened.db.execute("SELECT score FROM entries").fetchall() == [(4,)]
    opened.db.close()
    reasons = [b.reason for b in good_backups(data_dir)]
    assert reasons[0] == "before-migration" and "before-restore" in reasons


def test_the_recovery_notice_in_full():
    from app.services.data_safety import recovery_notice
    from app.store.salvage import SalvageResult

    made = DAY2
    complete = SalvageResult(copied={"entries": 3, "settings": 1, "reminder_occurrences": 5})
    assert recovery_notice(
        made, complete, "facet-damaged-20261122T090000Z.db", now=DAY3, zone=ZONE
    ) == (
        "Your diary file was damaged, so Facet Companion put it aside and brought back your "
        "backup from yesterday, Saturday 21 November, 09:00. 4 things you saved after that "
        "backup were copied back from the damaged file. Nothing you saved was lost. The damaged "
        "file was kept, not deleted: it is called facet-damaged-20261122T090000Z.db and is in "
        "the same folder as your diary."
    )
    partial = SalvageResult(
        copied={"entries": 1},
        unreadable={"block_prompt_scores": 2},
        unreadable_tables=["checklist_marks"],
    )
    assert recovery_notice(made, partial, None, now=DAY3 + timedelta(days=5), zone=ZONE) == (
        "Your diary file was damaged, so Facet Companion put it aside and brought back your "
        "backup from Saturday 21 November, 09:00. 1 thing you saved after that backup was "
        "copied back from the damaged file. Some parts could not be read: checklist ticks and "
        "block diary scores. Anything of these you saved or changed since Saturday 21 November "
        "may be missing: please look through them and add it again."
    )
    unreadable = SalvageResult(readable=False)
    assert (
        "could not be read from the damaged file. Please look through your diary since "
        "yesterday, Saturday 21 November"
        in recovery_notice(made, unreadable, None, now=DAY3, zone=ZONE)
    )
