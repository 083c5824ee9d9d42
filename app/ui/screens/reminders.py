"""Reminders: what is waiting now, what is coming, what happened, the patient's own reminders,
their helpers, a calendar file for a phone, and how reminders behave at night.

Large tab buttons at the top switch between seven sections; only the chosen section is in the
window (so the others take no touches, no keyboard focus and no drawing). Each section reads
`services.reminders` (a `ReminderService`) afresh when it is chosen, and the visible one is read
again every few seconds while the screen is shown, rebuilt only when what it shows has changed.

The App starts `services.reminders` a moment after the first frame; until then the screen says
it is starting and tries again shortly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout

from app.domain.checklists import ride_home
from app.domain.dates import clock_time, date_label, day_label, local_date
from app.domain.plan import next_procedure
from app.domain.reminders import (
    SNOOZE_CHOICES,
    SNOOZE_LABELS,
    ReminderInputError,
    ReminderRecord,
    own_reminder_when,
    snooze_until,
)
from app.i18n import N_, _, ngettext
from app.services import autostart
from app.services.calendar_export import export_calendar
from app.store.files import DIARY_FOLDER, DestinationRefused
from app.ui.kv import load_kv_beside
from app.ui.measure import text_height, text_width
from app.ui.screens.base import AppScreen
from app.ui.widgets.choice_row import ChoiceRow, room_for_words  # noqa: F401  (ChoiceRow: .kv)
from app.ui.widgets.controls import FieldError
from app.ui.widgets.folder_picker import FolderPicker  # noqa: F401  (used in reminders.kv)
from app.ui.widgets.read_aloud import ReadAloud  # noqa: F401  (used in reminders.kv)

SECTIONS = ("now", "coming", "history", "own", "helpers", "calendar", "settings")
TAB_COLUMNS = (7, 4)  # tabs in a row where they fit: one or two even rows
COMING_DAYS = 14
INBOX_SHOWN = 100  # the Now section's cards at most, newest first
REFRESH_SECONDS = 5  # how often the visible section looks for news while the screen is shown
STARTING_RETRY_SECONDS = 0.5
UNDO_SECONDS = 15
MINUTES_PER_DAY = 24 * 60
OWN_DAYS_AHEAD = 730  # an own reminder's date can be up to two years ahead
CALENDAR_FILES = {
    "patient": "facet-companion-reminders.ics",
    "caregiver": "facet-companion-for-my-helper.ics",
}
HISTORY_WORDS = {
    "claimed": N_("Shown"),
    "delivered": N_("Shown"),
    "snoozed": N_("Snoozed"),
    "done": N_("Done"),
    "dismissed": N_("Dismissed"),
    "missed": N_("Missed"),
}


# --- words -----------------------------------------------------------------------------------

def hhmm(minutes: float) -> str:
    """Minutes after midnight as a clock time: 1260 -> "21:00"."""
    minutes = int(minutes) % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(at: time) -> int:
    return at.hour * 60 + at.minute


def held_note(occurrence, now: datetime, zone: str) -> str:
    """Why a reminder comes later than planned: quiet hours held it back."""
    if not occurrence.held:
        return ""
    planned = clock_time(occurrence.due, zone)
    if local_date(occurrence.due, zone) != local_date(occurrence.deliver_at, zone):
        planned = date_label(occurrence.due, now, zone, in_sentence=True)
    return _("Planned for {planned}, held until {time} (quiet hours)").format(
        planned=planned, time=clock_time(occurrence.deliver_at, zone))


def history_words(record: ReminderRecord, now: datetime, zone: str) -> str:
    """What happened to a reminder, in plain words with its time."""
    state = record.state
    if state in ("claimed", "delivered"):
        shown = record.delivered_at or record.occurrence.deliver_at
        return _("Shown {when}").format(when=date_label(shown, now, zone, in_sentence=True))
    if state == "snoozed" and record.snoozed_until is not None:
        return _("Snoozed until {when}").format(
            when=date_label(record.snoozed_until, now, zone, in_sentence=True))
    if state == "done" and record.done_at is not None:
        return _("Done {when}").format(
            when=date_label(record.done_at, now, zone, in_sentence=True))
    if state == "dismissed" and record.dismissed_at is not None:
        return _("Dismissed {when}").format(
            when=date_label(record.dismissed_at, now, zone, in_sentence=True))
    if state == "missed":
        return _("Missed: the app was not running then")
    return _(HISTORY_WORDS[state]) if state in HISTORY_WORDS else state


def inbox_words(record: ReminderRecord, now: datetime, zone: str) -> str:
    """When a reminder in the inbox came, or when it comes back."""
    occurrence = record.occurrence
    if record.state == "snoozed" and record.snoozed_until is not None:
        back = date_label(record.snoozed_until, now, zone, in_sentence=True)
        return _("Snoozed: it comes back {when}").format(when=back)
    if record.state == "missed":
        return _("Missed while the app was closed. It was due {when}.").format(
            when=date_label(occurrence.deliver_at, now, zone, in_sentence=True))
    came = record.delivered_at or occurrence.deliver_at
    return _("Came {when}").format(when=date_label(came, now, zone, in_sentence=True))


# --- the screen ------------------------------------------------------------------------------

class RemindersScreen(AppScreen):
    section = StringProperty("")
    tabs_in_grid = BooleanProperty(True)  # False: one row of tabs that scrolls sideways
    inbox_count = NumericProperty(0)
    starting = BooleanProperty(False)
    initial_focus = StringProperty("tab_now")

    def __init__(self, **kwargs):
        self._poll = None
        self._wanted: str | None = None
        self._measure_tabs = Clock.create_trigger(self._fit_tabs)
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        # Sections not on show are out of the window; this keeps them (and what was typed).
        # Each is built when first chosen: building all seven was most of the first visit.
        self.sections = SectionsBuiltOnUse(self)
        for name in SECTIONS:
            self.ids[f"tab_{name}"].bind(texture_size=self._measure_tabs)
        self.ids.tab_scroll.bind(width=self._measure_tabs)

    @property
    def unsaved_message(self) -> str:
        return _("What you typed for a new reminder or helper has not been saved.")

    @property
    def reminders(self):
        return getattr(self.services, "reminders", None)

    def open(self, section: str | None = None, **_context) -> None:
        if self.reminders is None:
            self.starting = True
            self._wanted = section
            Clock.schedule_once(lambda _dt: self._retry_open(), STARTING_RETRY_SECONDS)
            return
        self.starting = False
        if section not in SECTIONS:
            section = self.section or ("now" if self.reminders.states.inbox_count() else "coming")
        self.show_section(section)

    def _retry_open(self) -> None:
        if self.manager is not None and self.manager.current_screen is self and self.starting:
            self.open(section=self._wanted)

    def show_section(self, name: str) -> None:
        self.section = name
        self.initial_focus = f"tab_{name}"
        host = self.ids.host
        chosen = self.sections[name]
        if chosen.parent is not host:
            host.clear_widgets()
            host.add_widget(chosen)
        chosen.refresh(force=True)
        chosen.to_top()
        self._count_inbox()
        self._tab_in_sight()

    def refresh(self) -> None:
        """Look for news: the inbox count, and the visible section if what it shows changed."""
        if self.get_root_window() is None:  # the app has stopped (on_leave never came)
            self.on_leave()
            return
        if self.reminders is None or not self.section:
            return
        self._count_inbox()
        self.sections[self.section].refresh(force=False)

    def _count_inbox(self) -> None:
        # As many as the Now section shows: the newest INBOX_SHOWN.
        self.inbox_count = min(self.reminders.states.inbox_count(), INBOX_SHOWN)

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        if self._poll is None:
            self._poll = Clock.schedule_interval(lambda _dt: self.refresh(), REFRESH_SECONDS)

    def on_leave(self, *_args) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None

    def _forms(self):
        """The forms built so far (one never shown holds nothing typed)."""
        return tuple(self.sections[name] for name in ("own", "helpers") if name in self.sections)

    def has_unsaved_input(self) -> bool:
        return any(form.has_input() for form in self._forms())

    def forget_unsaved_input(self) -> None:
        for form in self._forms():
            form.clear_form()

    def _fit_tabs(self, *_args) -> None:
        """The tabs in 7 or 4 columns where each fits its longest word whole; else (large
        text, long words) in one row as wide as their words, scrolling sideways. Every tab as
        tall as the tallest label needs, so a row of tabs lines up."""
        tabs = self.ids.tabs
        buttons = [self.ids[f"tab_{name}"] for name in SECTIONS]
        needed = max(room_for_words(button) for button in buttons)
        room = self.ids.tab_scroll.width - tabs.padding[0] - tabs.padding[2]
        fitting = int((room + tabs.spacing[0]) // (needed + tabs.spacing[0]))
        columns = next((cols for cols in TAB_COLUMNS if cols <= fitting), None)
        self.tabs_in_grid = columns is not None
        tabs.cols = columns or len(SECTIONS)
        for button in buttons:
            button.wrap = self.tabs_in_grid
            button.size_hint_x = 1 if self.tabs_in_grid else None
            if not self.tabs_in_grid:
                button.width = (text_width(button.text, button.font_size, button.bold)
                                + 2 * button.padding[0] + dp(8))
        tallest = max(button.texture_size[1] for button in buttons)
        tabs.row_default_height = max(App.get_running_app().theme.touch, tallest + dp(20))
        self._tab_in_sight()

    def _tab_in_sight(self) -> None:
        """The chosen tab scrolled into the sideways row."""
        if not self.tabs_in_grid and self.section:
            self.ids.tab_scroll.scroll_to(self.ids[f"tab_{self.section}"], padding=dp(48),
                                          animate=False)


class SectionsBuiltOnUse(dict):
    """The screen's sections by name; `sections[name]` builds that section the first time."""

    def __init__(self, screen: RemindersScreen) -> None:
        super().__init__()
        self.screen = screen

    def __missing__(self, name: str) -> Section:
        classes = {
            "now": NowSection, "coming": ComingUpSection, "history": HistorySection,
            "own": OwnSection, "helpers": HelpersSection, "calendar": CalendarSection,
            "settings": ReminderSettingsSection,
        }
        section = self[name] = classes[name](screen=self.screen)
        return section


