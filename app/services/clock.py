"""The one place that reads the real clock and the device's time zone."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import tzlocal


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def zone(self) -> str:
        try:
            return tzlocal.get_localzone_name() or "UTC"
        except Exception:  # tzlocal raises several kinds on misconfigured systems
            return "UTC"

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


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
