"""What every verb shares: the --data-dir option, opening the database with a clear error, and
reading typed ids, dates and domain messages the same way."""

from __future__ import annotations

from datetime import datetime

import click

from app.services.paths import resolve_data_dir

# SQLite's largest integer: a larger id would fail inside SQLite ("int too large").
LARGEST_ID = 2**63 - 1

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder holding the diary database (default: FACET_DATA_DIR, then the user data folder).",
)

row_id = click.IntRange(min=1, max=LARGEST_ID)


def _database(data_dir: str | None, runner: str = "cli", clock=None):
    """The diary, opened through the safe open (checked, backed up daily, repaired from a backup
    when damaged) by `runner` ("cli" or "agent") at `clock`'s time (default: the real one).
    What was repaired is said once on stderr; what could not be done alone is one `Error:`
    line."""
    from app.services.clock import SystemClock  # none of this is needed to open the app
    from app.services.data_safety import open_diary

    folder = resolve_data_dir(data_dir)
    opened = open_diary(folder, now=(clock or SystemClock()).now(), runner=runner)
    if opened.problem is not None:
        raise click.ClickException(_command_line_advice(opened.problem, folder))
    if opened.notice:
        click.echo(f"Note: {opened.notice}", err=True)
    return opened.db


def _command_line_advice(problem, folder) -> str:
    """The problem's own words, and the command that fixes it where there is one."""
    if problem.kind == "missing":
        from app.store.backups import newest_good_backup

        newest = newest_good_backup(folder)
        if newest is not None:
            return (
                f"{problem.message} To restore it: python main.py data restore "
                f"{newest.path} --data-dir {folder}"
            )
    return problem.message


def error_line(message: str) -> click.ClickException:
    """`Error: message` on one line, with any typed text in it made safe for a terminal."""
    from app.services.safe_text import terminal_text

    return click.ClickException(terminal_text(message, one_line=True))


def already_exists(path: str) -> click.ClickException:
    """The error for an --out file that exists (report, reminders export-ics)."""
    return error_line(
        f"Not written: {path} already exists. Add --force to replace it, or choose another name."
    )


def instant_option(value: str | None, option: str, zone: str, now: datetime) -> datetime | None:
    """A typed --since/--from/--to as an aware UTC instant (None when not given); a bad one is
    refused naming `option`."""
    from app.domain.typed import LocalTimeError, read_instant

    if not value:
        return None
    try:
        return read_instant(value, zone, now=now)
    except LocalTimeError as error:
        raise click.BadParameter(str(error), param_hint=option) from error


def repeated_time_note_for(text: str | None, zone: str) -> str | None:
    """The note for a typed --at that happens twice when the clocks go back (the first one is
    taken), or None."""
    from app.domain.typed import repeated_time_note

    try:
        return repeated_time_note(datetime.fromisoformat(text.strip()), zone) if text else None
    except ValueError:
        return None


def input_problem(errors: dict[str, str], options: dict[str, str]) -> click.ClickException:
    """The domain's messages per field as one line, each led by the option it came from
    ("--at: That time is in the future. ...")."""
    parts = []
    for key, message in errors.items():
        option = options.get(key.split(".")[0])
        parts.append(f"{option}: {message}" if option else message)
    return error_line(" ".join(parts))
