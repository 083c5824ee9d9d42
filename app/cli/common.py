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


def _database(data_dir: str | None):
    from app.store.database import DatabaseRefusedError, open_database  # not needed to open the app

    try:
        return open_database(resolve_data_dir(data_dir))
    except DatabaseRefusedError as error:
        raise click.ClickException(str(error)) from error


def error_line(message: str) -> click.ClickException:
    """`Error: message` on one line, with any typed text in it made safe for a terminal."""
    from app.services.safe_text import terminal_text

    return click.ClickException(terminal_text(message, one_line=True))


def already_exists(path: str) -> click.ClickException:
    """The error for an --out file that exists (report, reminders export-ics)."""
    return error_line(f"Not written: {path} already exists. Add --force to replace it, or "
                      "choose another name.")


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
