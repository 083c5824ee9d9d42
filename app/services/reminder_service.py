"""Delivering reminders: once each, on time, from the app or the background agent.

`tick(now)` works out what is due from the schedule (app/domain/reminders.py) and the store, claims
each due occurrence in the database (so the app and the agent never both deliver it), delivers it
through the `Notifier` (a system notification where there is one; read aloud when the user asked)
and returns what is new for the in-app banner and inbox.

When is a reminder "missed while away"? When it is first seen more than `grace` (15 minutes)
after its time: nothing was running to deliver it then (the device was off or asleep, the app and
the agent were closed, or the clock jumped forward). Those are recorded as missed, never shown as
a burst of notifications, and the app lists them once, in "while you were away".

A delivery cut off half-way (the process was killed after claiming a reminder and before the
notifier answered, so the notification may never have shown) is delivered again by the next
tick of any process, once its process has gone; if that is more than `grace` after the delivery
began, it is recorded as missed instead. A process never takes over its own claims, nor those of
a process that still runs, however long ago it claimed: a laptop woken from sleep, or a test
clock running fast, makes a delivery look old while it is still being shown, and taking it over
then would show it twice. (Windows has no harmless way to ask whether a process runs: there a
claim unfinished for `STALLED` counts as abandoned.)

How far back a tick looks: to the last tick any process recorded (the gap while nothing ran), and
always over the last day (a reminder moved into the recent past by a change of zone or plan), but
never before the first tick ever (reminders from before the app first ran are not "missed") and
never more than 31 days back.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.pathway import AUDIENCES
from app.domain.reminders import (
    Caregiver,
    Occurrence,
    OwnReminder,
    ReminderRecord,
    ReminderSettings,
    occurrences_between,
    procedure_occurrences,
    snooze_until,
    validate_caregiver,
    validate_own_reminder,
    validate_reminder_settings,
)
from app.services.notifier import Notifier
from app.services.pathways import PathwayService
from app.store.caregivers import CaregiverRepository
from app.store.connection import Database
from app.store.own_reminders import OwnReminderRepository
from app.store.plan_repository import PlanRepository
from app.store.reminder_heartbeats import HeartbeatRepository
from app.store.reminder_occurrences import OccurrenceRepository
from app.store.settings_repository import SettingsRepository

GRACE = timedelta(minutes=15)
RECENT = timedelta(days=1)
AWAY_HORIZON = timedelta(days=31)
IDLE = timedelta(seconds=60)
STALLED = timedelta(minutes=2)
MIN_WAIT = timedelta(seconds=1)
TINY = timedelta(microseconds=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickResult:
    """What a tick has for the screen: `delivered` are new in the inbox since the previous tick
    (delivered by this process or by the agent), for the banner; `away` fell due while nothing
    ran and are shown once (only a service made with `show_away`, i.e. the app's)."""

    delivered: tuple[ReminderRecord, ...] = ()
    away: tuple[ReminderRecord, ...] = ()


class ReminderService:
    """One per process. `runner` is "app" or "agent"; `clock` has now(), zone() and sleep().

    Its stores are public: what only reads or writes one of them (the inbox, the history, a
    reminder marked done, a helper removed) calls the store itself; the service holds the rules:
    the schedule, delivery, a snooze's end, and checking what the user typed before it is saved."""

    def __init__(
        self,
        db: Database,
        clock: Any,
        notifier: Notifier,
        *,
        runner: str = "app",
        show_away: bool | None = None,
        grace: timedelta = GRACE,
    ) -> None:
        self.db = db
        self.clock = clock
        self.notifier = notifier
        self.runner = runner
        self.show_away = runner == "app" if show_away is None else show_away
        self.grace = grace
        self.pid = os.getpid()
        self.states = OccurrenceRepository(db)
        self.heartbeats = HeartbeatRepository(db)
        self.own = OwnReminderRepository(db)
        self.helpers = CaregiverRepository(db)
        self.settings_store = SettingsRepository(db)
        self.plans = PlanRepository(db)
        self.pathways = PathwayService(self.settings_store)
        self._seen_delivery = self.states.deliveries.last_id()
        # (occurrence id, round) -> what the notifier answered, until the answer is on disk: a
        # delivery whose notification went out but whose finish failed (the database busy) is
        # finished on a later tick, never delivered again.
        self._answered: dict[tuple[str, int], bool] = {}
        self._planned: tuple[tuple, list[Occurrence]] | None = None  # (what from, reminders)

    # --- the schedule ----------------------------------------------------------------------------

    def occurrences(
        self,
        start: datetime,
        end: datetime,
        *,
        audiences: tuple[str, ...] = AUDIENCES,
        zone: str | None = None,
        settings: ReminderSettings | None = None,
        include_own: bool = True,
    ) -> list[Occurrence]:
        """Every reminder delivered in [start, end) as the plan and settings stand now."""
        settings = settings or self.settings_store.reminder_settings()
        zone = zone or self.clock.zone()
        return occurrences_between(
            self._procedure_occurrences(settings, zone, audiences),
            own=self.own.all() if include_own else (),
            settings=settings,
            zone=zone,
            start=start,
            end=end,
            audiences=audiences,
        )

    def _procedure_occurrences(
        self, settings: ReminderSettings, zone: str, audiences: tuple[str, ...]
    ) -> list[Occurrence]:
        """Every reminder of the plan's procedures, worked out again only when what they come
        from changed: the procedures, their pathways (the clinic's file, the language), the
        settings, the zone. The plan is read each time (one small query); working out the
        reminders is what costs, and every tick and every look at Reminders asks for them."""
        procedures = self.plans.procedures()
        pathways = {
            region: self.pathways.for_region(region)
            for region in sorted({p.region for p in procedures})
        }
        # The pathways themselves, not their id(): a replaced pathway (a new clinic file) could
        # be given the address of the freed one. The pathway service keeps each pathway it
        # chose, so the usual comparison is the tuple's identity check, not a deep one.
        key = (procedures, tuple(pathways.items()), settings, zone, audiences)
        if self._planned is None or self._planned[0] != key:
            self._planned = (
                key,
                procedure_occurrences(
                    procedures, pathways, settings=settings, zone=zone, audiences=audiences
                ),
            )
        return self._planned[1]

    def listing(
        self, start: datetime, end: datetime, *, audiences: tuple[str, ...] = AUDIENCES
    ) -> list[tuple[Occurrence, ReminderRecord | None]]:
        """Occurrences in [start, end) with what has happened to each (None: nothing yet)."""
        found = self.occurrences(start, end, audiences=audiences)
        records = self.states.records(o.id for o in found)
        return [(o, records.get(o.id)) for o in found]

    def upcoming(
        self, now: datetime | None = None, *, days: int = 14, audiences: tuple[str, ...] = AUDIENCES
    ) -> list[Occurrence]:
        """What is still to come in the next `days` days and nothing has happened to yet (not
        snoozed, done or dismissed ahead of time)."""
        now = self._now(now)
        return [
            o
            for o, record in self.listing(now, now + timedelta(days=days), audiences=audiences)
            if record is None
        ]

    # --- delivering ------------------------------------------------------------------------------

    def tick(self, now: datetime | None = None, *, raise_problems: bool = False) -> TickResult:
        """Deliver what is due at `now` (default: the clock's), record what was missed, and say
        what is new. A database busy beyond its timeout (or full, or read-only) skips this tick,
        logged, not raised; `raise_problems` raises it instead, for a single run that must say
        it could not deliver."""
        now = self._now(now)
        try:
            settings = self.settings_store.reminder_settings()
            self._account(now, settings, deliver=True)
            self.heartbeats.beat(self.runner, self.pid, now)
            delivered = self._new_in_inbox()
            away = tuple(self.states.take_away(now=now)) if self.show_away else ()
        except sqlite3.OperationalError as error:
            if raise_problems:
                raise
            log.warning("Reminders skipped a tick: %s", error)
            return TickResult()
        return TickResult(delivered, away)

    def collect_missed(self, now: datetime | None = None) -> list[ReminderRecord]:
        """On start: record what fell due while nothing ran, and return every missed reminder
        not shown yet (marking them shown), soonest first. Delivers nothing."""
        now = self._now(now)
        self._account(now, self.settings_store.reminder_settings(), deliver=False)
        return self.states.take_away(now=now)

    def next_wake(self, now: datetime | None = None) -> datetime:
        """The next instant something may fall due, at most a minute away."""
        now = self._now(now)
        horizon = now + IDLE
        settings = self.settings_store.reminder_settings()
        soon = self.occurrences(
            now + TINY, horizon, audiences=self._audiences(settings), settings=settings
        )
        candidates = [horizon] + [o.deliver_at for o in soon[:1]]
        snooze_end = self.states.next_snooze_end(now)
        if snooze_end is not None:
            candidates.append(snooze_end)
        return min(candidates)

    def run(
        self,
        *,
        once: bool = False,
        stop: Callable[[], bool] = lambda: False,
        on_tick: Callable[[TickResult], None] | None = None,
    ) -> None:
        """The agent's loop: tick, then sleep until the next due time or for a minute at most.
        Time is read from the clock afresh each round, so a clock set back or forward (or a
        machine waking from sleep) is noticed within a minute."""
        while True:
            now = self._now(None)
            result = self.tick(now, raise_problems=once)
            if on_tick is not None:
                on_tick(result)
            if once or stop():
                return
            try:
                wake = self.next_wake(now)
            except sqlite3.OperationalError as error:
                log.warning("Reminders could not look ahead: %s", error)
                wake = now + IDLE
            self.clock.sleep(max(MIN_WAIT, min(IDLE, wake - self._now(None))).total_seconds())

    def _account(self, now: datetime, settings: ReminderSettings, *, deliver: bool) -> None:
        """Every occurrence due by `now` and not yet handled: delivered when within `grace` of
        its time (if `deliver`), otherwise recorded as missed. Snoozes likewise."""
        self._recover_unfinished(now, settings, deliver=deliver)
        start = self._look_back(now)
        due = self.occurrences(
            start, now + TINY, audiences=self._audiences(settings), settings=settings
        )
        known = self.states.records(o.id for o in due)
        for occurrence in due:
            if occurrence.id in known:
                continue
            if now - occurrence.deliver_at > self.grace:
                self.states.mark_missed(occurrence, now=now)
            elif deliver:
                record = self.states.claim(occurrence, runner=self.runner, pid=self.pid, now=now)
                if record is not None:
                    self._deliver(record, settings, now)
        for snoozed in self.states.due_snoozes(now):
            assert snoozed.snoozed_until is not None
            if now - snoozed.snoozed_until > self.grace:
                self.states.miss_snoozed(snoozed.id, now=now)
            elif deliver:
                record = self.states.claim_snoozed(
                    snoozed.id, runner=self.runner, pid=self.pid, now=now
                )
                if record is not None:
                    self._deliver(record, settings, now)

    def _recover_unfinished(
        self, now: datetime, settings: ReminderSettings, *, deliver: bool
    ) -> None:
        for record in self.states.unfinished():
            answered = self._answered.get((record.id, record.round))
            if answered is not None:
                self._finish(record, answered, now)
                continue
            if not self._abandoned(record, now):
                continue
            began = record.delivered_at or record.occurrence.deliver_at
            if now - began > self.grace:
                self.states.miss_unfinished(record, now=now)
            elif deliver:
                taken = self.states.reclaim(record, runner=self.runner, pid=self.pid, now=now)
                if taken is not None:
                    self._deliver(taken, settings, now)

    def _abandoned(self, record: ReminderRecord, now: datetime) -> bool:
        """Its process is gone (where that cannot be asked: unfinished for longer than
        `STALLED`)."""
        _, _, pid = (record.claimed_by or "").rpartition(":")
        if not pid.isdigit() or int(pid) == self.pid:
            return False
        if os.name == "nt":
            began = record.delivered_at or record.occurrence.deliver_at
            return now - began > STALLED
        return not process_running(int(pid))

    def _look_back(self, now: datetime) -> datetime:
        span = self.heartbeats.span()
        if span is None:  # nothing has ever run: nothing before now counts as missed
            return now - self.grace
        first, last = span
        return max(min(last, now - RECENT), first - self.grace, now - AWAY_HORIZON)

    def _deliver(self, record: ReminderRecord, settings: ReminderSettings, now: datetime) -> None:
        occurrence = record.occurrence
        try:
            system = bool(
                self.notifier.notify(occurrence.title, occurrence.text, tag=occurrence.id)
            )
        except Exception as error:
            log.warning("The notifier failed: %s", error)
            system = False
        if settings.read_aloud:
            try:
                self.notifier.speak(f"{occurrence.title}. {occurrence.text}")
            except Exception as error:
                log.warning("Reading aloud failed: %s", error)
        self._answered[(record.id, record.round)] = system
        self._finish(record, system, now)

    def _finish(self, record: ReminderRecord, system: bool, now: datetime) -> None:
        self.states.finish_delivery(record.id, record.round, system_notified=system, now=now)
        self._answered.pop((record.id, record.round), None)

    def _new_in_inbox(self) -> tuple[ReminderRecord, ...]:
        deliveries = self.states.deliveries.since(self._seen_delivery)
        if not deliveries:
            return ()
        self._seen_delivery = deliveries[-1].id
        records = self.states.records(d.occurrence_id for d in deliveries)
        ids = dict.fromkeys(d.occurrence_id for d in deliveries)
        return tuple(records[i] for i in ids if i in records and records[i].in_inbox)

    @staticmethod
    def _audiences(settings: ReminderSettings) -> tuple[str, ...]:
        return AUDIENCES if settings.caregiver_here else ("patient",)

    def _now(self, now: datetime | None) -> datetime:
        return (now or self.clock.now()).astimezone(UTC)

    # --- what the user does with a reminder ------------------------------------------------------

    def snooze(
        self, reminder: Occurrence | ReminderRecord, choice: str, now: datetime | None = None
    ) -> ReminderRecord:
        """`choice`: "10min", "1h" or "tomorrow" (09:00 local, or when quiet hours end)."""
        now = self._now(now)
        occurrence = reminder.occurrence if isinstance(reminder, ReminderRecord) else reminder
        settings = self.settings_store.reminder_settings()
        until = snooze_until(
            choice, now, self.clock.zone(), settings, quiet_hours_apply=occurrence.quiet_hours_apply
        )
        return self.states.snooze(occurrence, until=until, now=now)

    # --- settings, own reminders, helpers: checked, then saved -----------------------------------

    def save_settings(self, raw: Mapping[str, Any]) -> ReminderSettings:
        """Change some settings (keys as in `ReminderSettings`; times as "HH:MM"); raises
        `ReminderInputError` with a message per field."""
        settings = validate_reminder_settings(raw, base=self.settings_store.reminder_settings())
        self.settings_store.save_reminder_settings(settings)
        return settings

    def add_own_reminder(self, raw: Mapping[str, Any], now: datetime | None = None) -> OwnReminder:
        """`raw`: text, at ("HH:MM"), on (ISO date, or empty for every day), audience; raises
        `ReminderInputError` per field."""
        now = self._now(now)
        reminder = validate_own_reminder(raw, now=now, zone=self.clock.zone())
        return self.own.add(reminder, now=now)

    def update_own_reminder(
        self, reminder_id: int, raw: Mapping[str, Any], now: datetime | None = None
    ) -> OwnReminder:
        reminder = validate_own_reminder(
            {**raw, "id": reminder_id}, now=self._now(now), zone=self.clock.zone()
        )
        return self.own.update(reminder)

    def add_caregiver(self, raw: Mapping[str, Any], now: datetime | None = None) -> Caregiver:
        """`raw`: name, phone, relation; raises `ReminderInputError` per field."""
        return self.helpers.add(validate_caregiver(raw), now=self._now(now))

    def update_caregiver(self, caregiver_id: int, raw: Mapping[str, Any]) -> Caregiver:
        return self.helpers.update(validate_caregiver({**raw, "id": caregiver_id}))


def process_running(pid: int) -> bool:
    """Whether a process with this id runs on this device (POSIX)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True
