"""The reminder agent's XDG autostart entry: where it goes, what it runs, and switching it off."""

from __future__ import annotations

import re
import sys

import pytest

from app.services import autostart

STRING_ESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t", "s": " "}


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config dir"))
    return tmp_path / "config dir"


def exec_args(text: str) -> list[str]:
    """The Exec line read back as the Desktop Entry Specification says: the file's string
    escapes first (\\\\ is \\, \\n a newline, \\r, \\t, \\s a space), then arguments split
    on spaces, where a double-quoted one may hold " ` $ \\ each after a backslash; then %% is
    %."""
    line = next(line for line in text.splitlines() if line.startswith("Exec="))
    value = re.sub(
        r"\\(.)",
        lambda match: STRING_ESCAPES.get(match.group(1), match.group(0)),
        line[len("Exec=") :],
    )
    args, current, quoted, index = [], None, False, 0
    while index < len(value):
        ch = value[index]
        if quoted and ch == "\\" and value[index + 1] in '"`$\\':
            current += value[index + 1]
            index += 1
        elif ch == '"':
            quoted = not quoted
            current = current or ""
        elif ch == " " and not quoted:
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + ch
        index += 1
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def test_enable_writes_an_entry_that_runs_this_checkouts_agent(config, tmp_path):
    assert not autostart.is_enabled()
    path = autostart.enable(data_dir=tmp_path / "my data")
    assert path == config / "autostart" / "facet-companion-reminders.desktop"
    assert autostart.is_enabled()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    assert "NoDisplay=true" in text and "Terminal=false" in text
    assert exec_args(text) == [
        sys.executable,
        str(autostart.MAIN),
        "reminders",
        "run",
        "--data-dir",
        str((tmp_path / "my data").resolve()),
    ]


def test_awkward_paths_survive_the_exec_quoting(config):
    python = '/opt/odd "dir"/$HOME/100%/py\\thon'
    text = autostart.enable(python=python).read_text(encoding="utf-8")
    assert exec_args(text)[0] == python
    assert exec_args(text)[2:] == ["reminders", "run"]


def test_disable_removes_it_and_is_quiet_when_there_is_none(config):
    autostart.enable()
    assert autostart.disable() is True
    assert not autostart.is_enabled()
    assert autostart.disable() is False


def test_the_default_folder_is_dot_config(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.autostart_path() == tmp_path / ".config" / "autostart" / autostart.ENTRY_NAME
    assert autostart.supported() is (sys.platform.startswith("linux"))


def test_an_installed_app_runs_its_agent_with_dash_m_app(config, monkeypatch):
    """An installed package has no main.py; `python -m app` runs the same entry."""
    monkeypatch.setattr(autostart, "installed", lambda: True)
    text = autostart.enable().read_text(encoding="utf-8")
    assert exec_args(text) == [sys.executable, "-m", "app", "reminders", "run"]


def test_a_desktop_build_runs_its_own_program(config, monkeypatch):
    """A PyInstaller build's sys.executable is the built program, which takes the verbs."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/facet-companion/facet-companion")
    text = autostart.enable().read_text(encoding="utf-8")
    assert exec_args(text) == ["/opt/facet-companion/facet-companion", "reminders", "run"]
