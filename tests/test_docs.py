"""README stays true: two Quick start commands, and every CLI verb and option documented."""

import re
from pathlib import Path

import click
import pytest

from app.cli import cli

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _verbs(group: click.Group, prefix: str = ""):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _verbs(command, path + " ")
        else:
            yield path, command


def test_quick_start_is_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```\n(.*?)```", section, flags=re.S)
    assert block.strip().splitlines() == ["bash dev.sh app", "bash dev.sh test"]


@pytest.mark.parametrize("verb, command", list(_verbs(cli)), ids=lambda v: str(v))
def test_every_verb_and_option_is_in_the_readme(verb, command):
    assert f"python main.py {verb}" in README
    for option in command.params:
        if isinstance(option, click.Argument):  # a positional FILE: its name in the usage
            assert f"python main.py {verb} {option.human_readable_name}" in README
            continue
        long_name = next(name for name in option.opts if name.startswith("--"))
        assert long_name in README, f"{verb}: {long_name} is not documented"


def test_every_app_option_is_in_the_readme():
    for option in cli.params:
        assert f"`{option.opts[0]}" in README
