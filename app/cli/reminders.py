"""`python main.py reminders ...`."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path

import click

from app.cli.common import (
    _database,
    already_exists,
    data_dir_option,
    error_line,
    instant_option,
)
from app.services.clock import SystemClock
from app.services.language import apply_patient_language
from app.services.safe_text import terminal_json, terminal_text
from app.store.settings_repository import SettingsRepository


@click.group()
def reminders() -> None:
    """The reminder schedule, its calendar file, and the background agent."""


def _reminder_service(data_dir: str | None, runner: str):
    """The service for a verb, with the real clock and plyer, or the test hooks: FACET_TEST_CLOCK
    (JSON: start, speed, real_start, zone, optional until and grace_minutes) and
    FACET_TEST_NOTIFY_LOG (a file that records notifications instead of showing them) with
    FACET_TEST_NOTIFY_DELAY (seconds each takes to show). Only the tests set these."""
    from datetime import timedelta

    from app.services.clock import ScaledClock
    from app.services.notifier import PlyerNotifier, RecordingNotifier
    from app.services.reminder_service import GRACE, ReminderService

    clock, until, grace = SystemClock(), None, GRACE
    hook = os.environ.get("FACET_TEST_CLOCK")
    if hook:
        spec = json.loads(hook)
        clock = ScaledClock(
            datetime.fromisoformat(spec["start"]),
            float(spec["speed"]),
            float(spec["real_start"]),
            spec.get("zone", "UTC"),
        )
        until = datetime.fromisoformat(spec["until"]) if spec.get("until") else None
        grace = timedelta(minutes=float(spec.get("grace_minutes", 15)))
    log_path = os.environ.get("FACET_TEST_NOTIFY_LOG")
    delay = float(os.environ.get("FACET_TEST_NOTIFY_DELAY", "0"))
    notifier = (
        RecordingNotifier(log_path=Path(log_path), delay=delay) if log_path else PlyerNotifier()
    )
    db = _database(data_dir, runner, clock)  # the agent opens through the safe open too
    if hook:  # opened (checked, backed up) first, so its time does not count against the race
        time.sleep(max(0.0, clock.real_start - time.time()))  # start together at `start`
    service = ReminderService(db, clock, notifier, runner=runner, grace=grace)
    return service, until


@reminders.command("list")
@click.option(
    "--from", "start", help="From this ISO-8601 time (default: now). Without a zone, local."
)
@click.option("--to", "end", help="Up to this ISO-8601 time (default: 30 days after --from).")
@click.option(
    "--audience",
    type=click.Choice(["patient", "caregiver", "all"]),
    default="all",
    help="Whose reminders (default: all).",
)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@data_dir_option
def reminders_list(start, end, audience, output_format, data_dir) -> None:
    """Print the reminders delivered in a window, soonest first, with their state."""
    from datetime import timedelta

    service, _ = _reminder_service(data_dir, "cli")
    zone = service.clock.zone()
    now = service.clock.now()
    start_at = instant_option(start, "--from", zone, now) or now
    end_at = instant_option(end, "--to", zone, now) or start_at + timedelta(days=30)
    if end_at <= start_at:
        raise click.BadParameter("must be later than --from.", param_hint="--to")
    audiences = ("patient", "caregiver") if audience == "all" else (audience,)
    rows = service.listing(start_at, end_at, audiences=audiences)
    if output_format == "json":
        click.echo(terminal_json([_reminder_record(o, r) for o, r in rows], indent=1))
        return
    click.echo(f"{'local time':<16}  {'zone':<20}  {'for':<9}  {'state':<9}  reminder")
    for occurrence, record in rows:
        local = occurrence.local_deliver_at
        state = record.state if record else "scheduled"
        click.echo(
            f"{local:%Y-%m-%d %H:%M}  {occurrence.zone:<20}  {occurrence.audience:<9}  "
            f"{state:<9}  {terminal_text(occurrence.text[:70], one_line=True)}"
        )


def _reminder_record(occurrence, record) -> dict:
    local = occurrence.local_deliver_at
    return {
        "id": occurrence.id,
        "key": occurrence.key,
        "kind": occurrence.kind,
        "audience": occurrence.audience,
        "title": occurrence.title,
        "text": occurrence.text,
        "procedure_id": occurrence.procedure_id,
        "due_utc": occurrence.due.isoformat(),
        "deliver_at_utc": occurrence.deliver_at.isoformat(),
        "local_time": local.isoformat(),
        "zone": occurrence.zone,
        "held_by_quiet_hours": occurrence.held,
        "state": record.state if record else "scheduled",
        "snoozed_until_utc": record.snoozed_until.isoformat()
        if record and record.snoozed_until
        else None,
    }


@reminders.command("export-ics")
@click.option(
    "--audience",
    type=click.Choice(["patient", "caregiver"]),
    required=True,
    help="The patient's reminders or the helpers' ones.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .ics file to write. Never in the diary's own folder.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the file if it exists, e.g. to update an earlier export (its events "
    "keep their UIDs).",
)
@data_dir_option
def reminders_export_ics(audience, out, force, data_dir) -> None:
    """Write a calendar file of the procedures and one audience's reminders, with alarms."""
    from app.services.calendar_export import export_calendar
    from app.store.files import DestinationRefused

    service, _ = _reminder_service(data_dir, "cli")
    try:
        done = export_calendar(service, audience, out, if_exists="replace" if force else "refuse")
    except DestinationRefused as error:
        raise error_line(str(error)) from error
    except FileExistsError as error:
        raise already_exists(error.filename) from error
    except OSError as error:
        raise error_line(f"{out}: {error.strerror or error}") from error
    click.echo(
        terminal_text(
            f"wrote {done.path}: {done.events} events, {done.alarms} alarms "
            f"({done.changed} new or changed, {done.cancelled} cancelled)"
        )
    )


