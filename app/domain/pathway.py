"""Pathways as data: what happens before, on and after each procedure, read from TOML files.

A pathway file (data/pathways/<region>.toml, or a clinic's own file) holds the steps the patient
walks through, the checklist items those steps show, the reminder rules, the timed diary after a
block and the outcome check-in weeks. `parse_pathway` checks every key and raises `PathwayError`
naming the file, the key and what is wrong; it never lets another exception out, whatever the data.
This module reads no files: app/services/pathways.py reads the built-in and the clinic's files
and hands their bytes to `parse_pathway_bytes`.

Times: an `Offset` with `at` is a local time of day on a day counted from the procedure's local
date ("7 days before, 09:00" stays 09:00 on both sides of a daylight-saving change); without `at`
it is a fixed span from the procedure's instant ("2 hours after").

Texts in another language: a second file holds only the patient-facing words of a pathway, keyed
by the ids of the English file (`data/pathways/es/lumbar.toml`):

    format = 1
    pathway = "lumbar"
    title = "..."
    description = "..."
    [steps.<step id>]         title = "..." and text = "..."
    [checklist.<item id>]     text = "..."
    [reminders.<reminder id>] text = "..."

`translate_pathway` puts them into a parsed `Pathway`. Offsets, procedures, checklists and every
other number stay in the English file alone, so a translation can never move a date. A text a
translation leaves out stays in English.

A step's text may name the clinic's numbers with the Learn articles' placeholders,
`{emergency_number}` and `{clinic_phone}`; the screen fills them with
`app.domain.learn.fill_placeholders`, so a step says "call 911" where the clinic set 911.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from app.domain.clinic import PROCEDURE_KINDS, STEP_SETTINGS
from app.domain.diary import SIDES as _DIARY_SIDES
from app.domain.diary import _encodable
from app.domain.learn import ENGLISH, PLACEHOLDERS
from app.i18n import N_, _, ngettext

__all__ = [
    "PROCEDURE_KINDS",
    "REGIONS",
    "SIDES",
    "PHASES",
    "Offset",
    "Step",
    "ChecklistItem",
    "ReminderRule",
    "BlockDiarySchedule",
    "Pathway",
    "PathwayError",
    "parse_pathway",
    "parse_pathway_text",
    "parse_pathway_bytes",
    "translate_pathway",
]

FORMAT = 1
REGIONS = ("lumbar", "cervical")
SIDES = tuple(_DIARY_SIDES)  # left, right, both
BLOCK_KINDS = ("test-block", "confirm-block")
ANAESTHETICS = ("lidocaine", "bupivacaine")
PHASES = ("before", "day", "after", "followup")
CHECKLIST_KINDS = ("tick", "text", "phone", "time")
AUDIENCES = ("patient", "caregiver")
CHECKLIST_GROUPS = (
    "ride",
    "medicines",
    "fasting",
    "pain-medicine",
    "diary",
    "tell-clinic",
    "bring",
    "home-help",
    "time-off",
)
CONDITIONS = ("sedation",)  # only_if: shown only when the clinic uses sedation
LEARN_ARTICLES = (
    "how-it-works",
    "why-test-block-first",
    "day-of-block",
    "day-of-rfa",
    "recovery",
    "how-long-relief-lasts",
    "evidence",
    "common-questions",
    "when-to-call",
)
# Shown through _(): the patient's language at the moment they are shown.
PROCEDURE_LABELS = {
    "test-block": N_("Test block"),
    "confirm-block": N_("Confirming block"),
    "rfa": N_("Radiofrequency ablation (RFA)"),
}
REGION_LABELS = {"lumbar": N_("Lower back"), "cervical": N_("Neck")}

FILE_KEY = "(file)"
MAX_FILE_BYTES = 1_000_000
OFFSET_DAYS = (-120, 800)
OFFSET_HOURS_MAX = 72
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
HHMM_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
TITLE_MAX_CHARS = 80
STEP_TEXT_MAX_CHARS = 3000
SHORT_TEXT_MAX_CHARS = 300

TOP_KEYS = (
    "format",
    "id",
    "region",
    "title",
    "description",
    "outcome_weeks",
    "block_diary",
    "checklist",
    "steps",
    "reminders",
)
STEP_KEYS = (
    "id",
    "procedures",
    "phase",
    "offset",
    "title",
    "text",
    "checklist",
    "learn",
    "clinic_setting",
    "only_if",
)
ITEM_KEYS = (
    "id",
    "procedures",
    "kind",
    "text",
    "audience",
    "required",
    "group",
    "only_if",
    "clinic_setting",
)
REMINDER_KEYS = ("id", "procedures", "offset", "audience", "text", "repeat_monthly_until_days")
OFFSET_KEYS = ("days", "hours", "at")
BLOCK_DIARY_KEYS = ("prompt_minutes", "daily_days")
TRANSLATION_KEYS = ("format", "pathway", "title", "description", "steps", "checklist", "reminders")


@dataclass(frozen=True)
class Offset:
    """When something happens, counted from a procedure.

    `days` counts from the procedure's local date. With `at` (a local time of day) the moment is
    that time on that day in the patient's zone; without it, it is `days` x 24 h + `hours` from the
    procedure's instant.
    """

    days: int = 0
    hours: float = 0
    at: time | None = None

    def due(self, anchor: datetime, zone: str) -> datetime:
        """The UTC instant this offset names for a procedure at `anchor` (aware) in `zone`.

        A local time that does not exist (the hour skipped when clocks go forward) comes out
        shifted forward by the gap; one that happens twice is its first occurrence.
        """
        if self.at is None:
            moved = anchor + timedelta(days=self.days, hours=self.hours)
            return moved.astimezone(UTC)
        tz = ZoneInfo(zone)
        day = anchor.astimezone(tz).date() + timedelta(days=self.days)
        return datetime.combine(day, self.at, tzinfo=tz).astimezone(UTC)

    @property
    def total_hours(self) -> float:
        return self.days * 24 + self.hours

    @property
    def label(self) -> str:
        """Plain words: "2 weeks before, 09:00", "The day itself, 07:00", "3 hours after"."""
        if self.at is None and self.days == 0:
            if self.hours == 0:
                return _("At the appointment")
            hours = abs(self.hours)
            if hours < 1:
                minutes = round(hours * 60)
                amount = ngettext("{count} minute", "{count} minutes", minutes).format(
                    count=minutes
                )
            else:
                amount = ngettext("{count} hour", "{count} hours", 2 if hours != 1 else 1).format(
                    count=f"{hours:g}"
                )
            before = self.hours < 0
        elif self.days == 0:
            return self._with_time(_("The day itself"))
        elif self.days == -1:
            return self._with_time(_("The day before"))
        elif self.days == 1:
            return self._with_time(_("The day after"))
        else:
            amount, before = _span_words(abs(self.days)), self.days < 0
        words = (_("{amount} before") if before else _("{amount} after")).format(amount=amount)
        return self._with_time(words[0].upper() + words[1:])

    def _with_time(self, words: str) -> str:
        if self.at is not None:
            return _("{when}, {time}").format(when=words, time=f"{self.at:%H:%M}")
        return words


def _span_words(days: int) -> str:
    if days >= 360 and days % 365 in (0, 1, 364):
        years = round(days / 365)
        return ngettext("{count} year", "{count} years", years).format(count=years)
    if days >= 56:
        return _("about {count} months").format(count=round(days / 30.44))
    if days >= 7 and days % 7 == 0:
        weeks = days // 7
        return ngettext("{count} week", "{count} weeks", weeks).format(count=weeks)
    return ngettext("{count} day", "{count} days", days).format(count=days)


@dataclass(frozen=True)
class Step:
    id: str
    procedures: tuple[str, ...]
    phase: str  # before | day | after | followup
    offset: Offset
    title: str
    text: str
    checklist: tuple[str, ...] = ()  # checklist item ids shown in this step
    learn: tuple[str, ...] = ()  # Learn article ids
    clinic_setting: str | None = None  # a ClinicSettings field whose text this step shows
    only_if: str | None = None  # "sedation": shown only when the clinic uses sedation


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    procedures: tuple[str, ...]
    kind: str  # tick | text | phone | time
    text: str
    audience: str  # patient | caregiver
    required: bool
    group: str  # one of CHECKLIST_GROUPS
    only_if: str | None = None  # "sedation": shown only when the clinic uses sedation
    clinic_setting: str | None = None  # a ClinicSettings field whose text shows under the item


@dataclass(frozen=True)
class ReminderRule:
    id: str
    procedures: tuple[str, ...]
    offset: Offset
    audience: str  # patient | caregiver
    text: str
    repeat_monthly_until_days: int | None = None


@dataclass(frozen=True)
class BlockDiarySchedule:
    """After a block: a prompt at each of `prompt_minutes`, then once a day for `daily_days`."""

    prompt_minutes: tuple[int, ...]
    daily_days: int


DEFAULT_BLOCK_DIARY = BlockDiarySchedule(
    prompt_minutes=(15, 30, 45, 60, 120, 180, 240, 300, 360, 420, 480), daily_days=14
)
DEFAULT_OUTCOME_WEEKS = (2, 4, 12, 26, 52)


@dataclass(frozen=True)
class Pathway:
    id: str
    region: str
    title: str
    source: str
    steps: tuple[Step, ...]
    checklist: tuple[ChecklistItem, ...]
    reminders: tuple[ReminderRule, ...]
    block_diary: BlockDiarySchedule
    outcome_weeks: tuple[int, ...]
    description: str = ""
    language: str = ENGLISH  # what the texts are in (a clinic's own file counts as written)

    def steps_for(self, kind: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if kind in step.procedures)

    def checklist_for(
        self, kind: str, *, sedation: bool | None = None, audience: str | None = None
    ) -> tuple[ChecklistItem, ...]:
        """Items for one procedure; `sedation=False` drops the sedation-only ones."""
        return tuple(
            item
            for item in self.checklist
            if kind in item.procedures
            and (sedation is None or sedation or item.only_if != "sedation")
            and (audience is None or item.audience == audience)
        )

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((item for item in self.checklist if item.id == item_id), None)

    def reminders_for(self, kind: str) -> tuple[ReminderRule, ...]:
        return tuple(rule for rule in self.reminders if kind in rule.procedures)


class PathwayError(ValueError):
    """A pathway file that cannot be used: which file, which key, and what is wrong."""

    def __init__(self, source: str, key: str, message: str) -> None:
        super().__init__(f"{source}: {key}: {message}")
        self.source = source
        self.key = key
        self.message = message


# --- reading -------------------------------------------------------------------------------


def parse_pathway_bytes(raw: bytes, source: str) -> Pathway:
    """Check the bytes of one TOML file (at most `MAX_FILE_BYTES`; a reader passes one more byte
    when there are more) and build a `Pathway`; every problem is a `PathwayError`."""
    if len(raw) > MAX_FILE_BYTES:
        raise PathwayError(source, FILE_KEY, f"is larger than {MAX_FILE_BYTES:,} bytes.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PathwayError(
            source, FILE_KEY, f"is not UTF-8 text (a bad byte at position {error.start})."
        ) from None
    return parse_pathway_text(text, source)


def parse_pathway_text(text: str, source: str) -> Pathway:
    """Parse TOML text and check it; a syntax error is a `PathwayError` naming the line. A
    byte-order mark at the start (Windows editors add one) is not part of the text."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\s*\(at (line \d+, column \d+|end of document)\)$", message)
        if found:
            key = found.group(1).replace("end of document", "end of file")
            raise PathwayError(source, key, message[: found.start()] + ".") from None
        raise PathwayError(source, FILE_KEY, f"is not valid TOML: {message}.") from None
    except RecursionError:
        raise PathwayError(source, FILE_KEY, "is nested too deeply to be a pathway.") from None
    return parse_pathway(data, source)


