"""The clinic kiosk: a tablet the clinic hands to one patient after another. No Kivy.

Rules, with their numbers:
- The staff PIN is `PIN_MIN_DIGITS` to `PIN_MAX_DIGITS` digits. Only a salted scrypt hash of it is
  stored (`hashlib.scrypt`, a fresh random salt each time it is set), compared in constant time.
- `PIN_TRIES` wrong PINs in a row lock PIN entry for `PIN_LOCK` (5 minutes). The count and the
  end of the lock are stored in the database with their time, so a restart does not reset them.
- The tablet covers itself after `idle_minutes` without a touch (default `DEFAULT_IDLE_MINUTES`).
- A session is open from "New patient" until "Finish with this patient".
- Finishing writes the report (PDF, and FHIR when the clinic turned it on) and a copy of the
  session's diary into a new folder inside the clinic's reports folder first. Only when both are
  written is the patient's data wiped: every row of every patient table and every patient setting,
  with `secure_delete` on, the write-ahead log checkpointed and truncated, the file vacuumed, and
  the files the app made in the data folder (backups, reports, calendar files, set-aside diaries)
  removed. The clinic's settings (`CLINIC_SETTING_KEYS`), its pathway file and the PIN stay.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.i18n import N_, _, ngettext
from app.services.kiosk_flag import KIOSK_KEY, kiosk_stored_as_on
from app.services.language import CLINIC_LANGUAGE_KEY, LANGUAGE_KEY
from app.store.backups import BACKUP_FOLDER, SALVAGE_SCRATCH_PREFIX, BackupError, make_backup
from app.store.block_diary_repository import PatientRepository
from app.store.connection import Database
from app.store.database import DATABASE_FILE, database_path, open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import (
    CLINIC_KEY,
    GUIDE_OFFERED_KEY,
    RECOVERY_NOTICE_KEY,
    REMINDERS_KEY,
    SET_UP_KEY,
    SettingsRepository,
)

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12
PIN_TRIES = 5
PIN_LOCK = timedelta(minutes=5)
DEFAULT_IDLE_MINUTES = 3
IDLE_MINUTES_RANGE = (1, 60)
# scrypt's cost: 16 MiB of memory and about 50 ms per check, so guessing a 6-digit PIN from a
# copied database takes hours, not seconds, while a tap on the PIN pad still feels immediate.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LENGTH = 2**14, 8, 1, 32
SALT_BYTES = 16

PIN_LOCK_KEY = "kiosk.pin_lock"  # wrong PINs in a row and the end of a lock
SESSION_KEY = "kiosk.session"  # when the patient's session was opened

# The settings that belong to the clinic and survive a finished session. Every other settings
# key is the patient's and is deleted: `PATIENT_SETTING_KEYS` names the ones the app writes today
# (display: the patient's text size; reminders: quiet hours, read aloud, helpers here; set_up and
# guide.offered: the first-run guide, offered again to the next patient; reports.folder: where this
# patient saved a report; your_data.folder: where this patient saved a backup (Your data is hidden
# in kiosk mode, but a diary used before kiosk mode may hold it); data_safety.notice: what a repair
# of this diary told the patient; kiosk.session: the session itself). The clinic's settings under
# "clinic" include its name, phone, instructions and pathway file.
# The language: the patient's (language) and the clinic's for its part of reports.
CLINIC_SETTING_KEYS = (CLINIC_KEY, KIOSK_KEY, PIN_LOCK_KEY, CLINIC_LANGUAGE_KEY)
PATIENT_SETTING_KEYS = (
    "display",
    REMINDERS_KEY,
    SET_UP_KEY,
    GUIDE_OFFERED_KEY,
    "reports.folder",
    "your_data.folder",
    RECOVERY_NOTICE_KEY,
    SESSION_KEY,
    LANGUAGE_KEY,
)
# Tables kept whole: the settings (only the clinic's keys stay) and sqlite-utils' record of the
# schema steps. Every other table holds the patient's data (the diary, the plan and procedures,
# checklist marks and answers, medicines, driver and helpers, the block diary with its baselines,
# prompts and paper scores, outcome check-ins, name and date of birth, reminder states and the
# calendar ledger) and is emptied, including any table a later version adds.
KEPT_TABLES = ("settings", "_sqlite_migrations")
# Emptied by the wipe too, but no sign that a patient used the tablet: which process delivered
# reminders last, written by the app itself every few seconds.
BOOKKEEPING_TABLES = ("reminder_heartbeats",)

SESSION_FOLDER_PREFIX = "facet-session-"
SESSION_BACKUP_REASON = "kiosk-session"  # the diary copy: facet-<time>-kiosk-session.db
# Files the app makes in its data folder beside the database: reports and calendar files saved
# there, the temporary files of an interrupted save (".name.XXXX", ".name.partial-XXXX"), the
# repair lock, and diaries set aside after damage or a restore ("facet-damaged-<time>.db",
# "facet.db.<something>", with their -wal and -shm). The database and its -wal and -shm files
# are wiped in place. A salvage's scratch folders (".salvage-...") go whole.
APP_FILE_PATTERNS = (
    re.compile(r"\.?facet-.*"),
    re.compile(r"\.?[^/]*\.ics(\..*)?"),
    re.compile(rf"\.?{re.escape(DATABASE_FILE)}[.-].*"),
)
APP_FOLDER_PATTERNS = (re.compile(rf"{re.escape(SALVAGE_SCRATCH_PREFIX)}.*"),)
# A diary set aside holds a patient's words too: it goes to the clinic with the session's record
# (set aside means never deleted unseen), then leaves the data folder with the wipe.
SET_ASIDE_DIARY = re.compile(
    rf"(facet-(?!report-|companion-).*\.db|{re.escape(DATABASE_FILE)}\.[^-]+)(-wal|-shm)?"
)
SET_ASIDE_FOLDER = "set-aside"
DATABASE_OWN_FILES = (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm")

Progress = Callable[[float, str], None]
# What a system notification says in kiosk mode: the patient's words would show in the tablet's
# notification area (and be read aloud in the waiting room) for anyone to see.
WORDLESS_TITLE = "Facet Companion"
WORDLESS_MESSAGE = N_("A question from your care team is waiting. Tap to answer.")


class KioskError(ValueError):
    """A problem staff can act on; `str()` is one plain sentence."""


class KioskNotSetUpError(KioskError):
    pass


class WrongPinError(KioskError):
    def __init__(self, message: str, tries_left: int, locked_until: datetime | None) -> None:
        super().__init__(message)
        self.tries_left = tries_left
        self.locked_until = locked_until


class PinLockedError(KioskError):
    def __init__(self, message: str, locked_until: datetime) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class KioskSettings:
    set_up: bool = False
    enabled: bool = False
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    reports_folder: str = ""
    fhir: bool = False


@dataclass(frozen=True)
class KioskStatus:
    set_up: bool
    enabled: bool
    idle_minutes: int
    reports_folder: str
    locked_until: datetime | None
    session_open: bool
    session_opened_at: datetime | None

    def as_json(self) -> dict:
        return {
            "set_up": self.set_up,
            "enabled": self.enabled,
            "idle_minutes": self.idle_minutes,
            "reports_folder": self.reports_folder,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "session_open": self.session_open,
            "session_opened_at": (
                self.session_opened_at.isoformat() if self.session_opened_at else None
            ),
        }


@dataclass(frozen=True)
class SessionRecord:
    """What was written to the clinic's folder before the wipe."""

    folder: Path
    reports: tuple[Path, ...]
    diary_copy: Path


