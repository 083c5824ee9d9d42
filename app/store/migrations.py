"""Schema history. Add a new step for every change; never edit a step that has shipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "facet"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the steps applied
STEPS: list[Callable[[Database], None]] = []


def step(function: Callable[[Database], None]) -> Callable[[Database], None]:
    """Register a schema step; steps run in the order they are written here."""
    STEPS.append(function)
    return function


@step
def m001_pain_diary(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            local_date TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            activity TEXT NOT NULL DEFAULT '',
            medication TEXT NOT NULL DEFAULT '',
            medication_at_utc TEXT,
            note TEXT NOT NULL DEFAULT '',
            deleted_at_utc TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE entry_areas (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            side TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10)
        )
        """
    )
    db.execute("CREATE INDEX entry_areas_by_entry ON entry_areas(entry_id)")
    # Partial indexes: the history pages newest first and the chart groups by local day,
    # both over live entries only.
    db.execute(
        "CREATE INDEX entries_newest_first ON entries(at_utc DESC, id DESC) "
        "WHERE deleted_at_utc IS NULL"
    )
    db.execute(
        "CREATE INDEX entries_by_day ON entries(local_date, score) WHERE deleted_at_utc IS NULL"
    )


@step
def m002_plan(db: Database) -> None:
    """The patient's plan: procedures, helpers, checklist marks, medicines list and settings."""
    db.execute(
        """
        CREATE TABLE procedures (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            region TEXT NOT NULL,
            side TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            local_date TEXT NOT NULL,
            anaesthetic TEXT,
            cycle INTEGER NOT NULL DEFAULT 1 CHECK (cycle >= 1),
            cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
        )
        """
    )
    db.execute("CREATE INDEX procedures_by_cycle ON procedures(cycle, at_utc)")
    db.execute(
        """
        CREATE TABLE contacts (
            role TEXT PRIMARY KEY CHECK (role IN ('driver', 'caregiver')),
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            relation TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute(
        """
        CREATE TABLE checklist_marks (
            item_id TEXT NOT NULL,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
            checked INTEGER NOT NULL CHECK (checked IN (0, 1)),
            value TEXT NOT NULL DEFAULT '',
            marked_at_utc TEXT NOT NULL,
            PRIMARY KEY (item_id, procedure_id)
        )
        """
    )
    db.execute("CREATE INDEX checklist_marks_by_procedure ON checklist_marks(procedure_id)")
    db.execute(
        """
        CREATE TABLE patient_medicines (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            added_at_utc TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@step
def m003_reminders(db: Database) -> None:
    """Reminders: each occurrence's state (claimed once across processes, delivered, snoozed,
    done, dismissed, missed while nothing ran), the delivery log, which process ticked last, the
    user's own reminders, several helpers, and what each calendar export last said.
    (Registered after m004_block_diary, which was written at the same time; order is by
    registration.)"""
    db.execute(
        """
        CREATE TABLE reminder_occurrences (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            audience TEXT NOT NULL,
            text TEXT NOT NULL,
            procedure_id INTEGER,
            due_utc TEXT NOT NULL,
            deliver_at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            quiet_hours_apply INTEGER NOT NULL CHECK (quiet_hours_apply IN (0, 1)),
            state TEXT NOT NULL CHECK (state IN
                ('claimed', 'delivered', 'snoozed', 'done', 'dismissed', 'missed')),
            round INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
            claimed_by TEXT,
            claimed_at_utc TEXT,
            delivered_at_utc TEXT,
            system_notified INTEGER CHECK (system_notified IN (0, 1)),
            snoozed_until_utc TEXT,
            done_at_utc TEXT,
            dismissed_at_utc TEXT,
            missed_at_utc TEXT,
            away_shown_at_utc TEXT,
            updated_at_utc TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE INDEX reminder_occurrences_by_state "
        "ON reminder_occurrences(state, snoozed_until_utc)"
    )
    db.execute("CREATE INDEX reminder_occurrences_by_time ON reminder_occurrences(deliver_at_utc)")
    db.execute(
        """
        CREATE TABLE reminder_deliveries (
            id INTEGER PRIMARY KEY,
            occurrence_id TEXT NOT NULL REFERENCES reminder_occurrences(id) ON DELETE CASCADE,
            round INTEGER NOT NULL CHECK (round >= 1),
            runner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            delivered_at_utc TEXT NOT NULL,
            system_notified INTEGER CHECK (system_notified IN (0, 1)),
            UNIQUE (occurrence_id, round)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE reminder_heartbeats (
            runner TEXT PRIMARY KEY,
            pid INTEGER NOT NULL,
            at_utc TEXT NOT NULL,
            first_at_utc TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE own_reminders (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            at_local TEXT NOT NULL,
            on_date TEXT,
            starts_on TEXT,
            audience TEXT NOT NULL CHECK (audience IN ('patient', 'caregiver')),
            created_at_utc TEXT NOT NULL,
            deleted_at_utc TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE caregivers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            relation TEXT NOT NULL DEFAULT '',
            added_at_utc TEXT NOT NULL,
            deleted_at_utc TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE calendar_exports (
            audience TEXT NOT NULL,
            uid TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            sequence INTEGER NOT NULL CHECK (sequence >= 0),
            modified_utc TEXT NOT NULL,
            event TEXT NOT NULL,
            cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
            PRIMARY KEY (audience, uid)
        )
        """
    )


@step
def m004_block_diary(db: Database) -> None:
    """The timed diary after a block (baselines, prompts, missed prompts), outcome check-ins
    after an RFA, the spinal levels of a procedure, and the patient's optional details."""
    db.execute("ALTER TABLE procedures ADD COLUMN levels TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        CREATE TABLE block_baselines (
            id INTEGER PRIMARY KEY,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            side TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            activity TEXT NOT NULL DEFAULT '',
            at_clinic INTEGER NOT NULL DEFAULT 0 CHECK (at_clinic IN (0, 1)),
            UNIQUE (procedure_id, area, side)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE block_prompts (
            id INTEGER PRIMARY KEY,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
            minutes INTEGER NOT NULL CHECK (minutes >= 0),
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            activity TEXT NOT NULL DEFAULT '',
            missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)),
            UNIQUE (procedure_id, minutes)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE block_prompt_scores (
            id INTEGER PRIMARY KEY,
            prompt_id INTEGER NOT NULL REFERENCES block_prompts(id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            side TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            UNIQUE (prompt_id, area, side)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE outcome_checkins (
            id INTEGER PRIMARY KEY,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
            week INTEGER NOT NULL CHECK (week >= 0),
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
            peg_pain INTEGER CHECK (peg_pain BETWEEN 0 AND 10),
            peg_enjoyment INTEGER CHECK (peg_enjoyment BETWEEN 0 AND 10),
            peg_activity INTEGER CHECK (peg_activity BETWEEN 0 AND 10),
            note TEXT NOT NULL DEFAULT '',
            CHECK ((peg_pain IS NULL) = (peg_enjoyment IS NULL)
                   AND (peg_pain IS NULL) = (peg_activity IS NULL)),
            UNIQUE (procedure_id, week)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE patient_details (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL DEFAULT '',
            birth_date TEXT
        )
        """
    )


@step
def m005_one_procedure_per_appointment(db: Database) -> None:
    """An appointment (kind, region, side, time) is one live procedure.

    A plan entered twice (a new round re-entered, a command run again) left live copies whose
    reminders came twice. The first saved copy is kept; what was recorded under a later copy
    moves to it where the first has nothing for the same item, and the copy is cancelled, not
    deleted, so anything that could not move is still on disk. The stored "current round" is
    dropped: the current round is now the newest one with a saved procedure, so a round started
    but never saved no longer hides the plan.
    """
    duplicates = db.execute(
        """
        SELECT copy.id, kept.id FROM procedures AS copy
        JOIN procedures AS kept ON kept.id = (
            SELECT min(first.id) FROM procedures AS first
            WHERE first.cancelled = 0 AND first.kind = copy.kind AND first.region = copy.region
              AND first.side = copy.side AND first.at_utc = copy.at_utc)
        WHERE copy.cancelled = 0 AND copy.id != kept.id
        """
    ).fetchall()
    for copy_id, kept_id in duplicates:
        for table in ("checklist_marks", "block_baselines", "block_prompts", "outcome_checkins"):
            db.execute(
                f"UPDATE OR IGNORE {table} SET procedure_id = ? WHERE procedure_id = ?",
                [kept_id, copy_id],
            )
        db.execute("UPDATE procedures SET cancelled = 1 WHERE id = ?", [copy_id])
    db.execute(
        "CREATE UNIQUE INDEX procedures_one_per_appointment "
        "ON procedures(kind, region, side, at_utc) WHERE cancelled = 0"
    )
    db.execute("DELETE FROM settings WHERE key = 'plan.cycle'")


@step
def m006_paper_diary(db: Database) -> None:
    # One row per score copied from the clinic's paper diary: its own time after the block,
    # never a prompt's answer (a missed prompt stays missed).
    db.execute(
        """
        CREATE TABLE block_paper_scores (
            id INTEGER PRIMARY KEY,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
            minutes INTEGER NOT NULL CHECK (minutes >= 1),
            at_utc TEXT NOT NULL,
            zone TEXT NOT NULL,
            area TEXT NOT NULL,
            side TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            activity TEXT NOT NULL DEFAULT '',
            UNIQUE (procedure_id, minutes, area, side)
        )
        """
    )


def known_migration_names() -> set[str]:
    return {function.__name__ for function in STEPS}


def migration_set() -> Migrations:
    """The steps as sqlite-utils' `Migrations`, built (and sqlite-utils loaded) only when a
    database has steps to apply."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for function in STEPS:
        migrations()(function)
    return migrations
