"""The patient's plan: their procedures, the people who help, and the dated timeline built from a
pathway.

A procedure is stored as a UTC instant plus the IANA zone the patient gave it in. Each pathway step
is dated from it with `Offset.due`: "7 days before, 09:00" is 09:00 local on that day whatever the
clocks did in between; "2 hours after" is two real hours. Rescheduling a procedure therefore moves
every step, and a cancelled procedure has none. Nothing here reads the clock: `now` is a parameter.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.clinic import checked_phone
from app.domain.dates import calendar_date
from app.domain.diary import LocalTimes, checked_zone
from app.domain.diary import _checked_text as checked_text
from app.domain.pathway import (
    ANAESTHETICS,
    BLOCK_KINDS,
    PROCEDURE_KINDS,
    PROCEDURE_LABELS,
    REGION_LABELS,
    REGIONS,
    SIDES,
    ChecklistItem,
    Pathway,
    ReminderRule,
    Step,
)
from app.domain.saved import Saved
from app.domain.typed import LocalTimeError, local_instant, shown
from app.i18n import N_, _

LABEL_BY_SIDE = {
    "left": N_("{procedure}, {region}, left side"),
    "right": N_("{procedure}, {region}, right side"),
    "both": N_("{procedure}, {region}, both sides"),
}
MAX_CYCLE = 1000  # rounds of treatment: far more than a lifetime of RFAs
FARTHEST = timedelta(days=731)  # a procedure date at most about two years from now, either way
CONTACT_ROLES = ("driver", "caregiver")
CONTACT_NAME_MAX_CHARS = 100
MARK_VALUE_MAX_CHARS = 200
MEDICINE_NAME_MAX_CHARS = 120
LEVELS_MAX_CHARS = 60


@dataclass(frozen=True)
class Procedure(LocalTimes, Saved):
    """One block or RFA. `at` is aware UTC; `zone` is the IANA zone it was booked in."""

    kind: str
    region: str
    side: str
    at: datetime
    zone: str
    anaesthetic: str | None = None
    cycle: int = 1
    cancelled: bool = False
    id: int | None = None
    levels: str = ""  # the spinal levels, as the clinic writes them: "L4-L5, L5-S1"

    @property
    def is_block(self) -> bool:
        return self.kind in BLOCK_KINDS

    @property
    def label(self) -> str:
        """ "Test block, lower back, right side"."""
        return _(LABEL_BY_SIDE[self.side]).format(
            procedure=_(PROCEDURE_LABELS[self.kind]), region=_(REGION_LABELS[self.region]).lower()
        )


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    relation: str = ""


@dataclass(frozen=True)
class ChecklistMark:
    """A checklist item's saved state for one procedure."""

    checked: bool
    value: str
    marked_at: datetime


@dataclass(frozen=True)
class PatientMedicine:
    """One line of the patient's medicines list, for the medication review."""

    name: str
    added_at: datetime


@dataclass(frozen=True)
class DatedStep:
    step: Step
    procedure: Procedure
    due: datetime  # aware UTC
    zone: str

    @property
    def local_due(self) -> datetime:
        return self.due.astimezone(ZoneInfo(self.zone))


