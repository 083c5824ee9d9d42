"""Backups of the diary file: made, checked, listed, rotated, and put back.

A backup is a copy made with SQLite's online backup API (a consistent snapshot even while the
app or the reminder agent writes), then checked with `PRAGMA integrity_check` under a temporary
name, fsynced, and only then renamed to its final name: a file with a backup's name is a copy
that passed the full check. A copy that fails is removed and never counted. Backups are named by
the UTC instant they were made and why: `facet-20261201T151500.123456Z-daily.db`.

Putting a backup back never deletes the current file: it is set aside under a dated name
(`facet-set-aside-20261201T151500Z.db`, its `-wal` and `-shm` with it), and the new file takes
the diary's name in one atomic rename, so a crash at any moment leaves a whole diary in place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.domain.backup_policy import backups_to_keep
from app.store.database import (
    DatabaseNewerError,
    applied_migrations,
    database_path,
    read_only_connection,
    refuse_if_newer,
)

BACKUP_FOLDER = "backups"
BACKUP_PREFIX = "facet-"
_STAMP = "%Y%m%dT%H%M%S.%fZ"
_BACKUP_NAME = re.compile(r"^facet-(\d{8}T\d{6}\.\d{6}Z)-([a-z][a-z-]*)\.db$")
# Temporary names: a copy being made or put back. One left behind by a crash is never taken for a
# backup (it does not match _BACKUP_NAME) and is removed by remove_interrupted_copies.
_PARTIAL_SUFFIX = ".partial"
INTERRUPTED_AFTER_SECONDS = 600
# The scratch folder a salvage reads a copy of the damaged file in (app/store/salvage.py).
SALVAGE_SCRATCH_PREFIX = ".salvage-"
_SIDE_FILES = ("-wal", "-shm")
# SQLite's result codes for a damaged file (the low byte of sqlite_errorcode).
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class BackupError(RuntimeError):
    """A backup could not be made or put back. The message is plain words for the patient or
    the clinic's IT; `problems` holds what the integrity check found when the copy was bad."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime  # UTC
    reason: str


