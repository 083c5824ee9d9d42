"""Nothing typed is lost: Escape, Back and the window's close request on every screen with input,
the checklist saving a line as the patient goes, the medicine field keeping the keyboard, the
one folder picker with a typed path, and the mouse wheel. Touches and keys in a real window,
checked on screen and on disk."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from kivy.core.window import Window
from kivy.metrics import dp
from kivy.tests.common import UnitTestTouch
from kivy.uix.scrollview import ScrollView

from app.domain.plan import validate_procedure
from app.services.notifier import RecordingNotifier
from app.services.reminder_service import ReminderService
from app.store.block_diary_repository import BlockDiaryRepository, PatientRepository
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.ui.theme import LARGEST_TEXT_SCALE
from app.ui.widgets.checklist_item import ChecklistItemRow
from app.ui.widgets.confirm import ConfirmDialog
from app.ui.widgets.controls import AppButton, TopBar

SHOTS = os.environ.get("FACET_SHOTS")
ENTER = 13
LARGEST_TEXT = LARGEST_TEXT_SCALE


@pytest.fixture(autouse=True)
def no_reminder_ticker(monkeypatch):
    """No reminder banner or "while you were away" window over the screens tested here."""
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None)


@pytest.fixture
def stops(monkeypatch):
    """Record App.stop instead of ending the test run's one event loop."""
    from app.ui.app import FacetCompanionApp

    calls = []
    monkeypatch.setattr(FacetCompanionApp, "stop", lambda self, *args: calls.append(self))
    return calls


def add_block(data_dir, clock, at="2026-12-05T09:00"):
    plan = PlanRepository(open_database(data_dir))
    raw = {
        "kind": "test-block",
        "region": "lumbar",
        "side": "right",
        "at": at,
        "anaesthetic": "lidocaine",
    }
    return plan.add_procedure(validate_procedure(raw, now=clock.now(), zone=clock.zone()))


def question(ui) -> ConfirmDialog:
    return ui.open_question()


def no_question(ui) -> bool:
    return ui.question() is None


def answer(ui, text: str) -> None:
    ui.tap_text(text, question(ui))
    ui.settle()


def request_close(ui) -> bool:
    """What the title bar's X (or a desktop logging out) sends; True: the window stays open."""
    kept_open = Window.dispatch("on_request_close")
    ui.pump(frames=3)
    return bool(kept_open)


def top_bar(ui) -> TopBar:
    return ui.find(lambda w: isinstance(w, TopBar))


def checklist_row(ui, item_id: str) -> ChecklistItemRow:
    return ui.find(
        lambda w: isinstance(w, ChecklistItemRow) and w.item is not None and w.item.id == item_id
    )


def marks(data_dir, procedure_id):
    return PlanRepository(open_database(data_dir)).marks(procedure_id)


def open_checklist(ui):
    ui.app.navigator.go("checklist")
    ui.settle()
    return ui.screen


def open_calendar_file(ui, clock):
    """Reminders' calendar-file tab, with the reminder service the app would have started."""
    services = ui.app.services
    services.reminders = ReminderService(services.plan.db, clock, RecordingNotifier(), runner="app")
    ui.app.navigator.go("reminders")
    ui.settle()
    ui.tap(ui.screen.ids.tab_calendar)
    ui.settle()
    return ui.screen.sections["calendar"]


def shot(ui, name: str) -> None:
    if SHOTS:
        width, height = Window.size
        ui.screenshot(Path(SHOTS) / f"{name}-{width}x{height}.png")


# --- the checklist --------------------------------------------------------------------------


def test_a_checklist_answer_is_saved_when_its_field_loses_the_keyboard_and_when_leaving(
    start_app, clock, data_dir
):
    block = add_block(data_dir, clock)
    ui = start_app()
    screen = open_checklist(ui)

    name = checklist_row(ui, "ride-driver-name")
    ui.type_into(name.answer, "Maria Lopez")
    ui.tap(ui.find_text(screen.heading))  # a tap elsewhere takes the keyboard away
    assert not name.answer.focus
    assert marks(data_dir, block.id)["ride-driver-name"].value == "Maria Lopez"
    assert "Saved" in name.marked_text

    pickup = checklist_row(ui, "caregiver-pickup-time")
    ui.type_into(pickup.answer, "14:30")
    ui.press_escape()  # straight back: nothing to ask, the line is saved on the way out
    assert no_question(ui) and ui.screen.name == "today"
    assert marks(data_dir, block.id)["caregiver-pickup-time"].value == "14:30"

    ui = start_app()  # a restart reads them back from the database
    open_checklist(ui)
    assert checklist_row(ui, "ride-driver-name").answer.text == "Maria Lopez"
    assert checklist_row(ui, "caregiver-pickup-time").answer.text == "14:30"


