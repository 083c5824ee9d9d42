"""Entering a paper diary by touch in a real window: from the block diary to the paper page, a line
saved with a banner and listed among the prompts "from paper", and each mistake named with
nothing saved changed."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.block_diary import Baseline
from app.store.block_diary_repository import BlockDiaryRepository
from app.store.database import open_database
from app.ui.theme import LARGEST_TEXT_SCALE
from tests.ui.test_block_diary import add_block, tap_score
from tests.ui.test_unsaved_input import request_close

SHOTS = os.environ.get("FACET_SHOTS")
UTC = UTC
BLOCK_AT = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 16:00 in London, in winter


@pytest.fixture(autouse=True)
def no_reminder_ticker(monkeypatch):
    """The clock jumps hours here; a reminder ticker would take that for time away."""
    from app.ui.app import FacetCompanionApp

    monkeypatch.setattr(FacetCompanionApp, "_start_reminders", lambda self, db: None, raising=False)


def papers(data_dir, block_id) -> list[tuple[int, str, int, str]]:
    db = open_database(data_dir)
    try:
        return [
            (p.minutes, p.side, p.score, p.activity)
            for p in BlockDiaryRepository(db).paper_scores(block_id)
        ]
    finally:
        db.close()


def test_a_paper_diary_entered_by_touch(start_app, clock, data_dir):
    block = add_block(data_dir, clock)
    BlockDiaryRepository(open_database(data_dir)).save_baseline(
        block.id, Baseline("lower_back", "right", 7, BLOCK_AT - timedelta(minutes=20), "UTC")
    )
    clock.set(BLOCK_AT + timedelta(hours=10))  # the evening: every live prompt has closed
    ui = start_app()
    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    diary = ui.screen
    assert diary.page == "summary"

    ui.tap_text("Enter a paper diary")
    ui.settle()
    page = ui.screen
    assert page.name == "paper_diary"
    assert page.ids.time_input.text == "16:15"
    for _ in range(4):  # never to the block's own time or before it
        ui.tap_text("5 min earlier")
    assert page.ids.time_input.text == "16:05"
    assert page.when_text == "Yesterday, Saturday 28 November, 16:05: 5 minutes after the block"
    for _ in range(3):
        ui.tap_text("5 min later")
    assert page.ids.time_input.text == "16:20"
    assert page.when_text == "Yesterday, Saturday 28 November, 16:20: 20 minutes after the block"

    # No score chosen: the scale says so, and nothing is saved.
    ui.tap_text("Save this line")
    assert "Choose a number from 0 to 10 for at least one area." in ui.visible_texts()
    assert ui.app.banner.message == "Please check the places marked in red. Nothing was lost."
    assert papers(data_dir, block.id) == []

    [side] = page.side_scores
    assert side.caption == "Lower back, right side"
    tap_score(ui, 1, side)
    ui.type_into(page.ids.activity, "walking to the shop")
    ui.tap_text("Save this line")
    assert papers(data_dir, block.id) == [(20, "right", 1, "walking to the shop")]
    assert ui.app.banner.message.startswith("Saved from your paper diary: 16:20.")
    # Ready for the next line: the time of the next question, the scale empty.
    assert page.ids.time_input.text == "16:30" and page.side_scores[0].score is None

    # A typed time that reads as none, then one past the diary's end (15:00 is the next day).
    page.ids.time_input.text = ""
    ui.type_into(page.ids.time_input, "teatime")
    assert page.time_error == "“teatime” is not a time. Type it as on the paper, for example 14:30."
    page.ids.time_input.text = ""
    ui.type_into(page.ids.time_input, "15:00")
    tap_score(ui, 4, page.side_scores[0])
    ui.tap_text("Save this line")
    assert "after the block diary ended" in page.time_error
    # The same minute again: refused, the first score stays as saved.
    page.ids.time_input.text = ""
    ui.type_into(page.ids.time_input, "16:20")
    ui.tap_text("Save this line")
    assert "There is already a score for lower back, right side" in page.side_scores[0].error
    page.ids.time_input.text = ""
    ui.type_into(page.ids.time_input, "17.20")
    ui.tap_text("Save this line")
    assert papers(data_dir, block.id) == [
        (20, "right", 1, "walking to the shop"),
        (80, "right", 4, ""),
    ]

    # Stepping past midnight keeps counting from the block: 00:00 is the next day.
    page.ids.time_input.text = ""
    ui.type_into(page.ids.time_input, "23:55")
    ui.tap_text("5 min later")
    assert page.ids.time_input.text == "00:00"
    assert page.when_text == "Today, Sunday 29 November, 00:00: 8 hours after the block"

    # A score chosen: closing the window asks and keeps it; Escape asks too, and leaving drops
    # only the unsaved line.
    tap_score(ui, 6, page.side_scores[0])
    assert request_close(ui), "the window stays open until the question is answered"
    question = ui.open_question()
    assert question.message == "The line you entered from your paper diary has not been saved."
    ui.tap_text("Keep editing", question)
    ui.settle()
    assert page.side_scores[0].score == 6
    ui.press_escape()
    ui.settle()
    question = ui.open_question()
    assert question.title == "Leave without saving?"
    ui.tap_text("Leave without saving", question)
    ui.settle()
    assert ui.screen is diary
    rows = list(reversed(diary.ids.prompt_list.children))
    paper_rows = [
        (r.first, r.second, r.state_text) for r in rows if r.state_text.startswith("From paper")
    ]
    assert paper_rows == [
        ("16:20", "20 minutes after your block", "From paper: right 1"),
        ("17:20", "1 hour 20 minutes after your block", "From paper: right 4"),
    ]
    # Among the prompts at their own time: 16:15 (missed), 16:20 (paper), 16:30 (missed).
    order = [r.first for r in rows]
    assert order[:3] == ["16:15", "16:20", "16:30"]
    assert [r.state_text for r in rows][0] == "Missed"
    # The relief summary counts the paper scores: 86% at 20 minutes.
    assert any("86%" in text for text in ui.visible_texts()), ui.visible_texts()


@pytest.mark.skipif(not SHOTS, reason="screenshots only when FACET_SHOTS is set")
@pytest.mark.parametrize("size, scale", [((1280, 800), 1.0), ((800, 1280), LARGEST_TEXT_SCALE)])
def test_paper_diary_screenshots(start_app, clock, data_dir, size, scale):
    block = add_block(data_dir, clock, side="both")
    store = BlockDiaryRepository(open_database(data_dir))
    for side, usual in (("left", 5), ("right", 7)):
        store.save_baseline(
            block.id, Baseline("lower_back", side, usual, BLOCK_AT - timedelta(minutes=20), "UTC")
        )
    clock.set(BLOCK_AT + timedelta(hours=10))
    ui = start_app(size=size)
    ui.app.theme.text_scale = scale
    ui.app.navigator.go("block_diary", procedure_id=block.id)
    ui.settle()
    ui.tap_text("Enter a paper diary")
    ui.settle()
    page = ui.screen
    tap_score(ui, 2, page.side_scores[0])
    ui.type_into(page.ids.activity, "hoovering")
    page.ids.scroll.scroll_y = 1
    ui.pump(frames=3)
    name = f"paper-{size[0]}x{size[1]}"
    ui.screenshot(Path(SHOTS) / f"{name}-top.png")
    page.ids.scroll.scroll_y = 0
    ui.pump(frames=3)
    ui.screenshot(Path(SHOTS) / f"{name}-bottom.png")
    tap_score(ui, 1, page.side_scores[1])
    ui.tap_text("Save this line")
    ui.screenshot(Path(SHOTS) / f"{name}-saved.png")
    ui.press_escape()
    ui.settle()
    diary = ui.screen
    first_paper = next(
        r for r in diary.ids.prompt_list.children if r.state_text.startswith("From paper")
    )
    diary.ids.scroll.scroll_to(first_paper, padding=400, animate=False)
    ui.pump(frames=4)
    ui.screenshot(Path(SHOTS) / f"{name}-diary.png")
