"""One line of a schedule: when, what, and where it stands (done, open now, missed, not yet).
The block diary lists its prompts with it, the outcomes screen its check-ins."""

from kivy.properties import NumericProperty, OptionProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from app.ui.kv import load_kv_beside


class StatusRow(BoxLayout):
    first = StringProperty("")  # bold: the time or the week
    second = StringProperty("")
    state_text = StringProperty("")
    kind = OptionProperty("upcoming", options=["done", "open", "missed", "upcoming"])
    first_hint = NumericProperty(0.7)  # the first column's share of the width


load_kv_beside(__file__)