def parse_pathway(data: Mapping[str, Any], source: str) -> Pathway:
    """Check parsed TOML and build a `Pathway`, or raise `PathwayError` at the first problem."""
    if not isinstance(data, Mapping):
        raise PathwayError(source, FILE_KEY, "must hold a table of keys.")
    root = _Table(data, "", source, TOP_KEYS)
    fmt = root.integer("format", 0, 10**6)
    if fmt != FORMAT:
        root.fail("format", f"this app reads pathway format {FORMAT}, not {fmt}.")
    pathway_id = root.ident("id")
    region = root.choice("region", REGIONS)
    title = root.text("title", TITLE_MAX_CHARS)
    description = root.text("description", STEP_TEXT_MAX_CHARS, required=False)
    outcome_weeks = DEFAULT_OUTCOME_WEEKS
    if root.has("outcome_weeks"):
        outcome_weeks = root.increasing("outcome_weeks", 1, 156, allow_empty=True)
    block_diary = DEFAULT_BLOCK_DIARY
    if root.has("block_diary"):
        block_diary = _block_diary(root.table("block_diary", BLOCK_DIARY_KEYS))
    checklist = tuple(
        _checklist_item(t) for t in root.tables("checklist", ITEM_KEYS, allow_empty=True)
    )
    _unique(root, "checklist", checklist)
    items = {item.id: item for item in checklist}
    steps = tuple(_step(t, items) for t in root.tables("steps", STEP_KEYS))
    _unique(root, "steps", steps)
    reminders: tuple[ReminderRule, ...] = ()
    if root.has("reminders"):
        reminders = tuple(
            _reminder(t) for t in root.tables("reminders", REMINDER_KEYS, allow_empty=True)
        )
        _unique(root, "reminders", reminders)
    return Pathway(
        id=pathway_id,
        region=region,
        title=title,
        source=source,
        steps=steps,
        checklist=checklist,
        reminders=reminders,
        block_diary=block_diary,
        outcome_weeks=outcome_weeks,
        description=description,
    )


