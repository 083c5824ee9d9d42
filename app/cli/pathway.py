"""`python main.py pathway ...`."""

from __future__ import annotations

import click

from app.cli.common import data_dir_option
from app.domain.pathway import (
    PathwayError,
    load_pathway,
)
from app.services.safe_text import terminal_text


@click.group()
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
    click.echo(f"ok: {terminal_text(checked.title, one_line=True)} ({len(checked.steps)} steps, "
               f"{len(checked.checklist)} checklist items)")
