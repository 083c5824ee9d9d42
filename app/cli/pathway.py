"""`python main.py pathway ...`."""

from __future__ import annotations

import os
import stat

import click

from app.cli.common import data_dir_option
from app.domain.pathway import PathwayError
from app.services.pathways import load_pathway
from app.services.safe_text import terminal_text


@click.group()
def pathway() -> None:
    """Check pathway files."""


@pathway.command("check")
@click.argument("file", type=click.Path(dir_okay=True))
@data_dir_option
def pathway_check(file, data_dir) -> None:
    """Check a pathway file the way the app does when it loads one."""
    problem = not_a_file_problem(file)
    if problem:
        raise click.ClickException(problem)
    try:
        checked = load_pathway(file)
    except PathwayError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"ok: {terminal_text(checked.title, one_line=True)} ({len(checked.steps)} steps, "
        f"{len(checked.checklist)} checklist items)"
    )


NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file_problem(path: str) -> str | None:
    """Why `path` is not a file to read, or None: reading a pipe or a device would wait for
    ever or never end."""
    from app.domain.typed import shown

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # the loader says what is wrong with a path that cannot be read
    kind = next((words for is_kind, words in NOT_FILES if is_kind(mode)), None)
    if kind is None:
        return None
    return f"“{shown(path)}” is {kind}, not a file. Give the pathway's .toml file."
