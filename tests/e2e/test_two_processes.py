"""The app and the reminder agent as two real processes over one database: every reminder is
delivered exactly once, whichever process gets to it first.

Both run their reminder loop on the same sped-up clock (the test-only FACET_TEST_CLOCK hook: one
simulated hour per real second, starting together), and record what they show to a file each
(FACET_TEST_NOTIFY_LOG). One is `python main.py reminders run`, the agent; the other builds the
service the way the app does (runner "app", showing the away list) and runs the same loop.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.plan import Procedure
from app.domain.reminders import OwnReminder
from app.services.clock import FixedClock
from app.services.notifier import RecordingNotifier
from app.services.reminder_service import ReminderService
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository
from app.store.plan_repository import PlanRepository
from app.store.reminder_occurrences import OccurrenceRepository

from .helpers import REPO_ROOT, cli_command, cli_env

UTC = UTC
LONDON = "Europe/London"
START = datetime(2027, 3, 26, 9, 50, tzinfo=UTC)  # GMT: local time is UTC
UNTIL = START + timedelta(hours=9)
SPEED = 3600.0
GRACE = timedelta(minutes=120)

APP_LIKE = """
import sys
from app.cli.reminders import _reminder_service
service, until = _reminder_service(sys.argv[1], "app")
service.collect_missed()
service.run(stop=lambda: service.clock.now() >= until)
"""


def seed(data_dir: Path) -> None:
    db = open_database(data_dir)
    PlanRepository(db).add_procedure(
        Procedure(
            kind="test-block",
            region="lumbar",
            side="right",
            at=datetime(2027, 3, 26, 10, 0, tzinfo=ZoneInfo(LONDON)).astimezone(UTC),
            zone=LONDON,
        )
    )
    store = OwnReminderRepository(db)
    minute = START + timedelta(minutes=10)
    while minute <= START + timedelta(hours=8, minutes=50):  # every 10 minutes, 10:00 to 18:40
        store.add(
            OwnReminder(f"Own reminder at {minute:%H:%M}", minute.time(), on=minute.date()),
            now=START,
        )
        minute += timedelta(minutes=10)
    store.add(
        OwnReminder("Daily at 12:34", clock_time(12, 34), starts_on=date(2027, 3, 1)), now=START
    )
    db.close()


def expected_ids(data_dir: Path) -> set[str]:
    db = open_database(data_dir)
    service = ReminderService(db, FixedClock(START, LONDON), RecordingNotifier())
    found = {o.id for o in service.occurrences(START - GRACE, UNTIL)}
    db.close()
    return found


def logged_tags(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["tag"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_app_and_agent_processes_deliver_every_reminder_exactly_once(tmp_path):
    data_dir = tmp_path / "data"
    seed(data_dir)
    expected = expected_ids(data_dir)
    assert len(expected) >= 60
    clock = json.dumps(
        {
            "start": START.isoformat(),
            "speed": SPEED,
            "real_start": time.time() + 3,
            "zone": LONDON,
            "until": UNTIL.isoformat(),
            "grace_minutes": GRACE.total_seconds() / 60,
        }
    )
    logs = {"agent": tmp_path / "agent.jsonl", "app": tmp_path / "app.jsonl"}
    commands = {
        "agent": cli_command("reminders", "run", "--data-dir", data_dir),
        "app": [sys.executable, "-c", APP_LIKE, str(data_dir)],
    }
    processes = {
        name: subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(
                TZ=LONDON,
                FACET_TEST_CLOCK=clock,
                FACET_TEST_NOTIFY_LOG=str(logs[name]),
                PYTHONPATH=str(REPO_ROOT),
            ),
        )
        for name, command in commands.items()
    }
    outputs = {}
    try:
        for name, process in processes.items():
            outputs[name] = process.communicate(timeout=120)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    for name, process in processes.items():
        assert process.returncode == 0, (name, outputs[name][1])

    shown = {name: logged_tags(path) for name, path in logs.items()}
    everything = shown["agent"] + shown["app"]
    assert len(everything) == len(set(everything)), "a reminder was shown twice"
    assert set(everything) == expected, "a reminder was missed"
    assert shown["agent"] and shown["app"], "one process delivered everything: no race happened"
    # The agent prints a line for each reminder it delivered, and only for those.
    assert len(outputs["agent"][0].splitlines()) == len(shown["agent"])

    db = open_database(data_dir)
    store = OccurrenceRepository(db)
    deliveries = store.deliveries.since()
    assert sorted(d.occurrence_id for d in deliveries) == sorted(everything)
    by_runner = {
        name: sorted(d.occurrence_id for d in deliveries if d.runner == name)
        for name in ("agent", "app")
    }
    assert by_runner == {name: sorted(tags) for name, tags in shown.items()}
    assert {r.state for r in store.history(1000)} == {"delivered"}
    db.close()
