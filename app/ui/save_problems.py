"""A save that fails because of the device's storage, said in plain words, with what was typed
kept on screen so the patient can tap Save again.

SQLite reports these faults as `sqlite3.OperationalError` (or `DatabaseError` for a damaged
file) with a result code: the storage is full, the file or its folder is read-only, another
program held the diary longer than the busy timeout, the disk did not answer, or the file is
damaged. Anything else is a bug, not a storage fault, and is raised as before.

A screen's save method is wrapped with `keeps_input_when_storage_fails`: it must write before it
clears or leaves anything, so that a failed write leaves the page exactly as the patient left it.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from typing import Callable

log = logging.getLogger(__name__)

BANNER_SECONDS = 60  # long enough to read twice; the banner's OK closes it sooner

KEPT = "What you typed is still here"
# SQLite's primary result code -> (what happened, what to do).
STORAGE_PROBLEMS = {
    sqlite3.SQLITE_FULL: ("this device's storage is full",
                          "free some space and tap Save again"),
    sqlite3.SQLITE_IOERR: ("this device's storage did not answer",
                           "tap Save again. If it keeps happening, restart the device"),
    sqlite3.SQLITE_READONLY: ("this device lets the app read your diary but not change it",
                              "tap Save again later, or ask whoever looks after this device"),
    sqlite3.SQLITE_CANTOPEN: ("the app cannot open your diary's file to write to it",
                              "tap Save again later, or ask whoever looks after this device"),
    sqlite3.SQLITE_BUSY: ("another program was using your diary",
                          "wait a moment and tap Save again"),
    sqlite3.SQLITE_LOCKED: ("another program was using your diary",
                            "wait a moment and tap Save again"),
    sqlite3.SQLITE_CORRUPT: ("your diary's file is damaged",
                             "close the app and open it again: it repairs the diary from a "
                             "backup"),
    sqlite3.SQLITE_NOTADB: ("your diary's file is damaged",
                            "close the app and open it again: it repairs the diary from a "
                            "backup"),
}


def why_not_saved(error: BaseException) -> str | None:
    """The banner's words for a save that failed for a storage reason, or None for any other
    error."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.DatabaseError) or code is None:
        return None
    words = STORAGE_PROBLEMS.get(code & 0xFF)
    if words is None:
        return None
    happened, to_do = words
    return f"Could not save: {happened}. {KEPT}; {to_do}."


def keeps_input_when_storage_fails(method: Callable) -> Callable:
    """Wrap a screen's save: a storage fault shows `why_not_saved`'s words in the banner and
    the method returns them (the checklist shows them at the line), with the page untouched."""

    @functools.wraps(method)
    def save(screen, *args, **kwargs):
        try:
            return method(screen, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            message = why_not_saved(error)
            if message is None:
                raise
            log.warning("A save on %s failed: %s", screen.name, error)
            screen.show_banner(message, seconds=BANNER_SECONDS, action_text="OK")
            return message

    return save
