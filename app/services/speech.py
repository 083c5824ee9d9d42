"""Reading aloud: one speaker for the whole app (Read aloud buttons, reminders, "Try it").

Which voice speaks:
- On a Linux desktop, `espeak-ng` when it is installed: run as a process of our own, so it can be
  stopped (the process is killed) and given the Spanish voice (`-v es`) when the app is in Spanish.
  Debian and Ubuntu ship `espeak-ng` without the old `espeak` name, which is all plyer looks for.
- Otherwise plyer's text-to-speech: Android, iOS, macOS (`say`), Windows, and Linux with `espeak`
  or `flite` but no `espeak-ng`. plyer's call cannot be interrupted: `stop` then only stops
  waiting for it, and it speaks in the system's own language.
- Nothing at all (Linux without any of the three): `speak` says so by returning None, and nothing
  reports "done".

Speech runs on a thread of its own, so the window never waits for a voice. A new reading stops the
one before it. Whoever started a reading hears how it ended through `on_end(utterance)`, called on
the speaking thread (or in `stop`'s caller), with `utterance.outcome` one of FINISHED, STOPPED,
FAILED.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app import i18n
from app.i18n import N_

log = logging.getLogger(__name__)

ESPEAK_NG = "espeak-ng"
PLYER = "plyer"
FINISHED, STOPPED, FAILED = "finished", "stopped", "failed"
# espeak-ng's voice for each of the app's languages.
ESPEAK_VOICES = {"en": "en", "es": "es"}
UTF8_INPUT = "1"  # espeak-ng -b 1: the text on stdin is UTF-8 (accents in Spanish)

# Shown where the patient asked to hear a page. Plain words, and what to do about it.
NO_VOICE = N_(
    "This device has no voice installed for reading aloud. Whoever looks after this "
    "device can add one (on Linux, the espeak-ng package). Everything is still "
    "written on the page."
)
DID_NOT_WORK = N_(
    "Reading aloud did not work on this device just now. Everything is still written on the page."
)

# Kivy markup tags and the articles' **bold** marks: never read out.
_MARKUP = re.compile(
    r"\[/?(?:b|i|u|s|sub|sup|color|size|font|font_family|ref|anchor)"
    r"(?:=[^\]]*)?\]"
)
_ENDS_A_SENTENCE = (".", "!", "?", ":", ";", "…")


def spoken_text(parts: Iterable[str]) -> str:
    """The parts of a page as one text to read: in the order given, empty ones left out, without
    markup, each ending as a sentence so that a heading is not run into the line after it."""
    lines = []
    for part in parts:
        line = " ".join(_MARKUP.sub("", part or "").replace("**", "").split())
        if line:
            lines.append(line if line.endswith(_ENDS_A_SENTENCE) else line + ".")
    return "\n".join(lines)


def on_linux_desktop() -> bool:
    """Linux, not Android (python-for-android sets ANDROID_ARGUMENT, as Kivy checks)."""
    return sys.platform.startswith("linux") and "ANDROID_ARGUMENT" not in os.environ


@dataclass(eq=False)
class Utterance:
    """One reading: `outcome` is None while it speaks."""

    text: str
    engine: str
    on_end: Callable[[Utterance], None] | None = None
    outcome: str | None = None
    process: subprocess.Popen | None = None
    _ended: threading.Event = field(default_factory=threading.Event)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def end(self, outcome: str) -> None:
        """The first ending counts (a stop beats the killed process's exit status)."""
        with self._lock:
            if self.outcome is not None:
                return
            self.outcome = outcome
        self._ended.set()
        if self.on_end is not None:
            try:
                self.on_end(self)
            except Exception:
                log.exception("Read aloud: the end of a reading could not be told")

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)


class Speaker:
    """`record_to`: espeak-ng writes the speech to that WAV file instead of the sound card
    (for tests, and to check a voice where no loudspeaker is)."""

    def __init__(
        self, *, record_to: Path | None = None, language: Callable[[], str] = i18n.language
    ) -> None:
        self.record_to = record_to
        self.language = language
        self._current: Utterance | None = None
        self._lock = threading.Lock()

    def engine(self) -> str | None:
        """What would speak now: ESPEAK_NG, PLYER, or None when this device has no voice."""
        if on_linux_desktop():
            if shutil.which(ESPEAK_NG):
                return ESPEAK_NG
            # plyer's Linux backends run these two programs and nothing else.
            return PLYER if shutil.which("espeak") or shutil.which("flite") else None
        return PLYER

    def espeak_command(self, program: str) -> list[str]:
        """espeak-ng reading stdin in the app's language (English when there is no voice for
        it), to the sound card or to `record_to`."""
        voice = ESPEAK_VOICES.get(self.language(), ESPEAK_VOICES["en"])
        command = [program, "-v", voice, "-b", UTF8_INPUT]
        if self.record_to is not None:
            command += ["-w", str(self.record_to)]
        return command

    def speak(
        self, text: str, on_end: Callable[[Utterance], None] | None = None
    ) -> Utterance | None:
        """Start reading `text` aloud, stopping any reading before it. None (and no `on_end`)
        when this device has no voice; otherwise the reading, already under way."""
        engine = self.engine()
        if engine is None:
            return None
        self.stop()
        utterance = Utterance(text, engine, on_end)
        with self._lock:
            self._current = utterance
        target = self._run_espeak if engine == ESPEAK_NG else self._run_plyer
        threading.Thread(
            target=target, args=(utterance,), daemon=True, name="facet-read-aloud"
        ).start()
        return utterance

    @property
    def speaking(self) -> bool:
        current = self._current
        return current is not None and current.outcome is None

    def stop(self) -> None:
        """Stop the reading under way, if any: its espeak-ng process is killed."""
        with self._lock:
            current, self._current = self._current, None
        if current is None or current.outcome is not None:
            return
        current.end(STOPPED)  # first, so the kill's exit status is not taken for a failure
        with current._lock:
            process = current.process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the reading under way to end; True when none is left."""
        current = self._current
        return current is None or current.wait(timeout)

    def _run_espeak(self, utterance: Utterance) -> None:
        program = shutil.which(ESPEAK_NG)
        with utterance._lock:
            if utterance.outcome is not None or program is None:  # stopped before it began
                if utterance.outcome is None:
                    self._failed(utterance, f"{ESPEAK_NG} is no longer on the PATH")
                return
            try:
                process = subprocess.Popen(
                    self.espeak_command(program),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            except OSError as error:
                self._failed(utterance, f"{ESPEAK_NG} could not start: {error}")
                return
            utterance.process = process
        try:
            _, errors = process.communicate(utterance.text.encode("utf-8"))
        except (OSError, ValueError) as error:  # the pipe closed under a stop
            errors = str(error).encode()
        if process.returncode == 0:
            utterance.end(FINISHED)
        elif utterance.outcome is None:
            self._failed(
                utterance,
                f"{ESPEAK_NG} exited with {process.returncode}: "
                f"{errors.decode('utf-8', 'replace').strip()}",
            )

    def _run_plyer(self, utterance: Utterance) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from plyer import tts

                tts.speak(message=utterance.text)
        except Exception as error:
            self._failed(utterance, f"plyer text-to-speech: {type(error).__name__}: {error}")
            return
        utterance.end(FINISHED)

    @staticmethod
    def _failed(utterance: Utterance, problem: str) -> None:
        log.warning("Read aloud did not work: %s", problem)
        utterance.end(FAILED)
