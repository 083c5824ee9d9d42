"""Kiosk mode in a real window: Escape, Android's back and the close request never leave; the
PIN pad locks after five wrong PINs, across a restart; the idle cover hides a score that was on
screen (checked in the screenshot's pixels); finishing a session leaves Today empty for the next
patient; Settings > Clinic kiosk sets it up."""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kivy.app import App
from kivy.core.window import Window
from PIL import Image

from app.domain.diary import AreaScore, PainEntry
from app.domain.patient import PatientDetails
from app.services.kiosk import KioskService
from app.store.block_diary_repository import PatientRepository
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.ui.kiosk_mode import COVER_NOTICE, KioskMode
from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.kiosk_cover import KioskCover

PIN = "482916"
SHOTS = Path(os.environ.get("FACET_SHOTS") or "/tmp/shots-kiosk")
# The clock (tests/ui/conftest.py) says Saturday 28 November 2026, 15:30 in London.


@pytest.fixture(autouse=True)
def keep_the_test_window(monkeypatch):
    """The test window keeps its size; a real kiosk start is full screen through Config."""
    monkeypatch.setattr(KioskMode, "controls_window", False)


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "clinic-reports"
    folder.mkdir()
    return folder


def set_up_kiosk(
    data_dir: Path,
    reports: Path,
    *,
    session_at: datetime | None = None,
    score: int | None = None,
    name: str = "",
) -> None:
    db = open_database(data_dir)
    kiosk = KioskService(db, data_dir)
    kiosk.set_up(PIN, PIN, reports_folder=reports)
    if session_at is not None:
        kiosk.start_session(now=session_at)
    if score is not None:
        DiaryRepository(db).add(
            PainEntry(
                score,
                session_at or datetime.now(UTC),
                "Europe/London",
                (AreaScore("lower_back", "left", score),),
                "",
                "",
                None,
                "KIOSK-NOTE",
            )
        )
    if name:
        PatientRepository(db).save(PatientDetails(name, None))
    db.close()


def type_pin(ui, pin: str) -> None:
    for digit in pin:
        ui.tap(key(ui, digit))
    ui.tap(key(ui, "Enter"))
    ui.settle()


def key(ui, text: str):
    return next(w for w in ui.screen.ids.pad.children if w.text == text)


def test_escape_back_and_the_close_request_never_leave(
    start_app, data_dir, reports, clock, monkeypatch
):
    set_up_kiosk(data_dir, reports, session_at=clock.now() - timedelta(minutes=10), score=6)
    ui = start_app()
    stopped = []
    monkeypatch.setattr(ui.app, "stop", lambda *a: stopped.append(True))
    assert ui.app.kiosk.active
    assert ui.app.kiosk.covered  # a restart with a session open comes back covered
    ui.tap(Window.children[0])
    ui.settle()
    assert not ui.app.kiosk.covered and ui.screen.name == "today"

    for _ in range(3):  # Escape and Android's back are the same key
        ui.press_escape()
        ui.settle()
    assert ui.screen.name == "today"
    assert ui.question() is None
    assert Window.dispatch("on_request_close") is True
    ui.settle()
    assert stopped == []
    assert ui.question() is None
    assert "This tablet stays in the app." in ui.app.banner.message

    # the patient's Settings show no staff part; the staff part asks the PIN
    ui.app.navigator.go("settings")
    ui.settle()
    assert not ui.screen.ids.staff_part.shown
    assert "Clinic name" not in ui.visible_texts()
    ui.tap(ui.screen.ids.for_staff)
    ui.settle()
    assert ui.screen.name == "kiosk_pin"
    type_pin(ui, PIN)
    assert ui.screen.name == "kiosk_staff"
    ui.tap_text("Close the app")
    assert stopped == [True]


