"""The installed `facet-companion` command and main.py both start here.

Whatever goes wrong ends in one `Error: ...` line and a non-zero exit, for clinic scripts that
read one line: click's usage errors (no usage block), and storage faults (a full disk, a
read-only or locked diary, a folder that cannot be made, missing tables), said in plain words by
app/services/storage_errors.py. What was typed is echoed at most ECHO_LIMIT characters long."""

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    import click

    from app.cli import cli

    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name=program_name(), standalone_mode=False)
    except click.ClickException as problem:
        _fail(problem.format_message(), args, problem.exit_code)
    except click.exceptions.Abort:
        _fail("stopped.", args, 1)
    except Exception as error:
        from app.services.storage_errors import storage_problem

        message = storage_problem(error)
        if message is None:
            raise
        _fail(message, args, 1)


def program_name() -> str:
    """What the patient or clinic typed to start us, for click's usage lines."""
    typed = Path(sys.argv[0]).name
    return "facet-companion" if typed in ("", "-c", "__main__.py") else typed


def _fail(message: str, args: list[str], exit_code: int) -> None:
    import click

    click.echo(f"Error: {short_echoes(message, args)}", err=True)
    sys.exit(exit_code)


def short_echoes(message: str, args: list[str]) -> str:
    """`message` on one line, with every long argument (or --option=value's value) that it
    repeats cut to ECHO_LIMIT characters."""
    from app.domain.typed import ECHO_LIMIT, shown

    typed = {part for arg in args for part in (arg, arg.partition("=")[2])}
    for text in sorted((t for t in typed if len(t) > ECHO_LIMIT), key=len, reverse=True):
        message = message.replace(text, shown(text))
    return " ".join(message.split())
