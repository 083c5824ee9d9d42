"""`block record` as a separate process: a paper diary score saved and counted at its own time,
and each kind of bad input refused with one line while nothing saved changes."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from .helpers import run_cli
from .test_block_cli import BLOCK_AT, LONDON, add_block, ok
from .test_cli import assert_one_line_error


def record(data_dir, minutes: int, score="2", area="lower_back", side="right", *more):
    return run_cli(
        "block",
        "record",
        "--data-dir",
        data_dir,
        "--at",
        (BLOCK_AT + timedelta(minutes=minutes)).isoformat(),
        "--area",
        area,
        "--side",
        side,
        "--score",
        score,
        *more,
        env=LONDON,
    )


def saved_rows(data_dir) -> list[tuple]:
    conn = sqlite3.connect(data_dir / "facet.db")
    try:
        return conn.execute("SELECT * FROM block_paper_scores ORDER BY id").fetchall()
    finally:
        conn.close()


def whole_database(data_dir) -> list[str]:
    conn = sqlite3.connect(data_dir / "facet.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_paper_score_is_saved_and_counts_at_its_own_time(tmp_path):
    block_id = add_block(tmp_path)
    ok(
        "block",
        "baseline",
        "--data-dir",
        tmp_path,
        "--area",
        "lower_back",
        "--side",
        "right",
        "--score",
        "8",
    )
    result = record(
        tmp_path,
        100,
        "1",
        "lower_back",
        "right",
        "--activity",
        "hoovering",
        "--procedure",
        str(block_id),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(block_id)
    assert record(tmp_path, 130, "2").returncode == 0

    summary = json.loads(ok("block", "summary", "--data-dir", tmp_path, "--format", "json"))
    [right] = summary["areas"]
    points = {e["minutes"]: e for e in right["entries"]}
    assert points[100]["score"] == 1 and points[100]["source"] == "paper"
    assert points[100]["relief_percent"] == 87.5
    assert points[130]["score"] == 2 and points[130]["relief_percent"] == 75.0
    # The live prompts were never answered: they stay missed beside the paper scores.
    assert points[60]["missed"] is True and points[60]["source"] == "prompt"
    assert right["peak_relief_percent"] == 87.5 and right["peak_minutes"] == 100
    assert right["hours_at_or_above_threshold"] == 0.0  # one score at or above 80%


@pytest.mark.parametrize(
    "minutes, args, words",
    [
        (-10, {}, "is not after the block"),
        (9 * 60, {}, "after the block diary ended"),
        (100, {"area": "elbow"}, "“elbow” is not a pain area"),
        (100, {"side": "middle"}, "Choose left, right or both"),
        (110, {"score": "11"}, "whole number from 0 to 10, not “11”"),
        (110, {"score": "-1"}, "whole number from 0 to 10"),
        (100, {"score": "2"}, "There is already a score for lower back, right side"),
    ],
    ids=[
        "before-block",
        "past-the-end",
        "unknown-area",
        "unknown-side",
        "score-11",
        "score-negative",
        "duplicate-time",
    ],
)
def test_bad_input_is_one_line_and_nothing_changes(tmp_path, minutes, args, words):
    add_block(tmp_path)
    assert record(tmp_path, 100, "3").returncode == 0
    before = whole_database(tmp_path)
    assert len(saved_rows(tmp_path)) == 1

    result = record(
        tmp_path,
        minutes,
        args.get("score", "4"),
        args.get("area", "lower_back"),
        args.get("side", "right"),
    )
    line = assert_one_line_error(result)
    assert words in line
    assert whole_database(tmp_path) == before


def test_a_time_in_the_future_and_an_unreadable_time_are_refused(tmp_path):
    add_block(tmp_path)
    result = run_cli(
        "block",
        "record",
        "--data-dir",
        tmp_path,
        "--at",
        "teatime",
        "--area",
        "lower_back",
        "--side",
        "left",
        "--score",
        "3",
        env=LONDON,
    )
    assert "is not a date and time" in assert_one_line_error(result)
    assert saved_rows(tmp_path) == []