def test_the_pin_pad_locks_after_five_wrong_pins_and_stays_locked_after_a_restart(
    start_app, data_dir, reports
):
    set_up_kiosk(data_dir, reports)
    ui = start_app()
    assert ui.screen.name == "kiosk_pin"  # no session: the tablet waits for staff
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "kiosk_pin"  # Escape and back lead nowhere from here
    pad = ui.screen
    type_pin(ui, "1234")
    assert len(pad.entered) == 0
    assert pad.message.startswith("That PIN is not right. 4 more tries")
    for _ in range(4):
        type_pin(ui, "111222")
    assert pad.locked
    assert pad.message == "After 5 wrong PINs in a row, PIN entry is locked until 15:35."
    assert key(ui, "5").disabled
    assert pad.ids.message.text == pad.message  # said on screen
    ui.screenshot(SHOTS / "pin-locked-1280x800.png")

    ui = start_app()  # a crash or restart: still kiosk, still locked
    assert ui.app.kiosk.active and ui.screen.name == "kiosk_pin"
    assert ui.screen.locked
    assert "locked until 15:35" in ui.screen.message


def test_typing_the_right_pin_opens_the_staff_page_and_dots_hide_the_digits(
    start_app, data_dir, reports
):
    set_up_kiosk(data_dir, reports)
    ui = start_app()
    for digit in PIN[:4]:
        ui.tap(key(ui, digit))
    assert ui.screen.ids.dots.count == 4
    assert not any(PIN[:4] in text for text in ui.visible_texts())
    ui.tap(key(ui, "Delete"))
    assert ui.screen.ids.dots.count == 3
    ui.screenshot(SHOTS / "pin-pad-1280x800.png")
    for digit in PIN[3:-1]:
        ui.tap(key(ui, digit))
    ui.press_key(ord(PIN[-1]), PIN[-1])  # a keyboard types the PIN too
    assert ui.screen.ids.dots.count == 6
    ui.press_key(13)  # Enter
    ui.settle()
    assert ui.screen.name == "kiosk_staff"
    assert ui.app.kiosk.staff_unlocked
    ui.press_escape()  # Back from the staff page locks it again
    ui.settle()
    assert ui.screen.name == "kiosk_pin" and not ui.app.kiosk.staff_unlocked


def test_the_cover_over_a_staff_page_left_open_returns_to_the_patient(
    start_app, data_dir, reports, clock
):
    set_up_kiosk(data_dir, reports, session_at=clock.now() - timedelta(minutes=5), score=4)
    ui = start_app()
    ui.tap(Window.children[0])
    ui.settle()
    ui.app.kiosk.show_pin_pad("staff")
    ui.settle()
    type_pin(ui, PIN)
    assert ui.screen.name == "kiosk_staff"
    ui.app.kiosk.idle_seconds = 0.3  # staff walk away with their page open
    ui.wait_until(lambda: ui.app.kiosk.covered, "the privacy cover after 0.3 s without a touch")
    ui.settle()
    assert ui.app.kiosk.covered and not ui.app.kiosk.staff_unlocked
    ui.app.kiosk.idle_seconds = 600
    ui.tap(Window.children[0])
    ui.settle()
    assert ui.screen.name == "today"  # the patient's page, not the staff page


def region_colours(path: Path, widget) -> Counter:
    """How often each colour shows in the screenshot where `widget` is (Kivy's y counts from
    below, the image's from above)."""
    image = Image.open(path).convert("RGB")
    x, y = widget.to_window(widget.x, widget.y)
    top = image.height - (y + widget.height)
    box = (int(x), int(top), int(x + widget.width), int(top + widget.height))
    crop = image.crop(box)
    return Counter(crop.getpixel((i, j)) for i in range(crop.width) for j in range(crop.height))


