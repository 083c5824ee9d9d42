"""A calm two-button question. The safe choice is on the left and has the keyboard focus."""

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.modalview import ModalView

from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in confirm.kv)


class ConfirmDialog(ModalView):
    title = StringProperty("")
    message = StringProperty("")
    stay_text = StringProperty("")
    go_text = StringProperty("")
    is_open = BooleanProperty(False)

    def __init__(self, on_go: Callable[[], None], **kwargs):
        super().__init__(**kwargs)
        self.on_go = on_go

    def go(self) -> None:
        self.dismiss()
        self.on_go()

    def on_open(self):
        self.is_open = True
        self.ids.stay.focus = True

    def on_dismiss(self):
        self.is_open = False


def ask_to_leave_unsaved(message: str, leave: Callable[[], None]) -> None:
    """The one question asked before unsaved input is dropped. `message` may be a constant
    marked with N_(): it is translated here, where it is shown."""
    ConfirmDialog(
        title=_("Leave without saving?"),
        message=_(message),
        stay_text=_("Keep editing"),
        go_text=_("Leave without saving"),
        on_go=leave,
    ).open()


load_kv_beside(__file__)
