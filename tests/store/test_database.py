"""Opening the database: pragmas, migrations, and leaving files we cannot read as they are."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.store.database import (
    BUSY_TIMEOUT_MS,
    DatabaseRefusedError,
    database_path,
    open_database,
)
from app.store.migrations import MIGRATION_SET, known_migration_names


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def raw_connection(path: Path):
    """A plain sqlite3 connection, committed and closed at the end of the block."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def applied_migrations(path: Path) -> list[tuple[str, str]]:
    with raw_connection(path) as conn:
        return conn.execute(
            "SELECT name, applied_at FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        ).fetchall()


def test_pragmas_are_in_force(fresh_db):
    def pragma(name: str):
        return fresh_db.execute(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
    assert BUSY_TIMEOUT_MS >= 1000


def test_creates_the_folder_and_the_tables(data_dir):
    assert not data_dir.exists()
    db = open_database(data_dir)
    try:
        assert database_path(data_dir).is_file()
        assert {"entries", "entry_areas", "_sqlite_migrations"} <= set(db.table_names())
    finally:
        db.close()


def test_migrations_are_applied_once_and_reopening_changes_nothing(data_dir):
    open_database(data_dir).close()
    path = database_path(data_dir)
    first = applied_migrations(path)
    assert [name for name, _ in first] == sorted(known_migration_names())
    with raw_connection(path) as conn:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()

    for _ in range(3):
        db = open_database(data_dir)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()

    assert applied_migrations(path) == first  # same rows, same applied_at: nothing re-run
    with raw_connection(path) as conn:
        assert (
            conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
            == schema
        )


def test_data_survives_reopening(data_dir):
    db = open_database(data_dir)
    db.execute(
        "INSERT INTO entries (at_utc, zone, local_date, score) VALUES (?, ?, ?, ?)",
        ["2026-11-28T10:00:00.000000+00:00", "UTC", "2026-11-28", 4],
    )
    db.close()
    db = open_database(data_dir)
    try:
        assert db.execute("SELECT score FROM entries").fetchall() == [(4,)]
    finally:
        db.close()


def test_foreign_keys_cascade_from_entries_to_areas(fresh_db):
    fresh_db.execute(
        "INSERT INTO entries (id, at_utc, zone, local_date, score) VALUES (1, ?, 'UTC', ?, 3)",
        ["2026-11-28T10:00:00.000000+00:00", "2026-11-28"],
    )
    fresh_db.execute(
        "INSERT INTO entry_areas (entry_id, area, side, score) VALUES (1, 'neck', 'left', 3)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.execute(
            "INSERT INTO entry_areas (entry_id, area, side, score) VALUES (99, 'neck', 'left', 3)"
        )
    fresh_db.execute("DELETE FROM entries WHERE id = 1")
    assert fresh_db.execute("SELECT count(*) FROM entry_areas").fetchone()[0] == 0


def test_a_database_from_a_newer_version_is_refused_and_left_byte_for_byte(data_dir):
    open_database(data_dir).close()
    path = database_path(data_dir)
    with raw_connection(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [MIGRATION_SET, "m999_from_the_future", "2031-01-01 00:00:00+00:00"],
        )
    before = sha256(path)

    with pytest.raises(DatabaseRefusedError) as refused:
        open_database(data_dir)

    message = str(refused.value)
    assert "newer version" in message
    assert "m999_from_the_future" in message
    assert "untouched" in message
    assert sha256(path) == before
    assert applied_migrations(path)[-1][0] == "m999_from_the_future"


def test_another_apps_migrations_in_the_same_table_are_not_mistaken_for_newer(data_dir):
    open_database(data_dir).close()
    with raw_connection(database_path(data_dir)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            ["some_plugin", "m001_plugin", "2026-01-01 00:00:00+00:00"],
        )
    open_database(data_dir).close()


@pytest.mark.parametrize(
    "garbage",
    [
        b"This is not a database, it is a shopping list.\n" * 3,
        random.Random(20261128).randbytes(8192),
        b"SQLite format 3\x00" + b"\xff" * 4080,
    ],
    ids=["text", "random-bytes", "bad-header"],
)
def test_a_garbage_file_is_refused_and_left_untouched(data_dir, garbage):
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    path.write_bytes(garbage)
    before = sha256(path)

    with pytest.raises(DatabaseRefusedError) as refused:
        open_database(data_dir)

    assert "could not be read" in str(refused.value)
    assert "untouched" in str(refused.value)
    assert sha256(path) == before
    assert path.read_bytes() == garbage


OPEN_WHEN_TOLD = """
import os, sys, time
sys.path.insert(0, os.getcwd())
from app.store.database import open_database
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.001)
open_database(sys.argv[1]).close()
"""


def test_processes_opening_a_new_file_at_the_same_time_take_turns(tmp_path):
    """The app and a reminder process may both be the first to open the diary."""
    repo_root = Path(__file__).resolve().parents[2]
    for round_ in range(2):
        data_dir, go = tmp_path / f"data{round_}", tmp_path / f"go{round_}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_WHEN_TOLD, str(data_dir), str(go)],
                cwd=repo_root,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        time.sleep(0.3)  # let them all get to the starting line
        go.touch()
        failures = [p.communicate(timeout=60)[1] for p in procs if p.wait(timeout=60) != 0]
        assert failures == []
        assert [name for name, _ in applied_migrations(database_path(data_dir))] == sorted(
            known_migration_names()
        )


def test_the_migration_record_is_the_table_sqlite_utils_keeps():
    from sqlite_utils import Migrations

    from app.store.migrations import MIGRATIONS_TABLE

    assert Migrations.migrations_table == MIGRATIONS_TABLE


def test_an_up_to_date_database_opens_without_loading_sqlite_utils(tmp_path):
    import subprocess
    import sys

    open_database(tmp_path).close()
    probe = (
        "import sys; from app.store.database import open_database; "
        f"open_database({str(tmp_path)!r}); print('sqlite_utils' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