def test_an_answer_the_checklist_refuses_is_kept_and_leaving_asks(start_app, clock, data_dir):
    block = add_block(data_dir, clock)
    ui = start_app()
    open_checklist(ui)
    pickup = checklist_row(ui, "caregiver-pickup-time")
    ui.type_into(pickup.answer, "half past two")
    ui.press_escape()
    assert question(ui).title == "Leave without saving?"
    assert question(ui).message == "An answer marked in red could not be saved."
    answer(ui, "Keep editing")
    assert ui.screen.name == "checklist"
    assert pickup.answer.text == "half past two"
    assert pickup.error.startswith("“half past two” is not a time")

    # A look at When to call and back keeps what was typed.
    ui.tap(top_bar(ui).ids.call)
    ui.settle()
    assert ui.screen.name == "when_to_call"
    ui.press_escape()
    ui.settle()
    assert checklist_row(ui, "caregiver-pickup-time").answer.text == "half past two"

    ui.tap(top_bar(ui).ids.back)
    answer(ui, "Leave without saving")
    assert ui.screen.name == "today"
    assert "caregiver-pickup-time" not in marks(data_dir, block.id)
    open_checklist(ui)
    assert checklist_row(ui, "caregiver-pickup-time").answer.text == ""


def test_switching_to_another_procedures_checklist_asks_about_a_refused_answer(
    start_app, clock, data_dir
):
    add_block(data_dir, clock)
    add_block(data_dir, clock, at="2026-12-19T09:00")
    ui = start_app()
    screen = open_checklist(ui)
    first = screen.heading
    ui.type_into(checklist_row(ui, "caregiver-pickup-time").answer, "noonish")
    [other] = [b for b in screen.ids.switcher.children if not b.selected]
    ui.tap(other)
    assert question(ui).title == "Leave without saving?"
    answer(ui, "Keep editing")
    assert screen.heading == first
    assert checklist_row(ui, "caregiver-pickup-time").answer.text == "noonish"
    ui.tap(other)
    answer(ui, "Leave without saving")
    assert screen.heading != first
    assert checklist_row(ui, "caregiver-pickup-time").answer.text == ""


def test_enter_adds_a_medicine_and_the_field_keeps_the_keyboard_for_the_next(
    start_app, clock, data_dir
):
    add_block(data_dir, clock)
    ui = start_app()
    screen = open_checklist(ui)
    field = screen._review.ids.new_medicine
    for name in ("Eliquis 5 mg", "Metformin"):
        ui.type_into(field, name)
        ui.press_key(ENTER)
        ui.settle()
        assert field.focus, f"the field lost the keyboard after {name}"
        assert field.text == ""
    names = [m.name for m in PlanRepository(open_database(data_dir)).medicines()]
    assert names == ["Eliquis 5 mg", "Metformin"]

    ui.type_into(field, "Aspirin")  # typed, not added: leaving asks
    assert request_close(ui)
    assert question(ui).message == "“Aspirin” has not been added to your medicines."
    answer(ui, "Keep editing")
    assert field.text == "Aspirin"


# --- the window's close request ----------------------------------------------------------------


def test_the_close_request_on_today_asks_and_stay_keeps_the_app(start_app, stops):
    ui = start_app()
    assert ui.screen.name == "today"
    assert request_close(ui), "the window must stay open until the patient answers"
    assert question(ui).title == "Close Facet Companion?"
    shot(ui, "close-question-today")
    answer(ui, "Stay")
    assert stops == [] and ui.screen.name == "today"
    assert request_close(ui)
    answer(ui, "Close the app")
    assert stops == [ui.app]


def test_stop_from_the_program_closes_without_a_question(start_app, monkeypatch):
    """The kiosk and the tests end the app with App.stop(): no question may hold it open."""
    import kivy.app

    ended = []
    monkeypatch.setattr(kivy.app, "stopTouchApp", lambda: ended.append(True))
    ui = start_app()
    app = ui.app
    app.stop()
    assert ended == [True] and no_question(ui)


def test_the_close_request_on_the_entry_form_asks_and_cancel_keeps_the_note(
    start_app, stops, data_dir
):
    ui = start_app()
    ui.tap_text("Log pain")
    ui.settle()
    ui.tap_text("Add details")
    ui.settle()
    ui.type_into(ui.screen.ids.note, "worse after gardening")
    assert request_close(ui)
    assert question(ui).title == "Leave without saving?"
    shot(ui, "close-question-entry")
    answer(ui, "Keep editing")
    assert stops == []
    assert ui.screen.name == "entry" and ui.screen.ids.note.text == "worse after gardening"

    ui.tap(top_bar(ui).ids.call)  # a look at When to call and back keeps the note
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "entry" and ui.screen.ids.note.text == "worse after gardening"

    assert request_close(ui)
    answer(ui, "Leave without saving")
    assert stops == [ui.app]
    assert list(DiaryRepository(open_database(data_dir)).since()) == []


