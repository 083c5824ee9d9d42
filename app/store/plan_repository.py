"""The patient's plan on disk: procedures and cycles, helpers, checklist marks and the medicines
list. Takes and returns domain objects, never rows: `PlanQueries` reads, `PlanRepository` also
writes (through the plan service, app/services/plan.py, for the screens)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

from app.domain.plan import (
    CONTACT_ROLES,
    ChecklistMark,
    Contact,
    PatientMedicine,
    Procedure,
    already_planned,
    already_planned_error,
)
from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant

PROCEDURE_COLUMNS = "id, kind, region, side, at_utc, zone, anaesthetic, cycle, cancelled, levels"


class PlanQueries:
    """The plan as it is read: procedures and rounds, the driver and caregiver, checklist marks
    and the medicines list. What a screen that only shows the plan is given."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- procedures and cycles -----------------------------------------------------------------

    def find_same(self, procedure: Procedure) -> Procedure | None:
        """The live procedure that is the same appointment as `procedure`, other than itself."""
        candidates = self._select(
            "WHERE kind = ? AND region = ? AND side = ? AND at_utc = ? AND cancelled = 0",
            [procedure.kind, procedure.region, procedure.side, to_db_instant(procedure.at)],
        )
        return already_planned(procedure, candidates)

    def procedure(self, procedure_id: int) -> Procedure | None:
        rows = self._select("WHERE id = ?", [procedure_id])
        return rows[0] if rows else None

    def existing_procedure(self, procedure_id: int) -> Procedure:
        """The procedure, or `LookupError` when there is none with this id."""
        procedure = self.procedure(procedure_id)
        if procedure is None:
            raise LookupError(f"Procedure {procedure_id} does not exist")
        return procedure

    def procedures(
        self, cycle: int | None = None, include_cancelled: bool = False
    ) -> list[Procedure]:
        """Procedures soonest first; every cycle when `cycle` is None."""
        conditions, params = [], []
        if cycle is not None:
            conditions.append("cycle = ?")
            params.append(cycle)
        if not include_cancelled:
            conditions.append("cancelled = 0")
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        return self._select(f"{where} ORDER BY at_utc, id", params)

    def current_cycle(self) -> int:
        """The newest round with a live procedure (else the newest with any; 1 before the
        first). A new round becomes current only when its first procedure is saved, so a round
        begun and left unsaved changes nothing."""
        live, any_ = self.db.execute(
            "SELECT max(cycle) FILTER (WHERE cancelled = 0), max(cycle) FROM procedures"
        ).fetchone()
        return live or any_ or 1

    def cycles(self) -> list[int]:
        """Every cycle that has a procedure, and the current one, oldest first."""
        found = {row[0] for row in self.db.execute("SELECT DISTINCT cycle FROM procedures")}
        return sorted(found | {self.current_cycle()})

    def next_cycle(self) -> int:
        """The number a new round of care gets when its procedures are saved (when relief
        fades): one after every round so far. Nothing is written."""
        return (self.db.execute("SELECT max(cycle) FROM procedures").fetchone()[0] or 0) + 1

    # --- helpers -----------------------------------------------------------------------------

    def contact(self, role: str) -> Contact | None:
        row = self.db.execute(
            "SELECT name, phone, relation FROM contacts WHERE role = ?", [role]
        ).fetchone()
        return Contact(*row) if row else None

    def driver(self) -> Contact | None:
        return self.contact("driver")

    def caregiver(self) -> Contact | None:
        return self.contact("caregiver")

    # --- checklist marks ---------------------------------------------------------------------

    def marks(self, procedure_id: int) -> dict[str, ChecklistMark]:
        rows = self.db.execute(
            "SELECT item_id, checked, value, marked_at_utc FROM checklist_marks "
            "WHERE procedure_id = ? ORDER BY item_id",
            [procedure_id],
        ).fetchall()
        return {
            item_id: ChecklistMark(bool(checked), value, from_db_instant(marked_at))
            for item_id, checked, value, marked_at in rows
        }

    # --- the medicines list ------------------------------------------------------------------

    def medicines(self) -> list[PatientMedicine]:
        """The patient's medicines, in the order they were added."""
        return [
            PatientMedicine(name, from_db_instant(added_at))
            for name, added_at in self.db.execute(
                "SELECT name, added_at_utc FROM patient_medicines ORDER BY id"
            )
        ]

    # --- rows --------------------------------------------------------------------------------

    def _select(self, clause: str, params: list) -> list[Procedure]:
        rows = self.db.execute(
            f"SELECT {PROCEDURE_COLUMNS} FROM procedures {clause}", params
        ).fetchall()
        return [
            Procedure(
                id=procedure_id,
                kind=kind,
                region=region,
                side=side,
                at=from_db_instant(at_utc),
                zone=zone,
                anaesthetic=anaesthetic,
                cycle=cycle,
                cancelled=bool(cancelled),
                levels=levels,
            )
            for (
                procedure_id,
                kind,
                region,
                side,
                at_utc,
                zone,
                anaesthetic,
                cycle,
                cancelled,
                levels,
            ) in rows
        ]


