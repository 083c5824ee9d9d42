"""A save refused because another program holds the diary past the app's busy timeout says so
in the banner, in plain words, and keeps what was typed on screen; tapped again once the diary
is free, it saves. (A full disk: test_full_disk.py.)"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from app.domain.plan import validate_procedure
from app.store.database import database_path, open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

LOCKED = ("Could not save: another program was using your diary. What you typed is still here; "
          "wait a moment and tap Save again.")


def banner_text(ui) -> str:
    banner = ui.app.banner
    return banner.message if banner.parent is not None else ""


@contextmanager
def diary_held_by_another_program(ui, data_dir):
    """Another connection holds the write lock; the app gives up after its busy timeout,
    shortened here from 10 seconds so the test does not wait them out."""
    ui.app.services.db.conn.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(database_path(data_dir), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_settings_typed_stay_when_the_diary_is_locked(start_app, data_dir):
    ui = start_app()
    ui.app.navigator.go("settings")
    ui.settle()
    ui.type_into(ui.screen.ids.name, "Riverside Spine Clinic")
    with diary_held_by_another_program(ui, data_dir):
        ui.tap_text("Save settings")
        ui.settle()
        assert banner_text(ui) == LOCKED
        assert ui.screen.ids.name.text == "Riverside Spine Clinic"
        assert ui.screen.has_unsaved_input()
    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save settings")
    ui.settle()
    assert banner_text(ui) == "Settings saved."
    assert SettingsRepository(open_database(data_dir)).clinic().name == "Riverside Spine Clinic"


def test_a_checklist_answer_stays_typed_and_marked_when_the_diary_is_locked(
        start_app, clock, data_dir):
    plan = PlanRepository(open_database(data_dir))
    procedure = plan.add_procedure(validate_procedure(
        {"kind": "test-block", "region": "lumbar", "side": "right", "at": "2026-12-05T09:00"},
        now=clock.now(), zone=clock.zone()))
    ui = start_app()
    ui.app.navigator.go("checklist", procedure_id=procedure.id)
    ui.settle()
    row = next(r for r in ui.screen._rows if r.item.kind != "tick")
    with diary_held_by_another_program(ui, data_dir):
        ui.type_into(row.ids.answer, "555 0142")
        row.save_answer(row.typed)  # as Enter or leaving the field does
        ui.settle()
        assert banner_text(ui) == LOCKED
        assert row.error == LOCKED and row.typed == "555 0142"
        assert ui.screen.has_unsaved_input()
    row.save_answer(row.typed)
    ui.settle()
    assert row.error == ""
    assert plan.marks(procedure.id)[row.item.id].value == "555 0142"
