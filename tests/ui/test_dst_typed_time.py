"""Daylight-saving changes in the guide's time picker: a time the clocks jump over shows the
domain's message with the two valid choices, keeps what was typed, saves nothing, and takes 03:00
once it is chosen; a time that happens twice says under the picker that it is the first one."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.clock import FixedClock
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.ui.theme import LARGEST_TEXT_SCALE

NEW_YORK = "America/New_York"
GAP_MESSAGE = (
    "02:30 does not exist on Sunday 14 March 2027: the clocks jump from 02:00 to "
    "03:00. Choose 01:59 or 03:00."
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2027, 3, 1, 17, 0, tzinfo=UTC), NEW_YORK)


def type_time(ui, picker, text: str) -> None:
    """Select what the field holds, type over it, and press Enter."""
    field = picker.ids.typed
    field.focus = True
    field.select_all()
    ui.pump(frames=1)
    field.delete_selection()
    ui.type_into(field, text)
    ui.press_key(13)  # Enter
    ui.settle()


def choose_day(ui, picker, words: str) -> None:
    day_plus = [w for w in ui.widgets(picker) if getattr(w, "text", "") == "+"][0]
    for _ in range(10):  # a tap the scroll view takes as a drag is tapped again
        if picker.summary.startswith(words):
            return
        ui.tap(day_plus)
    raise AssertionError(f"the picker never reached {words}: {picker.summary}")


def choose_the_spring_forward_night(ui):
    ui.tap_text("Set up my plan")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Lower back")
    ui.tap_text("Right")
    ui.tap_text("Next")
    ui.settle()
    picker = ui.screen.ids.when_test_block
    assert picker.summary == "Monday 8 March, 09:00"  # a week on, as the guide starts
    choose_day(ui, picker, "Sunday 14 March")
    type_time(ui, picker, "2:30")
    assert picker.summary == "Sunday 14 March, 02:30"
    return picker


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_a_time_the_clocks_jump_over_is_refused_on_screen_with_both_choices(
    start_app, data_dir, size
):
    ui = start_app(size=size, first_run=True)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.settle()
    picker = choose_the_spring_forward_night(ui)
    ui.tap_text("Next")
    ui.settle()
    assert ui.screen.page == 2  # still on the dates page
    message = ui.find_text(GAP_MESSAGE)
    assert message.texture_size[1] <= message.height + 1  # not cut at the largest text
    shots = os.environ.get("FACET_SHOTS")
    if shots:
        ui.screenshot(Path(shots) / f"guide-dst-gap-{size[0]}x{size[1]}.png")
    assert PlanRepository(open_database(data_dir)).procedures() == []

    type_time(ui, picker, "03:00")
    ui.tap_text("Next")
    ui.settle()
    assert GAP_MESSAGE not in ui.visible_texts()
    assert ui.screen.page == 3


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_a_time_that_happens_twice_says_it_is_the_first(start_app, clock, data_dir, size):
    clock.set(datetime(2027, 10, 25, 16, 0, tzinfo=UTC))
    ui = start_app(size=size, first_run=True)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.settle()
    ui.tap_text("Set up my plan")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Lower back")
    ui.tap_text("Right")
    ui.tap_text("Next")
    ui.settle()
    picker = ui.screen.ids.when_test_block
    choose_day(ui, picker, "Sunday 7 November")
    type_time(ui, picker, "1:30")
    note = (
        "01:30 happens twice on Sunday 7 November 2027, when the clocks go back. This is the "
        "first one, before the clocks go back."
    )
    assert ui.find_text(note).height > 0
    shots = os.environ.get("FACET_SHOTS")
    if shots:
        ui.screenshot(Path(shots) / f"guide-dst-twice-{size[0]}x{size[1]}.png")
    type_time(ui, picker, "3:30")
    assert note not in ui.visible_texts()
    type_time(ui, picker, "1:30")
    ui.tap_text("Next")
    ui.settle()
    assert ui.screen.page == 3
    ui.type_into(ui.screen.ids.clinic_name, "Riverside Spine Clinic")
    ui.type_into(ui.screen.ids.clinic_phone, "555 0100")
    ui.type_into(ui.screen.ids.driver_name, "Maria")
    ui.type_into(ui.screen.ids.driver_phone, "555 0142")
    ui.tap_text("Save my plan")
    ui.settle()
    [procedure] = PlanRepository(open_database(data_dir)).procedures()
    assert procedure.at == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)  # the first 01:30
