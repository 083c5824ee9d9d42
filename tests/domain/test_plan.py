"""The plan's timeline: dated steps across daylight-saving changes and time zones, rescheduling,
cancelling and cycles; and the checks on what a patient or clinic types."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pathway import ChecklistItem, parse_pathway
from app.domain.plan import (
    Contact,
    DatedStep,
    PlanInputError,
    Procedure,
    add_months,
    already_planned,
    already_planned_error,
    build_timeline,
    new_round_ready,
    next_procedure,
    one_per_appointment,
    parse_typed_time,
    reminder_times,
    same_appointment,
    validate_contact,
    validate_mark_value,
    validate_medicine_name,
    validate_procedure,
)
from app.services.pathways import builtin_pathway

UTC = UTC
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def step(step_id: str, phase: str, procedures=("rfa",), **offset) -> dict:
    return {
        "id": step_id,
        "procedures": list(procedures),
        "phase": phase,
        "offset": offset,
        "title": step_id,
        "text": f"Text of {step_id}.",
    }


TINY = parse_pathway(
    {
        "format": 1,
        "id": "tiny",
        "region": "lumbar",
        "title": "Tiny",
        "checklist": [],
        "steps": [
            step("week-before", "before", days=-7, at="09:00"),
            step("fortnight-before", "before", days=-14, at="09:00"),
            step("three-hours-before", "day", hours=-3),
            step("two-hours-after", "after", hours=2),
            step("night-after", "after", hours=30),
            step("day-three", "after", days=3, at="09:00"),
            step("block-only", "before", procedures=("test-block",), days=-1, at="18:00"),
        ],
        "reminders": [
            {
                "id": "monthly",
                "procedures": ["rfa"],
                "offset": {"days": 31, "at": "10:00"},
                "audience": "patient",
                "text": "How are you?",
                "repeat_monthly_until_days": 365,
            },
        ],
    },
    "tiny.toml",
)


def procedure(local: str, zone: str, kind: str = "rfa", **changes) -> Procedure:
    at = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return replace(Procedure(kind=kind, region="lumbar", side="both", at=at, zone=zone), **changes)


def by_id(timeline) -> dict:
    return {dated.step.id: dated for dated in timeline}


# --- daylight saving and zones -----------------------------------------------------------------


@pytest.mark.parametrize(
    "zone, local, before_offset, after_offset",
    [
        # Clocks go forward between the step and the procedure.
        ("Europe/London", "2026-04-01T10:00", timedelta(0), timedelta(hours=1)),
        ("America/New_York", "2026-03-12T10:00", timedelta(hours=-5), timedelta(hours=-4)),
        # Clocks go back between the step and the procedure.
        ("Europe/London", "2026-10-28T10:00", timedelta(hours=1), timedelta(0)),
        ("America/New_York", "2026-11-04T10:00", timedelta(hours=-4), timedelta(hours=-5)),
    ],
)
def test_a_week_before_at_nine_stays_nine_local_across_a_change(
    zone, local, before_offset, after_offset
):
    rfa = procedure(local, zone)
    steps = by_id(build_timeline([rfa], TINY))
    week = steps["week-before"]
    assert week.zone == zone
    assert week.local_due.time() == time(9, 0)
    assert week.local_due.date() == rfa.local_date - timedelta(days=7)
    assert week.local_due.utcoffset() == before_offset
    assert rfa.local_at.utcoffset() == after_offset
    # The gap in real time is a week give or take the hour the clocks moved.
    assert rfa.at - week.due == timedelta(days=7, hours=1) + (before_offset - after_offset)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_hours_after_are_real_hours_across_the_change(zone):
    # 00:30 on the night the clocks go forward (London 29 March, New York 8 March 2026).
    night = "2026-03-29T00:30" if zone == "Europe/London" else "2026-03-08T00:30"
    rfa = procedure(night, zone)
    steps = by_id(build_timeline([rfa], TINY))
    assert steps["two-hours-after"].due - rfa.at == timedelta(hours=2)
    assert steps["two-hours-after"].local_due.time() == time(3, 30)  # 02:30 was skipped
    assert steps["night-after"].due - rfa.at == timedelta(hours=30)
    assert rfa.at - steps["three-hours-before"].due == timedelta(hours=3)


def day_before_at(local_time: str, procedure_local: str) -> DatedStep:
    """The one step "the day before, at `local_time`" of an RFA in New York."""
    pathway = parse_pathway(
        {
            "format": 1,
            "id": "t",
            "region": "lumbar",
            "title": "T",
            "checklist": [],
            "steps": [step("early", "before", days=-1, at=local_time)],
        },
        "t.toml",
    )
    [dated] = build_timeline([procedure(procedure_local, "America/New_York")], pathway)
    return dated


def test_a_local_time_that_does_not_exist_moves_forward_by_the_gap():
    dated = day_before_at("02:30", "2026-03-09T10:00")  # the day before is 8 March
    assert dated.local_due == datetime(2026, 3, 8, 3, 30, tzinfo=ZoneInfo("America/New_York"))


def test_a_local_time_that_happens_twice_is_the_first_one():
    dated = day_before_at("01:30", "2026-11-02T10:00")  # the day before is 1 November
    assert dated.local_due.time() == time(1, 30)
    assert dated.local_due.utcoffset() == timedelta(hours=-4)  # still summer time


ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Europe/Berlin",
]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    at=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    moved=st.timedeltas(min_value=timedelta(days=-60), max_value=timedelta(days=60)),
)
def test_every_step_keeps_its_rule_in_any_zone_and_after_rescheduling(zone, at, moved):
    pathway = builtin_pathway("lumbar")
    first = Procedure("rfa", "lumbar", "left", at, zone, id=1)
    second = replace(first, at=at + moved)
    for proc in (first, second):
        timeline = build_timeline([proc], pathway)
        assert [d.due for d in timeline] == sorted(d.due for d in timeline)
        assert len(timeline) == len(pathway.steps_for("rfa"))
        for dated in timeline:
            offset = dated.step.offset
            if offset.at is None:
                assert dated.due - proc.at == timedelta(days=offset.days, hours=offset.hours)
            else:
                wanted = datetime.combine(proc.local_date + timedelta(days=offset.days), offset.at)
                shown = dated.local_due.replace(tzinfo=None)
                if _exists(wanted, zone):
                    assert shown == wanted
                else:  # inside the hour skipped when clocks go forward: moved on by the gap
                    assert timedelta(0) < shown - wanted <= timedelta(hours=1)


def _exists(naive: datetime, zone: str) -> bool:
    tz = ZoneInfo(zone)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def test_rescheduling_moves_every_step():
    rfa = procedure("2026-03-12T10:00", "America/New_York", id=1)
    later = replace(rfa, at=rfa.at + timedelta(days=10, hours=4))
    old, new = by_id(build_timeline([rfa], TINY)), by_id(build_timeline([later], TINY))
    assert old.keys() == new.keys()
    for step_id in old:
        assert new[step_id].due != old[step_id].due
    assert new["two-hours-after"].due - old["two-hours-after"].due == timedelta(days=10, hours=4)
    assert new["week-before"].local_due.time() == time(9, 0)
    assert new["week-before"].local_due.date() == date(2026, 3, 15)


def test_a_cancelled_procedure_has_no_steps():
    rfa = procedure("2026-03-12T10:00", "Europe/London", id=1)
    block = procedure("2026-02-20T10:00", "Europe/London", kind="test-block", id=2)
    timeline = build_timeline([block, replace(rfa, cancelled=True)], TINY)
    assert {d.procedure.id for d in timeline} == {2}
    assert [d.step.id for d in timeline] == ["block-only"]


def test_steps_match_procedures_by_kind_region_and_cycle():
    rfa = procedure("2026-03-12T10:00", "Europe/London", id=1, cycle=1)
    again = procedure("2027-01-12T10:00", "Europe/London", id=2, cycle=2)
    neck = replace(procedure("2026-05-01T10:00", "Europe/London", id=3), region="cervical")
    both = build_timeline([rfa, again, neck], TINY)
    assert {d.procedure.id for d in both} == {1, 2}
    assert {d.procedure.id for d in build_timeline([rfa, again], TINY, cycle=2)} == {2}
    assert all("rfa" in d.step.procedures for d in both)


def test_the_timeline_is_sorted_across_procedures():
    block = procedure("2026-03-01T13:00", "Europe/London", kind="test-block", id=1)
    rfa = procedure("2026-03-05T09:00", "Europe/London", id=2)
    timeline = build_timeline([rfa, block], builtin_pathway("lumbar"))
    assert [d.due for d in timeline] == sorted(d.due for d in timeline)
    assert {d.procedure.id for d in timeline} == {1, 2}


def test_fasting_steps_only_when_the_clinic_sedates():
    rfa = procedure("2026-03-05T09:00", "Europe/London", id=1)
    pathway = builtin_pathway("lumbar")
    ids = lambda **kw: {d.step.id for d in build_timeline([rfa], pathway, **kw)}  # noqa: E731
    assert "rfa-fasting" in ids()
    assert "rfa-fasting" in ids(sedation=True)
    assert "rfa-fasting" not in ids(sedation=False)


def test_next_procedure():
    first = procedure("2026-03-01T10:00", "Europe/London", id=1)
    second = procedure("2026-04-01T10:00", "Europe/London", id=2)
    assert next_procedure([second, first], NOW) == first
    assert next_procedure([replace(first, cancelled=True), second], NOW) == second
    assert next_procedure([first, second], second.at + timedelta(seconds=1)) is None
    assert next_procedure([], NOW) is None


def test_monthly_reminders_run_to_a_year_at_the_same_local_time():
    rfa = procedure("2026-01-31T09:00", "Europe/London")
    times = reminder_times(TINY.reminders[0], rfa)
    local = [t.astimezone(ZoneInfo("Europe/London")) for t in times]
    assert local[0].date() == date(2026, 3, 3)
    assert local[1].date() == date(2026, 4, 3)
    assert all(t.time() == time(10, 0) for t in local)
    assert (local[-1].date() - rfa.local_date).days <= 365
    assert len(times) == 11  # 3 March to 3 January


def test_reminders_without_a_repeat_happen_once():
    rule = builtin_pathway("lumbar").reminders_for("rfa")[0]
    assert rule.repeat_monthly_until_days is None
    assert len(reminder_times(rule, procedure("2026-01-31T09:00", "Europe/London"))) == 1


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- validation ---------------------------------------------------------------------------

GOOD = {
    "kind": "test-block",
    "region": "lumbar",
    "side": "right",
    "at": "2026-03-12T13:00",
    "anaesthetic": "lidocaine",
}


def test_a_good_procedure_is_built_in_utc_with_its_zone():
    made = validate_procedure(GOOD, now=NOW, zone="America/New_York")
    assert made.at == datetime(2026, 3, 12, 17, 0, tzinfo=UTC)  # 13:00 EDT
    assert made.zone == "America/New_York"
    assert made.local_at.hour == 13
    assert made.anaesthetic == "lidocaine" and made.cycle == 1 and not made.cancelled
    assert made.label == "Test block, lower back, right side"


def test_a_time_with_its_own_offset_and_a_zone_override():
    made = validate_procedure(
        {**GOOD, "at": "2026-03-12T13:00+00:00", "zone": "Asia/Kolkata"}, now=NOW, zone="UTC"
    )
    assert made.at == datetime(2026, 3, 12, 13, 0, tzinfo=UTC)
    assert made.zone == "Asia/Kolkata" and made.local_at.hour == 18


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"kind": "surgery"}, "kind", "“surgery”"),
        ({"kind": None}, "kind", "Choose a test block"),
        ({"region": "thoracic"}, "region", "neck"),
        ({"side": "middle"}, "side", "both sides"),
        ({"at": "next tuesday"}, "at", "not a date and time"),
        ({"at": None}, "at", "Choose the date"),
        ({"at": 20260312}, "at", "not a date and time"),
        ({"at": "2028-03-13T13:00"}, "at", "two years ahead"),
        ({"at": "2024-01-30T13:00"}, "at", "two years ago"),
        ({"anaesthetic": "ketamine"}, "anaesthetic", "lidocaine or bupivacaine"),
        ({"kind": "rfa"}, "anaesthetic", "only recorded for a test or confirming block"),
        ({"zone": "Mars/Olympus"}, "zone", "Mars/Olympus"),
        ({"cycle": 0}, "cycle", "whole number"),
    ],
)
def test_bad_procedure_input_is_named_by_field(changes, field, words):
    with pytest.raises(PlanInputError) as caught:
        validate_procedure({**GOOD, **changes}, now=NOW, zone="Europe/London")
    assert words in caught.value.errors[field]


def test_every_problem_is_reported_at_once():
    with pytest.raises(PlanInputError) as caught:
        validate_procedure(
            {"kind": "x", "region": "y", "side": "z", "at": "w"}, now=NOW, zone="UTC"
        )
    assert set(caught.value.errors) == {"kind", "region", "side", "at"}


def test_the_two_year_window_is_inclusive():
    for days in (730, -730):
        at = (NOW + timedelta(days=days)).isoformat()
        assert validate_procedure({**GOOD, "at": at}, now=NOW, zone="UTC").at == NOW + timedelta(
            days=days
        )


anything = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "kind": st.one_of(st.sampled_from(["rfa", "test-block", "confirm-block"]), anything),
            "region": st.one_of(st.sampled_from(["lumbar", "cervical"]), anything),
            "side": st.one_of(st.sampled_from(["left", "right", "both"]), anything),
            "at": st.one_of(
                st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("Europe/London")])).map(
                    lambda d: d.isoformat()
                ),
                st.datetimes(),
                anything,
            ),
            "anaesthetic": st.one_of(st.sampled_from(["lidocaine", "bupivacaine"]), anything),
            "zone": st.one_of(st.sampled_from(ZONES), anything),
            "cycle": st.one_of(st.integers(1, 5), anything),
        },
    )
)
def test_any_input_gives_a_procedure_or_field_messages(raw):
    try:
        made = validate_procedure(raw, now=NOW, zone="Europe/London")
    except PlanInputError as error:
        assert error.errors and all(isinstance(m, str) and m for m in error.errors.values())
        return
    assert made.at.tzinfo == UTC
    assert abs(made.at - NOW) <= timedelta(days=731)
    assert made.local_at.utcoffset() is not None  # the zone is real


def test_contacts():
    assert validate_contact({"name": " Sam ", "phone": "+44 20 7946 0000"}) == Contact(
        "Sam", "+44 20 7946 0000"
    )
    with pytest.raises(PlanInputError) as caught:
        validate_contact({"name": "", "phone": "call me"})
    assert set(caught.value.errors) == {"name", "phone"}
    with pytest.raises(PlanInputError) as caught:
        validate_contact({"name": "Sam"})
    assert "needed" in caught.value.errors["phone"]


def item(kind: str) -> ChecklistItem:
    return ChecklistItem("x", ("rfa",), kind, "X", "patient", True, "ride")


def test_checklist_values_follow_the_item_kind():
    assert validate_mark_value(item("phone"), " 555-0100 ") == "555-0100"
    assert validate_mark_value(item("time"), "14:30") == "14:30"
    assert validate_mark_value(item("text"), " Sam ") == "Sam"
    assert validate_mark_value(item("tick"), "ignored") == ""
    for kind, value in (("phone", "abc"), ("time", "25:00"), ("time", "noon"), ("text", "x" * 201)):
        with pytest.raises(PlanInputError):
            validate_mark_value(item(kind), value)


def test_medicine_names():
    assert validate_medicine_name("  Apixaban 5 mg ") == "Apixaban 5 mg"
    for bad in ("", "   ", None, "x" * 121, "a\x00b"):
        with pytest.raises(PlanInputError):
            validate_medicine_name(bad)


def booked(at: datetime, kind: str = "test-block", pid: int | None = None, **changes):
    return Procedure(kind=kind, region="lumbar", side="right", at=at, zone="UTC", id=pid, **changes)


def test_an_appointment_entered_twice_is_one():
    first, copy = booked(NOW, pid=1), booked(NOW, pid=2)
    assert same_appointment(first, copy)
    assert already_planned(copy, [first, copy]) == first
    assert already_planned(first, [first]) is None  # not a copy of itself
    assert not same_appointment(first, replace(copy, side="left"))
    assert not same_appointment(first, replace(copy, at=NOW + timedelta(minutes=15)))
    assert not same_appointment(first, replace(copy, cancelled=True))
    assert one_per_appointment([copy, first, replace(first, id=3, kind="rfa")]) == [
        first,
        replace(first, id=3, kind="rfa"),
    ]
    timeline = build_timeline([first, copy], TINY)
    assert [d.step.id for d in timeline] == [d.step.id for d in build_timeline([first], TINY)]
    assert {d.procedure.id for d in timeline} == {1}


def test_a_new_round_is_offered_only_after_the_last_procedure():
    block_ = booked(NOW - timedelta(days=30), pid=1)
    rfa_ = booked(NOW + timedelta(days=3), kind="rfa", pid=2)
    assert not new_round_ready([], NOW)
    assert not new_round_ready([block_, rfa_], NOW)  # the RFA in 3 days is still to come
    assert not new_round_ready([block_, rfa_], rfa_.at - timedelta(minutes=1))
    assert new_round_ready([block_, rfa_], rfa_.at)
    assert new_round_ready([block_, replace(rfa_, cancelled=True)], NOW)
    assert not new_round_ready([replace(block_, cancelled=True)], NOW)


def test_the_refusal_of_a_copy_names_the_appointment():
    problem = already_planned_error(booked(datetime(2026, 12, 4, 9, 30, tzinfo=UTC)))
    assert problem.errors == {
        "at": "Your test block, lower back, right side on Friday 4 "
        "December 2026 at 09:30 is already in your plan, so it was "
        "not added again."
    }


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        (" 9.30 ", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("2:15 pm", time(14, 15)),
        ("12:00 am", time(0, 0)),
        ("12:05pm", time(12, 5)),
        ("9:45 a.m.", time(9, 45)),
    ],
)
def test_a_typed_time_is_read(typed, expected):
    assert parse_typed_time(typed) == expected


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", "Type the time as 09:30: hours, a colon, then minutes."),
        (
            "930",
            "“930” is not a time we can read. Type the time as 09:30: hours, a colon, then "
            "minutes.",
        ),
        ("9:5", "“9:5” is not a time we can read. Type the time as 09:30"),
        ("half past nine", "“half past nine” is not a time we can read."),
        ("25:00", "The hour goes up to 23, not 25. Type the time as 09:30."),
        ("10:75", "The minutes go up to 59, not 75. Type the time as 09:30."),
        ("13:00 pm", "With am or pm the hour is 1 to 12. Type the time as 09:30 or 9:30 am."),
        ("٠٩:٣٠", "is not a time we can read"),
    ],
)
def test_a_wrongly_typed_time_is_named_with_an_example(typed, words):
    with pytest.raises(PlanInputError) as problem:
        parse_typed_time(typed)
    assert words in problem.value.errors["time"]
