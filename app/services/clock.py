"""The one place that reads the real clock and the device's time zone."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

import tzlocal

from app.domain.typed import UNSET_ZONE, ZoneError, iana_zone


class Clock(Protocol):
    """What a service asks of a clock: the instant now and the patient's zone."""

    def now(self) -> datetime: ...

    def zone(self) -> str: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def zone(self) -> str:
        """The device's IANA zone; an old-style name (EST5EDT) as its place. A zone that is not
        set or not known is answered as "Factory": screens still show times (at UTC's offset),
        but the domain refuses to save a time in it, so nothing is stored as UTC by accident."""
        try:
            return iana_zone(_zone_from_environment() or tzlocal.get_localzone_name())
        except ZoneError:
            return UNSET_ZONE
        except Exception:  # tzlocal raises several kinds on misconfigured systems
            return UNSET_ZONE

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


def _zone_from_environment() -> str | None:
    """TZ as a name ("America/New_York", ":EST5EDT"). tzlocal passes over names it does not
    list (EST5EDT, Factory, a POSIX rule) and answers the system's zone instead, which would
    store times in the wrong zone; here they are mapped or refused. A path is left to tzlocal."""
    name = os.environ.get("TZ", "").removeprefix(":")
    return name if name and not os.path.isabs(name) else None


class FixedClock:
    """A clock for tests and demos that stands still until moved."""

    def __init__(self, now: datetime, zone: str = "UTC") -> None:
        self._now = now
        self._zone = zone

    def now(self) -> datetime:
        return self._now

    def zone(self) -> str:
        return self._zone

    def advance(self, delta) -> None:
        self._now += delta

    def sleep(self, seconds: float) -> None:
        """Waiting on a fixed clock moves it on, so a loop that sleeps runs instantly."""
        self._now += timedelta(seconds=seconds)

    def set(self, now: datetime, zone: str | None = None) -> None:
        """Jump to `now` (back or forward), and to another zone when given."""
        self._now = now
        if zone is not None:
            self._zone = zone


class ScaledClock:
    """Wall time sped up: `start` at the real instant `real_start` (a `time.time()` value), then
    `speed` simulated seconds per real second. Two processes given the same numbers agree on the
    time, which is what the two-process reminder test needs. Only tests use it."""

    def __init__(self, start: datetime, speed: float, real_start: float, zone: str = "UTC") -> None:
        self.start = start
        self.speed = speed
        self.real_start = real_start
        self._zone = zone

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.real_start) * self.speed)

    def zone(self) -> str:
        return self._zone

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds) / self.speed)
