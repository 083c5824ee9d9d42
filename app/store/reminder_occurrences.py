"""What happened to each reminder occurrence: claimed, delivered, snoozed, done, dismissed or
missed (one row per occurrence once anything has happened to it), the inbox and the history.

The app and the background reminder agent share this file. An occurrence is delivered by the one
process whose `claim` inserted its row: `INSERT OR IGNORE` on the occurrence id inside a
transaction that takes the write lock first (`BEGIN IMMEDIATE`, waiting on the busy timeout), so
the other process finds the row and leaves it. A snoozed occurrence comes back the same way, with
a conditional `UPDATE ... WHERE state = 'snoozed'`. Each delivery writes one line of the delivery
log (`reminder_deliveries.py`) in the same transaction, unique per (occurrence, round).

A delivery whose process died between its claim and `finish_delivery` (killed while the
notification was being shown) stays `claimed`; `reclaim` hands it to another process as a new
round, with the same conditional update, so it is delivered again exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.domain.reminders import INBOX_STATES, Occurrence, ReminderRecord
from app.store.connection import Database
from app.store.diary_repository import from_db_instant, to_db_instant
from app.store.reminder_deliveries import DeliveryLog

COLUMNS = (
    "id, key, kind, audience, text, procedure_id, due_utc, deliver_at_utc, zone, "
    "quiet_hours_apply, state, round, claimed_by, delivered_at_utc, system_notified, "
    "snoozed_until_utc, done_at_utc, dismissed_at_utc, missed_at_utc, away_shown_at_utc"
)
INSERT = (
    "INSERT {verb} INTO reminder_occurrences (id, key, kind, audience, text, procedure_id, "
    "due_utc, deliver_at_utc, zone, quiet_hours_apply, state, round, claimed_by, "
    "claimed_at_utc, delivered_at_utc, snoozed_until_utc, done_at_utc, dismissed_at_utc, "
    "missed_at_utc, updated_at_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?)"
)
INBOX_MARKS = ",".join("?" * len(INBOX_STATES))
CHUNK = 500  # ids per `IN (...)`, well under SQLite's limit on parameters


def _instant(text: str | None) -> datetime | None:
    return from_db_instant(text) if text else None


def _text(instant: datetime | None) -> str | None:
    return to_db_instant(instant) if instant is not None else None


class OccurrenceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.deliveries = DeliveryLog(db)

    # --- delivering ----------------------------------------------------------------------------

    def claim(
        self, occurrence: Occurrence, *, runner: str, pid: int, now: datetime
    ) -> ReminderRecord | None:
        """Take a due occurrence for delivery. None when it already has a row: another process
        (or an earlier tick) delivered it, or it was snoozed, done, dismissed or missed."""
        with self.db.atomic():
            cursor = self.db.execute(
                INSERT.format(verb="OR IGNORE"),
                self._values(
                    occurrence,
                    "claimed",
                    now,
                    round=1,
                    claimed_by=f"{runner}:{pid}",
                    delivered_at=now,
                ),
            )
            if cursor.rowcount != 1:
                return None
            self.deliveries.log(occurrence.id, 1, runner, pid, now)
        return self.record(occurrence.id)

    def claim_snoozed(
        self, occurrence_id: str, *, runner: str, pid: int, now: datetime
    ) -> ReminderRecord | None:
        """Take a snoozed occurrence whose time has come; None when another process took it, or
        it was done or dismissed meanwhile."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            taken = self.db.execute(
                "UPDATE reminder_occurrences SET state = 'claimed', round = round + 1, "
                "claimed_by = ?, claimed_at_utc = ?, delivered_at_utc = ?, "
                "system_notified = NULL, updated_at_utc = ? "
                "WHERE id = ? AND state = 'snoozed' AND snoozed_until_utc <= ? RETURNING round",
                [f"{runner}:{pid}", stamp, stamp, stamp, occurrence_id, stamp],
            ).fetchall()
            if not taken:
                return None
            [(round_,)] = taken
            self.deliveries.log(occurrence_id, round_, runner, pid, now)
        return self.record(occurrence_id)

    def unfinished(self) -> list[ReminderRecord]:
        """Occurrences a process claimed and has not finished delivering, soonest first."""
        return self._select("WHERE state = 'claimed' ORDER BY deliver_at_utc, id", [])

    def reclaim(
        self, record: ReminderRecord, *, runner: str, pid: int, now: datetime
    ) -> ReminderRecord | None:
        """Take over a delivery left unfinished, as round `record.round + 1`; None when another
        process took it over (or it was finished, snoozed ...) since `record` was read."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminder_occurrences SET round = round + 1, claimed_by = ?, "
                "claimed_at_utc = ?, delivered_at_utc = ?, system_notified = NULL, "
                "updated_at_utc = ? WHERE id = ? AND state = 'claimed' AND round = ?",
                [f"{runner}:{pid}", stamp, stamp, stamp, record.id, record.round],
            )
            if cursor.rowcount != 1:
                return None
            self.deliveries.log(record.id, record.round + 1, runner, pid, now)
        return self.record(record.id)

    def miss_unfinished(self, record: ReminderRecord, *, now: datetime) -> bool:
        """A delivery left unfinished too long ago to notify now joins "while you were away"."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminder_occurrences SET state = 'missed', missed_at_utc = ?, "
                "away_shown_at_utc = NULL, updated_at_utc = ? "
                "WHERE id = ? AND state = 'claimed' AND round = ?",
                [stamp, stamp, record.id, record.round],
            )
        return cursor.rowcount == 1

    def finish_delivery(
        self, occurrence_id: str, round_: int, *, system_notified: bool, now: datetime
    ) -> None:
        """The notifier has answered: `system_notified` says whether a system notification
        went out."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE reminder_occurrences SET state = 'delivered', system_notified = ?, "
                "updated_at_utc = ? WHERE id = ? AND state = 'claimed' AND round = ?",
                [int(system_notified), to_db_instant(now), occurrence_id, round_],
            )
            self.deliveries.answered(occurrence_id, round_, system_notified=system_notified)

    def mark_missed(self, occurrence: Occurrence, *, now: datetime) -> bool:
        """Record an occurrence that fell due while nothing ran; False when it already has a row
        (delivered, done ...)."""
        with self.db.atomic():
            cursor = self.db.execute(
                INSERT.format(verb="OR IGNORE"),
                self._values(occurrence, "missed", now, missed_at=now),
            )
        return cursor.rowcount == 1

    def miss_snoozed(self, occurrence_id: str, *, now: datetime) -> bool:
        """A snooze that ended while nothing ran joins the "while you were away" list."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminder_occurrences SET state = 'missed', missed_at_utc = ?, "
                "away_shown_at_utc = NULL, updated_at_utc = ? WHERE id = ? AND state = 'snoozed'",
                [stamp, stamp, occurrence_id],
            )
        return cursor.rowcount == 1

    def due_snoozes(self, now: datetime) -> list[ReminderRecord]:
        return self._select(
            "WHERE state = 'snoozed' AND snoozed_until_utc <= ? ORDER BY snoozed_until_utc, id",
            [to_db_instant(now)],
        )

    def next_snooze_end(self, after: datetime) -> datetime | None:
        row = self.db.execute(
            "SELECT min(snoozed_until_utc) FROM reminder_occurrences "
            "WHERE state = 'snoozed' AND snoozed_until_utc > ?",
            [to_db_instant(after)],
        ).fetchone()
        return _instant(row[0])

    def take_away(self, *, now: datetime) -> list[ReminderRecord]:
        """The missed occurrences nobody has been shown yet, soonest first, now marked shown: a
        second call (from this process or another) does not return them again."""
        with self.db.atomic():
            ids = [
                row[0]
                for row in self.db.execute(
                    "UPDATE reminder_occurrences SET away_shown_at_utc = ?, updated_at_utc = ? "
                    "WHERE state = 'missed' AND away_shown_at_utc IS NULL RETURNING id",
                    [to_db_instant(now), to_db_instant(now)],
                ).fetchall()
            ]
        found = self.records(ids)
        return sorted(found.values(), key=lambda r: (r.occurrence.deliver_at, r.id))

    # --- what the user does with a reminder ----------------------------------------------------

    def snooze(self, occurrence: Occurrence, *, until: datetime, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "snoozed", now, snoozed_until=until)

    def done(self, occurrence: Occurrence, *, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "done", now, done_at=now)

    def dismiss(self, occurrence: Occurrence, *, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "dismissed", now, dismissed_at=now)

    def _set_state(
        self,
        occurrence: Occurrence,
        state: str,
        now: datetime,
        *,
        snoozed_until: datetime | None = None,
        done_at: datetime | None = None,
        dismissed_at: datetime | None = None,
    ) -> ReminderRecord:
        """Upsert: an occurrence not delivered yet (from the upcoming list) gets its row now,
        so it will not be delivered later."""
        with self.db.atomic():
            self.db.execute(
                INSERT.format(verb="") + " ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
                "snoozed_until_utc = coalesce(excluded.snoozed_until_utc, snoozed_until_utc), "
                "done_at_utc = coalesce(excluded.done_at_utc, done_at_utc), "
                "dismissed_at_utc = coalesce(excluded.dismissed_at_utc, dismissed_at_utc), "
                "updated_at_utc = excluded.updated_at_utc",
                self._values(
                    occurrence,
                    state,
                    now,
                    snoozed_until=snoozed_until,
                    done_at=done_at,
                    dismissed_at=dismissed_at,
                ),
            )
            record = self.record(occurrence.id)
        if record is None:  # the upsert above wrote it, in the same transaction
            raise LookupError(f"Reminder {occurrence.id} was not saved")
        return record

    # --- reading -------------------------------------------------------------------------------

    def record(self, occurrence_id: str) -> ReminderRecord | None:
        return self.records([occurrence_id]).get(occurrence_id)

    def records(self, ids: Iterable[str]) -> dict[str, ReminderRecord]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ReminderRecord] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for record in self._select(f"WHERE id IN ({marks})", chunk):
                found[record.id] = record
        return found

    def inbox(self, limit: int = 100) -> list[ReminderRecord]:
        """What is waiting for the user: delivered or being delivered, snoozed, or missed; newest
        first."""
        return self._select(
            f"WHERE state IN ({INBOX_MARKS}) ORDER BY deliver_at_utc DESC, id LIMIT ?",
            [*INBOX_STATES, limit],
        )

    def inbox_count(self) -> int:
        """How many reminders `inbox` holds (without its limit)."""
        row = self.db.execute(
            f"SELECT count(*) FROM reminder_occurrences WHERE state IN ({INBOX_MARKS})",
            INBOX_STATES,
        ).fetchone()
        return int(row[0])

    def history(self, limit: int = 200) -> list[ReminderRecord]:
        """Every occurrence with a state, newest first."""
        return self._select("ORDER BY deliver_at_utc DESC, id LIMIT ?", [limit])

    def _select(self, clause: str, params: list) -> list[ReminderRecord]:
        rows = self.db.execute(
            f"SELECT {COLUMNS} FROM reminder_occurrences {clause}", params
        ).fetchall()
        return [self._record(row) for row in rows]

    @staticmethod
    def _record(row: tuple) -> ReminderRecord:
        (
            occurrence_id,
            key,
            kind,
            audience,
            text,
            procedure_id,
            due,
            deliver_at,
            zone,
            quiet,
            state,
            round_,
            claimed_by,
            delivered_at,
            system_notified,
            snoozed_until,
            done_at,
            dismissed_at,
            missed_at,
            away_shown_at,
        ) = row
        occurrence = Occurrence(
            id=occurrence_id,
            key=key,
            due=from_db_instant(due),
            deliver_at=from_db_instant(deliver_at),
            zone=zone,
            audience=audience,
            kind=kind,
            text=text,
            procedure_id=procedure_id,
            quiet_hours_apply=bool(quiet),
        )
        return ReminderRecord(
            occurrence=occurrence,
            state=state,
            round=round_,
            claimed_by=claimed_by,
            delivered_at=_instant(delivered_at),
            system_notified=None if system_notified is None else bool(system_notified),
            snoozed_until=_instant(snoozed_until),
            done_at=_instant(done_at),
            dismissed_at=_instant(dismissed_at),
            missed_at=_instant(missed_at),
            away_shown_at=_instant(away_shown_at),
        )

    @staticmethod
    def _values(
        occurrence: Occurrence,
        state: str,
        now: datetime,
        *,
        round: int = 0,
        claimed_by: str | None = None,
        delivered_at: datetime | None = None,
        snoozed_until: datetime | None = None,
        done_at: datetime | None = None,
        dismissed_at: datetime | None = None,
        missed_at: datetime | None = None,
    ) -> list:
        o = occurrence
        return [
            o.id,
            o.key,
            o.kind,
            o.audience,
            o.text,
            o.procedure_id,
            to_db_instant(o.due),
            to_db_instant(o.deliver_at),
            o.zone,
            int(o.quiet_hours_apply),
            state,
            round,
            claimed_by,
            _text(now if claimed_by else None),
            _text(delivered_at),
            _text(snoozed_until),
            _text(done_at),
            _text(dismissed_at),
            _text(missed_at),
            to_db_instant(now),
        ]