@dataclass(frozen=True)
class WipeResult:
    rows_deleted: int
    settings_deleted: tuple[str, ...]
    files_removed: tuple[Path, ...]
    files_kept: tuple[Path, ...] = field(default=())  # unknown files left in the data folder
    wal_bytes: int = 0  # the write-ahead log's size afterwards: 0 when truncated


# --- the PIN ---------------------------------------------------------------------------------


def check_new_pin(pin: str, again: str | None = None) -> str:
    """The PIN to store, or `KioskError` saying what is wrong with it."""
    if not (pin.isascii() and pin.isdigit()):
        raise KioskError(
            _("The staff PIN must be digits only, {minimum} or more.").format(
                minimum=PIN_MIN_DIGITS
            )
        )
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise KioskError(
            _(
                "The staff PIN must be {minimum} to {maximum} digits long; this one has {count}."
            ).format(minimum=PIN_MIN_DIGITS, maximum=PIN_MAX_DIGITS, count=len(pin))
        )
    if len(set(pin)) == 1:
        raise KioskError(_("The staff PIN cannot be one digit repeated; choose another."))
    if again is not None and again != pin:
        raise KioskError(_("The two PINs are not the same. Nothing was changed."))
    return pin


def hash_pin(pin: str, salt: bytes | None = None) -> dict:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_LENGTH
    )
    return {"salt": salt.hex(), "hash": digest.hex(), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}


