"""The speaker: espeak-ng really speaks (into a WAV file here), in Spanish when the app is; no voice
is said plainly; a stop kills the process."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
import types
import wave
from pathlib import Path

import pytest

from app.services.notifier import PlyerNotifier
from app.services.speech import (
    ESPEAK_NG,
    FAILED,
    FINISHED,
    PLYER,
    STOPPED,
    Speaker,
    spoken_text,
)

needs_espeak_ng = pytest.mark.skipif(
    shutil.which(ESPEAK_NG) is None, reason="espeak-ng is not installed (dev.sh installs it)"
)
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="espeak-ng is the Linux voice"
)
SENTENCE = "Call your clinic today if the pain is much worse than before."
FRASE = "Llame hoy a su clínica si el dolor es mucho peor que antes."


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def loudest_sample(path: Path) -> int:
    with wave.open(str(path)) as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
    return max(
        abs(int.from_bytes(frames[i : i + 2], "little", signed=True))
        for i in range(0, len(frames), 2)
    )


def spoken(speaker: Speaker, text: str) -> str:
    ends = []
    utterance = speaker.speak(text, on_end=lambda u: ends.append(u.outcome))
    assert utterance is not None and utterance.engine == ESPEAK_NG
    assert utterance.wait(30), "espeak-ng did not finish"
    assert ends == [FINISHED]
    return utterance.outcome


def fake_program(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def wait_for(path: Path, seconds: float = 10) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and path.read_text(encoding="utf-8").strip():
            return path.read_text(encoding="utf-8")
        time.sleep(0.02)
    raise AssertionError(f"{path} was not written")


# --- with espeak-ng: the speech is really produced --------------------------------------------


@linux_only
@needs_espeak_ng
def test_espeak_ng_speaks_a_sentence_into_a_wav_of_the_length_of_speech(tmp_path):
    wav = tmp_path / "speech.wav"
    speaker = Speaker(record_to=wav, language=lambda: "en")
    assert speaker.engine() == ESPEAK_NG
    assert spoken(speaker, SENTENCE) == FINISHED
    # Eleven words at espeak-ng's 175 words a minute: about four seconds, and not silence.
    assert 2.0 < wav_seconds(wav) < 8.0
    assert loudest_sample(wav) > 3000


@linux_only
@needs_espeak_ng
def test_in_spanish_the_spanish_voice_reads(tmp_path):
    english, spanish = tmp_path / "en.wav", tmp_path / "es.wav"
    spoken(Speaker(record_to=english, language=lambda: "en"), FRASE)
    spanish_speaker = Speaker(record_to=spanish, language=lambda: "es")
    assert spanish_speaker.espeak_command(ESPEAK_NG)[1:3] == ["-v", "es"]
    spoken(spanish_speaker, FRASE)
    assert 2.0 < wav_seconds(spanish) < 8.0 and loudest_sample(spanish) > 3000
    # The same words in the two voices are different sounds (the English voice spells
    # "clínica" and "peor" out its own way).
    assert english.read_bytes() != spanish.read_bytes()
    assert abs(wav_seconds(english) - wav_seconds(spanish)) > 0.05


@linux_only
@needs_espeak_ng
def test_the_language_is_looked_up_at_each_reading(tmp_path):
    language = ["en"]
    speaker = Speaker(record_to=tmp_path / "x.wav", language=lambda: language[0])
    assert "en" in speaker.espeak_command(ESPEAK_NG)
    language[0] = "es"
    assert "es" in speaker.espeak_command(ESPEAK_NG)


# --- stopping ---------------------------------------------------------------------------------


@linux_only
def test_stop_kills_the_espeak_ng_process_and_ends_the_reading_as_stopped(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_program(
        bin_dir,
        ESPEAK_NG,
        f'printf "%s\\n" "$@" > {tmp_path}/args\n'
        f"cat > {tmp_path}/text\n"
        f"echo $$ > {tmp_path}/pid\n"
        "exec sleep 60\n",
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    speaker = Speaker(language=lambda: "es")
    ends = []
    utterance = speaker.speak(
        spoken_text(["Hola", "**Llame** a [b]su clínica[/b]"]),
        on_end=lambda u: ends.append(u.outcome),
    )
    pid = int(wait_for(tmp_path / "pid"))
    assert wait_for(tmp_path / "args").split() == ["-v", "es", "-b", "1"]
    assert (tmp_path / "text").read_text(encoding="utf-8") == "Hola.\nLlame a su clínica."
    assert speaker.speaking

    speaker.stop()
    assert utterance.outcome == STOPPED and ends == [STOPPED]
    assert utterance.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, not left speaking
    assert not speaker.speaking
    speaker.stop()  # twice is harmless
    assert ends == [STOPPED]


@linux_only
def test_a_new_reading_stops_the_one_before(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, ESPEAK_NG, f"cat >> {tmp_path}/text\nexec sleep 60\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    speaker = Speaker()
    first = speaker.speak("One")
    wait_for(tmp_path / "text")
    second = speaker.speak("Two")
    assert first.outcome == STOPPED and second.outcome is None
    speaker.stop()
    assert second.outcome == STOPPED


# --- no voice, or a voice that fails: said, never "done" ---------------------------------------


@linux_only
def test_without_any_voice_speak_says_so_and_reports_nothing_done(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    speaker = Speaker()
    ends = []
    assert speaker.engine() is None
    assert speaker.speak("Hello", on_end=ends.append) is None
    time.sleep(0.1)
    assert ends == [] and not speaker.speaking
    speaker.stop()  # nothing to stop, no error


@linux_only
def test_an_espeak_ng_that_fails_ends_as_failed_not_finished(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, ESPEAK_NG, "cat >/dev/null\necho 'no voice es' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    utterance = Speaker().speak("Hola")
    assert utterance.wait(10) and utterance.outcome == FAILED


@linux_only
def test_with_only_the_old_espeak_plyer_speaks(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    fake_program(bin_dir, "espeak", "exit 0\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    heard = []
    plyer = types.ModuleType("plyer")
    plyer.tts = types.SimpleNamespace(speak=lambda **kw: heard.append(kw))
    monkeypatch.setitem(sys.modules, "plyer", plyer)
    utterance = Speaker().speak("Walk")
    assert utterance.engine == PLYER
    assert utterance.wait(10) and utterance.outcome == FINISHED
    assert heard == [{"message": "Walk"}]


def test_a_plyer_without_a_backend_ends_as_failed(monkeypatch):
    monkeypatch.setattr("app.services.speech.on_linux_desktop", lambda: False)  # Android, say

    def no_backend(**_kw):
        raise NotImplementedError()

    plyer = types.ModuleType("plyer")
    plyer.tts = types.SimpleNamespace(speak=no_backend)
    monkeypatch.setitem(sys.modules, "plyer", plyer)
    utterance = Speaker().speak("Walk")
    assert utterance.wait(10) and utterance.outcome == FAILED


@linux_only
def test_the_reminder_notifier_reads_through_the_speaker_and_says_when_it_cannot(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    notifier = PlyerNotifier()
    assert notifier.speak("Walk") is False
    assert notifier.last_error == "text-to-speech: LookupError: no voice installed"


def test_the_words_to_read_have_no_markup_and_each_part_ends_as_a_sentence():
    assert spoken_text(
        [
            "When to call",
            "",
            "Call **999** now!",
            "  [b]Fever[/b] or chills  ",
            "[color=ff0000]Red[/color] [1]",
        ]
    ) == ("When to call.\nCall 999 now!\nFever or chills.\nRed [1].")
