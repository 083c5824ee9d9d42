"""Command-line verbs for clinic IT and automation. Imports no Kivy."""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from app.domain.diary import AREAS, SIDES, DiaryInputError, validate_entry
from app.services.clock import SystemClock
from app.services.diary_export import write_csv, write_json, write_table
from app.services.paths import resolve_data_dir
from app.store.database import DatabaseRefusedError, open_database
from app.store.diary_repository import DiaryRepository

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder holding the diary database (default: FACET_DATA_DIR, then the user data folder).",
)


def _repository(data_dir: str | None) -> DiaryRepository:
    try:
        return DiaryRepository(open_database(resolve_data_dir(data_dir)))
    except DatabaseRefusedError as error:
        raise click.ClickException(str(error)) from error


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