def pin_matches(pin: str, stored: dict) -> bool:
    try:
        salt = bytes.fromhex(stored["salt"])
        expected = bytes.fromhex(stored["hash"])
        digest = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=salt,
            n=int(stored["n"]),
            r=int(stored["r"]),
            p=int(stored["p"]),
            dklen=len(expected),
        )
    except (KeyError, TypeError, ValueError):
        return False
    return hmac.compare_digest(digest, expected)


def check_idle_minutes(value: object) -> int:
    """`value` as the idle minutes, or `KioskError`: it may come from the stored settings, so
    anything but a whole number in range (True is not 1) is refused."""
    low, high = IDLE_MINUTES_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise KioskError(
            _("The idle time must be a whole number of minutes from {low} to {high}.").format(
                low=low, high=high
            )
        )
    return value


def check_reports_folder(folder: str | os.PathLike, data_dir: Path) -> Path:
    """The clinic's folder for reports: it must exist, be writable, and lie outside the data
    folder (whatever is in the data folder is wiped after each patient)."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise KioskError(
            _("The reports folder {folder} does not exist.").format(folder=_short(path))
        )
    if not os.access(path, os.W_OK | os.X_OK):
        raise KioskError(
            _("The reports folder {folder} cannot be written to.").format(folder=_short(path))
        )
    resolved, data = path.resolve(), Path(data_dir).resolve()
    if resolved == data or data in resolved.parents:
        raise KioskError(
            _(
                "The reports folder must be outside the app's data folder, which is "
                "emptied after each patient."
            )
        )
    return resolved


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 80 else "…" + text[-79:]


# --- the service -----------------------------------------------------------------------------


class KioskService:
    """Kiosk settings, the PIN and its lock, the session, and finishing it."""

    def __init__(self, db: Database, data_dir: str | os.PathLike) -> None:
        self.db = db
        self.data_dir = Path(data_dir)
        self.settings_store = SettingsRepository(db)

    # settings
    def settings(self) -> KioskSettings:
        stored = self.settings_store.get(KIOSK_KEY, {})
        if not isinstance(stored, dict):
            return KioskSettings()
        idle = stored.get("idle_minutes", DEFAULT_IDLE_MINUTES)
        try:
            idle = check_idle_minutes(idle)
        except KioskError:
            idle = DEFAULT_IDLE_MINUTES
        return KioskSettings(
            set_up=isinstance(stored.get("pin"), dict),
            enabled=kiosk_stored_as_on(stored),
            idle_minutes=idle,
            reports_folder=str(stored.get("reports_folder") or ""),
            fhir=stored.get("fhir") is True,
        )

    def set_up(
        self,
        pin: str,
        again: str,
        *,
        idle_minutes: int = DEFAULT_IDLE_MINUTES,
        reports_folder: str | os.PathLike,
        fhir: bool = False,
        enable: bool = True,
    ) -> KioskSettings:
        """Store a new PIN (hashed), the idle time and the reports folder; kiosk mode is on
        from the next start (`enable`). Checks everything before changing anything."""
        check_new_pin(pin, again)
        idle = check_idle_minutes(idle_minutes)
        folder = check_reports_folder(reports_folder, self.data_dir)
        with self.db.atomic():
            self.settings_store.put(
                KIOSK_KEY,
                {
                    "pin": hash_pin(pin),
                    "idle_minutes": idle,
                    "reports_folder": str(folder),
                    "fhir": bool(fhir),
                    "enabled": bool(enable),
                },
            )
            self.settings_store.put(PIN_LOCK_KEY, {"failures": 0, "locked_until": None})
        return self.settings()

    def set_enabled(self, enabled: bool) -> None:
        stored = self._stored()
        stored["enabled"] = bool(enabled)
        self.settings_store.put(KIOSK_KEY, stored)

    def _stored(self) -> dict:
        stored = self.settings_store.get(KIOSK_KEY, {})
        if not isinstance(stored, dict) or not isinstance(stored.get("pin"), dict):
            raise KioskNotSetUpError(
                _(
                    "The clinic kiosk is not set up yet: run `kiosk setup` "
                    "or use Settings > Clinic kiosk."
                )
            )
        return stored

    # the PIN and its lock
    def locked_until(self, now: datetime) -> datetime | None:
        """When PIN entry opens again, or None while it is open."""
        until = _instant(self._lock().get("locked_until"))
        return until if until is not None and until > now else None

    def check_pin(self, pin: str, *, now: datetime, zone: str = "UTC") -> None:
        """Return quietly for the right PIN; raise `WrongPinError` or `PinLockedError`. While
        locked, the PIN is not even compared, so guessing during a lock teaches nothing."""
        stored = self._stored()
        with self.db.atomic():  # the count is read and written as one step
            lock = self._lock()
            until = _instant(lock.get("locked_until"))
            if until is not None and until > now:
                raise PinLockedError(lock_message(until, zone), until)
            if pin_matches(pin, stored["pin"]):
                self.settings_store.put(PIN_LOCK_KEY, {"failures": 0, "locked_until": None})
                return
            failures = int(lock.get("failures") or 0) + 1
            locked_until = now + PIN_LOCK if failures >= PIN_TRIES else None
            if locked_until is not None:
                self.settings_store.put(
                    PIN_LOCK_KEY, {"failures": 0, "locked_until": locked_until.isoformat()}
                )
            else:
                self.settings_store.put(PIN_LOCK_KEY, {"failures": failures, "locked_until": None})
        if locked_until is not None:
            raise WrongPinError(
                _("That PIN is not right. {lock}").format(lock=lock_message(locked_until, zone)),
                0,
                locked_until,
            )
        left = PIN_TRIES - failures
        raise WrongPinError(
            ngettext(
                "That PIN is not right. {count} more try before PIN entry is locked "
                "for {minutes} minutes.",
                "That PIN is not right. {count} more tries before PIN entry is locked "
                "for {minutes} minutes.",
                left,
            ).format(count=left, minutes=int(PIN_LOCK.total_seconds() // 60)),
            left,
            None,
        )

    def _lock(self) -> dict:
        stored = self.settings_store.get(PIN_LOCK_KEY, {})
        return stored if isinstance(stored, dict) else {}

    # the session
    def session_opened_at(self) -> datetime | None:
        stored = self.settings_store.get(SESSION_KEY)
        return _instant(stored.get("opened_at")) if isinstance(stored, dict) else None

    def start_session(
        self,
        *,
        now: datetime,
        patient: PatientDetails | None = None,
        procedure: Procedure | None = None,
    ) -> None:
        """A session for the patient the tablet is handed to, opened at `now`, in one
        transaction with what staff entered: the patient's name and birth date (on the report,
        so staff know whose it is) and their procedure (the plan is then set up, and the
        first-run guide is not offered again). Without a procedure the patient enters their
        own plan in the guide."""
        with self.db.atomic():
            self.settings_store.put(SESSION_KEY, {"opened_at": now.astimezone(UTC).isoformat()})
            if patient is not None and not patient.is_empty:
                PatientRepository(self.db).save(patient)
            if procedure is not None:
                PlanRepository(self.db).add_procedure(procedure)
                self.settings_store.mark_set_up()
                self.settings_store.mark_guide_offered()

    def has_patient_data(self) -> bool:
        """True while any patient table holds a row (a diary left from before a session, too)."""
        return any(
            self.db.execute(f"SELECT 1 FROM [{table}] LIMIT 1").fetchone()
            for table in patient_tables(self.db)
            if table not in BOOKKEEPING_TABLES
        )

    def status(self, *, now: datetime) -> KioskStatus:
        settings = self.settings()
        opened = self.session_opened_at()
        return KioskStatus(
            set_up=settings.set_up,
            enabled=settings.enabled,
            idle_minutes=settings.idle_minutes,
            reports_folder=settings.reports_folder,
            locked_until=self.locked_until(now),
            session_open=opened is not None,
            session_opened_at=opened,
        )

    # finishing
    def record_session(
        self,
        out: str | os.PathLike | None,
        *,
        now: datetime,
        zone: str,
        progress: Progress | None = None,
    ) -> SessionRecord:
        """The report(s) and the diary copy, in a new folder in the clinic's folder (or `out`).
        A worker thread calls `write_session_record` with the settings read here instead: this
        service's connection belongs to the thread that made it."""
        settings = self.settings()
        return write_session_record(
            self.data_dir,
            out or settings.reports_folder,
            now=now,
            zone=zone,
            fhir=settings.fhir,
            progress=progress,
        )

    def wipe(self) -> WipeResult:
        return wipe_patient_data(self.db, self.data_dir)

    def finish(
        self,
        out: str | os.PathLike | None,
        *,
        now: datetime,
        zone: str,
        progress: Progress | None = None,
    ) -> tuple[SessionRecord, WipeResult]:
        """Write the session's record, then wipe. A record that fails wipes nothing."""
        record = self.record_session(out, now=now, zone=zone, progress=progress)
        return record, self.wipe()


