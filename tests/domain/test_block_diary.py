"""The block diary's schedule and the relief analysis, on hand-worked cases with exact numbers.

The default schedule: prompts 15, 30, 45 and 60 minutes after the block, then hourly to 8 hours.
Relief (%) = (baseline - score) / baseline x 100. Hours at or above the threshold run from the
first to the last prompt of the longest run at or above it (from the block itself when the run
starts at the first prompt); a missed prompt inside a run does not break it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.block_diary import (
    DONE,
    FITS,
    LONGER,
    MISSED,
    NOT_REACHED,
    OPEN,
    SHORTER,
    UNKNOWN,
    UPCOMING,
    Baseline,
    BlockDiaryInputError,
    PromptEntry,
    analyse_block,
    compare_blocks,
    diary_block,
    diary_state,
    duration_words,
    missed_entry,
    prompt_schedule,
    relief_percent,
    validate_baseline,
    validate_prompt_entry,
)
from app.domain.block_diary_words import (
    anaesthetic_sentence,
    area_notes,
    area_sentence,
    comparison_sentence,
    comparison_words,
    concordance_words,
    diary_instructions,
    fit_explanation,
    percent_text,
    relief_words,
    summary_sentence,
)
from app.domain.diary import AreaScore
from app.domain.pathway import DEFAULT_BLOCK_DIARY, BlockDiarySchedule
from app.domain.plan import Procedure

UTC = UTC
BLOCK_AT = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
MINUTES = DEFAULT_BLOCK_DIARY.prompt_minutes  # 15, 30, 45, 60, 120, ..., 480
LIDOCAINE = (1.0, 2.0)
BUPIVACAINE = (3.0, 8.0)
LB_RIGHT = ("lower_back", "right")


def baseline(score: int, area: str = "lower_back", side: str = "right") -> Baseline:
    return Baseline(area, side, score, BLOCK_AT - timedelta(minutes=30), "UTC")


def diary(
    scores: dict[int, dict[tuple[str, str], int] | int | None], key: tuple[str, str] = LB_RIGHT
) -> list[PromptEntry]:
    """Entries from {minutes: score} (one area) or {minutes: {(area, side): score}}; None is a
    missed prompt."""
    entries = []
    for minutes, value in scores.items():
        at = BLOCK_AT + timedelta(minutes=minutes)
        if value is None:
            entries.append(PromptEntry(1, minutes, at, "UTC", missed=True))
            continue
        if isinstance(value, int):
            value = {key: value}
        areas = tuple(AreaScore(a, s, v) for (a, s), v in value.items())
        entries.append(PromptEntry(1, minutes, at, "UTC", areas))
    return entries


def analyse(baselines, entries, *, threshold=80, anaesthetic="lidocaine", expected=LIDOCAINE):
    return analyse_block(
        baselines,
        entries,
        prompt_minutes=MINUTES,
        threshold=threshold,
        anaesthetic=anaesthetic,
        expected_hours=expected,
        procedure_id=1,
    )


def every_prompt(score: int) -> dict[int, int]:
    return dict.fromkeys(MINUTES, score)


# --- relief per entry ---------------------------------------------------------------------------


def test_relief_percent_is_against_the_baseline():
    assert relief_percent(8, 2) == 75.0
    assert relief_percent(8, 0) == 100.0
    assert relief_percent(5, 7) == -40.0
    assert relief_percent(0, 0) is None
    assert percent_text(87.5) == "88%" and percent_text(62.5) == "63%"
    assert relief_words(-40.0) == "40% more pain than usual"
    assert relief_words(0.0) == "no change" and relief_words(None) == "not worked out"


def test_full_relief_for_all_eight_hours():
    result = analyse(
        [baseline(8)], diary(every_prompt(0)), anaesthetic="bupivacaine", expected=BUPIVACAINE
    )
    [area] = result.areas
    assert [p.relief for p in area.points] == [100.0] * 11
    assert area.peak == 100.0 and area.peak_minutes == 15
    assert area.hours_at_threshold == 8.0  # from the block to the 8-hour prompt
    assert (area.run_from_minutes, area.run_to_minutes) == (0, 480)
    assert not area.open_ended  # the schedule's last prompt
    assert area.fit.verdict == FITS and area.fit.fits is True
    assert area.reached_threshold is True and area.lasted_as_expected is True
    assert area_sentence(area) == (
        "Your diary shows up to about 100% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 8 hours."
    )


def test_full_relief_for_eight_hours_is_longer_than_lidocaine_lasts():
    area = analyse([baseline(8)], diary(every_prompt(0))).areas[0]
    assert area.fit.verdict == LONGER and area.fit.fits is False
    assert fit_explanation(area.fit) == (
        "Relief at or above 80% lasted 8 hours; lidocaine usually lasts about 1 to 2 hours, so "
        "this is longer."
    )


def test_three_hours_of_relief_reads_as_the_issue_says():
    scores = {15: 1, 30: 1, 45: 1, 60: 1, 120: 1, 180: 1, 240: 5, 300: 7, 360: 7, 420: 7, 480: 7}
    result = analyse([baseline(7)], diary(scores), anaesthetic="bupivacaine", expected=BUPIVACAINE)
    area = result.areas[0]
    assert area.peak == pytest.approx(600 / 7)  # 85.71...
    assert area.hours_at_threshold == 3.0
    assert area.fit.verdict == FITS
    assert summary_sentence(result) == (
        "Your diary shows up to about 86% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 3 hours. "
        "Your care team will go through it with you."
    )


def test_partial_relief_with_the_80_and_the_50_percent_threshold():
    scores = {15: 4, 30: 3, 45: 3, 60: 4, 120: 5, 180: 6, 240: 8, 300: 8, 360: 8, 420: 8, 480: 8}
    at_80 = analyse([baseline(8)], diary(scores), threshold=80).areas[0]
    assert [p.relief for p in at_80.points] == [
        50.0,
        62.5,
        62.5,
        50.0,
        37.5,
        25.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ]
    assert at_80.peak == 62.5 and at_80.peak_minutes == 30
    assert at_80.hours_at_threshold == 0.0
    assert at_80.reached_threshold is False
    assert at_80.fit.verdict == NOT_REACHED
    assert fit_explanation(at_80.fit) == (
        "Relief did not reach 80%, so there is no time at or above it to compare with lidocaine."
    )
    assert area_sentence(at_80) == (
        "Your diary shows at most about 63% relief in your lower back on the right."
    )

    at_50 = analyse([baseline(8)], diary(scores), threshold=50).areas[0]
    assert at_50.reached_threshold is True
    assert at_50.hours_at_threshold == 1.0  # 50% at 15 to 60 minutes, counted from the block
    assert (at_50.run_from_minutes, at_50.run_to_minutes) == (0, 60)
    assert at_50.fit.verdict == FITS


def test_relief_that_ends_early_is_shorter_than_lidocaine_lasts():
    scores = {15: 1, 30: 0, 45: 1, 60: 3, 120: 6, 180: 6, 240: 6, 300: 6, 360: 6, 420: 6, 480: 6}
    area = analyse([baseline(6)], diary(scores)).areas[0]
    assert area.points[0].relief == pytest.approx(250 / 3)  # 83.3
    assert area.points[3].relief == 50.0
    assert area.peak == 100.0 and area.peak_minutes == 30
    assert area.hours_at_threshold == 0.75
    assert area.fit.verdict == SHORTER
    assert fit_explanation(area.fit) == (
        "Relief at or above 80% lasted 45 minutes; lidocaine usually lasts about 1 to 2 hours, "
        "so this is shorter."
    )
    assert area.lasted_as_expected is False
    # The peak (100%, at 30 minutes) is one score; the time at or above 80% is its own figure.
    assert area_sentence(area) == (
        "Your diary shows up to about 100% relief in your lower back on the right (30 minutes "
        "after the block). Relief was 80% or more for 45 minutes."
    )


def test_a_run_that_starts_after_the_first_prompt_is_measured_from_its_first_score():
    scores = {15: 5, 30: 3, 45: 1, 60: 1, 120: 1, 180: 4, 240: 6}
    area = analyse([baseline(6)], diary(scores)).areas[0]
    assert (area.run_from_minutes, area.run_to_minutes) == (45, 120)
    assert area.hours_at_threshold == 1.25


def test_the_longest_run_counts_and_the_earliest_wins_a_tie():
    scores = {15: 0, 30: 0, 45: 8, 60: 0, 120: 0, 180: 0, 240: 8}
    area = analyse([baseline(8)], diary(scores)).areas[0]
    assert (area.run_from_minutes, area.run_to_minutes) == (60, 180)
    assert area.hours_at_threshold == 2.0
    tie = analyse([baseline(8)], diary({15: 0, 30: 0, 45: 8, 60: 0, 120: 8})).areas[0]
    assert (tie.run_from_minutes, tie.run_to_minutes) == (0, 30)


def test_pain_worse_than_baseline_is_more_pain_than_usual():
    scores = {15: 6, 30: 7, 45: 5, 60: 5, 120: 5, 180: 5, 240: 5, 300: 5, 360: 5, 420: 5, 480: 5}
    area = analyse([baseline(5)], diary(scores)).areas[0]
    assert [p.relief for p in area.points[:4]] == [-20.0, -40.0, 0.0, 0.0]
    assert area.peak == 0.0 and area.peak_minutes == 45
    assert area.lowest_relief == -40.0
    assert area.worse_than_usual
    assert area.hours_at_threshold == 0.0
    assert area.fit.verdict == NOT_REACHED
    assert (
        "At times the pain was worse than usual (lower back, right side: up to 40% more "
        "pain than usual)."
    ) in area_notes(area)
    assert area_sentence(area) == (
        "Your diary shows more pain than usual in your lower back on the right after the block "
        "(up to 40% more)."
    )


def test_no_change_at_all_is_said_plainly():
    area = analyse([baseline(5)], diary({15: 5, 30: 5})).areas[0]
    assert area_sentence(area) == (
        "Your diary shows no relief in your lower back on the right: the pain stayed at its "
        "usual level."
    )


def test_a_zero_baseline_cannot_give_a_percentage():
    area = analyse([baseline(0)], diary({15: 0, 30: 2, 45: 0})).areas[0]
    assert [p.score for p in area.points] == [0, 2, 0]
    assert [p.relief for p in area.points] == [None, None, None]
    assert area.peak is None and area.hours_at_threshold is None
    assert area.reached_threshold is None
    assert area_notes(area)[0] == (
        "Relief in percent cannot be worked out when the usual pain was 0 (lower back, right side)."
    )
    assert area.fit.verdict == UNKNOWN and area.fit.fits is None
    assert fit_explanation(area.fit) == (
        "How long relief lasted cannot be worked out because the usual pain was 0."
    )
    assert area_sentence(area) == (
        "Your usual pain in your lower back on the right was 0, so relief in percent cannot be "
        "worked out; your scores are in the diary."
    )


def test_missed_prompts_are_gaps_and_one_inside_a_run_does_not_break_it():
    scores = {15: 1, 30: None, 45: 0, 60: 1, 120: None, 180: 2, 240: 8}
    area = analyse([baseline(8)], diary(scores)).areas[0]
    assert [p.minutes for p in area.points] == [15, 30, 45, 60, 120, 180, 240]
    assert [p.score for p in area.points] == [1, None, 0, 1, None, 2, 8]
    assert [p.missed for p in area.points] == [False, True, False, False, True, False, False]
    assert area.points[1].relief is None
    # 15 to 60 at or above 80% with the 30-minute gap inside; 180 is 75%, so the 120 gap ends it.
    assert (area.run_from_minutes, area.run_to_minutes) == (0, 60)
    assert area.hours_at_threshold == 1.0
    assert area.missed_in_run == 1
    assert area.fit.verdict == FITS
    assert (
        "2 prompts were missed or not scored for lower back, right side; missed prompts are "
        "shown as gaps, never filled in."
    ) in area_notes(area)


def test_a_prompt_with_no_record_before_the_last_one_counts_as_missed():
    area = analyse([baseline(8)], diary({15: 0, 60: 0, 120: 8})).areas[0]
    assert [p.minutes for p in area.points] == [15, 30, 45, 60, 120]
    assert [p.missed for p in area.points] == [False, True, True, False, False]
    assert area.hours_at_threshold == 1.0 and area.missed_in_run == 2


def test_a_missed_first_prompt_means_the_run_starts_at_its_first_score():
    area = analyse([baseline(8)], diary({15: None, 30: 0, 45: 0, 60: 8})).areas[0]
    assert (area.run_from_minutes, area.run_to_minutes) == (30, 45)
    assert area.hours_at_threshold == 0.25


def test_relief_still_going_when_the_scores_stop_may_have_lasted_longer():
    area = analyse([baseline(8)], diary({15: 0, 30: 0, 45: 1})).areas[0]
    assert area.hours_at_threshold == 0.75
    assert area.open_ended
    assert area.fit.verdict == UNKNOWN
    assert "may have lasted longer" in " ".join(area_notes(area))
    assert area_sentence(area).endswith("for 45 minutes or more.")
    missed_after = analyse([baseline(8)], diary({15: 0, 30: 0, 45: None, 60: None})).areas[0]
    assert missed_after.open_ended and missed_after.hours_at_threshold == 0.5


def test_open_ended_relief_says_yet_only_while_the_diary_runs():
    # Lidocaine: 100% from 15 to 45 minutes, the rest not reached yet: 45 minutes or more.
    running = analyse([baseline(8)], diary({15: 0, 30: 0, 45: 0})).areas[0]
    assert running.fit.verdict == UNKNOWN and running.lasted_as_expected is None
    assert fit_explanation(running.fit) == (
        "Relief was still at or above 80% at the last score, after 45 minutes, and the diary "
        "has more questions to come; lidocaine usually lasts about 1 to 2 hours, so whether it "
        "lasted that long cannot be told yet."
    )
    # The diary is over and every later prompt was missed: no "yet".
    over = analyse(
        [baseline(8)], diary({15: 0, 30: 0, 45: 0, **{m: None for m in MINUTES if m > 45}})
    ).areas[0]
    assert over.open_ended and over.lasted_as_expected is None
    assert fit_explanation(over.fit) == (
        "Relief was still at or above 80% at the last score, after 45 minutes, and the "
        "questions after it were missed; lidocaine usually lasts about 1 to 2 hours, so "
        "whether it lasted that long cannot be told from the diary."
    )
    # Past the low end when the scores stop: it lasted as long as expected, whatever came next.
    long_enough = analyse([baseline(8)], diary({15: 0, 30: 0, 45: 0, 60: 0, 120: 0})).areas[0]
    assert long_enough.fit.verdict == UNKNOWN and long_enough.lasted_as_expected is True
    assert "cannot be said yet" not in fit_explanation(long_enough.fit)


def test_a_single_entry_gives_relief_but_no_duration():
    area = analyse([baseline(8)], diary({15: 2})).areas[0]
    assert area.peak == 75.0
    assert area.hours_at_threshold is None
    assert area.fit.verdict == UNKNOWN
    assert fit_explanation(area.fit) == (
        "How long relief lasted cannot be worked out because only one score was recorded."
    )
    assert area_sentence(area) == (
        "Your diary has one score for the pain in your lower back on the right: 75% relief "
        "15 minutes after the block."
    )


def test_no_baseline_and_no_scores_are_explained():
    no_baseline = analyse([], diary({15: 2, 30: 2})).areas[0]
    assert no_baseline.baseline is None and no_baseline.peak is None
    assert area_notes(no_baseline)[0].startswith("No usual pain (baseline) was recorded")
    no_scores = analyse([baseline(6)], []).areas[0]
    assert no_scores.points == () and no_scores.peak is None
    assert area_sentence(no_scores) == (
        "Your diary has no scores for the pain in your lower back on the right after the block."
    )
    assert summary_sentence(analyse([], [])) == (
        "Your diary for this block holds no scores. Your care team will go through it with you."
    )


def test_the_anaesthetic_sentence_gives_its_usual_hours_without_a_verdict():
    result = analyse([baseline(8)], diary({15: 0, 30: 8}))
    assert anaesthetic_sentence(result) == (
        "The numbing medicine used, lidocaine, usually works for about 1 to 2 hours. Your "
        "clinic looks at both how much your pain eased and how long it stayed eased."
    )
    assert (
        anaesthetic_sentence(
            analyse([baseline(8)], diary({15: 0}), anaesthetic=None, expected=None)
        )
        == ""
    )


def test_no_anaesthetic_recorded_cannot_be_compared():
    area = analyse([baseline(8)], diary(every_prompt(0)), anaesthetic=None, expected=None).areas[0]
    assert area.fit.verdict == UNKNOWN
    assert "anaesthetic used for this block is not recorded" in fit_explanation(area.fit)


def test_two_areas_are_analysed_separately():
    both = {
        15: {LB_RIGHT: 1, ("buttock", "right"): 1},
        30: {LB_RIGHT: 1, ("buttock", "right"): 2},
        45: {LB_RIGHT: 1, ("buttock", "right"): 3},
        60: {LB_RIGHT: 2, ("buttock", "right"): 4},
        120: {LB_RIGHT: 6, ("buttock", "right"): 4},
    }
    result = analyse([baseline(8), baseline(4, "buttock")], diary(both))
    assert [(a.area, a.side) for a in result.areas] == [LB_RIGHT, ("buttock", "right")]
    back, buttock = result.areas
    assert [p.relief for p in back.points] == [87.5, 87.5, 87.5, 75.0, 25.0]
    assert back.hours_at_threshold == 0.75
    assert [p.relief for p in buttock.points] == [75.0, 50.0, 25.0, 0.0, 0.0]
    assert buttock.peak == 75.0 and buttock.hours_at_threshold == 0.0
    assert result.area("buttock", "right") is buttock
    assert summary_sentence(result) == (
        "Your diary shows up to about 88% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 45 minutes. "
        "Your diary shows at most about 75% relief in your buttock on the right. "
        "Your care team will go through it with you."
    )


def test_both_sides_are_analysed_separately():
    left, right = ("lower_back", "left"), LB_RIGHT
    scores = {
        15: {left: 0, right: 1},
        30: {left: 0, right: 1},
        45: {left: 1, right: 1},
        60: {left: 1, right: 1},
        120: {left: 1, right: 5},
        180: {left: 1, right: 7},
        240: {left: 4, right: 7},
    }
    result = analyse(
        [baseline(6, side="left"), baseline(7, side="right")],
        diary(scores),
        anaesthetic="bupivacaine",
        expected=BUPIVACAINE,
    )
    assert [(a.area, a.side) for a in result.areas] == [left, right]  # left before right
    left_result, right_result = result.areas
    assert left_result.hours_at_threshold == 3.0 and left_result.fit.verdict == FITS
    assert right_result.points[0].relief == pytest.approx(600 / 7)
    assert right_result.hours_at_threshold == 1.0 and right_result.fit.verdict == SHORTER
    assert summary_sentence(result) == (
        "Your diary shows up to about 100% relief in your lower back on the left (15 minutes "
        "after the block). Relief was 80% or more for 3 hours. "
        "Your diary shows up to about 86% relief in your lower back on the right (15 minutes "
        "after the block). Relief was 80% or more for 1 hour. "
        "Your care team will go through it with you."
    )


# --- two blocks ---------------------------------------------------------------------------------
# Baseline 8 throughout, so a score of 1 is 87.5% relief, 0 is 100%, 2 is 75%.
# Expected hours: lidocaine 1 to 2, bupivacaine 3 to 8.


def _block(scores, anaesthetic, expected, threshold=80):
    return analyse(
        [baseline(8)],
        diary(scores),
        threshold=threshold,
        anaesthetic=anaesthetic,
        expected=expected,
    )


def _rest(score: int, after: int) -> dict[int, int]:
    """The same score at every prompt later than `after` minutes."""
    return {m: score for m in MINUTES if m > after}


def test_two_brief_positives_get_no_verdict():
    # Lidocaine: 100% and 87.5% at 15 and 30 minutes, then 37.5% at 45: 0:00-0:30 = 30 minutes.
    first = _block({15: 0, 30: 1, 45: 5, **_rest(7, 45)}, "lidocaine", LIDOCAINE)
    # Bupivacaine: 87.5% or more from 15 to 60 minutes, 37.5% at 2 hours: 0:00-1:00 = 1 hour.
    second = _block({15: 1, 30: 0, 45: 1, 60: 1, **_rest(5, 60)}, "bupivacaine", BUPIVACAINE)
    one, two = first.areas[0], second.areas[0]
    assert (one.reached_threshold, one.hours_at_threshold, one.lasted_as_expected) == (
        True,
        0.5,
        False,
    )
    assert (two.reached_threshold, two.hours_at_threshold, two.lasted_as_expected) == (
        True,
        1.0,
        False,
    )
    comparison = compare_blocks(first, second)
    [area] = comparison.areas
    assert area.both_parts is False and area.concordant is None
    assert comparison.both_parts is False
    assert comparison_words(area) == (
        "Lower back, right side: first block (lidocaine): reached 80% (peak 100%); at or above "
        "80% for 30 minutes, and lidocaine usually lasts about 1 to 2 hours: lasted as long as "
        "expected: no. Second block (bupivacaine): reached 80% (peak 100%); at or above 80% for "
        "1 hour, and bupivacaine usually lasts about 3 to 8 hours: lasted as long as expected: "
        "no. Both parts met: first block no, second block no."
    )
    sentence = comparison_sentence(comparison)
    assert "agree" not in sentence and "concordant" not in sentence


def test_two_negative_blocks_get_no_verdict():
    first = _block(every_prompt(5), "lidocaine", LIDOCAINE)  # 37.5% throughout
    second = _block(every_prompt(4), "bupivacaine", BUPIVACAINE)  # 50% throughout
    one, two = first.areas[0], second.areas[0]
    assert (one.reached_threshold, one.lasted_as_expected) == (False, False)
    assert (two.reached_threshold, two.lasted_as_expected) == (False, False)
    [area] = compare_blocks(first, second).areas
    assert area.both_parts is False and area.concordant is None
    assert comparison_words(area) == (
        "Lower back, right side: first block (lidocaine): did not reach 80% (peak 38%). Second "
        "block (bupivacaine): did not reach 80% (peak 50%). Both parts met: first block no, "
        "second block no."
    )


def test_one_positive_and_one_brief_block():
    # Lidocaine: 87.5% or more from 15 minutes to 2 hours, 25% at 3 hours: 2 hours, fits 1-2.
    first = _block({15: 0, 30: 0, 45: 1, 60: 1, 120: 1, 180: 6, 240: 8}, "lidocaine", LIDOCAINE)
    # Bupivacaine: 87.5% or more to 1 hour, 25% at 2 hours: 1 hour, under the 3 expected.
    second = _block({15: 0, 30: 0, 45: 0, 60: 1, **_rest(6, 60)}, "bupivacaine", BUPIVACAINE)
    assert first.areas[0].hours_at_threshold == 2.0 and first.areas[0].fit.verdict == FITS
    assert second.areas[0].hours_at_threshold == 1.0 and second.areas[0].fit.verdict == SHORTER
    [area] = compare_blocks(first, second).areas
    assert area.both_parts is False and area.concordant is None
    assert comparison_words(area).endswith(
        "lasted as long as expected: no. Both parts met: first block yes, second block no."
    )
    assert (
        "at or above 80% for 2 hours, and lidocaine usually lasts about 1 to 2 hours: "
        "lasted as long as expected: yes."
    ) in comparison_words(area)


def test_a_true_concordant_pair():
    first = _block(
        {15: 0, 30: 0, 45: 1, 60: 1, 120: 1, 180: 6, 240: 8}, "lidocaine", LIDOCAINE
    )  # 2 hours
    # Bupivacaine: 87.5% or more from 15 minutes to 5 hours, 37.5% at 6 hours: 5 hours.
    second = _block(
        {15: 1, 30: 0, 45: 0, 60: 0, 120: 0, 180: 1, 240: 1, 300: 1, 360: 5, 420: 8, 480: 8},
        "bupivacaine",
        BUPIVACAINE,
    )
    assert second.areas[0].hours_at_threshold == 5.0 and second.areas[0].fit.verdict == FITS
    comparison = compare_blocks(first, second)
    [area] = comparison.areas
    assert area.both_parts is True and area.concordant is True
    assert comparison.both_parts is True
    assert comparison_sentence(comparison).endswith(
        "Both blocks met both parts: enough relief, for as long as expected. Relief at or above "
        "80% lasted 5 hours after bupivacaine and 2 hours after lidocaine: longer after the "
        "longer-acting medicine (concordant). Your care team will go through it with you."
    )


def test_both_parts_met_but_not_longer_after_bupivacaine_is_not_concordant():
    # Lidocaine 0:00-4:00 = 4 hours (longer than 1-2: lasted yes); bupivacaine 0:00-3:00.
    first = _block(
        {15: 0, 30: 0, 45: 0, 60: 0, 120: 0, 180: 0, 240: 0, 300: 8}, "lidocaine", LIDOCAINE
    )
    second = _block(
        {15: 0, 30: 0, 45: 0, 60: 0, 120: 0, 180: 0, **_rest(8, 180)}, "bupivacaine", BUPIVACAINE
    )
    assert first.areas[0].fit.verdict == LONGER and first.areas[0].lasted_as_expected is True
    [area] = compare_blocks(first, second).areas
    assert area.both_parts is True and area.concordant is False
    assert comparison_words(area).endswith(
        "lasted 3 hours after bupivacaine and 4 hours after lidocaine: not longer after the "
        "longer-acting medicine."
    )


def test_concordance_is_not_told_when_the_shorter_block_may_have_lasted_longer():
    # Lidocaine: 100% to 2 hours, then every prompt missed: at least 2 hours (lasted: yes),
    # but it may have gone on past the 5 hours after bupivacaine.
    first = _block(
        {15: 0, 30: 0, 45: 0, 60: 0, 120: 0, **{m: None for m in MINUTES if m > 120}},
        "lidocaine",
        LIDOCAINE,
    )
    second = _block(
        {15: 1, 30: 0, 45: 0, 60: 0, 120: 0, 180: 1, 240: 1, 300: 1, 360: 5, 420: 8, 480: 8},
        "bupivacaine",
        BUPIVACAINE,
    )
    assert first.areas[0].open_ended and first.areas[0].lasted_as_expected is True
    [area] = compare_blocks(first, second).areas
    assert area.both_parts is True and area.concordant is None
    assert comparison_words(area).endswith(
        "lasted 5 hours after bupivacaine and 2 hours after lidocaine: whether it lasted longer "
        "after the longer-acting medicine cannot be told, because missed or missing scores "
        "leave the end of the relief open."
    )


def test_a_missed_prompt_after_the_short_block_still_allows_concordance_when_it_is_bounded():
    # The demo's story: lidocaine 100% to 2 hours, 3 hours missed, 25% at 4 hours: relief
    # ended before 4 hours. Bupivacaine lasted 5 hours, more than 4: concordant.
    first = _block(
        {15: 0, 30: 0, 45: 0, 60: 0, 120: 0, 180: None, **_rest(6, 180)}, "lidocaine", LIDOCAINE
    )
    assert first.areas[0].next_score_after_gap == 240 and first.areas[0].fit.verdict == FITS
    second = _block(
        {15: 1, 30: 0, 45: 0, 60: 0, 120: 0, 180: 1, 240: 1, 300: 1, 360: 5, 420: 8, 480: 8},
        "bupivacaine",
        BUPIVACAINE,
    )
    [area] = compare_blocks(first, second).areas
    assert area.both_parts is True and area.concordant is True
    assert concordance_words(area) == (
        "Relief at or above 80% lasted 5 hours after bupivacaine and 2 hours after lidocaine: "
        "longer after the longer-acting medicine (concordant)."
    )
    # Bupivacaine for 3 hours: more than the 2 measured after lidocaine, but not more than
    # the just-under-4 it may have lasted: can't tell.
    short_long = _block(
        {15: 1, 30: 0, 45: 0, 60: 0, 120: 0, 180: 1, **_rest(8, 180)}, "bupivacaine", BUPIVACAINE
    )
    assert compare_blocks(first, short_long).areas[0].concordant is None


def test_missed_prompts_right_after_the_run_leave_the_duration_untold():
    # Bupivacaine: 100% to 2 hours (run 0:00-2:00), 3 hours missed, 12.5% at 4 hours: relief
    # may have lasted until just before 4 hours, past the 3 expected, so it cannot be told.
    scores = {15: 0, 30: 0, 45: 0, 60: 0, 120: 0, 180: None, **_rest(7, 180)}
    second = _block(scores, "bupivacaine", BUPIVACAINE)
    area = second.areas[0]
    assert area.hours_at_threshold == 2.0 and area.next_score_after_gap == 240
    assert area.fit.verdict == UNKNOWN and area.lasted_as_expected is None
    assert fit_explanation(area.fit) == (
        "Relief at or above 80% lasted at least 2 hours; the questions right after that were "
        "missed, so it may have lasted up to just under 4 hours; bupivacaine usually lasts "
        "about 3 to 8 hours, so whether it lasted that long cannot be told from the diary."
    )
    first = _block({15: 0, 30: 0, 45: 1, 60: 1, 120: 1, 180: 6, 240: 8}, "lidocaine", LIDOCAINE)
    comparison = compare_blocks(first, second)
    assert comparison.areas[0].both_parts is None and comparison.both_parts is None
    assert comparison_words(comparison.areas[0]).endswith(
        "Both parts met: first block yes, second block can't tell."
    )
    # With the next score at 3 hours the relief ended before 3 hours: shorter, lasted no.
    shorter = _block(
        {15: 0, 30: 0, 45: 0, 60: 0, 120: None, 180: 7}, "bupivacaine", BUPIVACAINE
    ).areas[0]
    assert shorter.hours_at_threshold == 1.0 and shorter.next_score_after_gap == 180
    assert shorter.fit.verdict == SHORTER and shorter.lasted_as_expected is False


def test_two_blocks_at_the_50_percent_threshold():
    # 50% relief is a score of 4: lidocaine 0:00-0:45 (60 minutes is 25%), bupivacaine 0:00-3:00.
    first = _block({15: 4, 30: 3, 45: 4, 60: 6}, "lidocaine", LIDOCAINE, threshold=50)
    second = _block(
        {15: 1, 30: 1, 45: 1, 60: 1, 120: 1, 180: 3, 240: 6},
        "bupivacaine",
        BUPIVACAINE,
        threshold=50,
    )
    assert first.areas[0].hours_at_threshold == 0.75
    area = compare_blocks(first, second).areas[0]
    assert area.both_parts is False and area.concordant is None
    assert "first block (lidocaine): reached 50% (peak 63%); at or above 50% for 45 minutes" in (
        comparison_words(area)
    )


def test_blocks_that_cannot_be_compared():
    first = analyse([baseline(0)], diary({15: 0, 30: 0}))
    second = _block({15: 0, 30: 0}, "bupivacaine", BUPIVACAINE)
    comparison = compare_blocks(first, second)
    assert comparison.both_parts is None
    assert comparison_words(comparison.areas[0]).startswith(
        "Lower back, right side: first block (lidocaine): relief cannot be worked out (how "
        "long relief lasted cannot be worked out because the usual pain was 0)."
    )
    other_side = analyse([baseline(6, side="left")], diary({15: 0}, key=("lower_back", "left")))
    assert compare_blocks(other_side, second).areas == ()
    assert compare_blocks(other_side, second).both_parts is None
    assert comparison_sentence(compare_blocks(other_side, second)).startswith(
        "The two diaries have no area"
    )


# --- the prompts --------------------------------------------------------------------------------


def test_the_schedule_closes_each_prompt_when_the_next_is_due_or_after_30_minutes():
    prompts = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
    assert [p.minutes for p in prompts] == list(MINUTES)
    assert [(p.closes - p.due) for p in prompts] == (
        [timedelta(minutes=15)] * 3 + [timedelta(minutes=30)] * 8
    )
    assert prompts[0].due == datetime(2026, 3, 10, 13, 15, tzinfo=UTC)
    assert prompts[-1].due == datetime(2026, 3, 10, 21, 0, tzinfo=UTC)


def test_the_schedule_is_real_minutes_across_a_change_of_clocks():
    from zoneinfo import ZoneInfo

    # London clocks go forward at 01:00 UTC on 29 March 2026.
    block_at = datetime(2026, 3, 29, 0, 30, tzinfo=ZoneInfo("Europe/London"))
    prompts = prompt_schedule(block_at, BlockDiarySchedule((60, 120), 0))
    assert [p.due.astimezone(ZoneInfo("Europe/London")).hour for p in prompts] == [2, 3]
    assert prompts[1].due - prompts[0].due == timedelta(hours=1)


def test_the_state_before_during_and_after_the_prompts():
    prompts = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
    before = diary_state(prompts, [], BLOCK_AT)
    assert before.current is None and before.next.minutes == 15
    assert before.countdown == timedelta(minutes=15)
    assert all(s.state == UPCOMING for s in before.prompts)

    during = diary_state(prompts, [], BLOCK_AT + timedelta(minutes=20))
    assert during.current.minutes == 15 and during.answer_by == BLOCK_AT + timedelta(minutes=30)
    assert during.next.minutes == 30 and during.countdown == timedelta(minutes=10)
    assert during.prompts[0].state == OPEN

    late = diary_state(prompts, [], BLOCK_AT + timedelta(minutes=31))
    assert [p.minutes for p in late.to_mark_missed] == [15]
    assert late.current.minutes == 30

    answered = diary({15: 2}) + [missed_entry(1, prompts[1], "UTC")]
    later = diary_state(prompts, answered, BLOCK_AT + timedelta(minutes=46))
    assert [s.state for s in later.prompts[:3]] == [DONE, MISSED, OPEN]
    assert later.to_mark_missed == ()
    assert later.prompts[1].entry.at == prompts[1].due  # a missed prompt is dated when due

    end = diary_state(prompts, [], BLOCK_AT + timedelta(hours=9))
    assert end.finished and end.next is None and end.countdown is None
    assert len(end.to_mark_missed) == 11


def test_a_prompt_is_answered_only_while_it_is_open():
    prompts = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
    raw = {
        "scores": [{"area": "lower_back", "side": "right", "score": "2"}],
        "activity": "  walking the dog ",
    }
    now = BLOCK_AT + timedelta(minutes=17)
    entry = validate_prompt_entry(raw, prompt=prompts[0], procedure_id=4, now=now, zone="UTC")
    assert entry.minutes == 15 and entry.at == now and entry.activity == "walking the dog"
    assert entry.scores == (AreaScore("lower_back", "right", 2),) and not entry.missed

    with pytest.raises(BlockDiaryInputError) as early:
        validate_prompt_entry(raw, prompt=prompts[1], procedure_id=4, now=now, zone="UTC")
    assert early.value.errors["prompt"] == (
        "This question opens at 13:30, 30 minutes after the block."
    )
    with pytest.raises(BlockDiaryInputError) as late:
        validate_prompt_entry(
            raw, prompt=prompts[0], procedure_id=4, now=BLOCK_AT + timedelta(minutes=30), zone="UTC"
        )
    assert late.value.errors["prompt"].startswith(
        "This question closed at 13:30. It stays marked as missed"
    )


def test_prompt_answers_explain_each_bad_field():
    prompts = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
    now = BLOCK_AT + timedelta(minutes=16)
    with pytest.raises(BlockDiaryInputError) as empty:
        validate_prompt_entry({}, prompt=prompts[0], procedure_id=1, now=now, zone="UTC")
    assert empty.value.errors == {"scores": "Choose a number from 0 to 10 for at least one area."}
    bad = {
        "scores": [
            {"area": "knee", "side": "right", "score": 3},
            {"area": "neck", "side": "left", "score": 11},
        ],
        "activity": "x" * 201,
    }
    with pytest.raises(BlockDiaryInputError) as error:
        validate_prompt_entry(bad, prompt=prompts[0], procedure_id=1, now=now, zone="UTC")
    assert set(error.value.errors) == {"scores.0", "scores.1", "activity"}
    assert "“knee” is not a pain area" in error.value.errors["scores.0"]
    assert error.value.errors["scores.1"] == (
        "The pain score must be a whole number from 0 to 10, not “11”."
    )


def test_a_baseline_is_checked_and_dated_before_the_block_by_default():
    now = BLOCK_AT + timedelta(minutes=20)
    saved = validate_baseline(
        {"area": "neck", "side": "both", "score": 7, "activity": "turning my head"},
        now=now,
        zone="Europe/London",
        block_at=BLOCK_AT,
    )
    assert saved == Baseline("neck", "both", 7, BLOCK_AT, "Europe/London", "turning my head")
    early = validate_baseline(
        {"area": "neck", "side": "left", "score": 6},
        now=BLOCK_AT - timedelta(hours=1),
        zone="UTC",
        block_at=BLOCK_AT,
    )
    assert early.at == BLOCK_AT - timedelta(hours=1)
    with pytest.raises(BlockDiaryInputError) as error:
        validate_baseline(
            {"area": "elbow", "side": "up", "score": "", "at": "tomorrow"}, now=now, zone="UTC"
        )
    assert set(error.value.errors) == {"area", "side", "score", "at"}
    assert error.value.errors["side"] == "Choose left, right or both, not “up”."
    with pytest.raises(BlockDiaryInputError) as future:
        validate_baseline(
            {
                "area": "neck",
                "side": "left",
                "score": 5,
                "at": (now + timedelta(hours=1)).isoformat(),
            },
            now=now,
            zone="UTC",
        )
    assert future.value.errors == {
        "at": "That time is in the future. Choose now or a time that has passed."
    }


def test_a_usual_pain_of_0_asks_whether_the_place_usually_hurts():
    with pytest.raises(BlockDiaryInputError) as zero:
        validate_baseline(
            {"area": "buttock", "side": "left", "score": 0},
            now=BLOCK_AT,
            zone="UTC",
            block_at=BLOCK_AT,
        )
    assert zero.value.errors == {
        "score": (
            "You chose 0. Does this place usually hurt? If not, leave it out: "
            "with a usual pain of 0 the diary cannot show relief there."
        )
    }
    assert (
        validate_baseline(
            {"area": "buttock", "side": "left", "score": 1},
            now=BLOCK_AT,
            zone="UTC",
            block_at=BLOCK_AT,
        ).score
        == 1
    )


def test_a_baseline_dated_after_the_block_started_is_refused():
    now = BLOCK_AT + timedelta(hours=2)
    with pytest.raises(BlockDiaryInputError) as late:
        validate_baseline(
            {
                "area": "neck",
                "side": "left",
                "score": 6,
                "at": (BLOCK_AT + timedelta(minutes=1)).isoformat(),
            },
            now=now,
            zone="Europe/London",
            block_at=BLOCK_AT,
        )
    assert late.value.errors == {
        "at": (
            "Your usual pain is the pain before the block, so it cannot be dated after the block "
            "started (today, Tuesday 10 March, 13:00). Choose a time before that."
        )
    }
    at_the_block = validate_baseline(
        {"area": "neck", "side": "left", "score": 6, "at": BLOCK_AT.isoformat()},
        now=now,
        zone="UTC",
        block_at=BLOCK_AT,
    )
    assert at_the_block.at == BLOCK_AT


def test_which_block_the_diary_is_about():
    def block(hours: float, pid: int, **kw) -> Procedure:
        return Procedure(
            "test-block",
            "lumbar",
            "right",
            BLOCK_AT + timedelta(hours=hours),
            "UTC",
            "lidocaine",
            id=pid,
            **kw,
        )

    rfa = Procedure("rfa", "lumbar", "right", BLOCK_AT, "UTC", id=9)
    now = BLOCK_AT
    assert diary_block([], now) is None
    assert diary_block([rfa], now) is None
    assert diary_block([block(-500, 1), block(2, 2)], now).id == 2  # starts within a day
    assert diary_block([block(-500, 1), block(48, 2)], now).id == 1  # the one that happened
    assert diary_block([block(48, 2), block(96, 3)], now).id == 2  # none yet: the next
    assert diary_block([block(-1, 1), block(-2, 2, cancelled=True)], now).id == 1


def test_the_instructions_name_the_diary_hours_and_the_clinics_words():
    prompts = prompt_schedule(BLOCK_AT, DEFAULT_BLOCK_DIARY)
    lines = diary_instructions(prompts, " No ibuprofen today. ")
    assert "no napping for the 8 hours of the diary" in lines[2]
    assert lines[3:] == (
        "About pain medicine, your clinic says: No ibuprofen today.",
        "Keep taking any medicine you were told not to stop.",
    )
    # Without the clinic's words the app gives no instruction of its own about pain medicine.
    assert diary_instructions(prompts)[3:] == (
        "For pain medicine during the 8 hours of the diary, follow what your clinic told you. "
        "If you are not sure, ask them.",
        "Keep taking any medicine you were told not to stop.",
    )
    assert not any("no pain medicine" in line.lower() for line in diary_instructions(prompts))


def test_duration_words():
    assert duration_words(45) == "45 minutes"
    assert duration_words(60) == "1 hour"
    assert duration_words(165) == "2 hours 45 minutes"
    assert duration_words(0) == "0 minutes"
