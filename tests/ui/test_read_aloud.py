"""Read aloud in a real window: the pages' own words, read by espeak-ng (into a WAV file here, see
conftest's speaker); the plain message when the device has no voice; the reading stopped when the
page changes and when the app stops."""

from __future__ import annotations

import os
import shutil
import stat
import time
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.plan import validate_procedure
from app.i18n import set_language
from app.services.speech import ESPEAK_NG, NO_VOICE
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.controls import AppButton
from app.ui.widgets.read_aloud import ReadAloud

SHOTS = Path(os.environ.get("FACET_SHOTS", "/tmp/shots-voice"))
BLOCK_AT = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


def add_block(data_dir, clock):
    plan = PlanRepository(open_database(data_dir))
    return plan.add_procedure(
        validate_procedure(
            {
                "kind": "test-block",
                "region": "lumbar",
                "side": "right",
                "at": "2026-11-28T16:00",
                "anaesthetic": "lidocaine",
            },
            now=clock.now(),
            zone=clock.zone(),
        )
    )


@pytest.fixture
def fake_espeak(tmp_path, monkeypatch):
    """An espeak-ng first on the PATH that writes down the text it is given, then "speaks" for a
    minute (the real one, into a WAV, is done in a moment: too soon to be stopped)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    program = folder / ESPEAK_NG
    program.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/args\n'
        f"cat > {tmp_path}/spoken.txt\necho $$ > {tmp_path}/pid\n"
        "exec sleep 60\n",
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def heard(folder: Path, seconds: float = 10) -> tuple[str, int]:
    """The text the fake espeak-ng was given, and its process id."""
    end = time.monotonic() + seconds
    pid_file = folder / "pid"
    while time.monotonic() < end:
        if pid_file.exists() and pid_file.read_text().strip():
            return (folder / "spoken.txt").read_text(encoding="utf-8"), int(pid_file.read_text())
        time.sleep(0.02)
    raise AssertionError("espeak-ng was not started")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def read_aloud(ui) -> ReadAloud:
    return ui.find(lambda w: isinstance(w, ReadAloud))


def button(widget: ReadAloud) -> AppButton:
    return widget.ids.button


def open_article(ui, article_id: str = "how-it-works"):
    ui.app.navigator.go("article", article_id=article_id)
    ui.settle()
    assert ui.screen.name == "article"


def open_when_to_call(ui):
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and w.kind == "call"))
    ui.settle()
    assert ui.screen.name == "when_to_call"


def shot(ui, name: str) -> Path:
    return ui.screenshot(SHOTS / f"{name}.png")


@pytest.mark.skipif(shutil.which(ESPEAK_NG) is None, reason="espeak-ng is not installed")
def test_when_to_call_is_spoken_by_espeak_ng_into_a_wav_as_long_as_its_words(start_app, speech_wav):
    ui = start_app()
    open_when_to_call(ui)
    widget = read_aloud(ui)
    assert button(widget).text == "Read aloud" and button(widget).height >= 48
    ui.tap(button(widget))
    assert ui.app.services.speech.wait(60), "espeak-ng did not finish"
    ui.pump(frames=3)
    with wave.open(str(speech_wav)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    words = len(" ".join(ui.screen.words_to_read()).split())
    # espeak-ng reads 175 words a minute: the whole page, not a sentence of it.
    assert words > 60 and words / 175 * 60 * 0.6 < seconds < words / 175 * 60 * 2
    assert button(widget).text == "Read aloud" and widget.message == ""


def test_an_article_is_read_in_order_without_markup_and_stops_when_the_page_is_left(
    start_app, fake_espeak
):
    ui = start_app()
    open_article(ui)
    widget = read_aloud(ui)
    ui.tap(button(widget))
    text, pid = heard(fake_espeak)
    assert button(widget).text == "Stop reading"
    lines = text.splitlines()
    # The title, then the paragraphs and headings as the page shows them; no bold marks.
    assert lines[:4] == [
        "How the treatment works.",
        "Your spine is a stack of bones. At the back of each level sits a pair of small joints, "
        "one on the left and one on the right. These are the facet joints. They let your neck "
        "and back bend and twist. Like a knee or a hip, they can wear with age and start to "
        "hurt.",
        "Each facet joint is wired to your brain by tiny nerves called medial branches. Think "
        "of them as the joint's phone line. When the joint hurts, these nerves carry the pain "
        "message.",
        "The treatment quiets those phone lines. It happens in three steps.",
    ]
    assert lines[4] == "Step 1: the test block."
    assert "*" not in text and "[b]" not in text

    ui.press_escape()  # Back to Today, where the article was opened from
    ui.settle()
    assert ui.screen.name == "today"
    assert gone(pid), "the reading went on after the page was left"
    assert button(widget).text == "Read aloud"


def test_stop_reading_the_kiosk_cover_and_a_closed_app_leave_no_voice_behind(
    start_app, fake_espeak
):
    ui = start_app()
    open_article(ui)
    widget = read_aloud(ui)
    ui.tap(button(widget))
    _, pid = heard(fake_espeak)
    ui.tap(button(widget))  # "Stop reading"
    assert gone(pid) and button(widget).text == "Read aloud"

    # The kiosk's privacy cover hides the page from the ears too.
    (fake_espeak / "pid").unlink()
    ui.tap(button(widget))
    _, pid = heard(fake_espeak)
    ui.app.kiosk.cover()
    assert gone(pid)
    ui.app.kiosk.uncover()
    ui.pump(frames=3)

    (fake_espeak / "pid").unlink()
    ui.tap(button(widget))
    _, pid = heard(fake_espeak)
    start_app()  # the first app stops (on_stop) before the second starts
    assert gone(pid)


def test_without_a_voice_the_page_and_try_it_say_so_in_plain_words(
    start_app, tmp_path, monkeypatch
):
    ui = start_app(size=(800, 1280))
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.settle()  # laid out again at the new size before anything is tapped
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no espeak-ng, espeak or flite
    open_when_to_call(ui)
    widget = read_aloud(ui)
    ui.tap(button(widget))
    assert NO_VOICE in ui.visible_texts()
    assert button(widget).text == "Read aloud" and not ui.app.services.speech.speaking
    ui.screen.ids.scroll.scroll_y = 1
    shot(ui, "when-to-call-no-voice-200-portrait")

    ui.app.navigator.go("reminders")
    ui.settle()
    ui.tap_text("Settings", ui.screen)
    ui.settle()
    ui.tap_text("Try it")
    assert NO_VOICE in ui.visible_texts()
    assert not any("reads a reminder" in text for text in ui.visible_texts())


def test_step_checklist_and_block_prompt_read_their_own_words(
    start_app, clock, data_dir, fake_espeak, monkeypatch
):
    from app.ui.app import FacetCompanionApp

    # The clock jumps to the prompt: no reminder window over the diary.
    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None)
    block = add_block(data_dir, clock)
    ui = start_app()
    pathway = ui.app.services.pathways.for_region("lumbar")

    def read_page() -> str:
        (fake_espeak / "pid").unlink(missing_ok=True)
        widget = read_aloud(ui)
        assert button(widget).height >= 48
        ui.tap(button(widget))
        text, _ = heard(fake_espeak)
        ui.tap(button(widget))  # stop
        return text

    step = pathway.steps[0]
    ui.app.navigator.go("step", procedure_id=block.id, step_id=step.id)
    ui.settle()
    text = read_page()
    assert text.splitlines()[0] == spoken_line(ui.screen.title)
    assert spoken_line(ui.screen.when) in text.splitlines()

    ui.app.navigator.go("checklist", procedure_id=block.id)
    ui.settle()
    lines = read_page().splitlines()
    assert lines[0] == spoken_line(ui.screen.heading)
    first_row = ui.screen._rows[0]
    assert spoken_line(first_row.item.text) in lines

    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    screen = ui.screen
    [side] = screen.area_rows["lower_back"].side_scores
    ui.tap(ui.find(lambda w: isinstance(w, AppButton) and getattr(w, "score", None) == 6, side))
    ui.tap_text("Save my usual pain")
    clock.set(BLOCK_AT + timedelta(minutes=16))
    ui.wait_until(lambda: screen.page == "prompt", "the prompt, at the page's next 1 s tick")
    ui.settle()
    lines = read_page().splitlines()
    assert lines[1:3] == [spoken_line(screen.heading), spoken_line(screen.subheading)]


def spoken_line(text: str) -> str:
    return text if text.endswith((".", "!", "?", ":", ";", "…")) else text + "."


def test_by_keyboard_in_spanish_the_spanish_voice_reads(start_app, fake_espeak):
    ui = start_app()
    set_language("es")
    try:
        open_article(ui)
        widget = read_aloud(ui)
        button(widget).focus = True
        ui.press_key(13)  # Enter, as on every AppButton
        text, pid = heard(fake_espeak)
        assert (fake_espeak / "args").read_text().split()[:2] == ["-v", "es"]
        assert widget.reading
        ui.press_key(32)  # Space: stop
        assert gone(pid) and not widget.reading
    finally:
        set_language("en")


@pytest.mark.parametrize("size", [(800, 1280), (1280, 800)], ids=["portrait", "landscape"])
def test_screenshots_of_the_button_at_the_largest_text(start_app, clock, data_dir, size):
    block = add_block(data_dir, clock)
    ui = start_app(size=size)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    name = "portrait" if size[1] > size[0] else "landscape"
    pages = [
        ("article", {"article_id": "how-it-works"}),
        ("when_to_call", {}),
        (
            "step",
            {
                "procedure_id": block.id,
                "step_id": ui.app.services.pathways.for_region("lumbar").steps[0].id,
            },
        ),
        ("checklist", {"procedure_id": block.id}),
        ("block_diary", {"procedure_id": block.id}),
    ]
    for page, context in pages:
        ui.app.navigator.go(page, **context)
        ui.settle()
        widget = read_aloud(ui)
        ui.scroll_into_view(widget)
        assert button(widget).height >= 48 and button(widget).right <= widget.right
        shot(ui, f"{page}-200-{name}")
