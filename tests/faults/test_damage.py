"""A damaged diary file is found at open, set aside, and replaced by the newest good backup,
with what still reads from it and is newer than the backup copied back.

Every page of a small diary is damaged in turn (overwritten with random bytes, then with
zeros), and opened as the app would on the next day. Each one must be detected, set aside
unchanged, restored from the backup, opened without a traceback, and every row copied back
must be exactly the row that was saved.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import traceback
from pathlib import Path

import pytest

from app.services.data_safety import open_diary
from app.store.backups import check_database
from app.store.database import database_path
from tests.faults.diary_story import DAY3, NEWER_ROWS, ZONE, build_story

PAGE_SIZE = 4096
# Tables of numbered rows: every row of the backup is in the restored diary (some with the
# values saved later, such as an entry deleted after the backup).
NUMBERED = ("procedures", "entries", "entry_areas", "block_baselines")


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The diary of the story, closed, and what each of its tables held."""
    built = build_story(tmp_path_factory.mktemp("story") / "data")
    path = database_path(built.data_dir)
    return built, path.read_bytes(), table_rows(path)


def table_rows(path: Path) -> dict[str, set[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: set(conn.execute(f"SELECT * FROM [{table}]"))
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        conn.close()


def numbers(rows: set[tuple]) -> set[int]:
    return {row[0] for row in rows}


def damaged_copy(story, tmp_path: Path, page: int, garbage: bytes) -> Path:
    built, original, _ = story
    data_dir = tmp_path / f"page{page}"
    shutil.copytree(built.data_dir / "backups", data_dir / "backups")
    damaged = bytearray(original)
    damaged[(page - 1) * PAGE_SIZE : page * PAGE_SIZE] = garbage
    database_path(data_dir).write_bytes(bytes(damaged))
    return data_dir


@pytest.mark.parametrize("kind", ["random", "zeros"])
def test_every_damaged_page_is_found_set_aside_and_restored_from_the_backup(story, tmp_path, kind):
    built, original, rows_saved = story
    pages = len(original) // PAGE_SIZE
    assert pages >= 20 and len(original) % PAGE_SIZE == 0
    backup_rows = table_rows(sorted((built.data_dir / "backups").iterdir())[0])
    counts = {
        "pages": pages,
        "fail integrity_check": 0,
        "fail quick_check": 0,
        "detected": 0,
        "restored": 0,
        "tracebacks": 0,
        "newer rows": 0,
        "newer rows copied back": 0,
        "pages with every newer row back": 0,
    }
    failures = []
    for page in range(1, pages + 1):
        garbage = random.Random(page).randbytes(PAGE_SIZE) if kind == "random" else bytes(PAGE_SIZE)
        data_dir = damaged_copy(story, tmp_path, page, garbage)
        damaged_bytes = database_path(data_dir).read_bytes()
        if check_database(database_path(data_dir), full=True):
            counts["fail integrity_check"] += 1
        # the check run on every start finds it too, not only the daily full one
        if check_database(database_path(data_dir), full=False):
            counts["fail quick_check"] += 1
        try:
            opened = open_diary(data_dir, now=DAY3, runner="app", zone=ZONE)
        except Exception:
            counts["tracebacks"] += 1
            failures.append(f"page {page}: {traceback.format_exc()}")
            continue
        if opened.problem is not None or not opened.notice or "damaged" not in opened.notice:
            failures.append(f"page {page}: not handled: {opened}")
            continue
        counts["detected"] += 1
        opened.db.close()
        [aside] = data_dir.glob("facet-damaged-*.db")
        assert aside.read_bytes() == damaged_bytes, f"page {page}: the set-aside file changed"
        assert aside.name in opened.notice
        live = database_path(data_dir)
        assert check_database(live, full=True) == [], f"page {page}"
        recovered = table_rows(live)
        if all(numbers(backup_rows[t]) <= numbers(recovered[t]) for t in NUMBERED):
            counts["restored"] += 1
        else:
            failures.append(f"page {page}: rows of the backup are missing")
        newer_back = 0
        for table in NEWER_ROWS:
            newer = rows_saved[table] - backup_rows[table]
            back = recovered[table] - backup_rows[table]
            assert back <= newer, f"page {page}, {table}: a row came back changed: {back - newer}"
            newer_back += len(back)
        counts["newer rows"] += sum(NEWER_ROWS.values())
        counts["newer rows copied back"] += newer_back
        counts["pages with every newer row back"] += newer_back == sum(NEWER_ROWS.values())
    print(f"\ndamage by {kind} pages: {counts}")
    assert failures == []
    assert counts["fail integrity_check"] == counts["fail quick_check"] == pages
    assert counts["detected"] == counts["restored"] == pages
    assert counts["tracebacks"] == 0
    # Most pages hold nothing newer than the backup: there, everything comes back.
    assert counts["pages with every newer row back"] >= pages * 3 // 4
