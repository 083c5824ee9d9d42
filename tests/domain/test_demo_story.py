from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.block_diary import analyse_block, prompt_schedule
from app.domain.demo_story import (
    DemoProcedure,
    demo_block_diaries,
    demo_checkins,
    demo_entries,
    demo_procedures,
)
from app.domain.diary import AREAS, SIDES, validate_entry
from app.domain.pathway import DEFAULT_BLOCK_DIARY

NOW = datetime(2026, 11, 28, 15, 20, tzinfo=UTC)  # a Saturday afternoon in London
ZONE = "Europe/London"


@pytest.fixture(scope="module")
def entries():
    return demo_entries(NOW, ZONE)


@pytest.fixture(scope="module")
def procedures():
    return demo_procedures(NOW, ZONE)


def scores_between(entries, start, end):
    return [e.score for e in entries if start <= e.at < end]


def test_same_seed_same_story_and_another_seed_another(entries):
    assert demo_entries(NOW, ZONE, seed=7) == entries
    assert demo_entries(NOW, ZONE, seed=8) != entries


def test_covers_about_ninety_days_ending_today(entries):
    days = {e.local_date for e in entries}
    today = NOW.astimezone(ZoneInfo(ZONE)).date()
    assert 85 <= (today - min(days)).days <= 92
    assert max(days) >= today - timedelta(days=1)
    assert len(days) >= 80  # a forgotten day now and then, not weeks of silence


def test_one_to_four_entries_on_most_days(entries):
    per_day = {}
    for e in entries:
        per_day[e.local_date] = per_day.get(e.local_date, 0) + 1
    ordinary = [n for n in per_day.values() if 1 <= n <= 4]
    assert len(ordinary) >= len(per_day) - 3  # the block and RFA days have more


def test_oldest_first_none_in_the_future_none_at_night(entries):
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    for e in entries:
        assert e.at <= NOW
        assert e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0)
        assert e.zone == ZONE
        assert time(6, 30) <= e.local_at.time() < time(23, 0)
        if e.medication_at is not None:
            assert e.medication_at <= e.at
            assert time(6, 30) <= e.medication_at.astimezone(ZoneInfo(ZONE)).time()


def test_every_entry_passes_the_diary_rules(entries):
    for e in entries:
        raw = {
            "score": e.score,
            "at": e.at,
            "areas": [{"area": a.area, "side": a.side, "score": a.score} for a in e.areas],
            "activity": e.activity,
            "medication": e.medication,
            "medication_at": e.medication_at,
            "note": e.note,
        }
        assert validate_entry(raw, now=NOW, zone=ZONE) == e


def test_right_lower_back_always_and_worse_than_the_left(entries):
    for e in entries:
        assert all(a.area in AREAS and a.side in SIDES for a in e.areas)
        by_place = {(a.area, a.side): a.score for a in e.areas}
        assert by_place[("lower_back", "right")] == e.score == max(by_place.values())
        if ("lower_back", "left") in by_place:
            assert by_place[("lower_back", "left")] < e.score
    assert any(("buttock", "right") in {(a.area, a.side) for a in e.areas} for e in entries)


def test_usual_pain_before_the_first_block_is_six_to_seven(entries, procedures):
    first = procedures[0].at
    before = scores_between(entries, first - timedelta(days=21), first - timedelta(hours=1))
    assert 5.8 <= mean(before) <= 7.2


def test_three_procedures_about_nine_six_and_three_weeks_back(procedures):
    assert [p.kind for p in procedures] == ["test-block", "confirm-block", "rfa"]
    assert [p.anaesthetic for p in procedures] == ["lidocaine", "bupivacaine", None]
    for procedure, weeks in zip(procedures, (9, 6, 3), strict=True):
        assert isinstance(procedure, DemoProcedure)
        assert (procedure.region, procedure.side) == ("lumbar", "right")
        assert procedure.at.tzinfo == UTC
        assert abs(NOW - procedure.at - timedelta(weeks=weeks)) <= timedelta(days=2)
        assert procedure.at.astimezone(ZoneInfo(ZONE)).weekday() < 5  # clinics work weekdays
    with pytest.raises(FrozenInstanceError):  # a demo procedure cannot be changed
        procedures[0].kind = "rfa"


def _block_analysis(kind: str):
    [diary] = [d for d in demo_block_diaries(NOW, ZONE) if d.kind == kind]
    anaesthetic = "lidocaine" if kind == "test-block" else "bupivacaine"
    hours = (1.0, 2.0) if kind == "test-block" else (3.0, 8.0)
    return diary, analyse_block(
        diary.baselines,
        diary.prompts,
        prompt_minutes=DEFAULT_BLOCK_DIARY.prompt_minutes,
        anaesthetic=anaesthetic,
        expected_hours=hours,
    )


