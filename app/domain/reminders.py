"""The reminder schedule: what is due when, for whom, and what quiet hours and snoozing do to it.

Pure Python: nothing here reads the clock or the database; `now` and the patient's zone are
parameters.

Where the reminders come from
- the pathway's rules for each live procedure (`ReminderRule`: "the day before, 18:00", "2 hours
  before"; check-ins after an RFA, with monthly repeats to a year);
- the timed prompts after a block (`BlockDiarySchedule.prompt_minutes`: real minutes after the
  block) and a daily diary prompt for `daily_days` days (at `ReminderSettings.diary_at`);
- the user's own reminders (`OwnReminder`: a local time on one date, or every day).

Time rules
- A reminder with a time of day keeps its day (counted from the procedure's own local date) and
  takes that time of day where the patient is now (`zone`): "day 3, 10:00" is 10:00 on both sides
  of a daylight-saving change and after a flight. A local time that does not exist (clocks going
  forward) comes out shifted forward by the gap; one that happens twice is the first.
- Spans ("2 hours before", "15 minutes after the block") are real elapsed time.
- Quiet hours (default 21:00 to 08:00, local) hold back everything except the timed block prompts:
  a held reminder is delivered when quiet hours end, in local time. The patient can silence the
  block prompts that fall in quiet hours too; those are skipped, not held, because a rating for
  02:15 means nothing at 08:00.

Identity
- `Occurrence.key` names the reminder whatever happens to the dates (rule + procedure + index, a
  prompt's minute, a diary day, an own reminder's id). Calendar exports use it as the event UID,
  so exporting again after a change updates the same events.
- `Occurrence.id` is what is delivered once: the key plus the local date it is for (reminders with
  a time of day) or its UTC minute (spans). Moving to another zone keeps the id, so a reminder is
  never delivered twice; rescheduling a procedure gives spans a new id, so they come again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.dates import calendar_date
from app.domain.diary import _checked_text as checked_text
from app.domain.pathway import AUDIENCES, Pathway, ReminderRule
from app.domain.plan import (
    FARTHEST,
    PlanInputError,
    Procedure,
    _checked_choice,
    _is_hhmm,
    one_per_appointment,
    reminder_times,
    validate_contact,
)
from app.domain.typed import shown
from app.i18n import N_, _, ngettext

__all__ = [
    "KINDS",
    "AUDIENCES",
    "STATES",
    "SNOOZE_CHOICES",
    "SNOOZE_LABELS",
    "Occurrence",
    "ReminderRecord",
    "Delivery",
    "CalendarEventState",
    "OwnReminder",
    "Caregiver",
    "ReminderSettings",
    "ReminderInputError",
    "schedule",
    "hold",
    "in_quiet_hours",
    "snooze_until",
    "validate_reminder_settings",
    "reminder_settings_to_dict",
    "reminder_settings_from_dict",
    "validate_own_reminder",
    "validate_caregiver",
    "block_prompt_text",
    "daily_diary_text",
    "own_reminder_when",
]

UTC = UTC
KINDS = ("pathway", "block-prompt", "daily-diary", "checkin", "own")
SNOOZE_CHOICES = ("10min", "1h", "tomorrow")
SNOOZE_LABELS = {
    "10min": N_("In 10 minutes"),
    "1h": N_("In 1 hour"),
    "tomorrow": N_("Tomorrow morning"),
}
SNOOZE_SPANS = {"10min": timedelta(minutes=10), "1h": timedelta(hours=1)}
TOMORROW_AT = time(9, 0)
OWN_TEXT_MAX_CHARS = 200
TITLES = {
    "pathway": N_("Reminder"),
    "block-prompt": N_("Block diary"),
    "daily-diary": N_("Block diary"),
    "checkin": N_("Check-in"),
    "own": N_("Your reminder"),
}
CAREGIVER_TITLE = N_("For your helper")


class ReminderInputError(PlanInputError):
    """Every problem found in reminder settings or an own reminder, keyed by field name."""


# --- values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One reminder at one time. Instants are aware UTC; `zone` is the IANA zone it was worked
    out in."""

    id: str  # delivered once: key + "/" + the local date (times of day) or UTC minute (spans)
    key: str  # stable across reschedules: the calendar UID
    due: datetime  # when it was planned for
    deliver_at: datetime  # `due`, or the end of quiet hours when held back
    zone: str
    audience: str  # patient | caregiver
    kind: str  # pathway | block-prompt | daily-diary | checkin | own
    text: str
    procedure_id: int | None = None
    quiet_hours_apply: bool = True

    @property
    def title(self) -> str:
        """A short heading for the notification and the banner, in the language of the moment
        it is shown."""
        if self.audience == "caregiver":
            return _(CAREGIVER_TITLE)
        return _(TITLES.get(self.kind, TITLES["pathway"]))

    @property
    def held(self) -> bool:
        """True when quiet hours moved it later."""
        return self.deliver_at != self.due

    @property
    def local_due(self) -> datetime:
        return self.due.astimezone(ZoneInfo(self.zone))

    @property
    def local_deliver_at(self) -> datetime:
        return self.deliver_at.astimezone(ZoneInfo(self.zone))