def test_the_idle_cover_hides_the_score_and_lets_reminders_through_without_words(
    start_app, data_dir, reports, clock
):
    set_up_kiosk(
        data_dir,
        reports,
        session_at=clock.now() - timedelta(minutes=10),
        score=7,
        name="Ana KIOSK-NAME",
    )
    ui = start_app()
    ui.tap(Window.children[0])  # lift the cover a restart brings
    ui.settle()
    today = ui.screen
    score = ui.find_text("Last logged: pain 7 out of 10, today, Saturday 28 November, 15:20")
    before = region_colours(ui.screenshot(SHOTS / "kiosk-before-cover.png"), score)
    card, _ = before.most_common(1)[0]
    dark_text = {colour for colour in before if sum(colour) < sum(card) - 300}
    assert dark_text, "the score is drawn in dark letters on the card"

    ui.app.kiosk.idle_seconds = 0.3
    ui.wait_until(lambda: ui.app.kiosk.covered, "the privacy cover after 0.3 s without a touch")
    ui.settle()
    assert ui.app.kiosk.covered
    cover = Window.children[0]
    assert isinstance(cover, KioskCover)
    after = region_colours(ui.screenshot(SHOTS / "kiosk-cover-1280x800.png"), score)
    # Where the score was: the cover's own colour, and neither the card nor its letters.
    cover_colour = tuple(round(c * 255) for c in ui.app.theme.primary_dark[:3])
    assert after.most_common(1)[0][0] == cover_colour
    assert not dark_text & set(after)  # (the card was white, like the cover's own words)
    assert cover.opacity == 1 and Window.children.index(cover) == 0
    cover_texts = [w.text for w in cover.walk() if hasattr(w, "text") and w.text]
    assert not any("7" in text or "KIOSK" in text for text in cover_texts), cover_texts

    # a reminder arrives: the cover says only that a question waits
    ui.app.banner.show(
        "Block diary: how is your pain? KIOSK-NOTE",
        seconds=30,
        action_text="Open",
        action=lambda: None,
    )
    ui.pump(frames=3)
    assert cover.notice == COVER_NOTICE
    assert Window.children[0] is cover  # the banner is under it
    ui.screenshot(SHOTS / "kiosk-cover-notice-1280x800.png")
    assert not any("KIOSK" in text for text in [w.text for w in cover.walk() if hasattr(w, "text")])
    ui.press_escape()  # nothing moves behind the cover
    assert ui.app.kiosk.covered and ui.screen is today

    ui.app.kiosk.idle_seconds = 600
    ui.tap(cover)
    ui.settle()
    assert not ui.app.kiosk.covered and cover.parent is None
    assert ui.screen is today
    assert "Open" in ui.visible_texts(ui.app.banner)  # the reminder itself, now the patient is here


def test_finishing_leaves_today_empty_for_the_next_patient(start_app, data_dir, reports, clock):
    set_up_kiosk(
        data_dir,
        reports,
        session_at=clock.now() - timedelta(hours=1),
        score=8,
        name="Ana KIOSK-NAME",
    )
    ui = start_app()
    ui.tap(Window.children[0])
    ui.settle()
    assert any("pain 8 out of 10" in text for text in ui.visible_texts())
    ui.app.kiosk.show_pin_pad("staff")
    ui.settle()
    type_pin(ui, PIN)
    staff = ui.screen
    assert staff.name == "kiosk_staff" and staff.session_open
    ui.screenshot(SHOTS / "staff-1280x800.png")
    ui.tap(staff.ids.finish)
    ui.settle()
    ui.tap_text("Finish and wipe", Window.children[0])
    ui.wait_until(lambda: not staff.busy, "the session to be finished and wiped")
    ui.settle()
    assert staff.result_ok, staff.result_text
    assert staff.progress == 100
    assert staff.result_text.startswith("Finished. The report is in ")
    ui.screenshot(SHOTS / "finish-1280x800.png")
    [session] = list(reports.iterdir())
    assert sorted(p.suffix for p in session.iterdir()) == [".db", ".pdf"]

    # the next patient, with the procedure entered by staff
    assert not staff.session_open and staff.ids.start_patient.get_root_window() is not None
    ui.tap_text("Test block")
    ui.type_into(staff.ids.patient_name, "Bea Next")
    ui.type_into(staff.ids.birth_date, "1961-13-01")
    ui.tap(staff.ids.start_patient)
    assert staff.errors["birth_date"].startswith("“1961-13-01” is not a date")
    staff.ids.birth_date.text = "1961-04-23"
    ui.tap(staff.ids.start_patient)
    ui.settle()
    assert ui.screen.name == "today"
    texts = ui.visible_texts()
    assert "Nothing logged yet. Your first entry takes three taps." in texts
    assert not any("pain 8" in text or "KIOSK" in text for text in texts), texts
    assert not ui.app.kiosk.staff_unlocked
    db = open_database(data_dir)
    assert PatientRepository(db).details().name == "Bea Next"  # the new patient's, for the report
    assert KioskService(db, data_dir).status(now=clock.now()).session_open
    db.close()