@reminders.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@data_dir_option
def reminders_run(once, data_dir) -> None:
    """The reminder agent: deliver each reminder when it falls due, while the app is closed."""
    import logging
    import signal
    import sys

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # Logging out sends SIGTERM: leave cleanly (an open transaction is rolled back).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    service, until = _reminder_service(data_dir, "agent")
    # The notifications speak the patient's language, as chosen in the app (read again at each
    # tick: the agent may run for days). The lines printed here are what was shown.
    settings = SettingsRepository(service.db)
    apply_patient_language(settings)

    def show(result) -> None:
        for record in result.delivered:
            if record.claimed_by and record.claimed_by.startswith(f"agent:{service.pid}"):
                local = record.occurrence.local_deliver_at
                click.echo(
                    terminal_text(
                        f"{local:%Y-%m-%d %H:%M}  {record.occurrence.title}: "
                        f"{record.occurrence.text}",
                        one_line=True,
                    )
                )

    from app.services.data_safety import back_up_if_due, diary_identity
    from app.services.paths import resolve_data_dir

    folder = resolve_data_dir(data_dir)
    opened_file = diary_identity(folder)

    def on_tick(result) -> None:
        show(result)
        apply_patient_language(settings)
        back_up_if_due(folder, now=service.clock.now())  # the agent may run for days
        if diary_identity(folder) != opened_file:
            # A restore or repair put a new file in place: writing on to the old one would
            # deliver reminders the app does not know were delivered. Start again on the new.
            logging.warning("The diary file was replaced; the reminder agent starts again.")
            service.notifier.close()
            _start_again()

    try:
        service.run(
            once=once,
            on_tick=on_tick,
            stop=lambda: until is not None and service.clock.now() >= until,
        )
    except KeyboardInterrupt:
        pass
    finally:
        service.notifier.close()


def _start_again() -> None:
    """Replace this process with a fresh start of the same command (same pid)."""
    import sys

    frozen = getattr(sys, "frozen", False)  # a built program: the executable is the app
    arguments = [sys.executable, *(sys.argv[1:] if frozen else sys.argv)]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(arguments[0], arguments)


# --- the block diary and reports ----------------------------------------------------------------