class Section(BoxLayout):
    """One part of the Reminders screen."""

    screen = ObjectProperty(None)

    @property
    def reminders(self):
        return self.screen.reminders

    @property
    def clock(self):
        return self.screen.services.clock

    def now_and_zone(self) -> tuple[datetime, str]:
        return self.clock.now(), self.clock.zone()

    def refresh(self, force: bool = True) -> None:
        """Show what is stored; unless `force`, only when it changed since last shown."""

    def to_top(self) -> None:
        if "scroll" in self.ids:
            self.ids.scroll.scroll_y = 1

    def banner(self, message: str, **kwargs) -> None:
        self.screen.show_banner(message, **kwargs)

    def after_change(self) -> None:
        self.refresh(force=True)
        self.screen._count_inbox()


def show_errors(section: BoxLayout, errors: dict[str, str], fields: tuple[str, ...]) -> None:
    """Each problem at its field (ids `<field>_error`), and the first one scrolled into view."""
    for field in fields:
        section.ids[f"{field}_error"].text = errors.get(field, "")
    if errors:
        Clock.schedule_once(lambda _dt: _scroll_to_first_error(section))


def _scroll_to_first_error(section: BoxLayout) -> None:
    marked = [w for w in section.walk(restrict=True) if isinstance(w, FieldError) and w.text]
    if marked and "scroll" in section.ids:
        section.ids.scroll.scroll_to(marked[0], padding=dp(200), animate=False)


