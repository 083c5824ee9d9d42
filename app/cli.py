"""Command-line verbs for clinic IT and automation. Imports no Kivy."""

from __future__ import annotations

import json
import sys
from datetime import datetime
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
@data_dir_option
def plan_add_procedure(kind, region, side, at, anaesthetic, zone, data_dir) -> None:
    """Add a procedure to the current cycle and print its id."""
    clock = SystemClock()
    raw = {"kind": kind, "region": region, "side": side, "at": at, "anaesthetic": anaesthetic,
           "zone": zone}
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
        "side": procedure.side, "anaesthetic": procedure.anaesthetic,
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
