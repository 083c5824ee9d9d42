"""The everyday pain diary: what an entry is and the rules a new or edited entry must pass.

Validation takes raw form or command-line values and either returns a `PainEntry` or raises
`DiaryInputError` holding one friendly message per field, so a screen can show each message
beside its field and keep what the patient typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.typed import LocalTimeError, ZoneError, iana_zone, local_instant, shown
from app.i18n import N_, _

SCORE_MIN = 0
SCORE_MAX = 10
NOTE_MAX_CHARS = 2000
TEXT_MAX_CHARS = 200
CLOCK_SKEW = timedelta(minutes=5)
RETRY_WINDOW = timedelta(minutes=1)
OLDEST_ALLOWED = timedelta(days=366)

# The words below are shown through _() (the keys are what is stored and typed on the command line).
SCORE_WORDS = {0: N_("No pain"), 5: N_("Moderate"), 10: N_("Worst imaginable")}

AREAS = {
    "lower_back": N_("Lower back"),
    "neck": N_("Neck"),
    "buttock": N_("Buttock"),
    "leg": N_("Leg"),
    "arm": N_("Arm"),
    "between_shoulders": N_("Between the shoulders"),
    "head": N_("Head"),
}
SIDES = {"left": N_("Left"), "right": N_("Right"), "both": N_("Both sides")}
# A place and its side, in one phrase per side: "Lower back, right".
AREA_SIDE_LABELS = {
    "left": N_("{area}, left"),
    "right": N_("{area}, right"),
    "both": N_("{area}, both sides"),
}


@dataclass(frozen=True)
class AreaScore:
    area: str
    side: str
    score: int

    @property
    def label(self) -> str:
        return _(AREA_SIDE_LABELS[self.side]).format(area=_(AREAS[self.area]))


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

    def __eq__(self, other: object) -> bool:
        # A SavedEntry is this entry with its id known: equal values are the same entry, whichever
        # of the two types holds them (the generated __eq__ would insist on one class).
        if not isinstance(other, PainEntry):
            return NotImplemented
        return self._values() == other._values()

    def _values(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))

    def saved_as(self, entry_id: int) -> SavedEntry:
        """This entry as the diary holds it under `entry_id`."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "id"}
        return SavedEntry(**values, id=entry_id)


@dataclass(frozen=True, eq=False)
class SavedEntry(PainEntry):
    """An entry on disk: its id is known, so it can be edited, deleted and brought back."""

    id: int = field(kw_only=True)


def is_retry_of(entry: PainEntry, saved: PainEntry) -> bool:
    """`entry` is the same as `saved` sent again (a command retried after it was cut off before
    saying it had saved): the same score, areas, activity, medicine and note, at a time at most
    RETRY_WINDOW apart."""
    return (
        abs(entry.at - saved.at) <= RETRY_WINDOW
        and entry.score == saved.score
        and set(entry.areas) == set(saved.areas)
        and entry.activity == saved.activity
        and entry.medication == saved.medication
        and entry.note == saved.note
    )


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
    activity = _checked_text(
        raw.get("activity"), "activity", N_("What you were doing"), TEXT_MAX_CHARS, errors
    )
    medication = _checked_text(
        raw.get("medication"), "medication", N_("The medicine"), TEXT_MAX_CHARS, errors
    )
    note = _checked_text(raw.get("note"), "note", N_("The note"), NOTE_MAX_CHARS, errors)
    if errors:
        raise DiaryInputError(errors)
    return PainEntry(
        id=raw.get("id"),
        score=score,
        at=at.astimezone(UTC),
        zone=zone,
        areas=areas,
        activity=activity,
        medication=medication,
        medication_at=medication_at.astimezone(UTC) if medication_at else None,
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
        errors[key] = _("Choose a number from 0 (no pain) to 10 (worst imaginable).")
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
        message = _("The pain score must be a whole number from 0 to 10, not “{value}”.")
        errors[key] = message.format(value=shown(value))
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
            errors[key] = _(
                "“{value}” is not a date and time; use a form like 2026-11-28 14:30."
            ).format(value=shown(value))
            return None
    if not isinstance(value, datetime):
        errors[key] = _("That is not a date and time.")
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
        errors[key] = _("That time is in the future. Choose now or a time that has passed.")
    elif distance < -OLDEST_ALLOWED:
        errors[key] = _("That is more than a year ago. Choose a time within the last year.")
    return value


def _checked_areas(values: Any, errors: dict[str, str]) -> tuple[AreaScore, ...]:
    areas: list[AreaScore] = []
    seen: set[tuple[str, str]] = set()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        errors["areas"] = _("Each pain area needs a place, a side and a score.")
        return ()
    for index, item in enumerate(values):
        key = f"areas.{index}"
        if not isinstance(item, Mapping):
            errors[key] = _("Each pain area needs a place, a side and a score.")
            continue
        area, side = item.get("area"), item.get("side")
        if not isinstance(area, str) or area not in AREAS:
            known = ", ".join(AREAS)
            errors[key] = _(
                "“{area}” is not a pain area this diary knows. Choose one of: {known}."
            ).format(area=shown(area), known=known)
            continue
        if not isinstance(side, str) or side not in SIDES:
            errors[key] = _("Choose left, right or both for {area}, not “{side}”.").format(
                area=_(AREAS[area]).lower(), side=shown(side)
            )
            continue
        if (area, side) in seen:
            errors[key] = _("{area} ({side}) is listed twice.").format(
                area=_(AREAS[area]), side=_(SIDES[side]).lower()
            )
            continue
        seen.add((area, side))
        score = _checked_score(item.get("score"), key, errors)
        areas.append(AreaScore(area=area, side=side, score=score))
    return tuple(areas)


def _checked_text(value: Any, key: str, label: str, limit: int, errors: dict[str, str]) -> str:
    try:
        text = "" if value is None else str(value)
    except ValueError:  # e.g. an int of more than 4,300 digits
        errors[key] = _("{field} is not text.").format(field=_(label))
        return ""
    if "\x00" in text or not _encodable(text):
        errors[key] = _("{field} contains a character that cannot be saved.").format(field=_(label))
    elif len(text) > limit:
        errors[key] = _("{field} is {length} characters long; the limit is {limit}.").format(
            field=_(label), length=f"{len(text):,}", limit=f"{limit:,}"
        )
    return text.strip()


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