class FormSection(Section):
    """A list of saved things with an add form below: errors at their fields, deleting undoable."""

    FIELDS: tuple[str, ...] = ()

    def save_with(self, add, raw: dict[str, Any], saved_words) -> None:
        """Save through `add(raw)`; on a problem keep everything typed and mark the fields."""
        try:
            saved = add(raw)
        except ReminderInputError as problem:
            show_errors(self, problem.errors, self.FIELDS)
            self.banner(_("Please check the fields marked in red. Nothing was lost."))
            return
        self.clear_form()
        self.refresh()
        self.to_top()
        self.banner(saved_words(saved))

    def remove_with_undo(self, remove, restore, item_id: int, gone: str, back: str) -> None:
        remove(item_id)
        self.refresh()

        def undo() -> None:
            restore(item_id)
            self.refresh()
            self.banner(back)

        self.banner(gone, seconds=UNDO_SECONDS, action_text=_("Undo"), action=undo)

    def has_input(self) -> bool:
        """Whether anything is typed in the form and not saved."""
        return False

    def clear_form(self) -> None:
        show_errors(self, {}, self.FIELDS)


# --- now: the inbox --------------------------------------------------------------------------

class InboxCard(BoxLayout):
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
        signature = (local_date(now, zone),
                     tuple((r.id, r.state, r.round, r.snoozed_until) for r in records))
        if not force and signature == self._shown:
            return
        self._shown = signature
        settings = self.reminders.settings_store.reminder_settings()
        cards = self.ids.cards
        cards.clear_widgets()
        for record in records:
            occurrence = record.occurrence
            tomorrow = snooze_until("tomorrow", now, zone, settings,
                                    quiet_hours_apply=occurrence.quiet_hours_apply)
            labels = {choice: _(SNOOZE_LABELS[choice]) for choice in SNOOZE_CHOICES}
            labels["tomorrow"] = _("Tomorrow at {time}").format(time=clock_time(tomorrow, zone))
            cards.add_widget(InboxCard(
                record=record, section=self, title=occurrence.title, text=occurrence.text,
                when_text=inbox_words(record, now, zone), snooze_labels=labels,
                fresh=record.state in ("claimed", "delivered"),
            ))
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


