"""Which automatic backups to make and which to keep. Pure Python: instants are parameters.

The rules, in plain words:
- A daily backup is due when no backup was made on today's date (UTC, the time backups are
  named by). So the app, the reminder agent and the command line together make at most one a
  day, whichever opens the diary first.
- Kept: every backup made today (one made before a restore or a schema change, beside the
  daily one, can be put back all day); of the days before, the newest backup of each of the last
  DAILY_KEPT days that have one, and the newest backup of each of the last WEEKLY_KEPT ISO weeks
  that have one. Days and weeks are counted
  among those that have a backup, not on the calendar, so a diary left closed for months keeps
  its last backups instead of losing them all on the day it is opened again.
- A backup dated after `now` (the device's clock was ahead, or is now behind) is kept and not
  counted, so a wrong clock can neither delete the backup just made nor old good ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

DAILY_KEPT = 7
WEEKLY_KEPT = 4


def daily_backup_due(made: Iterable[datetime], now: datetime) -> bool:
    """True when none of the backups `made` falls on the same UTC date as `now`."""
    today = _utc_date(now)
    return all(_utc_date(instant) != today for instant in made)


def backups_to_keep(made: Iterable[datetime], now: datetime) -> set[datetime]:
    """The instants, among `made`, of the backups to keep; every other one may be removed."""
    instants = set(made)
    future = {instant for instant in instants if instant > now}
    today = {instant for instant in instants - future if _utc_date(instant) == _utc_date(now)}
    past = sorted(instants - future, reverse=True)  # newest first
    return (
        future
        | today
        | _newest_per_group(past, _utc_date, DAILY_KEPT)
        | _newest_per_group(past, _iso_week, WEEKLY_KEPT)
    )


def _newest_per_group(newest_first: list[datetime], group_of, groups: int) -> set[datetime]:
    kept: dict[object, datetime] = {}
    for instant in newest_first:
        group = group_of(instant)
        if group not in kept:
            if len(kept) == groups:
                break
            kept[group] = instant
    return set(kept.values())


def _utc_date(instant: datetime):
    return _as_utc(instant).date()


def _iso_week(instant: datetime) -> tuple[int, int]:
    year, week, _ = _as_utc(instant).isocalendar()
    return year, week


def _as_utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
