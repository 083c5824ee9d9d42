"""A calendar file (.ics, RFC 5545, written with the icalendar library) of the procedures and the
patient's or the helpers' reminders, each reminder with an alarm, so a phone's calendar reminds
them even without the app.

Exporting again after a change updates the same events: every event's UID comes from the
reminder's stable key (`<key>@facet-companion`), and a ledger in the database remembers what each
export said. An event that changed gets a higher SEQUENCE and a new LAST-MODIFIED; one that is gone
(a cancelled procedure, a deleted reminder) is exported once more with STATUS:CANCELLED, so a
calendar that updates by UID removes it. Times carry the TZID of the patient's zone (procedures:
the zone they were booked in), with the matching VTIMEZONE.

The helpers' file has, instead of each appointment, a pick-up event: whom (the patient's name
when they entered one), where (the clinic's name and address when entered) and when (the pick-up
time written on the checklist; without one, at the appointment, saying the clinic will call). The
helpers' reminders about that procedure repeat it. No visit length is ever made up.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from app.domain.checklists import PICKUP_TIME_ITEM
from app.domain.clinic import ClinicSettings
from app.domain.pathway import AUDIENCES
from app.domain.plan import Procedure
from app.domain.reminders import (
    CalendarEventState,
    Occurrence,
    OwnReminder,
    ReminderSettings,
    hold,
)
from app.services.reminder_service import ReminderService
from app.store.block_diary_repository import PatientRepository
from app.store.calendar_ledger import CalendarLedgerRepository
from app.store.files import IfExists, database_folder, write_atomically

UTC = UTC
PRODID = "-//Facet Companion//Reminders//EN"
UID_DOMAIN = "facet-companion"
REMINDER_MINUTES = 10
PROCEDURE_MINUTES = 60
BEFORE = timedelta(days=130)  # the earliest pathway reminder is 120 days before a procedure
AFTER = timedelta(days=801)  # the latest is 800 days after
CALENDAR_NAMES = {"patient": "Facet Companion", "caregiver": "Facet Companion: for helpers"}


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    events: int  # live events written
    alarms: int
    changed: int  # new or updated since the last export for this audience
    cancelled: int  # exported as STATUS:CANCELLED


def export_calendar(
    service: ReminderService,
    audience: str,
    out: str | os.PathLike,
    now: datetime | None = None,
    if_exists: IfExists = "refuse",
) -> CalendarExport:
    """Write the .ics for `audience` ("patient" or "caregiver") to `out`, whole (written beside
    it, fsynced, then renamed), and remember what it said for the next export. An existing file
    is refused (FileExistsError), replaced or kept with the calendar saved under the next free
    name, as `if_exists` says; a file in the diary's own folder is refused
    (`DestinationRefused`)."""
    if audience not in AUDIENCES:
        raise ValueError(f"Choose patient or caregiver, not {audience!r}")
    now = (now or service.clock.now()).astimezone(UTC)
    zone = service.clock.zone()
    settings = service.settings_store.reminder_settings()
    procedures = service.plans.procedures()
    clinic = service.settings_store.clinic()
    events: dict[str, icalendar.Event] = {}
    pickups: dict[int, str] = {}  # procedure id -> whom to pick up, where and when (helpers)
    patient = PatientRepository(service.db).details().name if audience == "caregiver" else ""
    for procedure in procedures:
        if audience == "caregiver":
            pickup_time = service.plans.marks(procedure.saved_id).get(PICKUP_TIME_ITEM)
            event = _pickup_event(
                procedure, patient, clinic, pickup_time.value if pickup_time else ""
            )
            pickups[procedure.saved_id] = str(event["DESCRIPTION"])
        else:
            event = _procedure_event(procedure, clinic.name, clinic.phone, clinic.address)
        events[str(event["UID"])] = event
    if procedures:
        start = min(p.at for p in procedures) - BEFORE
        end = max(p.at for p in procedures) + AFTER
        for occurrence in service.occurrences(
            start, end, audiences=(audience,), zone=zone, settings=settings, include_own=False
        ):
            reminded = next((p for p in procedures if p.id == occurrence.procedure_id), None)
            event = _reminder_event(
                occurrence,
                reminded,
                pickups.get(reminded.saved_id, "") if reminded is not None else "",
            )
            events[str(event["UID"])] = event
    for reminder in service.own.all():
        if reminder.audience == audience:
            event = _own_event(reminder, zone, settings, now)
            events[str(event["UID"])] = event

    ledger_store = CalendarLedgerRepository(service.db)
    ledger = ledger_store.for_audience(audience)
    states: list[CalendarEventState] = []
    calendar = _calendar(audience)
    changed = cancelled = alarms = 0
    for uid, event in events.items():
        fingerprint = hashlib.sha256(event.to_ical()).hexdigest()
        before = ledger.get(uid)
        if before is not None and before.fingerprint == fingerprint and not before.cancelled:
            sequence, modified = before.sequence, before.modified
        else:
            sequence = before.sequence + 1 if before is not None else 0
            modified = now
            changed += 1
        _stamp(event, sequence, modified, now)
        states.append(
            CalendarEventState(
                uid, fingerprint, sequence, modified, event.to_ical().decode("utf-8")
            )
        )
        alarms += len(event.subcomponents)
        calendar.add_component(event)
    for uid, before in ledger.items():
        if uid in events:
            continue
        gone = icalendar.Event.from_ical(before.event)
        gone.subcomponents = []  # no alarm for an event that is gone
        for name in ("STATUS", "SEQUENCE", "LAST-MODIFIED", "DTSTAMP"):
            gone.pop(name, None)
        gone.add("status", "CANCELLED")
        sequence = before.sequence if before.cancelled else before.sequence + 1
        modified = before.modified if before.cancelled else now
        _stamp(gone, sequence, modified, now)
        states.append(
            CalendarEventState(uid, "cancelled", sequence, modified, before.event, cancelled=True)
        )
        calendar.add_component(gone)
        cancelled += 1
    _add_timezones(calendar, procedures, now)
    path = write_atomically(
        Path(out),
        calendar.to_ical(),
        if_exists=if_exists,
        data_dir=database_folder(service.db.conn),
    )
    ledger_store.save(audience, states)
    return CalendarExport(path, len(events), alarms, changed, cancelled)


def uid_for(key: str) -> str:
    """The event UID for a reminder's stable key: "rule:x:p3:0" -> "rule-x-p3-0@facet-companion"."""
    return f"{key.replace(':', '-').replace('/', '-')}@{UID_DOMAIN}"