STATES = ("claimed", "delivered", "snoozed", "done", "dismissed", "missed")
INBOX_STATES = ("claimed", "delivered", "snoozed", "missed")


@dataclass(frozen=True)
class ReminderRecord:
    """What has happened to one occurrence. `claimed`: a process took it and is delivering it
    (it is in the inbox already); `delivered`: the notifier has answered; `snoozed` until
    `snoozed_until`; `done`; `dismissed`; `missed`: it fell due while nothing ran (shown once in
    the "while you were away" list, `away_shown_at` says when)."""

    occurrence: Occurrence
    state: str
    round: int = 0  # deliveries so far: 2 after one snooze came back
    claimed_by: str | None = None
    delivered_at: datetime | None = None
    system_notified: bool | None = None  # None: not delivered, or the notifier never answered
    snoozed_until: datetime | None = None
    done_at: datetime | None = None
    dismissed_at: datetime | None = None
    missed_at: datetime | None = None
    away_shown_at: datetime | None = None

    @property
    def id(self) -> str:
        return self.occurrence.id

    @property
    def in_inbox(self) -> bool:
        return self.state in INBOX_STATES


@dataclass(frozen=True)
class Delivery:
    """One line of the delivery log: which process delivered which occurrence, when."""

    id: int
    occurrence_id: str
    round: int
    runner: str
    pid: int
    delivered_at: datetime
    system_notified: bool | None


@dataclass(frozen=True)
class CalendarEventState:
    """What the last calendar export said about one event, so the next one can tell a calendar
    what changed: the same UID with a higher SEQUENCE, or STATUS:CANCELLED when it is gone."""

    uid: str
    fingerprint: str
    sequence: int
    modified: datetime
    event: str  # the VEVENT as exported, to cancel it later
    cancelled: bool = False


@dataclass(frozen=True)
class OwnReminder:
    """A reminder the user wrote: at a local time on one date, or every day (`on` None) from
    `starts_on`."""

    text: str
    at: time
    on: date | None = None
    audience: str = "patient"
    starts_on: date | None = None
    id: int | None = None

    @property
    def daily(self) -> bool:
        return self.on is None


def own_reminder_when(reminder: OwnReminder, today: date) -> str:
    """ "Every day at 09:00" or "Tuesday 10 March at 09:00" (with the year when not this year)."""
    at = f"{reminder.at:%H:%M}"
    if reminder.on is None:
        return _("Every day at {time}").format(time=at)
    words = _("{day} at {time}").format(day=calendar_date(reminder.on, today), time=at)
    return words[:1].upper() + words[1:]  # it starts a line ("miércoles" in Spanish)


