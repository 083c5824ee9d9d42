"""The care pathway as a new patient meets it: the guide by touch, the timeline, the checklist."""

import itertools
import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from kivy.core.window import Window
from kivy.uix.label import Label

from app.domain.checklists import step_mark_id
from app.domain.plan import validate_procedure
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from app.ui.screens.timeline import ROW_ROOM, TimelineRow, TodayMarkerRow
from app.ui.theme import LARGEST_TEXT_SCALE


def plan_on_disk(data_dir):
    db = open_database(data_dir)
    return PlanRepository(db), SettingsRepository(db)


def tap_times(ui, text, times, root=None):
    for _ in range(times):
        ui.tap(ui.find_text(text, root))


def test_first_run_guide_by_touch_builds_the_timeline_and_ticks_survive_a_restart(
    start_app, data_dir
):
    ui = start_app(first_run=True)
    assert ui.screen.name == "guide"
    ui.tap_text("Set up my plan")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Lower back")
    ui.tap_text("Right")
    ui.tap_text("Next")
    ui.settle()
    picker = ui.screen.ids.when_test_block
    # The clock says Saturday 28 November 2026, 15:30 in London; the picker starts a week on, 09:00.
    assert picker.summary == "Saturday 5 December, 09:00"
    ui.tap(ui.find_text("1 week later", picker))
    plus = [w for w in ui.widgets(picker) if getattr(w, "text", "") == "+"]
    ui.tap(plus[1])  # hour: 10
    assert picker.summary == "Saturday 12 December, 10:00"
    ui.tap_text("Next")
    ui.settle()
    ui.type_into(ui.screen.ids.clinic_name, "Riverside Spine Clinic")
    ui.type_into(ui.screen.ids.clinic_phone, "555 0100")
    ui.type_into(ui.screen.ids.driver_name, "Maria")
    ui.type_into(ui.screen.ids.driver_phone, "555 0142")
    ui.tap_text("Save my plan")
    ui.settle()
    assert "Your plan is ready" in ui.visible_texts()

    plan, settings = plan_on_disk(data_dir)
    [procedure] = plan.procedures()
    assert (procedure.kind, procedure.region, procedure.side) == ("test-block", "lumbar", "right")
    assert procedure.local_at == datetime(2026, 12, 12, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert plan.driver().name == "Maria" and settings.clinic().phone == "555 0100"

    ui.tap_text("See my timeline")
    ui.settle()
    assert ui.screen.name == "timeline"
    rows = ui.screen.ids.path.data
    milestone = next(row for row in rows if row.get("milestone"))
    assert (milestone["day"], milestone["time"]) == ("Saturday 12 December", "10:00")
    marker = next(i for i, row in enumerate(rows) if row["viewclass"] == "TodayMarkerRow")
    assert all(not row["past"] for row in rows[marker + 1 :])

    ui.app.navigator.go("checklist")
    ui.settle()
    told = ui.find_text(
        "Your driver knows the day, the time and the address, and that they may "
        "have to wait for you."
    )
    ui.tap(told.parent)
    assert plan.marks(procedure.id)["ride-driver-told"].checked

    ui = start_app()  # restart
    ui.app.navigator.go("checklist")
    ui.settle()
    told = ui.find_text(
        "Your driver knows the day, the time and the address, and that they may "
        "have to wait for you."
    )
    assert told.parent.checked


def test_the_guide_refuses_a_missing_choice_and_explains_it(start_app):
    ui = start_app(first_run=True)
    ui.tap_text("Set up my plan")
    ui.tap_text("Next")
    ui.settle()
    texts = ui.visible_texts()
    assert "Tap at least one procedure your clinic has booked for you." in texts
    assert "Choose the lower back or the neck." in texts
    assert ui.screen.page == 1


def test_a_step_can_be_marked_done_and_shows_as_done_on_the_timeline(start_app, clock, data_dir):
    ui = start_app(first_run=True)
    ui.tap_text("Not now: just the pain diary")
    ui.settle()
    plan, _settings = plan_on_disk(data_dir)
    procedure = plan.add_procedure(
        validate_procedure(
            {"kind": "rfa", "region": "cervical", "side": "both", "at": "2026-12-20T11:00"},
            now=clock.now(),
            zone=clock.zone(),
        )
    )
    ui.app.navigator.go("timeline")
    ui.settle()
    first = next(row for row in ui.screen.ids.path.data if row.get("step_id"))
    ui.screen.open_step(first["procedure_id"], first["step_id"])
    ui.settle()
    ui.tap_text("Mark this step as done")
    assert plan.marks(procedure.id)[step_mark_id(first["step_id"])].checked
    ui.press_escape()
    ui.settle()
    row = next(r for r in ui.screen.ids.path.data if r.get("step_id") == first["step_id"])
    assert row["done"]


def plan_a_block_and_an_ablation(data_dir, clock) -> None:
    plan, _settings = plan_on_disk(data_dir)
    for kind, at in (("test-block", "2026-11-20T10:00"), ("rfa", "2026-12-12T10:00")):
        plan.add_procedure(
            validate_procedure(
                {"kind": kind, "region": "lumbar", "side": "both", "at": at},
                now=clock.now(),
                zone=clock.zone(),
            )
        )


def rows_down_the_path(ui, path):
    """Every row the patient sees scrolling down the whole path, half a view at a time."""
    steps = math.ceil(2 * sum(row["height"] for row in path.data) / path.height)
    for stop in range(steps + 1):
        path.scroll_y = 1 - stop / steps
        ui.pump(frames=3)
        yield from (w for w in ui.widgets(path) if isinstance(w, (TimelineRow, TodayMarkerRow)))


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_timeline_rows_hold_their_whole_date_and_title_at_the_largest_text(
    start_app, clock, data_dir, size
):
    plan_a_block_and_an_ablation(data_dir, clock)
    ui = start_app(size=size)
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("timeline")
    ui.settle()
    screen, path = ui.screen, ui.screen.ids.path
    buttons = (screen.ids.heading, screen.ids.checklist_button, screen.ids.change_plan)
    for first, second in itertools.combinations(buttons, 2):
        assert not first.collide_widget(second), (first.text, second.text)
    assert all(button.right <= size[0] + 1 for button in buttons)
    seen = set()
    for row in rows_down_the_path(ui, path):
        labels = [w for w in ui.widgets(row) if isinstance(w, Label) and w.text]
        for label in labels:
            assert not label.shorten
            assert label.texture_size[1] <= label.height + 1, label.text
            assert row.y - 1 <= label.y and label.top <= row.top + 1, label.text
        seen.add(row.title if isinstance(row, TimelineRow) else row.text)
    titles = {row.get("title") for row in path.data if row["viewclass"] == "TimelineRow"}
    assert titles <= seen  # every row was looked at


def rows_not_as_tall_as_their_words(ui) -> dict:
    """Rows whose height is not their words' plus the row's room: title -> (height, needed)."""
    wrong = {}
    for row in rows_down_the_path(ui, ui.screen.ids.path):
        if isinstance(row, TimelineRow):
            words = max(row.ids.date_box.height, row.ids.words_box.height, ui.app.theme.touch)
            if abs(row.height - words - ROW_ROOM) > 1:
                wrong[row.title] = (row.height, words + ROW_ROOM)
    return wrong


def test_after_the_tablet_turns_each_timeline_row_is_as_tall_as_its_words(
    start_app, clock, data_dir
):
    """Rows are measured again at the new width: none keeps a height from the old one (its
    words cut, or a gap under them)."""
    plan_a_block_and_an_ablation(data_dir, clock)
    ui = start_app(size=(800, 1280))
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("timeline")
    ui.settle()
    for size in ((1280, 800), (800, 1280), (1280, 800)):
        Window.size = size  # the tablet turned
        ui.settle()
        wrong = rows_not_as_tall_as_their_words(ui)
        assert not wrong, f"at {size}, rows' heights against their words': {wrong}"


def test_timeline_rows_follow_a_text_size_chosen_while_away(start_app, clock, data_dir):
    """Heights kept from an earlier open are for that text size only."""
    plan_a_block_and_an_ablation(data_dir, clock)
    ui = start_app()
    ui.app.navigator.go("timeline")
    ui.settle()
    normal = [row["height"] for row in ui.screen.ids.path.data]
    ui.app.navigator.home()
    ui.settle()
    ui.app.theme.text_scale = LARGEST_TEXT_SCALE
    ui.app.navigator.go("timeline")
    ui.settle()
    assert sum(row["height"] for row in ui.screen.ids.path.data) > 1.5 * sum(normal)
    assert not rows_not_as_tall_as_their_words(ui)


def today_in_view(ui) -> tuple[float, float]:
    """How far below the list's top Today's marker starts, and how far above its bottom it
    ends, in pixels (negative: cut off)."""
    path = ui.screen.ids.path
    marker = next(w for w in ui.widgets(path) if isinstance(w, TodayMarkerRow))
    _x, list_bottom = path.to_window(*path.pos)
    _x, marker_bottom = marker.to_window(*marker.pos)
    return (
        round(list_bottom + path.height - marker_bottom - marker.height),
        round(marker_bottom - list_bottom),
    )


@pytest.mark.parametrize(
    ("size", "scale"),
    [((1280, 800), 1.0), ((800, 1280), LARGEST_TEXT_SCALE)],
    ids=["landscape", "portrait-largest-text"],
)
def test_the_timeline_opens_on_today_from_the_first_visit(start_app, clock, data_dir, size, scale):
    """Today's marker opens whole, near the top of the list, on the first visit as on every
    later one (the first visit used to open it cut off, or hundreds of pixels lower)."""
    plan_a_block_and_an_ablation(data_dir, clock)
    ui = start_app(size=size)
    ui.app.theme.text_scale = scale
    ui.settle()
    places = []
    for _visit in range(2):
        ui.tap_text("Timeline")
        ui.wait_for_screen("timeline")
        places.append(today_in_view(ui))
        ui.press_escape()
        ui.wait_for_screen("today")
    first, later = places
    assert first == later
    assert first[0] >= 0 and first[1] >= 0, f"Today's marker is cut off: {first}"


def test_step_and_article_pages_built_afresh_show_a_page_not_an_error(start_app, clock, data_dir):
    """After a language change or a kiosk session the navigator builds its pages again: opened
    without a step or an article, they show the plan's next step and the first article."""
    plan, _settings = plan_on_disk(data_dir)
    plan.add_procedure(
        validate_procedure(
            {"kind": "rfa", "region": "lumbar", "side": "both", "at": "2026-12-12T10:00"},
            now=clock.now(),
            zone=clock.zone(),
        )
    )
    ui = start_app()
    ui.app.navigator.go("timeline")
    ui.settle()
    rows = ui.screen.ids.path.data
    today = next(i for i, row in enumerate(rows) if row["viewclass"] == "TodayMarkerRow")
    upcoming = [row for row in rows[today:] if row.get("step_id")]  # due from now on
    ui.app.navigator.forget_other_screens()
    ui.app.navigator.go("step")
    ui.settle()
    assert ui.screen.name == "step" and ui.screen.title == upcoming[0]["title"]
    ui.app.navigator.go("article")
    ui.settle()
    assert ui.screen.ids.view.title == "How the treatment works"
