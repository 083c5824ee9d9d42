"""`python main.py data backup|restore|check` and the repair at open, as processes."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC
from pathlib import Path

from app.store.database import database_path
from tests.e2e.helpers import cli_env, run_cli


def entry_scores(data_dir: Path) -> list[int]:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return [score for (score,) in conn.execute("SELECT score FROM entries ORDER BY id")]
    finally:
        conn.close()


def add(data_dir: Path, score: int) -> None:
    result = run_cli("diary", "add", "--score", score, "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr


def one_error_line(result) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_back_up_check_and_restore_from_the_command_line(tmp_path):
    data_dir = tmp_path / "data"
    add(data_dir, 3)
    add(data_dir, 4)

    backed_up = run_cli("data", "backup", "--out", tmp_path / "usb", "--data-dir", data_dir)
    assert backed_up.returncode == 0, backed_up.stderr
    backup = Path(backed_up.stdout.strip())
    assert backup.parent == tmp_path / "usb"
    assert re.fullmatch(r"facet-\d{8}T\d{6}\.\d{6}Z-manual\.db", backup.name)
    assert oct(backup.stat().st_mode & 0o777) == "0o600"

    checked = run_cli("data", "check", "--data-dir", data_dir)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[0] == (
        f"ok: {database_path(data_dir)} passed SQLite's full integrity check"
    )

    add(data_dir, 9)
    restored = run_cli("data", "restore", backup, "--data-dir", data_dir)
    assert restored.returncode == 0, restored.stderr
    [aside_line] = [line for line in restored.stdout.splitlines() if "set aside" in line]
    aside = Path(aside_line.rsplit(" ", 1)[1])
    assert entry_scores(data_dir) == [3, 4]
    conn = sqlite3.connect(aside)
    assert [s for (s,) in conn.execute("SELECT score FROM entries ORDER BY id")] == [3, 4, 9]
    conn.close()


def test_the_verbs_refuse_in_one_line(tmp_path):
    data_dir = tmp_path / "data"
    line = one_error_line(run_cli("data", "check", "--data-dir", data_dir))
    assert line == f"Error: There is no diary at {database_path(data_dir)}."
    line = one_error_line(
        run_cli("data", "backup", "--out", tmp_path / "o", "--data-dir", data_dir)
    )
    assert "There is no diary" in line
    add(data_dir, 5)
    not_a_diary = tmp_path / "notes.txt"
    not_a_diary.write_text("remember the milk\n" * 300)
    line = one_error_line(run_cli("data", "restore", not_a_diary, "--data-dir", data_dir))
    assert "notes.txt" in line
    assert entry_scores(data_dir) == [5]
    line = one_error_line(
        run_cli("data", "restore", tmp_path / "nowhere.db", "--data-dir", data_dir)
    )
    assert line == f"Error: There is no file at {tmp_path / 'nowhere.db'}."
    missing = one_error_line(run_cli("data", "restore", "--data-dir", data_dir))
    assert "FILE" in missing


def test_a_damaged_diary_is_repaired_by_the_next_command_and_data_check_says_so(tmp_path):
    data_dir = tmp_path / "data"
    add(data_dir, 2)
    backup_dir = data_dir / "backups"
    # yesterday's automatic backup (as if the app had opened the diary then)
    made = run_cli("data", "backup", "--out", backup_dir, "--data-dir", data_dir)
    manual = Path(made.stdout.strip())
    manual.rename(backup_dir / manual.name.replace("-manual", "-daily"))
    add(data_dir, 7)  # saved after the backup
    path = database_path(data_dir)
    size = path.stat().st_size
    with open(path, "r+b") as file:  # damage its last page
        file.seek(size - 4096)
        file.write(os.urandom(4096))

    line = one_error_line(run_cli("data", "check", "--data-dir", data_dir))
    assert "is damaged" in line

    listed = run_cli("diary", "list", "--format", "json", "--data-dir", data_dir)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    assert listed.stderr.startswith("Note: Your diary file was damaged")
    assert len(listed.stderr.strip().splitlines()) == 1
    assert sorted(entry_scores(data_dir)) == [2, 7]
    assert list(data_dir.glob("facet-damaged-*.db"))
    again = run_cli("data", "check", "--data-dir", data_dir)
    assert again.returncode == 0, again.stderr


def test_a_missing_diary_with_backups_names_the_restore_command(tmp_path):
    data_dir = tmp_path / "data"
    add(data_dir, 6)
    made = run_cli("data", "backup", "--out", data_dir / "backups", "--data-dir", data_dir)
    backup = Path(made.stdout.strip())
    database_path(data_dir).unlink()

    line = one_error_line(run_cli("diary", "add", "--score", "1", "--data-dir", data_dir))

    assert "missing or empty, but there are backups" in line
    assert f"python main.py data restore {backup} --data-dir {data_dir}" in line
    assert not database_path(data_dir).exists()  # never quietly a new, empty diary
    assert run_cli("data", "restore", backup, "--data-dir", data_dir).returncode == 0
    assert entry_scores(data_dir) == [6]


def test_the_reminder_agent_repairs_a_damaged_diary_and_leaves_the_app_a_notice(tmp_path):
    from datetime import datetime

    from app.services.data_safety import open_diary

    data_dir = tmp_path / "data"
    add(data_dir, 2)
    made = run_cli("data", "backup", "--out", data_dir / "backups", "--data-dir", data_dir)
    assert made.returncode == 0, made.stderr
    add(data_dir, 7)
    with open(database_path(data_dir), "r+b") as file:  # damage the second page
        file.seek(4096)
        file.write(os.urandom(4096))
    env = cli_env(FACET_TEST_NOTIFY_LOG=str(tmp_path / "notified.jsonl"))

    agent = run_cli("reminders", "run", "--once", "--data-dir", data_dir, env=env)

    assert agent.returncode == 0, agent.stderr
    assert agent.stderr.startswith("Note: Your diary file was damaged")
    assert sorted(entry_scores(data_dir)) == [2, 7]
    # the patient was not there to read stderr: the app says it when it next opens
    opened = open_diary(data_dir, now=datetime.now(UTC), runner="app", zone="UTC")
    assert opened.notice and opened.notice.startswith("Your diary file was damaged")
    opened.db.close()


def test_an_agent_running_past_midnight_makes_the_next_days_backup(tmp_path):
    import json
    import time
    from datetime import datetime, timedelta

    from app.store.backups import good_backups

    data_dir = tmp_path / "data"
    add(data_dir, 3)
    start = datetime(2027, 3, 26, 23, 58, tzinfo=UTC)
    clock = json.dumps(
        {
            "start": start.isoformat(),
            "speed": 600,
            "real_start": time.time() + 2,
            "until": (start + timedelta(minutes=6)).isoformat(),
            "zone": "UTC",
        }
    )
    env = cli_env(FACET_TEST_CLOCK=clock, FACET_TEST_NOTIFY_LOG=str(tmp_path / "notified.jsonl"))

    agent = run_cli("reminders", "run", "--data-dir", data_dir, env=env)

    assert agent.returncode == 0, agent.stderr
    days = sorted(b.made_at.date().isoformat() for b in good_backups(data_dir))
    assert days == ["2027-03-26", "2027-03-27"]


def test_a_running_agent_starts_again_on_a_restored_diary(tmp_path):
    """Otherwise it would deliver on into the file set aside, unknown to the app."""
    import json
    import subprocess
    import time
    from datetime import datetime

    from tests.e2e.helpers import REPO_ROOT, cli_command

    data_dir = tmp_path / "data"
    add(data_dir, 3)
    made = run_cli("data", "backup", "--out", tmp_path / "saved", "--data-dir", data_dir)
    backup = Path(made.stdout.strip())
    clock = json.dumps(
        {
            "start": datetime(2027, 3, 26, 9, tzinfo=UTC).isoformat(),
            "speed": 60,
            "real_start": time.time(),
            "zone": "UTC",
        }
    )
    env = cli_env(FACET_TEST_CLOCK=clock, FACET_TEST_NOTIFY_LOG=str(tmp_path / "n.jsonl"))
    agent = subprocess.Popen(
        cli_command("reminders", "run", "--data-dir", data_dir),
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def agent_beat_in_the_diary() -> bool:
        conn = sqlite3.connect(database_path(data_dir))
        try:
            return (
                conn.execute(
                    "SELECT count(*) FROM reminder_heartbeats WHERE runner = 'agent'"
                ).fetchone()[0]
                > 0
            )
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()

    def wait_for(condition, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return False

    try:
        assert wait_for(agent_beat_in_the_diary)
        restored = run_cli("data", "restore", backup, "--data-dir", data_dir)
        assert restored.returncode == 0, restored.stderr
        assert not agent_beat_in_the_diary()  # the backup was made before the agent ran
        assert wait_for(agent_beat_in_the_diary), "the agent did not move to the new file"
        assert agent.poll() is None
    finally:
        agent.kill()
        _, stderr = agent.communicate(timeout=30)
    assert "The diary file was replaced; the reminder agent starts again." in stderr
    assert "Traceback" not in stderr
