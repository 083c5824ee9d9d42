"""System notifications and read-aloud through plyer, which never crash the app or the agent.

plyer backends can be missing (no plyer, no notification service on this platform: ImportError,
NotImplementedError) or fail when called (a D-Bus error, no notification daemon, a missing
`notify-send`). `PlyerNotifier` catches all of that, logs it once per kind of failure, and says
whether the system notification went out; the in-app banner and inbox do not depend on it.
("Went out" means plyer accepted it: on Linux without python-dbus plyer runs `notify-send` and
does not look at its exit status, so a daemon that is missing there is not noticed.)

`RecordingNotifier` is the test double: it records what would have been shown or spoken, after
`delay` seconds (so a test can stop a process while a notification is being shown).
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.services.speech import FAILED, Speaker, Utterance

APP_NAME = "Facet Companion"
TIMEOUT_SECONDS = 10
log = logging.getLogger(__name__)


class Notifier(Protocol):
    def notify(self, title: str, message: str, *, tag: str | None = None) -> bool:
        """Show a system notification; True when it went out, False when it could not. `tag`
        names what is shown (a reminder's occurrence id) for logs and test doubles."""

    def speak(self, text: str) -> bool:
        """Start reading `text` aloud; True when speech started."""

    def close(self, timeout: float = 10.0) -> None:
        """Wait (up to `timeout` seconds) for speech still going on."""


class PlyerNotifier:
    def __init__(
        self,
        app_name: str = APP_NAME,
        timeout: int = TIMEOUT_SECONDS,
        speaker: Speaker | None = None,
    ) -> None:
        self.app_name = app_name
        self.timeout = timeout
        self.speaker = speaker or Speaker()  # the app passes its own, so screens can stop it
        self.last_error: str | None = None
        self._logged: set[str] = set()

    def notify(self, title: str, message: str, *, tag: str | None = None) -> bool:
        try:
            with warnings.catch_warnings():  # plyer warns when it falls back to notify-send
                warnings.simplefilter("ignore")
                from plyer import notification

                notification.notify(
                    title=title, message=message, app_name=self.app_name, timeout=self.timeout
                )
        except Exception as error:
            self._failed("notification", error)
            return False
        self.last_error = None
        return True

    def speak(self, text: str) -> bool:
        """Through the app's speaker (espeak-ng on Linux, plyer elsewhere), on its own thread.
        False when this device has no voice."""
        started = self.speaker.speak(text, on_end=self._spoken) is not None
        if not started:
            self._failed("text-to-speech", LookupError("no voice installed"))
        return started

    def _spoken(self, utterance: Utterance) -> None:
        if utterance.outcome == FAILED:
            self._failed("text-to-speech", RuntimeError("the voice did not speak"))

    def close(self, timeout: float = 10.0) -> None:
        self.speaker.wait(timeout)

    def _failed(self, what: str, error: BaseException) -> None:
        self.last_error = f"{what}: {type(error).__name__}: {error}"
        kind = f"{what}:{type(error).__name__}"
        if kind not in self._logged:  # once per kind, not once per reminder
            self._logged.add(kind)
            log.warning(
                "No system %s (%s: %s); reminders still show in the app.",
                what,
                type(error).__name__,
                error,
            )


@dataclass
class RecordingNotifier:
    """Does what a notifier does, into lists: `shown` (title, message) and `spoken` texts.
    `system` is what `notify` answers; with `log_path` each call is also appended to that file
    as one JSON line (for tests that run the agent as a process)."""

    system: bool = True
    log_path: Path | None = None
    delay: float = 0.0  # seconds a notification takes to show; a "notifying" line comes first
    shown: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str | None] = field(default_factory=list)
    spoken: list[str] = field(default_factory=list)

    def notify(self, title: str, message: str, *, tag: str | None = None) -> bool:
        if self.delay:
            self._log({"notifying": tag})
            time.sleep(self.delay)
        self.shown.append((title, message))
        self.tags.append(tag)
        self._log({"notify": [title, message], "tag": tag})
        return self.system

    def speak(self, text: str) -> bool:
        self.spoken.append(text)
        self._log({"speak": text})
        return True

    def close(self, timeout: float = 10.0) -> None:
        pass

    def _log(self, record: dict) -> None:
        if self.log_path is not None:
            with open(self.log_path, "a", encoding="utf-8") as file:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
