"""Dates and times in the plain words a patient reads on screen. Pure Python."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_date(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


def clock_time(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def day_name(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    if abs((today - day).days) < 7:
        return day.strftime("%A")
    return f"{day:%a} {day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")


def day_heading(instant: datetime, now: datetime, zone: str) -> str:
    """`Today`, `Yesterday`, a weekday this week, or a short date."""
    return day_name(local_date(instant, zone), local_date(now, zone))


def long_date(instant: datetime, zone: str) -> str:
    day = local_date(instant, zone)
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def greeting(now: datetime, zone: str) -> str:
    hour = now.astimezone(ZoneInfo(zone)).hour
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def how_far(instant: datetime, now: datetime, zone: str) -> str:
    """"today", "tomorrow", "in 9 days", "yesterday", "3 days ago", counted in local days."""
    days = (local_date(instant, zone) - local_date(now, zone)).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def when_words(instant: datetime, now: datetime, zone: str) -> str:
    """"Tomorrow 09:30", "Monday 09:30", "Mon 7 Dec 09:30"."""
    return f"{day_heading(instant, now, zone)} {clock_time(instant, zone)}"


def marked_words(mark, now: datetime, zone: str) -> str:
    """When a checklist item was last saved: "Done today 15:30"."""
    if mark is None or not (mark.checked or mark.value):
        return ""
    return f"Saved {when_words(mark.marked_at, now, zone).lower()}"
