"""A small diary with a backup and rows saved after it, for the damage and backup tests.

Day 1 the patient sets up a test block and keeps a diary; day 2 the first opening makes the
daily backup, and then more is saved (entries, block diary scores, checklist marks, a setting)
and an entry from day 1 is deleted.
Day 3 is when the tests open it again, damaged or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.domain.block_diary import Baseline, PaperScore, PromptEntry
from app.domain.diary import AreaScore, validate_entry
from app.domain.plan import validate_procedure
from app.services.data_safety import open_diary
from app.store.backups import good_backups
from app.store.block_diary_repository import BlockDiaryRepository
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

ZONE = "Europe/London"
DAY1 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY1 + timedelta(days=2)
# Enough entries, with notes, for the entries table to span several pages (and an interior
# page above them), as a few weeks of a real diary do.
ENTRIES_BEFORE = 40
ENTRIES_AFTER = 24
NOTE = "Stiff after sitting; better after a short walk. "
# What was saved after the backup, table by table (the rows a salvage can bring back).
# (The entries: the ones added, and one from before that was deleted after the backup.)
NEWER_ROWS = {
    "entries": ENTRIES_AFTER + 1,
    "entry_areas": ENTRIES_AFTER,
    "block_prompts": 1,
    "block_prompt_scores": 2,
    "block_paper_scores": 1,
    "checklist_marks": 2,
    "settings": 1,
}


@dataclass(frozen=True)
class Story:
    data_dir: Path
    block_id: int
    entry_ids_before: list[int]
    entry_ids_after: list[int]


def build_story(data_dir: Path) -> Story:
    opened = open_diary(data_dir, now=DAY1, runner="app", zone=ZONE)
    assert opened.problem is None, opened.problem
    db = opened.db
    block = PlanRepository(db).add_procedure(
        validate_procedure(
            {
                "kind": "test-block",
                "region": "lumbar",
                "side": "left",
                "anaesthetic": "lidocaine",
                "at": DAY1 + timedelta(hours=2),
            },
            now=DAY1,
            zone=ZONE,
        )
    )
    before = [
        _add_entry(db, DAY1 - timedelta(hours=6 * n), score=n % 10, note=NOTE * 3)
        for n in range(ENTRIES_BEFORE)
    ]
    BlockDiaryRepository(db).save_baseline(
        block.id, Baseline("lower_back", "left", 7, DAY1 + timedelta(hours=1), ZONE, "walking")
    )
    plans = PlanRepository(db)
    plans.mark("driver", block.id, checked=False, now=DAY1)
    SettingsRepository(db).put("story.text_size", "normal")
    db.close()

    opened = open_diary(data_dir, now=DAY2, runner="app", zone=ZONE)
    assert opened.problem is None, opened.problem
    assert [b.made_at for b in good_backups(data_dir)] == [DAY2], "the daily backup of day 2"
    db = opened.db
    after = [
        _add_entry(
            db,
            DAY2 + timedelta(minutes=10 * n),
            score=(n + 3) % 10,
            note=f"after the backup {n}. {NOTE * 3}",
        )
        for n in range(ENTRIES_AFTER)
    ]
    DiaryRepository(db).delete(before[0], now=DAY2 + timedelta(minutes=50))
    blocks = BlockDiaryRepository(db)
    blocks.add_prompt_entry(
        PromptEntry(
            block.id,
            30,
            DAY1 + timedelta(hours=2, minutes=30),
            ZONE,
            (AreaScore("lower_back", "left", 2), AreaScore("leg", "left", 1)),
        )
    )
    blocks.add_paper_scores(
        [PaperScore(block.id, DAY1 + timedelta(hours=3), ZONE, 60, "lower_back", "left", 1)]
    )
    plans = PlanRepository(db)
    plans.mark("driver", block.id, checked=True, now=DAY2 + timedelta(hours=1))
    plans.mark("fasting", block.id, checked=True, now=DAY2 + timedelta(hours=1))
    SettingsRepository(db).put("story.text_size", "largest")
    db.close()
    return Story(data_dir, block.id, before, after)


def _add_entry(db, at: datetime, *, score: int, note: str = "") -> int:
    entry = validate_entry(
        {
            "score": score,
            "at": at,
            "note": note,
            "areas": [{"area": "neck", "side": "left", "score": score}],
        },
        now=at + timedelta(minutes=1),
        zone=ZONE,
    )
    return DiaryRepository(db).add(entry).id