@dataclass
class PlanInputError(ValueError):
    """Every problem found in one submission, keyed by field name."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


# --- the timeline ----------------------------------------------------------------------------


def build_timeline(
    procedures: Iterable[Procedure],
    pathway: Pathway,
    *,
    cycle: int | None = None,
    sedation: bool | None = None,
) -> list[DatedStep]:
    """Every step of `pathway` dated for each live procedure in its region, soonest first.

    Steps match procedures by kind. Cancelled procedures, and those of another region or (when
    `cycle` is given) another cycle, have no steps; an appointment entered twice has them once.
    `sedation=False` drops the steps shown only when the clinic sedates (fasting); None keeps
    them.
    """
    order = {step.id: index for index, step in enumerate(pathway.steps)}
    dated: list[DatedStep] = []
    for procedure in one_per_appointment(procedures):
        if procedure.region != pathway.region:
            continue
        if cycle is not None and procedure.cycle != cycle:
            continue
        for step in pathway.steps_for(procedure.kind):
            if sedation is False and step.only_if == "sedation":
                continue
            due = step.offset.due(procedure.at, procedure.zone)
            dated.append(DatedStep(step, procedure, due, procedure.zone))
    dated.sort(key=lambda d: (d.due, d.procedure.at, d.procedure.id or 0, order[d.step.id]))
    return dated


def same_appointment(first: Procedure, second: Procedure) -> bool:
    """The same booking: kind, region, side and instant, both live. Such a pair is one
    procedure entered twice, never two."""
    return (
        not first.cancelled
        and not second.cancelled
        and (first.kind, first.region, first.side, first.at)
        == (second.kind, second.region, second.side, second.at)
    )


def already_planned(procedure: Procedure, procedures: Iterable[Procedure]) -> Procedure | None:
    """The procedure in `procedures` (other than itself) that is the same appointment, if any."""
    return next(
        (
            p
            for p in procedures
            if same_appointment(p, procedure) and (p.id is None or p.id != procedure.id)
        ),
        None,
    )


def one_per_appointment(procedures: Iterable[Procedure]) -> list[Procedure]:
    """Live procedures with each appointment once (the first saved), so nothing built from
    them (a step, a reminder, a block prompt) comes twice."""
    kept: list[Procedure] = []
    ordered = sorted(procedures, key=lambda p: (p.id is None, p.id or 0))
    for procedure in ordered:
        if not procedure.cancelled and already_planned(procedure, kept) is None:
            kept.append(procedure)
    return kept


def already_planned_error(existing: Procedure) -> PlanInputError:
    """The friendly refusal of a procedure that is already in the plan."""
    when = existing.local_at
    return PlanInputError(
        {
            "at": _(
                "Your {procedure} on {date} at {time} is already in your plan, "
                "so it was not added again."
            ).format(
                procedure=existing.label.lower(),
                date=calendar_date(when.date(), date.min),
                time=f"{when:%H:%M}",
            )
        }
    )


def new_round_ready(round_procedures: Iterable[Procedure], now: datetime) -> bool:
    """A new round is offered only once the current round's last live procedure has happened:
    before that, a new round would hide an appointment still to come."""
    live = [p for p in round_procedures if not p.cancelled]
    return bool(live) and max(p.at for p in live) <= now


def next_procedure(procedures: Iterable[Procedure], now: datetime) -> Procedure | None:
    """The soonest live procedure that has not started by `now`."""
    upcoming = [p for p in procedures if not p.cancelled and p.at >= now]
    return min(upcoming, key=lambda p: p.at, default=None)


def reminder_times(
    rule: ReminderRule, procedure: Procedure, zone: str | None = None
) -> list[datetime]:
    """The UTC instants of one reminder rule for one procedure, monthly repeats included.

    A monthly repeat falls on the same day of the month as the first reminder (the last day of a
    shorter month), at the same local time, up to `repeat_monthly_until_days` after the
    procedure's local date.

    `zone` is where the patient is now (default: the procedure's zone). A rule with a time of day
    keeps its day, counted from the procedure's own local date, and takes that time of day in
    `zone`: "day 3, 10:00" is 10:00 wherever the patient is on day 3. Spans in hours do not
    depend on the zone.
    """
    if rule.offset.at is None:
        return [rule.offset.due(procedure.at, procedure.zone)]
    tz = ZoneInfo(zone or procedure.zone)
    start = procedure.local_date + timedelta(days=rule.offset.days)
    times = [datetime.combine(start, rule.offset.at, tzinfo=tz).astimezone(UTC)]
    if rule.repeat_monthly_until_days is None:
        return times
    last = procedure.local_date + timedelta(days=rule.repeat_monthly_until_days)
    months = 1
    while (day := add_months(start, months)) <= last:
        times.append(datetime.combine(day, rule.offset.at, tzinfo=tz).astimezone(UTC))
        months += 1
    return times


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- checking input --------------------------------------------------------------------------


def validate_procedure(raw: Mapping[str, Any], *, now: datetime, zone: str) -> Procedure:
    """Check raw form or command-line values and build a `Procedure`, or raise `PlanInputError`.

    `raw` keys: kind, region, side, at (ISO-8601 text or a datetime; without a zone it is local
    time in `zone`, or in raw["zone"] when given), anaesthetic, levels (free text such as
    "L4-L5, L5-S1"), cycle, cancelled, id. `now` is
    aware; the date may be up to about two years before or after it.
    """
    errors: dict[str, str] = {}
    zone = checked_zone(raw.get("zone") or zone, errors)
    kind = _checked_choice(
        raw.get("kind"),
        "kind",
        PROCEDURE_KINDS,
        errors,
        "Choose a test block, a confirming block or an RFA",
    )
    region = _checked_choice(
        raw.get("region"),
        "region",
        REGIONS,
        errors,
        "Choose the lower back (lumbar) or the neck (cervical)",
    )
    side = _checked_choice(
        raw.get("side"), "side", SIDES, errors, "Choose the left side, the right side or both sides"
    )
    at = _checked_when(raw.get("at"), now, zone, errors)
    anaesthetic = raw.get("anaesthetic") or None
    if anaesthetic is not None:
        if kind == "rfa":
            errors["anaesthetic"] = (
                "The numbing medicine is only recorded for a test or confirming block."
            )
        else:
            anaesthetic = _checked_choice(
                anaesthetic,
                "anaesthetic",
                ANAESTHETICS,
                errors,
                "Choose lidocaine or bupivacaine, or leave it empty",
            )
    levels = checked_text(raw.get("levels"), "levels", "The levels", LEVELS_MAX_CHARS, errors)
    cycle = raw.get("cycle", 1)
    if isinstance(cycle, bool) or not isinstance(cycle, int) or not 1 <= cycle <= MAX_CYCLE:
        errors["cycle"] = "The cycle must be a whole number from 1."
    if errors:
        raise PlanInputError(errors)
    return Procedure(
        id=raw.get("id"),
        kind=kind,
        region=region,
        side=side,
        at=at.astimezone(UTC),
        zone=zone,
        anaesthetic=anaesthetic,
        cycle=cycle,
        cancelled=bool(raw.get("cancelled", False)),
        levels=levels,
    )


def validate_contact(raw: Mapping[str, Any]) -> Contact:
    """A driver or helper: a name and a phone number are needed."""
    errors: dict[str, str] = {}
    name = checked_text(raw.get("name"), "name", _("The name"), CONTACT_NAME_MAX_CHARS, errors)
    if not name and "name" not in errors:
        errors["name"] = _("Please write their name.")
    phone = checked_phone(raw.get("phone"), "phone", _("Their phone number"), errors, required=True)
    relation = checked_text(
        raw.get("relation"), "relation", _("Who they are to you"), CONTACT_NAME_MAX_CHARS, errors
    )
    if errors:
        raise PlanInputError(errors)
    return Contact(name=name, phone=phone, relation=relation)


def validate_mark_value(item: ChecklistItem, value: Any) -> str:
    """The text saved with a checklist item: a phone number, a time (HH:MM) or short text."""
    errors: dict[str, str] = {}
    if item.kind == "phone":
        text = checked_phone(value, "value", _("The phone number"), errors)
    else:
        text = checked_text(value, "value", _("This answer"), MARK_VALUE_MAX_CHARS, errors)
        if item.kind == "time" and text and "value" not in errors and not _is_hhmm(text):
            errors["value"] = _("“{typed}” is not a time; write it like 14:30.").format(
                typed=shown(text)
            )
        if item.kind == "tick":
            text = ""
    if errors:
        raise PlanInputError(errors)
    return text


def parse_typed_time(value: Any) -> time:
    """A time of day typed by the patient: "09:30", "9:30", "9.30", "2:15 pm". Raises
    `PlanInputError` (key "time") naming what is wrong, always with an example."""
    text = value.strip().lower() if isinstance(value, str) else ""
    half = None
    for suffix, name in ((("am", "a.m.", "a.m"), "am"), (("pm", "p.m.", "p.m"), "pm")):
        for ending in suffix:
            if text.endswith(ending):
                text, half = text[: -len(ending)].strip(), name
                break
    hours, separator, minutes = text.replace(".", ":").partition(":")
    if not (
        separator
        and hours.isdigit()
        and minutes.isdigit()
        and hours.isascii()
        and minutes.isascii()
        and len(hours) <= 2
        and len(minutes) == 2
    ):
        echoed = shown(value) if isinstance(value, str) and value.strip() else ""
        how = _("Type the time as 09:30: hours, a colon, then minutes.")
        raise PlanInputError(
            {
                "time": _("“{typed}” is not a time we can read. {how}").format(
                    typed=echoed, how=how
                )
                if echoed
                else how
            }
        )
    hour, minute = int(hours), int(minutes)
    if half is not None:
        if not 1 <= hour <= 12:
            raise PlanInputError(
                {"time": _("With am or pm the hour is 1 to 12. Type the time as 09:30 or 9:30 am.")}
            )
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23:
        raise PlanInputError(
            {
                "time": _("The hour goes up to 23, not {hour}. Type the time as 09:30.").format(
                    hour=hour
                )
            }
        )
    if minute > 59:
        raise PlanInputError(
            {
                "time": _("The minutes go up to 59, not {minute}. Type the time as 09:30.").format(
                    minute=minute
                )
            }
        )
    return time(hour, minute)


def validate_medicine_name(value: Any) -> str:
    errors: dict[str, str] = {}
    name = checked_text(
        value, "medicine", _("The medicine's name"), MEDICINE_NAME_MAX_CHARS, errors
    )
    if not name and not errors:
        errors["medicine"] = _("Please write the medicine's name.")
    if errors:
        raise PlanInputError(errors)
    return name


def _is_hhmm(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return (
        len(hours) in (1, 2)
        and len(minutes) == 2
        and hours.isdigit()
        and minutes.isdigit()
        and hours.isascii()
        and minutes.isascii()
        and int(hours) < 24
        and int(minutes) < 60
    )


def _checked_choice(
    value: Any, key: str, choices: tuple[str, ...], errors: dict[str, str], hint: str
) -> str:
    if not isinstance(value, str) or value not in choices:
        given = "" if value in (None, "") else f", not “{shown(value)}”"
        errors[key] = f"{hint}{given}."
        return choices[0]
    return value


def _checked_when(value: Any, now: datetime, zone: str, errors: dict[str, str]) -> datetime:
    if value is None or value == "":
        errors["at"] = _("Choose the date and time of the procedure.")
        return now
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            errors["at"] = (
                f"“{shown(value)}” is not a date and time; use a form like 2026-11-28 09:30."
            )
            return now
    if not isinstance(value, datetime):
        errors["at"] = "That is not a date and time."
        return now
    try:
        value = local_instant(value, zone)
        distance = value - now
    except LocalTimeError as error:
        errors["at"] = str(error)
        return now
    except OverflowError:  # a year near 1 or 9999 with a zone offset
        distance = FARTHEST * (1 if value.year > now.year else -1) * 2
    if distance > FARTHEST:
        errors["at"] = _("That is more than two years ahead. Check the year.")
    elif distance < -FARTHEST:
        errors["at"] = _("That is more than two years ago. Check the year.")
    return value