def lock_message(until: datetime, zone: str = "UTC") -> str:
    """ "... locked until 15:35." in the local time of `zone` (the zone named when it is UTC)."""
    local = until.astimezone(ZoneInfo(zone))
    suffix = " UTC" if zone == "UTC" else ""
    return _("After {tries} wrong PINs in a row, PIN entry is locked until {time}.").format(
        tries=PIN_TRIES, time=f"{local:%H:%M}{suffix}"
    )


def _instant(text) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


class WordlessNotifier:
    """A notifier for kiosk mode: while `in_kiosk()` holds, system notifications carry no words
    of the reminder and nothing is read aloud; otherwise it passes everything to `inner`."""

    def __init__(self, inner, in_kiosk: Callable[[], bool]) -> None:
        self.inner = inner
        self.in_kiosk = in_kiosk

    def notify(self, title: str, message: str, *, tag: str | None = None) -> bool:
        if self.in_kiosk():
            return self.inner.notify(WORDLESS_TITLE, _(WORDLESS_MESSAGE), tag=tag)
        return self.inner.notify(title, message, tag=tag)

    def speak(self, text: str) -> bool:
        return False if self.in_kiosk() else self.inner.speak(text)

    def close(self, timeout: float = 10.0) -> None:
        self.inner.close(timeout)

    def __getattr__(self, name: str):
        # The rest (last_error, a test double's records) is the wrapped notifier's own.
        return getattr(self.inner, name)


