"""What people type, read the same way everywhere: a time zone, a local clock time, and what a
message may echo back of it. Pure Python.

The rules, in plain words:
- A message echoes at most ECHO_LIMIT (80) characters of what was typed, then "…".
- A time zone is a place's IANA name ("America/New_York"). The old US and European style names
  ("EST5EDT", "CET"...) are read as the place the time-zone database itself now links them to.
  "Factory" (the zone of a device whose time zone was never set) and unknown names are refused:
  a time is never stored as UTC by accident.
- A local clock time that does not exist, because the clocks go forward over it (02:30 on a
  spring-forward night in New York), is refused, naming the last minute before the jump and the
  first one after it ("01:59 or 03:00"). It is never moved silently.
- A date typed to choose what to show (--since, --from) is within 100 years of today.
- A local clock time that happens twice, because the clocks go back over it (01:30 on a
  fall-back night), is the first of the two; `repeated_time_note` says so, and how to give the
  second.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.dates import calendar_date
from app.i18n import _

ECHO_LIMIT = 80
UNSET_ZONE = "Factory"
# tzdata 2024b made these old names links to a place (its "backward" file); older databases still
# hold their POSIX-style rules, so the app reads them as the place whatever tzdata is installed.
LEGACY_ZONES = {
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "EST": "America/Panama",
    "MST": "America/Phoenix",
    "HST": "Pacific/Honolulu",
    "CET": "Europe/Brussels",
    "MET": "Europe/Brussels",
    "EET": "Europe/Athens",
    "WET": "Europe/Lisbon",
}
NOT_PLACES = {UNSET_ZONE.lower(), "localtime", "posixrules", "posix/factory"}
MINUTE = timedelta(minutes=1)
LONGEST_JUMP = timedelta(days=2)  # Samoa skipped a whole day in 2011
FARTHEST_YEARS = 100


class ZoneError(ValueError):
    """A time zone the app cannot use; `str()` is the message."""


class LocalTimeError(ValueError):
    """A local time that does not exist in its zone; `str()` is the message."""


def shown(value: Any, limit: int = ECHO_LIMIT) -> str:
    """`str(value)` shortened for a message; "?" where even that fails (a 5,000-digit int)."""
    try:
        text = str(value)
    except ValueError:
        return "?"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def iana_zone(name: Any) -> str:
    """The IANA name to store for a typed or device zone name; raises `ZoneError`."""
    if not isinstance(name, str) or not name.strip():
        raise ZoneError(_("Give a place's time zone, like America/New_York or Europe/London."))
    name = name.strip()
    if name.lower() in NOT_PLACES:
        raise ZoneError(
            _(
                "The time zone is not set (it says “{name}”). Set this device's time "
                "zone, or give a place's time zone, like America/New_York or "
                "Europe/London."
            ).format(name=shown(name))
        )
    name = LEGACY_ZONES.get(name.upper(), name)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise ZoneError(
            _(
                "“{name}” is not a time zone this device knows. Give a place's time "
                "zone, like America/New_York or Europe/London."
            ).format(name=shown(name))
        ) from None
    return name


def local_instant(value: datetime, zone: str) -> datetime:
    """The aware instant for a typed local time: `value` naive (local time in `zone`) or with a
    ZoneInfo of its own (a time picked on screen); one with a fixed offset is taken as it is.
    A time the clocks jump over raises `LocalTimeError`; a time that happens twice is the first."""
    if value.tzinfo is not None and not isinstance(value.tzinfo, ZoneInfo):
        return value
    tz = value.tzinfo if isinstance(value.tzinfo, ZoneInfo) else ZoneInfo(zone)
    wall = value.replace(tzinfo=None, fold=0)
    if not _exists(wall, tz):
        before, after = _last_before(wall, tz), _first_after(wall, tz)
        raise LocalTimeError(
            _(
                "{time} does not exist on {day}: the clocks jump from {jump_from} to {jump_to}. "
                "Choose {before} or {after}."
            ).format(
                time=_clock(wall, wall),
                day=_day(wall),
                jump_from=_clock(before + MINUTE, wall),
                jump_to=_clock(after, wall),
                before=_clock(before, wall),
                after=_clock(after, wall),
            )
        )
    return wall.replace(tzinfo=tz)


def repeated_time_note(value: datetime, zone: str, *, on_screen: bool = False) -> str | None:
    """For a local time that happens twice (the clocks go back over it): which one was taken and
    (typed at the command line) how to give the other; `on_screen`, where only a clock time can
    be chosen, just which one it is. None for every other time."""
    if value.tzinfo is not None and not isinstance(value.tzinfo, ZoneInfo):
        return None
    tz = value.tzinfo if isinstance(value.tzinfo, ZoneInfo) else ZoneInfo(zone)
    wall = value.replace(tzinfo=None, fold=0)
    first, second = wall.replace(tzinfo=tz), wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset() or not _exists(wall, tz):
        return None
    if on_screen:
        return _(
            "{time} happens twice on {day}, when the clocks go back. This is the first "
            "one, before the clocks go back."
        ).format(time=_clock(wall, wall), day=_day(wall))
    return _(
        "{time} happens twice on {day}, when the clocks go back. The first one was used "
        "({first_offset}); for the second, give the time as {second}."
    ).format(
        time=_clock(wall, wall),
        day=_day(wall),
        first_offset=_offset(first),
        second=f"{wall:%Y-%m-%dT%H:%M}{_offset(second)[3:]}",
    )


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    there = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return there.replace(tzinfo=None) == wall


def _last_before(wall: datetime, tz: ZoneInfo) -> datetime:
    minute = wall.replace(second=0, microsecond=0)
    while not _exists(minute, tz) and wall - minute < LONGEST_JUMP:
        minute -= MINUTE
    return minute


def _first_after(wall: datetime, tz: ZoneInfo) -> datetime:
    minute = wall.replace(second=0, microsecond=0) + MINUTE
    while not _exists(minute, tz) and minute - wall < LONGEST_JUMP:
        minute += MINUTE
    return minute


def _clock(moment: datetime, day_of: datetime) -> str:
    """ "03:00", with the date when it is not `day_of`'s day."""
    return (
        f"{moment:%H:%M}"
        if moment.date() == day_of.date()
        else (_("{time} on {day}").format(time=f"{moment:%H:%M}", day=_day(moment)))
    )


def _day(moment: datetime) -> str:
    """ "Sunday 14 March 2027", always with its year (`calendar_date` gives the year when its
    `today` is in another year), in the patient's language."""
    day = moment.date()
    return calendar_date(day, date(day.year - 1, 1, 1))


def _offset(moment: datetime) -> str:
    """ "UTC-04:00"."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def read_instant(text: Any, zone: str, *, now: datetime, years: int = FARTHEST_YEARS) -> datetime:
    """A typed ISO-8601 date or time (local in `zone` when it has no offset) as an aware UTC
    instant, within `years` of `now`; raises `LocalTimeError` saying what is wrong."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise LocalTimeError(
            _(
                "“{text}” is not a date or time; use a form like 2026-11-28 or 2026-11-28T14:30."
            ).format(text=shown(text))
        ) from None
    try:
        instant = local_instant(value, zone).astimezone(UTC)
        far = abs(instant - now) > timedelta(days=365 * years)
    except OverflowError:
        far = True
    if far:
        raise LocalTimeError(
            _("{text} is more than {years} years from today. Check the year.").format(
                text=shown(text), years=years
            )
        )
    return instant
