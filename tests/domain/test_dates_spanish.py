"""The date labels in Spanish, as Babel's CLDR data for "es" writes them: the relative day first,
then "martes, 1 de diciembre", the year when it is not this year, the time on the 24-hour clock;
"dentro de 9 días" counted through the catalog's plurals. English stays as it always was."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.dates import (
    calendar_date,
    chart_day,
    clock_time,
    date_label,
    date_label_with_distance,
    day_label,
    days_away,
    number,
    report_date,
    report_datetime,
)
from app.i18n import in_language

MADRID = "Europe/Madrid"
TUESDAY = date(2026, 12, 1)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(MADRID))


@pytest.fixture
def spanish():
    with in_language("es"):
        yield


def test_a_date_in_spanish(spanish):
    assert calendar_date(TUESDAY, TUESDAY) == "martes, 1 de diciembre"
    assert calendar_date(date(2027, 1, 1), TUESDAY) == "viernes, 1 de enero de 2027"


def test_the_relative_day_comes_first(spanish):
    assert day_label(TUESDAY, TUESDAY) == "Hoy, martes, 1 de diciembre"
    assert day_label(date(2026, 12, 2), TUESDAY) == "Mañana, miércoles, 2 de diciembre"
    assert day_label(date(2026, 11, 30), TUESDAY) == "Ayer, lunes, 30 de noviembre"
    assert (
        day_label(date(2026, 12, 2), TUESDAY, in_sentence=True)
        == "mañana, miércoles, 2 de diciembre"
    )


def test_date_and_time_in_spanish(spanish):
    now = at(2026, 12, 1, 8, 0)
    assert clock_time(at(2026, 12, 4, 9, 30), MADRID) == "9:30"
    # A label starts with a capital; in the middle of a sentence the weekday is lower case.
    assert date_label(at(2026, 12, 4, 9, 30), now, MADRID) == "Viernes, 4 de diciembre, 9:30"
    assert (
        date_label(at(2026, 12, 4, 9, 30), now, MADRID, in_sentence=True)
        == "viernes, 4 de diciembre, 9:30"
    )
    assert (
        date_label_with_distance(at(2026, 12, 10, 14, 5), now, MADRID)
        == "Jueves, 10 de diciembre, 14:05 (dentro de 9 días)"
    )


def test_days_away_counts_with_the_spanish_plurals(spanish):
    now = at(2026, 12, 1, 8, 0)
    assert days_away(at(2026, 12, 3, 8, 0), now, MADRID) == "dentro de 2 días"
    assert days_away(at(2026, 11, 20, 8, 0), now, MADRID) == "hace 11 días"
    assert days_away(at(2026, 12, 2, 8, 0), now, MADRID) == ""


def test_the_same_calls_in_english_are_unchanged():
    now = at(2026, 12, 1, 8, 0)
    assert (
        date_label_with_distance(at(2026, 12, 10, 14, 5), now, MADRID)
        == "Thursday 10 December, 14:05 (in 9 days)"
    )
    assert day_label(date(2027, 1, 1), TUESDAY) == "Friday 1 January 2027"
    assert days_away(at(2026, 11, 20, 8, 0), now, MADRID) == "11 days ago"


def test_numbers_use_the_languages_decimal_sign():
    assert number(7.46) == "7.5"
    with in_language("es"):
        assert number(7.46) == "7,5"
        assert number(3, places=0) == "3"


def test_report_dates_in_a_named_language_whatever_the_patients():
    with in_language("es"):
        assert report_date(TUESDAY, "en") == "1 Dec 2026"
        assert report_datetime(datetime(2026, 12, 1, 9, 30), "en") == "1 Dec 2026, 09:30"
    assert report_date(TUESDAY, "es") == "1 dic 2026"
    assert report_datetime(datetime(2026, 12, 1, 9, 30), "es") == "1 dic 2026, 9:30"


def test_a_chart_day_follows_the_language():
    assert chart_day(date(2026, 10, 30)) == "30 Oct"
    with in_language("es"):
        assert chart_day(date(2026, 10, 30)) == "30 oct"
