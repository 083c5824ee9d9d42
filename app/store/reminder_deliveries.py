"""The delivery log: one line per (occurrence, round), written in the transaction of the claim
that starts the round (see `reminder_occurrences.py`), so the app and the agent can each tell
what the other delivered since they last looked."""

from __future__ import annotations

from datetime import datetime

from app.domain.reminders import Delivery
from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant


class DeliveryLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def log(self, occurrence_id: str, round_: int, runner: str, pid: int, now: datetime) -> None:
        """One line for a round that starts now; called inside the claim's transaction."""
        self.db.execute(
            "INSERT INTO reminder_deliveries (occurrence_id, round, runner, pid, "
            "delivered_at_utc) VALUES (?, ?, ?, ?, ?)",
            [occurrence_id, round_, runner, pid, to_db_instant(now)],
        )

    def answered(self, occurrence_id: str, round_: int, *, system_notified: bool) -> None:
        """Whether the round's system notification went out."""
        self.db.execute(
            "UPDATE reminder_deliveries SET system_notified = ? "
            "WHERE occurrence_id = ? AND round = ?",
            [int(system_notified), occurrence_id, round_],
        )

    def since(self, after_id: int = 0) -> list[Delivery]:
        """The delivery log from after `after_id` on, oldest first."""
        rows = self.db.execute(
            "SELECT id, occurrence_id, round, runner, pid, delivered_at_utc, system_notified "
            "FROM reminder_deliveries WHERE id > ? ORDER BY id",
            [after_id],
        ).fetchall()
        return [
            Delivery(
                row_id,
                occurrence_id,
                round_,
                runner,
                pid,
                from_db_instant(at),
                None if notified is None else bool(notified),
            )
            for row_id, occurrence_id, round_, runner, pid, at, notified in rows
        ]

    def last_id(self) -> int:
        row = self.db.execute("SELECT coalesce(max(id), 0) FROM reminder_deliveries").fetchone()
        return int(row[0])
