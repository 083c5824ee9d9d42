"""The one folder picker for saving files where the patient chooses (Reports, the calendar
file): the folder that is open, said in words; a field to type a folder's path; buttons for the
usual places (Home, Documents, Desktop, where they exist); and the list of folders inside.

The list is Kivy's FileChooser (its list of rows) showing folders only, in the app's text sizes
and colours. A tap opens a folder, and so does Enter or Space on the row the keyboard is on; the
up and down keys move between rows. What is chosen is the folder that is open: `path`."""

from __future__ import annotations

import os
from os.path import abspath, isdir, sep
from pathlib import Path

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.filechooser import FileChooserController, FileChooserLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.treeview import TreeViewNode

from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import ACTIVATE_KEYS, AppButton

TAP_TRAVEL = 0.02  # of the window's size: a touch that moved further was a swipe


def start_folder(saved: str | None = None) -> str:
    """Where a picker opens: `saved` (the folder used last), else Documents, else home."""
    for candidate in (saved, Path.home() / "Documents", Path.home()):
        if candidate and isdir(candidate):
            return str(candidate)
    return abspath("/")


def usual_places() -> list[tuple[str, str]]:
    """(button text, folder) for Home and, where they exist, Documents and Desktop."""
    home = Path.home()
    places = [
        (_("Home"), home),
        (_("Documents"), home / "Documents"),
        (_("Desktop"), home / "Desktop"),
    ]
    return [(name, str(folder)) for name, folder in places if isdir(folder)]


class TypedFolderError(ValueError):
    """A typed folder that cannot be opened; the message says why, in plain words."""


def typed_folder(text: str, open_folder: str) -> str:
    """The folder a typed path names: "~" is the home folder, and a path that does not start
    at the top is read from the open folder. Raises TypedFolderError."""
    typed = text.strip()
    if not typed:
        example = Path.home() / "Documents"
        raise TypedFolderError(
            _("Type the folder's full path, for example {example}.").format(example=example)
        )
    folder = Path(open_folder, Path(typed).expanduser())
    if not folder.exists():
        raise TypedFolderError(
            _(
                "That folder does not exist: {folder}. Check the spelling, or "
                "choose a folder from the list."
            ).format(folder=typed)
        )
    if not folder.is_dir():
        raise TypedFolderError(_("That is a file, not a folder: {folder}.").format(folder=typed))
    if not os.access(folder, os.R_OK | os.X_OK):
        raise TypedFolderError(
            _("This computer does not let the app open that folder: {folder}.").format(folder=typed)
        )
    return abspath(folder)


class FolderPickerRow(FocusBehavior, FloatLayout, TreeViewNode):
    """One folder. The folder above (`is_up`) is left out of the list: the picker's own
    "‹ Up one folder" button stays in sight above it."""

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
        self._pressed = touch.uid
        return True

    def on_touch_up(self, touch):
        # Inside a page that scrolls too, the page hands the touch on when it ends: the row
        # then sees its end without holding the touch, so it knows it by its number.
        if touch.grab_current is not self and getattr(self, "_pressed", None) != touch.uid:
            return False
        touch.ungrab(self)
        if self._pressed != touch.uid:
            return True  # this touch's end was already handled
        self._pressed = None
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


class FolderScroll(ScrollView):
    """The folder list's own scrolling. On a page that scrolls (`do_scroll_y` off) it only hands
    touches to the rows: a ScrollView inside a ScrollView kept the taps for itself."""

    def on_touch_down(self, touch):
        if self.do_scroll_y:
            return super().on_touch_down(touch)
        return self._to_rows("on_touch_down", touch)

    def on_touch_move(self, touch):
        if self.do_scroll_y:
            return super().on_touch_move(touch)
        return self._to_rows("on_touch_move", touch)

    def on_touch_up(self, touch):
        if self.do_scroll_y:
            return super().on_touch_up(touch)
        return self._to_rows("on_touch_up", touch)

    def _to_rows(self, event: str, touch) -> bool:
        touch.push()
        touch.apply_transform_2d(self.to_local)
        try:
            return any(child.dispatch(event, touch) for child in self.children[:])
        finally:
            touch.pop()


