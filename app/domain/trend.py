"""Each day's average, lowest and highest score, for the diary's trend chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.dates import number
from app.i18n import N_, _, ngettext

PERIODS = {"7 days": 7, "14 days": 14, "30 days": 30, "90 days": 90, "All": None}
DEFAULT_PERIOD = "30 days"
# How a summary names each period, in whole words (its key is also the filter button's text).
PERIOD_NAMES = {
    "7 days": N_("Last 7 days"),
    "14 days": N_("Last 14 days"),
    "30 days": N_("Last 30 days"),
    "90 days": N_("Last 90 days"),
    "All": N_("All entries"),
}


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


def describe_period(days: list[DaySummary], period: str) -> str:
    """One plain sentence about a period (a key of PERIODS), weighting each day by its number
    of entries."""
    name = _(PERIOD_NAMES[period])
    if not days:
        return _("{period}: nothing logged.").format(period=name)
    count = sum(day.count for day in days)
    average = sum(day.average * day.count for day in days) / count
    low = min(day.low for day in days)
    high = max(day.high for day in days)
    return ngettext(
        "{period}: {count} entry, average {average}, lowest {low}, highest {high}.",
        "{period}: {count} entries, average {average}, lowest {low}, highest {high}.",
        count,
    ).format(period=name, count=f"{count:,}", average=number(average), low=low, high=high)
