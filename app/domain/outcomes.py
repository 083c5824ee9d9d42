"""Outcomes after radiofrequency ablation (RFA): the pre-RFA baseline, check-ins, and what changed.

- The baseline (week 0) and every check-in hold the usual pain now on the 0 to 10 scale and,
  optionally, the three PEG items (average pain in the past week; how much pain interfered with
  enjoyment of life; with general activity), each 0 to 10. The PEG score is their mean, to one
  decimal.
- Check-ins fall at the pathway's `outcome_weeks` (default 2, 4, 12, 26 and 52) after the RFA's
  local date, at `CHECKIN_TIME` local time. Each can be recorded from `EARLY` (3 days) before it
  is due until the next one opens; the last one for `LAST_WINDOW` (8 weeks) after it is due.
- Improvement = baseline - score, in points and in percent of the baseline. A change is
  *meaningful* when it is at least 2 points or at least 30% of the baseline (the smallest change
  most people notice), in either direction.
- *Relief* at a check-in = improvement in percent of the baseline pain.
- The note, with a baseline and at least two check-ins after the RFA, takes the first of these
  that holds:
  1. the two most recent check-ins are both *near the baseline* (the pain is at most
     max(`NEAR_POINTS` 1 point, `NEAR_PERCENT` 20% of the baseline) better than before the
     RFA, or worse): relief *seems to be fading* when an earlier check-in showed a meaningful
     improvement; without one, the note says the scores are close to before instead;
  2. relief *seems to be fading* when the latest check-in's relief is under
     `HALF_RELIEF_PERCENT` (50%) and an earlier check-in's was 50% or more (the note names
     the earlier check-in with the most relief, and the latest);
  3. relief *seems to be fading* when the latest pain is `RISE_POINTS` (2) points or more
     above the lowest pain at an earlier check-in, and that lowest pain was below the baseline
     (there was relief to fade; the note names both).
  Each note is gentle and points to a clinic visit; the care team decides.

Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.dates import calendar_date, local_date
from app.domain.diary import (
    NOTE_MAX_CHARS,
    _checked_instant,
    _checked_score,
    _checked_text,
    checked_zone,
)
from app.i18n import N_, _, ngettext

BASELINE_WEEK = 0
CHECKIN_TIME = time(10, 0)
EARLY = timedelta(days=3)
LAST_WINDOW = timedelta(weeks=8)
MEANINGFUL_POINTS = 2
MEANINGFUL_PERCENT = 30
NEAR_POINTS = 1
NEAR_PERCENT = 20
HALF_RELIEF_PERCENT = 50
RISE_POINTS = 2
PEG_ITEMS = ("pain", "enjoyment", "activity")
PEG_QUESTIONS = {  # shown through _()
    "pain": N_("What number best describes your pain on average in the past week?"),
    "enjoyment": N_("How much has pain interfered with your enjoyment of life in the past week?"),
    "activity": N_("How much has pain interfered with your general activity in the past week?"),
}

FADING = "fading"
LITTLE_CHANGE = "little_change"

# Shown through _() (the note is made in the patient's language when the trend is worked out).
FADING_NEXT = N_(
    "That is common as the treated nerves slowly recover, and RFA can often be repeated. You may "
    "want to book a clinic visit to talk about whether repeating it is right for you."
)
FADING_NOTE = N_(
    "Your last two check-ins are close to how your pain was before the RFA, so the relief seems "
    "to be fading."
)
LITTLE_CHANGE_NOTE = N_(
    "Your last two check-ins are close to how your pain was before the RFA. Your care team "
    "would like to know; you may want to book a clinic visit to talk it through."
)


@dataclass(frozen=True)
class Peg:
    """The three PEG items, each 0 to 10."""

    pain: int
    enjoyment: int
    activity: int

    @property
    def score(self) -> float:
        """The mean of the three items, to one decimal (halves rounded up)."""
        return _one_decimal((self.pain + self.enjoyment + self.activity) / 3)


@dataclass(frozen=True)
class OutcomeCheckIn:
    """The pre-RFA baseline (week 0) or a check-in `week` weeks after the RFA."""

    procedure_id: int
    week: int
    at: datetime  # aware UTC
    zone: str
    pain: int
    peg: Peg | None = None
    note: str = ""
    id: int | None = None

    @property
    def is_baseline(self) -> bool:
        return self.week == BASELINE_WEEK

    @property
    def local_at(self) -> datetime:
        return self.at.astimezone(ZoneInfo(self.zone))


@dataclass(frozen=True)
class DueCheckIn:
    """One check-in of the schedule: `week` after the RFA, due at `due`, open from `opens` until
    `closes`."""

    week: int
    due: datetime
    opens: datetime
    closes: datetime

    def state(self, now: datetime, recorded: bool) -> str:
        if recorded:
            return "done"
        if now < self.opens:
            return "upcoming"
        if now < self.closes:
            return "open"
        return "missed"


@dataclass
class OutcomeInputError(ValueError):
    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


def checkin_schedule(
    rfa_at: datetime, zone: str, outcome_weeks: Sequence[int]
) -> tuple[DueCheckIn, ...]:
    """The check-ins after an RFA at `rfa_at` (aware) in `zone`, soonest first."""
    tz = ZoneInfo(zone)
    rfa_day: date = rfa_at.astimezone(tz).date()
    weeks = sorted({w for w in outcome_weeks if w > 0})
    dues = [
        datetime.combine(rfa_day + timedelta(weeks=w), CHECKIN_TIME, tzinfo=tz).astimezone(UTC)
        for w in weeks
    ]
    schedule = []
    for index, (week, due) in enumerate(zip(weeks, dues, strict=True)):
        closes = dues[index + 1] - EARLY if index + 1 < len(dues) else due + LAST_WINDOW
        schedule.append(DueCheckIn(week, due, due - EARLY, closes))
    return tuple(schedule)


def open_checkin(
    schedule: Sequence[DueCheckIn], recorded_weeks: Iterable[int], now: datetime
) -> DueCheckIn | None:
    """The check-in that can be recorded at `now` and is not yet, if any."""
    done = set(recorded_weeks)
    return next((c for c in schedule if c.state(now, c.week in done) == "open"), None)


def next_checkin(schedule: Sequence[DueCheckIn], now: datetime) -> DueCheckIn | None:
    """The next check-in that is not open yet."""
    return next((c for c in schedule if now < c.opens), None)


# --- checking input -----------------------------------------------------------------------------


def validate_checkin(
    raw: Mapping[str, Any],
    *,
    procedure_id: int,
    rfa_at: datetime,
    week: int,
    now: datetime,
    zone: str,
    schedule: Sequence[DueCheckIn] = (),
) -> OutcomeCheckIn:
    """Check a baseline (week 0) or check-in, or raise `OutcomeInputError`.

    `raw` keys: pain (0-10), peg (a mapping with pain, enjoyment and activity, or None), at
    (default `now`), note. The baseline must be dated no later than the RFA; a check-in must be
    a week of `schedule`, recorded while it is open.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(zone, errors)
    pain = _checked_score(raw.get("pain"), "pain", errors)
    peg = _checked_peg(raw.get("peg"), errors)
    at = _checked_instant(raw.get("at"), "at", now, zone, errors) or now
    note = _checked_text(raw.get("note"), "note", N_("The note"), NOTE_MAX_CHARS, errors)
    if week == BASELINE_WEEK:
        if "at" not in errors and at > rfa_at:
            errors["at"] = _(
                "The score before the RFA must be dated before it. Choose a time before the RFA."
            )
    else:
        due = next((c for c in schedule if c.week == week), None)
        if due is None:
            errors["week"] = _("There is no check-in {weeks} weeks after this RFA.").format(
                weeks=week
            )
        elif now < due.opens:
            errors["week"] = _("The {weeks}-week check-in opens on {day}.").format(
                weeks=week, day=calendar_date(local_date(due.opens, zone), local_date(now, zone))
            )
        elif now >= due.closes:
            errors["week"] = _("The {weeks}-week check-in has closed.").format(weeks=week)
    if errors:
        raise OutcomeInputError(errors)
    return OutcomeCheckIn(
        procedure_id=procedure_id,
        week=week,
        at=at.astimezone(UTC),
        zone=zone,
        pain=pain,
        peg=peg,
        note=note,
    )


