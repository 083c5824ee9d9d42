"""Command-line verbs for clinic IT and automation. Imports no Kivy."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from app.domain.clinic import clinic_note
from app.domain.diary import AREAS, SIDES, DiaryInputError, validate_entry
from app.domain.pathway import (
    ANAESTHETICS,
    PROCEDURE_KINDS,
    REGIONS,
    PathwayError,
    choose_pathway,
    load_pathway,
)
from app.domain.plan import DatedStep, PlanInputError, Procedure, build_timeline, validate_procedure
from app.services.clock import SystemClock
from app.services.diary_export import write_csv, write_json, write_table
from app.services.paths import resolve_data_dir
from app.store.database import DatabaseRefusedError, open_database
from app.store.diary_repository import DiaryRepository
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder holding the diary database (default: FACET_DATA_DIR, then the user data folder).",
)


def _database(data_dir: str | None):
    try:
        return open_database(resolve_data_dir(data_dir))
    except DatabaseRefusedError as error:
        raise click.ClickException(str(error)) from error


def _repository(data_dir: str | None) -> DiaryRepository:
    return DiaryRepository(_database(data_dir))


@click.group(invoke_without_command=True)
@click.option("--demo", is_flag=True, help="Open on a throwaway folder filled with a sample story.")
@click.option("--size", default="1280x800", help="Window size on desktop, e.g. 800x1280 for portrait.")
@data_dir_option
@click.pass_context
def cli(context: click.Context, demo: bool, size: str, data_dir: str | None) -> None:
    """Facet Companion. Without a verb, opens the app."""
    if context.invoked_subcommand is None:
        from app.ui.launch import launch

        launch(data_dir=data_dir, demo=demo, size=size)


@cli.group()
def diary() -> None:
    """Add to and read the pain diary."""


@diary.command("add")
@click.option("--score", required=True, help="Pain from 0 (no pain) to 10 (worst imaginable).")
@click.option("--area", type=click.Choice(list(AREAS)), help="Where the pain is.")
@click.option("--side", type=click.Choice(list(SIDES)), help="Which side (needs --area).")
@click.option("--at", "at", help="When, as ISO-8601 (default: now). Without a zone, local time.")
@click.option("--activity", default="", help="What you were doing.")
@click.option("--note", default="", help="A note of up to 2,000 characters.")
@data_dir_option
def diary_add(score, area, side, at, activity, note, data_dir) -> None:
    """Save one entry and print its id."""
    if bool(area) != bool(side):
        raise click.UsageError("--area and --side go together: give both or neither.")
    clock = SystemClock()
    raw = {
        "score": score,
        "at": at,
        "areas": [{"area": area, "side": side, "score": score}] if area else [],
        "activity": activity,
        "note": note,
    }
    try:
        entry = validate_entry(raw, now=clock.now(), zone=clock.zone())
    except DiaryInputError as error:
        raise click.ClickException(str(error)) from error
    saved = _repository(data_dir).add(entry)
    click.echo(saved.id)


@diary.command("list")
@click.option("--since", help="Only entries from this ISO-8601 time on.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table"
)
@data_dir_option
def diary_list(since, output_format, data_dir) -> None:
    """Print diary entries, oldest first."""
    since_instant = None
    if since:
        try:
            since_instant = datetime.fromisoformat(since)
        except ValueError as error:
            raise click.BadParameter(f"“{since}” is not an ISO-8601 date or time.") from error
        if since_instant.tzinfo is None:
            since_instant = since_instant.replace(tzinfo=ZoneInfo(SystemClock().zone()))
    entries = _repository(data_dir).since(since_instant)
    writer = {"table": write_table, "csv": write_csv, "json": write_json}[output_format]
    writer(entries, sys.stdout)


@cli.group()
def plan() -> None:
    """The patient's procedures and the dated steps around them."""


