"""kill -9 while a backup is made, while one is put back, and while a damaged diary is repaired:
the diary stays whole, no half-made copy is ever taken for a good backup, and an interrupted
repair is finished by the next start."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

import app.store.backups as backups
from app.services.data_safety import REPAIR_RECORD_FILE, open_diary
from app.store.backups import backup_folder, good_backups, make_backup, verify_diary
from app.store.database import database_path, open_database
from app.store.settings_repository import RECOVERY_NOTICE_KEY
from tests.faults.diary_story import DAY1, DAY3, NEWER_ROWS, ZONE, build_story

REPO_ROOT = Path(__file__).resolve().parents[2]
TRIALS = 12
ENTRIES = 12_000  # about 16 MB: a backup takes long enough to be cut in the middle

BACK_UP = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from app.store.backups import backup_folder, make_backup
data_dir = Path(sys.argv[1])
print("ready", flush=True)
make_backup(data_dir / "facet.db", backup_folder(data_dir), now=datetime.now(timezone.utc),
            reason="daily")
print("done", flush=True)
"""

RESTORE = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from app.store.backups import restore
data_dir = Path(sys.argv[1])
print("ready", flush=True)
restore(data_dir, Path(sys.argv[2]), now=datetime.now(timezone.utc))
print("done", flush=True)
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def entry_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


def fill(data_dir: Path, entries: int) -> None:
    db = open_database(data_dir)
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO entries (at_utc, zone, local_date, score, note) VALUES (?, ?, ?, ?, ?)",
            [
                ("2026-11-01T09:00:00.000000+00:00", "UTC", "2026-11-01", n % 11, "x" * 1000)
                for n in range(entries)
            ],
        )
    db.close()


