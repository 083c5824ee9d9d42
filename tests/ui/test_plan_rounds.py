"""A new round and the guide's safety nets, by touch and keys in a real window: a new round is
offered only after the round's last procedure, asked about first, and changes nothing until the
guide is saved; the guide asks before dropping choices; typed times and past times."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kivy.core.window import Window
from kivy.metrics import dp

from app.domain.plan import validate_procedure
from app.store.database import open_database
from app.store.plan_repository import PlanRepository
from app.ui.widgets.confirm import ConfirmDialog
from tests.e2e.helpers import run_cli

LONDON = ZoneInfo("Europe/London")


def seed(data_dir, clock, *procedures: tuple[str, str]) -> PlanRepository:
    """Save procedures (kind, local ISO time in London) in the first round."""
    plans = PlanRepository(open_database(data_dir))
    for kind, at in procedures:
        plans.add_procedure(
            validate_procedure(
                {"kind": kind, "region": "lumbar", "side": "right", "at": at},
                now=clock.now(),
                zone=clock.zone(),
            )
        )
    return plans


def dialog(ui) -> ConfirmDialog | None:
    ui.settle()
    return ui.question()


def answer(ui, text: str) -> None:
    ui.tap(ui.find_text(text, dialog(ui)))
    ui.settle()


def back_buttons(ui) -> list[str]:
    return [t for t in ui.visible_texts() if t in ("Back", "‹ Back")]


def plan_show(data_dir) -> dict:
    result = run_cli("plan", "show", "--data-dir", data_dir, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def what_stands(ui, data_dir) -> dict:
    """Everything a patient could see change: the plan on disk and by `plan show`, the
    timeline's heading and rows, Today's words, the reminders to come."""
    ui.wait_for_reminders()  # they start a second after the first frame
    services = ui.app.services
    ui.app.navigator.home()
    ui.settle()
    today = sorted(ui.visible_texts())
    ui.app.navigator.go("timeline")
    ui.settle()
    timeline = ui.screen
    rows = [
        (r.get("day"), r.get("time"), r.get("title"), r.get("text")) for r in timeline.ids.path.data
    ]
    now = services.clock.now()
    return {
        "procedures": services.plan.procedures(include_cancelled=True),
        "round": services.plan.current_cycle(),
        "plan show": plan_show(data_dir),
        "heading": timeline.heading,
        "rows": rows,
        "today": today,
        "reminders": [
            o.id
            for o in services.reminders.occurrences(
                now - timedelta(days=60), now + timedelta(days=400)
            )
        ],
    }


def test_a_new_round_is_not_offered_while_a_procedure_is_still_to_come(start_app, clock, data_dir):
    # Saturday 28 November 2026, 15:30 in London: the block was a month ago, the RFA is in 3 days.
    seed(data_dir, clock, ("test-block", "2026-10-28T10:00"), ("rfa", "2026-12-01T09:00"))
    ui = start_app()
    ui.app.navigator.go("timeline")
    ui.settle()
    assert not ui.screen.new_round_offered
    assert "Start a new round" not in ui.visible_texts()
    assert ui.screen.heading == "Your plan"


def test_a_new_round_is_asked_and_nothing_changes_until_the_guide_is_saved(
    start_app, clock, data_dir
):
    seed(data_dir, clock, ("test-block", "2026-10-01T10:00"), ("rfa", "2026-11-20T09:00"))
    ui = start_app()
    before = what_stands(ui, data_dir)
    assert before["heading"] == "Your plan" and before["round"] == 1
    assert ui.screen.new_round_offered
    # Its words inside its outline and on screen: once, laid out while the page was still
    # narrow, it kept that layout's width of 52 px, its words spilling past the window's edge.
    button = ui.screen.ids.new_round
    assert button.width >= button.texture_size[0] + dp(24)
    assert button.right <= Window.width

    ui.tap_text("Start a new round")
    asked = dialog(ui)
    assert asked is not None and asked.title == "Start a new round?"
    assert "Round 1 stays here to read" in asked.message
    answer(ui, "Not now")
    assert dialog(ui) is None and ui.screen.name == "timeline"
    assert what_stands(ui, data_dir) == before

    ui.tap_text("Start a new round")
    answer(ui, "Start a new round")
    assert ui.screen.name == "guide"
    texts = ui.visible_texts()
    assert "Round 2 (new)" in texts
    assert "This is round 2, a new round of treatment" in texts
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Next")
    ui.settle()
    assert ui.screen.page == 2
    ui.press_escape()  # leave the guide unsaved, from its dates page
    asked = dialog(ui)
    assert asked is not None and asked.title == "Leave without saving?"
    assert "Round 2 has not been saved" in asked.message
    answer(ui, "Leave without saving")
    assert ui.screen.name == "timeline"
    assert what_stands(ui, data_dir) == before  # Today, plan show, labels, reminders

    # Back in again (the old bug doubled every reminder here): the guide starts empty.
    ui.tap_text("Start a new round")
    answer(ui, "Start a new round")
    assert ui.screen.chosen == [] and ui.screen.round_number == 2
    ui.tap(ui.find_text("Back", ui.screen))  # the first page's Back leaves, nothing was chosen
    ui.settle()
    assert dialog(ui) is None and ui.screen.name == "timeline"
    assert what_stands(ui, data_dir) == before


def test_a_saved_new_round_keeps_the_earlier_one_readable_and_reminds_once(
    start_app, clock, data_dir
):
    plans = seed(data_dir, clock, ("test-block", "2026-10-01T10:00"), ("rfa", "2026-11-20T09:00"))
    first_round = plans.procedures()
    ui = start_app()
    ui.app.navigator.go("timeline")
    ui.settle()
    ui.tap_text("Start a new round")
    answer(ui, "Start a new round")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Next")
    ui.settle()
    ui.tap_text("Next")  # a week on at 09:00: Saturday 5 December 2026
    ui.settle()
    ui.tap_text("Save my plan")
    ui.settle()
    assert "Round 2 is ready" in ui.visible_texts()

    services = ui.app.services
    assert services.plan.cycles() == [1, 2] and services.plan.current_cycle() == 2
    assert services.plan.procedures(cycle=1) == first_round
    [block] = services.plan.procedures(cycle=2)
    assert block.local_at == datetime(2026, 12, 5, 9, 0, tzinfo=LONDON)

    ui.tap_text("See my timeline")
    ui.settle()
    assert ui.screen.heading == "Round 2: your plan"
    assert not ui.screen.new_round_offered  # the new block is still to come
    ui.tap_text("Round 1")
    assert ui.screen.heading == "Round 1 (earlier)"
    milestones = [r["title"] for r in ui.screen.ids.path.data if r.get("milestone")]
    assert milestones == [p.label for p in first_round]

    def reminders():
        now = services.clock.now()
        return services.reminders.occurrences(now - timedelta(days=90), now + timedelta(days=400))

    once = reminders()
    prompts = [o for o in once if o.kind == "block-prompt" and o.procedure_id == block.id]
    assert len(prompts) == len(services.pathways.for_region("lumbar").block_diary.prompt_minutes)
    assert not [key for key, n in Counter(o.id for o in once).items() if n > 1]

    # Saving the same plan again through the guide changes no reminder.
    ui.app.navigator.go("guide", editing=True)
    ui.settle()
    for _page in range(3):
        ui.tap(ui.screen.ids.next)
        ui.settle()
    assert ui.screen.page == 4
    assert [o.id for o in reminders()] == [o.id for o in once]
    assert len(services.plan.procedures(include_cancelled=True)) == 3


def test_the_guide_asks_before_dropping_choices_and_shows_one_back_button(start_app, data_dir):
    ui = start_app(first_run=True)
    assert ui.screen.name == "guide" and back_buttons(ui) == ["‹ Back"]
    ui.tap_text("Set up my plan")
    assert back_buttons(ui) == ["Back"]  # the first run showed two before
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Neck")
    ui.tap_text("Left")
    assert ui.screen.chosen == ["test-block"]
    ui.tap(ui.find_text("Back", ui.screen))  # a page back keeps the choices
    assert ui.screen.page == 0 and back_buttons(ui) == ["‹ Back"]
    ui.tap_text("‹ Back")  # leaving from the first page after choices were made asks
    asked = dialog(ui)
    assert asked is not None and asked.title == "Leave without saving?"
    answer(ui, "Keep editing")
    assert ui.screen.name == "guide" and ui.screen.chosen == ["test-block"]
    ui.tap_text("Not now: just the pain diary")
    assert dialog(ui).title == "Leave without saving?"
    answer(ui, "Keep editing")

    ui.tap_text("Set up my plan")
    ui.tap_text("Next")
    ui.settle()
    ui.press_escape()  # Escape on a step page asks too, and staying keeps the page
    assert dialog(ui).title == "Leave without saving?"
    answer(ui, "Keep editing")
    assert ui.screen.name == "guide" and ui.screen.page == 2
    assert ui.screen.region == "cervical" and ui.screen.side == "left"
    ui.press_escape()
    ui.press_escape()  # Escape on the open question closes it, as everywhere in the app
    assert dialog(ui) is None and ui.screen.page == 2
    ui.press_escape()
    answer(ui, "Leave without saving")
    assert ui.screen.name == "today"
    assert PlanRepository(open_database(data_dir)).procedures() == []


def test_an_unchanged_guide_is_left_without_a_question(start_app, clock, data_dir):
    seed(data_dir, clock, ("test-block", "2026-12-05T09:00"))
    ui = start_app()
    ui.app.navigator.go("guide", editing=True)
    ui.settle()
    assert ui.screen.page == 1 and not ui.screen.has_unsaved_input()
    ui.press_escape()
    assert dialog(ui) is None and ui.screen.name == "today"
    ui.app.navigator.go("guide", editing=True)
    ui.settle()
    ui.tap_text("Left")
    assert ui.screen.has_unsaved_input()
    ui.tap_text("When to call")  # a look at whom to call keeps what was chosen
    ui.settle()
    ui.press_escape()
    ui.settle()
    assert ui.screen.name == "guide" and ui.screen.side == "left" and ui.screen.page == 1
    ui.tap(ui.find_text("Back", ui.screen))
    answer(ui, "Leave without saving")
    assert ui.screen.name == "today"
    assert [p.side for p in PlanRepository(open_database(data_dir)).procedures()] == ["right"]


def open_dates_page(ui):
    ui.tap_text("Set up my plan")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Lower back")
    ui.tap_text("Right")
    ui.tap_text("Next")
    ui.settle()
    return ui.screen.ids.when_test_block


def test_a_time_can_be_typed_and_the_minutes_step_by_a_quarter_hour(start_app):
    ui = start_app(first_run=True)
    picker = open_dates_page(ui)
    assert "Saturday 5 December" in ui.visible_texts()
    minute_plus = [w for w in ui.widgets(picker) if getattr(w, "text", "") == "+"][2]
    ui.tap(minute_plus)
    assert (picker.hour, picker.minute) == (9, 15)

    field = picker.ids.typed
    field.select_all()
    field.delete_selection()
    ui.type_into(field, "25:00")
    ui.press_key(13)  # Enter
    assert "The hour goes up to 23, not 25. Type the time as 09:30." in ui.visible_texts()
    assert (picker.hour, picker.minute) == (9, 15) and field.text == "25:00"  # kept, not lost
    ui.tap_text("Next")
    assert ui.screen.page == 2  # not taken

    field.select_all()
    field.delete_selection()
    ui.type_into(field, "2:40 pm")
    ui.press_key(13)
    assert (picker.hour, picker.minute) == (14, 40) and field.text == "14:40"
    assert picker.typed_problem == ""
    ui.tap(minute_plus)
    assert picker.minute == 45  # to the next quarter hour
    ui.tap_text("Next")
    ui.settle()
    assert ui.screen.page == 3


def test_a_time_already_past_asks_is_this_right(start_app, data_dir):
    ui = start_app(first_run=True)
    picker = open_dates_page(ui)
    ui.tap(ui.find_text("1 week earlier", picker))  # today, Saturday 28 November, 09:00
    assert "Saturday 28 November" in ui.visible_texts()
    ui.tap_text("Next")
    asked = dialog(ui)
    assert asked is not None and asked.title == "Is this right?"
    assert "Test block: Today, Saturday 28 November, 09:00." in asked.message
    answer(ui, "Change the time")
    assert ui.screen.page == 2
    ui.tap_text("Next")
    answer(ui, "Yes, it is right")
    assert ui.screen.page == 3
    ui.tap(ui.find_text("Back", ui.screen))
    ui.tap_text("Next")  # the same time, already confirmed, is not asked again
    assert dialog(ui) is None and ui.screen.page == 3


def test_a_new_round_cannot_add_an_appointment_already_in_the_plan(start_app, clock, data_dir):
    plans = seed(data_dir, clock, ("test-block", "2026-11-21T09:00"), ("rfa", "2026-11-27T09:00"))
    ui = start_app()
    ui.app.navigator.go("timeline")
    ui.settle()
    ui.tap_text("Start a new round")
    answer(ui, "Start a new round")
    ui.tap_text("Test block (medial branch block)")
    ui.tap_text("Next")
    ui.settle()
    picker = ui.screen.ids.when_test_block
    for _ in range(2):
        ui.tap(ui.find_text("1 week earlier", picker))  # Saturday 21 November, 09:00 again
    ui.tap_text("Next")  # refused before any question about the past time
    assert dialog(ui) is None and ui.screen.page == 2
    assert (
        "Your test block, lower back, right side on Saturday 21 November 2026 at 09:00 is "
        "already in your plan, so it was not added again."
    ) in ui.visible_texts()
    assert len(plans.procedures(include_cancelled=True)) == 2 and plans.cycles() == [1]


def test_a_past_appointment_kept_as_it_was_is_not_asked_about(start_app, clock, data_dir):
    seed(data_dir, clock, ("test-block", "2026-11-21T09:00"), ("rfa", "2026-12-10T09:00"))
    ui = start_app()
    ui.app.navigator.go("guide", editing=True)
    ui.settle()
    ui.tap_text("Next")
    ui.settle()
    ui.tap_text("Next")  # the block a week ago is as it was saved: no question
    ui.settle()
    assert dialog(ui) is None and ui.screen.page == 3


def test_the_window_close_request_on_the_guide_asks_and_keeps_the_choices(start_app):
    ui = start_app(first_run=True)
    ui.tap_text("Set up my plan")
    ui.settle()
    ui.tap_text("Neck")
    assert Window.dispatch("on_request_close"), "the window must stay open until answered"
    asked = dialog(ui)
    assert asked.title == "Leave without saving?"
    assert "Your plan has not been saved yet" in asked.message
    answer(ui, "Keep editing")
    assert ui.screen.name == "guide" and ui.screen.region == "cervical" and ui.screen.page == 1
