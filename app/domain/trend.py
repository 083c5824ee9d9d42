"""Each day's average, lowest and highest score, for the diary's trend chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PERIODS = {"7 days": 7, "14 days": 14, "30 days": 30, "90 days": 90, "All": None}
DEFAULT_PERIOD = "30 days"


@dataclass(frozen=True)
class DaySummary:
    day: date
    average: float
    low: int
    high: int
    count: int


def first_day_of(period: str, today: date) -> date | None:
    """The first local day a period shows, today included; None for all of them."""
    days = PERIODS[period]
    return None if days is None else today - timedelta(days=days - 1)


def describe_period(days: list[DaySummary], period_words: str) -> str:
    """One plain sentence about a period, weighting each day by its number of entries."""
    if not days:
        return f"{period_words}: nothing logged."
    count = sum(day.count for day in days)
    average = sum(day.average * day.count for day in days) / count
    low = min(day.low for day in days)
    high = max(day.high for day in days)
    entries = "entry" if count == 1 else "entries"
    return f"{period_words}: {count:,} {entries}, average {average:.1f}, lowest {low}, highest {high}."
