"""A reminder whose notification was cut off when the agent was killed (kill -9 while the
notification was being shown) is delivered again by the next run, and never twice.

Each trial: the agent (`reminders run --once`) claims the day's 09:00 reminder and starts showing
it (the test notifier takes DELAY seconds, writing a "notifying" line first); the test kills it
at a random moment of that second, then runs the agent again 30 seconds later."""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from app.domain.reminders import OwnReminder
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository

from .helpers import REPO_ROOT, cli_command, cli_env, run_cli

UTC = UTC
TRIALS = 30
DELAY = 1.0
FIRST_DAY = date(2027, 1, 4)


def agent(data_dir: Path, log: Path, at: datetime, *, delay: float = 0.0) -> list[str]:
    clock = json.dumps(
        {"start": at.isoformat(), "speed": 1, "real_start": time.time(), "zone": "UTC"}
    )
    env = cli_env(
        TZ="UTC",
        FACET_TEST_CLOCK=clock,
        FACET_TEST_NOTIFY_LOG=str(log),
        FACET_TEST_NOTIFY_DELAY=str(delay),
    )
    return cli_command("reminders", "run", "--once", "--data-dir", data_dir), env


def log_lines(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def wait_for_notifying(log: Path, tag_day: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if any(tag_day in (line.get("notifying") or "") for line in log_lines(log)):
            return
        time.sleep(0.01)
    raise AssertionError(f"the agent never started showing the {tag_day} reminder")


def test_a_notification_cut_off_by_a_kill_is_delivered_again_and_never_twice(tmp_path):
    data_dir, log = tmp_path / "data", tmp_path / "notifications.jsonl"
    db = open_database(data_dir)
    OwnReminderRepository(db).add(
        OwnReminder("Walk to the corner and back", clock_time(9, 0), starts_on=FIRST_DAY),
        now=datetime(2027, 1, 1, tzinfo=UTC),
    )
    db.close()
    chance = random.Random(10)
    for trial in range(TRIALS):
        day = FIRST_DAY + timedelta(days=trial)
        at = datetime.combine(day, clock_time(9, 0, 10), tzinfo=UTC)
        command, env = agent(data_dir, log, at, delay=DELAY)
        killed = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_notifying(log, day.isoformat(), killed)
        time.sleep(chance.uniform(0, DELAY * 0.9))
        killed.kill()  # SIGKILL: no clean-up at all
        killed.wait()
        command, env = agent(data_dir, log, at + timedelta(seconds=30))
        again = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 0, again.stderr

    shown = Counter(line["tag"] for line in log_lines(log) if "notify" in line)
    started = {line["notifying"] for line in log_lines(log) if "notifying" in line}
    lost = [tag for tag in started if shown[tag] == 0]
    doubled = [tag for tag, times in shown.items() if times > 1]
    print(f"{TRIALS} kills mid-delivery: {len(lost)} lost, {len(doubled)} doubled")
    assert len(started) == TRIALS
    assert (lost, doubled) == ([], [])
    listed = run_cli(
        "reminders",
        "list",
        "--data-dir",
        data_dir,
        "--format",
        "json",
        "--from",
        f"{FIRST_DAY}T00:00Z",
        "--to",
        f"{day}T23:59Z",
        env=cli_env(TZ="UTC"),
    )
    states = Counter(row["state"] for row in json.loads(listed.stdout))
    assert states == {"delivered": TRIALS}
