"""The installed `facet-companion` command and main.py both start here."""

import sys


def main(argv: list[str] | None = None) -> None:
    import click

    from app.cli import cli

    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="main.py", standalone_mode=False)
    except click.ClickException as problem:
        # Clinic scripts read one line: no usage block, no traceback.
        click.echo(f"Error: {problem.format_message()}", err=True)
        sys.exit(problem.exit_code)
    except click.exceptions.Abort:
        click.echo("Error: stopped.", err=True)
        sys.exit(1)
