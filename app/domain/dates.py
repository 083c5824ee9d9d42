"""Dates and times as the patient reads them, the same on every screen. Pure Python.

The one rule: every dated thing shows its date ("Friday 4 December, 09:30"), and "Today",
"Tomorrow" or "Yesterday" comes first where it is true. A weekday alone is never a label, so a
day in the week before today and one in the week after can never read alike. The year is added
when it is not today's year. `now` and the zone are always parameters: nothing reads a clock.

Everything follows the patient's language (app.i18n.language()), with the weekday and month names
and the time as Babel's CLDR data writes them: "Friday 4 December, 09:30" in English, "viernes,
4 de diciembre, 9:30" in Spanish.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from app.i18n import N_, _, language, ngettext

RELATIVE_DAYS = {0: N_("Today"), 1: N_("Tomorrow"), -1: N_("Yesterday")}

# Each language's CLDR locale: British English writes "Friday 4 December" and "09:30".
BABEL_LOCALES = {"en": "en_GB", "es": "es"}
# A calendar date without and with its year, in CLDR date patterns. Spanish is CLDR's full date
# ("EEEE, d 'de' MMMM 'de' y") and, this year, the same without the year.
DATE_PATTERNS = {
    "en": ("EEEE d MMMM", "EEEE d MMMM y"),
    "es": ("EEEE, d 'de' MMMM", "EEEE, d 'de' MMMM 'de' y"),
}


def babel_locale(code: str | None = None) -> Locale:
    """The CLDR locale of `code`, or of the patient's language, for Babel's formatting."""
    return _parsed_locale(BABEL_LOCALES[code or language()])


@cache
def _parsed_locale(name: str) -> Locale:
    # Given a name, Babel parses it again for every date, time and number it writes, three
    # times for a time: a third of the Diary's 150 rows' cost on each open.
    return Locale.parse(name)


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def clock_time(instant: datetime, zone: str) -> str:
    """ "09:30" (English), "9:30" (Spanish): the language's short time, on the 24-hour clock."""
    return format_time(instant.astimezone(ZoneInfo(zone)), "short", locale=babel_locale())


def calendar_date(day: date, today: date) -> str:
    """ "Friday 4 December", with the year when it is not this year: "Friday 1 January 2027"."""
    this_year, other_year = DATE_PATTERNS[language()]
    pattern = this_year if day.year == today.year else other_year
    return format_date(day, pattern, locale=babel_locale())


def relative_day(day: date, today: date) -> str:
    """ "Today", "Tomorrow", "Yesterday", or "" for any other day."""
    relative = RELATIVE_DAYS.get((day - today).days)
    return _(relative) if relative else ""


def day_label(day: date, today: date, *, in_sentence: bool = False) -> str:
    """ "Today, Saturday 28 November", "Monday 30 November", "Friday 1 January 2027".

    `in_sentence`: "today, Saturday 28 November", for the middle of a sentence."""
    relative = relative_day(day, today)
    if in_sentence:
        relative = relative.lower()
    words = calendar_date(day, today)
    if relative:
        return f"{relative}, {words}"
    # A label starts with a capital, as in English; Spanish writes weekdays in lower case.
    return words if in_sentence else words[:1].upper() + words[1:]


def date_label(instant: datetime, now: datetime, zone: str, *, in_sentence: bool = False) -> str:
    """ "Tomorrow, Friday 4 December, 09:30": the instant's local day and time in `zone`."""
    day = day_label(local_date(instant, zone), local_date(now, zone), in_sentence=in_sentence)
    return f"{day}, {clock_time(instant, zone)}"


def days_away(instant: datetime, now: datetime, zone: str) -> str:
    """ "in 9 days", "11 days ago", counted in local days; "" for today, tomorrow and yesterday,
    which the date label already says."""
    days = (local_date(instant, zone) - local_date(now, zone)).days
    if abs(days) <= 1:
        return ""
    if days > 0:
        return ngettext("in {count} day", "in {count} days", days).format(count=days)
    return ngettext("{count} day ago", "{count} days ago", -days).format(count=-days)


def date_label_with_distance(
    instant: datetime, now: datetime, zone: str, *, in_sentence: bool = False
) -> str:
    """ "Saturday 5 December, 09:30 (in 7 days)", "Tomorrow, Friday 4 December, 09:30"."""
    label = date_label(instant, now, zone, in_sentence=in_sentence)
    distance = days_away(instant, now, zone)
    return f"{label} ({distance})" if distance else label


def report_date(day: date, code: str) -> str:
    """A short date for a table in a report, in language `code`: "4 Dec 2026", "4 dic 2026"."""
    return format_date(day, "medium", locale=babel_locale(code))


def chart_day(day: date) -> str:
    """ "30 Oct", "30 oct": a day under a chart's axis, in the patient's language."""
    return format_date(day, "d MMM", locale=babel_locale())


def report_datetime(local: datetime, code: str) -> str:
    """ "4 Dec 2026, 09:30", "4 dic 2026, 9:30": an already local date and time, in `code`."""
    time = format_time(local, "short", locale=babel_locale(code))
    return f"{report_date(local.date(), code)}, {time}"


def number(value: float, places: int = 1, code: str | None = None) -> str:
    """ "7.5" in English, "7,5" in Spanish: a measured value with `places` decimals, in language
    `code` (a report's clinic language), else the patient's."""
    pattern = "0." + "0" * places if places else "0"
    return format_decimal(value, pattern, locale=babel_locale(code), decimal_quantization=True)
