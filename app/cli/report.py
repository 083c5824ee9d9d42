"""`python main.py report ...`."""

from __future__ import annotations

import click

from app.cli.common import _database, already_exists, data_dir_option, error_line
from app.services.clock import SystemClock


@click.command("report")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["pdf", "csv", "fhir"]),
    required=True,
    help="pdf for the clinic, csv of every diary entry, or fhir (an HL7 FHIR R4 Bundle in JSON).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(),
    help="The file to write, or a folder to write facet-report-DATE.pdf/.csv/.json in. "
    "Never in the diary's own folder.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the file if it exists (without it, an existing file is kept).",
)
@data_dir_option
def report(output_format, out, force, data_dir) -> None:
    """Write the report and print where it went."""
    from app.services.reports import export_report
    from app.services.safe_text import terminal_text
    from app.store.files import DestinationRefused

    clock = SystemClock()
    try:
        path = export_report(
            _database(data_dir),
            output_format,
            out,
            now=clock.now(),
            zone=clock.zone(),
            if_exists="replace" if force else "refuse",
        )
    except DestinationRefused as error:
        raise error_line(str(error)) from error
    except FileExistsError as error:
        raise already_exists(error.filename) from error
    except OSError as error:
        raise error_line(
            f"The report could not be written to {out}: {error.strerror or error}."
        ) from error
    click.echo(terminal_text(str(path)))
