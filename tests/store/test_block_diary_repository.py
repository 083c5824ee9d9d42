"""The block diary, outcome check-ins and patient details on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.block_diary import (
    BlockDiaryInputError,
    PromptEntry,
    prompt_schedule,
)
from app.domain.diary import AreaScore
from app.domain.outcomes import OutcomeCheckIn, OutcomeInputError, Peg
from app.domain.pathway import DEFAULT_BLOCK_DIARY
from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.services.block_diary import BlockDiaryService, OutcomeService
from app.store.block_diary_repository import (
    BlockDiaryRepository,
    OutcomeRepository,
    PatientRepository,
    PromptAlreadyRecordedError,
)
from app.store.database import open_database
from app.store.plan_repository import PlanRepository

UTC = UTC
BLOCK_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
RFA_AT = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def plans(fresh_db) -> PlanRepository:
    return PlanRepository(fresh_db)


@pytest.fixture
def block(plans) -> Procedure:
    return plans.add_procedure(
        Procedure(
            "test-block", "lumbar", "right", BLOCK_AT, "UTC", "lidocaine", levels="L4-L5, L5-S1"
        )
    )


@pytest.fixture
def rfa(plans) -> Procedure:
    return plans.add_procedure(Procedure("rfa", "lumbar", "right", RFA_AT, "Europe/London"))


def test_levels_are_saved_with_the_procedure(plans, block):
    assert plans.procedure(block.id).levels == "L4-L5, L5-S1"


def test_a_baseline_is_saved_once_per_area_and_side(fresh_db, block):
    store = BlockDiaryRepository(fresh_db)
    service = BlockDiaryService(fresh_db)
    now = BLOCK_AT - timedelta(minutes=10)
    first = service.save_baseline(
        block.id,
        {"area": "lower_back", "side": "right", "score": 7, "activity": "standing at the sink"},
        now=now,
        zone="Europe/London",
    )
    again = service.save_baseline(
        block.id, {"area": "lower_back", "side": "right", "score": 8}, now=now, zone="UTC"
    )
    left = service.save_baseline(
        block.id,
        {"area": "lower_back", "side": "left", "score": 4, "at_clinic": True},
        now=now,
        zone="UTC",
    )
    assert first.at == now and first.zone == "Europe/London"
    assert store.baselines(block.id) == [again, left]
    assert store.remove_baseline(block.id, "lower_back", "left")
    assert store.baselines(block.id) == [again]
    with pytest.raises(BlockDiaryInputError):
        service.save_baseline(
            block.id, {"area": "lower_back", "side": "right", "score": 12}, now=now, zone="UTC"
        )


def test_answers_and_missed_prompts_read_back_and_are_never_overwritten(fresh_db, block):
    service = BlockDiaryService(fresh_db)
    store = service.store
    at = BLOCK_AT + timedelta(minutes=16)
    raw = {
        "scores": [
            {"area": "lower_back", "side": "right", "score": 1},
            {"area": "buttock", "side": "right", "score": 2},
        ],
        "activity": "Gartenarbeit 🌱",
    }
    saved = service.answer(block.id, raw, now=at, zone="Europe/Berlin")
    assert saved.id is not None and saved.minutes == 15
    assert store.prompt_entries(block.id) == [saved]
    with pytest.raises(PromptAlreadyRecordedError):
        store.add_prompt_entry(PromptEntry(block.id, 15, at, "UTC", missed=True))

    # Nothing answered for 30 and 45: looking at the diary at 13:50 records them as missed.
    state = service.state(block.id, BLOCK_AT + timedelta(minutes=61))
    assert [s.state for s in state.prompts[:4]] == ["done", "missed", "missed", "open"]
    entries = store.prompt_entries(block.id)
    assert [(e.minutes, e.missed) for e in entries] == [(15, False), (30, True), (45, True)]
    # A missed prompt is dated when it was due, not when it closed.
    assert entries[1].at == BLOCK_AT + timedelta(minutes=30) and entries[1].scores == ()
    with pytest.raises(BlockDiaryInputError) as early:
        service.answer(block.id, raw, now=BLOCK_AT + timedelta(minutes=5), zone="UTC")
    assert early.value.errors == {"prompt": "The next question opens in 55 minutes."}
    assert (
        store.mark_missed(block.id, prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)[:3], "UTC") == 0
    )
    assert list(store.all_prompt_entries()) == entries
    assert store.blocks_with_entries() == [block.id]
    with pytest.raises(BlockDiaryInputError) as late:
        service.answer(block.id, raw, now=BLOCK_AT + timedelta(hours=9), zone="UTC")
    assert late.value.errors == {"prompt": "There is no question to answer right now."}
    assert len(store.prompt_entries(block.id)) == 11


def test_the_analysis_uses_the_clinic_threshold_and_the_pathway(fresh_db, block):
    service = BlockDiaryService(fresh_db)
    service.save_baseline(
        block.id, {"area": "lower_back", "side": "right", "score": 8}, now=BLOCK_AT, zone="UTC"
    )
    for minutes, score in ((15, 0), (30, 1), (45, 1), (60, 1), (120, 3), (180, 8)):
        service.answer(
            block.id,
            {"scores": [{"area": "lower_back", "side": "right", "score": score}]},
            now=BLOCK_AT + timedelta(minutes=minutes, seconds=30),
            zone="UTC",
        )
    analysis = service.analysis(block.id)
    area = analysis.areas[0]
    assert area.hours_at_threshold == 1.0 and area.fit.verdict == "fits"
    assert service.sentence(block.id).startswith(
        "Your diary shows up to about 100% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 1 hour."
    )
    settings = service.settings
    from dataclasses import replace

    settings.save_clinic(replace(settings.clinic(), relief_threshold_percent=50))
    assert service.analysis(block.id).areas[0].hours_at_threshold == 2.0
    assert service.paired_block(block.id) is None and service.comparison(block.id) is None


def test_two_blocks_of_a_cycle_pair_up(fresh_db, plans, block, rfa):
    second = plans.add_procedure(
        Procedure(
            "confirm-block", "lumbar", "right", BLOCK_AT + timedelta(days=14), "UTC", "bupivacaine"
        )
    )
    service = BlockDiaryService(fresh_db)
    assert service.paired_block(block.id) == second
    assert service.paired_block(second.id) == block
    comparison = service.comparison(second.id)
    assert comparison.first.procedure_id == block.id
    with pytest.raises(LookupError):
        service.block(rfa.id)
    with pytest.raises(LookupError):
        service.block(999)


def test_outcome_check_ins_read_back(fresh_db, rfa):
    service = OutcomeService(fresh_db)
    store = OutcomeRepository(fresh_db)
    base = service.save(
        rfa.id,
        0,
        {"pain": 7, "peg": {"pain": 7, "enjoyment": 8, "activity": 6}},
        now=RFA_AT - timedelta(days=1),
        zone="Europe/London",
    )
    two = service.schedule(rfa.id)[0]
    week2 = service.save(
        rfa.id, 2, {"pain": 3, "note": "Лучше 😊"}, now=two.due, zone="Europe/London"
    )
    assert store.checkins(rfa.id) == [base, week2]
    assert store.checkins() == [base, week2]
    assert base.peg == Peg(7, 8, 6) and week2.peg is None
    again = service.save(rfa.id, 2, {"pain": 2}, now=two.due, zone="Europe/London")
    assert again.id == week2.id and store.checkins(rfa.id)[1].pain == 2
    trend = service.trend(rfa.id)
    assert trend.points[0].pain.points == 5
    assert service.open_checkin(rfa.id, two.due) is None
    with pytest.raises(OutcomeInputError):
        service.save(rfa.id, 4, {"pain": 2}, now=two.due, zone="UTC")
    with pytest.raises(LookupError):
        store.save(OutcomeCheckIn(999, 0, RFA_AT, "UTC", 5))


def test_patient_details_are_optional(fresh_db):
    store = PatientRepository(fresh_db)
    assert store.details() == PatientDetails()
    store.save(PatientDetails("Zoë Łukasiewicz-Ωmega", date(1961, 4, 23)))
    assert store.details() == PatientDetails("Zoë Łukasiewicz-Ωmega", date(1961, 4, 23))
    store.save(PatientDetails(name="Only a name"))
    assert store.details() == PatientDetails("Only a name", None)
    store.save(PatientDetails())
    assert store.details().is_empty


def test_deleting_a_procedure_takes_its_diary_with_it(fresh_db, block):
    store = BlockDiaryRepository(fresh_db)
    store.add_prompt_entry(
        PromptEntry(block.id, 15, BLOCK_AT, "UTC", (AreaScore("neck", "left", 3),))
    )
    with fresh_db.atomic():
        fresh_db.execute("DELETE FROM procedures WHERE id = ?", [block.id])
    assert fresh_db.execute("SELECT count(*) FROM block_prompt_scores").fetchone()[0] == 0


def test_the_diary_survives_reopening(data_dir, fresh_db, block):
    BlockDiaryRepository(fresh_db).add_prompt_entry(
        PromptEntry(block.id, 15, BLOCK_AT, "UTC", (AreaScore("neck", "left", 3),), "reading")
    )
    fresh_db.close()
    reopened = open_database(data_dir)
    [entry] = BlockDiaryRepository(reopened).prompt_entries(block.id)
    assert entry.scores == (AreaScore("neck", "left", 3),) and entry.activity == "reading"
    reopened.close()
