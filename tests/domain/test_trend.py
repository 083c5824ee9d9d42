from datetime import date

import pytest

from app.domain.trend import DEFAULT_PERIOD, PERIODS, first_day_of


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("7 days", date(2026, 3, 10), date(2026, 3, 4)),
        ("30 days", date(2026, 3, 10), date(2026, 2, 9)),
        ("90 days", date(2026, 3, 10), date(2025, 12, 11)),
        # Across a year boundary and a leap day.
        ("7 days", date(2027, 1, 2), date(2026, 12, 27)),
        ("7 days", date(2028, 3, 2), date(2028, 2, 25)),
        ("30 days", date(2028, 3, 1), date(2028, 2, 1)),  # 29 February counts
    ],
)
def test_first_day_counts_today_as_one_of_the_days(period, today, expected):
    assert first_day_of(period, today) == expected
    assert (today - expected).days + 1 == PERIODS[period]


def test_all_has_no_first_day():
    assert first_day_of("All", date(2026, 3, 10)) is None


def test_default_period_is_one_of_the_periods():
    assert DEFAULT_PERIOD in PERIODS


def test_unknown_period_is_an_error():
    with pytest.raises(KeyError):
        first_day_of("2 weeks", date(2026, 3, 10))
