"""Dates and times as the patient reads them, the same on every screen. Pure Python.

The one rule: every dated thing shows its date ("Friday 4 December, 09:30"), and "Today",
"Tomorrow" or "Yesterday" comes first where it is true. A weekday alone is never a label, so a
day in the week before today and one in the week after can never read alike. The year is added
when it is not today's year. `now` and the zone are always parameters: nothing reads a clock.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

RELATIVE_DAYS = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def clock_time(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def calendar_date(day: date, today: date) -> str:
    """"Friday 4 December", with the year when it is not this year: "Friday 1 January 2027"."""
    words = f"{day:%A} {day.day} {day:%B}"
    return words if day.year == today.year else f"{words} {day.year}"


def relative_day(day: date, today: date) -> str:
    """"Today", "Tomorrow", "Yesterday", or "" for any other day."""
    return RELATIVE_DAYS.get((day - today).days, "")


def day_label(day: date, today: date, *, in_sentence: bool = False) -> str:
    """"Today, Saturday 28 November", "Monday 30 November", "Friday 1 January 2027".

    `in_sentence`: "today, Saturday 28 November", for the middle of a sentence."""
    relative = relative_day(day, today)
    if in_sentence:
        relative = relative.lower()
    words = calendar_date(day, today)
    return f"{relative}, {words}" if relative else words


def date_label(instant: datetime, now: datetime, zone: str, *, in_sentence: bool = False) -> str:
    """"Tomorrow, Friday 4 December, 09:30": the instant's local day and time in `zone`."""
    day = day_label(local_date(instant, zone), local_date(now, zone), in_sentence=in_sentence)
    return f"{day}, {clock_time(instant, zone)}"


def days_away(instant: datetime, now: datetime, zone: str) -> str:
    """"in 9 days", "11 days ago", counted in local days; "" for today, tomorrow and yesterday,
    which the date label already says."""
    days = (local_date(instant, zone) - local_date(now, zone)).days
    if abs(days) <= 1:
        return ""
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def date_label_with_distance(instant: datetime, now: datetime, zone: str, *,
                             in_sentence: bool = False) -> str:
    """"Saturday 5 December, 09:30 (in 7 days)", "Tomorrow, Friday 4 December, 09:30"."""
    label = date_label(instant, now, zone, in_sentence=in_sentence)
    distance = days_away(instant, now, zone)
    return f"{label} ({distance})" if distance else label

