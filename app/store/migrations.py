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


def known_migration_names() -> set[str]:
    return {migration.name for migration in migrations._migrations}
