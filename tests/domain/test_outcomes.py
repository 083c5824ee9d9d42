"""Outcomes after RFA: PEG, the check-in schedule, change against the baseline, and the fading
note, on hand-worked numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.outcomes import (
    FADING,
    FADING_NEXT,
    FADING_NOTE,
    LITTLE_CHANGE,
    OutcomeCheckIn,
    OutcomeInputError,
    Peg,
    change,
    checkin_schedule,
    near_baseline,
    next_checkin,
    open_checkin,
    outcome_trend,
    validate_checkin,
)
from app.domain.pathway import DEFAULT_OUTCOME_WEEKS

UTC = UTC
NEW_YORK = "America/New_York"
RFA_AT = datetime(2026, 3, 12, 13, 30, tzinfo=UTC)  # 09:30 in New York (summer time)


def checkins(baseline: int, **weeks: int) -> list[OutcomeCheckIn]:
    made = [OutcomeCheckIn(7, 0, RFA_AT - timedelta(days=1), NEW_YORK, baseline)]
    for name, pain in weeks.items():
        week = int(name[1:])
        made.append(OutcomeCheckIn(7, week, RFA_AT + timedelta(weeks=week), NEW_YORK, pain))
    return made


def test_peg_is_the_mean_of_three_items_to_one_decimal():
    assert Peg(6, 7, 4).score == 5.7
    assert Peg(5, 5, 5).score == 5.0
    assert Peg(1, 0, 0).score == 0.3
    assert Peg(10, 10, 9).score == 9.7


def test_check_ins_fall_on_the_pathways_weeks_at_ten_local_time():
    schedule = checkin_schedule(RFA_AT, NEW_YORK, DEFAULT_OUTCOME_WEEKS)
    assert [c.week for c in schedule] == [2, 4, 12, 26, 52]
    local = [c.due.astimezone(ZoneInfo(NEW_YORK)) for c in schedule]
    assert [d.date().isoformat() for d in local] == [
        "2026-03-26",
        "2026-04-09",
        "2026-06-04",
        "2026-09-10",
        "2027-03-11",
    ]
    assert all(d.hour == 10 for d in local)
    assert schedule[4].due == datetime(2027, 3, 11, 15, 0, tzinfo=UTC)  # winter time again
    assert schedule[0].opens == schedule[0].due - timedelta(days=3)
    assert schedule[0].closes == schedule[1].opens
    assert schedule[-1].closes == schedule[-1].due + timedelta(weeks=8)


def test_which_check_in_is_open():
    schedule = checkin_schedule(RFA_AT, NEW_YORK, DEFAULT_OUTCOME_WEEKS)
    two_weeks = schedule[0].due
    assert open_checkin(schedule, [], two_weeks).week == 2
    assert open_checkin(schedule, [2], two_weeks) is None
    assert next_checkin(schedule, two_weeks).week == 4
    assert open_checkin(schedule, [], RFA_AT + timedelta(days=1)) is None
    assert schedule[0].state(schedule[1].due, False) == "missed"


@pytest.mark.parametrize(
    "baseline, pain, points, percent, meaningful, words",
    [
        (7, 5, 2, 200 / 7, True, "2 points better (29%)"),  # 2 points
        (8, 7, 1, 12.5, False, "1 point better (13%)"),
        (3, 2, 1, 100 / 3, True, "1 point better (33%)"),  # 30%
        (10, 8, 2, 20.0, True, "2 points better (20%)"),
        (5, 8, -3, -60.0, True, "3 points worse (60%)"),  # a meaningful worsening
        (6, 6, 0, 0.0, False, "no change"),
        (0, 0, 0, None, False, "no change"),
        (0, 1, -1, None, False, "1 point worse"),
    ],
)
def test_change_against_the_baseline(baseline, pain, points, percent, meaningful, words):
    result = change(baseline, pain)
    assert result.points == points
    assert result.percent == (pytest.approx(percent) if percent is not None else None)
    assert result.meaningful is meaningful
    assert result.words == words


def test_peg_change_is_in_tenths():
    result = change(Peg(7, 7, 6).score, Peg(5, 5, 6).score)  # 6.7 -> 5.3
    assert result.points == 1.4
    assert result.percent == pytest.approx(1.4 / 6.7 * 100)
    assert result.words == "1.4 points better (21%)"


def test_near_the_baseline_is_within_one_point_or_twenty_percent():
    assert near_baseline(8, 7) and not near_baseline(8, 6)  # 20% of 8 is 1.6
    assert near_baseline(10, 8) and not near_baseline(10, 7)  # 20% of 10 is 2
    assert near_baseline(3, 2) and near_baseline(3, 5)  # at least a point; worse is near too


def test_relief_fading_at_two_check_ins_in_a_row_after_earlier_improvement():
    trend = outcome_trend(checkins(7, w2=3, w4=2, w12=3, w26=6, w52=7))
    assert [p.pain.points for p in trend.points] == [4, 5, 4, 1, 0]
    assert [p.pain.meaningful for p in trend.points] == [True, True, True, False, False]
    assert trend.note_kind == FADING and trend.note == FADING_NOTE + " " + FADING_NEXT
    assert "clinic visit" in trend.note and "repeat" in trend.note


def test_a_small_change_between_check_ins_is_not_fading():
    # 8 -> 5 (37.5% relief) -> 6 (25%): never 50%, and up 1 point from the best.
    assert outcome_trend(checkins(8, w2=5, w4=6)).note_kind is None
    # The latest is the best: 2 (71%).
    assert outcome_trend(checkins(7, w2=3, w4=6, w12=2)).note_kind is None


def test_relief_falling_from_50_percent_or_more_to_under_50_is_fading():
    # Baseline 8: week 2 at 3 (62.5%), week 4 at 2 (75%, the most), week 12 at 5 (37.5%).
    trend = outcome_trend(checkins(8, w2=3, w4=2, w12=5))
    assert trend.note_kind == FADING
    assert trend.note == (
        "At your 4-week check-in your pain was 75% better than before the RFA; at your "
        "12-week check-in it was 38% better. So the relief seems to be fading. " + FADING_NEXT
    )
    # Exactly 50% counts as 50% or more: 8 -> 4 (50%) -> 5 (37.5%), a rise of 1 point only.
    assert outcome_trend(checkins(8, w2=4, w4=5)).note_kind == FADING
    # Seven to 3 (57%) then 6 (14%): fading here, though only the last check-in is near before.
    assert outcome_trend(checkins(7, w2=3, w4=2, w12=6)).note_kind == FADING


def test_pain_rising_two_points_from_its_best_is_fading():
    # Baseline 8: week 2 at 1 (87.5%), week 4 at 4 (50%, not under 50%): 3 points above the
    # best.
    trend = outcome_trend(checkins(8, w2=1, w4=4))
    assert trend.note_kind == FADING
    assert trend.note == (
        "At your 4-week check-in your pain was 4 out of 10, 3 points higher than at its best "
        "after the RFA (1 at your 2-week check-in). So the relief seems to be fading. "
        + FADING_NEXT
    )
    assert outcome_trend(checkins(8, w2=1, w4=2)).note_kind is None  # 1 point only
    # Exactly 2 points: 8 -> 2 (75%) -> 4 (50%).
    assert outcome_trend(checkins(8, w2=2, w4=4)).note_kind == FADING


def test_close_to_before_without_earlier_improvement_is_a_different_note():
    trend = outcome_trend(checkins(7, w2=6, w4=7))
    assert trend.note_kind == LITTLE_CHANGE
    assert "seems to be fading" not in trend.note


def test_no_baseline_means_no_change_and_no_note():
    trend = outcome_trend(checkins(7, w2=3, w4=7, w12=7)[1:])
    assert trend.baseline is None
    assert all(p.pain is None for p in trend.points)
    assert trend.note_kind is None


def test_peg_change_needs_peg_at_both_ends():
    items = checkins(7, w2=3)
    with_peg = [
        items[0].__class__(**{**items[0].__dict__, "peg": Peg(7, 8, 6)}),
        items[1].__class__(**{**items[1].__dict__, "peg": Peg(3, 3, 3)}),
    ]
    trend = outcome_trend(with_peg)
    assert trend.points[0].peg.points == 4.0  # 7.0 -> 3.0
    assert outcome_trend(items).points[0].peg is None


def test_a_check_in_is_checked():
    schedule = checkin_schedule(RFA_AT, NEW_YORK, DEFAULT_OUTCOME_WEEKS)
    now = schedule[0].due
    saved = validate_checkin(
        {
            "pain": "3",
            "peg": {"pain": 3, "enjoyment": 4, "activity": 2},
            "note": " walking further ",
        },
        procedure_id=7,
        rfa_at=RFA_AT,
        week=2,
        now=now,
        zone=NEW_YORK,
        schedule=schedule,
    )
    assert saved.pain == 3 and saved.peg == Peg(3, 4, 2) and saved.peg.score == 3.0
    assert saved.at == now and saved.note == "walking further"
    with pytest.raises(OutcomeInputError) as error:
        validate_checkin(
            {"pain": 11, "peg": {"pain": 3, "enjoyment": "x", "activity": 2}},
            procedure_id=7,
            rfa_at=RFA_AT,
            week=4,
            now=now,
            zone=NEW_YORK,
            schedule=schedule,
        )
    assert set(error.value.errors) == {"pain", "peg.enjoyment", "week"}
    assert error.value.errors["week"] == "The 4-week check-in opens on Monday 6 April."
    with pytest.raises(OutcomeInputError) as closed:
        validate_checkin(
            {"pain": 2},
            procedure_id=7,
            rfa_at=RFA_AT,
            week=2,
            now=schedule[1].due,
            zone=NEW_YORK,
            schedule=schedule,
        )
    assert closed.value.errors == {"week": "The 2-week check-in has closed."}
    with pytest.raises(OutcomeInputError) as unknown:
        validate_checkin(
            {"pain": 2},
            procedure_id=7,
            rfa_at=RFA_AT,
            week=3,
            now=now,
            zone=NEW_YORK,
            schedule=schedule,
        )
    assert "no check-in 3 weeks" in unknown.value.errors["week"]


def test_the_baseline_is_dated_before_the_rfa():
    before = RFA_AT - timedelta(days=2)
    saved = validate_checkin(
        {"pain": 7, "peg": {"pain": 7, "enjoyment": 8, "activity": 6}},
        procedure_id=7,
        rfa_at=RFA_AT,
        week=0,
        now=before,
        zone=NEW_YORK,
    )
    assert saved.is_baseline and saved.peg.score == 7.0
    with pytest.raises(OutcomeInputError) as error:
        validate_checkin(
            {"pain": 7},
            procedure_id=7,
            rfa_at=RFA_AT,
            week=0,
            now=RFA_AT + timedelta(days=1),
            zone=NEW_YORK,
        )
    assert "before the RFA" in error.value.errors["at"]
    dated = validate_checkin(
        {"pain": 7, "at": "2026-03-11T09:00"},
        procedure_id=7,
        rfa_at=RFA_AT,
        week=0,
        now=RFA_AT + timedelta(days=1),
        zone=NEW_YORK,
    )
    assert dated.at == datetime(2026, 3, 11, 13, 0, tzinfo=UTC)
    empty_peg = validate_checkin(
        {"pain": 7, "peg": {"pain": "", "enjoyment": None}},
        procedure_id=7,
        rfa_at=RFA_AT,
        week=0,
        now=before,
        zone=NEW_YORK,
    )
    assert empty_peg.peg is None
