"""`python main.py kiosk ...`: the clinic kiosk for clinic IT. The staff PIN is read from
standard input (hidden at a terminal), never from an argument, so it stays out of the shell's
history and the process list."""

from __future__ import annotations

import getpass
import json
import sys

import click

from app.cli.common import _database, data_dir_option
from app.services.clock import SystemClock


def read_pin(prompt: str) -> str:
    """One PIN from standard input: asked without echo at a terminal, else one line read."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt, stream=sys.stderr)
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException(f"No PIN was given on standard input ({prompt.rstrip(': ')}).")
    return line.rstrip("\r\n")


def _service(data_dir):
    from app.services.kiosk import KioskService
    from app.services.paths import resolve_data_dir

    return KioskService(_database(data_dir), resolve_data_dir(data_dir))


def _checked(action):
    """Run `action`; a kiosk problem (wrong PIN, a lock, a bad folder, a report that could not
    be written, in which case nothing was wiped) becomes one line."""
    from app.services.kiosk import KioskError
    from app.services.report_writer import ReportFolderError

    try:
        return action()
    except (KioskError, ReportFolderError) as problem:
        raise click.ClickException(str(problem)) from problem


@click.group("kiosk")
def kiosk() -> None:
    """The clinic kiosk: set it up, see its state, finish a patient's session."""


@kiosk.command("setup")
@click.option(
    "--idle-minutes",
    type=int,
    default=3,
    show_default=True,
    help="Minutes without a touch before the privacy cover hides the screen.",
)
@click.option(
    "--reports",
    "reports_folder",
    type=click.Path(file_okay=False),
    required=True,
    help="The clinic's folder for each patient's report and diary copy (outside the data folder).",
)
@click.option("--fhir", is_flag=True, help="Also write the FHIR file for the health record.")
@data_dir_option
def setup(idle_minutes, reports_folder, fhir, data_dir) -> None:
    """Set the staff PIN (typed twice on standard input) and turn kiosk mode on. Changing an
    existing set-up asks for the current PIN first."""
    service = _service(data_dir)
    clock = SystemClock()
    if service.settings().set_up:
        current = read_pin("Current staff PIN: ")
        _checked(lambda: service.check_pin(current, now=clock.now(), zone=clock.zone()))
    pin = read_pin("New staff PIN (6 or more digits): ")
    again = read_pin("The same PIN again: ")
    settings = _checked(
        lambda: service.set_up(
            pin, again, idle_minutes=idle_minutes, reports_folder=reports_folder, fhir=fhir
        )
    )
    click.echo(
        f"Kiosk mode is on. Reports go to {settings.reports_folder}; the screen is "
        f"covered after {settings.idle_minutes} idle minutes."
    )


@kiosk.command("status")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json for scripts.",
)
@data_dir_option
def status(output_format, data_dir) -> None:
    """Whether kiosk mode is on, the idle time, a PIN lock and whether a session is open."""
    state = _service(data_dir).status(now=SystemClock().now())
    if output_format == "json":
        click.echo(json.dumps(state.as_json()))
        return
    click.echo(
        f"Kiosk mode: {'on' if state.enabled else 'off'}{'' if state.set_up else ' (not set up)'}"
    )
    click.echo(f"Idle time: {state.idle_minutes} minutes")
    click.echo(f"Reports folder: {state.reports_folder or '(none)'}")
    locked = state.locked_until
    opened = state.session_opened_at
    click.echo(f"PIN entry: {'locked until ' + locked.isoformat() if locked else 'open'}")
    click.echo(f"Patient session: {'open since ' + opened.isoformat() if opened else 'none'}")


@kiosk.command("finish")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="The folder for the report and the diary copy (default: the one set up).",
)
@data_dir_option
def finish(out, data_dir) -> None:
    """Ask the staff PIN (standard input), write the report and a copy of the diary into a new
    folder, then wipe the patient's data from this device."""
    service = _service(data_dir)
    clock = SystemClock()
    pin = read_pin("Staff PIN: ")
    now, zone = clock.now(), clock.zone()
    _checked(lambda: service.check_pin(pin, now=now, zone=zone))
    record, wiped = _checked(lambda: service.finish(out, now=now, zone=zone))
    for path in (*record.reports, record.diary_copy):
        click.echo(path)
    click.echo(
        f"Wiped: {wiped.rows_deleted} rows, {len(wiped.settings_deleted)} settings, "
        f"{len(wiped.files_removed)} files."
    )
    if wiped.files_kept:
        names = ", ".join(path.name for path in wiped.files_kept)
        click.echo(f"Left in the data folder (not made by the app): {names}", err=True)
