"""The installed `facet-companion` command and main.py both start here."""

import sys


def main(argv: list[str] | None = None) -> None:
    from app.cli import cli

    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="main.py")
