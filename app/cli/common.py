"""What every verb shares: the --data-dir option and opening the database with a clear error."""

from __future__ import annotations

import click

from app.services.paths import resolve_data_dir

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder holding the diary database (default: FACET_DATA_DIR, then the user data folder).",
)


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
            return (f"{problem.message} To restore it: python main.py data restore "
                    f"{newest.path} --data-dir {folder}")
    return problem.message
