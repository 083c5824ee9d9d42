"""Sections that later releases fill. Each says plainly what is coming, and nothing more."""

from kivy.properties import StringProperty

from app.ui.kv import load_kv_beside
from app.ui.screens.base import AppScreen


class ComingSoonScreen(AppScreen):
    title = StringProperty("")
    promise = StringProperty("")


class TimelineScreen(ComingSoonScreen):
    title = StringProperty("Timeline")
    promise = StringProperty(
        "Coming soon: your own path through the weeks before, the day of and the months after "
        "your test block and nerve treatment, built from your procedure dates."
    )


class RemindersScreen(ComingSoonScreen):
    title = StringProperty("Reminders")
    promise = StringProperty(
        "Coming soon: reminders on your recovery days, for you and for the person who drives you."
    )


class LearnScreen(ComingSoonScreen):
    title = StringProperty("Learn")
    promise = StringProperty(
        "Coming soon: plain-language articles about the test block, the nerve treatment and recovery."
    )


class SettingsScreen(ComingSoonScreen):
    title = StringProperty("Settings")
    promise = StringProperty(
        "Coming soon: your clinic's details and instructions, larger text and higher contrast."
    )


load_kv_beside(__file__)
