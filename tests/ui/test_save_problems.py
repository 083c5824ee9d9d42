"""A save refused because another program holds the diary past the app's busy timeout says so
in the banner, in plain words, and keeps what was typed on screen; tapped again once the diary
is free, it saves. (A full disk: test_full_disk.py.)"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import timedelta

from app.domain.block_diary import Baseline
from app.domain.plan import validate_procedure
from app.store.block_diary_repository import BlockDiaryRepository
from app.store.database import database_path, open_database
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository
from tests.ui.test_block_diary import BLOCK_AT, add_block, tap_score

LOCKED = (
    "Could not save: another program was using your diary. What you typed is still here; "
    "wait a moment and tap Save again."
)


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
    start_app, clock, data_dir
):
    plan = PlanRepository(open_database(data_dir))
    procedure = plan.add_procedure(
        validate_procedure(
            {"kind": "test-block", "region": "lumbar", "side": "right", "at": "2026-12-05T09:00"},
            now=clock.now(),
            zone=clock.zone(),
        )
    )
    ui = start_app()
    ui.app.navigator.go("checklist", procedure_id=procedure.id)
    ui.settle()
    row = next(r for r in ui.screen._rows if r.item.kind != "tick")
    with diary_held_by_another_program(ui, data_dir):
        ui.type_into(row.answer, "555 0142")
        row.save_answer(row.typed)  # as Enter or leaving the field does
        ui.settle()
        assert banner_text(ui) == LOCKED
        assert row.error == LOCKED and row.typed == "555 0142"
        assert ui.screen.has_unsaved_input()
    row.save_answer(row.typed)
    ui.settle()
    assert row.error == ""
    assert plan.marks(procedure.id)[row.item.id].value == "555 0142"


def test_the_usual_pain_page_keeps_its_scores_when_the_diary_is_locked(
    start_app, clock, data_dir, monkeypatch
):
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None)
    block = add_block(data_dir, clock)
    ui = start_app()
    screen = ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    [side] = screen.area_rows["lower_back"].side_scores
    tap_score(ui, 7, side)
    ui.type_into(screen.ids.baseline_activity, "standing at the sink")
    with diary_held_by_another_program(ui, data_dir):
        ui.tap_text("Save my usual pain")
        assert banner_text(ui) == LOCKED
        assert screen.page == "baseline" and side.score == 7
        assert screen.ids.baseline_activity.text == "standing at the sink"
    assert BlockDiaryRepository(open_database(data_dir)).baselines(block.id) == []
    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save my usual pain")
    assert screen.page == "waiting"
    [saved] = BlockDiaryRepository(open_database(data_dir)).baselines(block.id)
    assert (saved.score, saved.activity) == (7, "standing at the sink")


def test_a_paper_diary_line_stays_on_the_page_when_the_diary_is_locked(
    start_app, clock, data_dir, monkeypatch
):
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None)
    block = add_block(data_dir, clock)
    BlockDiaryRepository(open_database(data_dir)).save_baseline(
        block.id, Baseline("lower_back", "right", 7, BLOCK_AT - timedelta(minutes=20), "UTC")
    )
    clock.set(BLOCK_AT + timedelta(hours=10))
    ui = start_app()
    page = ui.app.navigator.go("paper_diary", procedure_id=block.id)
    ui.settle()
    [side] = page.side_scores
    tap_score(ui, 2, side)
    ui.type_into(page.ids.activity, "walking to the shop")
    with diary_held_by_another_program(ui, data_dir):
        ui.tap_text("Save this line")
        assert banner_text(ui) == LOCKED
        assert (side.score, page.ids.activity.text) == (2, "walking to the shop")
        assert page.ids.time_input.text == "16:15" and page.has_unsaved_input()
    assert BlockDiaryRepository(open_database(data_dir)).paper_scores(block.id) == []
    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save this line")
    [paper] = BlockDiaryRepository(open_database(data_dir)).paper_scores(block.id)
    assert (paper.minutes, paper.score, paper.activity) == (15, 2, "walking to the shop")


def test_a_block_diary_answer_stays_on_the_page_when_the_diary_is_locked(
    start_app, clock, data_dir, monkeypatch
):
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None)
    block = add_block(data_dir, clock)
    BlockDiaryRepository(open_database(data_dir)).save_baseline(
        block.id, Baseline("lower_back", "right", 7, BLOCK_AT - timedelta(minutes=20), "UTC")
    )
    clock.set(BLOCK_AT + timedelta(minutes=16))  # the 15-minute question is open
    ui = start_app()
    screen = ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    assert screen.page == "prompt"
    [side] = screen.ids.prompt_scales.children
    tap_score(ui, 2, side)
    ui.type_into(screen.ids.prompt_activity, "sitting in the car")
    with diary_held_by_another_program(ui, data_dir):
        ui.tap_text("Save")
        assert banner_text(ui) == LOCKED
        assert screen.page == "prompt" and side.score == 2
        assert screen.ids.prompt_activity.text == "sitting in the car"
    assert BlockDiaryRepository(open_database(data_dir)).prompt_entries(block.id) == []
    ui.tap_text("OK", ui.app.root)
    ui.tap_text("Save")
    [entry] = BlockDiaryRepository(open_database(data_dir)).prompt_entries(block.id)
    assert entry.minutes == 15 and entry.activity == "sitting in the car"
