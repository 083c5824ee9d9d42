"""Reminders on disk: each occurrence's state, the delivery log, heartbeats, the user's own
reminders, helpers (caregivers) and the calendar export ledger. Takes and returns domain objects.

The app and the background reminder agent share this file. An occurrence is delivered by the one
process whose `claim` inserted its row: `INSERT OR IGNORE` on the occurrence id inside a
transaction that takes the write lock first (`BEGIN IMMEDIATE`, waiting on the busy timeout), so
the other process finds the row and leaves it. A snoozed occurrence comes back the same way, with
a conditional `UPDATE ... WHERE state = 'snoozed'`. Each delivery writes one line of
`reminder_deliveries`, unique per (occurrence, round).

A delivery whose process died between its claim and `finish_delivery` (killed while the
notification was being shown) stays `claimed`; `reclaim` hands it to another process as a new
round, with the same conditional update, so it is delivered again exactly once.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Iterable

from app.store.connection import Database

from app.domain.reminders import (
    INBOX_STATES,
    CalendarEventState,
    Caregiver,
    Delivery,
    Occurrence,
    OwnReminder,
    ReminderRecord,
)
from app.store.diary_repository import from_db_instant, to_db_instant

OCCURRENCE_COLUMNS = (
    "id, key, kind, audience, text, procedure_id, due_utc, deliver_at_utc, zone, "
    "quiet_hours_apply, state, round, claimed_by, delivered_at_utc, system_notified, "
    "snoozed_until_utc, done_at_utc, dismissed_at_utc, missed_at_utc, away_shown_at_utc"
)
INSERT_OCCURRENCE = (
    "INSERT {verb} INTO reminder_occurrences (id, key, kind, audience, text, procedure_id, "
    "due_utc, deliver_at_utc, zone, quiet_hours_apply, state, round, claimed_by, "
    "claimed_at_utc, delivered_at_utc, snoozed_until_utc, done_at_utc, dismissed_at_utc, "
    "missed_at_utc, updated_at_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?)"
)
CHUNK = 500


def _instant(text: str | None) -> datetime | None:
    return from_db_instant(text) if text else None


def _text(instant: datetime | None) -> str | None:
    return to_db_instant(instant) if instant is not None else None


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- occurrences ---------------------------------------------------------------------------

    def claim(self, occurrence: Occurrence, *, runner: str, pid: int,
              now: datetime) -> ReminderRecord | None:
        """Take a due occurrence for delivery. None when it already has a row: another process
        (or an earlier tick) delivered it, or it was snoozed, done, dismissed or missed."""
        with self.db.atomic():
            cursor = self.db.execute(
                INSERT_OCCURRENCE.format(verb="OR IGNORE"),
                self._values(occurrence, "claimed", now, round=1,
                             claimed_by=f"{runner}:{pid}", delivered_at=now),
            )
            if cursor.rowcount != 1:
                return None
            self._log_delivery(occurrence.id, 1, runner, pid, now)
        return self.record(occurrence.id)

    def claim_snoozed(self, occurrence_id: str, *, runner: str, pid: int,
                      now: datetime) -> ReminderRecord | None:
        """Take a snoozed occurrence whose time has come; None when another process took it, or
        it was done or dismissed meanwhile."""
        stamp = to_db_instant(now)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE reminder_occurrences SET state = 'claimed', round = round + 1, "
                "claimed_by = ?, claimed_at_utc = ?, delivered_at_utc = ?, "
                "system_notified = NULL, updated_at_utc = ? "
                "WHERE id = ? AND state = 'snoozed' AND snoozed_until_utc <= ?",
                [f"{runner}:{pid}", stamp, stamp, stamp, occurrence_id, stamp],
            )
            if cursor.rowcount != 1:
                return None
            round_ = self.db.execute(
                "SELECT round FROM reminder_occurrences WHERE id = ?", [occurrence_id]
            ).fetchone()[0]
            self._log_delivery(occurrence_id, round_, runner, pid, now)
        return self.record(occurrence_id)

    def unfinished(self) -> list[ReminderRecord]:
        """Occurrences a process claimed and has not finished delivering, soonest first."""
        return self._select("WHERE state = 'claimed' ORDER BY deliver_at_utc, id", [])

    def reclaim(self, record: ReminderRecord, *, runner: str, pid: int,
                now: datetime) -> ReminderRecord | None:
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
            self._log_delivery(record.id, record.round + 1, runner, pid, now)
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

    def finish_delivery(self, occurrence_id: str, round_: int, *, system_notified: bool,
                        now: datetime) -> None:
        """The notifier has answered: `system_notified` says whether a system notification
        went out."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE reminder_occurrences SET state = 'delivered', system_notified = ?, "
                "updated_at_utc = ? WHERE id = ? AND state = 'claimed' AND round = ?",
                [int(system_notified), to_db_instant(now), occurrence_id, round_],
            )
            self.db.execute(
                "UPDATE reminder_deliveries SET system_notified = ? "
                "WHERE occurrence_id = ? AND round = ?",
                [int(system_notified), occurrence_id, round_],
            )

    def mark_missed(self, occurrence: Occurrence, *, now: datetime) -> bool:
        """Record an occurrence that fell due while nothing ran; False when it already has a row
        (delivered, done ...)."""
        with self.db.atomic():
            cursor = self.db.execute(
                INSERT_OCCURRENCE.format(verb="OR IGNORE"),
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
                row[0] for row in self.db.execute(
                    "UPDATE reminder_occurrences SET away_shown_at_utc = ?, updated_at_utc = ? "
                    "WHERE state = 'missed' AND away_shown_at_utc IS NULL RETURNING id",
                    [to_db_instant(now), to_db_instant(now)],
                ).fetchall()
            ]
        found = self.records(ids)
        return sorted(found.values(), key=lambda r: (r.occurrence.deliver_at, r.id))

    def snooze(self, occurrence: Occurrence, *, until: datetime, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "snoozed", now, snoozed_until=until)

    def done(self, occurrence: Occurrence, *, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "done", now, done_at=now)

    def dismiss(self, occurrence: Occurrence, *, now: datetime) -> ReminderRecord:
        return self._set_state(occurrence, "dismissed", now, dismissed_at=now)

    def _set_state(self, occurrence: Occurrence, state: str, now: datetime, *,
                   snoozed_until: datetime | None = None, done_at: datetime | None = None,
                   dismissed_at: datetime | None = None) -> ReminderRecord:
        """Upsert: an occurrence not delivered yet (from the upcoming list) gets its row now,
        so it will not be delivered later."""
        with self.db.atomic():
            self.db.execute(
                INSERT_OCCURRENCE.format(verb="") +
                " ON CONFLICT(id) DO UPDATE SET state = excluded.state, "
                "snoozed_until_utc = coalesce(excluded.snoozed_until_utc, snoozed_until_utc), "
                "done_at_utc = coalesce(excluded.done_at_utc, done_at_utc), "
                "dismissed_at_utc = coalesce(excluded.dismissed_at_utc, dismissed_at_utc), "
                "updated_at_utc = excluded.updated_at_utc",
                self._values(occurrence, state, now, snoozed_until=snoozed_until,
                             done_at=done_at, dismissed_at=dismissed_at),
            )
        return self.record(occurrence.id)  # type: ignore[return-value]

    def record(self, occurrence_id: str) -> ReminderRecord | None:
        return self.records([occurrence_id]).get(occurrence_id)

    def records(self, ids: Iterable[str]) -> dict[str, ReminderRecord]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ReminderRecord] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for record in self._select(f"WHERE id IN ({marks})", chunk):
                found[record.id] = record
        return found

    def inbox(self, limit: int = 100) -> list[ReminderRecord]:
        """What is waiting for the user: delivered or being delivered, snoozed, or missed; newest
        first."""
        marks = ",".join("?" * len(INBOX_STATES))
        return self._select(
            f"WHERE state IN ({marks}) ORDER BY deliver_at_utc DESC, id LIMIT ?",
            [*INBOX_STATES, limit],
        )

    def history(self, limit: int = 200) -> list[ReminderRecord]:
        """Every occurrence with a state, newest first."""
        return self._select("ORDER BY deliver_at_utc DESC, id LIMIT ?", [limit])

    def _select(self, clause: str, params: list) -> list[ReminderRecord]:
        rows = self.db.execute(
            f"SELECT {OCCURRENCE_COLUMNS} FROM reminder_occurrences {clause}", params
        ).fetchall()
        return [self._record(row) for row in rows]

    @staticmethod
    def _record(row: tuple) -> ReminderRecord:
        (occurrence_id, key, kind, audience, text, procedure_id, due, deliver_at, zone, quiet,
         state, round_, claimed_by, delivered_at, system_notified, snoozed_until, done_at,
         dismissed_at, missed_at, away_shown_at) = row
        occurrence = Occurrence(
            id=occurrence_id, key=key, due=from_db_instant(due),
            deliver_at=from_db_instant(deliver_at), zone=zone, audience=audience, kind=kind,
            text=text, procedure_id=procedure_id, quiet_hours_apply=bool(quiet),
        )
        return ReminderRecord(
            occurrence=occurrence, state=state, round=round_, claimed_by=claimed_by,
            delivered_at=_instant(delivered_at),
            system_notified=None if system_notified is None else bool(system_notified),
            snoozed_until=_instant(snoozed_until), done_at=_instant(done_at),
            dismissed_at=_instant(dismissed_at), missed_at=_instant(missed_at),
            away_shown_at=_instant(away_shown_at),
        )

    @staticmethod
    def _values(occurrence: Occurrence, state: str, now: datetime, *, round: int = 0,
                claimed_by: str | None = None, delivered_at: datetime | None = None,
                snoozed_until: datetime | None = None, done_at: datetime | None = None,
                dismissed_at: datetime | None = None,
                missed_at: datetime | None = None) -> list:
        o = occurrence
        return [
            o.id, o.key, o.kind, o.audience, o.text, o.procedure_id, to_db_instant(o.due),
            to_db_instant(o.deliver_at), o.zone, int(o.quiet_hours_apply), state, round,
            claimed_by, _text(now if claimed_by else None), _text(delivered_at),
            _text(snoozed_until), _text(done_at), _text(dismissed_at), _text(missed_at),
            to_db_instant(now),
        ]

    # --- the delivery log ----------------------------------------------------------------------

    def _log_delivery(self, occurrence_id: str, round_: int, runner: str, pid: int,
                      now: datetime) -> None:
        self.db.execute(
            "INSERT INTO reminder_deliveries (occurrence_id, round, runner, pid, "
            "delivered_at_utc) VALUES (?, ?, ?, ?, ?)",
            [occurrence_id, round_, runner, pid, to_db_instant(now)],
        )

    def deliveries(self, after_id: int = 0) -> list[Delivery]:
        """The delivery log from after `after_id` on, oldest first."""
        rows = self.db.execute(
            "SELECT id, occurrence_id, round, runner, pid, delivered_at_utc, system_notified "
            "FROM reminder_deliveries WHERE id > ? ORDER BY id",
            [after_id],
        ).fetchall()
        return [
            Delivery(row_id, occurrence_id, round_, runner, pid, from_db_instant(at),
                     None if notified is None else bool(notified))
            for row_id, occurrence_id, round_, runner, pid, at, notified in rows
        ]

    def last_delivery_id(self) -> int:
        return self.db.execute("SELECT coalesce(max(id), 0) FROM reminder_deliveries").fetchone()[0]

    # --- heartbeats ----------------------------------------------------------------------------

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

    def heartbeats(self) -> dict[str, tuple[datetime, int]]:
        """Each runner's last look at the reminders and its process id."""
        return {
            runner: (from_db_instant(at), pid)
            for runner, pid, at in self.db.execute(
                "SELECT runner, pid, at_utc FROM reminder_heartbeats ORDER BY runner"
            )
        }

    def beat_span(self) -> tuple[datetime, datetime] | None:
        """The first heartbeat ever and the latest one, from any runner; None before the first."""
        first, last = self.db.execute(
            "SELECT min(first_at_utc), max(at_utc) FROM reminder_heartbeats"
        ).fetchone()
        if first is None:
            return None
        return from_db_instant(first), from_db_instant(last)

    # --- the user's own reminders --------------------------------------------------------------

    def own_reminders(self) -> list[OwnReminder]:
        rows = self.db.execute(
            "SELECT id, text, at_local, on_date, starts_on, audience FROM own_reminders "
            "WHERE deleted_at_utc IS NULL ORDER BY id"
        ).fetchall()
        return [
            OwnReminder(text=text, at=time.fromisoformat(at), audience=audience, id=row_id,
                        on=date.fromisoformat(on) if on else None,
                        starts_on=date.fromisoformat(starts) if starts else None)
            for row_id, text, at, on, starts, audience in rows
        ]

    def own_reminder(self, reminder_id: int) -> OwnReminder | None:
        return next((r for r in self.own_reminders() if r.id == reminder_id), None)

    def add_own(self, reminder: OwnReminder, *, now: datetime) -> OwnReminder:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO own_reminders (text, at_local, on_date, starts_on, audience, "
                "created_at_utc) VALUES (?, ?, ?, ?, ?, ?)",
                [*self._own_values(reminder), to_db_instant(now)],
            )
        return self.own_reminder(cursor.lastrowid)  # type: ignore[return-value]

    def update_own(self, reminder: OwnReminder) -> OwnReminder:
        if reminder.id is None:
            raise ValueError("Only a saved reminder can be updated")
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET text = ?, at_local = ?, on_date = ?, starts_on = ?, "
                "audience = ? WHERE id = ? AND deleted_at_utc IS NULL",
                [*self._own_values(reminder), reminder.id],
            )
            if cursor.rowcount != 1:
                raise LookupError(f"Reminder {reminder.id} no longer exists")
        return self.own_reminder(reminder.id)  # type: ignore[return-value]

    def delete_own(self, reminder_id: int, *, now: datetime) -> bool:
        """Hide an own reminder; `restore_own` brings it back."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET deleted_at_utc = ? WHERE id = ? AND deleted_at_utc IS "
                "NULL", [to_db_instant(now), reminder_id],
            )
        return cursor.rowcount == 1

    def restore_own(self, reminder_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE own_reminders SET deleted_at_utc = NULL WHERE id = ?", [reminder_id]
            )
        return cursor.rowcount == 1

    @staticmethod
    def _own_values(reminder: OwnReminder) -> list:
        return [
            reminder.text, f"{reminder.at:%H:%M}",
            reminder.on.isoformat() if reminder.on else None,
            reminder.starts_on.isoformat() if reminder.starts_on else None, reminder.audience,
        ]

    # --- helpers (caregivers) ------------------------------------------------------------------

    def caregivers(self) -> list[Caregiver]:
        """Every saved helper, in the order they were added."""
        return [
            Caregiver(name, phone, relation, id=row_id)
            for row_id, name, phone, relation in self.db.execute(
                "SELECT id, name, phone, relation FROM caregivers WHERE deleted_at_utc IS NULL "
                "ORDER BY id"
            )
        ]

    def add_caregiver(self, caregiver: Caregiver, *, now: datetime) -> Caregiver:
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO caregivers (name, phone, relation, added_at_utc) VALUES (?, ?, ?, ?)",
                [caregiver.name, caregiver.phone, caregiver.relation, to_db_instant(now)],
            )
        return Caregiver(caregiver.name, caregiver.phone, caregiver.relation, id=cursor.lastrowid)

    def update_caregiver(self, caregiver: Caregiver) -> Caregiver:
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

    def remove_caregiver(self, caregiver_id: int, *, now: datetime) -> bool:
        """Hide a helper; `restore_caregiver` brings them back."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE caregivers SET deleted_at_utc = ? WHERE id = ? AND deleted_at_utc IS NULL",
                [to_db_instant(now), caregiver_id],
            )
        return cursor.rowcount == 1

    def restore_caregiver(self, caregiver_id: int) -> bool:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE caregivers SET deleted_at_utc = NULL WHERE id = ?", [caregiver_id]
            )
        return cursor.rowcount == 1

    # --- the calendar export ledger ------------------------------------------------------------

    def calendar_ledger(self, audience: str) -> dict[str, CalendarEventState]:
        return {
            uid: CalendarEventState(uid, fingerprint, sequence, from_db_instant(modified), event,
                                    bool(cancelled))
            for uid, fingerprint, sequence, modified, event, cancelled in self.db.execute(
                "SELECT uid, fingerprint, sequence, modified_utc, event, cancelled "
                "FROM calendar_exports WHERE audience = ?", [audience]
            )
        }

    def save_calendar_ledger(self, audience: str, states: Iterable[CalendarEventState]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO calendar_exports (audience, uid, fingerprint, sequence, "
                "modified_utc, event, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(audience, uid) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "sequence = excluded.sequence, modified_utc = excluded.modified_utc, "
                "event = excluded.event, cancelled = excluded.cancelled",
                [(audience, s.uid, s.fingerprint, s.sequence, to_db_instant(s.modified), s.event,
                  int(s.cancelled)) for s in states],
            )
