"""Opening the diary safely: checked, backed up, and repaired from a backup when damaged.

Every opening that may write (the app, the reminder agent, the command line) goes through
`open_diary`:

1. A missing or empty diary file where backups exist is not quietly replaced by a new, empty
   diary: the problem "missing" is returned, and the patient chooses to restore the newest
   backup (`restore`) or to start a new diary (`start_new_diary`).
2. `PRAGMA quick_check` on every opening (it reads every page once; the full check, which also
   compares every index with its table, would cost more on each start).
3. At most once a day (the first opening on a UTC date, by whichever process) a backup is made;
   its copy passes `PRAGMA integrity_check` before it counts, so that is the full check of the
   day, done on a snapshot of the diary. A backup is also made before the schema is changed.
   The backups are then rotated (today's all, then 7 daily and 4 weekly;
   app/domain/backup_policy.py). A process that stays open across midnight (the reminder agent)
   calls `back_up_if_due`.
4. A damaged diary ("database disk image is malformed", "file is not a database", or a check
   that finds faults) is set aside under a dated name with its -wal and -shm, never deleted; the
   newest backup that passes the full check is put back; what still reads from the damaged file
   and is newer than that backup is copied into it; and `notice` says in plain words what
   happened and what could not be recovered. When another process (the agent, the command
   line) did this, the notice is kept in the diary and given to the app when it next opens.
5. What cannot be handled alone is a `problem` for the app to show: damaged with no good backup,
   a read-only file or folder (or a full disk), a database locked by another program, a file
   from a newer version, a missing diary with backups present. Nothing is deleted or written in
   any of these cases.
6. The app and the agent often start together: one repairs at a time (a lock file), and the
   other then opens the file the first put back. A process that keeps the diary open notices a
   new file in its place with `diary_identity`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.domain.backup_policy import daily_backup_due
from app.domain.dates import date_label, day_label, local_date
from app.i18n import N_, _, ngettext
from app.store.backups import (
    Backup,
    BackupError,
    backup_folder,
    backups_in,
    check_database,
    fsync_folder,
    good_backups,
    inspect_database,
    is_damage,
    make_backup,
    newest_good_backup,
    prune_backups,
    put_back,
    remove_interrupted_copies,
    set_aside,
    verify_diary,
)
from app.store.connection import Database
from app.store.database import (
    DatabaseNewerError,
    DatabaseRefusedError,
    database_path,
    open_database,
)
from app.store.migrations import known_migration_names

if TYPE_CHECKING:
    from app.store.salvage import SalvageResult

log = logging.getLogger(__name__)

ProblemKind = Literal["damaged", "read_only", "locked", "newer", "missing"]
REPAIR_LOCK_FILE = ".facet-repair.lock"
REPAIR_RECORD_FILE = ".facet-repair.json"  # a repair under way: what is left to do
# SQLite's result codes (low byte) that mean "another program holds the file" and "this
# program may not write here".
_LOCKED_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CANNOT_WRITE_CODES = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_AUTH,
}


@dataclass(frozen=True)
class DiaryProblem:
    kind: ProblemKind
    message: str  # plain words: what happened and what to do
    can_restore: bool  # True when a backup could be put back (restore the newest)


@dataclass(frozen=True)
class OpenedDiary:
    db: Database | None
    notice: str | None  # say once: what was done on its own (a damaged diary repaired)
    problem: DiaryProblem | None  # set when db is None


def open_diary(
    data_dir: Path, *, now: datetime, runner: str, zone: str | None = None
) -> OpenedDiary:
    """Open the diary in `data_dir` as described in this module's docstring. `runner` is "app",
    "agent" or "cli"; `zone` (default: this device's) is for the dates in the notice."""
    data_dir = Path(data_dir)
    path = database_path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _problem("read_only", _cannot_write_message(data_dir, error))
    remove_interrupted_copies(data_dir)
    try:
        return _open(data_dir, path, now=now, runner=runner, zone=zone)
    except sqlite3.OperationalError as error:
        kind = _kind_of(error)
        if kind is None and _is_io_error(error):
            if _no_room(data_dir):
                return _problem("read_only", _(NO_ROOM_MESSAGE))
            return _problem(
                "damaged",
                _(READ_ERROR_MESSAGE),
                can_restore=newest_good_backup(data_dir) is not None,
            )
        if kind is None:
            raise
        return _problem(kind, _message_for(kind, data_dir, error))
    except OSError as error:
        return _problem("read_only", _cannot_write_message(data_dir, error))


def back_up_if_due(data_dir: Path, *, now: datetime) -> None:
    """The day's backup for a process that keeps the diary open for days (the reminder agent),
    made once the UTC date has changed since the last one. Damage it finds is repaired by the
    next opening, not under this open connection."""
    data_dir = Path(data_dir)
    if not daily_backup_due([backup.made_at for backup in good_backups(data_dir)], now):
        return
    try:
        whole = _back_up(data_dir, database_path(data_dir), now=now, reason="daily")
    except (sqlite3.Error, OSError) as error:
        log.info("No backup of the diary could be made: %s", error)
        return
    if not whole:
        log.warning(
            "The diary file is damaged: it will be repaired from its newest backup "
            "when it is next opened."
        )


def diary_identity(data_dir: Path) -> tuple[int, int] | None:
    """Which file is the diary now (None when there is none). A restore or a repair puts a new
    file in its place: a process holding the old one open (the reminder agent) compares this
    with what it opened and opens the diary again when it differs."""
    try:
        return _identity(database_path(Path(data_dir)))
    except OSError:
        return None


def start_new_diary(data_dir: Path, *, now: datetime) -> Database:
    """A new diary, when the patient chooses it over restoring a missing one (or when a damaged
    one has no backup). The old file is set aside under a dated name, and the backups of the
    old diary move to a dated folder of their own inside backups/, where the rotation of the
    new diary's backups never removes them; nothing is deleted.

    When the old file still has rows that can be read (a damaged diary with no backup), they
    are copied into the new diary, and the notice saying so is returned by the next
    `open_diary(..., runner="app")`."""
    from app.store.salvage import salvage_newer_rows

    data_dir = Path(data_dir)
    path = database_path(data_dir)
    with _one_repair_at_a_time(data_dir):
        aside = None
        if path.exists():
            had_rows = path.stat().st_size > 0
            kept = set_aside(path, now=now, label="before-new-diary")
            aside = kept if had_rows else None
            path.unlink()
        old = backups_in(backup_folder(data_dir))
        if old:
            keep_in = backup_folder(data_dir) / f"earlier-diary-{now:%Y%m%dT%H%M%SZ}"
            keep_in.mkdir(mode=0o700, parents=True, exist_ok=True)
            for backup in old:
                backup.path.replace(keep_in / backup.path.name)
        db = open_database(data_dir)
        if aside is not None:
            schema = keep_in / old[0].path.name if old else None
            salvage = salvage_newer_rows(aside, db, scratch_in=data_dir, schema_from=schema)
            _leave_notice_for_app(db, new_diary_notice(salvage, aside.name))
    return db


def new_diary_notice(salvage: SalvageResult, aside_name: str) -> str:
    """What the patient is told after starting a new diary in place of an unreadable one."""
    parts = [_("A new diary was started in place of the one that could not be opened.")]
    copied = salvage.copied_total
    if copied:
        parts.append(
            ngettext(
                "{count} thing that could still be read from the old file was copied into it.",
                "{count} things that could still be read from the old file were copied into it.",
                copied,
            ).format(count=copied)
        )
    if not salvage.readable or not copied:
        parts.append(_("Nothing could be read from the old file."))
    elif not salvage.complete:
        parts.append(
            _(
                "Some parts could not be read: {parts}. Please look through your diary "
                "and add again anything that is missing."
            ).format(parts=_word_list(salvage.lost_kinds))
        )
    parts.append(
        _(
            "The old file was kept, not deleted: it is called {file} and is in the same "
            "folder as your diary."
        ).format(file=aside_name)
    )
    return " ".join(parts)


def _open(
    data_dir: Path, path: Path, *, now: datetime, runner: str, zone: str | None
) -> OpenedDiary:
    if not path.exists() or path.stat().st_size == 0:
        newest = newest_good_backup(data_dir)
        if newest is not None:
            return _problem(
                "missing", _missing_message(newest.made_at, now, _zone(zone)), can_restore=True
            )
        return _finish(data_dir, runner=runner, now=now, zone=zone)  # a new diary
    if not (os.access(path, os.W_OK) and os.access(data_dir, os.W_OK)):
        # SQLite would open it read-only without a word, and the first save would fail
        return _problem("read_only", _cannot_write_message(data_dir, None))
    found = _identity(path)
    problems, applied = inspect_database(path, full=False)
    if problems:
        return _recover_once(data_dir, path, found, now=now, runner=runner, zone=zone)
    if applied - known_migration_names():
        return _problem("newer", _(NEWER_MESSAGE))
    changes_schema = bool(applied) and bool(known_migration_names() - applied)
    made = [backup.made_at for backup in good_backups(data_dir)]
    if changes_schema or daily_backup_due(made, now):
        reason = "before-migration" if changes_schema else "daily"
        if not _back_up(data_dir, path, now=now, reason=reason):
            return _recover_once(data_dir, path, found, now=now, runner=runner, zone=zone)
    try:
        return _finish(data_dir, runner=runner, now=now, zone=zone, checked=True)
    except _DamageFound:
        return _recover_once(data_dir, path, found, now=now, runner=runner, zone=zone)


def _back_up(data_dir: Path, path: Path, *, now: datetime, reason: str) -> bool:
    """Make a backup and rotate; False when the diary itself turned out to be damaged. A backup
    that cannot be written (a full disk) does not stop the diary from opening."""
    try:
        make_backup(path, backup_folder(data_dir), now=now, reason=reason)
    except BackupError as error:
        if error.problems and check_database(path, full=True):
            return False  # the copy was bad because the diary is
        # Not a warning: a command's stderr keeps its one line, and "Your data" shows the date
        # of the last good backup, which then stays old.
        log.info("No backup of the diary could be made: %s", error)
        return True
    prune_backups(data_dir, now=now)
    return True


class _DamageFound(Exception):
    """SQLite called the file damaged while it was being opened (past the quick check)."""


def _finish(
    data_dir: Path,
    *,
    runner: str,
    now: datetime,
    zone: str | None,
    checked: bool = False,
    repair: dict[str, str] | None = None,
) -> OpenedDiary:
    """Open (and migrate) the file, finish a repair a crash interrupted, and hand the app a
    notice another process left. `checked`: the file was just found readable and not newer.
    Raises _DamageFound when SQLite finds damage the quick check did not."""
    try:
        db = open_database(data_dir, checked=checked)
    except DatabaseNewerError:
        return _problem("newer", _(NEWER_MESSAGE))
    except DatabaseRefusedError as error:
        raise _DamageFound(str(error)) from error
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        raise _DamageFound(str(error)) from error
    try:
        notice = _finish_repair(data_dir, db, now=now, zone=zone, repair=repair)
        if runner == "app":
            notice = _take_notice_left_for_app(db)
    except sqlite3.DatabaseError as error:
        db.close()
        if not is_damage(error):
            raise
        raise _DamageFound(str(error)) from error
    return OpenedDiary(db=db, notice=notice, problem=None)


def _identity(path: Path) -> tuple[int, int]:
    """Which file is at `path` (a repair puts a new one there; writes leave it the same)."""
    status = path.stat()
    return status.st_dev, status.st_ino


def _recover_once(
    data_dir: Path,
    path: Path,
    found: tuple[int, int],
    *,
    now: datetime,
    runner: str,
    zone: str | None,
) -> OpenedDiary:
    """`_recover`, by one process at a time: the app and the agent often start together (at
    login). The second to get here finds the file already replaced and opens that instead."""
    with _one_repair_at_a_time(data_dir):
        try:
            replaced = _identity(path) != found
        except FileNotFoundError:
            replaced = True
        if replaced:
            return _open(data_dir, path, now=now, runner=runner, zone=zone)
        return _recover(data_dir, path, now=now, runner=runner, zone=zone)


_repairs_held: set[Path] = set()  # folders whose repair lock this process holds


@contextlib.contextmanager
def _one_repair_at_a_time(data_dir: Path) -> Iterator[None]:
    """An exclusive lock on a file in the data folder, held by one process at a time (and
    taken once per process: a repair that opens the diary again does not wait on itself)."""
    folder = Path(data_dir).resolve()
    try:
        import fcntl
    except ImportError:  # Windows: no lock; a second repair works from the first one's result
        yield
        return
    if folder in _repairs_held:
        yield
        return
    descriptor = os.open(folder / REPAIR_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        _repairs_held.add(folder)
        try:
            yield
        finally:
            _repairs_held.discard(folder)
    finally:
        os.close(descriptor)  # lets the lock go


def _recover(
    data_dir: Path, path: Path, *, now: datetime, runner: str, zone: str | None
) -> OpenedDiary:
    """Set the damaged file aside, put the newest good backup back, copy newer rows over.

    Between putting the backup back and telling the patient, a record in the data folder says
    what is left to do, so a crash in between is finished by the next opening."""
    for backup in good_backups(data_dir):
        try:
            verify_diary(backup.path)
        except BackupError as error:
            log.info("Backup %s cannot be used: %s", backup.path.name, error)
            if error.problems:  # it was whole when made: the disk has spoiled it since
                backup.path.unlink(missing_ok=True)
            continue
        break
    else:
        return _problem("damaged", _damaged_message(data_dir))
    try:
        record: dict[str, str] = {}

        def record_repair(aside: Path | None) -> None:
            if aside is not None:
                record.update(_repair_record(data_dir, aside, backup))

        put_back(
            data_dir,
            backup.path,
            now=now,
            set_aside_as="damaged",
            back_up_current=False,
            before_replacing=record_repair,
        )
        opened = _finish(data_dir, runner=runner, now=now, zone=zone, repair=record or None)
    except (BackupError, _DamageFound) as error:
        return _problem(
            "damaged",
            _not_put_back_message(backup.made_at, now, _zone(zone), error),
            can_restore=True,
        )
    if opened.db is not None:
        _back_up(data_dir, path, now=now, reason="after-recovery")
    return opened


def _repair_record(data_dir: Path, aside: Path, backup: Backup) -> dict[str, str]:
    """What is left to do once the backup is back, written to the data folder (when there is
    room) before the backup takes the diary's name, so that the next opening finishes it if
    this process dies first."""
    record = {
        "aside": aside.name,
        "backup": backup.path.name,
        "backup_made_at": backup.made_at.isoformat(),
    }
    temporary = data_dir / f"{REPAIR_RECORD_FILE}.partial"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(descriptor, json.dumps(record).encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, data_dir / REPAIR_RECORD_FILE)
    except OSError as error:
        log.info("The repair could not be recorded: %s", error)
    return record


def _finish_repair(
    data_dir: Path, db: Database, *, now: datetime, zone: str | None, repair: dict[str, str] | None
) -> str | None:
    """Copy what is newer from the damaged file into the restored diary and leave the notice
    for the app, in one transaction, when a repair is under way (`repair`, or the record a
    crash left in the data folder); returns the notice (None when no repair was under way)."""
    record_path = data_dir / REPAIR_RECORD_FILE
    if repair is None and not record_path.exists():
        return None  # the ordinary opening: one look at the folder
    from app.store.salvage import SalvageResult, salvage_newer_rows  # only when needed
    from app.store.settings_repository import RECOVERY_NOTICE_KEY, SettingsRepository

    try:
        record = repair or json.loads(record_path.read_text(encoding="utf-8"))
        aside = data_dir / record["aside"]
        made_at = datetime.fromisoformat(record["backup_made_at"])
        schema_from = backup_folder(data_dir) / record["backup"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        record_path.unlink(missing_ok=True)  # unreadable: nothing can be finished from it
        return None
    settings = SettingsRepository(db)
    notice = settings.get(RECOVERY_NOTICE_KEY)
    if not isinstance(notice, str):  # else: done, only the record was left
        with db.atomic():
            try:
                salvage = salvage_newer_rows(
                    aside,
                    db,
                    scratch_in=data_dir,
                    schema_from=schema_from if schema_from.is_file() else None,
                )
            except (sqlite3.Error, OSError) as error:  # no room for the scratch copy, say
                log.info("Nothing could be salvaged: %s", error)
                salvage = SalvageResult(readable=False)
            log.info(
                "Damaged diary set aside as %s; backup of %s put back; salvage: copied "
                "%s, skipped %s, unreadable %s %s",
                aside.name,
                made_at,
                salvage.copied,
                salvage.skipped,
                salvage.unreadable,
                salvage.unreadable_tables,
            )
            notice = recovery_notice(made_at, salvage, aside.name, now=now, zone=_zone(zone))
            settings.put(RECOVERY_NOTICE_KEY, notice)
    record_path.unlink(missing_ok=True)
    fsync_folder(data_dir)
    return notice


def recovery_notice(
    backup_made_at: datetime,
    salvage: SalvageResult,
    aside_name: str | None,
    *,
    now: datetime,
    zone: str,
) -> str:
    """What the patient is told after a damaged diary was repaired, in plain words."""
    when = date_label(backup_made_at, now, zone, in_sentence=True)
    since_day = day_label(local_date(backup_made_at, zone), local_date(now, zone), in_sentence=True)
    parts = [
        _(
            "Your diary file was damaged, so Facet Companion put it aside and brought back "
            "your backup from {when}."
        ).format(when=when)
    ]
    if not salvage.readable:
        parts.append(
            _(
                "What you saved after that could not be read from the damaged file. "
                "Please look through your diary since {day} and add again anything "
                "that is missing."
            ).format(day=since_day)
        )
    else:
        copied = salvage.copied_total
        if copied:
            parts.append(
                ngettext(
                    "{count} thing you saved after that backup was copied back from the damaged "
                    "file.",
                    "{count} things you saved after that backup were copied back from the damaged "
                    "file.",
                    copied,
                ).format(count=copied)
            )
        if salvage.complete:
            parts.append(_("Nothing you saved was lost."))
        else:
            parts.append(
                _(
                    "Some parts could not be read: {parts}. Anything of these you saved "
                    "or changed since {day} may be missing: please look through them "
                    "and add it again."
                ).format(parts=_word_list(salvage.lost_kinds), day=since_day)
            )
    if aside_name:
        parts.append(
            _(
                "The damaged file was kept, not deleted: it is called {file} and is in "
                "the same folder as your diary."
            ).format(file=aside_name)
        )
    return " ".join(parts)


def _word_list(words: list[str]) -> str:
    """ "pain diary entries, checklist ticks and settings", in the patient's language."""
    shown = [_(word) for word in words]
    if len(shown) == 1:
        return shown[0]
    return _("{items} and {last}").format(items=", ".join(shown[:-1]), last=shown[-1])


def _leave_notice_for_app(db: Database, notice: str) -> None:
    from app.store.settings_repository import RECOVERY_NOTICE_KEY, SettingsRepository

    SettingsRepository(db).put(RECOVERY_NOTICE_KEY, notice)


def _take_notice_left_for_app(db: Database) -> str | None:
    from app.store.settings_repository import RECOVERY_NOTICE_KEY, SettingsRepository

    settings = SettingsRepository(db)
    left = settings.get(RECOVERY_NOTICE_KEY)
    if not isinstance(left, str):
        return None
    try:
        settings.remove(RECOVERY_NOTICE_KEY)
    except sqlite3.OperationalError:
        return None  # say it next time
    return left


def _problem(kind: ProblemKind, message: str, *, can_restore: bool = False) -> OpenedDiary:
    return OpenedDiary(
        db=None,
        notice=None,
        problem=DiaryProblem(kind=kind, message=message, can_restore=can_restore),
    )


def _kind_of(error: sqlite3.OperationalError) -> ProblemKind | None:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code in _LOCKED_CODES:
        return "locked"
    if code in _CANNOT_WRITE_CODES or code == sqlite3.SQLITE_FULL:
        return "read_only"
    return None


NEWER_MESSAGE = N_(
    "Your diary was last saved by a newer version of Facet Companion, so this "
    "version cannot open it. Please update the app. Nothing has been changed."
)


def _message_for(kind: ProblemKind, data_dir: Path, error: sqlite3.OperationalError) -> str:
    if kind == "locked":
        return _(
            "Your diary is being used by another program right now, so it could not be "
            "opened. Close any other Facet Companion window, wait a minute and try again. "
            "Nothing has been changed."
        )
    return _cannot_write_message(data_dir, error)


def _is_io_error(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_IOERR


def _no_room(data_dir: Path) -> bool:
    """True when the disk holding the diary is (all but) full."""
    import shutil

    try:
        return shutil.disk_usage(data_dir).free < NO_ROOM_BYTES
    except OSError:
        return False


NO_ROOM_BYTES = 1 << 20
NO_ROOM_MESSAGE = N_(
    "There is no room left on this device, so your diary could not be opened. "
    "Free some space (delete photos, videos or apps you do not need) and try "
    "again. Nothing has been changed."
)
READ_ERROR_MESSAGE = N_(
    "Your diary could not be read from this device's storage (a read "
    "error). Nothing has been changed. Please try again; if it keeps "
    "happening, the storage may be failing: ask someone who helps you with "
    "this device."
)


def _cannot_write_message(data_dir: Path, error: Exception | None) -> str:
    if (
        isinstance(error, sqlite3.OperationalError)
        and (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_FULL
    ):
        return _(NO_ROOM_MESSAGE)
    return _(
        "Your diary could not be opened because the app is not allowed to save in the "
        "folder it is kept in ({folder}), so it could not keep what you add. Nothing has "
        "been changed. Someone who helps you with this device can allow the app to save "
        "there again; then try again."
    ).format(folder=data_dir)


def _missing_message(newest: datetime, now: datetime, zone: str) -> str:
    return _(
        "Your diary file is missing or empty, but there are backups of it. The newest is "
        "from {when}. Restore it to get your diary back, or start a new, empty "
        "diary."
    ).format(when=date_label(newest, now, zone, in_sentence=True))


def _not_put_back_message(made_at: datetime, now: datetime, zone: str, error: Exception) -> str:
    return _(
        "Your diary file is damaged, and your backup from {when} could not be put in its "
        "place ({problem}). Nothing has been deleted. Please try again; if it fails "
        "again, ask someone who helps you with this device."
    ).format(when=date_label(made_at, now, zone, in_sentence=True), problem=error)


def _damaged_message(data_dir: Path) -> str:
    return _(
        "Your diary file is damaged and there is no backup to bring back. Nothing has "
        "been deleted: the file is still in {folder}. Please keep it, and ask the clinic "
        "or someone who helps you with this device before you start a new diary."
    ).format(folder=data_dir)


def _zone(zone: str | None) -> str:
    """The zone given, else this device's (looked up only when a message needs a date)."""
    if zone:
        return zone
    from app.services.clock import SystemClock

    return SystemClock().zone()