# --- the record written before the wipe ------------------------------------------------------


def session_folder_name(now: datetime) -> str:
    return f"{SESSION_FOLDER_PREFIX}{now.astimezone(UTC):%Y-%m-%d-%H%M%S}Z"


def write_session_record(
    data_dir: Path,
    out: str | os.PathLike,
    *,
    now: datetime,
    zone: str,
    fhir: bool,
    progress: Progress | None = None,
) -> SessionRecord:
    from app.services.report_writer import ReportFolderError, folder_problem
    from app.services.reports import export_report

    progress = progress or (lambda _fraction, _message: None)
    if not out:
        raise KioskError(_("No reports folder is set: give one with --out, or set it up again."))
    base = check_reports_folder(out, data_dir)
    problem = folder_problem(base)
    if problem:
        raise KioskError(problem)
    folder = _new_folder(base, session_folder_name(now))
    formats = ("pdf", "fhir") if fhir else ("pdf",)
    share = 0.85 / len(formats)
    db = open_database(data_dir)
    try:
        reports = []
        for index, fmt in enumerate(formats):

            def scaled(fraction: float, message: str, start: float = index * share) -> None:
                progress(start + share * fraction, message)

            try:
                reports.append(export_report(db, fmt, folder, now=now, zone=zone, progress=scaled))
            except OSError as error:
                raise ReportFolderError(
                    _("The report could not be written to {folder} ({reason}).").format(
                        folder=_short(folder), reason=error.strerror or error
                    )
                ) from error
    finally:
        db.close()
    progress(0.9, _("Copying the diary"))
    # The backup before a kiosk wipe (issue 10): checked, and never inside the data folder.
    try:
        copy = make_backup(database_path(data_dir), folder, now=now, reason=SESSION_BACKUP_REASON)
    except BackupError as error:
        raise KioskError(_("{problem} Nothing was wiped.").format(problem=error)) from error
    copy_set_aside_diaries(data_dir, folder / SET_ASIDE_FOLDER)
    progress(1.0, _("Saved"))
    return SessionRecord(folder=folder, reports=tuple(reports), diary_copy=copy.path)