def test_each_block_has_a_timed_diary_with_a_baseline_and_one_missed_prompt(procedures):
    first, first_analysis = _block_analysis("test-block")
    confirm, _ = _block_analysis("confirm-block")
    for diary, block in ((first, procedures[0]), (confirm, procedures[1])):
        assert [(b.area, b.side, b.score) for b in diary.baselines] == [
            ("lower_back", "right", 7),
            ("buttock", "right", 6),
        ]
        assert all(b.at < block.at for b in diary.baselines)
        assert [p.minutes for p in diary.prompts] == list(DEFAULT_BLOCK_DIARY.prompt_minutes)
        assert all(
            p.due <= e.at < p.closes
            for p, e in zip(
                prompt_schedule(block.at, DEFAULT_BLOCK_DIARY), diary.prompts, strict=True
            )
            if not e.missed
        )
    assert [p.minutes for p in first.prompts if p.missed] == [180]
    assert not any(p.missed for p in confirm.prompts)


def test_lidocaine_block_relieves_for_two_hours(entries, procedures):
    _, analysis = _block_analysis("test-block")
    back = analysis.area("lower_back", "right")
    assert back.hours_at_threshold == 2.0 and back.fit.verdict == "fits"
    assert back.peak == 100.0
    # The everyday diary holds the usual pain before the block, and nothing during its diary.
    block = procedures[0].at
    assert scores_between(entries, block - timedelta(minutes=30), block)[-1] == 7
    assert scores_between(entries, block, block + timedelta(hours=8, minutes=30)) == []


def test_bupivacaine_block_relieves_for_five_hours():
    _, analysis = _block_analysis("confirm-block")
    back = analysis.area("lower_back", "right")
    assert back.hours_at_threshold == 5.0 and back.fit.verdict == "fits"


def test_the_rfa_has_a_baseline_with_peg_and_its_check_ins(procedures):
    checkins = demo_checkins(NOW, ZONE)
    rfa = procedures[2].at
    assert [c.week for c in checkins] == [0, 2]  # three weeks on: week 4 has not come round
    baseline, week_two = checkins
    assert (
        baseline.at < rfa and baseline.pain == 7 and baseline.peg.score == pytest.approx(6.67, 0.01)
    )
    assert week_two.pain == 3 and week_two.peg is not None


def test_rfa_site_soreness_then_relief(entries, procedures):
    first, rfa = procedures[0].at, procedures[2].at
    usual = mean(scores_between(entries, first - timedelta(days=7), first))
    sore = mean(scores_between(entries, rfa, rfa + timedelta(days=4)))
    eased = scores_between(entries, rfa + timedelta(days=14), rfa + timedelta(days=21))
    assert sore >= 4.5
    assert eased and mean(eased) <= usual - 2
    assert 1.5 <= mean(eased) <= 3.5
    assert any("sore" in e.note.lower() for e in entries if rfa <= e.at < rfa + timedelta(days=2))


def test_a_few_warm_notes_and_some_medicine(entries):
    notes = [e.note for e in entries if e.note]
    assert 8 <= len(notes) <= len(entries) // 5
    assert any("😊" in note for note in notes)
    medicine = [e for e in entries if e.medication]
    assert medicine and all(e.medication_at is not None for e in medicine)
    assert any(e.medication == "ibuprofen 400 mg" for e in medicine)
    assert len({e.activity for e in entries if e.activity}) >= 8


def test_no_entry_before_the_next_morning_when_now_is_early():
    early = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)
    story = demo_entries(early, ZONE)
    assert story and story[-1].at <= early
    assert story[-1].local_date < early.date()


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        demo_entries(datetime(2026, 11, 28, 12, 0), ZONE)


@settings(max_examples=25, deadline=None)
@given(
    now=st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2035, 12, 31),
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(
        ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
    ),
    seed=st.integers(0, 1000),
)
def test_any_now_zone_and_seed_gives_a_valid_story(now, zone, seed):
    story = demo_entries(now, zone, seed)
    assert len(story) >= 150
    for e in story:
        assert e.at <= now
        assert time(6, 30) <= e.local_at.time() < time(23, 0)
    for procedure in demo_procedures(now, zone):
        assert procedure.at <= now
        assert procedure.at.astimezone(ZoneInfo(zone)).weekday() < 5