@plan.command("add-procedure")
@click.option("--kind", required=True, help=f"One of: {', '.join(PROCEDURE_KINDS)}.")
@click.option("--region", required=True, help=f"One of: {', '.join(REGIONS)}.")
@click.option("--side", required=True, help=f"One of: {', '.join(SIDES)}.")
@click.option("--at", "at", required=True, help="Date and time, ISO-8601. Without a zone, local.")
@click.option("--anaesthetic", help=f"For a block only: {' or '.join(ANAESTHETICS)}.")
@click.option("--zone", help="IANA time zone of the appointment (default: this device's zone).")
@click.option("--levels", help="The spinal levels, as the clinic writes them, e.g. \"L4-L5, L5-S1\".")
@data_dir_option
def plan_add_procedure(kind, region, side, at, anaesthetic, zone, levels, data_dir) -> None:
    """Add a procedure to the current cycle and print its id."""
    clock = SystemClock()
    raw = {"kind": kind, "region": region, "side": side, "at": at, "anaesthetic": anaesthetic,
           "zone": zone, "levels": levels}
    try:
        procedure = validate_procedure(raw, now=clock.now(), zone=clock.zone())
    except PlanInputError as error:
        raise click.ClickException(str(error)) from error
    saved = PlanRepository(_database(data_dir)).add_procedure(procedure)
    click.echo(saved.id)


@plan.command("show")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table"
)
@click.option("--cycle", type=click.IntRange(min=1), help="Which cycle (default: the current one).")
@data_dir_option
def plan_show(output_format, cycle, data_dir) -> None:
    """Print every dated step of the plan with its local date, time and zone."""
    db = _database(data_dir)
    plans = PlanRepository(db)
    clinic = SettingsRepository(db).clinic()
    cycle = cycle or plans.current_cycle()
    procedures = plans.procedures(cycle=cycle, include_cancelled=True)
    steps: list[DatedStep] = []
    for region in sorted({p.region for p in procedures}):
        pathway, problem = choose_pathway(region, clinic.pathway_file or None)
        if problem:
            click.echo(f"Warning: {problem}", err=True)
        steps += build_timeline(procedures, pathway, cycle=cycle, sedation=clinic.uses_sedation)
    steps.sort(key=lambda d: d.due)
    if output_format == "json":
        document = {
            "cycle": cycle,
            "procedures": [_procedure_record(p) for p in procedures],
            "steps": [_step_record(d, clinic) for d in steps],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    click.echo(f"{'local date':<10}  {'time':<5}  {'zone':<20}  {'procedure':<13}  step")
    for dated in steps:
        local = dated.local_due
        click.echo(f"{local:%Y-%m-%d}  {local:%H:%M}  {dated.zone:<20}  "
                   f"{dated.procedure.kind:<13}  {dated.step.title}")


def _procedure_record(procedure: Procedure) -> dict:
    local = procedure.local_at
    return {
        "id": procedure.id, "kind": procedure.kind, "region": procedure.region,
        "side": procedure.side, "levels": procedure.levels,
        "anaesthetic": procedure.anaesthetic,
        "cycle": procedure.cycle, "cancelled": procedure.cancelled,
        "at_utc": procedure.at.isoformat(), "local_date": local.date().isoformat(),
        "local_time": f"{local:%H:%M}", "utc_offset": local.isoformat()[-6:],
        "zone": procedure.zone,
    }


def _step_record(dated: DatedStep, clinic) -> dict:
    local = dated.local_due
    step = dated.step
    return {
        "procedure_id": dated.procedure.id, "procedure": dated.procedure.kind,
        "step": step.id, "phase": step.phase, "when": step.offset.label, "title": step.title,
        "due_utc": dated.due.isoformat(), "local_date": local.date().isoformat(),
        "local_time": f"{local:%H:%M}", "utc_offset": local.isoformat()[-6:],
        "zone": dated.zone, "checklist": list(step.checklist), "learn": list(step.learn),
        "clinic_setting": step.clinic_setting,
        "clinic_note": clinic_note(clinic, step.clinic_setting, kind=dated.procedure.kind,
                                   local_at=dated.procedure.local_at)
        if step.clinic_setting else None,
    }


@cli.group()
def pathway() -> None:
    """Check pathway files."""


@pathway.command("check")
@click.argument("file", type=click.Path(dir_okay=True))
@data_dir_option
def pathway_check(file, data_dir) -> None:
    """Check a pathway file the way the app does when it loads one."""
    try:
        checked = load_pathway(file)
    except PathwayError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"ok: {checked.title} ({len(checked.steps)} steps, "
               f"{len(checked.checklist)} checklist items)")


