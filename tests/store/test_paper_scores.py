"""Paper diary scores on a real SQLite file: saved all or none, never overwritten, read back, and
counted by the service beside the live prompts and the everyday diary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.block_diary import FROM_EVERYDAY, FROM_PAPER, BlockDiaryInputError, PaperScore
from app.domain.diary import AreaScore, PainEntry
from app.domain.plan import Procedure
from app.services.block_diary import BlockDiaryService
from app.store.block_diary_repository import BlockDiaryRepository, PaperScoreTakenError
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository

UTC = UTC
BLOCK_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
LATER = BLOCK_AT + timedelta(days=3)


@pytest.fixture
def block(fresh_db) -> Procedure:
    return PlanRepository(fresh_db).add_procedure(
        Procedure("test-block", "lumbar", "both", BLOCK_AT, "UTC", "lidocaine")
    )


def score(block_id: int, minutes: int, side: str, value: int) -> PaperScore:
    return PaperScore(
        block_id,
        BLOCK_AT + timedelta(minutes=minutes),
        "Europe/London",
        minutes,
        "lower_back",
        side,
        value,
        "walking",
    )


def test_paper_scores_are_saved_and_read_back(fresh_db, block):
    store = BlockDiaryRepository(fresh_db)
    saved = store.add_paper_scores(
        [score(block.id, 70, "left", 3), score(block.id, 70, "right", 1)]
    )
    assert all(s.id for s in saved)
    assert store.paper_scores(block.id) == saved
    assert store.paper_scores() == saved
    assert store.blocks_with_entries() == [block.id]


def test_a_taken_minute_saves_nothing_of_the_whole_entry(fresh_db, block):
    store = BlockDiaryRepository(fresh_db)
    store.add_paper_scores([score(block.id, 70, "right", 1)])
    with pytest.raises(PaperScoreTakenError):
        store.add_paper_scores([score(block.id, 70, "left", 3), score(block.id, 70, "right", 5)])
    assert [(s.side, s.score) for s in store.paper_scores(block.id)] == [("right", 1)]
    with pytest.raises(LookupError):
        store.add_paper_scores([score(block.id + 9, 70, "left", 3)])


def test_the_service_records_paper_and_counts_it_with_the_everyday_diary(fresh_db, block):
    service = BlockDiaryService(fresh_db)
    service.save_baseline(
        block.id,
        {"area": "lower_back", "side": "right", "score": 8},
        now=BLOCK_AT - timedelta(minutes=20),
        zone="UTC",
    )
    service.state(block.id, LATER)  # every live prompt closed unanswered: missed
    saved = service.record_paper(
        block.id,
        {
            "at": (BLOCK_AT + timedelta(minutes=50)).isoformat(),
            "scores": [{"area": "lower_back", "side": "right", "score": 1}],
        },
        now=LATER,
        zone="UTC",
    )
    assert [(s.minutes, s.score) for s in saved] == [(50, 1)]
    DiaryRepository(fresh_db).add(
        PainEntry(
            4, BLOCK_AT + timedelta(minutes=95), "UTC", (AreaScore("lower_back", "right", 2),)
        )
    )
    DiaryRepository(fresh_db).add(
        PainEntry(  # the next day: not in the block diary's hours
            6, BLOCK_AT + timedelta(days=1), "UTC", (AreaScore("lower_back", "right", 6),)
        )
    )

    [area] = service.analysis(block.id).areas
    scored = [(p.minutes, p.score, p.source) for p in area.points if p.score is not None]
    assert scored == [(50, 1, FROM_PAPER), (95, 2, FROM_EVERYDAY)]
    assert all(e.missed for e in service.entries(block.id))  # missed stays missed

    with pytest.raises(BlockDiaryInputError) as caught:
        service.record_paper(
            block.id,
            {
                "at": (BLOCK_AT + timedelta(minutes=50)).isoformat(),
                "scores": [{"area": "lower_back", "side": "right", "score": 4}],
            },
            now=LATER,
            zone="UTC",
        )
    assert "already a score" in caught.value.errors["scores.0"]
    assert [s.score for s in service.paper_scores(block.id)] == [1]
