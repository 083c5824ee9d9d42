"""The plan service: a checklist answer, a step done, the medicines list and the guide's save,
each checked by the domain before it is saved. A real SQLite file, a fixed clock."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.checklists import step_mark_id
from app.domain.clinic import ClinicSettings
from app.domain.pathway import ChecklistItem
from app.domain.plan import ChecklistMark, Contact, PlanInputError, validate_procedure
from app.services.clock import FixedClock
from app.services.plan import PlanService
from app.store.plan_repository import PlanQueries, PlanRepository
from app.store.settings_repository import SettingsRepository

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
ZONE = "America/New_York"


def item(kind: str) -> ChecklistItem:
    return ChecklistItem(
        id=f"a-{kind}",
        procedures=("test-block",),
        kind=kind,
        text="An item",
        audience="patient",
        required=True,
        group="before",
    )


def block(local: str = "2026-02-20T13:00"):
    return validate_procedure(
        {
            "kind": "test-block",
            "region": "lumbar",
            "side": "right",
            "at": local,
            "anaesthetic": "lidocaine",
        },
        now=NOW,
        zone=ZONE,
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, ZONE)


@pytest.fixture
def service(fresh_db, clock) -> PlanService:
    return PlanService(fresh_db, clock)


@pytest.fixture
def plan(fresh_db) -> PlanQueries:
    return PlanQueries(fresh_db)


@pytest.fixture
def procedure_id(fresh_db) -> int:
    saved = PlanRepository(fresh_db).add_procedure(block())
    assert saved.id is not None
    return saved.id


def test_a_checklist_answer_is_checked_then_saved_at_the_clocks_time(service, plan, procedure_id):
    mark = service.mark_item(procedure_id, item("time"), checked=True, value=" 14:30 ")
    assert mark == ChecklistMark(True, "14:30", NOW)
    assert plan.marks(procedure_id) == {"a-time": mark}


def test_a_wrong_answer_names_value_and_saves_nothing(service, plan, procedure_id):
    with pytest.raises(PlanInputError) as refused:
        service.mark_item(procedure_id, item("time"), checked=True, value="half past two")
    assert list(refused.value.errors) == ["value"]
    assert "14:30" in refused.value.errors["value"]
    assert plan.marks(procedure_id) == {}


def test_a_tick_keeps_no_text(service, plan, procedure_id):
    service.mark_item(procedure_id, item("tick"), checked=True, value="stray text")
    assert plan.marks(procedure_id)["a-tick"].value == ""


def test_a_step_done_is_its_own_mark_and_can_be_undone(service, plan, clock, procedure_id):
    service.mark_step(procedure_id, "arrive", done=True)
    assert plan.marks(procedure_id)[step_mark_id("arrive")] == ChecklistMark(True, "", NOW)
    clock.advance(timedelta(minutes=5))
    service.mark_step(procedure_id, "arrive", done=False)
    assert plan.marks(procedure_id)[step_mark_id("arrive")] == ChecklistMark(
        False, "", NOW + timedelta(minutes=5)
    )


def test_a_medicine_is_checked_then_added_once_and_removed(service, plan):
    added = service.add_medicine("  Warfarin ")
    assert (added.name, added.added_at) == ("Warfarin", NOW)
    service.add_medicine("warfarin")  # the same name in another letter case
    assert [m.name for m in plan.medicines()] == ["Warfarin"]
    with pytest.raises(PlanInputError) as refused:
        service.add_medicine("   ")
    assert list(refused.value.errors) == ["medicine"]
    assert service.remove_medicine("Warfarin") is True
    assert plan.medicines() == []


def test_the_guide_saves_the_plan_ride_and_clinic_as_one(service, plan, fresh_db, procedure_id):
    kept = plan.procedure(procedure_id)
    rfa = validate_procedure(
        {"kind": "rfa", "region": "lumbar", "side": "right", "at": "2026-03-12T10:00"},
        now=NOW,
        zone=ZONE,
    )
    driver = Contact("Sam", "555 0100")
    clinic = ClinicSettings(name="Riverside Spine", phone="555 0199")
    service.save_guide(
        [rfa], round_number=1, cancelled=[procedure_id], driver=driver, clinic=clinic
    )
    [saved] = plan.procedures()
    assert (saved.kind, saved.cycle) == ("rfa", 1)
    assert plan.procedures(include_cancelled=True)[0] == replace(kept, cancelled=True)
    assert plan.driver() == driver
    settings = SettingsRepository(fresh_db)
    assert (settings.clinic().name, settings.clinic().phone) == ("Riverside Spine", "555 0199")
    assert settings.is_set_up()


def test_a_guide_save_the_storage_refuses_changes_nothing(service, plan, fresh_db, procedure_id):
    fresh_db.execute(
        "CREATE TRIGGER refuse_clinic BEFORE INSERT ON settings "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        service.save_guide(
            [],
            round_number=1,
            cancelled=[procedure_id],
            driver=Contact("Sam", "555 0100"),
            clinic=ClinicSettings(name="X"),
        )
    assert [p.id for p in plan.procedures()] == [procedure_id]
    assert plan.driver() is None