# --- coming up -------------------------------------------------------------------------------

class DayCard(BoxLayout):
    title = StringProperty("")


class ComingRow(BoxLayout):
    time_text = StringProperty("")
    title = StringProperty("")
    text = StringProperty("")
    note = StringProperty("")


class ComingUpSection(Section):
    empty = BooleanProperty(True)
    quiet_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._shown: Any = None

    def refresh(self, force: bool = True) -> None:
        now, zone = self.now_and_zone()
        settings = self.reminders.settings_store.reminder_settings()
        upcoming = self.reminders.upcoming(now, days=COMING_DAYS)
        today = local_date(now, zone)
        if settings.quiet_hours:
            self.quiet_text = _(
                "Quiet hours are {start} to {end}: reminders then wait until they end, "
                "except the timed block diary prompts."
            ).format(start=f"{settings.quiet_start:%H:%M}", end=f"{settings.quiet_end:%H:%M}")
        else:
            self.quiet_text = _("Quiet hours are off: every reminder comes at its own time.")
        # Everything the rows show; the rows are built again only when it changed, even when
        # forced (each open), since building them is the section's cost.
        signature = (today, zone, tuple((o.id, o.deliver_at, o.due, o.held, o.title, o.text)
                                        for o in upcoming))
        if signature == self._shown:
            return
        self._shown = signature
        days = self.ids.days
        days.clear_widgets()
        card = None
        for occurrence in upcoming:
            day = local_date(occurrence.deliver_at, zone)
            if card is None or card.day != day:
                card = DayCard(title=day_label(day, today))
                card.day = day
                days.add_widget(card)
            card.ids.rows.add_widget(ComingRow(
                time_text=clock_time(occurrence.deliver_at, zone), title=occurrence.title,
                text=occurrence.text, note=held_note(occurrence, now, zone),
            ))
        self.empty = not upcoming


# --- history ---------------------------------------------------------------------------------

class HistoryRow(BoxLayout):
    time_text = StringProperty("")
    time_width = NumericProperty(0)
    line = StringProperty("")
    state_text = StringProperty("")
    state = StringProperty("")


class HistoryDayRow(BoxLayout):
    text = StringProperty("")


# HistoryRow's and HistoryDayRow's padding and spacing (reminders.kv), to measure their heights.
HISTORY_ROW_PADDING = (16, 8)
HISTORY_DAY_PADDING = (8, 12)
WIDEST_TIME = "00:00"


