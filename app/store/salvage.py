"""Copying what still reads from a damaged diary file into the diary restored from a backup.

The damaged file is read table by table and row by row: where a page cannot be read, the
reading steps over the rows on it (by rowid) and goes on after them. Only what is newer than
the restored diary is copied, by one rule per kind of table:

- rows with their own number (diary entries, block diary scores, procedures, check-ins, ...):
  those numbered after the restored diary's last one are added with the same number, so rows
  that point at them (an entry's areas, a prompt's scores) still point right. One that clashes
  with a row already there (the same appointment twice, a score for the same minute), or points
  at a row that could not be read, is skipped and counted. Rows the backup has too take the
  damaged file's values where they differ (an entry deleted or edited since, a procedure
  moved): those are the later ones;
- rows stamped with when they changed (checklist marks, reminder states): the later one wins;
- the last word of small settings (settings, contacts, the patient's details): the damaged
  file's, which is what the patient chose last.

The damaged file is copied into a scratch folder first and read there, so the set-aside file
stays exactly as it was found. When its list of tables cannot be read, the backup's schema pages
stand in for the damaged ones.

Limits: a row deleted for good after the backup (not marked deleted) comes back; a table whose
only page is damaged cannot be read at all, and the notice names it as possibly missing.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.i18n import N_
from app.store.backups import SALVAGE_SCRATCH_PREFIX
from app.store.connection import Database
from app.store.settings_repository import RECOVERY_NOTICE_KEY

# Skipped: the schema record, and what the app rebuilds on its own.
NOT_COPIED = {
    "_sqlite_migrations",
    "reminder_heartbeats",
    "calendar_exports",
    "sqlite_sequence",
    "sqlite_stat1",
}
# Parents before the rows that point at them.
ORDER = [
    "procedures",
    "entries",
    "entry_areas",
    "checklist_marks",
    "patient_medicines",
    "contacts",
    "caregivers",
    "settings",
    "patient_details",
    "block_baselines",
    "block_prompts",
    "block_prompt_scores",
    "block_paper_scores",
    "outcome_checkins",
    "own_reminders",
    "reminder_occurrences",
    "reminder_deliveries",
]
# Rows whose last change is stamped: table -> (the columns naming the row, the stamp).
STAMPED = {
    "checklist_marks": (("item_id", "procedure_id"), "marked_at_utc"),
    "reminder_occurrences": (("id",), "updated_at_utc"),
}
# Small state where the damaged file's value is the patient's last word: table -> key columns.
LAST_WORD = {"settings": ("key",), "contacts": ("role",), "patient_details": ("id",)}
# Keys never copied back (the recovery's own note to the app).
SETTINGS_NOT_COPIED = {RECOVERY_NOTICE_KEY}
# What the patient saves, in the words the notice uses for it. The other tables (reminder
# states and deliveries) are the app's own bookkeeping: copied too, but not counted for them.
# Marked with N_(): the notice translates them where it is written.
PATIENT_WORDS = {
    "entries": N_("pain diary entries"),
    "entry_areas": N_("pain diary entries"),
    "procedures": N_("procedures in your plan"),
    "checklist_marks": N_("checklist ticks"),
    "patient_medicines": N_("your medicines list"),
    "contacts": N_("contacts"),
    "caregivers": N_("contacts"),
    "settings": N_("settings"),
    "patient_details": N_("your details"),
    "block_baselines": N_("block diary scores"),
    "block_prompts": N_("block diary scores"),
    "block_prompt_scores": N_("block diary scores"),
    "block_paper_scores": N_("block diary scores"),
    "outcome_checkins": N_("check-ins after the RFA"),
    "own_reminders": N_("your own reminders"),
}
# Stepping over damage: how far past the last readable row to look for the next one.
LARGEST_STEP = 1 << 40


@dataclass
class SalvageResult:
    """What was copied from the damaged file, and what could not be."""

    readable: bool = True  # False when not even the list of tables could be read
    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # read, but clashed or orphaned
    unreadable: dict[str, int] = field(default_factory=dict)  # rows stepped over (row numbers)
    unreadable_tables: list[str] = field(default_factory=list)  # not readable at all

    @property
    def copied_total(self) -> int:
        """Rows of the patient's copied back (the app's own bookkeeping not counted)."""
        return sum(count for table, count in self.copied.items() if table in PATIENT_WORDS)

    @property
    def lost_kinds(self) -> list[str]:
        """What may be missing, in the patient's words ("pain diary entries", ...)."""
        tables = [*self.unreadable_tables, *self.skipped, *self.unreadable]
        words = [PATIENT_WORDS[table] for table in tables if table in PATIENT_WORDS]
        return sorted(set(words), key=words.index)

    @property
    def complete(self) -> bool:
        """True when everything of the patient's newer than the backup was read and copied."""
        return self.readable and not self.lost_kinds


