"""The Reminders screen by touch in a real window: what is coming grouped by day in local time,
the inbox with snooze, done and dismiss, the patient's own reminders, helpers, the calendar file
and the settings for quiet hours, night-time block prompts and the background agent.

The clock is in New York (UTC-5 in November), so a UTC time shown by mistake would be caught.
Screenshots of every section, landscape and portrait, go to $REMINDER_SHOTS when it is set.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from app.domain.plan import validate_procedure
from app.i18n import _, set_language
from app.services.clock import FixedClock
from app.services.notifier import RecordingNotifier
from app.services.reminder_service import ReminderService
from app.services.speech import NO_VOICE
from app.store.database import open_database
from app.store.files import DIARY_FOLDER
from app.store.plan_repository import PlanRepository
from app.store.reminder_occurrences import OccurrenceRepository
from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.controls import AppButton
from app.ui.widgets.folder_picker import FolderPickerRow
from app.ui.widgets.reminders_helpers import HelperRow
from app.ui.widgets.reminders_now import InboxCard
from app.ui.widgets.reminders_own import OwnRow
from tests.ui.app_window import NOW
from tests.ui.layout_check import layout_problems

ZONE = "America/New_York"
NEW_YORK = ZoneInfo(ZONE)
# Saturday 28 November 2026, 10:30 in New York. The test block is on Monday at 10:00.
BLOCK_AT = "2026-11-30T10:00"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, ZONE)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK)


def seed_block(data_dir, clock, at: str = BLOCK_AT):
    procedure = validate_procedure(
        {"kind": "test-block", "region": "lumbar", "side": "left", "at": at},
        now=clock.now(),
        zone=clock.zone(),
    )
    return PlanRepository(open_database(data_dir)).add_procedure(procedure)


def store(data_dir) -> OccurrenceRepository:
    return OccurrenceRepository(open_database(data_dir))


def open_reminders(ui, clock) -> ReminderService:
    """Open Reminders from Today by touch, once the app has started its reminder service."""
    ui.wait_for_reminders()
    services = ui.app.services
    if getattr(services, "reminders", None) is None:
        services.reminders = ReminderService(
            services.plan.db, clock, RecordingNotifier(), runner="app"
        )
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Reminders" and isinstance(w, AppButton)))
    ui.settle()
    assert ui.screen.name == "reminders"
    return services.reminders


def tab(ui, name: str) -> None:
    ui.tap(ui.screen.ids[f"tab_{name}"])
    ui.settle()
    assert ui.screen.section == name


def section(ui, name: str):
    return ui.screen.sections[name]


def section_of(app, name: str):
    return app.navigator.screen("reminders").sections[name]


def shown(ui, cls, root=None) -> list:
    return [w for w in ui.widgets(root or ui.screen) if isinstance(w, cls)]


def day_cards(ui) -> dict[str, list[tuple[str, str, str, str]]]:
    """Coming up as the patient sees it: day title -> (time, title, text, note) per row."""
    return {
        card.title: [
            (row.time_text, row.title, row.text, row.note)
            for row in reversed(card.ids.rows.children)
        ]
        for card in reversed(section(ui, "coming").ids.days.children)
    }


def card_with(ui, text: str) -> InboxCard:
    [card] = [c for c in shown(ui, InboxCard) if c.text == text]
    return card


def move_clock(clock, to: datetime) -> None:
    clock.advance(to - clock.now())


DAY_BEFORE = (
    "Your block is tomorrow. Check your ride, charge your phone and look at when to arrive."
)
HELPER_DAY_BEFORE = (
    "Tomorrow you are driving someone home from their back procedure. "
    "Check the time and the address."
)


# --- coming up -------------------------------------------------------------------------------


def test_coming_up_groups_the_next_two_weeks_by_day_in_local_time(start_app, clock, data_dir):
    seed_block(data_dir, clock)
    ui = start_app()
    open_reminders(ui, clock)
    assert ui.screen.section == "coming", "with nothing waiting, the screen opens on what is next"
    days = day_cards(ui)
    titles = list(days)
    assert titles[:3] == [
        "Tomorrow, Sunday 29 November",
        "Monday 30 November",
        "Tuesday 1 December",
    ]
    assert titles[-1] == "Friday 11 December", "14 days ahead, and no further"
    assert sorted(days["Tomorrow, Sunday 29 November"]) == [
        ("18:00", "For your helper", HELPER_DAY_BEFORE, ""),
        ("18:00", "Reminder", DAY_BEFORE, ""),
    ]
    monday = days["Monday 30 November"]
    assert [row[0] for row in monday] == [
        "08:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
        "17:00",
        "18:00",
        "20:00",
    ]
    assert monday[0][1] == "For your helper" and "must not drive home" in monday[0][2]
    assert monday[1][1] == "Block diary" and monday[1][2].startswith("15 minutes since your block")
    assert days["Tuesday 1 December"] == [
        (
            "19:00",
            "Block diary",
            "Day 1 after your block. How is your usual pain today? A quick score, please.",
            "",
        )
    ]
    texts = ui.visible_texts()
    assert "Tomorrow, Sunday 29 November" in texts and "For your helper" in texts


# --- now: the inbox --------------------------------------------------------------------------


def test_a_delivered_reminder_waits_in_now_then_snooze_done_and_dismiss(start_app, clock, data_dir):
    seed_block(data_dir, clock)
    ui = start_app()
    reminders = open_reminders(ui, clock)
    move_clock(clock, local("2026-11-29T18:00:20"))
    delivered = reminders.tick().delivered
    assert {r.occurrence.text for r in delivered} == {DAY_BEFORE, HELPER_DAY_BEFORE}

    tab(ui, "now")
    assert ui.screen.ids.tab_now.text == "Now (2)"
    patient = card_with(ui, DAY_BEFORE)
    assert (
        patient.title == "Reminder" and patient.when_text == "Came today, Sunday 29 November, 18:00"
    )
    assert card_with(ui, HELPER_DAY_BEFORE).title == "For your helper"

    ui.tap_text("Snooze…", patient)
    ui.tap_text("In 10 minutes", patient)
    record = store(data_dir).record(patient.record.id)
    assert record.state == "snoozed"
    assert record.snoozed_until == clock.now() + timedelta(minutes=10)
    assert (
        card_with(ui, DAY_BEFORE).when_text
        == "Snoozed: it comes back today, Sunday 29 November, 18:10"
    )
    assert any(
        "It comes back today, Sunday 29 November, 18:10" in t for t in ui.visible_texts(ui.app.root)
    )

    helper = card_with(ui, HELPER_DAY_BEFORE)
    ui.tap_text("Done", helper)
    assert store(data_dir).record(helper.record.id).state == "done"
    assert [c.text for c in shown(ui, InboxCard)] == [DAY_BEFORE]
    assert ui.screen.ids.tab_now.text == "Now (1)"

    clock.advance(timedelta(minutes=10))  # the snooze ends: it comes again
    again = reminders.tick().delivered
    assert [r.occurrence.text for r in again] == [DAY_BEFORE] and again[0].round == 2
    tab(ui, "now")
    patient = card_with(ui, DAY_BEFORE)
    assert patient.when_text == "Came today, Sunday 29 November, 18:10"
    ui.tap_text("Dismiss", patient)
    assert store(data_dir).record(patient.record.id).state == "dismissed"
    assert "Nothing is waiting for you right now." in ui.visible_texts()
    assert ui.screen.ids.tab_now.text == "Now"

    tab(ui, "history")
    rows = {
        row["line"]: row["state_text"]
        for row in section(ui, "history").ids.history.data
        if row["viewclass"] == "HistoryRow"
    }
    assert rows == {
        f"Reminder: {DAY_BEFORE}": "Dismissed today, Sunday 29 November, 18:10",
        f"For your helper: {HELPER_DAY_BEFORE}": "Done today, Sunday 29 November, 18:00",
    }
    assert "Dismissed today, Sunday 29 November, 18:10" in ui.visible_texts()
    headers = [
        row["text"]
        for row in section(ui, "history").ids.history.data
        if row["viewclass"] == "HistoryDayRow"
    ]
    assert headers == ["Today, Sunday 29 November"]


def test_the_screen_opens_on_now_when_something_is_waiting(start_app, clock, data_dir):
    seed_block(data_dir, clock)
    move_clock(clock, local("2026-11-29T18:00:20"))
    ui = start_app()
    ui.wait_for_reminders()  # the app's first tick delivers both 18:00 reminders
    open_reminders(ui, clock)
    assert ui.screen.section == "now"
    assert {c.text for c in shown(ui, InboxCard)} == {DAY_BEFORE, HELPER_DAY_BEFORE}


# --- own reminders ---------------------------------------------------------------------------


def test_an_own_reminder_added_by_touch_shows_in_coming_up_and_deleting_is_undoable(
    start_app, clock, data_dir
):
    ui = start_app()
    reminders = open_reminders(ui, clock)
    tab(ui, "own")
    own = section(ui, "own")
    assert "None yet. Add one below: your tablets, a stretch, a call to make." in ui.visible_texts()

    ui.tap_text("On one day", own)
    ui.tap(own.ids.hour.children[0].children[0])  # "+": 09 -> 10
    for _step in range(3):
        ui.tap(own.ids.minute.children[0].children[0])  # "+": 00 -> 15
    ui.tap_text("For my helper", own)
    ui.tap(own.ids.save)
    assert own.ids.text_error.text == "Please write what to remind you of."
    assert (own.ids.day.text, own.daily, own.hour, own.minute, own.audience) == (
        "Tomorrow, Sunday 29 November",
        False,
        10,
        15,
        "caregiver",
    ), "nothing chosen is lost on an error"

    ui.type_into(own.ids.text, "Collect the prescription")
    ui.tap(own.ids.save)
    assert own.ids.text_error.text == ""
    [saved] = reminders.own.all()
    assert (saved.text, f"{saved.at:%H:%M}", str(saved.on), saved.audience) == (
        "Collect the prescription",
        "10:15",
        "2026-11-29",
        "caregiver",
    )
    [row] = shown(ui, OwnRow)
    assert row.text == "Collect the prescription"
    assert "Sunday 29 November at 10:15 · For your helper" in ui.visible_texts()
    assert own.ids.text.text == "" and own.daily, "the form is ready for the next one"

    tab(ui, "coming")
    assert day_cards(ui)["Tomorrow, Sunday 29 November"] == [
        ("10:15", "For your helper", "Collect the prescription", "")
    ]

    tab(ui, "own")
    ui.tap_text("Delete", shown(ui, OwnRow)[0])
    assert reminders.own.all() == [] and shown(ui, OwnRow) == []
    ui.tap_text("Undo", ui.app.root)
    assert [r.text for r in reminders.own.all()] == ["Collect the prescription"]
    assert [r.text for r in shown(ui, OwnRow)] == ["Collect the prescription"]


def test_leaving_with_a_half_typed_reminder_asks_first(start_app, clock):
    ui = start_app()
    open_reminders(ui, clock)
    tab(ui, "own")
    ui.type_into(section(ui, "own").ids.text, "Walk")
    ui.press_escape()
    assert ui.screen.name == "reminders"
    question = ui.open_question()
    ui.tap_text("Keep editing", question)
    assert section(ui, "own").ids.text.text == "Walk"
    ui.press_escape()
    question = ui.open_question()
    ui.tap_text("Leave without saving", question)
    ui.settle()
    assert ui.screen.name == "today"
    assert section_of(ui.app, "own").ids.text.text == "", "the next visit starts afresh"


# --- helpers ---------------------------------------------------------------------------------


def test_helpers_are_added_by_touch_with_errors_at_their_fields_and_removed_with_undo(
    start_app, clock, data_dir
):
    ui = start_app()
    reminders = open_reminders(ui, clock)
    tab(ui, "helpers")
    helpers = section(ui, "helpers")
    ui.type_into(helpers.ids.name, "Sam Patel")
    ui.type_into(helpers.ids.phone, "call me")
    ui.type_into(helpers.ids.relation, "son")
    ui.tap(helpers.ids.save)
    assert helpers.ids.phone_error.text.startswith("Their phone number can hold only digits")
    assert helpers.ids.name_error.text == ""
    assert (helpers.ids.name.text, helpers.ids.relation.text) == ("Sam Patel", "son")
    assert reminders.helpers.all() == []

    helpers.ids.phone.text = ""
    ui.type_into(helpers.ids.phone, "+1 212 555 0100")
    ui.tap(helpers.ids.save)
    [sam] = reminders.helpers.all()
    assert (sam.name, sam.phone, sam.relation) == ("Sam Patel", "+1 212 555 0100", "son")
    [row] = shown(ui, HelperRow)
    assert (row.name, row.detail) == ("Sam Patel", "son, +1 212 555 0100")
    assert helpers.ids.name.text == "" and helpers.ids.phone_error.text == ""

    ui.type_into(helpers.ids.name, "Ana")
    ui.type_into(helpers.ids.phone, "0207 946 0001")
    ui.tap(helpers.ids.save)
    assert [h.name for h in reminders.helpers.all()] == ["Sam Patel", "Ana"]

    ui.tap_text("Remove", shown(ui, HelperRow)[0])
    assert [h.name for h in reminders.helpers.all()] == ["Ana"]
    ui.tap_text("Undo", ui.app.root)
    assert [h.name for h in reminders.helpers.all()] == ["Sam Patel", "Ana"]


# --- the calendar file -----------------------------------------------------------------------


def test_the_calendar_file_is_saved_in_a_folder_chosen_by_touch_and_reads_back(
    start_app, clock, data_dir, tmp_path
):
    seed_block(data_dir, clock)
    phone_folder = tmp_path / "For the phone"
    phone_folder.mkdir()
    (tmp_path / "a file, not a folder.txt").write_text("x")
    ui = start_app()
    reminders = open_reminders(ui, clock)
    reminders.add_own_reminder(
        {"text": "Stretch gently", "at": "11:00", "on": "", "audience": "patient"}
    )
    tab(ui, "calendar")
    calendar = section(ui, "calendar")
    chooser = calendar.ids.chooser
    chooser.path = str(tmp_path)
    ui.settle()
    names = [("(up)" if row.is_up else row.name) for row in shown(ui, FolderPickerRow)]
    assert names == ["data", "For the phone"], "folders only"
    ui.tap(next(r for r in shown(ui, FolderPickerRow) if r.name == "For the phone"))
    ui.settle()
    assert chooser.path == str(phone_folder)
    assert str(phone_folder) in ui.visible_texts()

    ui.tap(calendar.ids.save)
    saved = phone_folder / "facet-companion-reminders.ics"
    assert saved.is_file()
    assert calendar.result.startswith(f"Saved “facet-companion-reminders.ics” in {phone_folder}.")
    events = icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    summaries = {str(e["SUMMARY"]): e for e in events}
    assert "Stretch gently" in summaries
    assert summaries["Stretch gently"].decoded("DTSTART").astimezone(NEW_YORK).hour == 11
    assert DAY_BEFORE in summaries
    day_before = summaries[DAY_BEFORE].decoded("DTSTART").astimezone(NEW_YORK)
    assert (day_before.date().isoformat(), day_before.hour) == ("2026-11-29", 18)
    assert all(e.walk("VALARM") for e in events if str(e["SUMMARY"]) == DAY_BEFORE)
    assert HELPER_DAY_BEFORE not in summaries, "the helper's reminders go in their own file"

    # Saved again, the earlier file is kept and the new one takes the next name.
    ui.tap(calendar.ids.save)
    assert saved.read_bytes() and (phone_folder / "facet-companion-reminders (2).ics").is_file()
    assert calendar.result.startswith(
        f"Saved “facet-companion-reminders (2).ics” in {phone_folder}."
    )
    if os.environ.get("REMINDER_SHOTS"):
        ui.screenshot(Path(os.environ["REMINDER_SHOTS"]) / "calendar-second-copy.png")
    chooser.path = str(data_dir)  # the folder holding the diary: refused in words
    ui.settle()
    ui.tap(calendar.ids.save)
    assert calendar.error == DIARY_FOLDER
    assert not list(data_dir.glob("*.ics"))
    chooser.path = str(phone_folder)
    ui.settle()

    ui.tap_text("For my helper", calendar)
    ui.tap(calendar.ids.save)
    helper_file = phone_folder / "facet-companion-for-my-helper.ics"
    helper_events = icalendar.Calendar.from_ical(helper_file.read_bytes()).walk("VEVENT")
    assert HELPER_DAY_BEFORE in {str(e["SUMMARY"]) for e in helper_events}
    assert "2. Email the file to your helper as an attachment." in ui.visible_texts()


def test_a_folder_gone_since_it_was_chosen_is_explained_and_the_choice_kept(
    start_app, clock, tmp_path
):
    stick = tmp_path / "USB stick"
    stick.mkdir()
    ui = start_app()
    open_reminders(ui, clock)
    tab(ui, "calendar")
    calendar = section(ui, "calendar")
    calendar.ids.chooser.path = str(stick)
    ui.settle()
    stick.rmdir()
    stick.write_text("not a folder any more")  # unplugged, and something else took its name
    ui.tap(calendar.ids.save)
    assert calendar.error.startswith("The file could not be saved in this folder")
    assert calendar.result == "" and calendar.ids.chooser.path == str(stick)
    assert any(t.startswith("The file could not be saved") for t in ui.visible_texts())


# --- settings --------------------------------------------------------------------------------


def test_quiet_hours_hold_a_late_reminder_and_turning_them_off_lets_it_come_on_time(
    start_app, clock, data_dir
):
    ui = start_app()
    reminders = open_reminders(ui, clock)
    reminders.add_own_reminder(
        {"text": "Night tablets", "at": "22:00", "on": "2026-11-29", "audience": "patient"}
    )
    tab(ui, "coming")
    assert day_cards(ui) == {
        "Monday 30 November": [
            (
                "08:00",
                "Your reminder",
                "Night tablets",
                "Planned for tomorrow, Sunday 29 November, 22:00, held until 08:00 (quiet hours)",
            )
        ]
    }
    assert (
        "Planned for tomorrow, Sunday 29 November, 22:00, held until 08:00 (quiet hours)"
        in ui.visible_texts()
    )

    tab(ui, "settings")
    settings = section(ui, "settings")
    ui.tap(settings.ids.quiet_off)
    assert reminders.settings_store.reminder_settings().quiet_hours is False
    tab(ui, "coming")
    assert day_cards(ui) == {
        "Tomorrow, Sunday 29 November": [("22:00", "Your reminder", "Night tablets", "")]
    }

    tab(ui, "settings")
    ui.tap(settings.ids.quiet_on)
    for _step in range(4):  # quiet from 22:00
        ui.tap(settings.ids.quiet_start.children[0].children[0])
    saved = reminders.settings_store.reminder_settings()
    assert saved.quiet_hours and f"{saved.quiet_start:%H:%M}" == "22:00"
    tab(ui, "coming")
    assert day_cards(ui)["Monday 30 November"][0][3] == (
        "Planned for tomorrow, Sunday 29 November, 22:00, held until 08:00 (quiet hours)"
    )


def test_settings_save_as_they_change_and_a_bad_pair_is_refused_at_the_field(
    start_app, clock, speech_wav
):
    ui = start_app()
    reminders = open_reminders(ui, clock)
    tab(ui, "settings")
    settings = section(ui, "settings")
    ui.tap(settings.ids.silence_prompts)
    ui.tap_text("Only in their calendar", settings)
    assert reminders.settings_store.reminder_settings().block_prompts_silenced is True
    assert reminders.settings_store.reminder_settings().caregiver_here is False

    settings.quiet_end = settings.quiet_start  # as if stepped onto the start time
    ui.pump(frames=3)
    assert settings.ids.quiet_end_error.text == (
        "Quiet hours need an end time different from their start."
    )
    saved = reminders.settings_store.reminder_settings()
    assert f"{saved.quiet_end:%H:%M}" == "08:00", "nothing wrong is saved"
    ui.tap(settings.ids.quiet_end.children[0].children[0])
    assert settings.ids.quiet_end_error.text == ""
    assert f"{reminders.settings_store.reminder_settings().quiet_end:%H:%M}" == "21:15"

    ui.tap_text("Try it", settings)  # read by the app's speaker: espeak-ng, into a WAV here
    assert ui.app.services.speech.wait(30)
    if shutil.which("espeak-ng"):
        assert speech_wav.stat().st_size > 20_000  # a second or more of speech
    else:
        assert NO_VOICE in ui.visible_texts()


def test_the_background_agent_switch_writes_the_autostart_entry_and_says_when_it_ran(
    start_app, clock, data_dir, tmp_path, monkeypatch
):
    entry = tmp_path / "config" / "autostart" / "facet-companion-reminders.desktop"
    ui = start_app()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # after Kivy read it
    open_reminders(ui, clock)
    tab(ui, "settings")
    settings = section(ui, "settings")
    assert "The background reminders have not run on this device yet." in ui.visible_texts()
    ui.tap(settings.ids.autostart_on)
    assert entry.is_file() and "reminders run" in entry.read_text()
    assert f"--data-dir {data_dir}" in entry.read_text()
    assert settings.autostart_on
    assert settings.agent_text.startswith("The background reminders have not run yet.")

    agent = ReminderService(open_database(data_dir), clock, RecordingNotifier(), runner="agent")
    agent.tick(clock.now() - timedelta(minutes=2))
    tab(ui, "coming")
    tab(ui, "settings")
    assert (
        "The background reminders last ran today, Saturday 28 November, 10:28."
        in ui.visible_texts()
    )
    ui.tap(settings.ids.autostart_off)
    assert not entry.exists() and not settings.autostart_on


# --- every section, both ways up -------------------------------------------------------------


def reminders_with_every_kind(ui, clock, *, on: str, audience: str):
    """Reminders open with an own reminder ("Night tablets" at 22:00 `on`, for `audience`), a
    helper (Sam Patel) and, the clock moved to 18:00 the next day, a history to show."""
    reminders = open_reminders(ui, clock)
    reminders.add_own_reminder(
        {"text": "Night tablets", "at": "22:00", "on": on, "audience": audience}
    )
    reminders.add_caregiver({"name": "Sam Patel", "phone": "+1 212 555 0100", "relation": "son"})
    move_clock(clock, local("2026-11-29T18:00:20"))
    reminders.tick()
    return reminders


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_every_section_shows_in_landscape_and_portrait(start_app, clock, data_dir, tmp_path, size):
    seed_block(data_dir, clock)
    folders = tmp_path / "Pat"
    for name in ("Documents", "Downloads", "Music", "Pictures", "Videos"):
        (folders / name).mkdir(parents=True)
    ui = start_app(size=size)
    reminders_with_every_kind(ui, clock, on="", audience="patient")
    shots = os.environ.get("REMINDER_SHOTS")
    assert ui.screen.ids.tabs.cols == (7 if size[0] >= 1100 else 4)
    section(ui, "calendar").ids.chooser.path = str(folders)
    for name in ("now", "coming", "history", "own", "helpers", "calendar", "settings"):
        tab(ui, name)
        for other in ui.screen.ids.tabs.children:
            assert other.height >= 48 and other.texture_size[1] <= other.height
        if shots:
            ui.screenshot(Path(shots) / f"{name}-{size[0]}x{size[1]}.png")
    if shots:
        tab(ui, "own")
        section(ui, "own").ids.scroll.scroll_y = 0
        ui.settle()
        ui.screenshot(Path(shots) / f"own-form-{size[0]}x{size[1]}.png")
        tab(ui, "settings")
        section(ui, "settings").ids.scroll.scroll_y = 0
        ui.settle()
        ui.screenshot(Path(shots) / f"settings-end-{size[0]}x{size[1]}.png")
        tab(ui, "now")
        ui.tap_text("Snooze…", shown(ui, InboxCard)[0])
        ui.screenshot(Path(shots) / f"now-snooze-{size[0]}x{size[1]}.png")
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.settle()  # the tabs find their new arrangement before anyone touches them
    for name in ("now", "history", "calendar", "own"):
        tab(ui, name)
        for other in ui.screen.ids.tabs.children:
            assert other.texture_size[1] <= other.height
        if shots:
            ui.screenshot(Path(shots) / f"{name}-largest-{size[0]}x{size[1]}.png")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_every_section_at_twice_the_text_in_both_languages(
    start_app, clock, data_dir, size, language
):
    """The 200% walk (tests/ui/test_text_200.py) opens one section; this one opens all seven,
    with a waiting reminder, an own reminder, a helper and a history to show."""
    seed_block(data_dir, clock)
    ui = start_app(size=size)
    reminders_with_every_kind(ui, clock, on="2026-12-02", audience="caregiver")
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    set_language(language)
    try:
        navigator = ui.app.navigator
        navigator.go("learn")  # standing elsewhere, Reminders is built afresh in the language
        ui.settle()
        navigator.forget_other_screens()
        navigator.go("reminders")
        ui.settle()
        assert ui.screen.ids.tab_coming.text == {"en": "Coming up", "es": "Próximos"}[language]
        for name in ("now", "coming", "history", "own", "helpers", "calendar", "settings"):
            tab(ui, name)
            if name == "own":
                ui.tap_text(_("On one day"), section(ui, "own"))  # the day stepper shows
            if name == "now":
                ui.tap_text(_("Snooze…"), shown(ui, InboxCard)[0])  # the snooze choices show
            ui.settle()
            problems = layout_problems(ui.screen)
            assert not problems, f"{name}: " + "\n".join(problems)
    finally:
        set_language("en")
