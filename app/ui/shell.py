"""The window's frame: the screens and the banner over them."""

from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import ScreenManager

import app.ui.widgets.controls  # noqa: F401  (registers shared controls for shell.kv)
from app.ui.kv import load_kv_beside


class Shell(FloatLayout):
    pass


class Pages(ScreenManager):
    """The screens, without Kivy's clip (shell.kv). Kivy's ScreenManager clips its screens to
    itself with the stencil buffer, so every pixel of every frame was drawn with the stencil
    test on; the pages fill the window, which clips them anyway."""


load_kv_beside(__file__)
