"""`--demo`: a throwaway data folder holding the demo story, so the real diary is never touched."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from app.domain.demo_story import demo_entries
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository

DEMO_PREFIX = "facet-demo-"


def create_demo_data_dir(now: datetime, zone: str, *, seed: int = 7) -> Path:
    """Make a new temporary folder, fill its database with the demo diary and return the folder.

    The folder is always new (`tempfile.mkdtemp`), never `--data-dir`, `FACET_DATA_DIR` or the
    user data folder; the caller points the app at it and may delete it when the demo ends.
    """
    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    db = open_database(folder)
    try:
        diary = DiaryRepository(db)
        with db.atomic():  # one transaction: a few hundred entries in one disk sync
            for entry in demo_entries(now, zone, seed):
                diary.add(entry)
    finally:
        db.close()
    return folder
