"""'While you were away': reminders that fell due while nothing ran, shown once, all together."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.modalview import ModalView

from app.domain.dates import date_label
from app.i18n import ngettext
from app.ui.kv import load_kv_beside
from app.ui.widgets.controls import Card


class AwayList(ModalView):
    summary = StringProperty("")

    def __init__(self, records, now, zone: str, **kwargs):
        super().__init__(**kwargs)
        count = len(records)
        self.summary = ngettext(
            "{count} reminder came while the app was closed. It is also in Reminders.",
            "{count} reminders came while the app was closed. They are also in Reminders.",
            count,
        ).format(count=count)
        rows = self.ids.rows
        for record in records:
            occurrence = record.occurrence
            rows.add_widget(
                AwayRow(
                    when=date_label(occurrence.deliver_at, now, zone),
                    title=occurrence.title,
                    text=occurrence.text,
                )
            )

    def on_open(self):
        self.ids.ok.focus = True


class AwayRow(Card):
    when = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")


load_kv_beside(__file__)