def translate_pathway(pathway: Pathway, text: str, source: str, language: str) -> Pathway:
    """`pathway` with the texts of a translation file (`source`, in `language`) in place of its
    own; a `PathwayError` names the key when the file does not fit the pathway."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PathwayError(source, FILE_KEY, f"is not valid TOML: {error}.") from None
    root = _Table(data, "", source, TRANSLATION_KEYS)
    fmt = root.integer("format", 0, 10**6)
    if fmt != FORMAT:
        root.fail("format", f"this app reads pathway format {FORMAT}, not {fmt}.")
    if root.ident("pathway") != pathway.id:
        root.fail("pathway", f"this file translates another pathway, not “{pathway.id}”.")
    steps = _translated_texts(
        root,
        "steps",
        {s.id: s for s in pathway.steps},
        {"title": TITLE_MAX_CHARS, "text": STEP_TEXT_MAX_CHARS},
        with_placeholders="text",
    )
    checklist = _translated_texts(
        root, "checklist", {i.id: i for i in pathway.checklist}, {"text": SHORT_TEXT_MAX_CHARS}
    )
    reminders = _translated_texts(
        root, "reminders", {r.id: r for r in pathway.reminders}, {"text": SHORT_TEXT_MAX_CHARS}
    )
    return replace(
        pathway,
        title=root.text("title", TITLE_MAX_CHARS, required=False) or pathway.title,
        description=(
            root.text("description", STEP_TEXT_MAX_CHARS, required=False) or pathway.description
        ),
        steps=tuple(replace(s, **steps.get(s.id, {})) for s in pathway.steps),
        checklist=tuple(replace(i, **checklist.get(i.id, {})) for i in pathway.checklist),
        reminders=tuple(replace(r, **reminders.get(r.id, {})) for r in pathway.reminders),
        language=language,
    )


def _translated_texts(
    root: _Table,
    name: str,
    known: Mapping[str, Any],
    limits: Mapping[str, int],
    with_placeholders: str | None = None,
) -> dict[str, dict[str, Any]]:
    """The texts under [name.<id>] tables, each id one the pathway has, each text checked as in
    the pathway file itself (length; placeholders only in the key that fills them). The texts
    are strings, typed Any because they go to `dataclasses.replace` by their keys."""
    if not root.has(name):
        return {}
    group = root.table(name, tuple(known))
    texts: dict[str, dict[str, Any]] = {}
    for thing_id in group.data:
        entry = group.table(thing_id, tuple(limits))
        texts[thing_id] = {
            key: (
                entry.placeholder_text(key, limit)
                if key == with_placeholders
                else entry.text(key, limit)
            )
            for key, limit in limits.items()
            if entry.has(key)
        }
    return texts


def _step(table: _Table, items: Mapping[str, ChecklistItem]) -> Step:
    step_id = table.ident("id")
    procedures = table.choices("procedures", PROCEDURE_KINDS)
    phase = table.choice("phase", PHASES)
    offset = _offset(table.table("offset", OFFSET_KEYS))
    _check_phase(table, phase, offset)
    checklist = table.idents("checklist")
    for index, item_id in enumerate(checklist):
        item = items.get(item_id)
        if item is None:
            table.fail(f"checklist[{index}]", f"no checklist item has the id “{item_id}”.")
        if not set(item.procedures) & set(procedures):
            table.fail(
                f"checklist[{index}]",
                f"item “{item_id}” is not used for any of this step's procedures.",
            )
    learn = table.choices("learn", LEARN_ARTICLES, required=False)
    return Step(
        id=step_id,
        procedures=procedures,
        phase=phase,
        offset=offset,
        title=table.text("title", TITLE_MAX_CHARS),
        text=table.placeholder_text("text", STEP_TEXT_MAX_CHARS),
        checklist=checklist,
        learn=learn,
        clinic_setting=table.choice("clinic_setting", tuple(STEP_SETTINGS), required=False),
        only_if=table.choice("only_if", CONDITIONS, required=False),
    )


def _check_phase(table: _Table, phase: str, offset: Offset) -> None:
    """The phase and the offset must agree, so a typo in a sign is caught."""
    if phase == "before" and (
        offset.days > 0 or (offset.days == 0 and (offset.at is not None or offset.hours >= 0))
    ):
        table.fail("offset", "a “before” step must come on an earlier day or some hours before.")
    if phase == "day" and offset.days != 0:
        table.fail("offset.days", "a “day” step happens on the day itself, so days must be 0.")
    if phase == "after" and (offset.days < 0 or (offset.at is None and offset.total_hours < 0)):
        table.fail("offset", "an “after” step cannot come before the procedure.")
    if phase == "followup" and offset.days < 1:
        table.fail("offset.days", "a “followup” step comes a day or more after the procedure.")


def _checklist_item(table: _Table) -> ChecklistItem:
    return ChecklistItem(
        id=table.ident("id"),
        procedures=table.choices("procedures", PROCEDURE_KINDS),
        kind=table.choice("kind", CHECKLIST_KINDS),
        text=table.text("text", SHORT_TEXT_MAX_CHARS),
        audience=table.choice("audience", AUDIENCES),
        required=table.flag("required"),
        group=table.choice("group", CHECKLIST_GROUPS),
        only_if=table.choice("only_if", CONDITIONS, required=False),
        clinic_setting=table.choice("clinic_setting", tuple(STEP_SETTINGS), required=False),
    )


def _reminder(table: _Table) -> ReminderRule:
    rule_id = table.ident("id")
    procedures = table.choices("procedures", PROCEDURE_KINDS)
    offset = _offset(table.table("offset", OFFSET_KEYS))
    audience = table.choice("audience", AUDIENCES)
    text = table.text("text", SHORT_TEXT_MAX_CHARS)
    until = None
    if table.has("repeat_monthly_until_days"):
        until = table.integer("repeat_monthly_until_days", offset.days + 1, OFFSET_DAYS[1])
        if offset.at is None:
            table.fail("offset.at", "a reminder that repeats monthly needs a time of day.")
    return ReminderRule(rule_id, procedures, offset, audience, text, until)


def _offset(table: _Table) -> Offset:
    days = table.integer("days", *OFFSET_DAYS, default=0)
    hours = table.number("hours", -OFFSET_HOURS_MAX, OFFSET_HOURS_MAX, default=0)
    at = table.time_of_day("at")
    if at is not None and hours:
        table.fail("hours", "give either hours or a time of day (at), not both.")
    return Offset(days=days, hours=hours, at=at)


def _block_diary(table: _Table) -> BlockDiarySchedule:
    return BlockDiarySchedule(
        prompt_minutes=table.increasing("prompt_minutes", 1, 24 * 60),
        daily_days=table.integer("daily_days", 0, 60),
    )


def _unique(root: _Table, name: str, things: Iterable[Any]) -> None:
    seen: set[str] = set()
    for index, thing in enumerate(things):
        if thing.id in seen:
            root.fail(f"{name}[{index}].id", f"“{thing.id}” is used twice; ids must differ.")
        seen.add(thing.id)


_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
    datetime: "a date and time",
    date: "a date",
    time: "a time",
}


def _kind_of(value: Any) -> str:
    for kind, words in _TYPE_WORDS.items():
        if type(value) is kind:
            return words
    return "a table" if isinstance(value, Mapping) else "something else"


def _quoted(value: Any, limit: int = 40) -> str:
    try:
        text = value if isinstance(value, str) else repr(value)
    except Exception:
        text = "?"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


class _Table:
    """One table of the file, read key by key; every problem names its full key."""

    def __init__(
        self, data: Mapping[Any, Any], path: str, source: str, known: tuple[str, ...]
    ) -> None:
        self.data = data
        self.path = path
        self.source = source
        self._refuse_unknown(known)

    def _refuse_unknown(self, known: tuple[str, ...]) -> None:
        """A key this format does not have is named first, with the nearest known key, so a
        typo is reported as a typo rather than as a missing key."""
        for name in self.data:
            if name in known:
                continue
            if isinstance(name, str) and ID_PATTERN.fullmatch(name.replace("_", "-")):
                shown = name
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            else:
                shown, close = _quoted(name), []
            hint = f" (did you mean “{close[0]}”?)" if close else ""
            self.fail(shown, f"is not a key this format knows{hint}.")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> NoReturn:
        raise PathwayError(self.source, self.key(name), message)

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, required: bool = True) -> Any:
        if name not in self.data:
            if required:
                self.fail(name, "is missing.")
            return None
        return self.data[name]

    def expect(self, name: str, value: Any, words: str) -> NoReturn:
        self.fail(name, f"must be {words}, not {_kind_of(value)}.")

    def text(self, name: str, limit: int, required: bool = True) -> str:
        value = self.get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.expect(name, value, "text")
        if "\x00" in value or not _encodable(value):
            self.fail(name, "contains a character that cannot be shown.")
        if required and not value.strip():
            self.fail(name, "is empty.")
        if len(value) > limit:
            self.fail(name, f"is {len(value):,} characters long; the limit is {limit:,}.")
        return value.strip()

    def placeholder_text(self, name: str, limit: int) -> str:
        """Text that may hold the clinic's numbers as placeholders, and no other braces."""
        value = self.text(name, limit)
        rest = value
        for placeholder in PLACEHOLDERS:
            rest = rest.replace("{" + placeholder + "}", "")
        if "{" in rest or "}" in rest:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            self.fail(name, f"braces may only hold a placeholder: {allowed}.")
        return value

    def ident(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str):
            self.expect(name, value, "text")
        if not ID_PATTERN.fullmatch(value):
            self.fail(
                name,
                f"{_quoted(value)} is not an id: use lowercase letters, digits and "
                "hyphens (up to 60), starting with a letter or digit.",
            )
        return value

    def choice(self, name: str, choices: tuple[str, ...], required: bool = True) -> Any:
        value = self.get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.expect(name, value, "text")
        if value not in choices:
            self.fail(name, f"{_quoted(value)} is not one of: {', '.join(choices)}.")
        return value

    def _list(self, name: str, required: bool) -> list[Any]:
        value = self.get(name, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.expect(name, value, "a list")
        return value

    def choices(self, name: str, choices: tuple[str, ...], required: bool = True) -> tuple:
        values = self._list(name, required)
        if required and not values:
            self.fail(name, f"needs at least one of: {', '.join(choices)}.")
        for index, value in enumerate(values):
            if not isinstance(value, str) or value not in choices:
                self.fail(
                    f"{name}[{index}]", f"{_quoted(value)} is not one of: {', '.join(choices)}."
                )
        if len(set(values)) != len(values):
            self.fail(name, "lists the same value twice.")
        return tuple(values)

    def idents(self, name: str) -> tuple[str, ...]:
        values = self._list(name, required=False)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
                self.fail(f"{name}[{index}]", f"{_quoted(value)} is not an id.")
        if len(set(values)) != len(values):
            self.fail(name, "lists the same id twice.")
        return tuple(values)

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int:
        value = self.get(name, required=default is None)
        if value is None and default is not None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.expect(name, value, "a whole number")
        if not low <= value <= high:
            self.fail(name, f"must be from {low} to {high}, not {_quoted(value)}.")
        return value

    def number(self, name: str, low: float, high: float, default: float) -> float:
        value = self.get(name, required=False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.expect(name, value, "a number")
        if isinstance(value, float) and not math.isfinite(value) or not low <= value <= high:
            self.fail(name, f"must be from {low:g} to {high:g}, not {_quoted(value)}.")
        return value

    def flag(self, name: str) -> bool:
        value = self.get(name)
        if not isinstance(value, bool):
            self.expect(name, value, "true or false")
        return value

    def time_of_day(self, name: str) -> time | None:
        value = self.get(name, required=False)
        if value is None:
            return None
        if isinstance(value, str):
            found = HHMM_PATTERN.fullmatch(value)
            if not found:
                self.fail(name, f"{_quoted(value)} is not a time of day; write it like “09:00”.")
            return time(int(found.group(1)), int(found.group(2)))
        if type(value) is not time or value.tzinfo is not None or value.second or value.microsecond:
            self.fail(name, "must be a local time of day in hours and minutes, like “09:00”.")
        return value

    def increasing(self, name: str, low: int, high: int, allow_empty: bool = False) -> tuple:
        values = self._list(name, required=True)
        if not values and not allow_empty:
            self.fail(name, "needs at least one number.")
        for index, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.fail(
                    f"{name}[{index}]",
                    f"must be a whole number from {low} to {high}, not {_quoted(value)}.",
                )
            if index and value <= values[index - 1]:
                self.fail(f"{name}[{index}]", "the numbers must go up, each larger than the last.")
        return tuple(values)

    def table(self, name: str, known: tuple[str, ...]) -> _Table:
        value = self.get(name)
        if not isinstance(value, Mapping):
            self.expect(name, value, "a table")
        return _Table(value, self.key(name), self.source, known)

    def tables(self, name: str, known: tuple[str, ...], allow_empty: bool = False) -> list[_Table]:
        values = self._list(name, required=True)
        if not values and not allow_empty:
            self.fail(name, "needs at least one entry.")
        for index, value in enumerate(values):
            if not isinstance(value, Mapping):
                self.expect(f"{name}[{index}]", value, "a table")
        return [
            _Table(value, self.key(f"{name}[{index}]"), self.source, known)
            for index, value in enumerate(values)
        ]
