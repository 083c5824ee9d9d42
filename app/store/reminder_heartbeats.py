"""When the app and the background agent last looked at the reminders (one row per runner), so
a tick knows how far back to look for what fell due while nothing ran."""

from __future__ import annotations

from datetime import datetime

from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant


class HeartbeatRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def beat(self, runner: str, pid: int, now: datetime) -> None:
        """Record that `runner` (app or agent) looked at the reminders at `now`."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO reminder_heartbeats (runner, pid, at_utc, first_at_utc) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(runner) DO UPDATE SET pid = excluded.pid, "
                "at_utc = excluded.at_utc",
                [runner, pid, stamp, stamp],
            )

    def all(self) -> dict[str, tuple[datetime, int]]:
        """Each runner's last look at the reminders and its process id."""
        return {
            runner: (from_db_instant(at), pid)
            for runner, pid, at in self.db.execute(
                "SELECT runner, pid, at_utc FROM reminder_heartbeats ORDER BY runner"
            )
        }

    def last_seen(self, runner: str) -> datetime | None:
        """When `runner` last looked at the reminders; None if it never has."""
        row = self.db.execute(
            "SELECT at_utc FROM reminder_heartbeats WHERE runner = ?", [runner]
        ).fetchone()
        return from_db_instant(row[0]) if row else None

    def span(self) -> tuple[datetime, datetime] | None:
        """The first heartbeat ever and the latest one, from any runner; None before the first."""
        first, last = self.db.execute(
            "SELECT min(first_at_utc), max(at_utc) FROM reminder_heartbeats"
        ).fetchone()
        if first is None:
            return None
        return from_db_instant(first), from_db_instant(last)
