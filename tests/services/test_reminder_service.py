"""Delivering reminders: once each, on time, missed ones listed once and never as a burst, across a
simulated year with daylight-saving changes, a trip abroad and a clock that jumps; plyer missing or
failing never stops in-app delivery."""

from __future__ import annotations

import random
import sys
import types
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.plan import Procedure
from app.domain.reminders import ReminderInputError, ReminderSettings
from app.services.clock import FixedClock
from app.services.notifier import PlyerNotifier, RecordingNotifier
from app.services.reminder_service import GRACE, ReminderService
from app.store.database import open_database
from app.store.plan_repository import PlanRepository

UTC = UTC
LONDON, NEW_YORK = "Europe/London", "America/New_York"
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def at(text: str, zone: str = LONDON) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def add_procedure(db, local: str, kind: str = "test-block", zone: str = LONDON) -> Procedure:
    return PlanRepository(db).add_procedure(
        Procedure(kind=kind, region="lumbar", side="left", at=at(local, zone), zone=zone)
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START, LONDON)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def service(fresh_db, clock, notifier) -> ReminderService:
    return ReminderService(fresh_db, clock, notifier, runner="app")


def own(
    service: ReminderService,
    text: str,
    clock_time: str,
    on: str | None = None,
    audience: str = "patient",
):
    return service.add_own_reminder(
        {"text": text, "at": clock_time, "on": on or "", "audience": audience}
    )


# --- one at a time ---------------------------------------------------------------------------


def test_a_due_reminder_is_delivered_once_to_the_system_and_the_inbox(service, clock, notifier):
    service.tick()  # the first look: from now on
    own(service, "Stretch", "14:00", "2026-06-01")  # 13:00 UTC
    clock.set(at("2026-06-01T14:00:30"))
    result = service.tick()
    assert [r.occurrence.text for r in result.delivered] == ["Stretch"]
    assert result.delivered[0].state == "delivered" and result.delivered[0].system_notified
    assert notifier.shown == [("Your reminder", "Stretch")]
    assert notifier.tags == ["own:1/2026-06-01"]
    clock.advance(timedelta(minutes=1))
    assert service.tick().delivered == ()
    assert len(notifier.shown) == 1
    assert [r.occurrence.text for r in service.states.inbox()] == ["Stretch"]


def test_nothing_from_before_the_first_run_floods_in(service, clock, fresh_db, notifier):
    add_procedure(fresh_db, "2026-06-01T09:00")  # a block this morning: prompts until 17:00
    clock.set(at("2026-06-01T13:30"))  # the app's first start, half an hour after a prompt
    assert service.collect_missed() == []
    result = service.tick()
    assert result == type(result)()
    clock.set(at("2026-06-01T14:00"))
    assert [r.occurrence.kind for r in service.tick().delivered] == ["block-prompt"]


def test_what_fell_due_while_nothing_ran_is_listed_once_not_notified(
    service, clock, fresh_db, notifier
):
    service.tick()
    add_procedure(fresh_db, "2026-06-02T10:00")
    clock.set(at("2026-06-02T15:05"))  # closed from yesterday until after the 15:00 prompt
    fresh = ReminderService(fresh_db, clock, notifier, runner="app")  # the app starting again
    away = fresh.collect_missed()
    assert [f"{r.occurrence.local_deliver_at:%d %H:%M}" for r in away] == [
        "01 18:00",
        "01 18:00",  # the day before, for the patient and for the helper
        "02 08:00",
        "02 10:15",
        "02 10:30",
        "02 10:45",
        "02 11:00",
        "02 12:00",
        "02 13:00",
        "02 14:00",
    ]
    assert all(r.state == "missed" for r in away) and notifier.shown == []
    assert fresh.collect_missed() == []
    result = fresh.tick()
    assert [f"{r.occurrence.local_deliver_at:%H:%M}" for r in result.delivered] == ["15:00"]
    assert result.away == ()


def test_a_reminder_a_little_late_is_still_delivered(service, clock, fresh_db, notifier):
    service.tick()
    own(service, "Pills", "14:00", "2026-06-01")
    clock.set(at("2026-06-01T14:14"))
    assert [r.occurrence.text for r in service.tick().delivered] == ["Pills"]