def backup_folder(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_FOLDER


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """True when SQLite said the file itself is damaged ("malformed", "not a database")."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(error)
    return "malformed" in text or "not a database" in text


def check_database(db_path: Path, *, full: bool) -> list[str]:
    """What SQLite's check finds wrong with the file (empty when it is fine): `PRAGMA
    quick_check` (every page and record read, in time linear in the file's size) or, with
    `full`, `PRAGMA integrity_check` (also every index against its table). Reads only.

    A damaged file is reported, never raised; a file that cannot be opened or is locked raises
    sqlite3.OperationalError so the caller can say which."""
    return inspect_database(db_path, full=full)[0]


def inspect_database(db_path: Path, *, full: bool) -> tuple[list[str], set[str]]:
    """`check_database`'s findings and, when there are none, the names of the schema steps
    the file has had, read over one read-only connection."""
    try:
        conn = read_only_connection(db_path)
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return [str(error)], set()
        raise
    pragma = "PRAGMA integrity_check" if full else "PRAGMA quick_check"
    try:
        try:
            rows = conn.execute(pragma).fetchall()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) != sqlite3.SQLITE_READONLY_ROLLBACK:
                raise
            # A writer died mid-transaction in rollback-journal mode: SQLite's rule is that
            # the next opener rolls the hot journal back, which a read-only one cannot do.
            conn.close()
            roll_back_hot_journal(db_path)
            conn = read_only_connection(db_path)
            rows = conn.execute(pragma).fetchall()
        problems = [str(row[0]) for row in rows if row[0] != "ok"]
        return problems, set() if problems else applied_migrations(conn)
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return [str(error)], set()
        raise
    finally:
        conn.close()


def roll_back_hot_journal(db_path: Path) -> None:
    """Let SQLite roll back the -journal a crashed writer left (any read does it)."""
    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=rw", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def verify_diary(path: Path) -> None:
    """Raise BackupError unless `path` is a whole Facet Companion diary this version can open."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    if path.stat().st_size == 0:
        raise BackupError(f"{path.name} is empty: it holds no diary.")
    try:
        problems, applied = inspect_database(path, full=True)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name} could not be read: {error}.") from error
    if problems:
        raise BackupError(f"{path.name} is damaged, so it cannot be used: {problems[0]}", problems)
    if not applied:
        raise BackupError(f"{path.name} is not a Facet Companion diary.")
    try:
        refuse_if_newer(applied, path)
    except DatabaseNewerError as error:
        raise BackupError(
            f"{path.name} was made by a newer version of Facet Companion. "
            "Please update the app first."
        ) from error


def make_backup(db_path: Path, destination: Path, *, now: datetime, reason: str) -> Backup:
    """Copy the diary at `db_path` into the folder `destination` as a checked backup.

    Raises BackupError (plain words) when the copy is not good or cannot be written; nothing
    half-made is left with a backup's name."""
    if not re.fullmatch(r"[a-z][a-z-]*", reason):
        raise ValueError(f"a backup's reason is lower-case words joined by '-', not {reason!r}")
    destination = Path(destination)
    made_at = now.astimezone(UTC)
    final = destination / f"{BACKUP_PREFIX}{made_at.strftime(_STAMP)}-{reason}.db"
    try:
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)
        if final.exists():
            raise BackupError(f"A backup named {final.name} already exists in {destination}.")
        temporary = _temporary_name(final)
        try:
            copy_database(db_path, temporary)
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        fsync_folder(destination)
    except OSError as error:
        raise BackupError(
            f"The backup could not be written to {destination}: {error.strerror or error}."
        ) from error
    return Backup(path=final, made_at=made_at, reason=reason)


def copy_database(source: Path, target: Path, *, journal_mode: str = "DELETE") -> None:
    """Copy the SQLite file `source` (a consistent snapshot, its WAL included) into the new file
    `target`, check it with `PRAGMA integrity_check` and fsync it. Raises BackupError when the
    copy is not good. A backup is in rollback-journal mode ("DELETE"), one file; a copy about to
    become the diary is in "WAL" mode already, so that opening it never has to switch modes
    (a switch cut short leaves a journal that only a writer can roll back)."""
    if not Path(source).is_file():
        raise BackupError(f"There is no diary file at {source} to copy.")
    # Created empty and private first: SQLite takes an empty file as a new database, and the
    # copy's journal gets the same mode.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        reader = read_only_connection(source)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The diary could not be read: {error}.", [str(error)]) from error
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
            writer.execute(f"PRAGMA journal_mode = {journal_mode}")
            problems = [
                str(row[0]) for row in writer.execute("PRAGMA integrity_check") if row[0] != "ok"
            ]
        finally:
            writer.close()
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise BackupError(f"The diary could not be copied: {error}.") from error
        problems = [str(error)]
    finally:
        reader.close()
    if problems:
        raise BackupError(
            f"The copy failed its check, so the diary file itself may be damaged: {problems[0]}",
            problems,
        )
    fsync_file(target)


def backups_in(folder: Path) -> list[Backup]:
    """The backups in `folder` (checked when they were made), newest first."""
    found = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    for name in names:
        match = _BACKUP_NAME.match(name)
        if not match:
            continue
        made_at = datetime.fromisoformat(match.group(1))  # the basic ISO form, in UTC
        found.append(Backup(path=Path(folder) / name, made_at=made_at, reason=match.group(2)))
    return sorted(found, key=lambda backup: backup.made_at, reverse=True)


def good_backups(data_dir: Path) -> list[Backup]:
    """The automatic backups beside the diary, newest first. Each passed the full check when
    it was made; `restore` checks it again before putting it back."""
    return [backup for backup in backups_in(backup_folder(data_dir)) if _has_content(backup.path)]


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:  # rotated away by another process a moment ago
        return False


def newest_good_backup(data_dir: Path) -> Backup | None:
    backups = good_backups(data_dir)
    return backups[0] if backups else None


def prune_backups(data_dir: Path, *, now: datetime) -> list[Path]:
    """Remove the automatic backups the rotation no longer keeps (7 daily, 4 weekly), and
    copies a crash left half-made; returns what was removed."""
    folder = backup_folder(data_dir)
    backups = backups_in(folder)
    keep = backups_to_keep([backup.made_at for backup in backups], now)
    removed = []
    for backup in backups:
        if backup.made_at not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    removed += remove_interrupted_copies(folder)
    return removed


def remove_interrupted_copies(folder: Path) -> list[Path]:
    """Delete the temporary files of copies a crash interrupted (never a finished backup).
    Only those untouched for a while: another process may be making one right now."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        scratch = name.startswith(SALVAGE_SCRATCH_PREFIX)
        if not (scratch or name.startswith(".") and _PARTIAL_SUFFIX in name):
            continue
        path = Path(folder) / name
        try:
            if time.time() - path.stat().st_mtime > INTERRUPTED_AFTER_SECONDS:
                if scratch:
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def restore(data_dir: Path, backup_file: Path, *, now: datetime) -> Path | None:
    """Put the diary in `backup_file` in place of the current one.

    The file is first checked (a whole Facet Companion diary, not newer than this app); the
    current diary is backed up when it can be (reason "before-restore") and set aside under a
    dated name, never deleted. Returns where it was set aside, or None when there was no current
    file. Raises BackupError in plain words; the current diary is then unchanged."""
    return put_back(data_dir, backup_file, now=now, set_aside_as="set-aside", back_up_current=True)


def put_back(
    data_dir: Path,
    backup_file: Path,
    *,
    now: datetime,
    set_aside_as: str,
    back_up_current: bool,
    before_replacing: Callable[[Path | None], None] | None = None,
) -> Path | None:
    """`restore`, naming the set-aside file `facet-<set_aside_as>-<date>.db`; the current file is
    backed up first only when `back_up_current` (not when it is known to be damaged).
    `before_replacing` is called with the set-aside path just before the backup takes the
    diary's name (a repair records there what is left to do after)."""
    data_dir = Path(data_dir)
    backup_file = Path(backup_file)
    live = database_path(data_dir)
    verify_diary(backup_file)
    if live.exists() and backup_file.resolve() == live.resolve():
        raise BackupError("That file is the diary itself; choose a backup instead.")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        remove_interrupted_copies(data_dir)
        incoming = _temporary_name(live)
        try:
            copy_database(backup_file, incoming, journal_mode="WAL")
            has_current = live.exists()
            if has_current and back_up_current and live.stat().st_size > 0:
                _back_up_before_restore(live, data_dir, now)
            aside = set_aside(live, now=now, label=set_aside_as) if has_current else None
            for suffix in _SIDE_FILES:  # kept under the set-aside name; they belong to it
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            if before_replacing is not None:
                before_replacing(aside)
            os.replace(incoming, live)
        except BaseException:
            incoming.unlink(missing_ok=True)
            raise
        fsync_folder(data_dir)
    except OSError as error:
        raise BackupError(
            f"The backup could not be put in place in {data_dir}: {error.strerror or error}."
        ) from error
    return aside


def _back_up_before_restore(live: Path, data_dir: Path, now: datetime) -> None:
    """A checked copy of the diary about to be replaced, and its WAL folded into it so that
    setting the file aside carries everything. A damaged diary cannot be copied: it is still
    set aside whole."""
    try:
        problems = check_database(live, full=False)
    except sqlite3.DatabaseError:
        problems = ["unreadable"]
    if problems:
        return
    with contextlib.suppress(BackupError):  # the file is set aside whole in any case
        make_backup(live, backup_folder(data_dir), now=now, reason="before-restore")
    checkpoint(live)


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file and empty it, when SQLite can (not on a damaged file)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True, timeout=2)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass


def set_aside(live: Path, *, now: datetime, label: str) -> Path:
    """Keep the diary file (and its -wal and -shm) under a dated name beside it:
    `facet-<label>-20261201T151500Z.db`. The diary file itself is hard-linked, so it never
    stops existing under its own name until the caller replaces or removes it; the -wal and
    -shm files are moved. Returns the set-aside path."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = live.with_name(f"{BACKUP_PREFIX}{label}-{stamp}.db")
    number = 1
    while any(Path(f"{aside}{suffix}").exists() for suffix in ("", *_SIDE_FILES)):
        number += 1
        aside = live.with_name(f"{BACKUP_PREFIX}{label}-{stamp}-{number}.db")
    _link_or_copy(live, aside)
    for suffix in _SIDE_FILES:
        side = Path(f"{live}{suffix}")
        if side.exists():
            os.replace(side, f"{aside}{suffix}")
    for suffix in ("", *_SIDE_FILES):  # the patient's words: private, as the diary is
        if Path(f"{aside}{suffix}").exists():
            os.chmod(f"{aside}{suffix}", 0o600)
    fsync_folder(live.parent)
    return aside


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)
        fsync_file(target)


def _temporary_name(final: Path) -> Path:
    # os.urandom(4).hex() is what secrets.token_hex(4) does, without loading OpenSSL at start.
    return final.with_name(f".{final.name}{_PARTIAL_SUFFIX}-{os.urandom(4).hex()}")


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; folders cannot be opened on Windows)."""
    if os.name != "posix":
        return
    fsync_file(folder)