def _calendar(audience: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAMES[audience])
    return calendar


def _procedure_event(
    procedure: Procedure, clinic_name: str, clinic_phone: str, address: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"procedure-{procedure.id}@{UID_DOMAIN}")
    event.add("summary", procedure.label)
    event.add("dtstart", procedure.local_at)
    event.add("duration", timedelta(minutes=PROCEDURE_MINUTES))
    if address:
        event.add("location", address)
    who = ", ".join(part for part in (clinic_name, clinic_phone) if part)
    if who:
        event.add("description", f"Your clinic: {who}.")
    return event


def _pickup_event(
    procedure: Procedure, patient: str, clinic: ClinicSettings, pickup_time: str
) -> icalendar.Event:
    """The helper's own event for a procedure: whom to pick up, where and when. The pick-up
    time is the one the patient wrote on the checklist; without one the event sits at the
    appointment and says the clinic will call (no visit length is made up)."""
    who = patient or "the patient"
    where = ", ".join(part for part in (clinic.name, clinic.address) if part) or "the clinic"
    appointment = procedure.local_at
    label = procedure.label
    lines = [
        f"Pick up {who} from {where} after their {label[0].lower()}{label[1:]}.",
        f"Their appointment: {appointment:%A} {appointment.day} {appointment:%B %Y}, "
        f"{appointment:%H:%M}.",
    ]
    if pickup_time:
        hours, minutes = (int(part) for part in pickup_time.split(":"))
        start = appointment.replace(hour=hours, minute=minutes)
        lines.append(f"Pick-up time: {start:%H:%M}.")
    else:
        start = appointment
        lines.append("The clinic will call you when it is time to pick them up.")
    lines.append("They must not drive themselves home.")
    if clinic.phone:
        lines.append(f"The clinic's phone: {clinic.phone}.")
    event = _timed_event(
        f"pickup-{procedure.id}@{UID_DOMAIN}", f"Pick up {who}", "\n".join(lines), start
    )
    if clinic.address:
        event.add("location", clinic.address)
    return event


def _reminder_event(
    occurrence: Occurrence, procedure: Procedure | None, pickup: str = ""
) -> icalendar.Event:
    description = occurrence.text
    if procedure is not None:
        when = procedure.local_at
        description += (
            f"\n\nAbout: {procedure.label}, {when:%a} {when.day} {when:%b %Y} at {when:%H:%M}."
        )
    if pickup:
        description += f"\n\n{pickup}"
    return _timed_event(
        uid_for(occurrence.key), occurrence.text, description, occurrence.local_deliver_at
    )


def _own_event(
    reminder: OwnReminder, zone: str, settings: ReminderSettings, now: datetime
) -> icalendar.Event:
    tz = ZoneInfo(zone)
    first_day = reminder.on or reminder.starts_on or now.astimezone(tz).date()
    first = hold(_combine(first_day, reminder, tz), zone, settings).astimezone(tz)
    event = _timed_event(uid_for(f"own:{reminder.id}"), reminder.text, reminder.text, first)
    if reminder.daily:
        event.add("rrule", {"freq": "daily"})
    return event


def _combine(day: date, reminder: OwnReminder, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, reminder.at, tzinfo=tz).astimezone(UTC)


def _timed_event(uid: str, summary: str, description: str, start: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=REMINDER_MINUTES))
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def _stamp(event: icalendar.Component, sequence: int, modified: datetime, now: datetime) -> None:
    event.add("sequence", sequence)
    event.add("last-modified", modified.astimezone(UTC))
    event.add("dtstamp", now)


def _add_timezones(
    calendar: icalendar.Calendar, procedures: list[Procedure], now: datetime
) -> None:
    """VTIMEZONEs for every TZID used, covering the years the events span."""
    first = min([p.at for p in procedures] + [now]) - BEFORE
    last = max([p.at for p in procedures] + [now]) + AFTER
    calendar.add_missing_timezones(
        first_date=first.date().replace(month=1, day=1),
        last_date=last.date().replace(month=12, day=31),
    )
