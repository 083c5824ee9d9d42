"""Sections that later releases fill. Each says plainly what is coming, and nothing more."""

from kivy.properties import StringProperty

from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen


class ComingSoonScreen(AppScreen):
    title = StringProperty("")
    promise = StringProperty("")


class RemindersScreen(ComingSoonScreen):
    title = StringProperty("Reminders")
    promise = StringProperty(
        "Coming soon: reminders on your recovery days, for you and for the person who drives you."
    )


load_kv_beside(__file__)
