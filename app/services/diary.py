"""The everyday pain diary as the app and the command line change it.

Every new or changed entry is checked by the domain's rules (`validate_entry`) and then saved,
here and nowhere else: quick log, the entry form and `diary add` hand over what the patient
typed and get back the saved entry, or `DiaryInputError` with one friendly message per field
(nothing is saved then). The instant and the zone of an entry come from the clock the service
was given, so a test passes a `FixedClock`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from app.domain.diary import PainEntry, SavedEntry, validate_entry
from app.services.clock import Clock
from app.store.connection import Database
from app.store.diary_repository import DiaryRepository

# Deleted entries stay restorable (the banner's Undo) until the next start at least this long
# after deleting: the app removes older ones for good when it starts.
KEEP_DELETED = timedelta(hours=1)


class DiaryService:
    """Adding, editing, deleting (and undoing that) everyday diary entries."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._entries = DiaryRepository(db)
        self._clock = clock

    def add(self, raw: Mapping[str, Any]) -> SavedEntry:
        """Check and save a new entry; raises `DiaryInputError` naming each bad field.

        `raw` holds what was typed (see `validate_entry`); a missing time is now."""
        return self._entries.add(self._checked(raw))

    def add_once(self, raw: Mapping[str, Any]) -> tuple[SavedEntry, bool]:
        """As `add`, for a command that may be sent again after it was cut off: an entry that
        is a retry of one already saved (`is_retry_of`) is not saved twice. Returns the saved
        entry and whether it was already there."""
        return self._entries.add_once(self._checked(raw))

    def edit(self, entry_id: int, raw: Mapping[str, Any]) -> SavedEntry:
        """Check `raw` and save it over the entry `entry_id`; raises `DiaryInputError` naming
        each bad field, or LookupError when that entry has been deleted meanwhile."""
        return self._entries.update(self._checked(raw).saved_as(entry_id))

    def delete(self, entry_id: int) -> None:
        """Hide the entry; `undo_delete` brings it back for KEEP_DELETED."""
        self._entries.delete(entry_id, now=self._clock.now())

    def undo_delete(self, entry_id: int) -> None:
        self._entries.restore(entry_id)

    def forget_deleted(self) -> int:
        """Remove for good the entries deleted more than KEEP_DELETED ago; how many."""
        return self._entries.purge_deleted(before=self._clock.now() - KEEP_DELETED)

    def _checked(self, raw: Mapping[str, Any]) -> PainEntry:
        return validate_entry(raw, now=self._clock.now(), zone=self._clock.zone())