def copy_set_aside_diaries(data_dir: Path, destination: Path) -> list[Path]:
    """Copies of the diaries set aside in the data folder (after damage or a restore), kept with
    the session's record before the wipe removes them."""
    copied = []
    for path in sorted(Path(data_dir).iterdir()):
        if path.is_file() and SET_ASIDE_DIARY.fullmatch(path.name):
            destination.mkdir(mode=0o700, exist_ok=True)
            target = destination / path.name
            shutil.copyfile(path, target)
            os.chmod(target, 0o600)
            copied.append(target)
    return copied


def _new_folder(base: Path, name: str) -> Path:
    """A folder of its own for this session, never one that is already there."""
    for number in range(1, 1000):
        folder = base / (name if number == 1 else f"{name}-{number}")
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return folder
    raise KioskError(
        _("Too many sessions named {name} in {folder}.").format(name=name, folder=_short(base))
    )


# --- the wipe --------------------------------------------------------------------------------


def patient_tables(db: Database) -> list[str]:
    return [
        name
        for name in db.table_names()
        if name not in KEPT_TABLES and not name.startswith("sqlite_")
    ]


def wipe_patient_data(db: Database, data_dir: Path) -> WipeResult:
    """Delete every patient row and setting so that no byte of them stays in any file the app
    keeps in `data_dir`. See the module's docstring for what stays."""
    conn = db.conn
    # Deleted content is overwritten with zeros instead of only being marked free.
    conn.execute("PRAGMA secure_delete = ON")
    rows = 0
    with db.atomic():
        for table in patient_tables(db):
            rows += db.execute(f"DELETE FROM [{table}]").rowcount
        placeholders = ", ".join("?" for _ in CLINIC_SETTING_KEYS)
        deleted = tuple(
            key
            for (key,) in db.execute(
                f"SELECT key FROM settings WHERE key NOT IN ({placeholders}) ORDER BY key",
                list(CLINIC_SETTING_KEYS),
            )
        )
        db.execute(
            f"DELETE FROM settings WHERE key NOT IN ({placeholders})", list(CLINIC_SETTING_KEYS)
        )
    # The log still holds every page the patient's session wrote: copy what is current into
    # the file, empty the log, rebuild the file from the live rows only, and empty the log again.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    removed, kept = remove_app_files(data_dir)
    if busy:
        raise KioskError(
            _(
                "Another program (the reminder helper) is reading the diary, so the "
                "wipe could not finish. Close it and finish again."
            )
        )
    wal = database_path(data_dir).with_name(f"{DATABASE_FILE}-wal")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    return WipeResult(
        rows_deleted=rows,
        settings_deleted=deleted,
        files_removed=removed,
        files_kept=kept,
        wal_bytes=wal_bytes,
    )


def remove_app_files(data_dir: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Remove what the app made in its data folder besides the database itself: the automatic
    backups, and the reports, calendar files, temporary files and set-aside diaries named as the
    app names them. Returns (removed, left): anything else is left alone and reported, since the
    data folder may have been pointed at a folder that holds other people's files too."""
    removed: list[Path] = []
    left: list[Path] = []
    backups = data_dir / BACKUP_FOLDER
    if backups.is_dir():
        for path in sorted(backups.iterdir()):
            removed.append(path)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    for path in sorted(data_dir.iterdir()):
        if path.name in DATABASE_OWN_FILES or path == backups:
            continue
        if path.is_file() and any(p.fullmatch(path.name) for p in APP_FILE_PATTERNS):
            path.unlink()
            removed.append(path)
        elif (
            path.is_dir()
            and not path.is_symlink()
            and any(p.fullmatch(path.name) for p in APP_FOLDER_PATTERNS)
        ):
            shutil.rmtree(path)
            removed.append(path)
        else:
            left.append(path)
    return tuple(removed), tuple(left)
