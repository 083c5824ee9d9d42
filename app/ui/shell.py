"""The window's frame: the screens, the banner over them, and the two app-wide dialogs."""

from typing import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.modalview import ModalView

import app.ui.widgets.banner  # noqa: F401  (registers <Banner> for shell.kv)
import app.ui.widgets.controls  # noqa: F401  (registers shared controls for shell.kv)
from app.ui.kv import load_kv_beside


class Shell(FloatLayout):
    pass


class StartupProblem(FloatLayout):
    """Shown instead of the app when the diary file cannot be opened safely."""

    message = StringProperty("")


class QuitQuestion(ModalView):
    is_open = BooleanProperty(False)

    def __init__(self, on_quit: Callable[[], None], **kwargs):
        super().__init__(**kwargs)
        self.on_quit = on_quit

    def on_open(self):
        self.is_open = True
        self.ids.stay.focus = True

    def on_dismiss(self):
        self.is_open = False


load_kv_beside(__file__)
