"""The window's frame: the screens and the banner over them, or a problem that stops start-up."""

from kivy.properties import StringProperty
from kivy.uix.floatlayout import FloatLayout

import app.ui.widgets.controls  # noqa: F401  (registers shared controls for shell.kv)
from app.ui.kv import load_kv_beside


class Shell(FloatLayout):
    pass


class StartupProblem(FloatLayout):
    """Shown instead of the app when the diary file cannot be opened safely."""

    message = StringProperty("")


load_kv_beside(__file__)
