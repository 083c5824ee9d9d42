"""The plan and the settings on a real SQLite file: what is saved reads back the same, and survives
closing and reopening."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from app.domain.clinic import ClinicSettings, validate_clinic
from app.domain.plan import (
    ChecklistMark,
    Contact,
    PatientMedicine,
    PlanInputError,
    Procedure,
    build_timeline,
    validate_procedure,
)
from app.domain.reminders import ReminderSettings, schedule
from app.services.pathways import builtin_pathway
from app.store.database import database_path, open_database
from app.store.diary_repository import DiaryRepository
from app.store.migrations import migration_set
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

UTC = UTC
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def plans(fresh_db) -> PlanRepository:
    return PlanRepository(fresh_db)


@pytest.fixture
def settings(fresh_db) -> SettingsRepository:
    return SettingsRepository(fresh_db)


def rfa(local: str = "2026-03-12T10:00", zone: str = "America/New_York", **raw) -> Procedure:
    values = {"kind": "rfa", "region": "lumbar", "side": "both", "at": local, **raw}
    return validate_procedure(values, now=NOW, zone=zone)


def block(local: str = "2026-02-20T13:00", zone: str = "America/New_York") -> Procedure:
    return validate_procedure(
        {
            "kind": "test-block",
            "region": "lumbar",
            "side": "right",
            "at": local,
            "anaesthetic": "lidocaine",
        },
        now=NOW,
        zone=zone,
    )


def test_a_procedure_reads_back_as_saved(plans):
    saved = plans.add_procedure(block())
    assert saved.id is not None and saved.cycle == 1
    assert plans.procedure(saved.id) == saved
    assert plans.procedures() == [saved]
    assert saved.local_at.hour == 13 and saved.zone == "America/New_York"


def test_procedures_are_soonest_first_and_cancelled_ones_are_hidden(plans):
    later = plans.add_procedure(rfa())
    sooner = plans.add_procedure(block())
    assert plans.procedures() == [sooner, later]
    plans.cancel(sooner.id)
    assert plans.procedures() == [later]
    assert plans.procedures(include_cancelled=True) == [replace(sooner, cancelled=True), later]


def test_reschedule_moves_the_procedure_and_every_step(plans):
    saved = plans.add_procedure(rfa())
    pathway = builtin_pathway("lumbar")
    before = build_timeline(plans.procedures(), pathway)
    new_at = datetime(2026, 3, 20, 8, 30, tzinfo=ZoneInfo("Europe/London"))
    moved = plans.reschedule(saved.id, new_at.astimezone(UTC), "Europe/London")
    assert moved.at == new_at and moved.zone == "Europe/London"
    assert plans.procedure(saved.id) == moved
    after = build_timeline(plans.procedures(), pathway)
    assert len(after) == len(before)
    assert all(a.due != b.due for a, b in zip(after, before, strict=True))
    assert all(d.zone == "Europe/London" for d in after)
    local_date = database_value(plans, "SELECT local_date FROM procedures WHERE id = ?", saved.id)
    assert local_date == "2026-03-20"


def test_rescheduling_a_cancelled_procedure_books_it_again(plans):
    saved = plans.add_procedure(rfa())
    plans.cancel(saved.id)
    assert plans.procedures() == []
    plans.reschedule(saved.id, saved.at + timedelta(days=7), saved.zone)
    assert [p.id for p in plans.procedures()] == [saved.id]


def test_editing_a_procedure(plans):
    saved = plans.add_procedure(block())
    edited = plans.update_procedure(replace(saved, side="both", anaesthetic="bupivacaine"))
    assert edited == replace(saved, side="both", anaesthetic="bupivacaine")


def test_unknown_procedures_are_a_lookup_error(plans):
    with pytest.raises(LookupError):
        plans.cancel(99)
    with pytest.raises(LookupError):
        plans.reschedule(99, NOW, "UTC")
    with pytest.raises(LookupError):
        plans.update_procedure(replace(rfa(), id=99))
    with pytest.raises(LookupError):
        plans.mark("ride-driver-name", 99, checked=True, now=NOW)
    with pytest.raises(ValueError):
        plans.update_procedure(rfa())


def test_cycles_keep_earlier_rounds_readable(plans):
    assert plans.current_cycle() == 1
    assert plans.next_cycle() == 1  # nothing saved yet: the first round
    first = plans.add_procedure(rfa())
    assert plans.next_cycle() == 2
    assert plans.current_cycle() == 1  # asking for the next number changes nothing
    second = plans.add_procedure(rfa("2027-01-12T10:00"), cycle=plans.next_cycle())
    assert second.cycle == 2 and plans.current_cycle() == 2
    assert plans.procedures(cycle=1) == [first]
    assert plans.procedures(cycle=2) == [second]
    assert plans.procedures() == [first, second]
    assert plans.cycles() == [1, 2]
    assert plans.next_cycle() == 3
    history = plans.add_procedure(block("2026-02-25T10:00"), cycle=1)
    assert history.cycle == 1 and plans.current_cycle() == 2


def test_the_same_appointment_is_never_added_twice(plans):
    first = plans.add_procedure(block())
    again = plans.add_procedure(block())
    in_a_new_round = plans.add_procedure(block(), cycle=2)
    assert again == first and in_a_new_round == first
    assert plans.procedures(include_cancelled=True) == [first]
    assert plans.cycles() == [1]
    assert database_value(plans, "SELECT count(*) FROM procedures") == 1
    # another side, kind or time is another appointment
    other_side = plans.add_procedure(replace(block(), side="left"))
    later = plans.add_procedure(block("2026-02-20T13:15"))
    assert len({first.id, other_side.id, later.id}) == 3


def test_a_cancelled_appointment_can_be_booked_again_but_not_doubled(plans):
    first = plans.add_procedure(block())
    plans.cancel(first.id)
    second = plans.add_procedure(block())
    assert second.id != first.id
    with pytest.raises(PlanInputError) as refused:
        plans.reschedule(first.id, second.at, second.zone)
    assert "already in your plan" in refused.value.errors["at"]
    assert plans.procedure(first.id).cancelled
    moved = plans.update_procedure(replace(second, at=second.at + timedelta(hours=1)))
    assert moved.at == second.at + timedelta(hours=1)


def test_the_database_itself_refuses_a_second_live_copy(plans):
    plans.add_procedure(block())
    with pytest.raises(sqlite3.IntegrityError):
        plans.db.execute(
            "INSERT INTO procedures (kind, region, side, at_utc, zone, local_date) "
            "SELECT kind, region, side, at_utc, zone, local_date FROM procedures"
        )


def test_saving_the_same_plan_twice_schedules_each_reminder_once(plans):
    for _ in range(2):
        with plans.db.atomic():
            plans.add_procedure(block())
            plans.add_procedure(rfa())
    pathways = {"lumbar": builtin_pathway("lumbar")}
    found = schedule(
        plans.procedures(),
        pathways,
        settings=ReminderSettings(),
        zone="America/New_York",
        start=NOW,
        end=NOW + timedelta(days=400),
    )
    once = schedule(
        [replace(block(), id=1), replace(rfa(), id=2)],
        pathways,
        settings=ReminderSettings(),
        zone="America/New_York",
        start=NOW,
        end=NOW + timedelta(days=400),
    )
    assert len(plans.procedures()) == 2
    assert [o.kind for o in found].count("block-prompt") == len(
        builtin_pathway("lumbar").block_diary.prompt_minutes
    )
    assert [(o.kind, o.due, o.text) for o in found] == [(o.kind, o.due, o.text) for o in once]


def test_driver_and_caregiver(plans):
    assert plans.driver() is None
    plans.set_driver(Contact("Sam Okafor", "+44 7700 900123", "son"))
    plans.set_driver(Contact("Ana", "555 0100"))
    plans.set_caregiver(Contact("Lee", "555 0101", "neighbour"))
    assert plans.driver() == Contact("Ana", "555 0100")
    assert plans.caregiver() == Contact("Lee", "555 0101", "neighbour")
    plans.set_driver(None)
    assert plans.driver() is None and plans.caregiver() is not None
    with pytest.raises(ValueError):
        plans.set_contact("chauffeur", Contact("x", "1"))


def test_checklist_marks_keep_state_value_and_time(plans):
    first = plans.add_procedure(block())
    second = plans.add_procedure(rfa())
    mark = plans.mark("ride-driver-name", first.id, checked=True, value="Sam", now=NOW)
    assert mark == ChecklistMark(True, "Sam", NOW)
    later = NOW + timedelta(hours=1)
    plans.mark("ride-driver-name", first.id, checked=False, value="Ana", now=later)
    plans.mark("bring-id", first.id, checked=True, now=NOW)
    plans.mark("bring-id", second.id, checked=True, now=later)
    assert plans.marks(first.id) == {
        "ride-driver-name": ChecklistMark(False, "Ana", later),
        "bring-id": ChecklistMark(True, "", NOW),
    }
    assert plans.marks(second.id) == {"bring-id": ChecklistMark(True, "", later)}
    assert plans.marks(12345) == {}


def test_marks_of_a_local_time_are_stored_in_utc(plans):
    saved = plans.add_procedure(block())
    local = datetime(2026, 2, 3, 9, 15, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert plans.mark("bring-id", saved.id, checked=True, now=local).marked_at == local
    assert plans.marks(saved.id)["bring-id"].marked_at.tzinfo == UTC


def test_the_medicines_list(plans):
    plans.add_medicine("Apixaban 5 mg", NOW)
    plans.add_medicine("Metformin", NOW + timedelta(minutes=1))
    again = plans.add_medicine("APIXABAN 5 MG", NOW + timedelta(minutes=2))
    assert again == PatientMedicine("Apixaban 5 mg", NOW)
    assert plans.medicines() == [
        PatientMedicine("Apixaban 5 mg", NOW),
        PatientMedicine("Metformin", NOW + timedelta(minutes=1)),
    ]
    assert plans.remove_medicine("metformin") is True
    assert plans.remove_medicine("metformin") is False
    assert [m.name for m in plans.medicines()] == ["Apixaban 5 mg"]


def test_everything_survives_reopening(data_dir):
    db = open_database(data_dir)
    plans = PlanRepository(db)
    saved = plans.add_procedure(rfa())
    plans.mark("bring-id", saved.id, checked=True, value="", now=NOW)
    plans.set_driver(Contact("Sam", "555 0100"))
    plans.add_medicine("Warfarin", NOW)
    later = plans.add_procedure(rfa("2027-01-12T10:00"), cycle=plans.next_cycle())
    SettingsRepository(db).save_clinic(validate_clinic({"name": "Riverside", "phone": "555"}))
    db.close()

    db = open_database(data_dir)
    try:
        plans = PlanRepository(db)
        assert plans.procedures() == [saved, later]
        assert plans.marks(saved.id)["bring-id"].checked
        assert plans.driver() == Contact("Sam", "555 0100")
        assert [m.name for m in plans.medicines()] == ["Warfarin"]
        assert plans.current_cycle() == 2
        assert SettingsRepository(db).clinic().name == "Riverside"
    finally:
        db.close()


def test_clinic_settings_round_trip(settings):
    assert settings.clinic() == ClinicSettings()
    clinic = validate_clinic(
        {
            "name": "Riverside",
            "phone": "+1 555 0100",
            "uses_sedation": True,
            "fasting_text": "Nothing to eat after midnight.",
            "arrival_minutes": {"rfa": 45},
            "relief_threshold_percent": 50,
            "lidocaine_hours": [0.5, 1.5],
        }
    )
    settings.save_clinic(clinic)
    assert settings.clinic() == clinic


def test_a_damaged_clinic_setting_reads_as_defaults(settings, fresh_db):
    fresh_db.execute("INSERT INTO settings (key, value) VALUES ('clinic', '{not json')")
    fresh_db.conn.commit()
    assert settings.clinic() == ClinicSettings()
    settings.put("clinic", {"name": "Riverside", "phone": "not a phone", "new_field": 1})
    assert settings.clinic() == ClinicSettings(name="Riverside")
    settings.put("clinic", ["a list"])
    assert settings.clinic() == ClinicSettings()


def test_set_up_flag_and_plain_values(settings):
    assert settings.is_set_up() is False
    settings.mark_set_up()
    assert settings.is_set_up() is True
    assert settings.get("missing", "fallback") == "fallback"
    settings.put("reminders.quiet_hours", {"from": "22:00", "to": "07:00"})
    assert settings.get("reminders.quiet_hours") == {"from": "22:00", "to": "07:00"}
    with pytest.raises(ValueError):
        settings.put("bad", float("nan"))


def test_a_database_from_the_diary_only_version_is_upgraded(data_dir):
    data_dir.mkdir(parents=True)
    path = database_path(data_dir)
    old = Database(sqlite3.connect(path))
    migration_set().apply(old, stop_before="m002_plan")
    assert "procedures" not in old.table_names()
    old.execute(
        "INSERT INTO entries (at_utc, zone, local_date, score) VALUES (?, ?, ?, ?)",
        [NOW.isoformat(timespec="microseconds"), "UTC", "2026-02-01", 6],
    )
    old.conn.commit()
    old.close()

    db = open_database(data_dir)
    try:
        assert {
            "procedures",
            "contacts",
            "checklist_marks",
            "patient_medicines",
            "settings",
        } <= set(db.table_names())
        assert [e.score for e in DiaryRepository(db).since()] == [6]
        assert PlanRepository(db).add_procedure(rfa()).id == 1
    finally:
        db.close()


def database_value(plans: PlanRepository, sql: str, *params):
    return plans.db.execute(sql, list(params)).fetchone()[0]


def test_copies_saved_before_the_fix_are_folded_into_the_first(data_dir):
    data_dir.mkdir(parents=True)
    old = Database(sqlite3.connect(database_path(data_dir)))
    migration_set().apply(old, stop_before="m005_one_procedure_per_appointment")
    for cycle in (1, 2, 2):  # a round started, the same block entered again, and again
        old.execute(
            "INSERT INTO procedures (kind, region, side, at_utc, zone, local_date, cycle) "
            "VALUES ('test-block', 'lumbar', 'right', '2026-02-20T18:00:00.000000+00:00', "
            "'America/New_York', '2026-02-20', ?)",
            [cycle],
        )
    old.execute(
        "INSERT INTO checklist_marks (item_id, procedure_id, checked, value, "
        "marked_at_utc) VALUES ('bring-id', 1, 1, '', '2026-02-01T12:00:00+00:00'), "
        "('ride-driver-name', 3, 1, 'Sam', '2026-02-01T12:00:00+00:00'), "
        "('bring-id', 3, 0, '', '2026-02-01T12:00:00+00:00')"
    )
    old.execute("INSERT INTO settings (key, value) VALUES ('plan.cycle', '3')")
    old.conn.commit()
    old.close()

    db = open_database(data_dir)
    try:
        plans = PlanRepository(db)
        assert [p.id for p in plans.procedures()] == [1]
        assert [p.id for p in plans.procedures(include_cancelled=True)] == [1, 2, 3]
        marks = plans.marks(1)
        assert marks["bring-id"].checked and marks["ride-driver-name"].value == "Sam"
        assert not plans.marks(3)["bring-id"].checked  # the first's own mark was kept
        assert plans.current_cycle() == 1  # the round with a live procedure, not the key
        assert SettingsRepository(db).get("plan.cycle") is None
    finally:
        db.close()