class HistorySection(Section):
    def __init__(self, **kwargs):
        self._shown: Any = None
        self._measure_again = Clock.create_trigger(lambda _dt: self.refresh(force=False))
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        # Rows wrap at the list's width: a new width (a turned tablet) measures them again.
        self.ids.history.bind(width=self._measure_again)

    def refresh(self, force: bool = True) -> None:
        now, zone = self.now_and_zone()
        records = self.reminders.states.history()
        today = local_date(now, zone)
        theme = App.get_running_app().theme
        width = self.ids.history.width
        signature = (today, theme.font_body, width,
                     tuple((r.id, r.state, r.round, r.snoozed_until) for r in records))
        if not force and signature == self._shown:
            return
        self._shown = signature
        rows: list[dict] = []
        current = None
        for record in records:
            occurrence = record.occurrence
            day = local_date(occurrence.deliver_at, zone)
            if day != current:
                current = day
                rows.append(self._day_row(day_label(day, today), width, theme))
            rows.append(self._row(record, now, zone, width, theme))
        if not rows:
            rows.append(self._day_row(_("Nothing yet. Reminders appear here once they come."),
                                      width, theme))
        self.ids.history.data = rows

    @staticmethod
    def _day_row(text: str, width: float, theme) -> dict:
        across, down = (dp(n) for n in HISTORY_DAY_PADDING)
        return {"viewclass": "HistoryDayRow", "text": text,
                "height": text_height(text, theme.font_large, width - 2 * across, bold=True)
                + 2 * down}

    @staticmethod
    def _row(record: ReminderRecord, now: datetime, zone: str, width: float, theme) -> dict:
        occurrence = record.occurrence
        time_text = clock_time(occurrence.deliver_at, zone)
        line = _("{title}: {text}").format(title=occurrence.title, text=occurrence.text)
        state_text = history_words(record, now, zone)
        across, down = (dp(n) for n in HISTORY_ROW_PADDING)
        # As wide as the widest time, so the words of every row start in one column.
        time_width = max(text_width(text, theme.font_large, bold=True)
                         for text in (time_text, WIDEST_TIME))
        words_width = width - 2 * across - time_width - theme.spacing
        height = (text_height(line, theme.font_body, words_width)
                  + text_height(state_text, theme.font_body, words_width, bold=True))
        return {"viewclass": "HistoryRow", "time_text": time_text, "time_width": time_width,
                "line": line, "state_text": state_text, "state": record.state,
                "height": max(theme.touch, height + 2 * down)}

    def to_top(self) -> None:
        self.ids.history.scroll_y = 1


# --- the patient's own reminders -------------------------------------------------------------

class OwnRow(BoxLayout):
    reminder_id = NumericProperty(0)
    label = StringProperty("")
    text = StringProperty("")
    for_helper = BooleanProperty(False)
    section = ObjectProperty(None)


class OwnSection(FormSection):
    FIELDS = ("text", "at", "on", "audience")

    daily = BooleanProperty(True)
    day_offset = NumericProperty(1)
    hour = NumericProperty(9)
    minute = NumericProperty(0)
    audience = StringProperty("patient")
    empty = BooleanProperty(True)
    day_words = ObjectProperty(None)  # the day stepper's words; replaced when "today" moves on

    def __init__(self, **kwargs):
        self._today = date.today()
        self.day_words = self._describe_day
        super().__init__(**kwargs)

    def refresh(self, force: bool = True) -> None:
        if not force:
            return
        now, zone = self.now_and_zone()
        today = local_date(now, zone)
        if today != self._today:
            self._today = today
            self.day_words = lambda offset: self._describe_day(offset)  # a new one: re-read
        rows = self.ids.rows
        rows.clear_widgets()
        own = self.reminders.own.all()
        for reminder in own:
            rows.add_widget(OwnRow(reminder_id=reminder.id, text=reminder.text, section=self,
                                   label=own_reminder_when(reminder, today),
                                   for_helper=reminder.audience == "caregiver"))
        self.empty = not own

    def _describe_day(self, offset: float) -> str:
        return day_label(self._today + timedelta(days=int(offset)), self._today)

    def raw(self) -> dict[str, Any]:
        day = self._today + timedelta(days=int(self.day_offset))
        return {
            "text": self.ids.text.text,
            "at": f"{int(self.hour):02d}:{int(self.minute):02d}",
            "on": "" if self.daily else day.isoformat(),
            "audience": self.audience,
        }

    def save(self) -> None:
        self.save_with(self.reminders.add_own_reminder, self.raw(),
                       lambda reminder: _("Reminder saved: {reminder}.").format(
                           reminder=own_reminder_when(reminder, self._today)))

    def has_input(self) -> bool:
        return bool(self.ids.text.text.strip())

    def clear_form(self) -> None:
        self.ids.text.text = ""
        self.daily, self.day_offset, self.hour, self.minute = True, 1, 9, 0
        self.audience = "patient"
        super().clear_form()

    def delete(self, reminder_id: int) -> None:
        own = self.reminders.own
        self.remove_with_undo(lambda item: own.delete(item, now=self.clock.now()), own.restore,
                              reminder_id, _("Reminder deleted."), _("Reminder restored."))