def _checked_peg(value: Any, errors: dict[str, str]) -> Peg | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors["peg"] = _("Answer all three PEG questions with a number from 0 to 10.")
        return None
    given = [value.get(item) for item in PEG_ITEMS]
    if all(v is None or v == "" for v in given):
        return None
    items = [
        _checked_score(v, f"peg.{item}", errors) for item, v in zip(PEG_ITEMS, given, strict=True)
    ]
    if any(key.startswith("peg.") for key in errors):
        for item in PEG_ITEMS:
            key = f"peg.{item}"
            if key in errors:
                errors[key] = _("Answer each PEG question with a whole number from 0 to 10.")
        return None
    return Peg(*items)


# --- what changed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A score against the baseline. `points` > 0 means better (less pain)."""

    baseline: float
    value: float
    points: float
    percent: float | None  # of the baseline; None when the baseline is 0
    meaningful: bool  # at least 2 points or 30%, either way

    @property
    def direction(self) -> str:
        if self.points > 0:
            return "better"
        if self.points < 0:
            return "worse"
        return "same"

    @property
    def words(self) -> str:
        """ "3 points better (43%)", "1 point worse (13%)", "no change"."""
        if self.points == 0:
            return _("no change")
        amount = abs(self.points)
        shown = f"{amount:g}" if amount != int(amount) else f"{int(amount)}"
        count = 1 if amount == 1 else 2  # "1.5 points": plural, as for 2
        if self.percent is None:
            words = (
                ngettext("{points} point better", "{points} points better", count)
                if self.points > 0
                else ngettext("{points} point worse", "{points} points worse", count)
            )
            return words.format(points=shown)
        words = (
            ngettext(
                "{points} point better ({percent}%)", "{points} points better ({percent}%)", count
            )
            if self.points > 0
            else ngettext(
                "{points} point worse ({percent}%)", "{points} points worse ({percent}%)", count
            )
        )
        return words.format(points=shown, percent=_whole(abs(self.percent)))


