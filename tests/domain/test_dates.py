"""The one date label every screen uses: always the date, "Today"/"Tomorrow"/"Yesterday" where
true, never two different days with one label, in the patient's zone across midnight, daylight
saving and the turn of the year."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.dates import (
    date_label,
    date_label_with_distance,
    day_label,
    days_away,
    local_date,
)

UTC = UTC
LONDON = "Europe/London"
SATURDAY = date(2026, 11, 28)


def at(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def test_a_dated_thing_shows_its_date_and_time():
    now = at(LONDON, 2026, 11, 28, 15, 30)
    assert date_label(at(LONDON, 2026, 12, 4, 9, 30), now, LONDON) == "Friday 4 December, 09:30"


@pytest.mark.parametrize(
    "offset, expected",
    [
        (0, "Today, Saturday 28 November"),
        (1, "Tomorrow, Sunday 29 November"),
        (-1, "Yesterday, Friday 27 November"),
        (2, "Monday 30 November"),
        (-2, "Thursday 26 November"),
    ],
)
def test_today_tomorrow_and_yesterday_come_with_the_date(offset, expected):
    assert day_label(SATURDAY + timedelta(days=offset), SATURDAY) == expected


def test_in_a_sentence_the_relative_word_is_lower_case_and_the_date_is_not():
    now = at(LONDON, 2026, 11, 28, 8, 0)
    assert (
        date_label(at(LONDON, 2026, 11, 29, 9, 0), now, LONDON, in_sentence=True)
        == "tomorrow, Sunday 29 November, 09:00"
    )


def test_the_same_weekday_a_week_apart_never_reads_alike():
    """Last Friday (yesterday), the Friday before, and next Friday: three different labels."""
    today = SATURDAY
    labels = [day_label(today + timedelta(days=d), today) for d in range(-8, 9)]
    assert len(set(labels)) == len(labels)
    assert day_label(date(2026, 11, 27), today) == "Yesterday, Friday 27 November"
    assert day_label(date(2026, 12, 4), today) == "Friday 4 December"
    assert day_label(date(2026, 11, 20), today) == "Friday 20 November"


def test_every_day_of_two_years_has_its_own_label():
    today = SATURDAY
    labels = {day_label(today + timedelta(days=d), today) for d in range(-366, 367)}
    assert len(labels) == 733


def test_midnight_is_the_patients_midnight_not_utc():
    """00:30 in Sydney on the 29th is still the 28th in UTC: it is "Today" for the patient."""
    zone = "Australia/Sydney"
    now = at(zone, 2026, 11, 29, 0, 30)
    assert now.astimezone(UTC).date() == date(2026, 11, 28)
    assert date_label(now, now, zone) == "Today, Sunday 29 November, 00:30"
    assert (
        date_label(at(zone, 2026, 11, 28, 23, 59), now, zone)
        == "Yesterday, Saturday 28 November, 23:59"
    )
    one_minute_before_midnight = at(LONDON, 2026, 11, 28, 23, 59)
    assert (
        date_label(at(LONDON, 2026, 11, 29, 0, 1), one_minute_before_midnight, LONDON)
        == "Tomorrow, Sunday 29 November, 00:01"
    )


def test_across_the_clocks_changing_the_local_time_and_day_stay_right():
    # London goes back an hour at 02:00 on Sunday 25 October 2026.
    now = at(LONDON, 2026, 10, 24, 22, 0)
    after = datetime(2026, 10, 25, 9, 30, tzinfo=UTC)  # 09:30 GMT, no longer BST
    assert date_label(after, now, LONDON) == "Tomorrow, Sunday 25 October, 09:30"
    # 23:30 UTC on the 25th is still the 25th in London (GMT) but the 26th in Paris.
    late = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)
    assert local_date(late, LONDON) == date(2026, 10, 25)
    assert local_date(late, "Europe/Paris") == date(2026, 10, 26)
    # Spring forward (29 March 2026): a 09:00 step the day after is 09:00 local, 08:00 UTC.
    spring_now = at(LONDON, 2026, 3, 28, 12, 0)
    assert (
        date_label(datetime(2026, 3, 29, 8, 0, tzinfo=UTC), spring_now, LONDON)
        == "Tomorrow, Sunday 29 March, 09:00"
    )


def test_the_year_is_added_when_it_is_not_this_year():
    new_years_eve = at(LONDON, 2026, 12, 31, 20, 0)
    assert (
        date_label(at(LONDON, 2027, 1, 1, 9, 0), new_years_eve, LONDON)
        == "Tomorrow, Friday 1 January 2027, 09:00"
    )
    assert (
        date_label(at(LONDON, 2027, 1, 7, 9, 0), new_years_eve, LONDON)
        == "Thursday 7 January 2027, 09:00"
    )
    new_year = at(LONDON, 2027, 1, 1, 8, 0)
    assert (
        date_label(at(LONDON, 2026, 12, 31, 23, 0), new_year, LONDON)
        == "Yesterday, Thursday 31 December 2026, 23:00"
    )
    # The same day and month a year apart are two labels.
    assert day_label(date(2025, 11, 28), SATURDAY) != day_label(SATURDAY, SATURDAY)
    assert day_label(date(2025, 11, 28), SATURDAY) == "Friday 28 November 2025"


def test_a_distance_is_added_only_where_today_tomorrow_or_yesterday_do_not_say_it():
    now = at(LONDON, 2026, 11, 28, 15, 30)
    assert days_away(at(LONDON, 2026, 11, 29, 9, 0), now, LONDON) == ""
    assert (
        date_label_with_distance(at(LONDON, 2026, 12, 5, 9, 0), now, LONDON)
        == "Saturday 5 December, 09:00 (in 7 days)"
    )
    assert (
        date_label_with_distance(at(LONDON, 2026, 11, 17, 9, 0), now, LONDON)
        == "Tuesday 17 November, 09:00 (11 days ago)"
    )
    assert (
        date_label_with_distance(at(LONDON, 2026, 11, 27, 9, 0), now, LONDON, in_sentence=True)
        == "yesterday, Friday 27 November, 09:00"
    )