@dataclass(frozen=True)
class Caregiver:
    """Someone who helps: several can be saved. Their reminders go to them through a calendar
    file (and, when `ReminderSettings.caregiver_here`, on this device too)."""

    name: str
    phone: str
    relation: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ReminderSettings:
    quiet_hours: bool = True
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    block_prompts_silenced: bool = False  # skip the timed block prompts that fall in quiet hours
    read_aloud: bool = False  # also speak each reminder (plyer text-to-speech)
    diary_at: time = time(19, 0)  # the daily block diary prompt's local time
    caregiver_here: bool = True  # helpers' reminders also come on this device


# --- quiet hours and snoozing ----------------------------------------------------------------


def in_quiet_hours(instant: datetime, zone: str, settings: ReminderSettings) -> bool:
    """Whether `instant` falls in quiet hours, read on the local clock in `zone`."""
    if not settings.quiet_hours or settings.quiet_start == settings.quiet_end:
        return False
    clock = instant.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None)
    start, end = settings.quiet_start, settings.quiet_end
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def hold(instant: datetime, zone: str, settings: ReminderSettings) -> datetime:
    """`instant`, or when it falls in quiet hours, the local end of those quiet hours (UTC)."""
    if not in_quiet_hours(instant, zone, settings):
        return instant
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz)
    day = local.date()
    if settings.quiet_start > settings.quiet_end and local.time() >= settings.quiet_start:
        day += timedelta(days=1)  # quiet hours that run past midnight end tomorrow
    end = _local_instant(day, settings.quiet_end, tz)
    return end if end > instant else instant


def snooze_until(
    choice: str,
    now: datetime,
    zone: str,
    settings: ReminderSettings,
    *,
    quiet_hours_apply: bool = True,
) -> datetime:
    """When a snoozed reminder comes back: in 10 minutes, in an hour, or tomorrow at 09:00 local
    (later when quiet hours end later). Quiet hours hold a snoozed reminder as they hold any
    other, unless they do not apply to it (the timed block prompts)."""
    if choice in SNOOZE_SPANS:
        until = now.astimezone(UTC) + SNOOZE_SPANS[choice]
    elif choice == "tomorrow":
        tz = ZoneInfo(zone)
        until = _local_instant(now.astimezone(tz).date() + timedelta(days=1), TOMORROW_AT, tz)
    else:
        raise ReminderInputError({"snooze": _("Choose 10 minutes, 1 hour or tomorrow.")})
    return hold(until, zone, settings) if quiet_hours_apply else until


def _local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A local date and time of day as UTC; a time skipped by the clocks moves forward by the
    gap, a time that happens twice is the first."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


# --- the schedule ----------------------------------------------------------------------------


def schedule(
    procedures: Iterable[Procedure],
    pathways: Mapping[str, Pathway],
    *,
    own: Iterable[OwnReminder] = (),
    settings: ReminderSettings,
    zone: str,
    start: datetime,
    end: datetime,
    audiences: Collection[str] = AUDIENCES,
) -> list[Occurrence]:
    """Every reminder delivered in [start, end), soonest first.

    `pathways` maps a region to its pathway; procedures of a region without one, and cancelled
    procedures, have no reminders. An appointment entered twice (same kind, region, side and
    time) has its reminders and block prompts once, under the first one saved. `zone` is where
    the patient is now. The window is on `deliver_at`, so a reminder held by quiet hours falls in
    the window of its delivery.
    """
    planned = procedure_occurrences(
        procedures, pathways, settings=settings, zone=zone, audiences=audiences
    )
    return occurrences_between(
        planned, own=own, settings=settings, zone=zone, start=start, end=end, audiences=audiences
    )


def procedure_occurrences(
    procedures: Iterable[Procedure],
    pathways: Mapping[str, Pathway],
    *,
    settings: ReminderSettings,
    zone: str,
    audiences: Collection[str] = AUDIENCES,
) -> list[Occurrence]:
    """Every reminder of the procedures, whenever it falls: a few dozen for each procedure, the
    same until the plan, a pathway, the settings or the zone change (so they can be worked out
    once and kept). In no particular order."""
    found: list[Occurrence] = []
    for procedure in one_per_appointment(procedures):
        pathway = pathways.get(procedure.region)
        if pathway is None:
            continue
        found += _procedure_occurrences(procedure, pathway, settings, zone, audiences)
    return found