def salvage_newer_rows(
    damaged: Path, target: Database, *, scratch_in: Path, schema_from: Path | None = None
) -> SalvageResult:
    """Copy the rows of the damaged file `damaged` that are newer than `target`'s into it.

    `schema_from` is the backup `target` was restored from. When the damaged file's list of
    tables (its schema pages, page 1 among them) cannot be read, those pages are taken from the
    backup, which has the same tables in the same places when no schema step came between them,
    so the tables themselves can still be read."""
    result = SalvageResult()
    with tempfile.TemporaryDirectory(prefix=SALVAGE_SCRATCH_PREFIX, dir=scratch_in) as scratch:
        copy = Path(scratch) / "damaged.db"
        for suffix in ("", "-wal"):
            if Path(f"{damaged}{suffix}").exists():
                shutil.copyfile(f"{damaged}{suffix}", f"{copy}{suffix}")
        if not _schema_readable(copy) and schema_from is not None:
            _take_schema_pages(copy, schema_from)
        try:
            source = sqlite3.connect(copy)
        except sqlite3.DatabaseError:
            result.readable = False
            return result
        try:
            _salvage(source, target, result)
        finally:
            source.close()
    return result


def _schema_readable(path: Path) -> bool:
    try:
        conn = sqlite3.connect(path)
        try:
            conn.execute("SELECT name, rootpage, sql FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True


def _take_schema_pages(copy: Path, backup: Path) -> None:
    """Write the backup's schema pages over the same pages of the damaged copy, and the copy's
    own size into the header (the backup's would hide the pages added since)."""
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            try:
                pages = sorted(
                    {
                        page
                        for (page,) in conn.execute(
                            "SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'"
                        )
                    }
                    | {1}
                )
            except sqlite3.DatabaseError:  # SQLite built without the dbstat table
                pages = [1]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return
    with open(backup, "rb") as source, open(copy, "r+b") as target:
        size = target.seek(0, 2)
        if size % page_size:
            return
        for page in pages:
            source.seek((page - 1) * page_size)
            target.seek((page - 1) * page_size)
            target.write(source.read(page_size))
        target.seek(28)  # "in-header database size", in pages
        target.write((size // page_size).to_bytes(4, "big"))


def _salvage(source: sqlite3.Connection, target: Database, result: SalvageResult) -> None:
    try:
        source_tables = {
            name
            for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError:
        result.readable = False
        return
    target_tables = set(target.table_names())
    tables = [t for t in ORDER if t in target_tables]
    tables += sorted(target_tables - set(ORDER) - NOT_COPIED)
    with target.atomic():
        for table in tables:
            if table not in source_tables:
                continue
            try:
                columns = _shared_columns(source, target, table)
            except sqlite3.DatabaseError:
                result.unreadable_tables.append(table)
                continue
            if table in LAST_WORD:
                _copy_last_word(source, target, table, columns, result)
            elif table in STAMPED:
                _copy_stamped(source, target, table, columns, result)
            elif _own_number_column(target, table):
                _copy_numbered(source, target, table, columns, result)


def _shared_columns(source: sqlite3.Connection, target: Database, table: str) -> list[str]:
    def names(rows) -> list[str]:
        return [row[1] for row in rows]

    in_source = set(names(source.execute(f"PRAGMA table_info([{table}])")))
    return [
        name for name in names(target.execute(f"PRAGMA table_info([{table}])")) if name in in_source
    ]


def _own_number_column(target: Database, table: str) -> str | None:
    """The INTEGER PRIMARY KEY column that is the table's rowid (numbered rows), or None."""
    keys = [row for row in target.execute(f"PRAGMA table_info([{table}])") if row[5]]
    if len(keys) == 1 and keys[0][2].upper() == "INTEGER":
        return keys[0][1]
    return None


def _copy_numbered(
    source, target: Database, table: str, columns: list[str], result: SalvageResult
) -> None:
    """Rows numbered after the target's last one are added; rows both have that the damaged
    file holds differently (an entry edited or deleted since the backup, a procedure moved or
    cancelled) take the damaged file's values, the later ones."""
    key = _own_number_column(target, table)
    after = target.execute(f"SELECT coalesce(max(rowid), 0) FROM [{table}]").fetchone()[0]
    insert = (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    for row in _readable_rows(source, table, columns, after, result):
        try:
            target.execute(insert, row)
        except sqlite3.IntegrityError:
            _count(result.skipped, table)
        else:
            _count(result.copied, table)
    if key not in columns:
        return
    # Rows the backup has too: what cannot be read of them is in the backup, so not counted.
    values = [c for c in columns if c != key]
    select = f"SELECT {', '.join(f'[{c}]' for c in values)} FROM [{table}] WHERE rowid = ?"
    update = f"UPDATE [{table}] SET {', '.join(f'[{c}] = ?' for c in values)} WHERE rowid = ?"
    for row in _readable_rows(source, table, columns, 0, SalvageResult(), up_to=after):
        number = row[columns.index(key)]
        later = tuple(value for column, value in zip(columns, row, strict=True) if column != key)
        earlier = target.execute(select, [number]).fetchone()
        if earlier is None or tuple(earlier) == later:
            continue
        try:
            target.execute(update, [*later, number])
        except sqlite3.IntegrityError:
            _count(result.skipped, table)
        else:
            _count(result.copied, table)


def _copy_stamped(
    source, target: Database, table: str, columns: list[str], result: SalvageResult
) -> None:
    keys, stamp = STAMPED[table]
    if stamp not in columns or not set(keys) <= set(columns):
        return
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in keys)
    upsert = (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates} "
        f"WHERE excluded.[{stamp}] > [{table}].[{stamp}]"
    )
    for row in _readable_rows(source, table, columns, 0, result):
        _upsert(target, upsert, table, row, result)


def _copy_last_word(
    source, target: Database, table: str, columns: list[str], result: SalvageResult
) -> None:
    keys = LAST_WORD[table]
    if not set(keys) <= set(columns):
        return
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in keys)
    differs = " OR ".join(
        f"[{table}].[{c}] IS NOT excluded.[{c}]" for c in columns if c not in keys
    )
    upsert = (
        f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates} WHERE {differs}"
    )
    for row in _readable_rows(source, table, columns, 0, result):
        if table == "settings" and row[columns.index("key")] in SETTINGS_NOT_COPIED:
            continue
        _upsert(target, upsert, table, row, result)


def _upsert(target: Database, sql: str, table: str, row: tuple, result: SalvageResult) -> None:
    try:
        changed = target.execute(sql, row).rowcount
    except sqlite3.IntegrityError:
        _count(result.skipped, table)
        return
    if changed:
        _count(result.copied, table)


def _readable_rows(
    source: sqlite3.Connection,
    table: str,
    columns: list[str],
    after: int,
    result: SalvageResult,
    *,
    up_to: int | None = None,
) -> list[tuple]:
    """The rows of `table` numbered after `after` (and up to `up_to`) that can be read, in
    rowid order. Where a page cannot be read, the rows on it are stepped over: the next
    readable rowid is found by looking 1, 2, 4, ... past the last good one, and the rowids
    passed over are counted as unreadable."""
    select = (
        f"SELECT rowid, {', '.join(f'[{c}]' for c in columns)} FROM [{table}] "
        f"WHERE rowid > ? {'' if up_to is None else f'AND rowid <= {int(up_to)}'} "
        "ORDER BY rowid"
    )
    if up_to is not None:
        last_rowid: int | None = up_to
    else:
        try:
            last_rowid = source.execute(f"SELECT max(rowid) FROM [{table}]").fetchone()[0]
        except sqlite3.DatabaseError:
            last_rowid = None  # the right edge is damaged: step until nothing more is found
    one = select + " LIMIT 1"
    lookup = (
        f"SELECT rowid, {', '.join(f'[{c}]' for c in columns)} FROM [{table}] "
        f"WHERE rowid >= ? {'' if up_to is None else f'AND rowid <= {int(up_to)}'} "
        "ORDER BY rowid LIMIT 1"
    )
    rows: list[tuple] = []
    position = after
    while True:
        try:
            for row in source.execute(select, [position]):
                rows.append(tuple(row[1:]))
                position = row[0]
            return rows
        except sqlite3.DatabaseError:
            pass
        # sqlite3 drops the last good row when the step after it fails: read the next alone
        try:
            row = source.execute(one, [position]).fetchone()
        except sqlite3.DatabaseError:
            pass
        else:
            if row is None:
                return rows
            rows.append(tuple(row[1:]))
            position = row[0]
            continue
        found = _next_readable(lookup, source, position, last_rowid)
        if found is None or found[0] <= position:
            if last_rowid is None:
                result.unreadable_tables.append(table)
            else:
                _count(result.unreadable, table, last_rowid - position)
            return rows
        _count(result.unreadable, table, found[0] - position - 1)
        rows.append(tuple(found[1:]))
        position = found[0]


def _next_readable(
    lookup: str, source: sqlite3.Connection, position: int, last_rowid: int | None
) -> tuple | None:
    """The first row after `position` that can be read whole (rowid first), or None. Looks
    1, 2, 4, ... past `position` with `lookup` (the first row at or after a rowid) until it
    succeeds, then narrows down to the first rowid where it does."""

    def reachable(probe: int) -> tuple[bool, tuple | None]:
        try:
            row = source.execute(lookup, [probe]).fetchone()
        except sqlite3.DatabaseError:
            return False, None
        return True, None if row is None else tuple(row)

    failed, step = position, 1
    while step <= LARGEST_STEP:
        probe = position + step
        if last_rowid is not None and probe > last_rowid:
            return None
        ok, found = reachable(probe)
        if ok:
            break
        failed, step = probe, step * 2
    else:
        return None
    # The lookup fails at `failed` and succeeds at `probe`: find where it starts to succeed.
    low, high = failed, probe
    while high - low > 1:
        middle = (low + high) // 2
        ok, candidate = reachable(middle)
        if ok:
            high, found = middle, candidate
        else:
            low = middle
    return found


def _count(counts: dict[str, int], table: str, amount: int = 1) -> None:
    if amount > 0:
        counts[table] = counts.get(table, 0) + amount
