"""The window's frame: the screens and the banner over them."""

from kivy.uix.floatlayout import FloatLayout

import app.ui.widgets.controls  # noqa: F401  (registers shared controls for shell.kv)
from app.ui.kv import load_kv_beside


class Shell(FloatLayout):
    pass


load_kv_beside(__file__)
