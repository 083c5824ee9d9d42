"""Opening the app's SQLite file safely: pragmas, migrations, and refusing newer databases."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from app.store.connection import Database
from app.store.files import make_private_database, make_private_folder, remove_stale_temporaries
from app.store.migrations import (
    MIGRATION_SET,
    MIGRATIONS_TABLE,
    known_migration_names,
    migration_set,
)

DATABASE_FILE = "facet.db"
BUSY_TIMEOUT_MS = 10_000


class DatabaseRefusedError(RuntimeError):
    """The file is newer than this app or unreadable; it is left exactly as it is."""


class DatabaseNewerError(DatabaseRefusedError):
    """The file was saved by a newer version of the app (it has schema steps this one lacks)."""


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DATABASE_FILE


def open_database(data_dir: Path, *, checked: bool = False) -> Database:
    """Open (creating if needed) the database in `data_dir`, migrated to this version.
    `checked`: the caller has just read the file and found it not newer than this app."""
    data_dir = Path(data_dir)
    make_private_folder(data_dir)
    remove_stale_temporaries(data_dir)  # of a report or export a crash interrupted
    path = database_path(data_dir)
    if path.exists() and not checked:
        _refuse_if_newer(path)
    make_private_database(path)  # 0600 before SQLite creates it: its WAL and SHM take its mode
    db = Database(_connect(path))
    _use_write_ahead_log(db)
    if known_migration_names() - _applied(db.conn):
        _migrate(db)
    return db


def _use_write_ahead_log(db: Database) -> None:
    """Switch a new file to WAL. SQLite answers "locked" at once, without the busy timeout,
    when another process is switching the same new file, so wait for it here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(db: Database) -> None:
    """Apply pending migrations through sqlite-utils, holding the write lock from the start.

    Without it, two processes opening a new file at once (the app and a reminder process) both
    see the same migration pending and the second fails with "table already exists" or, having
    read before the first one wrote, "database is locked" at once, without waiting. Every step
    must therefore be transactional (no VACUUM in a migration).
    """
    from sqlite_utils import Database as UtilsDatabase  # only needed when the schema changes

    db.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for another writer
    try:
        # looks again at what is pending, now under the lock
        migration_set().apply(UtilsDatabase(db.conn, execute_plugins=False))
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


def _applied(conn: sqlite3.Connection) -> set[str]:
    """Names of the schema steps this file has had, read with plain SQL."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone():
        return set()
    return {
        name
        for (name,) in conn.execute(
            f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?", [MIGRATION_SET]
        )
    }


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can neither write to `path` nor create it: for checks, backups and
    reading a file that was set aside."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def applied_migrations(conn: sqlite3.Connection) -> set[str]:
    """Names of this app's schema steps the open file has had (empty for a new file)."""
    return _applied(conn)


def refuse_if_newer(applied: set[str], path: Path) -> None:
    """Raise DatabaseNewerError when the file has schema steps this version does not know."""
    unknown = sorted(applied - known_migration_names())
    if unknown:
        raise DatabaseNewerError(
            f"The diary file {path} was saved by a newer version of Facet Companion "
            f"(it has changes named {', '.join(unknown)}). Please update the app to open it; "
            "the file was left untouched."
        )


def _refuse_if_newer(path: Path) -> None:
    """Read the migration record without writing anything, not even a journal mode."""
    conn = read_only_connection(path)
    try:
        applied = _applied(conn)
    except sqlite3.DatabaseError as error:
        raise DatabaseRefusedError(
            f"The diary file {path} could not be read ({error}). It was left untouched."
        ) from error
    finally:
        conn.close()
    refuse_if_newer(applied, path)
