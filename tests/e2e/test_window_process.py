"""The app's window as the desktop meets it: a separate process that must stop when told to."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.e2e.helpers import REPO_ROOT, cli_command, cli_env

pytestmark = pytest.mark.skipif(not os.environ.get("DISPLAY"),
                                reason="needs a display (bash dev.sh test starts Xvfb)")


def test_sigterm_stops_the_app_instead_of_asking_nobody(tmp_path):
    """A desktop logging out, or a service manager stopping the app, sends SIGTERM. SDL turns it
    into a close request, which the app answers with "Close Facet Companion?": the process must
    stop instead (saving what was typed, as every stop does)."""
    app = subprocess.Popen(cli_command("--data-dir", tmp_path), cwd=REPO_ROOT,
                           env=cli_env(KIVY_NO_CONSOLELOG="1"), stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "facet.db").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # the window is up and the reminders have started
        assert app.poll() is None, "the app did not start"
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=20) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
