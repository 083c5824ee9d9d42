"""Command-line verbs for clinic IT and automation. Imports no Kivy.

Each verb group lives in its own module and is imported only when it is used, so opening the
app (no verb) pays for none of them.
"""

from __future__ import annotations

import importlib

import click

from app.cli.common import data_dir_option

# verb -> "module:attribute", loaded on first use
VERBS = {
    "diary": "app.cli.diary:diary",
    "plan": "app.cli.plan:plan",
    "pathway": "app.cli.pathway:pathway",
    "reminders": "app.cli.reminders:reminders",
    "block": "app.cli.block:block",
    "report": "app.cli.report:report",
    "kiosk": "app.cli.kiosk:kiosk",
    "data": "app.cli.data:data",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when asked for (click's documented pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *VERBS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in VERBS:
            return super().get_command(ctx, name)
        module_name, attribute = VERBS[name].split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option("--demo", is_flag=True, help="Open on a throwaway folder filled with a sample story.")
@click.option(
    "--size", default="1280x800", help="Window size on desktop, e.g. 800x1280 for portrait."
)
@click.option(
    "--kiosk",
    is_flag=True,
    help="Clinic kiosk: full screen, no way out without the staff PIN (see `kiosk setup`).",
)
@data_dir_option
@click.pass_context
def cli(context: click.Context, demo: bool, size: str, kiosk: bool, data_dir: str | None) -> None:
    """Facet Companion. Without a verb, opens the app."""
    if context.invoked_subcommand is None:
        from app.ui.launch import launch

        launch(data_dir=data_dir, demo=demo, size=size, kiosk=kiosk)
