"""What a storage fault means, in words a patient or clinic IT can act on: the one mapping from
SQLite and file-system errors to a message, for the command line (app/entry.py) and any screen
that saves.

A failed write rolls its transaction back, so every message can say that what was saved before
is safe. Errors that are not about storage answer None, and the caller lets them through.
"""

from __future__ import annotations

import errno
import sqlite3

from app.domain.typed import shown

SAFE = "What was saved before is safe."
FULL = (
    "There is no space left on this device, so this was not saved. Free some space, then "
    f"try again. {SAFE}"
)
READ_ONLY = (
    "The diary cannot be changed: its file or folder is read-only, so this was not "
    f"saved. Check that the folder can be written to, then try again. {SAFE}"
)
BUSY = (
    "The diary is busy in another program (the app or its reminders) and was not freed in "
    f"time, so this was not saved. Try again in a moment. {SAFE}"
)
CANNOT_OPEN = (
    "The diary could not be opened: its folder cannot be read or written. Check the "
    "folder and its permissions, then try again."
)
DEVICE = (
    "The device could not read or write the diary file. If the device is nearly full, "
    "free some space; then try again."
)
PARTS_MISSING = (
    "Parts of the diary file are missing, so it cannot be used as it is. Nothing was "
    "changed. Restore a backup of it (main.py data restore), or ask the clinic."
)
DAMAGED = (
    "The diary file is damaged, so it cannot be used as it is. Nothing was changed. "
    "Restore a backup of it (main.py data restore), or ask the clinic."
)

# SQLite's primary result codes that are storage faults, by kind: one list for the command
# line's words here and the window's (app/ui/save_problems.py).
SQLITE_FAULTS = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_PERM: "read_only",
    sqlite3.SQLITE_BUSY: "busy",
    sqlite3.SQLITE_LOCKED: "busy",
    sqlite3.SQLITE_CANTOPEN: "cannot_open",
    sqlite3.SQLITE_IOERR: "device",
    sqlite3.SQLITE_CORRUPT: "damaged",
    sqlite3.SQLITE_NOTADB: "damaged",
}
MESSAGES = {
    "full": FULL,
    "read_only": READ_ONLY,
    "busy": BUSY,
    "cannot_open": CANNOT_OPEN,
    "device": DEVICE,
    "damaged": DAMAGED,
    "parts_missing": PARTS_MISSING,
}
# A table or column the app made is gone: SQLite says so only in words (its code is a generic
# SQLITE_ERROR).
MISSING_PART_WORDS = ("no such table", "no such column", "has no column named")


def storage_problem(error: BaseException) -> str | None:
    """The message for a storage fault, or None when `error` is not one."""
    if isinstance(error, sqlite3.Error):
        kind = sqlite_fault(error)
        return MESSAGES[kind] if kind else None
    if isinstance(error, OSError):
        return _file_problem(error)
    return None


def sqlite_fault(error: sqlite3.Error) -> str | None:
    """The kind of storage fault SQLite reported (a key of MESSAGES), or None for any other
    error."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in SQLITE_FAULTS:
        return SQLITE_FAULTS[code & 0xFF]
    words = str(error).lower()
    if any(part in words for part in MISSING_PART_WORDS):
        return "parts_missing"
    if isinstance(error, sqlite3.DatabaseError) and "malformed" in words:
        return "damaged"
    return None


def _file_problem(error: OSError) -> str | None:
    where = f" ({shown(error.filename)})" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return FULL
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"This folder or file cannot be written to{where}, so nothing was saved. Check "
            f"its permissions, or choose another folder. {SAFE}"
        )
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        folder = f" “{shown(error.filename)}”" if error.filename else ""
        return (
            f"The folder{folder} could not be made: part of that path is a file, not a "
            "folder. Choose another folder."
        )
    if error.errno == errno.ENOENT:
        return f"The folder or file{where} is not there. Check the path, then try again."
    if error.errno == errno.EIO:
        return DEVICE
    return None