def test_settings_clinic_kiosk_sets_it_up_and_turns_it_on(start_app, data_dir, reports):
    ui = start_app()
    assert not ui.app.kiosk.active
    ui.app.navigator.go("settings")
    ui.settle()
    ui.tap(ui.screen.ids.clinic_kiosk)
    ui.settle()
    setup = ui.screen
    assert setup.name == "kiosk_setup"
    setup.ids.chooser.path = str(reports)
    ui.type_into(setup.ids.pin, PIN)
    ui.type_into(setup.ids.pin_again, "482917")
    ui.tap(setup.ids.save)
    assert setup.error == "The two PINs are not the same. Nothing was changed."
    assert not ui.app.kiosk.active
    ui.type_into(setup.ids.pin, PIN)
    ui.type_into(setup.ids.pin_again, PIN)
    ui.screenshot(SHOTS / "setup-1280x800.png")
    ui.tap(setup.ids.save)
    ui.settle()
    assert ui.app.kiosk.active and ui.screen.name == "kiosk_staff"
    db = open_database(data_dir)
    state = KioskService(db, data_dir).settings()
    db.close()
    assert (state.enabled, state.reports_folder) == (True, str(reports.resolve()))
    ui.tap_text("Leave kiosk mode")
    ui.tap_text("Leave kiosk mode", Window.children[0])
    ui.settle()
    assert not ui.app.kiosk.active and ui.screen.name == "today"


@pytest.mark.parametrize("size, scale", [((1280, 800), 1.0), ((800, 1280), LARGEST_TEXT_SCALE)])
def test_kiosk_screenshots(start_app, data_dir, reports, clock, size, scale):
    set_up_kiosk(data_dir, reports, session_at=clock.now() - timedelta(hours=1), score=5)
    ui = start_app(size=size)
    ui.app.theme.text_scale = scale
    name = f"{size[0]}x{size[1]}-{scale:g}"
    ui.pump(frames=4)
    ui.screenshot(SHOTS / f"cover-{name}.png")
    ui.tap(Window.children[0])
    ui.settle()
    ui.app.kiosk.show_pin_pad("staff")
    ui.settle()
    for digit in "123":
        ui.tap(key(ui, digit))
    type_pin(ui, "9")  # a wrong PIN: the message under the pad
    ui.screenshot(SHOTS / f"pin-{name}.png")
    type_pin(ui, PIN)
    ui.screenshot(SHOTS / f"staff-{name}.png")
    staff = ui.screen
    staff.finish()
    ui.wait_until(lambda: not staff.busy, "the session to be finished and wiped")
    ui.settle()
    assert staff.result_ok
    assert ui.app.theme.text_scale == 1.0  # the patient's text size went with their data
    ui.app.theme.text_scale = scale
    ui.pump(frames=4)
    staff.ids.scroll.scroll_to(staff.ids.result, padding=40, animate=False)
    ui.pump(frames=4)
    ui.screenshot(SHOTS / f"finish-{name}.png")
    ui.tap_text("Test block")
    staff.ids.scroll.scroll_y = 1
    ui.pump(frames=4)
    ui.screenshot(SHOTS / f"new-patient-{name}.png")
    ui.tap(staff.ids.start_patient)
    ui.settle()
    ui.app.theme.text_scale = scale
    ui.app.navigator.go("settings")
    ui.settle()
    assert not ui.screen.ids.staff_part.shown
    ui.screenshot(SHOTS / f"settings-patient-{name}.png")
    ui.app.navigator.go("reminders")
    ui.settle()
    ui.screenshot(SHOTS / f"reminders-patient-{name}.png")


def test_a_new_patient_without_a_procedure_gets_the_guide_and_cannot_change_the_clinic(
    start_app, data_dir, reports
):
    set_up_kiosk(data_dir, reports)
    ui = start_app()
    type_pin(ui, PIN)
    staff = ui.screen
    assert staff.name == "kiosk_staff" and not staff.session_open
    ui.tap(staff.ids.start_patient)  # "Not now" is chosen: the patient enters their plan
    ui.settle()
    guide = ui.screen
    assert guide.name == "guide"
    # The clinic's name and phone are the clinic's on a kiosk: shown, not changed by a patient.
    assert guide.ids.clinic_name.readonly and guide.ids.clinic_phone.readonly
    ui.press_escape()  # Back on the guide's first page does not leave the app
    ui.settle()
    assert App.get_running_app() is ui.app and ui.app.kiosk.active
