"""A folder picker for saving files where the patient chooses: Kivy's FileChooser (its list of
rows) showing folders only, in the app's text sizes and colours. A tap opens a folder, and so
does Enter or Space on the row the keyboard is on; the up and down keys move between rows. What
is chosen is the folder that is open: `path`."""

from __future__ import annotations

from os.path import abspath, isdir, sep
from pathlib import Path

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.filechooser import FileChooserController, FileChooserLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.treeview import TreeViewNode

from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import ACTIVATE_KEYS

TAP_TRAVEL = 0.02  # of the window's size: a touch that moved further was a swipe


def start_folder(saved: str | None = None) -> str:
    """Where a picker opens: `saved` (the folder used last), else Documents, else home."""
    for candidate in (saved, Path.home() / "Documents", Path.home()):
        if candidate and isdir(candidate):
            return str(candidate)
    return abspath("/")


class FolderPickerRow(FocusBehavior, FloatLayout, TreeViewNode):
    """One folder; "‹ Up one folder" for the folder above."""

    path = StringProperty("")
    name = StringProperty("")
    is_up = BooleanProperty(False)
    locked = BooleanProperty(False)  # set by FileChooserController for a folder it cannot list
    picker = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        self.entries = []  # FileChooserController keeps sub-entries here
        super().__init__(**kwargs)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos) or self.picker is None:
            return False
        if "button" in touch.profile and touch.button.startswith("scroll"):
            return False
        touch.grab(self)
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        # A tap opens the folder; a touch that travelled (a swipe) does not.
        if abs(touch.sx - touch.osx) + abs(touch.sy - touch.osy) < TAP_TRAVEL:
            self.picker.open_entry(self)
        return True

    def keyboard_on_key_down(self, window, keycode, text, modifiers):
        key = keycode[1]
        if key in ACTIVATE_KEYS and self.picker is not None:
            self.picker.open_by_keyboard(self)
            return True
        if key in ("down", "up"):
            target = self.get_focus_next() if key == "down" else self.get_focus_previous()
            if isinstance(target, FolderPickerRow):
                target.focus = True
            return True
        return super().keyboard_on_key_down(window, keycode, text, modifiers)

    def on_focus(self, _row, focused: bool) -> None:
        """Keep the row the keyboard is on in sight."""
        if not (focused and App.get_running_app().theme.keyboard_mode):
            return
        node = self.parent
        while node is not None and node is not node.parent:
            if isinstance(node, ScrollView):
                node.scroll_to(self, padding=dp(8), animate=False)
                return
            node = node.parent


class FolderPickerLayout(FileChooserLayout):
    """The picker's list: one large row per folder."""

    VIEWNAME = "list"

    def on_entry_added(self, node, parent=None):
        self.ids.treeview.add_node(node)
        self.controller.row_shown(node)

    def on_entries_cleared(self):
        self.ids.treeview.root.nodes = []
        self.ids.scrollview.scroll_y = 1


class FolderPicker(FileChooserController):
    has_folders = BooleanProperty(False)  # anything to open besides the folder above

    def __init__(self, **kwargs):
        kwargs.setdefault("filters", [self.no_files])
        kwargs.setdefault("sort_func", self.by_name)
        kwargs.setdefault("path", start_folder())
        self._focus_first = False
        super().__init__(**kwargs)

    def on_files(self, _picker, files) -> None:
        self.has_folders = any(not name.endswith(".." + sep) for name in files)

    def _create_entry_widget(self, ctx):
        name = ctx["name"]
        return FolderPickerRow(path=ctx["path"], name=name, picker=self, is_leaf=True,
                               is_up=name.endswith(".." + ctx["sep"]))

    def go_to(self, folder: str) -> None:
        if isdir(folder):
            self.path = abspath(folder)

    def open_by_keyboard(self, row: FolderPickerRow) -> None:
        """Open the folder and give the keyboard to the first row of what it holds."""
        before = self.path
        self.open_entry(row)
        self._focus_first = self.path != before

    def row_shown(self, row: FolderPickerRow) -> None:
        if self._focus_first:
            self._focus_first = False
            row.focus = True

    @staticmethod
    def no_files(_folder: str, _name: str) -> bool:
        return False  # every file is filtered out; folders always pass (filter_dirs is off)

    @staticmethod
    def by_name(paths: list[str], _file_system) -> list[str]:
        """Folders in alphabetical order, whatever their capitals."""
        return sorted(paths, key=lambda path: (Path(path).name.casefold(), path))


load_kv_beside(__file__)
