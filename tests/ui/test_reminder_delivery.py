"""Reminders reaching the patient while the app runs, and the ones that came while it did not."""

from datetime import timedelta

from app.domain.reminders import validate_own_reminder
from app.store.database import open_database
from app.store.own_reminders import OwnReminderRepository
from app.store.reminder_occurrences import OccurrenceRepository
from app.ui.widgets.away_list import AwayList


def add_own(data_dir, clock, text, at, on=None):
    raw = {"text": text, "at": at, "on": on}
    reminder = validate_own_reminder(raw, now=clock.now(), zone=clock.zone())
    OwnReminderRepository(open_database(data_dir)).add(reminder, now=clock.now())


def records(data_dir):
    return {r.occurrence.text: r for r in OccurrenceRepository(open_database(data_dir)).history()}


def test_a_due_reminder_comes_once_as_a_notification_and_a_banner_with_done(
    start_app, clock, data_dir
):
    add_own(data_dir, clock, "Take a short walk", "15:40", on="2026-11-28")
    ui = start_app()
    ui.wait_for_reminders()
    clock.advance(timedelta(minutes=11))
    ui.app.tick_reminders()
    ui.pump(frames=3)
    assert [message for _title, message in ui.app.notifier.shown] == ["Take a short walk"]
    banner_text = [t for t in ui.visible_texts(ui.app.root) if "Take a short walk" in t]
    assert banner_text, ui.visible_texts(ui.app.root)
    ui.app.tick_reminders()  # a second tick delivers nothing new
    assert len(ui.app.notifier.shown) == 1
    ui.tap_text("Done", ui.app.root)
    assert records(data_dir)["Take a short walk"].state == "done"


def test_what_fell_due_while_the_app_was_closed_is_listed_once_not_notified(
    start_app, clock, data_dir
):
    add_own(data_dir, clock, "Stretch gently", "10:00")  # every day at 10:00
    ui = start_app()
    ui.wait_for_reminders()  # the first tick: reminders before today's start are not "missed"
    clock.advance(timedelta(days=1))  # the app is closed overnight and all morning
    ui = start_app()
    ui.wait_for_reminders()
    [away] = [w for w in ui.app.root_window.children if isinstance(w, AwayList)]
    assert "1 reminder came while the app was closed." in away.summary
    assert any("Stretch gently" in text for text in ui.visible_texts(away))
    assert ui.app.notifier.shown == []
    ui.tap_text("OK", away)
    ui = start_app()
    ui.wait_for_reminders()
    assert not [w for w in ui.app.root_window.children if isinstance(w, AwayList)]


def test_a_block_prompt_reminder_opens_the_block_diary(start_app, clock, data_dir):
    from app.domain.plan import validate_procedure
    from app.store.plan_repository import PlanRepository

    block = PlanRepository(open_database(data_dir)).add_procedure(
        validate_procedure(
            {
                "kind": "test-block",
                "region": "lumbar",
                "side": "right",
                "at": clock.now() - timedelta(minutes=14),
            },
            now=clock.now(),
            zone=clock.zone(),
        )
    )
    ui = start_app()
    ui.wait_for_reminders()
    clock.advance(timedelta(minutes=2))  # the 15-minute prompt is due
    ui.app.tick_reminders()
    ui.pump(frames=3)
    ui.tap_text("Open", ui.app.root)
    ui.settle()
    assert ui.screen.name == "block_diary"
    assert records(data_dir)[next(iter(records(data_dir)))].occurrence.procedure_id == block.id
