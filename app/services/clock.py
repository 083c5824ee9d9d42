"""The one place that reads the real clock and the device's time zone."""

from __future__ import annotations

from datetime import datetime, timezone

import tzlocal


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def zone(self) -> str:
        try:
            return tzlocal.get_localzone_name() or "UTC"
        except Exception:  # tzlocal raises several kinds on misconfigured systems
            return "UTC"


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