def test_the_agent_leaves_the_away_list_for_the_app(fresh_db, clock, notifier):
    agent = ReminderService(fresh_db, clock, notifier, runner="agent")
    agent.tick()
    own(agent, "Pills", "14:00", "2026-06-01")
    clock.set(at("2026-06-01T18:00"))  # the machine slept through it
    assert agent.tick().away == ()
    app = ReminderService(fresh_db, clock, notifier, runner="app")
    assert [r.occurrence.text for r in app.collect_missed()] == ["Pills"]
    assert notifier.shown == []


def test_snooze_then_done(service, clock, notifier):
    service.tick()
    own(service, "Walk", "14:00", "2026-06-01")
    clock.set(at("2026-06-01T14:00"))
    [first] = service.tick().delivered
    snoozed = service.snooze(first, "10min")
    assert snoozed.state == "snoozed" and snoozed.snoozed_until == at("2026-06-01T14:10")
    clock.advance(timedelta(minutes=9))
    assert service.tick().delivered == ()
    clock.advance(timedelta(minutes=1))
    [again] = service.tick().delivered
    assert again.round == 2 and notifier.shown == [("Your reminder", "Walk")] * 2
    assert service.states.done(again.occurrence, now=clock.now()).state == "done"
    clock.advance(timedelta(hours=2))
    assert service.tick().delivered == () and service.states.inbox() == []


def test_snooze_until_tomorrow_and_dismiss_an_upcoming_one(service, clock):
    service.tick()
    own(service, "Walk", "14:00", "2026-06-01")
    own(service, "Call", "16:00", "2026-06-01")
    clock.set(at("2026-06-01T14:00"))
    [walk] = service.tick().delivered
    assert service.snooze(walk, "tomorrow").snoozed_until == at("2026-06-02T09:00")
    [call] = service.upcoming()
    assert service.states.dismiss(call, now=clock.now()).state == "dismissed"
    clock.set(at("2026-06-01T16:30"))
    assert service.tick().delivered == ()
    clock.set(at("2026-06-02T09:00"))
    assert [r.occurrence.text for r in service.tick().delivered] == ["Walk"]


def test_a_snooze_that_ends_while_nothing_runs_goes_to_the_away_list(service, clock):
    service.tick()
    own(service, "Walk", "14:00", "2026-06-01")
    clock.set(at("2026-06-01T14:00"))
    [walk] = service.tick().delivered
    service.snooze(walk, "1h")
    clock.set(at("2026-06-01T18:00"))
    assert [r.occurrence.text for r in service.tick().away] == ["Walk"]


def test_quiet_hours_hold_a_reminder_until_morning(service, clock):
    service.tick()
    own(service, "Late tea", "22:30", "2026-06-01")
    clock.set(at("2026-06-01T22:31"))
    assert service.tick().delivered == ()
    clock.set(at("2026-06-02T08:00"))
    [tea] = service.tick().delivered
    assert tea.occurrence.held and tea.occurrence.local_due.hour == 22


def test_read_aloud_and_helpers_reminders_on_this_device(service, clock, notifier):
    service.tick()
    service.save_settings({"read_aloud": True})
    own(service, "Pick them up", "14:00", "2026-06-01", audience="caregiver")
    clock.set(at("2026-06-01T14:00"))
    [record] = service.tick().delivered
    assert record.occurrence.title == "For your helper"
    assert notifier.spoken == ["For your helper. Pick them up"]
    service.save_settings({"caregiver_here": False})
    own(service, "Check on them", "15:00", "2026-06-01", audience="caregiver")
    clock.set(at("2026-06-01T15:00"))
    assert service.tick().delivered == ()


# --- plyer missing or failing -------------------------------------------------------------------


class DBusException(Exception):
    """Stands in for dbus.exceptions.DBusException."""


def fake_plyer(notify=None, speak=None):
    module = types.ModuleType("plyer")
    module.notification = types.SimpleNamespace(notify=notify)
    module.tts = types.SimpleNamespace(speak=speak)
    return module


def raising(error):
    def call(**kwargs):
        raise error

    return call


