"""The real app in a real Kivy window under the display the test command starts: Kivy's
settings, the clock and the app fixtures. Imported by tests/ui/conftest.py only when there is a
display (importing it opens the window)."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="facet-kivy-home-"))

from app.ui.launch import configure_kivy

configure_kivy(1280, 800)

from kivy.app import App  # noqa: E402
from kivy.core.window import Window  # noqa: E402

from app.services.clock import FixedClock  # noqa: E402
from app.services.notifier import RecordingNotifier  # noqa: E402
from app.services.speech import Speaker  # noqa: E402
from app.store.database import DatabaseRefusedError, open_database  # noqa: E402
from app.store.settings_repository import SettingsRepository  # noqa: E402
from app.ui.app import FacetCompanionApp  # noqa: E402
from tests.ui.driver import UiDriver  # noqa: E402

FAILURE_SHOTS = Path(__file__).parent / "failures"
NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, "Europe/London")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def speech_wav(tmp_path) -> Path:
    """Where the app's speaker writes what it reads aloud in UI tests."""
    return tmp_path / "speech.wav"


@pytest.fixture
def start_app(request, clock, data_dir, speech_wav):
    """Start the app on `data_dir`; call again after the first app stopped to 'restart' it."""
    running: list[FacetCompanionApp] = []

    def start(size=(1280, 800), first_run: bool = False) -> UiDriver:
        if running:
            stop_app(running.pop())
        if not first_run:
            with suppress(DatabaseRefusedError):  # that test wants the file untouched
                SettingsRepository(open_database(data_dir)).mark_guide_offered()
        Window.size = size
        # Speech goes to a WAV file, not the machine's loudspeaker.
        app = FacetCompanionApp(
            data_dir=data_dir,
            clock=clock,
            notifier=RecordingNotifier(),
            speaker=Speaker(record_to=speech_wav),
        )
        app._run_prepare()
        running.append(app)
        driver = UiDriver(app)
        driver.settle()
        return driver

    yield start
    failed = getattr(request.node, "report_call", None)
    if running:
        if failed is not None and failed.failed:
            UiDriver(running[0]).screenshot(FAILURE_SHOTS / f"{request.node.name}.png")
        stop_app(running.pop())


def stop_app(app: FacetCompanionApp) -> None:
    """Stop the app but keep Kivy's one window for the next test."""
    app.dispatch("on_stop")
    for child in list(Window.children):
        Window.remove_widget(child)
    App._running_app = None
