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