class PlanRepository(PlanQueries):
    """Changes to the plan, each in one write transaction."""

    # --- procedures and cycles -----------------------------------------------------------------

    def add_procedure(self, procedure: Procedure, *, cycle: int | None = None) -> Procedure:
        """Save a new procedure in `cycle` (default: the current cycle) and return it with its id
        and cycle. An appointment already in the plan (same kind, region, side and time, not
        cancelled) is not added again: the one saved is returned, so saving a plan twice leaves
        it once (a unique index holds this even against another process)."""
        try:
            with self.db.atomic():
                existing = self.find_same(procedure)
                if existing is not None:
                    return existing
                saved = replace(procedure, cycle=cycle or self.current_cycle())
                cursor = self.db.execute(
                    "INSERT INTO procedures (kind, region, side, at_utc, zone, local_date, "
                    "anaesthetic, cycle, cancelled, levels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?)",
                    [
                        saved.kind,
                        saved.region,
                        saved.side,
                        to_db_instant(saved.at),
                        saved.zone,
                        saved.local_date.isoformat(),
                        saved.anaesthetic,
                        saved.cycle,
                        int(saved.cancelled),
                        saved.levels,
                    ],
                )
        except sqlite3.IntegrityError:  # another process saved the same appointment meanwhile
            existing = self.find_same(procedure)
            if existing is None:
                raise
            return existing
        return replace(saved, id=cursor.lastrowid)

    def update_procedure(self, procedure: Procedure) -> Procedure:
        """Save an edited procedure (kind, region, side, time, anaesthetic, levels, cancelled).
        Raises `PlanInputError` when that would make it a second copy of a planned one."""
        if procedure.id is None:
            raise ValueError("Only a saved procedure can be updated")
        existing = None if procedure.cancelled else self.find_same(procedure)
        if existing is not None:
            raise already_planned_error(existing)
        try:
            with self.db.atomic():
                cursor = self.db.execute(
                    "UPDATE procedures SET kind = ?, region = ?, side = ?, at_utc = ?, zone = ?, "
                    "local_date = ?, anaesthetic = ?, cancelled = ?, levels = ? WHERE id = ?",
                    [
                        procedure.kind,
                        procedure.region,
                        procedure.side,
                        to_db_instant(procedure.at),
                        procedure.zone,
                        procedure.local_date.isoformat(),
                        procedure.anaesthetic,
                        int(procedure.cancelled),
                        procedure.levels,
                        procedure.id,
                    ],
                )
                self._require(cursor.rowcount, procedure.id)
        except sqlite3.IntegrityError:  # another process saved the same appointment meanwhile
            raise already_planned_error(self.find_same(procedure) or procedure) from None
        return self.existing_procedure(procedure.id)

    def reschedule(self, procedure_id: int, at: datetime, zone: str) -> Procedure:
        """Move a procedure (and so every dated step); a cancelled one is booked again."""
        current = self.existing_procedure(procedure_id)
        return self.update_procedure(replace(current, at=at, zone=zone, cancelled=False))

    def cancel(self, procedure_id: int) -> None:
        """Mark a procedure cancelled: it drops out of the timeline; its marks stay."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE procedures SET cancelled = 1 WHERE id = ?", [procedure_id]
            )
            self._require(cursor.rowcount, procedure_id)

    # --- helpers -----------------------------------------------------------------------------

    def set_contact(self, role: str, contact: Contact | None) -> None:
        """Save (or with None, forget) the driver or the caregiver."""
        if role not in CONTACT_ROLES:
            raise ValueError(f"Unknown contact role {role!r}")
        with self.db.atomic():
            self.db.execute("DELETE FROM contacts WHERE role = ?", [role])
            if contact is not None:
                self.db.execute(
                    "INSERT INTO contacts (role, name, phone, relation) VALUES (?, ?, ?, ?)",
                    [role, contact.name, contact.phone, contact.relation],
                )

    def set_driver(self, contact: Contact | None) -> None:
        self.set_contact("driver", contact)

    def set_caregiver(self, contact: Contact | None) -> None:
        self.set_contact("caregiver", contact)

    # --- checklist marks ---------------------------------------------------------------------

    def mark(
        self, item_id: str, procedure_id: int, *, checked: bool, value: str = "", now: datetime
    ) -> ChecklistMark:
        """Save an item's state for one procedure, with the time it was marked."""
        saved = ChecklistMark(bool(checked), value, now.astimezone(UTC))
        with self.db.atomic():
            if self.procedure(procedure_id) is None:
                raise LookupError(f"Procedure {procedure_id} does not exist")
            self.db.execute(
                "INSERT INTO checklist_marks (item_id, procedure_id, checked, value, "
                "marked_at_utc) VALUES (?, ?, ?, ?, ?) ON CONFLICT(item_id, procedure_id) DO "
                "UPDATE SET checked = excluded.checked, value = excluded.value, "
                "marked_at_utc = excluded.marked_at_utc",
                [item_id, procedure_id, int(saved.checked), value, to_db_instant(now)],
            )
        return saved

    # --- the medicines list ------------------------------------------------------------------

    def add_medicine(self, name: str, now: datetime) -> PatientMedicine:
        """Add a medicine; a name already listed (in any letter case) is kept as it was."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO patient_medicines (name, added_at_utc) VALUES (?, ?) "
                "ON CONFLICT(name) DO NOTHING",
                [name, to_db_instant(now)],
            )
            row = self.db.execute(
                "SELECT name, added_at_utc FROM patient_medicines WHERE name = ?", [name]
            ).fetchone()
        return PatientMedicine(row[0], from_db_instant(row[1]))

    def remove_medicine(self, name: str) -> bool:
        """Remove a medicine by name (any letter case); False when it was not listed."""
        with self.db.atomic():
            cursor = self.db.execute("DELETE FROM patient_medicines WHERE name = ?", [name])
        return cursor.rowcount > 0

    # --- rows --------------------------------------------------------------------------------

    @staticmethod
    def _require(rowcount: int, procedure_id: int) -> None:
        if rowcount != 1:
            raise LookupError(f"Procedure {procedure_id} does not exist")
