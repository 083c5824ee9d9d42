"""The form controls (app/ui/widgets/form_controls.py) load on first use, not at start. A page
whose .kv makes a class of its own from one (settings.kv's long text box, a FormTextInput with
its own height) must load their rules before its own: Kivy applies rules in the order their
files were loaded, and the later rule wins."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from app.ui.widgets.controls import FORM_CONTROLS

REPO = Path(__file__).resolve().parents[2]
DERIVED_CLASS = re.compile(r"^<\w+@([\w+]+)>", re.MULTILINE)
LOADED_KV = """
import json, os, sys
from app.ui.kivy_config import configure_kivy
configure_kivy(800, 600)
import importlib
importlib.import_module(sys.argv[1])
from kivy.lang import Builder
print(json.dumps([os.path.basename(name) for name in Builder.files]))
"""


def kv_files_building_on_form_controls() -> list[Path]:
    found = []
    for kv in sorted((REPO / "app" / "ui").rglob("*.kv")):
        bases = {b for match in DERIVED_CLASS.findall(kv.read_text()) for b in match.split("+")}
        if kv.name != "form_controls.kv" and bases & set(FORM_CONTROLS):
            found.append(kv)
    return found


def test_a_page_that_builds_on_a_form_control_loads_their_rules_first():
    pages = kv_files_building_on_form_controls()
    assert "settings.kv" in [kv.name for kv in pages]
    for kv in pages:
        module = ".".join(kv.relative_to(REPO).with_suffix("").parts)
        result = subprocess.run(  # a fresh process: this one has loaded every .kv already
            [sys.executable, "-c", LOADED_KV, module],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        loaded = json.loads(result.stdout.strip().splitlines()[-1])
        assert loaded.index("form_controls.kv") < loaded.index(kv.name), (module, loaded)
