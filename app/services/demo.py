"""`--demo`: a throwaway data folder holding the demo story, so the real diary is never touched."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from app.domain.clinic import ClinicSettings
from app.domain.demo_story import (
    demo_block_diaries,
    demo_checkins,
    demo_entries,
    demo_procedures,
)
from app.domain.plan import Contact, Procedure
from app.store.block_diary_repository import BlockDiaryRepository, OutcomeRepository
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

DEMO_PREFIX = "facet-demo-"
# A made-up clinic: names and numbers only. Its instructions stay empty on purpose, so the demo
# shows what a patient sees before the clinic has entered them: "ask your clinic".
DEMO_CLINIC = ClinicSettings(
    name="Riverside Spine Clinic", phone="555 0100", address="12 River Road, Suite 3"
)
DEMO_DRIVER = Contact(name="Maria", phone="555 0142", relation="daughter")


def create_demo_data_dir(now: datetime, zone: str, *, seed: int = 7) -> Path:
    """Make a new temporary folder, fill its database with the demo diary and return the folder.

    The folder is always new (`tempfile.mkdtemp`), never `--data-dir`, `FACET_DATA_DIR` or the
    user data folder; the caller points the app at it and may delete it when the demo ends.
    """
    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    db = open_database(folder)
    try:
        diary = DiaryRepository(db)
        plan, settings = PlanRepository(db), SettingsRepository(db)
        with db.atomic():  # one transaction: a few hundred entries in one disk sync
            for entry in demo_entries(now, zone, seed):
                diary.add(entry)
            ids = {}
            for story in demo_procedures(now, zone):
                ids[story.kind] = plan.add_procedure(
                    Procedure(
                        kind=story.kind,
                        region=story.region,
                        side=story.side,
                        at=story.at,
                        zone=zone,
                        anaesthetic=story.anaesthetic,
                    )
                ).saved_id
            blocks = BlockDiaryRepository(db)
            for diary_story in demo_block_diaries(now, zone):
                block_id = ids[diary_story.kind]
                for baseline in diary_story.baselines:
                    blocks.save_baseline(block_id, baseline)
                for prompt in diary_story.prompts:
                    blocks.add_prompt_entry(replace(prompt, procedure_id=block_id))
            outcomes = OutcomeRepository(db)
            for checkin in demo_checkins(now, zone):
                outcomes.save(replace(checkin, procedure_id=ids["rfa"]))
            plan.set_driver(DEMO_DRIVER)
            settings.save_clinic(DEMO_CLINIC)
            settings.mark_set_up()
            settings.mark_guide_offered()
    finally:
        db.close()
    return folder
