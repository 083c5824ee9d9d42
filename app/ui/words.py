"""Greetings and checklist save times in the plain words a patient reads on screen. Pure Python;
dates themselves are worded by app.domain.dates, the same on every screen."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.domain.dates import date_label


def greeting(now: datetime, zone: str) -> str:
    hour = now.astimezone(ZoneInfo(zone)).hour
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


def marked_words(mark, now: datetime, zone: str) -> str:
    """When a checklist item was last saved: "Saved today, Saturday 28 November, 15:30"."""
    if mark is None or not (mark.checked or mark.value):
        return ""
    return f"Saved {date_label(mark.marked_at, now, zone, in_sentence=True)}"


def restore_question(source: str) -> str:
    """What "Restore" asks first, on Your data and on the recovery page. `source`: "the diary
    from Monday 30 November, 09:12" or "the file facet-backup.db"."""
    return (f"Restore {source}? What you saved after that is set aside, not deleted: the diary "
            "as it is now is kept in a file of its own.")
