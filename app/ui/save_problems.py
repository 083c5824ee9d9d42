"""A save that fails because of the device's storage, said in plain words, with what was typed
kept on screen so the patient can tap Save again.

Which errors are storage faults, and of what kind, is decided in one place for the window and
the command line (`app.services.storage_errors.sqlite_fault`): the storage is full, the file or
its folder is read-only, another program held the diary longer than the busy timeout, the disk
did not answer, the file is damaged or parts of it are missing. Anything else is a bug, not a
storage fault, and is raised as before.

A screen's save method is wrapped with `keeps_input_when_storage_fails`: it must write before it
clears or leaves anything, so that a failed write leaves the page exactly as the patient left it.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable

from app.i18n import N_, _
from app.services.storage_errors import sqlite_fault

log = logging.getLogger(__name__)

BANNER_SECONDS = 60  # long enough to read twice; the banner's OK closes it sooner

# The kind of fault (app.services.storage_errors.sqlite_fault) -> the whole banner: what
# happened, that what was typed is kept, and what to do. Shown through _().
SAVE_PROBLEMS = {
    "full": N_(
        "Could not save: this device's storage is full. What you typed is still here; "
        "free some space and tap Save again."
    ),
    "device": N_(
        "Could not save: this device's storage did not answer. What you typed is still "
        "here; tap Save again. If it keeps happening, restart the device."
    ),
    "read_only": N_(
        "Could not save: this device lets the app read your diary but not change "
        "it. What you typed is still here; tap Save again later, or ask whoever "
        "looks after this device."
    ),
    "cannot_open": N_(
        "Could not save: the app cannot open your diary's file to write to it. "
        "What you typed is still here; tap Save again later, or ask whoever looks "
        "after this device."
    ),
    "busy": N_(
        "Could not save: another program was using your diary. What you typed is still "
        "here; wait a moment and tap Save again."
    ),
    "damaged": N_(
        "Could not save: your diary's file is damaged. What you typed is still here; "
        "close the app and open it again: it repairs the diary from a backup."
    ),
    "parts_missing": N_(
        "Could not save: parts of your diary's file are missing. What you typed "
        "is still here; a backup can be restored in Settings, “Your data”, or "
        "ask your clinic."
    ),
}


def why_not_saved(error: BaseException) -> str | None:
    """The banner's words for a save that failed for a storage reason, or None for any other
    error."""
    kind = sqlite_fault(error) if isinstance(error, sqlite3.Error) else None
    return None if kind is None else _(SAVE_PROBLEMS[kind])


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
            screen.show_banner(message, seconds=BANNER_SECONDS, action_text=_("OK"))
            return message

    return save
