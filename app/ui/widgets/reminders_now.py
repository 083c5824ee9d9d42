"""Reminders, "Now": what came and waits for the patient, each card with Done, Snooze and
Dismiss."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.properties import BooleanProperty, DictProperty, ObjectProperty, StringProperty

from app.domain.dates import clock_time, date_label, local_date
from app.domain.reminders import SNOOZE_CHOICES, SNOOZE_LABELS, ReminderRecord, snooze_until
from app.i18n import _
from app.ui.kv import load_kv_beside
from app.ui.widgets.choice_row import ChoiceRow  # noqa: F401  (used in reminders_now.kv)
from app.ui.widgets.controls import Card
from app.ui.widgets.reminders_section import Section

INBOX_SHOWN = 100  # the section's cards at most, newest first


def inbox_words(record: ReminderRecord, now: datetime, zone: str) -> str:
    """When a reminder in the inbox came, or when it comes back."""
    occurrence = record.occurrence
    if record.state == "snoozed" and record.snoozed_until is not None:
        back = date_label(record.snoozed_until, now, zone, in_sentence=True)
        return _("Snoozed: it comes back {when}").format(when=back)
    if record.state == "missed":
        return _("Missed while the app was closed. It was due {when}.").format(
            when=date_label(occurrence.deliver_at, now, zone, in_sentence=True)
        )
    came = record.delivered_at or occurrence.deliver_at
    return _("Came {when}").format(when=date_label(came, now, zone, in_sentence=True))


class InboxCard(Card):
    record = ObjectProperty(None)
    section = ObjectProperty(None)
    title = StringProperty("")
    text = StringProperty("")
    when_text = StringProperty("")
    fresh = BooleanProperty(True)  # delivered and waiting (not snoozed or missed)
    choosing = BooleanProperty(False)  # the snooze choices are open
    snooze_labels = DictProperty({})


class NowSection(Section):
    empty = BooleanProperty(True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shown: Any = None

    def refresh(self, force: bool = True) -> None:
        now, zone = self.now_and_zone()
        records = self.reminders.states.inbox(INBOX_SHOWN)
        settings = self.reminders.settings_store.reminder_settings()
        # Everything the cards show; they are built again only when it changed, even when
        # forced (each open): building them is the section's cost.
        signature = (
            local_date(now, zone),
            zone,
            settings,
            tuple((r.id, r.state, r.round, r.snoozed_until) for r in records),
        )
        if signature == self._shown:
            if force:  # opened again: every card as it is first shown, its choices closed
                for card in self.ids.cards.children:
                    card.choosing = False
            return
        self._shown = signature
        cards = self.ids.cards
        cards.clear_widgets()
        for record in records:
            occurrence = record.occurrence
            tomorrow = snooze_until(
                "tomorrow", now, zone, settings, quiet_hours_apply=occurrence.quiet_hours_apply
            )
            labels = {choice: _(SNOOZE_LABELS[choice]) for choice in SNOOZE_CHOICES}
            labels["tomorrow"] = _("Tomorrow at {time}").format(time=clock_time(tomorrow, zone))
            cards.add_widget(
                InboxCard(
                    record=record,
                    section=self,
                    title=occurrence.title,
                    text=occurrence.text,
                    when_text=inbox_words(record, now, zone),
                    snooze_labels=labels,
                    fresh=record.state in ("claimed", "delivered"),
                )
            )
        self.empty = not records

    def done(self, record: ReminderRecord) -> None:
        self.reminders.states.done(record.occurrence, now=self.clock.now())
        self.after_change()
        self.banner(_("Marked as done."))

    def snooze(self, record: ReminderRecord, choice: str) -> None:
        snoozed = self.reminders.snooze(record, choice)
        self.after_change()
        now, zone = self.now_and_zone()
        back = date_label(snoozed.snoozed_until, now, zone, in_sentence=True)
        self.banner(_("Snoozed. It comes back {when}.").format(when=back))

    def dismiss(self, record: ReminderRecord) -> None:
        self.reminders.states.dismiss(record.occurrence, now=self.clock.now())
        self.after_change()
        self.banner(_("Dismissed. This one will not come back."))


load_kv_beside(__file__)
