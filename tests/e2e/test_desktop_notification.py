"""A real desktop notification: the reminder agent, run once with a reminder due, shows it through
plyer to a real notification daemon (dunst) on a private D-Bus session bus, and the reminder is in
the daemon's history.

It needs an X display (`bash dev.sh test` starts Xvfb) and dunst, dbus-daemon (dbus-x11) and
notify-send (libnotify-bin), which `bash dev.sh test` installs when it runs as root.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pytest

from app.domain.reminders import OwnReminder
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository
from app.store.reminder_occurrences import OccurrenceRepository

from .helpers import cli_env, run_cli

UTC = UTC
TOOLS = ("dunst", "dunstctl", "dbus-daemon", "dbus-send", "notify-send")
DUE = datetime(2027, 3, 26, 14, 0, tzinfo=UTC)  # 14:00 in London (GMT)
# A session bus that starts no services by itself: with the usual service folders, a call to the
# notification service before our dunst is up would have the bus start a second dunst.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    install = "apt-get install dunst dbus-x11 libnotify-bin"
    if getattr(os, "geteuid", lambda: -1)() == 0:
        pytest.fail(
            f"{', '.join(missing)} missing: bash dev.sh test installs them as root ({install})"
        )
    pytest.skip(
        f"needs {', '.join(missing)}, which cannot be installed without root: "
        f"run `sudo {install}` (bash dev.sh test does it when run as root)"
    )


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _dunst_history(env) -> list[dict]:
    result = subprocess.run(
        ["dunstctl", "history"], env=env, capture_output=True, text=True, timeout=10
    )
    if result.returncode != 0:
        return []
    return json.loads(result.stdout)["data"][0]


@pytest.fixture
def session_bus(tmp_path):
    """A private D-Bus session bus with dunst on it, and the environment that points at both."""
    _require_tools()
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display: run it through `bash dev.sh test`, which starts Xvfb")
    config = tmp_path / "session-bus.conf"
    config.write_text(BUS_CONFIG, encoding="utf-8")
    started = subprocess.run(
        [
            "dbus-daemon",
            f"--config-file={config}",
            "--fork",
            "--nopidfile",
            "--print-address=1",
            "--print-pid=1",
        ],
        capture_output=True,
        text=True,
        timeout=10,
        stdin=subprocess.DEVNULL,
    )
    assert started.returncode == 0, started.stderr
    address, pid = started.stdout.split()[:2]
    env = cli_env(
        DBUS_SESSION_BUS_ADDRESS=address,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        TZ="Europe/London",
    )
    dunst = subprocess.Popen(
        ["dunst"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(
            lambda: (
                subprocess.run(
                    ["dunstctl", "count"], env=env, capture_output=True, timeout=10
                ).returncode
                == 0
                or dunst.poll() is not None
            ),
            15,
            "dunst to come up on the private bus",
        )
        if dunst.poll() is not None:
            pytest.fail(f"dunst exited: {dunst.stderr.read().decode(errors='replace')}")
        yield env
    finally:
        dunst.terminate()
        try:
            dunst.wait(10)
        except subprocess.TimeoutExpired:
            dunst.kill()
            dunst.wait()
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)


def test_a_due_reminder_reaches_the_desktops_notification_daemon(session_bus, tmp_path):
    text = f"Time for your walk ({uuid.uuid4().hex[:8]})"
    data_dir = tmp_path / "data"
    db = open_database(data_dir)
    OwnReminderRepository(db).add(
        OwnReminder(text, clock_time(14, 0), on=date(2027, 3, 26)), now=DUE - timedelta(days=1)
    )
    db.close()
    clock = json.dumps(
        {
            "start": (DUE + timedelta(seconds=20)).isoformat(),
            "speed": 1,
            "real_start": time.time(),
            "zone": "Europe/London",
        }
    )
    env = {**session_bus, "FACET_TEST_CLOCK": clock}
    result = run_cli("reminders", "run", "--once", "--data-dir", data_dir, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"2027-03-26 14:00  Your reminder: {text}\n"

    def in_history():
        subprocess.run(["dunstctl", "close-all"], env=session_bus, timeout=10)
        return [n for n in _dunst_history(session_bus) if text in n["body"]["data"]]

    [shown] = _wait_for(in_history, 10, "the reminder in dunst's history")
    assert shown["summary"]["data"] == "Your reminder"
    assert shown["appname"]["data"] == "Facet Companion"

    db = open_database(data_dir)
    [record] = OccurrenceRepository(db).history()
    assert record.state == "delivered" and record.system_notified is True
    db.close()
