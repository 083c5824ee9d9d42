"""`python main.py diary ...`."""

from __future__ import annotations

import sys

import click

from app.cli.common import (
    _database,
    data_dir_option,
    input_problem,
    instant_option,
    repeated_time_note_for,
)
from app.domain.diary import AREAS, SIDES, DiaryInputError
from app.services.clock import SystemClock
from app.services.diary import DiaryService
from app.services.diary_export import write_csv, write_json, write_table
from app.store.diary_repository import DiaryQueries


@click.group()
def diary() -> None:
    """Add to and read the pain diary."""


OPTIONS = {
    "score": "--score",
    "at": "--at",
    "areas": "--area/--side",
    "activity": "--activity",
    "note": "--note",
}


@diary.command("add")
@click.option("--score", required=True, help="Pain from 0 (no pain) to 10 (worst imaginable).")
@click.option("--area", type=click.Choice(list(AREAS)), help="Where the pain is.")
@click.option("--side", type=click.Choice(list(SIDES)), help="Which side (needs --area).")
@click.option("--at", "at", help="When, as ISO-8601 (default: now). Without a zone, local time.")
@click.option("--activity", default="", help="What you were doing.")
@click.option("--note", default="", help="A note of up to 2,000 characters.")
@data_dir_option
def diary_add(score, area, side, at, activity, note, data_dir) -> None:
    """Save one entry and print its id, once it is on disk.

    Sent again with the same score, note, areas and activity at a time within a minute of it
    (a retry after the command was cut off), the entry is not saved twice: its id is printed,
    with a note on stderr, and the command succeeds."""
    if bool(area) != bool(side):
        raise click.UsageError("--area and --side go together: give both or neither.")
    raw = {
        "score": score,
        "at": at,
        "areas": [{"area": area, "side": side, "score": score}] if area else [],
        "activity": activity,
        "note": note,
    }
    diary = DiaryService(_database(data_dir), SystemClock())
    try:
        saved, already = diary.add_once(raw)
    except DiaryInputError as error:
        raise input_problem(error.errors, OPTIONS) from error
    if note := repeated_time_note_for(at, saved.zone):
        click.echo(f"Note: {note}", err=True)
    if already:
        click.echo(
            f"Already saved as entry {saved.id} (same time, score and note), so it was "
            "not saved twice.",
            err=True,
        )
    click.echo(saved.id)


@diary.command("list")
@click.option("--since", help="Only entries from this ISO-8601 time on.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table"
)
@data_dir_option
def diary_list(since, output_format, data_dir) -> None:
    """Print diary entries, oldest first."""
    clock = SystemClock()
    since_instant = instant_option(since, "--since", clock.zone(), clock.now())
    entries = DiaryQueries(_database(data_dir)).since(since_instant)
    writer = {"table": write_table, "csv": write_csv, "json": write_json}[output_format]
    writer(entries, sys.stdout)
