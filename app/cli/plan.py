"""`python main.py plan ...`."""

from __future__ import annotations

import click

from app.cli.common import _database, data_dir_option, input_problem, repeated_time_note_for
from app.domain.clinic import clinic_note
from app.domain.diary import SIDES
from app.domain.learn import ENGLISH
from app.domain.pathway import (
    ANAESTHETICS,
    PROCEDURE_KINDS,
    REGIONS,
)
from app.domain.plan import (
    MAX_CYCLE,
    DatedStep,
    PlanInputError,
    Procedure,
    already_planned_error,
    build_timeline,
    validate_procedure,
)
from app.services.clock import SystemClock
from app.services.pathways import choose_pathway
from app.services.safe_text import terminal_json, terminal_text
from app.store.plan_repository import PlanRepository
from app.store.settings_repository import SettingsRepository

OPTIONS = {
    "kind": "--kind",
    "region": "--region",
    "side": "--side",
    "at": "--at",
    "anaesthetic": "--anaesthetic",
    "zone": "--zone",
    "levels": "--levels",
}


@click.group()
def plan() -> None:
    """The patient's procedures and the dated steps around them."""


@plan.command("add-procedure")
@click.option("--kind", required=True, help=f"One of: {', '.join(PROCEDURE_KINDS)}.")
@click.option("--region", required=True, help=f"One of: {', '.join(REGIONS)}.")
@click.option("--side", required=True, help=f"One of: {', '.join(SIDES)}.")
@click.option("--at", "at", required=True, help="Date and time, ISO-8601. Without a zone, local.")
@click.option("--anaesthetic", help=f"For a block only: {' or '.join(ANAESTHETICS)}.")
@click.option("--zone", help="IANA time zone of the appointment (default: this device's zone).")
@click.option("--levels", help='The spinal levels, as the clinic writes them, e.g. "L4-L5, L5-S1".')
@data_dir_option
def plan_add_procedure(kind, region, side, at, anaesthetic, zone, levels, data_dir) -> None:
    """Add a procedure to the current cycle and print its id.

    A procedure already in the plan (same kind, region, side and time) is not added again: its
    id is printed, with a note on stderr, and the command succeeds, so running it twice is safe."""
    clock = SystemClock()
    raw = {
        "kind": kind,
        "region": region,
        "side": side,
        "at": at,
        "anaesthetic": anaesthetic,
        "zone": zone,
        "levels": levels,
    }
    try:
        procedure = validate_procedure(raw, now=clock.now(), zone=clock.zone())
    except PlanInputError as error:
        raise input_problem(error.errors, OPTIONS) from error
    if note := repeated_time_note_for(at, procedure.zone):
        click.echo(f"Note: {note}", err=True)
    plans = PlanRepository(_database(data_dir))
    existing = plans.find_same(procedure)
    if existing is not None:
        click.echo(str(already_planned_error(existing)), err=True)
        click.echo(existing.id)
        return
    click.echo(plans.add_procedure(procedure).id)


@plan.command("show")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--cycle",
    type=click.IntRange(min=1, max=MAX_CYCLE),
    help="Which cycle (default: the current one).",
)
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
        # The command line speaks English (a tool for clinic IT), whatever the patient reads.
        pathway, problem = choose_pathway(region, clinic.pathway_file or None, ENGLISH)
        if problem:
            click.echo(f"Warning: {problem}", err=True)
        steps += build_timeline(procedures, pathway, cycle=cycle, sedation=clinic.uses_sedation)
    steps.sort(key=lambda d: d.due)
    if output_format == "json":
        document = {
            "cycle": cycle,
            "procedures": [procedure_record(p) for p in procedures],
            "steps": [_step_record(d, clinic) for d in steps],
        }
        click.echo(terminal_json(document, indent=1))
        return
    click.echo(f"{'local date':<10}  {'time':<5}  {'zone':<20}  {'procedure':<13}  step")
    for dated in steps:
        local = dated.local_due
        click.echo(
            f"{local:%Y-%m-%d}  {local:%H:%M}  {dated.zone:<20}  "
            f"{dated.procedure.kind:<13}  "
            f"{terminal_text(dated.step.title, one_line=True)}"
        )


def procedure_record(procedure: Procedure) -> dict:
    local = procedure.local_at
    return {
        "id": procedure.id,
        "kind": procedure.kind,
        "region": procedure.region,
        "side": procedure.side,
        "levels": procedure.levels,
        "anaesthetic": procedure.anaesthetic,
        "cycle": procedure.cycle,
        "cancelled": procedure.cancelled,
        "at_utc": procedure.at.isoformat(),
        "local_date": local.date().isoformat(),
        "local_time": f"{local:%H:%M}",
        "utc_offset": local.isoformat()[-6:],
        "zone": procedure.zone,
    }


def _step_record(dated: DatedStep, clinic) -> dict:
    local = dated.local_due
    step = dated.step
    return {
        "procedure_id": dated.procedure.id,
        "procedure": dated.procedure.kind,
        "step": step.id,
        "phase": step.phase,
        "when": step.offset.label,
        "title": step.title,
        "due_utc": dated.due.isoformat(),
        "local_date": local.date().isoformat(),
        "local_time": f"{local:%H:%M}",
        "utc_offset": local.isoformat()[-6:],
        "zone": dated.zone,
        "checklist": list(step.checklist),
        "learn": list(step.learn),
        "clinic_setting": step.clinic_setting,
        "clinic_note": clinic_note(
            clinic,
            step.clinic_setting,
            kind=dated.procedure.kind,
            local_at=dated.procedure.local_at,
        )
        if step.clinic_setting
        else None,
    }