# --- helpers ---------------------------------------------------------------------------------

class HelperRow(BoxLayout):
    helper_id = NumericProperty(0)
    name = StringProperty("")
    detail = StringProperty("")
    section = ObjectProperty(None)


class HelpersSection(FormSection):
    FIELDS = ("name", "phone", "relation")
    DRIVER_RELATION = N_("Drives you home")
    empty = BooleanProperty(True)
    driver_offer = StringProperty("")  # "Add <name> as your helper?" while the driver is not one

    def refresh(self, force: bool = True) -> None:
        if not force:
            return
        rows = self.ids.rows
        rows.clear_widgets()
        helpers = self.reminders.helpers.all()
        for helper in helpers:
            detail = ", ".join(part for part in (helper.relation, helper.phone) if part)
            rows.add_widget(HelperRow(helper_id=helper.id, name=helper.name, detail=detail,
                                      section=self))
        self.empty = not helpers
        self._driver = self._driver_not_yet_helper(helpers)
        self.driver_offer = (_("Add {name} as your helper?").format(name=self._driver.name)
                             if self._driver else "")

    def _driver_not_yet_helper(self, helpers):
        """The driver the patient already named (in the guide or on the checklist), when no
        helper has that name: offered, so the patient is not asked for them a third time."""
        plan = self.screen.services.plan
        upcoming = next_procedure(plan.procedures(cycle=plan.current_cycle()), self.clock.now())
        driver = ride_home(plan.driver(), plan.marks(upcoming.id) if upcoming else {})
        names = {helper.name.casefold() for helper in helpers}
        return driver if driver is not None and driver.name.casefold() not in names else None

    def add_driver(self) -> None:
        """Save the driver as a helper; a missing phone number is asked for at its field,
        with the name already filled in."""
        driver = self._driver
        self.ids.name.text, self.ids.phone.text = driver.name, driver.phone
        self.ids.relation.text = _(self.DRIVER_RELATION)
        self.save()

    def save(self) -> None:
        raw = {field: self.ids[field].text for field in self.FIELDS}
        self.save_with(self.reminders.add_caregiver, raw,
                       lambda helper: _("Helper saved: {name}.").format(name=helper.name))

    def has_input(self) -> bool:
        return any(self.ids[field].text.strip() for field in self.FIELDS)

    def clear_form(self) -> None:
        for field in self.FIELDS:
            self.ids[field].text = ""
        super().clear_form()

    def remove(self, helper_id: int, name: str) -> None:
        helpers = self.reminders.helpers
        self.remove_with_undo(lambda item: helpers.remove(item, now=self.clock.now()),
                              helpers.restore, helper_id,
                              _("{name} removed.").format(name=name),
                              _("{name} is back in your helpers.").format(name=name))


# --- the calendar file -----------------------------------------------------------------------

class CalendarSection(Section):
    audience = StringProperty("patient")
    result = StringProperty("")
    error = StringProperty("")

    def choose(self, audience: str) -> None:
        self.audience = audience
        self.result = self.error = ""

    def save(self) -> None:
        folder = self.ids.chooser.chosen_folder()
        self.result = ""
        if folder is None:
            return  # the typed folder's problem is said at its field
        # Saved again, it keeps the earlier file and takes the next free name, as a report does
        # (see app/services/report_writer.py): the events keep their UIDs, so importing the
        # newer file updates the calendar all the same.
        try:
            export = export_calendar(self.reminders, self.audience,
                                     Path(folder) / CALENDAR_FILES[self.audience],
                                     if_exists="new_name")
        except DestinationRefused:
            self.error = _(DIARY_FOLDER)
            return
        except OSError as problem:
            reason = problem.strerror or str(problem)
            self.error = _("The file could not be saved in this folder ({reason}). "
                           "Choose another folder, such as Documents, and try again.").format(
                               reason=reason)
            return
        self.error = ""
        out = export.path
        words = [
            _("Saved “{file}” in {folder}.").format(file=out.name, folder=out.parent),
            ngettext("It holds {count} event.", "It holds {count} events.",
                     export.events).format(count=export.events),
            ngettext("{count} of them has an alarm.", "{count} of them have an alarm.",
                     export.alarms).format(count=export.alarms),
        ]
        if export.cancelled:
            words.append(ngettext("{count} event that no longer applies is marked as cancelled.",
                                  "{count} events that no longer apply are marked as cancelled.",
                                  export.cancelled).format(count=export.cancelled))
        self.result = " ".join(words)
        self.banner(_("Calendar file saved."))


