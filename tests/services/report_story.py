"""A small, fixed story for the report tests: two lower-back blocks (lidocaine, then
bupivacaine) scored on both sides, an RFA with its baseline and check-ins, and the patient's
details in more than one script."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.domain.block_diary import Baseline, PromptEntry
from app.domain.diary import AreaScore, PainEntry
from app.domain.outcomes import OutcomeCheckIn, Peg
from app.domain.patient import PatientDetails
from app.domain.plan import Procedure
from app.store.block_diary_repository import (
    BlockDiaryRepository,
    OutcomeRepository,
    PatientRepository,
)
from app.store.connection import Database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository

UTC = UTC
ZONE = "Europe/London"
FIRST_BLOCK = datetime(2026, 1, 13, 13, 0, tzinfo=UTC)
SECOND_BLOCK = datetime(2026, 2, 3, 11, 0, tzinfo=UTC)
RFA = datetime(2026, 2, 24, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
NAME = "Zoë Παπαδοπούλου-Иванова"

# minutes: (left, right) scores; None is a missed prompt.
FIRST_SCORES = {
    15: (1, 0),
    30: (1, 0),
    45: (1, 1),
    60: (2, 1),
    120: (5, 1),
    180: (6, 5),
    240: None,
    300: (6, 7),
    360: (6, 7),
    420: (6, 7),
    480: (6, 7),
}
SECOND_SCORES = {
    15: (3, 1),
    30: (3, 0),
    45: (2, 0),
    60: (3, 0),
    120: (3, 1),
    180: (4, 1),
    240: (4, 1),
    300: (5, 1),
    360: (6, 3),
    420: (6, 6),
    480: (6, 7),
}
CHECKINS = {
    0: (7, Peg(7, 8, 6)),
    2: (4, Peg(4, 5, 4)),
    4: (2, Peg(2, 3, 2)),
    12: (6, Peg(6, 6, 6)),
    26: (6, Peg(6, 6, 5)),
}


def build_story(db: Database) -> dict[str, int]:
    plans = PlanRepository(db)
    store = BlockDiaryRepository(db)
    first = plans.add_procedure(
        Procedure(
            "test-block", "lumbar", "both", FIRST_BLOCK, ZONE, "lidocaine", levels="L4-L5, L5-S1"
        )
    )
    second = plans.add_procedure(
        Procedure(
            "confirm-block",
            "lumbar",
            "both",
            SECOND_BLOCK,
            ZONE,
            "bupivacaine",
            levels="L4-L5, L5-S1",
        )
    )
    rfa = plans.add_procedure(Procedure("rfa", "lumbar", "both", RFA, ZONE, levels="L4-L5, L5-S1"))
    for block, scores in ((first, FIRST_SCORES), (second, SECOND_SCORES)):
        for side, usual in (("left", 6), ("right", 7)):
            store.save_baseline(
                block.id,
                Baseline(
                    "lower_back",
                    side,
                    usual,
                    block.at - timedelta(minutes=40),
                    ZONE,
                    "standing to cook" if side == "right" else "",
                    at_clinic=side == "left",
                ),
            )
        for minutes, pair in scores.items():
            at = block.at + timedelta(minutes=minutes, seconds=40)
            if pair is None:
                store.add_prompt_entry(
                    PromptEntry(
                        block.id,
                        minutes,
                        block.at + timedelta(minutes=minutes + 30),
                        ZONE,
                        missed=True,
                    )
                )
                continue
            store.add_prompt_entry(
                PromptEntry(
                    block.id,
                    minutes,
                    at,
                    ZONE,
                    (
                        AreaScore("lower_back", "left", pair[0]),
                        AreaScore("lower_back", "right", pair[1]),
                    ),
                    "walking 🐕" if minutes == 60 else "=SUM(A1) sweeping",
                )
            )
    outcomes = OutcomeRepository(db)
    for week, (pain, peg) in CHECKINS.items():
        at = RFA - timedelta(days=1) if week == 0 else RFA + timedelta(weeks=week, hours=2)
        outcomes.save(
            OutcomeCheckIn(
                rfa.id, week, at, ZONE, pain, peg, "Лучше, спасибо 😊" if week == 4 else ""
            )
        )
    PatientRepository(db).save(PatientDetails(NAME, date(1961, 4, 23)))
    diary = DiaryRepository(db)
    diary.add(
        PainEntry(
            6,
            FIRST_BLOCK - timedelta(days=2),
            ZONE,
            (AreaScore("lower_back", "right", 6),),
            "gardening",
            "ibuprofen",
            FIRST_BLOCK - timedelta(days=2, hours=1),
            "Line one\nline two, “quoted”",
        )
    )
    diary.add(
        PainEntry(
            3,
            RFA + timedelta(days=20),
            "America/New_York",
            (),
            "",
            "",
            None,
            "'starts with a quote",
        )
    )
    return {"first": first.id, "second": second.id, "rfa": rfa.id}
