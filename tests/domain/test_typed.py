"""Typed local times across daylight-saving changes, time zone names, and what a message echoes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.diary import DiaryInputError, validate_entry
from app.domain.plan import PlanInputError, validate_procedure
from app.domain.typed import (
    ECHO_LIMIT,
    LocalTimeError,
    ZoneError,
    iana_zone,
    local_instant,
    repeated_time_note,
    shown,
)

NEW_YORK = "America/New_York"
SPRING_FORWARD = datetime(2026, 3, 8, 2, 30)  # the clocks jump from 02:00 to 03:00
FALL_BACK = datetime(2026, 11, 1, 1, 30)  # 01:00-02:00 happens twice
UTC = UTC


def test_a_time_the_clocks_jump_over_is_refused_naming_both_choices():
    with pytest.raises(LocalTimeError) as problem:
        local_instant(SPRING_FORWARD, NEW_YORK)
    assert str(problem.value) == (
        "02:30 does not exist on Sunday 8 March 2026: the clocks jump from 02:00 to 03:00. "
        "Choose 01:59 or 03:00."
    )


@pytest.mark.parametrize(
    "wall, zone, choices",
    [
        (datetime(2026, 3, 29, 1, 0), "Europe/London", "Choose 00:59 or 02:00."),
        (datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe", "Choose 01:59 or 02:30."),  # 30 min
    ],
)
def test_other_zones_jumps_are_named_the_same_way(wall, zone, choices):
    with pytest.raises(LocalTimeError, match=choices):
        local_instant(wall, zone)


def test_the_two_choices_exist_and_are_one_real_minute_apart():
    before = local_instant(datetime(2026, 3, 8, 1, 59), NEW_YORK).astimezone(UTC)
    after = local_instant(datetime(2026, 3, 8, 3, 0), NEW_YORK).astimezone(UTC)
    assert (after - before).total_seconds() == 60


def test_a_time_that_happens_twice_is_the_first_and_the_note_says_so():
    taken = local_instant(FALL_BACK, NEW_YORK)
    assert taken.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # summer time
    assert repeated_time_note(FALL_BACK, NEW_YORK) == (
        "01:30 happens twice on Sunday 1 November 2026, when the clocks go back. The first one "
        "was used (UTC-04:00); for the second, give the time as 2026-11-01T01:30-05:00."
    )
    assert repeated_time_note(datetime(2026, 11, 1, 2, 30), NEW_YORK) is None
    assert repeated_time_note(SPRING_FORWARD, NEW_YORK) is None


def test_a_time_with_its_own_offset_is_taken_as_it_is():
    given = datetime(2026, 3, 8, 2, 30, tzinfo=UTC)
    assert local_instant(given, NEW_YORK) == given


def test_a_time_picked_on_screen_in_a_zone_is_checked_too():
    with pytest.raises(LocalTimeError):
        local_instant(SPRING_FORWARD.replace(tzinfo=ZoneInfo(NEW_YORK)), "UTC")


def test_the_diary_refuses_a_time_the_clocks_jumped_over():
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    with pytest.raises(DiaryInputError) as problem:
        validate_entry({"score": 4, "at": "2026-03-08T02:30"}, now=now, zone=NEW_YORK)
    assert "Choose 01:59 or 03:00." in problem.value.errors["at"]
    entry = validate_entry({"score": 4, "at": "2026-03-08T03:00"}, now=now, zone=NEW_YORK)
    assert entry.at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "at", ["2026-03-08T02:30", SPRING_FORWARD.replace(tzinfo=ZoneInfo(NEW_YORK))]
)
def test_a_procedure_time_the_clocks_jump_over_is_refused(at):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    raw = {"kind": "test-block", "region": "lumbar", "side": "left", "at": at}
    with pytest.raises(PlanInputError) as problem:
        validate_procedure(raw, now=now, zone=NEW_YORK)
    assert problem.value.errors == {
        "at": "02:30 does not exist on Sunday 8 March 2026: the "
        "clocks jump from 02:00 to 03:00. Choose 01:59 or "
        "03:00."
    }


@pytest.mark.parametrize(
    "name, stored",
    [
        ("EST5EDT", "America/New_York"),
        ("PST8PDT", "America/Los_Angeles"),
        ("cst6cdt", "America/Chicago"),
        ("CET", "Europe/Brussels"),
        (" Europe/London ", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_old_style_zone_names_are_read_as_their_place(name, stored):
    assert iana_zone(name) == stored


@pytest.mark.parametrize(
    "name, words",
    [
        ("Factory", "The time zone is not set"),
        ("localtime", "The time zone is not set"),
        ("Mars/Olympus_Mons", "is not a time zone this device knows"),
        ("", "Give a place's"),
        (None, "Give a place's"),
        ("../../etc/passwd", "is not a time zone"),
    ],
)
def test_unset_and_unknown_zones_are_refused(name, words):
    with pytest.raises(ZoneError, match=words):
        iana_zone(name)


def test_a_procedure_in_an_old_style_zone_is_stored_in_its_place():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    raw = {
        "kind": "rfa",
        "region": "lumbar",
        "side": "left",
        "at": "2026-03-10T09:00",
        "zone": "EST5EDT",
    }
    procedure = validate_procedure(raw, now=now, zone="UTC")
    assert procedure.zone == NEW_YORK
    assert procedure.at == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def test_a_diary_entry_is_never_stored_as_utc_when_the_zone_is_unset():
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    with pytest.raises(DiaryInputError) as problem:
        validate_entry({"score": 4}, now=now, zone="Factory")
    assert set(problem.value.errors) == {"zone"}


def test_far_off_years_are_refused_not_overflowed():
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    for at in ("0001-01-01T00:00", "9999-12-31T23:59"):
        with pytest.raises(DiaryInputError):
            validate_entry({"score": 4, "at": at}, now=now, zone="Asia/Tokyo")
        with pytest.raises(PlanInputError):
            validate_procedure(
                {"kind": "rfa", "region": "lumbar", "side": "left", "at": at},
                now=now,
                zone="Pacific/Kiritimati",
            )


def test_an_echo_is_at_most_eighty_characters():
    assert shown("x" * 5000) == "x" * (ECHO_LIMIT - 1) + "…"
    assert shown("short") == "short"
    assert shown(int("9" * 4000) ** 2) == "?"  # str() refuses more than 4,300 digits


def test_on_screen_the_note_says_only_which_one_it_is():
    assert repeated_time_note(FALL_BACK, NEW_YORK, on_screen=True) == (
        "01:30 happens twice on Sunday 1 November 2026, when the clocks go back. This is the "
        "first one, before the clocks go back."
    )