def test_the_close_request_saves_a_checklist_line_then_asks_to_close(
    start_app, stops, clock, data_dir
):
    block = add_block(data_dir, clock)
    ui = start_app()
    open_checklist(ui)
    ui.type_into(checklist_row(ui, "ride-driver-phone").answer, "555 0142")
    assert request_close(ui)
    assert marks(data_dir, block.id)["ride-driver-phone"].value == "555 0142"
    assert question(ui).title == "Close Facet Companion?"


# --- reports and the block diary -----------------------------------------------------------


def test_reports_ask_before_dropping_a_typed_name_on_escape_back_and_close(
    start_app, stops, data_dir, tmp_path
):
    ui = start_app()
    ui.app.navigator.go("settings")
    ui.settle()
    ui.tap_text("Reports for your clinic")
    ui.settle()
    screen = ui.screen
    ui.type_into(screen.ids.name, "Ana Souza")
    ui.press_escape()
    assert question(ui).title == "Leave without saving?"
    answer(ui, "Keep editing")
    assert screen.ids.name.text == "Ana Souza"

    ui.tap(top_bar(ui).ids.call)
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen is screen and screen.ids.name.text == "Ana Souza"

    assert request_close(ui)
    answer(ui, "Keep editing")
    assert stops == []

    ui.tap(top_bar(ui).ids.back)
    answer(ui, "Leave without saving")
    assert ui.screen.name == "settings"
    assert PatientRepository(open_database(data_dir)).details().name == ""
    ui.tap_text("Reports for your clinic")
    ui.settle()
    assert screen.ids.name.text == ""


def test_the_usual_pain_page_asks_before_dropping_a_score(start_app, stops, clock, data_dir):
    block = add_block(data_dir, clock)
    ui = start_app()
    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    screen = ui.screen
    assert screen.page == "baseline"
    ui.press_escape()  # nothing chosen yet: straight back
    assert no_question(ui) and ui.screen.name == "today"

    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    ui.tap(
        ui.find(
            lambda w: isinstance(w, AppButton) and w.text == "6" and getattr(w, "score", None) == 6
        )
    )
    ui.press_escape()
    assert question(ui).message == "Your usual pain has not been saved yet."
    answer(ui, "Keep editing")
    assert request_close(ui)
    assert question(ui).title == "Leave without saving?"
    answer(ui, "Keep editing")
    assert stops == [] and ui.screen is screen and screen.page == "baseline"

    ui.tap(top_bar(ui).ids.back)
    answer(ui, "Leave without saving")
    assert ui.screen.name == "today"
    assert BlockDiaryRepository(open_database(data_dir)).baselines(block.id) == []


def test_a_block_diary_answer_chosen_but_not_saved_is_asked_about(start_app, clock, data_dir):
    block = add_block(data_dir, clock, at="2026-11-28T15:00")  # began 30 minutes ago
    ui = start_app()
    services = ui.app.services
    services.block_diary.save_baseline(
        block.id,
        {"area": "lower_back", "side": "right", "score": 7, "activity": "standing"},
        now=clock.now() - timedelta(hours=1),
        zone=clock.zone(),
    )
    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    screen = ui.screen
    assert screen.page == "prompt"
    [side] = screen.ids.prompt_scales.children
    ui.tap(
        ui.find(
            lambda w: isinstance(w, AppButton) and w.text == "2" and getattr(w, "score", None) == 2,
            side,
        )
    )
    ui.press_escape()
    assert question(ui).message == "Your answer to this question has not been saved yet."
    answer(ui, "Leave without saving")
    assert ui.screen.name == "today"
    entries = BlockDiaryRepository(open_database(data_dir)).prompt_entries(block.id)
    assert [e for e in entries if not e.missed] == []


# --- the folder picker ------------------------------------------------------------------------


