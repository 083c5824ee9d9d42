"""`python main.py data ...`: backups of the diary, putting one back, checking the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from app.cli.common import data_dir_option
from app.services.clock import SystemClock
from app.services.paths import resolve_data_dir
from app.store.backups import BackupError, check_database, good_backups, make_backup, restore
from app.store.database import database_path


@click.group()
def data() -> None:
    """Back up the diary, put a backup back, and check the diary file."""


@data.command("backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder to put the backup in (made if needed).",
)
@data_dir_option
def data_backup(out, data_dir) -> None:
    """Copy the diary into a folder as a backup.

    The copy is checked with SQLite's full integrity check before it is kept; its path is
    printed."""
    path = _existing_diary(data_dir)
    try:
        backup = make_backup(path, Path(out), now=SystemClock().now(), reason="manual")
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(backup.path))


@data.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@data_dir_option
def data_restore(file, data_dir) -> None:
    """Put a backup in place of the diary.

    FILE must be a whole Facet Companion diary this version can open. The current diary is
    backed up and set aside under a dated name, never deleted."""
    folder = resolve_data_dir(data_dir)
    try:
        aside = restore(folder, Path(file), now=SystemClock().now())
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {file} as {database_path(folder)}")
    if aside is not None:
        click.echo(f"the diary it replaced was set aside as {aside}")


@data.command("check")
@data_dir_option
def data_check(data_dir) -> None:
    """Check the diary file with SQLite's full check.

    Prints `ok: ...` and the newest automatic backup, or exits 1 naming what is damaged."""
    path = _existing_diary(data_dir)
    try:
        problems = check_database(path, full=True)
    except sqlite3.OperationalError as error:
        raise click.ClickException(f"{path} could not be checked: {error}.") from error
    if problems:
        raise click.ClickException(
            f"{path} is damaged ({len(problems)} problem{'s' if len(problems) > 1 else ''}; "
            f"first: {problems[0]}). Opening the app or any diary command sets it aside and "
            "puts the newest good backup back."
        )
    click.echo(f"ok: {path} passed SQLite's full integrity check")
    backups = good_backups(path.parent)
    if not backups:
        click.echo("no automatic backups yet")
        return
    newest = backups[0]
    click.echo(
        f"newest backup: {newest.made_at:%Y-%m-%d %H:%M} UTC, {newest.path} ({len(backups)} kept)"
    )


def _existing_diary(data_dir: str | None) -> Path:
    path = database_path(resolve_data_dir(data_dir))
    if not path.is_file() or path.stat().st_size == 0:
        raise click.ClickException(f"There is no diary at {path}.")
    return path
