"""What each calendar export said, per audience and event UID, so the next export of the same
audience updates changed events (a higher SEQUENCE) and cancels the ones that are gone."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.reminders import CalendarEventState
from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant


class CalendarLedgerRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def for_audience(self, audience: str) -> dict[str, CalendarEventState]:
        """Each event of the last export for `audience`, by UID."""
        return {
            uid: CalendarEventState(
                uid, fingerprint, sequence, from_db_instant(modified), event, bool(cancelled)
            )
            for uid, fingerprint, sequence, modified, event, cancelled in self.db.execute(
                "SELECT uid, fingerprint, sequence, modified_utc, event, cancelled "
                "FROM calendar_exports WHERE audience = ?",
                [audience],
            )
        }

    def save(self, audience: str, states: Iterable[CalendarEventState]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO calendar_exports (audience, uid, fingerprint, sequence, "
                "modified_utc, event, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(audience, uid) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "sequence = excluded.sequence, modified_utc = excluded.modified_utc, "
                "event = excluded.event, cancelled = excluded.cancelled",
                [
                    (
                        audience,
                        s.uid,
                        s.fingerprint,
                        s.sequence,
                        to_db_instant(s.modified),
                        s.event,
                        int(s.cancelled),
                    )
                    for s in states
                ],
            )