def test_a_typed_folder_opens_and_a_wrong_one_is_explained_at_the_field(
    start_app, data_dir, tmp_path
):
    clinic = tmp_path / "For the clinic"
    clinic.mkdir()
    (tmp_path / "notes.txt").write_text("x")
    ui = start_app()
    ui.app.navigator.go("reports", folder=str(tmp_path))
    ui.settle()
    chooser = ui.screen.ids.chooser
    field = chooser.ids.typed

    ui.type_into(field, str(tmp_path / "Nowhere"))
    ui.press_key(ENTER)
    assert chooser.typed_error.startswith("That folder does not exist:")
    assert chooser.typed_error in ui.visible_texts()
    assert chooser.path == str(tmp_path) and field.text == str(tmp_path / "Nowhere")

    field.text = ""
    ui.type_into(field, "notes.txt")  # read from the folder that is open
    ui.press_key(ENTER)
    assert chooser.typed_error == "That is a file, not a folder: notes.txt."

    field.text = ""
    ui.type_into(field, "For the clinic")
    ui.press_key(ENTER)
    ui.settle()
    assert chooser.path == str(clinic) and chooser.typed_error == ""
    assert str(clinic) in ui.visible_texts()

    ui.tap_text("Home", chooser)
    ui.settle()
    assert chooser.path == str(Path.home())
    assert f"{Path.home()} (your home folder)" in ui.visible_texts()
    ui.tap_text("‹ Up one folder", chooser)
    assert chooser.path == str(Path.home().parent)


def test_the_calendar_file_uses_the_same_picker_with_a_typed_path(
    start_app, clock, data_dir, tmp_path
):
    add_block(data_dir, clock)
    phone = tmp_path / "For the phone"
    phone.mkdir()
    ui = start_app()
    calendar = open_calendar_file(ui, clock)
    chooser = calendar.ids.chooser
    assert type(chooser) is type(ui.app.navigator.screen("reports").ids.chooser)
    ui.type_into(chooser.ids.typed, str(tmp_path / "For the phon"))
    ui.tap(calendar.ids.save)  # typed, not opened: Save opens it first, and it is wrong
    assert chooser.typed_error.startswith("That folder does not exist:")
    assert calendar.result == "" and not list(tmp_path.rglob("*.ics"))

    chooser.ids.typed.text = ""
    ui.type_into(chooser.ids.typed, str(phone))
    ui.tap(calendar.ids.save)
    assert chooser.path == str(phone) and chooser.typed_error == ""
    assert (phone / "facet-companion-reminders.ics").is_file()


# --- the mouse wheel --------------------------------------------------------------------------


def test_one_wheel_notch_scrolls_about_three_lines(start_app, clock, data_dir):
    add_block(data_dir, clock)
    ui = start_app()
    screen = open_checklist(ui)
    scroll = screen.ids.scroll
    scroll.scroll_y = 1
    ui.pump(frames=3)
    x, y = scroll.to_window(*scroll.center)
    touch = UnitTestTouch(x, y)
    touch.profile.append("button")
    touch.button = "scrollup"  # Kivy's name for the wheel turned towards the patient
    touch.touch_down()
    ui.pump(seconds=0.3)
    touch.touch_up()
    ui.pump(frames=3)
    moved = (1 - scroll.scroll_y) * (scroll.children[0].height - scroll.height)
    assert moved >= dp(60), f"one notch moved {moved:.0f} px"


# --- how it looks -----------------------------------------------------------------------------


def in_sideways_scroll(widget) -> bool:
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView) and node.do_scroll_x:
            return True
        node = node.parent
    return False


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_questions_the_checklist_and_the_pickers_fit_at_the_largest_text(
    start_app, clock, data_dir, tmp_path, size
):
    add_block(data_dir, clock)
    (tmp_path / "For the clinic").mkdir()
    ui = start_app(size=size)
    ui.app.theme.text_scale = LARGEST_TEXT

    def fits(name: str, root=None) -> None:
        ui.settle()
        buttons = [
            w
            for w in ui.widgets(root)
            if isinstance(w, AppButton)
            and w.get_root_window() is not None
            and w.opacity > 0
            and w.width > 0
        ]
        assert buttons, name
        assert min(min(b.width, b.height) for b in buttons) >= 48, name
        for button in buttons:
            if in_sideways_scroll(button):
                continue  # a row of tabs that scrolls sideways shows the others by a swipe
            left, _ = button.to_window(button.x, button.y)
            right, _ = button.to_window(button.right, button.y)
            assert left >= -1 and right <= size[0] + 1, (name, button.text)
            assert button.texture_size[1] <= button.height + 1, (name, button.text)
        shot(ui, name)

    request_close(ui)
    fits("close-question", question(ui))
    answer(ui, "Stay")

    screen = open_checklist(ui)
    pickup = checklist_row(ui, "caregiver-pickup-time")
    ui.type_into(pickup.answer, "after lunch")
    ui.tap(ui.find_text(screen.heading))
    fits("checklist")
    ui.press_escape()
    fits("leave-question", question(ui))
    answer(ui, "Leave without saving")

    ui.app.navigator.go("reports", folder=str(tmp_path))
    fits("reports-folder")
    open_calendar_file(ui, clock).ids.chooser.path = str(tmp_path)
    fits("reminders-folder")
