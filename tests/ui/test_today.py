"""Today as the patient meets it after the guide: one truth about the driver, the to-do list as
a list, steps whose date has passed first as "Do this now", dates that always say which day, and
the block diary's button and "Log pain" following an open question."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from app.domain.diary import validate_entry
from app.domain.plan import Contact, validate_procedure
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.ui.screens.today import DoNowButton
from app.ui.widgets.controls import AppButton

SHOTS = os.environ.get("FACET_SHOTS")
DRIVER = Contact("Maria Lopez", "07700 900123")
# The clock (tests/ui/conftest.py) says Saturday 28 November 2026, 15:30 in London.


def add_procedure(data_dir, clock, at: str, kind: str = "test-block"):
    plan = PlanRepository(open_database(data_dir))
    raw = {"kind": kind, "region": "lumbar", "side": "both", "at": at}
    if kind != "rfa":
        raw["anaesthetic"] = "lidocaine"
    return plan.add_procedure(validate_procedure(raw, now=clock.now(), zone=clock.zone()))


def set_driver(data_dir, driver=DRIVER) -> None:
    """What the guide saves when the patient names a driver."""
    PlanRepository(open_database(data_dir)).set_driver(driver)


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = ui.app.root_window.size
        orientation = "landscape" if width > height else "portrait"
        ui.screenshot(Path(SHOTS) / f"{name}-{orientation}.png")


def today_texts(ui) -> list[str]:
    return ui.visible_texts(ui.screen)


# --- the to-do list and the driver ---------------------------------------------------------------


def test_the_guides_driver_counts_on_today_and_is_offered_as_the_helper(start_app, clock, data_dir):
    add_procedure(data_dir, clock, "2026-12-01T10:00")
    set_driver(data_dir)
    ui = start_app()
    screen = ui.screen
    assert screen.ride_text == "Ride home: Maria Lopez, 07700 900123"
    assert "Who will drive you home" not in screen.open_text
    assert "driver's phone" not in screen.open_text
    lines = screen.open_text.splitlines()
    assert lines[0].startswith("Still to do (")
    assert all(line.startswith("•  ") for line in lines[1:]) and len(lines) >= 2
    assert ";" not in screen.open_text
    assert screen.open_text in today_texts(ui)

    # The checklist shows the same driver, already filled in.
    ui.tap_text("Checklist")
    ui.settle()
    assert ui.screen.name == "checklist"
    answers = [
        w.value
        for w in ui.widgets()
        if getattr(w, "item", None) is not None and getattr(w.item, "id", "") == "ride-driver-name"
    ]
    assert answers == ["Maria Lopez"]
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"
    assert "Who will drive you home" not in ui.screen.open_text

    # Reminders offers the driver as a helper instead of asking a third time.
    ui.wait_for_reminders()
    ui.tap(ui.find(lambda w: getattr(w, "title", "") == "Reminders" and isinstance(w, AppButton)))
    ui.settle()
    ui.tap(ui.screen.ids.tab_helpers)
    ui.settle()
    assert (
        "Add Maria Lopez as your helper? You named them as the person who drives you home."
        in ui.visible_texts()
    )
    ui.tap_text("Add them as my helper")
    [helper] = ui.app.services.reminders.helpers.all()
    assert (helper.name, helper.phone) == ("Maria Lopez", "07700 900123")
    assert not any(t.startswith("Add Maria Lopez as your helper") for t in ui.visible_texts())


def test_without_a_driver_the_list_asks_for_one(start_app, clock, data_dir):
    add_procedure(data_dir, clock, "2026-12-01T10:00")
    ui = start_app()
    assert ui.screen.ride_text == "Ride home: not arranged yet. You must not drive yourself."
    assert "•  Who will drive you home? Write their name." in ui.screen.open_text.splitlines()


# --- steps to do now --------------------------------------------------------------------------


def test_a_step_whose_date_passed_comes_first_on_today_as_do_this_now(start_app, clock, data_dir):
    add_procedure(data_dir, clock, "2026-12-01T10:00")  # 3 days ahead
    set_driver(data_dir)
    ui = start_app()
    screen = ui.screen
    buttons = [w for w in ui.widgets() if isinstance(w, DoNowButton)]
    assert buttons, "steps dated more than 3 days before the block are to do now"
    assert "Do this now" in today_texts(ui)
    title = ui.find_text(screen.next_text)
    first = buttons[-1]  # a BoxLayout keeps its first child last
    # First on Today: above the block's own title.
    assert first.to_window(*first.pos)[1] > title.to_window(*title.pos)[1]
    assert first.when.startswith("It was for ")
    shot(ui, "today-do-this-now")

    ui.tap(first)
    ui.settle()
    assert ui.screen.name == "step" and ui.screen.title == first.title
    assert ui.screen.when.endswith("ago): do this now")
    ui.tap(ui.screen.ids.done_button)
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"
    assert first.title not in [w.title for w in ui.widgets() if isinstance(w, DoNowButton)]

    # On the Timeline the steps still to do read "Do this now", not greyed as history.
    ui.tap_text("Timeline")
    ui.settle()
    rows = [row for row in ui.screen.ids.path.data if row["viewclass"] == "TimelineRow"]
    due_now = [row for row in rows if row["due_now"]]
    assert due_now and not any(row["past"] for row in due_now)
    assert first.title in [row["title"] for row in rows if not row["due_now"]]
    shot(ui, "timeline-around-today")


# --- dates ------------------------------------------------------------------------------------


def test_two_fridays_a_week_apart_never_read_alike_on_today_and_the_timeline(
    start_app, clock, data_dir
):
    add_procedure(data_dir, clock, "2026-12-04T09:30")  # next Friday
    DiaryRepository(open_database(data_dir)).add(
        validate_entry(
            {"score": 4, "at": clock.now() - timedelta(days=1)}, now=clock.now(), zone=clock.zone()
        )
    )
    ui = start_app()
    assert ui.screen.next_text == "Your test block: Friday 4 December, 09:30 (in 6 days)"
    assert (
        ui.screen.last_entry_text
        == "Last logged: pain 4 out of 10, yesterday, Friday 27 November, 15:30"
    )
    assert ui.screen.date_text == "Today, Saturday 28 November"

    ui.tap_text("Timeline")
    ui.settle()
    rows = [r for r in ui.screen.ids.path.data if r["viewclass"] == "TimelineRow"]
    days = {row["day"] for row in rows}
    assert "Friday 4 December" in days
    assert "Yesterday, Friday 27 November" in days  # the step 7 days before the block
    assert not any(day in ("Friday", "Yesterday", "Today", "Tomorrow") for day in days)
    marker = next(r for r in ui.screen.ids.path.data if r["viewclass"] == "TodayMarkerRow")
    assert marker["text"] == "Today, Saturday 28 November"


# --- the block diary from Today ----------------------------------------------------------------


@pytest.fixture
def block_with_baseline(data_dir, clock):
    """A test block today at 15:00 (the clock says 15:30), its usual pain saved."""
    from app.services.block_diary import BlockDiaryService

    block = add_procedure(data_dir, clock, "2026-11-28T15:00")
    BlockDiaryService(open_database(data_dir)).save_baseline(
        block.id,
        {"area": "lower_back", "side": "both", "score": 7},
        now=clock.now(),
        zone=clock.zone(),
    )
    return block


@pytest.fixture
def no_reminder_window(monkeypatch):
    """The reminder ticker would answer a due block prompt with its own window over Today."""
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None, raising=False)


def test_the_block_diary_button_follows_an_open_question(
    start_app, clock, data_dir, block_with_baseline, no_reminder_window
):
    # 15:30: the 30-minute question is open until its closing time.
    ui = start_app()
    text = ui.screen.block_diary_text
    assert text.startswith("Block diary: a question is open now, until ")
    ui.tap_text(text + "  ›")
    ui.settle()
    assert ui.screen.name == "block_diary" and ui.screen.page == "prompt"
    assert (
        ui.screen.block_text == "Test block, lower back, both sides: Today, Saturday 28 "
        "November, 15:00"
    )
    assert "score the pain you feel right now, not how it usually is" in ui.screen.subheading
    shot(ui, "block-diary-prompt")


def test_while_a_question_is_open_log_pain_leads_to_it(
    start_app, clock, data_dir, block_with_baseline, no_reminder_window
):
    ui = start_app()
    ui.tap_text("Log pain")
    ui.settle()
    assert ui.screen.name == "block_diary" and ui.screen.page == "prompt"
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "today"
    # 16:35: the one-hour question closed at 16:30 and the next opens at 17:00. With no
    # question open, "Log pain" is the everyday log again.
    clock.set(block_with_baseline.at + timedelta(minutes=95))
    ui.tap_text("Log pain")
    ui.settle()
    assert ui.screen.name == "log"


def test_the_button_turns_to_open_now_when_the_question_opens(
    start_app, clock, data_dir, block_with_baseline, no_reminder_window
):
    ui = start_app()
    services_block = ui.app.services.block_diary
    # The 30-minute question, open at 15:30, is answered: the button names the next one.
    services_block.answer(
        block_with_baseline.id,
        {"scores": [{"area": "lower_back", "side": "both", "score": 2}], "activity": "walking"},
        now=clock.now(),
        zone=clock.zone(),
    )
    ui.app.navigator.go("today")
    ui.settle()
    assert (
        ui.screen.block_diary_text
        == "Block diary: next question today, Saturday 28 November, 15:45"
    )
    # Time passes while Today stays on screen: the line follows without a tap.
    clock.set(block_with_baseline.at + timedelta(minutes=45, seconds=5))
    ui.screen.refresh_while_shown()  # what Today's 15-second poll runs
    assert ui.screen.block_diary_text.startswith("Block diary: a question is open now")
    ui.tap_text(ui.screen.block_diary_text + "  ›")
    ui.settle()
    assert ui.screen.name == "block_diary" and ui.screen.page == "prompt"
    assert ui.screen.heading == "45 minutes after your block"


def test_after_midnight_today_shows_the_new_day_without_a_tap(start_app, clock, data_dir):
    add_procedure(data_dir, clock, "2026-12-04T09:30")
    ui = start_app()
    assert ui.screen.date_text == "Today, Saturday 28 November"
    clock.set(clock.now().replace(hour=23, minute=59) + timedelta(minutes=2))  # 00:01 Sunday
    ui.screen.refresh_while_shown()  # what Today's 15-second poll runs
    assert ui.screen.date_text == "Today, Sunday 29 November"
    assert ui.screen.next_text == "Your test block: Friday 4 December, 09:30 (in 5 days)"
    assert ui.screen.greeting == "Good evening"