@cli.group()
def reminders() -> None:
    """The reminder schedule, its calendar file, and the background agent."""


def _reminder_service(data_dir: str | None, runner: str):
    """The service for a verb, with the real clock and plyer, or the test hooks: FACET_TEST_CLOCK
    (JSON: start, speed, real_start, zone, optional until and grace_minutes) and
    FACET_TEST_NOTIFY_LOG (a file that records notifications instead of showing them). Only the
    tests set these."""
    from datetime import timedelta

    from app.services.clock import ScaledClock
    from app.services.notifier import PlyerNotifier, RecordingNotifier
    from app.services.reminder_service import GRACE, ReminderService

    clock, until, grace = SystemClock(), None, GRACE
    hook = os.environ.get("FACET_TEST_CLOCK")
    if hook:
        spec = json.loads(hook)
        clock = ScaledClock(datetime.fromisoformat(spec["start"]), float(spec["speed"]),
                            float(spec["real_start"]), spec.get("zone", "UTC"))
        until = datetime.fromisoformat(spec["until"]) if spec.get("until") else None
        grace = timedelta(minutes=float(spec.get("grace_minutes", 15)))
        time.sleep(max(0.0, clock.real_start - time.time()))  # start together at `start`
    log_path = os.environ.get("FACET_TEST_NOTIFY_LOG")
    notifier = RecordingNotifier(log_path=Path(log_path)) if log_path else PlyerNotifier()
    service = ReminderService(_database(data_dir), clock, notifier, runner=runner, grace=grace)
    return service, until


def _instant_option(value: str | None, name: str, zone: str) -> datetime | None:
    if not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"“{value}” is not an ISO-8601 date or time.",
                                 param_hint=name) from error
    return instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo(zone))