# --- how reminders behave --------------------------------------------------------------------

class ReminderSettingsSection(Section):
    SETTING_FIELDS = ("quiet_hours", "quiet_start", "quiet_end", "block_prompts_silenced",
                      "read_aloud", "caregiver_here", "diary_at")

    quiet_hours = BooleanProperty(True)
    quiet_start = NumericProperty(21 * 60)
    quiet_end = NumericProperty(8 * 60)
    block_prompts_silenced = BooleanProperty(False)
    read_aloud = BooleanProperty(False)
    caregiver_here = BooleanProperty(True)
    diary_at = NumericProperty(19 * 60)
    autostart_supported = BooleanProperty(True)
    autostart_on = BooleanProperty(False)
    agent_text = StringProperty("")
    autostart_error = StringProperty("")

    describe_time = staticmethod(hhmm)

    def __init__(self, **kwargs):
        self._filling = False
        self._save_soon = Clock.create_trigger(self._save)
        super().__init__(**kwargs)
        self.bind(**{field: self._changed for field in self.SETTING_FIELDS})

    def refresh(self, force: bool = True) -> None:
        if force:
            self._fill()
        self._show_agent()

    def _fill(self) -> None:
        settings = self.reminders.settings_store.reminder_settings()
        self._filling = True
        try:
            self.quiet_hours = settings.quiet_hours
            self.quiet_start = minutes_of(settings.quiet_start)
            self.quiet_end = minutes_of(settings.quiet_end)
            self.block_prompts_silenced = settings.block_prompts_silenced
            self.read_aloud = settings.read_aloud
            self.caregiver_here = settings.caregiver_here
            self.diary_at = minutes_of(settings.diary_at)
        finally:
            self._filling = False
        show_errors(self, {}, self.SETTING_FIELDS)
        self.autostart_supported = autostart.supported()
        self.autostart_on = autostart.is_enabled()

    def _changed(self, *_args) -> None:
        if not self._filling:
            self._save_soon()

    def _save(self, *_args) -> None:
        raw = {
            "quiet_hours": self.quiet_hours,
            "quiet_start": hhmm(self.quiet_start),
            "quiet_end": hhmm(self.quiet_end),
            "block_prompts_silenced": self.block_prompts_silenced,
            "read_aloud": self.read_aloud,
            "caregiver_here": self.caregiver_here,
            "diary_at": hhmm(self.diary_at),
        }
        try:
            self.reminders.save_settings(raw)
        except ReminderInputError as problem:
            show_errors(self, problem.errors, self.SETTING_FIELDS)
            return
        show_errors(self, {}, self.SETTING_FIELDS)

    def set_autostart(self, on: bool) -> None:
        try:
            if on:
                autostart.enable(App.get_running_app().data_dir)
            else:
                autostart.disable()
        except OSError as problem:
            self.autostart_error = _("That could not be changed ({reason}). "
                                     "Nothing else was affected.").format(
                                         reason=problem.strerror or problem)
        else:
            self.autostart_error = ""
        self.autostart_on = autostart.is_enabled()
        self._show_agent()

    def _show_agent(self) -> None:
        last = self.reminders.heartbeats.last_seen("agent")
        now, zone = self.now_and_zone()
        if last is not None:
            last_ran = date_label(last, now, zone, in_sentence=True)
            self.agent_text = _("The background reminders last ran {when}.").format(
                when=last_ran)
        elif self.autostart_on:
            self.agent_text = _("The background reminders have not run yet. They start the "
                                "next time you log in to this computer.")
        else:
            self.agent_text = _("The background reminders have not run on this device yet.")


load_kv_beside(__file__)
