"""Each widget or screen module loads the .kv file beside it, once, when first imported."""

from pathlib import Path

from kivy.factory import Factory
from kivy.lang import Builder
from kivy.lang.builder import global_idmap

from app.i18n import _, ngettext

# Every .kv file writes its words as _("...") and counted words with ngettext(...).
global_idmap["_"] = _
global_idmap["ngettext"] = ngettext
# The cards', buttons' and tiles' panels: Kivy's RoundedRectangle shape, cheaper to draw.
Factory.register("RoundedFill", module="app.ui.widgets.rounded_fill")


def load_kv_beside(module_file: str) -> None:
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)
