"""A delivery cut off half-way (its process killed after the claim, before the notifier answered)
is taken over by the next tick once its process has gone: delivered again within the grace,
recorded as missed after it; a live process's delivery, or one whose notifier answered, is never
delivered twice."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from app.services.clock import FixedClock
from app.services.notifier import RecordingNotifier
from app.services.reminder_service import STALLED, ReminderService

UTC = UTC
DUE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def gone_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def claimed(fresh_db):
    """The 09:00 reminder, claimed at 09:00:05 by an agent whose process then died."""
    clock = FixedClock(DUE + timedelta(seconds=5), "UTC")
    dying = ReminderService(fresh_db, clock, RecordingNotifier(), runner="agent")
    dying.add_own_reminder(
        {"text": "Stretch", "at": "09:00", "on": "", "audience": "patient"},
        now=DUE - timedelta(days=1),
    )
    dying.pid = gone_pid()
    occurrence = dying.occurrences(DUE, DUE + timedelta(seconds=1))[0]
    record = dying.states.claim(occurrence, runner="agent", pid=dying.pid, now=clock.now())
    assert record is not None and record.state == "claimed"
    return fresh_db, occurrence


def next_run(db, now: datetime) -> tuple[ReminderService, RecordingNotifier]:
    notifier = RecordingNotifier()
    return ReminderService(db, FixedClock(now, "UTC"), notifier, runner="agent"), notifier


def test_the_next_run_delivers_it_again_once(claimed):
    db, occurrence = claimed
    service, notifier = next_run(db, DUE + timedelta(seconds=40))
    service.tick()
    service.tick(DUE + timedelta(seconds=50))
    assert notifier.tags == [occurrence.id]
    record = service.states.record(occurrence.id)
    assert (record.state, record.round) == ("delivered", 2)


def test_long_after_it_is_missed_not_notified(claimed):
    db, occurrence = claimed
    service, notifier = next_run(db, DUE + timedelta(hours=3))
    away = service.collect_missed()
    assert notifier.tags == []
    assert [r.id for r in away] == [occurrence.id]


def test_a_live_process_delivery_is_left_to_it_however_old_until_it_has_gone(fresh_db):
    live = ReminderService(fresh_db, FixedClock(DUE, "UTC"), RecordingNotifier(), runner="app")
    live.add_own_reminder(
        {"text": "Stretch", "at": "09:00", "on": "", "audience": "patient"},
        now=DUE - timedelta(days=1),
    )
    occurrence = live.occurrences(DUE, DUE + timedelta(seconds=1))[0]
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            live.states.claim(occurrence, runner="app", pid=other.pid, now=DUE)
            service, notifier = next_run(fresh_db, DUE + timedelta(seconds=20))
            service.tick()
            assert notifier.tags == []  # the other process is still showing it
            # Woken from sleep, or a fast test clock: old, but still being shown.
            service.tick(DUE + STALLED + timedelta(minutes=5))
            assert notifier.tags == []
        finally:
            other.kill()
            other.wait()
        service.tick(DUE + STALLED + timedelta(minutes=6))
        assert notifier.tags == [occurrence.id]  # its process has gone


def test_a_notified_delivery_whose_finish_failed_is_finished_not_repeated(fresh_db, monkeypatch):
    notifier = RecordingNotifier()
    service = ReminderService(fresh_db, FixedClock(DUE, "UTC"), notifier, runner="agent")
    service.add_own_reminder(
        {"text": "Stretch", "at": "09:00", "on": "", "audience": "patient"},
        now=DUE - timedelta(days=1),
    )
    finish = service.states.finish_delivery

    def busy(*args, **kwargs):
        import sqlite3

        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(service.states, "finish_delivery", busy)
    service.tick(DUE + timedelta(seconds=5))
    monkeypatch.setattr(service.states, "finish_delivery", finish)
    service.tick(DUE + STALLED + timedelta(minutes=1))
    assert len(notifier.tags) == 1
    assert service.states.unfinished() == []
