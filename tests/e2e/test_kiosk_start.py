"""`python main.py` as a kiosk process: once kiosk mode is stored, a plain start (after a crash,
a kill or a restart) opens full screen and borderless, in kiosk mode, locked: the cover when a
session was open, the PIN pad when not. Escape and the close request leave it running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from app.services.kiosk import KioskService
from app.store.database import open_database

from .helpers import MAIN, REPO_ROOT, cli_env

PIN = "482916"
# Runs main.py in this process, and after a few seconds reports the window's state and stops.
PROBE = f"""
import sys
from kivy.clock import Clock

def probe(_dt):
    from kivy.app import App
    from kivy.core.window import Window
    app = App.get_running_app()
    Window.dispatch("on_keyboard", 27, 0, None, [])
    kept = Window.dispatch("on_request_close")
    print("PROBE", Window.fullscreen, Window.borderless, app.kiosk.active, app.kiosk.covered,
          app.kiosk.staff_unlocked, app.navigator.current.name, kept, flush=True)
    if "--stay" not in sys.argv:
        app.stop()

Clock.schedule_once(probe, 3)
sys.argv = [{str(MAIN)!r}, *sys.argv[1:]]
from app.entry import main
main([a for a in sys.argv[1:] if a != "--stay"])
"""

pytestmark = pytest.mark.skipif(
    not os.environ.get("DISPLAY"), reason="needs a display: run with `bash dev.sh test`"
)


def start(data_dir, *extra: str) -> subprocess.Popen[str]:
    env = cli_env(KIVY_NO_ARGS="1", PYTHONPATH=str(REPO_ROOT), FACET_LOG_LEVEL="error")
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), *extra],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def probe_line(process: subprocess.Popen[str], timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("PROBE"):
            return line.split()[1:]
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"no probe line; stderr: {process.stderr.read()[-2000:]}")


def set_up(data_dir, reports, *, session: bool) -> None:
    db = open_database(data_dir)
    kiosk = KioskService(db, data_dir)
    kiosk.set_up(PIN, PIN, reports_folder=reports)
    if session:
        kiosk.start_session(now=datetime.now(UTC))
    db.close()


def test_a_plain_start_after_kiosk_set_up_is_a_locked_kiosk(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    data_dir = tmp_path / "data"
    set_up(data_dir, reports, session=False)
    process = start(data_dir)
    state = probe_line(process)
    process.wait(timeout=30)
    assert state == ["auto", "True", "True", "False", "False", "kiosk_pin", "True"]


def test_killed_mid_session_it_comes_back_covered_and_locked(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    data_dir = tmp_path / "data"
    set_up(data_dir, reports, session=True)
    process = start(data_dir, "--stay")
    assert probe_line(process)[2] == "True"
    assert process.poll() is None, "Escape and the close request left it running"
    process.send_signal(signal.SIGKILL)  # a crash
    process.wait(timeout=10)
    again = start(data_dir)
    state = probe_line(again)
    again.wait(timeout=30)
    # full screen, borderless, kiosk, covered, staff locked, on the patient's page, window kept
    assert state == ["auto", "True", "True", "True", "False", "today", "True"]
