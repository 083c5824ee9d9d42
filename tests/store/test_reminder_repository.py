"""Reminders on disk, one repository per kind: one claim per occurrence even across connections,
snoozes, done and dismiss, the away list shown once, the delivery log, heartbeats, own reminders,
helpers and the calendar ledger."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from app.domain.reminders import (
    CalendarEventState,
    Caregiver,
    Occurrence,
    OwnReminder,
    ReminderSettings,
)
from app.store.calendar_ledger import CalendarLedgerRepository
from app.store.caregivers import CaregiverRepository
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository
from app.store.reminder_heartbeats import HeartbeatRepository
from app.store.reminder_occurrences import OccurrenceRepository
from app.store.settings_repository import SettingsRepository

UTC = UTC
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def occurrence(n: int = 1, *, minutes: int = 0) -> Occurrence:
    due = NOW + timedelta(minutes=minutes)
    return Occurrence(
        id=f"own:{n}/2026-06-10",
        key=f"own:{n}",
        due=due,
        deliver_at=due,
        zone="Europe/London",
        audience="patient",
        kind="own",
        text=f"Text {n}",
    )


def test_an_occurrence_is_claimed_once(fresh_db):
    store = OccurrenceRepository(fresh_db)
    first = store.claim(occurrence(), runner="app", pid=1, now=NOW)
    assert first is not None and first.state == "claimed" and first.round == 1
    assert first.claimed_by == "app:1" and first.delivered_at == NOW
    assert first.occurrence == occurrence()
    assert store.claim(occurrence(), runner="agent", pid=2, now=NOW) is None
    store.finish_delivery(first.id, 1, system_notified=False, now=NOW)
    assert store.record(first.id).state == "delivered"
    assert store.record(first.id).system_notified is False
    [delivery] = store.deliveries.since()
    assert (delivery.occurrence_id, delivery.round, delivery.runner, delivery.system_notified) == (
        first.id,
        1,
        "app",
        False,
    )


def test_two_connections_racing_claim_each_occurrence_once(data_dir):
    open_database(data_dir).close()
    occurrences = [occurrence(n) for n in range(200)]
    won: dict[str, list[str]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def racer(name: str) -> None:
        db = open_database(data_dir)
        store = OccurrenceRepository(db)
        start.wait()
        for item in occurrences:
            if store.claim(item, runner=name, pid=0, now=NOW) is not None:
                won[name].append(item.id)
        db.close()

    threads = [threading.Thread(target=racer, args=(name,)) for name in won]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won["a"] + won["b"]) == sorted(o.id for o in occurrences)
    db = open_database(data_dir)
    assert len(OccurrenceRepository(db).deliveries.since()) == 200
    db.close()


def test_a_snooze_comes_back_once_as_a_second_round(fresh_db):
    store = OccurrenceRepository(fresh_db)
    item = occurrence()
    store.claim(item, runner="app", pid=1, now=NOW)
    until = NOW + timedelta(minutes=10)
    snoozed = store.snooze(item, until=until, now=NOW)
    assert snoozed.state == "snoozed" and snoozed.snoozed_until == until and snoozed.in_inbox
    assert store.due_snoozes(NOW) == [] and store.next_snooze_end(NOW) == until
    assert store.claim_snoozed(item.id, runner="app", pid=1, now=NOW) is None  # not yet
    again = store.claim_snoozed(item.id, runner="agent", pid=2, now=until)
    assert again is not None and again.round == 2 and again.claimed_by == "agent:2"
    assert store.claim_snoozed(item.id, runner="app", pid=1, now=until) is None
    assert [(d.round, d.runner) for d in store.deliveries.since()] == [(1, "app"), (2, "agent")]


def test_done_and_dismiss_work_on_delivered_and_upcoming_ones(fresh_db):
    store = OccurrenceRepository(fresh_db)
    store.claim(occurrence(1), runner="app", pid=1, now=NOW)
    assert store.done(occurrence(1), now=NOW).state == "done"
    later = occurrence(2, minutes=60)
    dismissed = store.dismiss(later, now=NOW)  # not delivered yet: it never will be
    assert dismissed.state == "dismissed" and dismissed.dismissed_at == NOW
    assert store.claim(later, runner="app", pid=1, now=later.due) is None
    assert store.inbox() == [] and store.inbox_count() == 0
    assert [r.state for r in store.history()] == ["dismissed", "done"]


def test_missed_ones_are_taken_for_the_away_list_once(fresh_db):
    store = OccurrenceRepository(fresh_db)
    assert store.mark_missed(occurrence(1), now=NOW)
    assert not store.mark_missed(occurrence(1), now=NOW)
    store.claim(occurrence(2), runner="app", pid=1, now=NOW)
    store.snooze(occurrence(2), until=NOW, now=NOW)
    assert store.miss_snoozed(occurrence(2).id, now=NOW)
    away = store.take_away(now=NOW)
    assert [r.id for r in away] == [occurrence(1).id, occurrence(2).id]
    assert all(r.state == "missed" and r.away_shown_at == NOW for r in away)
    assert store.take_away(now=NOW) == []
    assert {r.id for r in store.inbox()} == {occurrence(1).id, occurrence(2).id}
    assert store.inbox_count() == 2 and len(store.inbox(limit=1)) == 1


def test_heartbeats_keep_the_first_and_the_latest(fresh_db):
    store = HeartbeatRepository(fresh_db)
    assert store.span() is None and store.last_seen("agent") is None
    store.beat("agent", 10, NOW)
    store.beat("app", 11, NOW + timedelta(minutes=5))
    store.beat("agent", 12, NOW + timedelta(minutes=1))
    assert store.span() == (NOW, NOW + timedelta(minutes=5))
    assert store.last_seen("agent") == NOW + timedelta(minutes=1)
    assert store.all() == {
        "agent": (NOW + timedelta(minutes=1), 12),
        "app": (NOW + timedelta(minutes=5), 11),
    }


def test_own_reminders_round_trip_and_undo_a_delete(fresh_db):
    store = OwnReminderRepository(fresh_db)
    daily = store.add(OwnReminder("Walk", time(9, 5), starts_on=date(2026, 6, 10)), now=NOW)
    dated = store.add(
        OwnReminder("Call", time(18, 0), on=date(2026, 6, 12), audience="caregiver"), now=NOW
    )
    assert store.all() == [daily, dated]
    assert daily.id is not None and daily.at == time(9, 5) and daily.daily
    edited = store.update(
        OwnReminder("Walk far", time(9, 30), starts_on=daily.starts_on, id=daily.id)
    )
    assert edited.text == "Walk far"
    assert store.delete(dated.id, now=NOW) and store.all() == [edited]
    assert store.get(dated.id) is None and not store.delete(dated.id, now=NOW)
    assert store.restore(dated.id) and len(store.all()) == 2


def test_several_caregivers(fresh_db):
    store = CaregiverRepository(fresh_db)
    maria = store.add(Caregiver("Maria", "555 0142", "daughter"), now=NOW)
    sam = store.add(Caregiver("Sam", "555 0199"), now=NOW)
    assert store.all() == [maria, sam]
    store.update(Caregiver("Sam", "555 0100", "neighbour", id=sam.id))
    assert store.all()[1].relation == "neighbour"
    assert store.remove(maria.id, now=NOW)
    assert [c.name for c in store.all()] == ["Sam"]
    assert store.restore(maria.id)
    assert [c.name for c in store.all()] == ["Maria", "Sam"]


def test_the_calendar_ledger_is_per_audience(fresh_db):
    store = CalendarLedgerRepository(fresh_db)
    state = CalendarEventState("a@facet-companion", "f1", 0, NOW, "BEGIN:VEVENT...")
    store.save("patient", [state])
    assert store.for_audience("patient") == {"a@facet-companion": state}
    assert store.for_audience("caregiver") == {}
    newer = CalendarEventState("a@facet-companion", "f2", 1, NOW, "BEGIN:VEVENT...", True)
    store.save("patient", [newer])
    assert store.for_audience("patient")["a@facet-companion"] == newer


def test_reminder_settings_are_saved(fresh_db):
    settings = SettingsRepository(fresh_db)
    assert settings.reminder_settings() == ReminderSettings()
    custom = ReminderSettings(quiet_start=time(22, 0), read_aloud=True)
    settings.save_reminder_settings(custom)
    assert settings.reminder_settings() == custom
    settings.put("reminders", "garbage")
    assert settings.reminder_settings() == ReminderSettings()