@pytest.mark.parametrize(
    "plyer",
    [
        None,  # not installed: ImportError
        fake_plyer(raising(NotImplementedError()), raising(NotImplementedError())),
        fake_plyer(
            raising(DBusException("org.freedesktop.DBus.Error.ServiceUnknown")),
            raising(OSError("espeak: not found")),
        ),
    ],
    ids=["missing", "not-implemented", "dbus-error"],
)
def test_without_a_working_plyer_reminders_still_reach_the_inbox(
    monkeypatch, fresh_db, clock, plyer, caplog
):
    monkeypatch.setitem(sys.modules, "plyer", plyer)
    notifier = PlyerNotifier()
    service = ReminderService(fresh_db, clock, notifier)
    service.tick()
    service.save_settings({"read_aloud": True})
    own(service, "Walk", "14:00", "2026-06-01")
    own(service, "Tea", "14:05", "2026-06-01")
    clock.set(at("2026-06-01T14:10"))
    delivered = service.tick().delivered
    notifier.close()
    assert [r.occurrence.text for r in delivered] == ["Walk", "Tea"]
    assert [r.state for r in service.states.inbox()] == ["delivered", "delivered"]
    assert all(r.system_notified is False for r in service.states.inbox())
    assert notifier.last_error is not None
    warnings = [r for r in caplog.records if "No system notification" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not once per reminder


def test_a_working_plyer_is_called_with_the_app_name(monkeypatch, fresh_db, clock):
    # Where plyer is the voice (Android, macOS, Windows); on Linux espeak-ng reads, see
    # tests/services/test_speech.py.
    monkeypatch.setattr("app.services.speech.on_linux_desktop", lambda: False)
    calls, spoken = [], []
    monkeypatch.setitem(
        sys.modules,
        "plyer",
        fake_plyer(lambda **kw: calls.append(kw), lambda **kw: spoken.append(kw)),
    )
    notifier = PlyerNotifier()
    assert notifier.notify("Reminder", "Walk") is True
    assert notifier.speak("Walk") is True
    notifier.close()
    assert calls == [
        {"title": "Reminder", "message": "Walk", "app_name": "Facet Companion", "timeout": 10}
    ]
    assert spoken == [{"message": "Walk"}]


def test_a_notifier_that_raises_does_not_stop_delivery(fresh_db, clock):
    class Broken(RecordingNotifier):
        def notify(self, title, message, *, tag=None):
            raise RuntimeError("boom")

    service = ReminderService(fresh_db, clock, Broken())
    service.tick()
    own(service, "Walk", "14:00", "2026-06-01")
    clock.set(at("2026-06-01T14:00"))
    [record] = service.tick().delivered
    assert service.states.inbox()[0].system_notified is False


# --- the app and the agent together ---------------------------------------------------------------


def test_app_and_agent_on_two_connections_deliver_each_once(data_dir, clock):
    app_db, agent_db = open_database(data_dir), open_database(data_dir)
    app_notes, agent_notes = RecordingNotifier(), RecordingNotifier()
    app = ReminderService(app_db, clock, app_notes, runner="app")
    agent = ReminderService(agent_db, clock, agent_notes, runner="agent")
    app.tick()
    add_procedure(app_db, "2026-06-02T10:00")
    clock.set(at("2026-06-02T09:55"))
    banners = []
    for step in range(130):  # to 20:45
        clock.advance(timedelta(minutes=5))
        for service in (app, agent) if step % 2 else (agent, app):
            result = service.tick()
            if service is app:
                banners += [r.id for r in result.delivered]
    ids = app_notes.tags + agent_notes.tags
    assert len(ids) == len(set(ids)) == 12  # 11 prompts and the helper's evening reminder
    assert app_notes.tags and agent_notes.tags
    assert sorted(banners) == sorted(ids)  # the app's banner shows what the agent delivered too
    app_db.close()
    agent_db.close()


def test_the_schedule_kept_between_looks_follows_every_change_of_what_it_comes_from(service):
    """The procedures' reminders are worked out once and kept: a moved or cancelled procedure,
    changed settings and another language are each seen at the next look."""
    from app import i18n

    block = add_procedure(service.db, "2026-06-10T10:00")
    before = {o.key: o for o in service.upcoming()}
    assert before and all(o.procedure_id == block.id for o in before.values())
    assert service.upcoming() == sorted(before.values(), key=lambda o: (o.deliver_at, o.due, o.id))

    PlanRepository(service.db).reschedule(block.id, at("2026-06-11T10:00"), LONDON)
    moved = {o.key: o for o in service.upcoming()}
    common = before.keys() & moved.keys()
    assert common and {moved[k].due - before[k].due for k in common} == {timedelta(days=1)}

    diary_times = {
        o.due.astimezone(ZoneInfo(LONDON)).hour
        for o in service.upcoming()
        if o.kind == "daily-diary"
    }
    assert diary_times == {19}
    service.save_settings({"diary_at": "20:00"})
    assert {
        o.due.astimezone(ZoneInfo(LONDON)).hour
        for o in service.upcoming()
        if o.kind == "daily-diary"
    } == {20}

    english = {o.id: o.text for o in service.upcoming()}
    i18n.set_language("es")
    try:
        spanish = {o.id: o.text for o in service.upcoming()}
    finally:
        i18n.set_language("en")
    assert spanish.keys() == english.keys() and spanish != english

    PlanRepository(service.db).cancel(block.id)
    assert service.upcoming() == []


# --- the agent's loop ---------------------------------------------------------------------------


def test_run_sleeps_until_the_next_reminder_and_stops(fresh_db, clock, notifier):
    agent = ReminderService(fresh_db, clock, notifier, runner="agent")
    agent.tick()
    own(agent, "Walk", "14:00", "2026-06-01")
    own(agent, "Tea", "14:07", "2026-06-01")
    agent.run(stop=lambda: clock.now() >= at("2026-06-01T15:00"))
    records = {r.occurrence.text: r for r in agent.states.history()}
    assert records["Walk"].delivered_at == at("2026-06-01T14:00")
    assert records["Tea"].delivered_at == at("2026-06-01T14:07")
    assert agent.heartbeats.last_seen("agent") >= at("2026-06-01T15:00")


def test_run_once_ticks_once(fresh_db, clock, notifier):
    agent = ReminderService(fresh_db, clock, notifier, runner="agent")
    agent.run(once=True)
    assert clock.now() == START and agent.heartbeats.last_seen("agent") == START


# --- settings, own reminders and helpers through the service --------------------------------------


def test_settings_own_reminders_and_helpers(service):
    assert service.settings_store.reminder_settings() == ReminderSettings()
    assert service.save_settings({"quiet_start": "22:00"}).quiet_start == time(22, 0)
    with pytest.raises(ReminderInputError) as caught:
        service.save_settings({"quiet_end": "22:00"})
    assert "quiet_end" in caught.value.errors
    walk = own(service, "Walk", "09:00")  # at 13:00: from tomorrow
    assert walk.daily and walk.starts_on == date(2026, 6, 2)
    edited = service.update_own_reminder(walk.id, {"text": "Walk far", "at": "09:30"})
    assert service.own.all() == [edited]
    assert service.own.delete(walk.id, now=service.clock.now()) and service.own.all() == []
    assert service.own.restore(walk.id)
    maria = service.add_caregiver({"name": "Maria", "phone": "555 0142", "relation": "daughter"})
    service.update_caregiver(maria.id, {"name": "Maria", "phone": "555 0100"})
    assert [c.phone for c in service.helpers.all()] == ["555 0100"]
    with pytest.raises(ReminderInputError):
        service.add_caregiver({"name": "No phone"})
    assert service.helpers.remove(maria.id, now=service.clock.now()) and service.helpers.all() == []


# --- a simulated year ---------------------------------------------------------------------------

YEAR_START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 5, 0, 0, tzinfo=UTC)
JUMP_BACK = at("2026-03-27T13:00")  # the block day: the clock is set back two hours
OFF = (at("2026-05-10T12:00"), at("2026-05-13T12:00"))  # the device is off for three days
TRIP = (datetime(2026, 7, 15, 12, tzinfo=UTC), datetime(2026, 8, 20, 12, tzinfo=UTC))