def change(baseline: int | float, value: int | float) -> Change:
    points = (
        _one_decimal(baseline - value)
        if isinstance(baseline, float) or isinstance(value, float)
        else baseline - value
    )
    percent = None if baseline == 0 else (baseline - value) / baseline * 100
    meaningful = abs(points) >= MEANINGFUL_POINTS - 1e-9 or (
        percent is not None and abs(percent) >= MEANINGFUL_PERCENT - 1e-9
    )
    return Change(baseline, value, points, percent, meaningful)


def near_baseline(baseline: float, value: float) -> bool:
    """At most max(1 point, 20% of the baseline) better than the baseline, or worse."""
    return baseline - value <= max(NEAR_POINTS, baseline * NEAR_PERCENT / 100) + 1e-9


@dataclass(frozen=True)
class OutcomePoint:
    checkin: OutcomeCheckIn
    pain: Change | None  # None without a baseline
    peg: Change | None  # None without a PEG at the baseline and here


@dataclass(frozen=True)
class OutcomeTrend:
    baseline: OutcomeCheckIn | None
    points: tuple[OutcomePoint, ...]  # the check-ins after the RFA, by week
    note_kind: str | None  # fading | little_change | None
    note: str

    @property
    def latest(self) -> OutcomePoint | None:
        return self.points[-1] if self.points else None


def outcome_trend(checkins: Iterable[OutcomeCheckIn]) -> OutcomeTrend:
    """The check-ins against the pre-RFA baseline, and a gentle note when relief seems to fade."""
    ordered = sorted(checkins, key=lambda c: c.week)
    baseline = next((c for c in ordered if c.is_baseline), None)
    later = [c for c in ordered if not c.is_baseline]
    points = []
    for checkin in later:
        pain = change(baseline.pain, checkin.pain) if baseline else None
        peg = (
            change(baseline.peg.score, checkin.peg.score)
            if baseline and baseline.peg and checkin.peg
            else None
        )
        points.append(OutcomePoint(checkin, pain, peg))
    kind, note = None, ""
    if baseline is not None and len(later) >= 2:
        kind, note = _note(baseline, later, points)
    return OutcomeTrend(baseline, tuple(points), kind, note)


def _note(
    baseline: OutcomeCheckIn, later: Sequence[OutcomeCheckIn], points: Sequence[OutcomePoint]
) -> tuple[str | None, str]:
    """The rules of the module docstring, in their order."""
    if all(near_baseline(baseline.pain, c.pain) for c in later[-2:]):
        earlier = [
            p for p in points[:-2] if p.pain is not None and p.pain.points > 0 and p.pain.meaningful
        ]
        return (
            (FADING, _(FADING_NOTE) + " " + _(FADING_NEXT))
            if earlier
            else (LITTLE_CHANGE, _(LITTLE_CHANGE_NOTE))
        )
    latest, before = later[-1], later[:-1]
    if baseline.pain > 0:

        def relief(checkin: OutcomeCheckIn) -> float:
            return (baseline.pain - checkin.pain) / baseline.pain * 100

        best = max(before, key=lambda c: (relief(c), -c.week))
        if (
            relief(latest) < HALF_RELIEF_PERCENT - 1e-9
            and relief(best) >= HALF_RELIEF_PERCENT - 1e-9
        ):
            return FADING, (
                _(
                    "At your {best_week}-week check-in your pain was {percent}% better than "
                    "before the RFA; at your {latest_week}-week check-in it was {latest}. So the "
                    "relief seems to be fading."
                ).format(
                    best_week=best.week,
                    percent=_whole(relief(best)),
                    latest_week=latest.week,
                    latest=_relief_words(relief(latest)),
                )
                + " "
                + _(FADING_NEXT)
            )
    lowest = min(before, key=lambda c: (c.pain, c.week))
    rise = latest.pain - lowest.pain
    if lowest.pain < baseline.pain and rise >= RISE_POINTS:
        return FADING, (
            _(
                "At your {latest_week}-week check-in your pain was {pain} out of 10, {rise} points "
                "higher than at its best after the RFA ({lowest} at your {lowest_week}-week "
                "check-in). So the relief seems to be fading."
            ).format(
                latest_week=latest.week,
                pain=latest.pain,
                rise=rise,
                lowest=lowest.pain,
                lowest_week=lowest.week,
            )
            + " "
            + _(FADING_NEXT)
        )
    return None, ""


def _relief_words(percent: float) -> str:
    """ "14% better", "about the same as before", "14% worse"."""
    whole = _whole(percent)
    if whole == 0:
        return _("about the same as before")
    return (_("{percent}% better") if whole > 0 else _("{percent}% worse")).format(
        percent=abs(whole)
    )


def _one_decimal(value: float) -> float:
    """Halves rounded up, so 6.05 -> 6.1 and 4.65 -> 4.7 regardless of binary fractions."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _whole(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
