"""Two processes writing to one diary (the app and the reminder agent) wait for each other.

A write path that reads first (a count, a check for a duplicate) and then writes must not fail
with "database is locked" when the other process commits in between: every write transaction
takes the write lock at its start and waits the busy timeout for it."""

from __future__ import annotations

import subprocess
import sys

from app.store.database import open_database
from tests.e2e.helpers import REPO_ROOT

WRITES_EACH = 150
READ_THEN_WRITE = """
import sys, time
from pathlib import Path
from app.store.database import open_database
db = open_database(Path(sys.argv[1]))
db.execute("CREATE TABLE IF NOT EXISTS lock_test (writer TEXT, seen INTEGER)")
errors = 0
for _ in range({writes}):
    with db.atomic():
        seen = db.execute("SELECT count(*) FROM lock_test").fetchone()[0]
        time.sleep(0.002)  # the other process commits here
        db.execute("INSERT INTO lock_test VALUES (?, ?)", [sys.argv[2], seen])
print("done")
"""


def test_two_processes_reading_then_writing_never_see_a_lock_error(tmp_path):
    open_database(tmp_path).close()
    script = READ_THEN_WRITE.format(writes=WRITES_EACH)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), name],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("app", "agent")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for (out, err), writer in zip(results, writers, strict=True):
        assert writer.returncode == 0, err[-2000:]
        assert out.strip() == "done"
    db = open_database(tmp_path)
    rows = db.execute("SELECT seen FROM lock_test ORDER BY rowid").fetchall()
    # Each writer saw every row committed before its own: the counts run 0, 1, 2, ... exactly.
    assert [seen for (seen,) in rows] == list(range(2 * WRITES_EACH))
