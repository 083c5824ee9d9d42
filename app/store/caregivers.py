"""The patient's helpers (caregivers). Removing hides one (`restore` brings them back, for
Undo)."""

from __future__ import annotations

from datetime import datetime

from app.domain.reminders import Caregiver
from app.store.connection import Database
from app.store.diary_repository import to_db_instant


class CaregiverRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Caregiver]:
        """Every saved helper, in the order they were added."""
        return [
            Caregiver(name, phone, relation, id=row_id)
            for row_id, name, phone, relation in self.db.execute(
                "SELECT id, name, phone, relation FROM caregivers WHERE deleted_at_utc IS NULL "
                "ORDER BY id"
            )
        ]

    def add(self, caregiver: Caregiver, *, now: datetime) -> Caregiver:
        """Save a new helper; returns them with their id."""
        with self.db.atomic():
            [(caregiver_id,)] = self.db.execute(
                "INSERT INTO caregivers (name, phone, relation, added_at_utc) "
                "VALUES (?, ?, ?, ?) RETURNING id",
                [caregiver.name, caregiver.phone, caregiver.relation, to_db_instant(now)],
            ).fetchall()
        return Caregiver(caregiver.name, caregiver.phone, caregiver.relation, id=caregiver_id)

    def update(self, caregiver: Caregiver) -> Caregiver:
        """Save changes to a saved helper; LookupError when they were removed meanwhile."""
        if caregiver.id is None:
            raise ValueError("Only a saved helper can be updated")
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE caregivers SET name = ?, phone = ?, relation = ? "
                "WHERE id = ? AND deleted_at_utc IS NULL",
                [caregiver.name, caregiver.phone, caregiver.relation, caregiver.id],
            )
            if cursor.rowcount != 1:
                raise LookupError(f"Helper {caregiver.id} no longer exists")
        return caregiver

    def remove(self, caregiver_id: int, *, now: datetime) -> bool:
        """Hide a helper; `restore` brings them back."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE caregivers SET deleted_at_utc = ? WHERE id = ? AND deleted_at_utc IS NULL",
                [to_db_instant(now), caregiver_id],
            )
        return cursor.rowcount == 1

    def restore(self, caregiver_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE caregivers SET deleted_at_utc = NULL WHERE id = ?", [caregiver_id]
            )
        return cursor.rowcount == 1
