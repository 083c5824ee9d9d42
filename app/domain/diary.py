"""The everyday pain diary: what an entry is and the rules a new or edited entry must pass.

Validation takes raw form or command-line values and either returns a `PainEntry` or raises
`DiaryInputError` holding one friendly message per field, so a screen can show each message
beside its field and keep what the patient typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from app.domain.typed import LocalTimeError, ZoneError, iana_zone, local_instant, shown

SCORE_MIN = 0
SCORE_MAX = 10
NOTE_MAX_CHARS = 2000
TEXT_MAX_CHARS = 200
CLOCK_SKEW = timedelta(minutes=5)
RETRY_WINDOW = timedelta(minutes=1)
OLDEST_ALLOWED = timedelta(days=366)

SCORE_WORDS = {0: "No pain", 5: "Moderate", 10: "Worst imaginable"}

AREAS = {
    "lower_back": "Lower back",
    "neck": "Neck",
    "buttock": "Buttock",
    "leg": "Leg",
    "arm": "Arm",
    "between_shoulders": "Between the shoulders",
    "head": "Head",
}
SIDES = {"left": "Left", "right": "Right", "both": "Both sides"}


@dataclass(frozen=True)
class AreaScore:
    area: str
    side: str
    score: int

    @property
    def label(self) -> str:
        side = "both sides" if self.side == "both" else self.side
        return f"{AREAS[self.area]}, {side}"


class LocalTimes:
    """For values holding an aware instant `at` and the IANA `zone` it belongs to."""

    at: datetime
    zone: str

    @property
    def local_at(self) -> datetime:
        return self.at.astimezone(ZoneInfo(self.zone))

    @property
    def local_date(self) -> date:
        return self.local_at.date()


@dataclass(frozen=True)
class PainEntry(LocalTimes):
    """One diary entry. Instants are aware and in UTC; `zone` is where the patient was."""

    score: int
    at: datetime
    zone: str
    areas: tuple[AreaScore, ...] = ()
    activity: str = ""
    medication: str = ""
    medication_at: datetime | None = None
    note: str = ""
    id: int | None = None



def is_retry_of(entry: PainEntry, saved: PainEntry) -> bool:
    """`entry` is the same as `saved` sent again (a command retried after it was cut off before
    saying it had saved): the same score, areas, activity, medicine and note, at a time at most
    RETRY_WINDOW apart."""
    return (abs(entry.at - saved.at) <= RETRY_WINDOW and entry.score == saved.score
            and set(entry.areas) == set(saved.areas) and entry.activity == saved.activity
            and entry.medication == saved.medication and entry.note == saved.note)


@dataclass
class DiaryInputError(ValueError):
    """Every problem found in one submission, keyed by field name."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


def validate_entry(raw: Mapping[str, Any], *, now: datetime, zone: str) -> PainEntry:
    """Check raw input and build an entry, or raise `DiaryInputError` naming each bad field.

    `raw` keys: score, at (None for now), areas (iterable of mappings with area, side, score),
    activity, medication, medication_at, note, id. `now` must be aware.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(zone, errors)
    score = _checked_score(raw.get("score"), "score", errors)
    at = _checked_instant(raw.get("at"), "at", now, zone, errors) or now
    medication_at = _checked_instant(raw.get("medication_at"), "medication_at", now, zone, errors)
    areas = _checked_areas(raw.get("areas") or (), errors)
    activity = _checked_text(raw.get("activity"), "activity", "What you were doing", TEXT_MAX_CHARS, errors)
    medication = _checked_text(raw.get("medication"), "medication", "The medicine", TEXT_MAX_CHARS, errors)
    note = _checked_text(raw.get("note"), "note", "The note", NOTE_MAX_CHARS, errors)
    if errors:
        raise DiaryInputError(errors)
    return PainEntry(
        id=raw.get("id"),
        score=score,
        at=at.astimezone(timezone.utc),
        zone=zone,
        areas=areas,
        activity=activity,
        medication=medication,
        medication_at=medication_at.astimezone(timezone.utc) if medication_at else None,
        note=note,
    )


def checked_zone(zone: Any, errors: dict[str, str]) -> str:
    """The IANA zone to store (old-style names mapped to their place), or an error under
    "zone"; "UTC" then stands in only so the other checks can run: nothing is saved."""
    try:
        return iana_zone(zone)
    except ZoneError as error:
        errors["zone"] = str(error)
        return "UTC"


def _checked_score(value: Any, key: str, errors: dict[str, str]) -> int:
    if value is None or value == "":
        errors[key] = "Choose a number from 0 (no pain) to 10 (worst imaginable)."
        return 0
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        # A length cap first: int() refuses strings of more than 4,300 digits.
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else text
    if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        errors[key] = f"The pain score must be a whole number from 0 to 10, not “{shown(value)}”."
        return 0
    return value


def _checked_instant(
    value: Any, key: str, now: datetime, zone: str, errors: dict[str, str]
) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            errors[key] = (f"“{shown(value)}” is not a date and time; use a form like "
                           "2026-11-28 14:30.")
            return None
    if not isinstance(value, datetime):
        errors[key] = "That is not a date and time."
        return None
    try:
        value = local_instant(value, zone)
        distance = value - now
    except LocalTimeError as error:
        errors[key] = str(error)
        return None
    except OverflowError:  # a year near 1 or 9999 with a zone offset
        distance = OLDEST_ALLOWED * (2 if value.year > now.year else -2)
    if distance > CLOCK_SKEW:
        errors[key] = "That time is in the future. Choose now or a time that has passed."
    elif distance < -OLDEST_ALLOWED:
        errors[key] = "That is more than a year ago. Choose a time within the last year."
    return value


def _checked_areas(values: Any, errors: dict[str, str]) -> tuple[AreaScore, ...]:
    areas: list[AreaScore] = []
    seen: set[tuple[str, str]] = set()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        errors["areas"] = "Each pain area needs a place, a side and a score."
        return ()
    for index, item in enumerate(values):
        key = f"areas.{index}"
        if not isinstance(item, Mapping):
            errors[key] = "Each pain area needs a place, a side and a score."
            continue
        area, side = item.get("area"), item.get("side")
        if not isinstance(area, str) or area not in AREAS:
            known = ", ".join(AREAS)
            errors[key] = (
                f"“{shown(area)}” is not a pain area this diary knows. Choose one of: {known}."
            )
            continue
        if not isinstance(side, str) or side not in SIDES:
            errors[key] = (
                f"Choose left, right or both for {AREAS[area].lower()}, not “{shown(side)}”."
            )
            continue
        if (area, side) in seen:
            errors[key] = f"{AREAS[area]} ({side}) is listed twice."
            continue
        seen.add((area, side))
        score = _checked_score(item.get("score"), key, errors)
        areas.append(AreaScore(area=area, side=side, score=score))
    return tuple(areas)


def _checked_text(value: Any, key: str, label: str, limit: int, errors: dict[str, str]) -> str:
    try:
        text = "" if value is None else str(value)
    except ValueError:  # e.g. an int of more than 4,300 digits
        errors[key] = f"{label} is not text."
        return ""
    if "\x00" in text or not _encodable(text):
        errors[key] = f"{label} contains a character that cannot be saved."
    elif len(text) > limit:
        errors[key] = f"{label} is {len(text):,} characters long; the limit is {limit:,}."
    return text.strip()


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
