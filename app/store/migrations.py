"""Schema history. Add a new step for every change; never edit a step that has shipped."""

from sqlite_utils import Database, Migrations

MIGRATION_SET = "facet"
migrations = Migrations(MIGRATION_SET)


@migrations()
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


@migrations()
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


@migrations()
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


def known_migration_names() -> set[str]:
    return {migration.name for migration in migrations._migrations}
