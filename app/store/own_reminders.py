"""The reminders the patient wrote. Deleting hides one (`restore` brings it back, for Undo)."""

from __future__ import annotations

from datetime import date, datetime, time

from app.domain.reminders import OwnReminder
from app.store.connection import Database
from app.store.diary_repository import to_db_instant

COLUMNS = "id, text, at_local, on_date, starts_on, audience"


class OwnReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[OwnReminder]:
        """Every own reminder not deleted, in the order they were added."""
        return self._select("WHERE deleted_at_utc IS NULL ORDER BY id", [])

    def get(self, reminder_id: int) -> OwnReminder | None:
        found = self._select("WHERE id = ? AND deleted_at_utc IS NULL", [reminder_id])
        return found[0] if found else None

    def add(self, reminder: OwnReminder, *, now: datetime) -> OwnReminder:
        """Save a new reminder; returns it as stored, with its id."""
        with self.db.atomic():
            [(reminder_id,)] = self.db.execute(
                "INSERT INTO own_reminders (text, at_local, on_date, starts_on, audience, "
                "created_at_utc) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [*self._values(reminder), to_db_instant(now)],
            ).fetchall()
        return self._stored(reminder_id)

    def update(self, reminder: OwnReminder) -> OwnReminder:
        """Save changes to a saved reminder; LookupError when it was deleted meanwhile."""
        if reminder.id is None:
            raise ValueError("Only a saved reminder can be updated")
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET text = ?, at_local = ?, on_date = ?, starts_on = ?, "
                "audience = ? WHERE id = ? AND deleted_at_utc IS NULL",
                [*self._values(reminder), reminder.id],
            )
            if cursor.rowcount != 1:
                raise LookupError(f"Reminder {reminder.id} no longer exists")
        return self._stored(reminder.id)

    def delete(self, reminder_id: int, *, now: datetime) -> bool:
        """Hide an own reminder; `restore` brings it back."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET deleted_at_utc = ? WHERE id = ? AND deleted_at_utc IS "
                "NULL",
                [to_db_instant(now), reminder_id],
            )
        return cursor.rowcount == 1

    def restore(self, reminder_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET deleted_at_utc = NULL WHERE id = ?", [reminder_id]
            )
        return cursor.rowcount == 1

    def _stored(self, reminder_id: int) -> OwnReminder:
        reminder = self.get(reminder_id)
        if reminder is None:
            raise LookupError(f"Reminder {reminder_id} no longer exists")
        return reminder

    def _select(self, clause: str, params: list) -> list[OwnReminder]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM own_reminders {clause}", params)
        return [
            OwnReminder(
                text=text,
                at=time.fromisoformat(at),
                audience=audience,
                id=row_id,
                on=date.fromisoformat(on) if on else None,
                starts_on=date.fromisoformat(starts) if starts else None,
            )
            for row_id, text, at, on, starts, audience in rows
        ]

    @staticmethod
    def _values(reminder: OwnReminder) -> list:
        return [
            reminder.text,
            f"{reminder.at:%H:%M}",
            reminder.on.isoformat() if reminder.on else None,
            reminder.starts_on.isoformat() if reminder.starts_on else None,
            reminder.audience,
        ]