class FolderListLayout(FileChooserLayout):
    """The picker's list: one large row per folder."""

    VIEWNAME = "list"

    def on_entry_added(self, node, parent=None):
        if node.is_up:
            return
        self.ids.treeview.add_node(node)
        self.controller.row_shown(node)

    def on_entries_cleared(self):
        self.ids.treeview.root.nodes = []
        self.ids.scrollview.scroll_y = 1


class FolderList(FileChooserController):
    has_folders = BooleanProperty(False)  # anything to open besides the folder above
    grows = BooleanProperty(False)  # as tall as all its rows (on a page that scrolls)
    rows_height = NumericProperty(0)  # how tall all its rows are

    def __init__(self, **kwargs):
        kwargs.setdefault("filters", [self.no_files])
        kwargs.setdefault("sort_func", self.by_name)
        kwargs.setdefault("path", start_folder())
        self._focus_first = False
        super().__init__(**kwargs)

    def on_grows(self, *_args) -> None:
        # On a page that scrolls, the list shows every folder and the page does the scrolling.
        if self.layout is not None:
            self.layout.ids.scrollview.do_scroll_y = not self.grows

    on_layout = on_grows

    def on_files(self, _picker, files) -> None:
        self.has_folders = any(not name.endswith(".." + sep) for name in files)

    def _create_entry_widget(self, ctx):
        name = ctx["name"]
        return FolderPickerRow(
            path=ctx["path"],
            name=name,
            picker=self,
            is_leaf=True,
            is_up=name.endswith(".." + ctx["sep"]),
        )

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


class PlaceButton(AppButton):
    """A folder to go to at once (Home, Documents, up one), as wide as its words."""


class FolderPicker(BoxLayout):
    """The whole picker; `path` is the folder that is open (set it to open another)."""

    rows_at_least = NumericProperty(2)  # folder rows the list always has room for
    # On a page that scrolls: the list shows every folder (a list that scrolls inside a page
    # that scrolls took no taps).
    grows = BooleanProperty(False)
    path = StringProperty("")
    folder_words = StringProperty("")  # the open folder, as shown
    has_folders = BooleanProperty(False)
    typed_error = StringProperty("")
    at_top = BooleanProperty(False)  # the top of the disk: nothing above to go up to

    def __init__(self, **kwargs):
        kwargs.setdefault("path", start_folder())
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        for name, folder in usual_places():
            button = PlaceButton(text=name)
            button.bind(on_press=lambda _b, folder=folder: self.go_to(folder))
            self.ids.places.add_widget(button)
        folders = self.ids.folders
        folders.bind(path=self.setter("path"), has_folders=self.setter("has_folders"))
        folders.path = self.path
        self.on_path(self, self.path)

    def on_path(self, _picker, path: str) -> None:
        if "folders" in self.ids and self.ids.folders.path != path:
            self.ids.folders.path = path
        self.at_top = Path(path).parent == Path(path)
        self.folder_words = (
            _("{folder} (your home folder)").format(folder=path)
            if Path(path) == Path.home()
            else path
        )

    def go_to(self, folder: str) -> None:
        if isdir(folder):
            self.path = abspath(folder)

    def go_up(self) -> None:
        self.go_to(str(Path(self.path).parent))

    def open_typed(self) -> None:
        """Open the folder typed in the field, or say at the field why it cannot be opened."""
        field = self.ids.typed
        try:
            folder = typed_folder(field.text, self.path)
        except TypedFolderError as problem:
            self.typed_error = str(problem)
            return
        self.typed_error = ""
        field.text = ""
        self.path = folder

    def chosen_folder(self) -> str | None:
        """Where to save: a folder typed but not opened yet is opened first (a patient who
        types a path and taps Save means that folder); None while it cannot be opened."""
        if self.has_typed_path():
            self.open_typed()
            if self.typed_error:
                return None
        return self.path

    def has_typed_path(self) -> bool:
        """A path typed in the field but not opened yet."""
        return bool(self.ids.typed.text.strip())

    def forget_typed(self) -> None:
        self.ids.typed.text = ""
        self.typed_error = ""


load_kv_beside(__file__)
