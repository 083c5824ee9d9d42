"""Pain diary entries on disk. Takes and returns domain objects, never rows.

`DiaryQueries` only reads: it is what a screen that shows entries is given. `DiaryRepository`
also writes; only the diary service (app/services/diary.py) uses it, so every entry saved has
passed the domain's checks first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from app.domain.diary import RETRY_WINDOW, AreaScore, PainEntry, SavedEntry, is_retry_of
from app.domain.trend import DaySummary
from app.store.connection import Database, inserted_id

LIVE = "deleted_at_utc IS NULL"


def to_db_instant(instant: datetime) -> str:
    """UTC with fixed-width microseconds, so text order is time order."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


class DiaryQueries:
    """The diary as it is read: entries newest or oldest first, one by id, and each day's
    summary. Deleted entries are never among them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, entry_id: int) -> SavedEntry | None:
        rows = self._select(f"WHERE id = ? AND {LIVE}", [entry_id])
        return rows[0] if rows else None

    def count(self) -> int:
        return self.db.execute(f"SELECT count(*) FROM entries WHERE {LIVE}").fetchone()[0]

    def page(
        self,
        *,
        first_day: date | None = None,
        after: SavedEntry | None = None,
        limit: int = 100,
    ) -> list[SavedEntry]:
        """Entries newest first from `first_day` on, continuing after the entry `after`."""
        conditions: list[str] = [LIVE]
        params: list[Any] = []
        if first_day is not None:
            conditions.append("local_date >= ?")
            params.append(first_day.isoformat())
        if after is not None:
            conditions.append("(at_utc, id) < (?, ?)")
            params += [to_db_instant(after.at), after.id]
        where = "WHERE " + " AND ".join(conditions)
        return self._select(f"{where} ORDER BY at_utc DESC, id DESC LIMIT ?", [*params, limit])

    def since(
        self, instant: datetime | None = None, *, until: datetime | None = None
    ) -> Iterator[SavedEntry]:
        """Every entry from `instant` on (to `until`, included), oldest first, fetched a page at
        a time."""
        last_key: tuple[str, int] = (to_db_instant(instant) if instant else "", 0)
        end, end_params = (
            ("", []) if until is None else (" AND at_utc <= ?", [to_db_instant(until)])
        )
        while True:
            batch = self._select(
                f"WHERE {LIVE} AND (at_utc, id) > (?, ?){end} ORDER BY at_utc, id LIMIT 500",
                [*last_key, *end_params],
            )
            if not batch:
                return
            yield from batch
            last_key = (to_db_instant(batch[-1].at), batch[-1].id)

    def day_summaries(self, *, first_day: date | None = None) -> list[DaySummary]:
        where, params = LIVE, list[str]()
        if first_day is not None:
            where += " AND local_date >= ?"
            params.append(first_day.isoformat())
        rows = self.db.execute(
            "SELECT local_date, avg(score), min(score), max(score), count(*) FROM entries "
            f"WHERE {where} GROUP BY local_date ORDER BY local_date",
            params,
        ).fetchall()
        return [
            DaySummary(date.fromisoformat(day), average, low, high, count)
            for day, average, low, high, count in rows
        ]

    def _select(self, clause: str, params: list[Any]) -> list[SavedEntry]:
        rows = self.db.execute(
            "SELECT id, at_utc, zone, score, activity, medication, medication_at_utc, note "
            f"FROM entries {clause}",
            params,
        ).fetchall()
        areas = self._areas_of([row[0] for row in rows])
        return [
            SavedEntry(
                id=entry_id,
                at=from_db_instant(at_utc),
                zone=zone,
                score=score,
                areas=areas.get(entry_id, ()),
                activity=activity,
                medication=medication,
                medication_at=from_db_instant(medication_at) if medication_at else None,
                note=note,
            )
            for entry_id, at_utc, zone, score, activity, medication, medication_at, note in rows
        ]

    def _areas_of(self, entry_ids: list[int]) -> dict[int, tuple[AreaScore, ...]]:
        if not entry_ids:
            return {}
        marks = ",".join("?" * len(entry_ids))
        found: dict[int, list[AreaScore]] = {}
        for entry_id, area, side, score in self.db.execute(
            f"SELECT entry_id, area, side, score FROM entry_areas WHERE entry_id IN ({marks}) "
            "ORDER BY id",
            entry_ids,
        ):
            found.setdefault(entry_id, []).append(AreaScore(area, side, score))
        return {entry_id: tuple(areas) for entry_id, areas in found.items()}


class DiaryRepository(DiaryQueries):
    """Adding, changing and deleting entries, each in one write transaction."""

    def add(self, entry: PainEntry) -> SavedEntry:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO entries (at_utc, zone, local_date, score, activity, medication, "
                "medication_at_utc, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self._entry_values(entry),
            )
            saved = entry.saved_as(inserted_id(cursor))
            self._write_areas(saved)
        return saved

    def add_once(self, entry: PainEntry) -> tuple[SavedEntry, bool]:
        """Save `entry` unless it is a retry of one already saved (see `is_retry_of`); returns
        the saved entry and whether it was already there. The look and the insert hold the
        write lock together, so two retries at once still save it once."""
        with self.db.atomic():
            nearby = self._select(
                f"WHERE {LIVE} AND score = ? AND note = ? AND at_utc BETWEEN ? AND ? ORDER BY id",
                [
                    entry.score,
                    entry.note,
                    to_db_instant(entry.at - RETRY_WINDOW),
                    to_db_instant(entry.at + RETRY_WINDOW),
                ],
            )
            earlier = next((saved for saved in nearby if is_retry_of(entry, saved)), None)
            if earlier is not None:
                return earlier, True
            return self.add(entry), False

    def update(self, entry: SavedEntry) -> SavedEntry:
        """Write `entry` over the saved one with its id; LookupError when that one has been
        deleted meanwhile."""
        if not isinstance(entry, SavedEntry):  # a caller without type checks
            raise ValueError("Only a saved entry can be updated")
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE entries SET at_utc = ?, zone = ?, local_date = ?, score = ?, activity = ?, "
                f"medication = ?, medication_at_utc = ?, note = ? WHERE id = ? AND {LIVE}",
                [*self._entry_values(entry), entry.id],
            )
            if cursor.rowcount != 1:
                raise LookupError(f"Diary entry {entry.id} no longer exists")
            self.db.execute("DELETE FROM entry_areas WHERE entry_id = ?", [entry.id])
            self._write_areas(entry)
        return entry

    def delete(self, entry_id: int, *, now: datetime) -> None:
        """Hide an entry; `restore` brings it back until `purge_deleted` removes it."""
        with self.db.atomic():
            self.db.execute(
                f"UPDATE entries SET deleted_at_utc = ? WHERE id = ? AND {LIVE}",
                [to_db_instant(now), entry_id],
            )

    def restore(self, entry_id: int) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE entries SET deleted_at_utc = NULL WHERE id = ?", [entry_id])

    def purge_deleted(self, *, before: datetime) -> int:
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM entries WHERE deleted_at_utc < ?", [to_db_instant(before)]
            )
        return cursor.rowcount

    def _write_areas(self, entry: SavedEntry) -> None:
        self.db.conn.executemany(
            "INSERT INTO entry_areas (entry_id, area, side, score) VALUES (?, ?, ?, ?)",
            [(entry.id, a.area, a.side, a.score) for a in entry.areas],
        )

    @staticmethod
    def _entry_values(entry: PainEntry) -> list[Any]:
        return [
            to_db_instant(entry.at),
            entry.zone,
            entry.local_date.isoformat(),
            entry.score,
            entry.activity,
            entry.medication,
            to_db_instant(entry.medication_at) if entry.medication_at else None,
            entry.note,
        ]