@reminders.command("list")
@click.option("--from", "start", help="From this ISO-8601 time (default: now). Without a zone, local.")
@click.option("--to", "end", help="Up to this ISO-8601 time (default: 30 days after --from).")
@click.option("--audience", type=click.Choice(["patient", "caregiver", "all"]), default="all",
              help="Whose reminders (default: all).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@data_dir_option
def reminders_list(start, end, audience, output_format, data_dir) -> None:
    """Print the reminders delivered in a window, soonest first, with their state."""
    from datetime import timedelta

    service, _ = _reminder_service(data_dir, "cli")
    zone = service.clock.zone()
    start_at = _instant_option(start, "--from", zone) or service.clock.now()
    end_at = _instant_option(end, "--to", zone) or start_at + timedelta(days=30)
    if end_at <= start_at:
        raise click.BadParameter("must be later than --from.", param_hint="--to")
    audiences = ("patient", "caregiver") if audience == "all" else (audience,)
    rows = service.listing(start_at, end_at, audiences=audiences)
    if output_format == "json":
        click.echo(json.dumps([_reminder_record(o, r) for o, r in rows], ensure_ascii=False,
                              indent=1))
        return
    click.echo(f"{'local time':<16}  {'zone':<20}  {'for':<9}  {'state':<9}  reminder")
    for occurrence, record in rows:
        local = occurrence.local_deliver_at
        state = record.state if record else "scheduled"
        click.echo(f"{local:%Y-%m-%d %H:%M}  {occurrence.zone:<20}  {occurrence.audience:<9}  "
                   f"{state:<9}  {occurrence.text[:70]}")


def _reminder_record(occurrence, record) -> dict:
    local = occurrence.local_deliver_at
    return {
        "id": occurrence.id, "key": occurrence.key, "kind": occurrence.kind,
        "audience": occurrence.audience, "title": occurrence.title, "text": occurrence.text,
        "procedure_id": occurrence.procedure_id, "due_utc": occurrence.due.isoformat(),
        "deliver_at_utc": occurrence.deliver_at.isoformat(), "local_time": local.isoformat(),
        "zone": occurrence.zone, "held_by_quiet_hours": occurrence.held,
        "state": record.state if record else "scheduled",
        "snoozed_until_utc": record.snoozed_until.isoformat()
        if record and record.snoozed_until else None,
    }


@reminders.command("export-ics")
@click.option("--audience", type=click.Choice(["patient", "caregiver"]), required=True,
              help="The patient's reminders or the helpers' ones.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The .ics file to write (replaced whole).")
@data_dir_option
def reminders_export_ics(audience, out, data_dir) -> None:
    """Write a calendar file of the procedures and one audience's reminders, with alarms."""
    from app.services.calendar_export import export_calendar

    service, _ = _reminder_service(data_dir, "cli")
    try:
        done = export_calendar(service, audience, out)
    except OSError as error:
        raise click.ClickException(f"{out}: {error.strerror or error}") from error
    click.echo(f"wrote {done.path}: {done.events} events, {done.alarms} alarms "
               f"({done.changed} new or changed, {done.cancelled} cancelled)")


@reminders.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@data_dir_option
def reminders_run(once, data_dir) -> None:
    """The reminder agent: deliver each reminder when it falls due, while the app is closed."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    service, until = _reminder_service(data_dir, "agent")

    def show(result) -> None:
        for record in result.delivered:
            if record.claimed_by and record.claimed_by.startswith(f"agent:{service.pid}"):
                local = record.occurrence.local_deliver_at
                click.echo(f"{local:%Y-%m-%d %H:%M}  {record.occurrence.title}: "
                           f"{record.occurrence.text}")

    try:
        service.run(once=once, on_tick=show,
                    stop=lambda: until is not None and service.clock.now() >= until)
    except KeyboardInterrupt:
        pass
    finally:
        service.notifier.close()


# --- the block diary and reports ----------------------------------------------------------------

@cli.group()
def block() -> None:
    """The timed diary after a test block: the usual pain before it, and the relief summary."""


def _block_service(data_dir: str | None):
    from app.services.block_diary import BlockDiaryService

    return BlockDiaryService(_database(data_dir))


def _chosen_block(service, procedure_id: int | None, now: datetime) -> Procedure:
    if procedure_id is not None:
        try:
            return service.block(procedure_id)
        except LookupError as error:
            raise click.ClickException(str(error)) from error
    found = service.current_block(now)
    if found is None:
        raise click.ClickException(
            "There is no block in the plan yet; add one with plan add-procedure.")
    return found


procedure_option = click.option(
    "--procedure", "procedure_id", type=click.IntRange(min=1),
    help="The block's id (default: the latest block that starts within a day or has started; "
         "else the next one).",
)


@block.command("baseline")
@click.option("--area", required=True, type=click.Choice(list(AREAS)), help="Where the pain is.")
@click.option("--side", required=True, type=click.Choice(list(SIDES)), help="Which side.")
@click.option("--score", required=True,
              help="The usual pain during an activity that brings it on, 0 to 10.")
@click.option("--at", "at", help="When, ISO-8601 (default: now, or the block's time once it has "
                                 "started). Without a zone, local time.")
@click.option("--activity", default="", help="The activity that usually brings the pain on.")
@procedure_option
@data_dir_option
def block_baseline(area, side, score, at, activity, procedure_id, data_dir) -> None:
    """Save the usual pain for one area and side before a block, and print the block's id.
    A second baseline for the same area and side replaces the first."""
    from app.domain.block_diary import BlockDiaryInputError

    clock = SystemClock()
    service = _block_service(data_dir)
    chosen = _chosen_block(service, procedure_id, clock.now())
    raw = {"area": area, "side": side, "score": score, "at": at, "activity": activity}
    try:
        service.save_baseline(chosen.id, raw, now=clock.now(), zone=clock.zone())
    except BlockDiaryInputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(chosen.id)


@block.command("summary")
@procedure_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@data_dir_option
def block_summary(procedure_id, output_format, data_dir) -> None:
    """Print one block's relief per area and side: relief against the baseline at every prompt,
    the peak, the hours at or above the clinic's threshold and whether they fit the anaesthetic.
    Prompts that closed unanswered are recorded as missed first.

    \b
    --format json prints one object:
      procedure: id, kind, region, side, levels, anaesthetic, at_utc, local_date,
        local_time, zone
      threshold_percent: 80 or 50;  expected_hours: [low, high] or null
      sentence: the whole block in neutral words
      areas: one per area and side, each with
        area, side, label, baseline (0-10 or null)
        entries: [{minutes, hours, at_utc, score, relief_percent, missed}]
          (score, relief_percent and at_utc are null for a missed prompt)
        peak_relief_percent, peak_minutes
        hours_at_or_above_threshold (null: cannot be worked out)
        run: {from_minutes, to_minutes, missed_inside, open_ended} or null
        fits_anaesthetic (true, false or null), fit (fits, shorter, longer,
          not_reached or unknown), fit_explanation, notes, sentence
      agreement: null, or the two blocks of the cycle compared:
        {first_procedure, second_procedure, agree,
         areas: [{area, side, agree, concordant_duration, explanation}], sentence}
    """
    from app.domain.block_diary import area_sentence, summary_sentence

    clock = SystemClock()
    service = _block_service(data_dir)
    chosen = _chosen_block(service, procedure_id, clock.now())
    if chosen.at <= clock.now():
        service.state(chosen.id, clock.now())
    analysis = service.analysis(chosen.id)
    agreement = service.agreement(chosen.id)
    if output_format == "text":
        click.echo(f"{chosen.label}, {chosen.local_at:%Y-%m-%d %H:%M} ({chosen.zone})")
        for area in analysis.areas:
            hours = area.hours_at_threshold
            click.echo(f"  {area.label}: baseline {area.baseline}, peak "
                       f"{'-' if area.peak is None else round(area.peak)}%, "
                       f"{'-' if hours is None else f'{hours:g}'} h at or above "
                       f"{area.threshold}%, fit: {area.fit.verdict}")
        click.echo(summary_sentence(analysis))
        if agreement is not None:
            click.echo(agreement.sentence)
        return
    document = {
        "procedure": _procedure_record(chosen),
        "threshold_percent": analysis.threshold,
        "anaesthetic": analysis.anaesthetic,
        "expected_hours": list(analysis.areas[0].fit.expected_hours)
        if analysis.areas and analysis.areas[0].fit.expected_hours else None,
        "sentence": summary_sentence(analysis),
        "areas": [
            {
                "area": area.area, "side": area.side, "label": area.label,
                "baseline": area.baseline,
                "entries": [
                    {"minutes": p.minutes, "hours": round(p.hours, 4),
                     "at_utc": p.at.isoformat() if p.at else None, "score": p.score,
                     "relief_percent": None if p.relief is None else round(p.relief, 1),
                     "missed": p.missed}
                    for p in area.points
                ],
                "peak_relief_percent": None if area.peak is None else round(area.peak, 1),
                "peak_minutes": area.peak_minutes,
                "hours_at_or_above_threshold": area.hours_at_threshold,
                "run": None if area.run_from_minutes is None else {
                    "from_minutes": area.run_from_minutes, "to_minutes": area.run_to_minutes,
                    "missed_inside": area.missed_in_run, "open_ended": area.open_ended},
                "fits_anaesthetic": area.fit.fits, "fit": area.fit.verdict,
                "fit_explanation": area.fit.explanation, "notes": list(area.notes),
                "sentence": area_sentence(area),
            }
            for area in analysis.areas
        ],
        "agreement": None if agreement is None else {
            "first_procedure": agreement.first.procedure_id,
            "second_procedure": agreement.second.procedure_id,
            "agree": agreement.agree,
            "areas": [{"area": a.area, "side": a.side, "agree": a.agree,
                       "concordant_duration": a.concordant_duration,
                       "explanation": a.explanation} for a in agreement.areas],
            "sentence": agreement.sentence,
        },
    }
    click.echo(json.dumps(document, ensure_ascii=False, indent=1))


@cli.command("report")
@click.option("--format", "output_format", type=click.Choice(["pdf", "csv", "fhir"]),
              required=True, help="pdf for the clinic, csv of every diary entry, or fhir (an "
                                  "HL7 FHIR R4 Bundle in JSON).")
@click.option("--out", required=True, type=click.Path(),
              help="The file to write, or a folder to write facet-report-DATE.pdf/.csv/.json in.")
@data_dir_option
def report(output_format, out, data_dir) -> None:
    """Write the report and print where it went."""
    from app.services.reports import export_report

    clock = SystemClock()
    try:
        path = export_report(_database(data_dir), output_format, out, now=clock.now(),
                             zone=clock.zone())
    except OSError as error:
        raise click.ClickException(f"The report could not be written to {out}: "
                                   f"{error.strerror or error}.") from error
    click.echo(path)
