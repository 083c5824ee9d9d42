"""Paper diary scores and everyday diary scores in the block analysis, on hand-worked cases.

A paper score counts at its own minute after the block; a missed prompt stays missed (its own
record never changes); an everyday diary entry logged during the diary's hours adds its area
scores the same way, marked as everyday. Relief (%) = (baseline - score) / baseline x 100.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.block_diary import (
    FROM_EVERYDAY,
    FROM_PAPER,
    FROM_PROMPT,
    Baseline,
    BlockDiaryInputError,
    PromptEntry,
    TimedScore,
    analyse_block,
    diary_ends,
    everyday_scores,
    missed_entry,
    paper_time_after,
    prompt_schedule,
    scored_times,
    validate_paper_entry,
)
from app.domain.diary import AreaScore, PainEntry
from app.domain.pathway import DEFAULT_BLOCK_DIARY

UTC = UTC
ZONE = "Europe/London"
BLOCK_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # 13:00 in London in March
NOW = BLOCK_AT + timedelta(days=2)
PROMPTS = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
MINUTES = DEFAULT_BLOCK_DIARY.prompt_minutes


def paper(minutes: int, *scores: tuple[str, str, object], taken=(), activity="") -> tuple:
    raw = {
        "at": (BLOCK_AT + timedelta(minutes=minutes)).isoformat(),
        "scores": [{"area": a, "side": s, "score": n} for a, s, n in scores],
        "activity": activity,
    }
    return validate_paper_entry(
        raw, procedure_id=1, block_at=BLOCK_AT, prompts=PROMPTS, taken=taken, now=NOW, zone=ZONE
    )


def refused(minutes_or_raw, *scores, taken=()) -> dict[str, str]:
    with pytest.raises(BlockDiaryInputError) as caught:
        if isinstance(minutes_or_raw, dict):
            validate_paper_entry(
                minutes_or_raw,
                procedure_id=1,
                block_at=BLOCK_AT,
                prompts=PROMPTS,
                taken=taken,
                now=NOW,
                zone=ZONE,
            )
        else:
            paper(minutes_or_raw, *scores, taken=taken)
    return caught.value.errors


def test_a_paper_entry_holds_each_score_at_its_minute_after_the_block():
    left, right = paper(
        130, ("lower_back", "left", 3), ("lower_back", "right", "1"), activity=" hoovering "
    )
    assert (left.minutes, left.area, left.side, left.score) == (130, "lower_back", "left", 3)
    assert (right.score, right.activity) == (1, "hoovering")
    assert right.at == BLOCK_AT + timedelta(minutes=130)
    assert right.timed.source == FROM_PAPER
    # A local time without a zone is the patient's local time: 15:10 in London is 15:10 UTC here.
    [local] = validate_paper_entry(
        {"at": "2026-03-10T15:10", "scores": [{"area": "neck", "side": "both", "score": 4}]},
        procedure_id=1,
        block_at=BLOCK_AT,
        prompts=PROMPTS,
        taken=(),
        now=NOW,
        zone=ZONE,
    )
    assert local.minutes == 130


def test_the_time_must_be_after_the_block_and_within_the_diary():
    assert diary_ends(PROMPTS) == BLOCK_AT + timedelta(minutes=510)
    assert refused(-5, ("lower_back", "right", 2))["at"] == (
        "Tuesday 10 March, 12:55 is not after the block (Tuesday 10 March, 13:00). A diary "
        "score comes after the block."
    )
    assert "is not after the block" in refused(0, ("lower_back", "right", 2))["at"]
    assert (
        "after the block diary ended (Tuesday 10 March, 21:30)"
        in refused(511, ("lower_back", "right", 2))["at"]
    )
    assert paper(510, ("lower_back", "right", 2))[0].minutes == 510  # the very end is allowed
    assert (
        refused({"scores": [{"area": "neck", "side": "both", "score": 1}]})["at"]
        == "Enter the time written on the paper diary."
    )
    # During the diary itself, a time still to come is refused as in the future.
    during = BLOCK_AT + timedelta(hours=2)
    with pytest.raises(BlockDiaryInputError) as caught:
        validate_paper_entry(
            {
                "at": (during + timedelta(hours=1)).isoformat(),
                "scores": [{"area": "neck", "side": "both", "score": 1}],
            },
            procedure_id=1,
            block_at=BLOCK_AT,
            prompts=PROMPTS,
            taken=(),
            now=during,
            zone=ZONE,
        )
    assert "in the future" in caught.value.errors["at"]


def test_unknown_areas_bad_scores_and_no_scores_are_each_named():
    assert "“elbow” is not a pain area" in refused(60, ("elbow", "left", 2))["scores.0"]
    assert "Choose left, right or both" in refused(60, ("neck", "top", 2))["scores.0"]
    errors = refused(60, ("neck", "left", 2), ("neck", "right", 11))
    assert list(errors) == ["scores.1"] and "not “11”" in errors["scores.1"]
    assert refused(60)["scores"] == "Choose a number from 0 to 10 for at least one area."


def test_a_second_score_for_the_same_area_side_and_minute_is_refused():
    answered = [
        PromptEntry(
            1, 60, BLOCK_AT + timedelta(minutes=62), ZONE, (AreaScore("lower_back", "right", 2),)
        ),
        missed_entry(1, PROMPTS[4], ZONE),
    ]
    earlier = paper(100, ("lower_back", "left", 3))
    taken = scored_times(answered, earlier)
    assert taken == {(60, "lower_back", "right"), (100, "lower_back", "left")}
    assert (
        "already a score for lower back, right side"
        in refused(60, ("lower_back", "right", 1), taken=taken)["scores.0"]
    )
    assert (
        "already a score for lower back, left side"
        in refused(100, ("lower_back", "left", 1), taken=taken)["scores.0"]
    )
    # The other side at the same minute, and the missed 2-hour prompt's own minute, are free.
    assert paper(60, ("lower_back", "left", 1), taken=taken)[0].minutes == 60
    assert paper(120, ("lower_back", "right", 1), taken=taken)[0].minutes == 120


def test_paper_scores_fill_the_analysis_at_their_own_time_and_missed_prompts_stay_missed():
    # Baseline 8. Live: 15 min -> 1 (87.5%), 30 min -> 1; then every prompt missed. Paper: 90 min
    # -> 0 (100%), 2 hours (the missed prompt's minute) -> 1 (87.5%), 3 h 10 -> 6 (25%).
    entries = [
        PromptEntry(
            1, m, BLOCK_AT + timedelta(minutes=m), ZONE, (AreaScore("lower_back", "right", 1),)
        )
        for m in (15, 30)
    ]
    entries += [missed_entry(1, p, ZONE) for p in PROMPTS[2:]]
    papers = [
        *paper(90, ("lower_back", "right", 0)),
        *paper(120, ("lower_back", "right", 1)),
        *paper(190, ("lower_back", "right", 6)),
    ]
    [area] = analyse_block(
        [Baseline("lower_back", "right", 8, BLOCK_AT, ZONE)],
        entries,
        prompt_minutes=MINUTES,
        anaesthetic="lidocaine",
        expected_hours=(1.0, 2.0),
        other_scores=[p.timed for p in papers],
    ).areas
    by_minute = {p.minutes: p for p in area.points}
    assert by_minute[45].missed and by_minute[60].missed  # the live prompts stay gaps
    assert (by_minute[90].score, by_minute[90].relief, by_minute[90].source) == (
        0,
        100.0,
        FROM_PAPER,
    )
    assert by_minute[120].source == FROM_PAPER and by_minute[120].relief == 87.5
    assert by_minute[190].relief == 25.0
    assert by_minute[15].source == FROM_PROMPT
    assert [p.minutes for p in area.points][:7] == [15, 30, 45, 60, 90, 120, 180]
    # The run: from the block (it starts at the first prompt) to the 2-hour paper score, with
    # the missed 45- and 60-minute prompts inside it.
    assert (area.run_from_minutes, area.run_to_minutes, area.missed_in_run) == (0, 120, 2)
    assert area.hours_at_threshold == 2.0
    assert area.peak == 100.0 and area.peak_minutes == 90
    assert area.fit.verdict == "fits"
    # The prompts' own records are untouched: missed stays missed.
    assert all(e.missed for e in entries[2:])


def test_a_paper_only_diary_counts_from_its_first_score():
    papers = [
        *paper(20, ("neck", "both", 1)),
        *paper(75, ("neck", "both", 1)),
        *paper(200, ("neck", "both", 5)),
    ]
    [area] = analyse_block(
        [Baseline("neck", "both", 5, BLOCK_AT, ZONE)],
        [],
        prompt_minutes=MINUTES,
        other_scores=[p.timed for p in papers],
    ).areas
    # 20 minutes is after the first prompt (15): the run is measured from 20, not the block.
    assert (area.run_from_minutes, area.run_to_minutes) == (20, 75)
    assert [p.minutes for p in area.points if p.missed] == [15, 30, 45, 60, 120, 180]


def test_everyday_diary_scores_during_the_diary_feed_the_analysis_marked_as_everyday():
    def logged(minutes: int, *areas: AreaScore) -> PainEntry:
        return PainEntry(5, BLOCK_AT + timedelta(minutes=minutes), ZONE, areas)

    right = AreaScore("lower_back", "right", 2)
    everyday = everyday_scores(
        [
            logged(-20, right),
            logged(50, right, AreaScore("leg", "left", 4)),
            logged(60, right),
            logged(511, right),
            logged(40),
        ],
        block_at=BLOCK_AT,
        prompts=PROMPTS,
    )
    # Before the block, after the diary's end and an entry without areas give nothing.
    assert [(s.minutes, s.area, s.source) for s in everyday] == [
        (50, "lower_back", FROM_EVERYDAY),
        (50, "leg", FROM_EVERYDAY),
        (60, "lower_back", FROM_EVERYDAY),
    ]
    answered = [
        PromptEntry(
            1, 60, BLOCK_AT + timedelta(minutes=61), ZONE, (AreaScore("lower_back", "right", 4),)
        )
    ]
    paper_50 = TimedScore(
        50, BLOCK_AT + timedelta(minutes=50), "lower_back", "right", 3, FROM_PAPER
    )
    analysis = analyse_block(
        [Baseline("lower_back", "right", 8, BLOCK_AT, ZONE)],
        answered,
        prompt_minutes=MINUTES,
        other_scores=[*everyday, paper_50],
    )
    # The leg has no baseline, prompt or paper score: an everyday score adds no new area.
    [area] = analysis.areas
    by_minute = {p.minutes: p for p in area.points}
    # At 50 minutes the paper score wins over the everyday one; at 60 the prompt's answer.
    assert (by_minute[50].score, by_minute[50].source) == (3, FROM_PAPER)
    assert (by_minute[60].score, by_minute[60].source) == (4, FROM_PROMPT)
    everyday_only = analyse_block(
        [Baseline("lower_back", "right", 8, BLOCK_AT, ZONE)],
        [],
        prompt_minutes=MINUTES,
        other_scores=everyday,
    )
    points = {p.minutes: p for p in everyday_only.areas[0].points}
    assert (points[50].score, points[50].relief, points[50].source) == (2, 75.0, FROM_EVERYDAY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14:30", datetime(2026, 3, 10, 14, 30, tzinfo=UTC)),
        ("9.05", datetime(2026, 3, 11, 9, 5, tzinfo=UTC)),  # before the block: next day
        ("1430", datetime(2026, 3, 10, 14, 30, tzinfo=UTC)),
        ("9h05", datetime(2026, 3, 11, 9, 5, tzinfo=UTC)),
        ("teatime", None),
        ("25:00", None),
        ("12:60", None),
        ("", None),
    ],
)
def test_a_paper_time_is_the_first_moment_after_the_block_showing_it(text, expected):
    block_at = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    assert paper_time_after(block_at, text, "Europe/London") == expected