def zone_at(instant: datetime) -> str:
    return NEW_YORK if TRIP[0] <= instant < TRIP[1] else LONDON


def next_due(service: ReminderService, now: datetime) -> datetime:
    """When the agent's loop would wake: the next reminder or snooze, or in six hours."""
    soon = service.occurrences(now + timedelta(microseconds=1), now + timedelta(hours=6))
    candidates = [now + timedelta(hours=6)] + [o.deliver_at for o in soon[:1]]
    snooze = service.states.next_snooze_end(now)
    return min(candidates + ([snooze] if snooze else []))


def test_a_simulated_year_delivers_every_reminder_once(fresh_db):
    rng = random.Random(20260105)
    clock = FixedClock(YEAR_START, LONDON)
    notifier = RecordingNotifier()
    service = ReminderService(fresh_db, clock, notifier, runner="agent")
    app = ReminderService(fresh_db, clock, notifier, runner="app")
    service.tick()
    add_procedure(fresh_db, "2026-03-27T10:00")  # spring forward two days later
    add_procedure(fresh_db, "2026-04-20T14:00", "confirm-block")
    add_procedure(fresh_db, "2026-06-01T09:00", "rfa")  # check-ins across the trip and fall back
    own(service, "Evening stretch", "21:30")  # held to 08:00 by quiet hours
    own(service, "Morning pills", "09:00")
    own(service, "Dentist", "10:00", "2026-10-25")  # the day the clocks go back
    away_ids: list[str] = []
    snoozed: set[str] = set()
    jumped = off = False
    now = clock.now()
    while now < YEAR_END:
        result = service.tick(now)
        for record in result.delivered:
            if (
                record.occurrence.text == "Morning pills"
                and record.round == 1
                and rng.random() < 0.1
            ):
                service.snooze(record, rng.choice(["10min", "1h", "tomorrow"]), now)
                snoozed.add(record.id)
        if rng.random() < 0.05:  # the app opens now and then and shows what was missed
            away_ids += [r.id for r in app.collect_missed(now)]
        if not jumped and now >= JUMP_BACK:
            jumped, now = True, now - timedelta(hours=2)
        elif not off and now >= OFF[0]:
            off, now = True, OFF[1]
        else:
            now = next_due(service, now) + timedelta(seconds=rng.randint(0, 240))
        clock.set(now, zone_at(now))
    away_ids += [r.id for r in app.collect_missed(now)]

    delivered = list(notifier.tags)
    records = service.states.records(delivered + away_ids)
    # None doubled: each occurrence reached the notifier once per round (a snooze is a round).
    for occurrence_id in set(delivered):
        assert delivered.count(occurrence_id) == records[occurrence_id].round
    assert {i for i in delivered if delivered.count(i) > 1} <= snoozed
    assert len(away_ids) == len(set(away_ids))
    assert set(away_ids).isdisjoint(delivered)
    # None missed: everything planned in the year was delivered or is in the away list.
    planned = {
        o.id: o
        for o in service.occurrences(
            YEAR_START + timedelta(days=1), YEAR_END - timedelta(days=1), zone=LONDON
        )
    }
    assert len(planned) > 400
    handled = set(delivered) | set(away_ids)
    assert set(planned) <= handled
    assert not [r for r in service.states.history(10_000) if r.state == "claimed"]
    # What was missed fell in the three days off, or moved into the past with the return flight.
    for occurrence_id in away_ids:
        due = records[occurrence_id].occurrence.deliver_at
        assert OFF[0] <= due <= OFF[1] or TRIP[1] - timedelta(hours=6) <= due <= TRIP[1], (
            occurrence_id,
            due,
        )
    assert sum(OFF[0] + GRACE < o.deliver_at < OFF[1] - GRACE for o in planned.values()) >= 6
    # Delivered on time: never early, and within the grace period.
    for record in records.values():
        if record.id in delivered and record.round == 1:
            lateness = record.delivered_at - record.occurrence.deliver_at
            assert timedelta(0) <= lateness <= GRACE, (record.id, lateness)
    # The block day's prompts, delivered before the clock went back, were not delivered again.
    prompts = [i for i in delivered if i.startswith("prompt:p1:")]
    assert len(prompts) == len(set(prompts)) == 11


def test_a_daily_reminder_saved_after_its_time_starts_tomorrow_not_missed(service, clock):
    service.tick()
    own(service, "Walk", "09:00")  # saved at 13:00
    clock.advance(timedelta(minutes=1))
    result = service.tick()
    assert result.delivered == () and result.away == ()
    clock.set(at("2026-06-02T09:00"))
    assert [r.occurrence.text for r in service.tick().delivered] == ["Walk"]


def test_a_plan_saved_twice_delivers_each_block_prompt_once(service, clock, fresh_db, notifier):
    service.tick()
    first = add_procedure(fresh_db, "2026-06-01T13:00")  # a block at 13:00 London
    again = add_procedure(fresh_db, "2026-06-01T13:00")  # the same block entered again
    assert again == first
    prompts = [o for o in service.upcoming(days=1) if o.kind == "block-prompt"]
    assert len(prompts) == len({o.due for o in prompts}) > 0
    clock.set(prompts[0].due + timedelta(seconds=30))
    delivered = service.tick().delivered
    assert [r.occurrence.kind for r in delivered] == ["block-prompt"]
    assert service.tick().delivered == () and len(notifier.shown) == 1