def occurrences_between(
    planned: Iterable[Occurrence],
    *,
    own: Iterable[OwnReminder] = (),
    settings: ReminderSettings,
    zone: str,
    start: datetime,
    end: datetime,
    audiences: Collection[str] = AUDIENCES,
) -> list[Occurrence]:
    """The procedures' reminders (`procedure_occurrences`, made with the same settings, zone and
    audiences) and the own reminders' delivered in [start, end), soonest first."""
    found = [o for o in planned if start <= o.deliver_at < end]
    found += [
        o
        for o in _own_occurrences(own, settings, zone, start, end, audiences)
        if start <= o.deliver_at < end
    ]
    found.sort(key=lambda o: (o.deliver_at, o.due, o.id))
    return found


def _procedure_occurrences(
    procedure: Procedure,
    pathway: Pathway,
    settings: ReminderSettings,
    zone: str,
    audiences: Collection[str],
) -> Iterator[Occurrence]:
    pid = procedure.id
    for rule in pathway.reminders_for(procedure.kind):
        if rule.audience not in audiences:
            continue
        kind = _rule_kind(rule)
        for index, due in enumerate(reminder_times(rule, procedure, zone)):
            key = f"rule:{rule.id}:p{pid}:{index}"
            timed = rule.offset.at is not None
            yield _occurrence(
                key, due, zone, rule.audience, kind, rule.text, pid, settings, by_date=timed
            )
    if not procedure.is_block or "patient" not in audiences:
        return
    diary = pathway.block_diary
    for minutes in diary.prompt_minutes:
        due = procedure.at.astimezone(UTC) + timedelta(minutes=minutes)
        if settings.block_prompts_silenced and in_quiet_hours(due, zone, settings):
            continue
        yield _occurrence(
            f"prompt:p{pid}:{minutes}m",
            due,
            zone,
            "patient",
            "block-prompt",
            block_prompt_text(minutes),
            pid,
            settings,
            by_date=False,
            quiet=False,
        )
    tz = ZoneInfo(zone)
    for day in range(1, diary.daily_days + 1):
        due = _local_instant(procedure.local_date + timedelta(days=day), settings.diary_at, tz)
        yield _occurrence(
            f"diary:p{pid}:d{day}",
            due,
            zone,
            "patient",
            "daily-diary",
            daily_diary_text(day, diary.daily_days),
            pid,
            settings,
            by_date=True,
        )


def _rule_kind(rule: ReminderRule) -> str:
    """A patient's reminder on or after the day after an RFA is a check-in."""
    if rule.audience == "patient" and rule.offset.days >= 1 and rule.procedures == ("rfa",):
        return "checkin"
    return "pathway"


def _own_occurrences(
    own: Iterable[OwnReminder],
    settings: ReminderSettings,
    zone: str,
    start: datetime,
    end: datetime,
    audiences: Collection[str],
) -> Iterator[Occurrence]:
    tz = ZoneInfo(zone)
    # Quiet hours move a reminder by less than a day and zone offsets are under a day, so the
    # local days from two before `start` to one after `end` hold every candidate.
    first_day = start.astimezone(tz).date() - timedelta(days=2)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    for reminder in own:
        if reminder.audience not in audiences or reminder.id is None:
            continue
        if reminder.on is not None:
            days: Iterable[date] = (reminder.on,)
        else:
            begin = max(first_day, reminder.starts_on or first_day)
            days = (begin + timedelta(days=n) for n in range((last_day - begin).days + 1))
        for day in days:
            due = _local_instant(day, reminder.at, tz)
            yield _occurrence(
                f"own:{reminder.id}",
                due,
                zone,
                reminder.audience,
                "own",
                reminder.text,
                None,
                settings,
                by_date=True,
                on_day=day,
            )


