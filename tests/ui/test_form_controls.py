"""The form controls (app/ui/widgets/form_controls.py) load on first use, not at start. A page
whose .kv makes a class of its own from one (settings.kv's long text box, a FormTextInput with
its own height) must load their rules before its own: Kivy applies rules in the order their
files were loaded, and the later rule wins."""

from __future__ import annotations

import re
from pathlib import Path

from app.ui.widgets.controls import FORM_CONTROLS
from tests.e2e.helpers import REPO_ROOT, last_json_line

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
    for kv in sorted((REPO_ROOT / "app" / "ui").rglob("*.kv")):
        bases = {b for match in DERIVED_CLASS.findall(kv.read_text()) for b in match.split("+")}
        if kv.name != "form_controls.kv" and bases & set(FORM_CONTROLS):
            found.append(kv)
    return found


def test_a_page_that_builds_on_a_form_control_loads_their_rules_first():
    pages = kv_files_building_on_form_controls()
    assert "settings.kv" in [kv.name for kv in pages]
    for kv in pages:
        module = ".".join(kv.relative_to(REPO_ROOT).with_suffix("").parts)
        # A fresh process: this one has loaded every .kv already.
        loaded = last_json_line(LOADED_KV, module, timeout=60)
        assert loaded.index("form_controls.kv") < loaded.index(kv.name), (module, loaded)