@pytest.fixture(scope="module")
def big_diary(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("big") / "data"
    fill(data_dir, ENTRIES)
    return data_dir


def run_and_kill(script: str, *args, after: float | None) -> tuple[bool, float]:
    """Run `script`; kill -9 it `after` seconds past "ready" (None: let it finish). Returns
    whether it finished and how long it ran after "ready"."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    started = time.monotonic()
    if after is None:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        return True, time.monotonic() - started
    time.sleep(after)
    child.kill()
    out, _ = child.communicate(timeout=60)
    return "done" in out, time.monotonic() - started


def test_kill_during_a_backup_leaves_the_diary_whole_and_no_half_backup(
    big_diary, tmp_path, monkeypatch
):
    live = database_path(big_diary)
    before = sha256(live)
    _, duration = run_and_kill(BACK_UP, big_diary, after=None)
    shutil.rmtree(backup_folder(big_diary))
    rng = random.Random(20261201)
    interrupted = 0
    for _ in range(TRIALS):
        finished, _ = run_and_kill(BACK_UP, big_diary, after=rng.uniform(0, duration * 1.5))
        interrupted += not finished
        assert sha256(live) == before
        for backup in good_backups(big_diary):
            verify_diary(backup.path)  # every file with a backup's name is a whole diary
    print(
        f"\nkill -9 during a backup: {TRIALS} trials, {interrupted} cut before the end, "
        f"{len(good_backups(big_diary))} finished backups, all whole; backup took "
        f"{duration:.2f} s"
    )
    assert interrupted >= TRIALS // 3
    # The next start clears what the kills left half-made (once nobody can still be making it)
    monkeypatch.setattr(backups, "INTERRUPTED_AFTER_SECONDS", 0)
    opened = open_diary(big_diary, now=DAY3, runner="app", zone=ZONE)
    assert opened.problem is None
    opened.db.close()
    assert [p.name for p in backup_folder(big_diary).iterdir() if p.name.startswith(".")] == []


def test_kill_during_a_restore_leaves_a_whole_diary_and_the_old_one_kept(big_diary, tmp_path):
    backup = make_backup(database_path(big_diary), tmp_path / "saved", now=DAY1, reason="manual")
    fill(big_diary, 50)  # the diary now has 50 entries more than the backup
    newer = ENTRIES + 50
    template = tmp_path / "template"
    shutil.copytree(big_diary, template, ignore=shutil.ignore_patterns("backups"))
    data_dir = tmp_path / "trial"
    shutil.copytree(template, data_dir)
    _, duration = run_and_kill(RESTORE, data_dir, backup.path, after=None)
    rng = random.Random(20261202)
    outcomes = {"old diary in place": 0, "restored": 0}
    for trial in range(TRIALS):
        data_dir = tmp_path / f"trial{trial}"
        shutil.copytree(template, data_dir)
        run_and_kill(RESTORE, data_dir, backup.path, after=rng.uniform(0, duration * 1.5))
        live = database_path(data_dir)
        assert live.exists(), "the diary's name is never left empty"
        count = entry_count(live)
        assert count in (ENTRIES, newer)
        if count == newer:
            outcomes["old diary in place"] += 1
        else:
            outcomes["restored"] += 1
            # the diary it replaced is kept whole under a dated name
            kept = [entry_count(p) for p in data_dir.glob("facet-set-aside-*.db")]
            assert newer in kept
        opened = open_diary(data_dir, now=DAY3, runner="app", zone=ZONE)
        assert opened.problem is None, opened.problem
        assert opened.notice is None
        opened.db.close()
    print(
        f"\nkill -9 during a restore: {TRIALS} trials, {outcomes}; a restore took {duration:.2f} s"
    )
    assert outcomes["old diary in place"] >= 1


REPAIR = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from app.services.data_safety import open_diary
print("ready", flush=True)
open_diary(Path(sys.argv[1]), now=datetime(2026, 11, 22, 9, tzinfo=timezone.utc),
           runner="agent", zone="UTC")
print("done", flush=True)
"""


def diary_rows(data_dir: Path) -> dict[str, set[tuple]]:
    """The patient's rows of the tables the story saved to after its backup."""
    conn = sqlite3.connect(database_path(data_dir))
    try:
        rows = {table: set(conn.execute(f"SELECT * FROM [{table}]")) for table in NEWER_ROWS}
    finally:
        conn.close()
    rows["settings"] = {row for row in rows["settings"] if row[0] != RECOVERY_NOTICE_KEY}
    return rows


def test_kill_during_a_repair_is_finished_by_the_next_start(tmp_path):
    """The agent finds the diary damaged at login and is killed while repairing it: the app's
    next start ends with the same diary and still tells the patient."""
    template = build_story(tmp_path / "story")
    with open(database_path(template.data_dir), "r+b") as file:
        file.seek(4096)
        file.write(random.Random(2).randbytes(4096))
    damaged = database_path(template.data_dir).read_bytes()
    whole = tmp_path / "whole"
    shutil.copytree(template.data_dir, whole)
    _, duration = run_and_kill(REPAIR, whole, after=None)
    expected = diary_rows(whole)
    rng = random.Random(20261203)
    cut = 0
    for trial in range(TRIALS):
        data_dir = tmp_path / f"trial{trial}"
        shutil.copytree(template.data_dir, data_dir)
        finished, _ = run_and_kill(REPAIR, data_dir, after=rng.uniform(0, duration * 1.5))
        cut += not finished
        opened = open_diary(data_dir, now=DAY3 + timedelta(hours=1), runner="app", zone=ZONE)
        assert opened.problem is None, opened.problem
        assert opened.notice and opened.notice.startswith("Your diary file was damaged")
        opened.db.close()
        assert diary_rows(data_dir) == expected, f"trial {trial}"
        assert not (data_dir / REPAIR_RECORD_FILE).exists()
        # kept whole (twice when the kill came between setting it aside and the backup's
        # rename: the next start sets the same file aside again)
        asides = list(data_dir.glob("facet-damaged-*.db"))
        assert asides and all(p.read_bytes() == damaged for p in asides)
    print(
        f"\nkill -9 during a repair: {TRIALS} trials, {cut} cut before the end; every one "
        f"finished by the next start with the same rows and the notice; a repair took "
        f"{duration:.2f} s"
    )
    assert cut >= TRIALS // 3