def _occurrence(
    key: str,
    due: datetime,
    zone: str,
    audience: str,
    kind: str,
    text: str,
    procedure_id: int | None,
    settings: ReminderSettings,
    *,
    by_date: bool,
    quiet: bool = True,
    on_day: date | None = None,
) -> Occurrence:
    if by_date:
        day = on_day or due.astimezone(ZoneInfo(zone)).date()
        occurrence_id = f"{key}/{day.isoformat()}"
    else:
        occurrence_id = f"{key}/{due.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
    deliver_at = hold(due, zone, settings) if quiet else due
    return Occurrence(
        id=occurrence_id,
        key=key,
        due=due,
        deliver_at=deliver_at,
        zone=zone,
        audience=audience,
        kind=kind,
        text=text,
        procedure_id=procedure_id,
        quiet_hours_apply=quiet,
    )


# --- the words of the block diary prompts ----------------------------------------------------


def block_prompt_text(minutes: int) -> str:
    """Short and calm; a question, never an instruction about treatment. Worked out when the
    reminder is delivered, so it is in the language of that moment."""
    if minutes < 60:
        return ngettext(
            "{minutes} minute since your block. Time to rate your usual pain. "
            "What are you doing right now?",
            "{minutes} minutes since your block. Time to rate your usual pain. "
            "What are you doing right now?",
            minutes,
        ).format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return ngettext(
            "{hours} hour since your block. Time to rate your usual pain. "
            "What are you doing right now?",
            "{hours} hours since your block. Time to rate your usual pain. "
            "What are you doing right now?",
            hours,
        ).format(hours=hours)
    return _(
        "{hours} h {minutes} min since your block. Time to rate your usual pain. "
        "What are you doing right now?"
    ).format(hours=hours, minutes=rest)


def daily_diary_text(day: int, days: int) -> str:
    if day == days:
        return _(
            "Day {day} after your block. How is your usual pain today? A quick score, "
            "please. The last day of your block diary."
        ).format(day=day)
    return _(
        "Day {day} after your block. How is your usual pain today? A quick score, please."
    ).format(day=day)


# --- checking input --------------------------------------------------------------------------

# Each setting's message whole, so a translation can word it as its language needs.
_FLAGS = {
    "quiet_hours": N_("Choose on or off for quiet hours."),
    "block_prompts_silenced": N_("Choose on or off for silencing the block prompts at night."),
    "read_aloud": N_("Choose on or off for reading reminders aloud."),
    "caregiver_here": N_("Choose on or off for helpers' reminders on this device."),
}
_TIMES = {
    "quiet_start": N_("When quiet hours start: “{value}” is not a time; write it like 21:00."),
    "quiet_end": N_("When quiet hours end: “{value}” is not a time; write it like 21:00."),
    "diary_at": N_(
        "The time of the daily diary prompt: “{value}” is not a time; write it like 21:00."
    ),
}


