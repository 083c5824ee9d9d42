"""What every verb shares: the --data-dir option and opening the database with a clear error."""

from __future__ import annotations

import click

from app.services.paths import resolve_data_dir

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder holding the diary database (default: FACET_DATA_DIR, then the user data folder).",
)


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