def validate_reminder_settings(
    raw: Mapping[str, Any], base: ReminderSettings | None = None
) -> ReminderSettings:
    """Check raw form values (missing keys keep `base`'s values) and build `ReminderSettings`,
    or raise `ReminderInputError` with one friendly message per field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, problem in _FLAGS.items():
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
                values[key] = bool(value)
            else:
                errors[key] = _(problem)
    for key, problem in _TIMES.items():
        if key in raw:
            parsed = parse_time_of_day(raw[key])
            if parsed is None:
                errors[key] = _(problem).format(value=shown(raw[key]))
            else:
                values[key] = parsed
    settings = replace(base or ReminderSettings(), **values)
    if (
        settings.quiet_hours
        and settings.quiet_start == settings.quiet_end
        and not {"quiet_start", "quiet_end"} & errors.keys()
    ):
        errors["quiet_end"] = _("Quiet hours need an end time different from their start.")
    if errors:
        raise ReminderInputError(errors)
    return settings


def reminder_settings_to_dict(settings: ReminderSettings) -> dict[str, Any]:
    """Plain JSON-ready values; `reminder_settings_from_dict` reads them back."""
    data = asdict(settings)
    for key in _TIMES:
        data[key] = f"{getattr(settings, key):%H:%M}"
    return data


def reminder_settings_from_dict(data: Mapping[str, Any]) -> ReminderSettings:
    """Stored settings back, leniently: unknown keys are ignored, a bad value keeps its default."""
    known = {f.name for f in fields(ReminderSettings)}
    values = {key: value for key, value in data.items() if key in known}
    try:
        return validate_reminder_settings(values)
    except ReminderInputError as error:
        good = {key: value for key, value in values.items() if key not in error.errors}
        try:
            return validate_reminder_settings(good)
        except ReminderInputError:
            return ReminderSettings()


def parse_time_of_day(value: Any) -> time | None:
    """A time of day from a `time` or text like 9:00 or 21:30; None when it is not one."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str) and _is_hhmm(value.strip()):
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    return None


def validate_own_reminder(raw: Mapping[str, Any], *, now: datetime, zone: str) -> OwnReminder:
    """Check an own reminder from a form or the command line.

    `raw` keys: text, at ("HH:MM" or a time), on (an ISO date, a date, or empty for every day),
    audience (patient or caregiver; default patient), starts_on, id. A dated reminder must be
    still to come and within two years; a daily one starts today (local date in `zone`) when its
    time is still to come today, else tomorrow, so saving it never makes a missed one.
    """
    errors: dict[str, str] = {}
    text = checked_text(raw.get("text"), "text", "The reminder", OWN_TEXT_MAX_CHARS, errors)
    if not text and "text" not in errors:
        errors["text"] = _("Please write what to remind you of.")
    at = parse_time_of_day(raw.get("at"))
    if at is None:
        given = raw.get("at")
        errors["at"] = (
            _("Choose a time of day.")
            if given in (None, "")
            else _("“{value}” is not a time; write it like 09:30.").format(value=shown(given))
        )
    audience = _checked_choice(
        raw.get("audience") or "patient",
        "audience",
        AUDIENCES,
        errors,
        _("Choose whether it is for you (patient) or a helper (caregiver)"),
    )
    on = _checked_date(raw.get("on"), "on", errors)
    today = now.astimezone(ZoneInfo(zone)).date()
    starts_on = _checked_date(raw.get("starts_on"), "starts_on", errors)
    if starts_on is None:  # every day from the next time it comes round, never from the past
        later_today = at is not None and _local_instant(today, at, ZoneInfo(zone)) > now
        starts_on = today if later_today else today + timedelta(days=1)
    if on is not None and at is not None and "on" not in errors:
        when = _local_instant(on, at, ZoneInfo(zone))
        if when <= now:
            errors["on"] = _("That time has passed. Choose a later date or time.")
        elif when - now > FARTHEST:
            errors["on"] = _("That is more than two years ahead. Check the year.")
    if errors or at is None:  # (a missing time is one of the errors)
        raise ReminderInputError(errors)
    return OwnReminder(
        text=text,
        at=at,
        on=on,
        audience=audience,
        starts_on=None if on is not None else starts_on,
        id=raw.get("id"),
    )


def _checked_date(value: Any, key: str, errors: dict[str, str]) -> date | None:
    if value in (None, "", "daily"):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors[key] = _("“{value}” is not a date; write it like 2026-03-10.").format(value=shown(value))
    return None


def validate_caregiver(raw: Mapping[str, Any]) -> Caregiver:
    """A helper: a name and a phone number are needed, who they are to the patient is optional."""
    try:
        contact = validate_contact(raw)
    except PlanInputError as error:
        raise ReminderInputError(error.errors) from None
    return Caregiver(contact.name, contact.phone, contact.relation, id=raw.get("id"))
