"""The clinic's own settings: who they are, and the instructions only the clinic can give.

The app never decides which medicine to pause, how long to fast or when to arrive. Those texts
and numbers come from here, entered by the clinic, and a step that needs one shows it (or, while it
is empty, asks the patient to call the clinic). `validate_clinic` takes raw form values and returns
`ClinicSettings` or raises `ClinicInputError` with one friendly message per field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from app.domain.diary import _checked_text as checked_text
from app.i18n import N_, _, ngettext

PROCEDURE_KINDS = ("test-block", "confirm-block", "rfa")
RELIEF_THRESHOLDS = (50, 80)
ARRIVAL_MINUTES_MAX = 240
CLINIC_TEXT_MAX_CHARS = 1000
NAME_MAX_CHARS = 100
PHONE_MAX_CHARS = 30
PHONE_PATTERN = re.compile(r"[0-9 +()\-./]+")
ANAESTHETIC_HOURS_MAX = 24.0

# The settings a pathway step or checklist item may show (its `clinic_setting`), with a short
# label for each.
STEP_SETTINGS = {
    "anticoagulant_hold_text": N_("Blood thinners"),
    "antiplatelet_hold_text": N_("Aspirin and other antiplatelet medicines"),
    "diabetes_text": N_("Diabetes medicines"),
    "glp1_text": N_("GLP-1 medicines and sedation"),
    "pain_medicine_hold_text": N_("Pain medicine before a block"),
    "rfa_pain_medicine_text": N_("Pain medicine before an RFA"),
    "implanted_device_text": N_("Implanted devices"),
    "fasting_text": N_("Eating and drinking"),
    "arrival_minutes": N_("When to arrive"),
    "address": N_("Where to go"),
    "phone": N_("The clinic's phone number"),
}

# The setting holding the clinic's instruction for each kind of medicine the medication review
# recognises (app/domain/medications.py). Pain medicines have one text for the blocks and one for
# RFA: a block's "no pain medicine for the diary's hours" must never show on an RFA checklist.
DRUG_CLASS_SETTINGS = {
    "anticoagulant": "anticoagulant_hold_text",
    "antiplatelet": "antiplatelet_hold_text",
    "diabetes": "diabetes_text",
    "glp1": "glp1_text",
}
PAIN_MEDICINE_CLASSES = ("nsaid", "opioid", "paracetamol", "gabapentinoid")


# The procedure code fields: blocks (test and confirming alike) and RFA, per region. CPT is licensed
# by the AMA, so the app holds only the codes the clinic enters (e.g. 64493 or 64635) and exports
# them beside its own local code; empty means none is exported.
CODE_GROUPS = {"test-block": "block", "confirm-block": "block", "rfa": "rfa"}
CODE_REGIONS = ("lumbar", "cervical")
PROCEDURE_CODE_KEYS = tuple(
    f"{group}-{region}" for group in ("block", "rfa") for region in CODE_REGIONS
)
PROCEDURE_CODE_PATTERN = re.compile(r"[0-9]{4}[0-9A-Z]")


def _default_codes() -> dict[str, str]:
    return dict.fromkeys(PROCEDURE_CODE_KEYS, "")


def _default_arrival() -> dict[str, int | None]:
    return dict.fromkeys(PROCEDURE_KINDS)


@dataclass(frozen=True)
class ClinicSettings:
    """Empty texts mean "not set": the step then asks the patient to call the clinic."""

    name: str = ""
    phone: str = ""
    address: str = ""
    emergency_number: str = ""  # empty: the app says "your local emergency number"
    uses_sedation: bool | None = None  # None: the clinic has not said, so fasting steps stay
    fasting_text: str = ""
    anticoagulant_hold_text: str = ""
    antiplatelet_hold_text: str = ""
    diabetes_text: str = ""
    glp1_text: str = ""  # GLP-1 medicines slow the stomach, which matters with sedation
    pain_medicine_hold_text: str = ""  # pain medicines before a block
    rfa_pain_medicine_text: str = ""  # pain medicines before an RFA
    implanted_device_text: str = ""  # pacemakers, stimulators, pumps: what to do before RFA
    arrival_minutes: dict[str, int | None] = field(default_factory=_default_arrival)
    relief_threshold_percent: int = 80
    lidocaine_hours: tuple[float, float] = (1.0, 2.0)
    bupivacaine_hours: tuple[float, float] = (3.0, 8.0)
    pathway_file: str = ""  # the clinic's own pathway file; empty: the built-in one
    # The clinic's CPT code per `PROCEDURE_CODE_KEYS` ("block-lumbar", "rfa-cervical", ...).
    procedure_codes: dict[str, str] = field(default_factory=_default_codes)

    def arrival_for(self, kind: str) -> int | None:
        return self.arrival_minutes.get(kind)

    def medicine_text(self, drug_class: str, kind: str) -> str:
        """The clinic's instruction for a kind of medicine before a kind of procedure; "" when
        they have not given one."""
        name = medicine_setting(drug_class, kind)
        return getattr(self, name) if name else ""

    def procedure_code(self, kind: str, region: str) -> str:
        """The CPT code the clinic entered for this kind of procedure and region, or ""."""
        return self.procedure_codes.get(f"{CODE_GROUPS.get(kind, kind)}-{region}", "")

    def expected_hours(self, anaesthetic: str) -> tuple[float, float] | None:
        return {"lidocaine": self.lidocaine_hours, "bupivacaine": self.bupivacaine_hours}.get(
            anaesthetic
        )


@dataclass
class ClinicInputError(ValueError):
    """Every problem found in the clinic's settings, keyed by field name."""

    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


TEXT_FIELDS = {
    "name": (N_("The clinic's name"), NAME_MAX_CHARS),
    "address": (N_("The address"), CLINIC_TEXT_MAX_CHARS),
    "fasting_text": (N_("The eating and drinking instructions"), CLINIC_TEXT_MAX_CHARS),
    "anticoagulant_hold_text": (N_("The blood thinner instructions"), CLINIC_TEXT_MAX_CHARS),
    "antiplatelet_hold_text": (N_("The antiplatelet instructions"), CLINIC_TEXT_MAX_CHARS),
    "diabetes_text": (N_("The diabetes instructions"), CLINIC_TEXT_MAX_CHARS),
    "glp1_text": (N_("The GLP-1 medicine instructions"), CLINIC_TEXT_MAX_CHARS),
    "pain_medicine_hold_text": (N_("The pain medicine instructions"), CLINIC_TEXT_MAX_CHARS),
    "rfa_pain_medicine_text": (N_("The RFA pain medicine instructions"), CLINIC_TEXT_MAX_CHARS),
    "implanted_device_text": (N_("The implanted device instructions"), CLINIC_TEXT_MAX_CHARS),
    "pathway_file": (N_("The pathway file"), CLINIC_TEXT_MAX_CHARS),
}


def medicine_setting(drug_class: str, kind: str) -> str | None:
    """The setting with the clinic's instruction for `drug_class` before a `kind` procedure."""
    if drug_class in PAIN_MEDICINE_CLASSES:
        return "rfa_pain_medicine_text" if kind == "rfa" else "pain_medicine_hold_text"
    return DRUG_CLASS_SETTINGS.get(drug_class)


def validate_clinic(raw: Mapping[str, Any]) -> ClinicSettings:
    """Check raw settings (missing keys keep their defaults) and build `ClinicSettings`."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, (label, limit) in TEXT_FIELDS.items():
        if key in raw:
            values[key] = checked_text(raw[key], key, _(label), limit, errors)
    for key, label in (
        ("phone", _("The clinic's phone number")),
        ("emergency_number", _("The emergency number")),
    ):
        if key in raw:
            values[key] = checked_phone(raw[key], key, label, errors)
    if "uses_sedation" in raw:
        values["uses_sedation"] = _checked_flag(raw["uses_sedation"], errors)
    if "arrival_minutes" in raw:
        values["arrival_minutes"] = _checked_arrival(raw["arrival_minutes"], errors)
    if "relief_threshold_percent" in raw:
        values["relief_threshold_percent"] = _checked_threshold(
            raw["relief_threshold_percent"], errors
        )
    for key, name in (("lidocaine_hours", "lidocaine"), ("bupivacaine_hours", "bupivacaine")):
        if key in raw:
            values[key] = _checked_hours(raw[key], key, name, errors)
    if "procedure_codes" in raw:
        values["procedure_codes"] = _checked_codes(raw["procedure_codes"], errors)
    if errors:
        raise ClinicInputError(errors)
    return ClinicSettings(**values)


def clinic_to_dict(settings: ClinicSettings) -> dict[str, Any]:
    """Plain JSON-ready values; `clinic_from_dict` reads them back."""
    data = asdict(settings)
    data["lidocaine_hours"] = list(settings.lidocaine_hours)
    data["bupivacaine_hours"] = list(settings.bupivacaine_hours)
    return data


def clinic_from_dict(data: Mapping[str, Any]) -> ClinicSettings:
    """Stored settings back, leniently: unknown keys are ignored, a bad value keeps its default."""
    known = {f.name for f in fields(ClinicSettings)}
    values = {key: value for key, value in data.items() if key in known}
    try:
        return validate_clinic(values)
    except ClinicInputError as error:
        bad = {key.split(".")[0] for key in error.errors}  # "arrival_minutes.rfa" too
        good = {key: value for key, value in values.items() if key not in bad}
        return validate_clinic(good)


def clinic_note(
    settings: ClinicSettings, name: str, *, kind: str, local_at: datetime | None = None
) -> str:
    """The clinic's words for a step's `clinic_setting`, or a request to call them when unset."""
    if name == "arrival_minutes":
        minutes = settings.arrival_for(kind)
        if minutes is None:
            return _ask_clinic(settings, _("when to arrive"))
        if minutes == 0:
            return _("Your clinic asks you to arrive at your appointment time.")
        if local_at is None:
            return ngettext(
                "Your clinic asks you to arrive {minutes} minute before your appointment.",
                "Your clinic asks you to arrive {minutes} minutes before your appointment.",
                minutes,
            ).format(minutes=minutes)
        arrive = local_at - timedelta(minutes=minutes)
        return ngettext(
            "Your clinic asks you to arrive {minutes} minute before your appointment, at {time}.",
            "Your clinic asks you to arrive {minutes} minutes before your appointment, at {time}.",
            minutes,
        ).format(minutes=minutes, time=f"{arrive:%H:%M}")
    value = getattr(settings, name, "") if name in STEP_SETTINGS else ""
    if name in SEDATION_SETTINGS and settings.uses_sedation is False:
        return _(
            "Your clinic has said it does not use sedation, so it has given no instructions "
            "about {subject}. If you are unsure, please call them."
        ).format(subject=_(SEDATION_SETTINGS[name]))
    if isinstance(value, str) and value.strip():
        return value.strip()
    if name == "implanted_device_text":
        # Never what to do with the device: only that the clinic must know in good time.
        return _("If you have one, please tell {clinic} before the day.").format(
            clinic=_who_and_phone(settings)
        )
    subject = in_sentence(_(STEP_SETTINGS[name])) if name in STEP_SETTINGS else _("this")
    return _ask_clinic(settings, subject)


# Instructions that only matter with sedation, and what they are about.
SEDATION_SETTINGS = {"fasting_text": N_("eating and drinking"), "glp1_text": N_("GLP-1 medicines")}


def _who_and_phone(settings: ClinicSettings) -> str:
    who = settings.name or _("your clinic")
    if not settings.phone:
        return who
    return _("{clinic} on {phone}").format(clinic=who, phone=settings.phone)


def in_sentence(label: str) -> str:
    """A label inside a sentence: "Blood thinners" -> "blood thinners", "GLP-1 ..." unchanged."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() or first[:2].isupper() else label[:1].lower() + label[1:]


def _ask_clinic(settings: ClinicSettings, what: str) -> str:
    return _(
        "Your clinic has not added its instructions about {subject} to the app yet. "
        "Please call {clinic} and ask."
    ).format(subject=what, clinic=_who_and_phone(settings))


def checked_phone(
    value: Any, key: str, label: str, errors: dict[str, str], *, required: bool = False
) -> str:
    """A phone number: digits, spaces and + ( ) - . / only, with at least two digits."""
    text = checked_text(value, key, label, PHONE_MAX_CHARS, errors)
    if key in errors:
        return ""
    if not text:
        if required:
            errors[key] = _("{field} is needed.").format(field=label)
        return ""
    if not PHONE_PATTERN.fullmatch(text):
        errors[key] = _("{field} can hold only digits, spaces and + ( ) - . /").format(field=label)
    elif sum(ch.isdigit() for ch in text) < 2:
        errors[key] = _("{field} needs at least two digits.").format(field=label)
    return text


def _checked_flag(value: Any, errors: dict[str, str]) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    errors["uses_sedation"] = "Choose yes or no for sedation."
    return None


def _checked_arrival(value: Any, errors: dict[str, str]) -> dict[str, int | None]:
    arrival = _default_arrival()
    if not isinstance(value, Mapping):
        errors["arrival_minutes"] = "Give the arrival time for each procedure in minutes."
        return arrival
    for kind, minutes in value.items():
        key = f"arrival_minutes.{kind}"
        if kind not in PROCEDURE_KINDS:
            errors[key] = f"“{kind}” is not a procedure the app knows."
            continue
        if minutes is None or (isinstance(minutes, str) and not minutes.strip()):
            continue
        number = _whole_number(minutes)
        if number is None or not 0 <= number <= ARRIVAL_MINUTES_MAX:
            errors[key] = (
                f"The arrival time must be a whole number of minutes from 0 to "
                f"{ARRIVAL_MINUTES_MAX}."
            )
            continue
        arrival[kind] = number
    return arrival


def _checked_codes(value: Any, errors: dict[str, str]) -> dict[str, str]:
    codes = _default_codes()
    if not isinstance(value, Mapping):
        errors["procedure_codes"] = "Give the procedure codes by kind and region."
        return codes
    for name, code in value.items():
        key = f"procedure_codes.{name}"
        if name not in PROCEDURE_CODE_KEYS:
            errors[key] = f"“{name}” is not a procedure the app knows."
            continue
        text = checked_text(code, key, _("The procedure code"), 10, errors).upper()
        if key in errors or not text:
            continue
        if not PROCEDURE_CODE_PATTERN.fullmatch(text):
            errors[key] = _(
                "“{typed}” is not a procedure code: use the five characters the "
                "clinic bills with, such as 64490."
            ).format(typed=text)
            continue
        codes[name] = text
    return codes


def _checked_threshold(value: Any, errors: dict[str, str]) -> int:
    number = _whole_number(value)
    if number not in RELIEF_THRESHOLDS:
        errors["relief_threshold_percent"] = "Choose 80% (the usual rule) or 50% relief."
        return 80
    return number


def _checked_hours(value: Any, key: str, name: str, errors: dict[str, str]) -> tuple[float, float]:
    message = (
        f"Give the hours {name} is expected to last as two numbers, shortest first, "
        f"from 0 to {ANAESTHETIC_HOURS_MAX:g}."
    )
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        errors[key] = message
        return (0.0, 0.0)
    items = list(value)
    if len(items) != 2 or not all(_is_number(item) for item in items):
        errors[key] = message
        return (0.0, 0.0)
    low, high = (float(item) for item in items)
    if not 0 < low <= high <= ANAESTHETIC_HOURS_MAX:
        errors[key] = message
    return (low, high)


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    return value if isinstance(value, int) else None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= 10**6
    return isinstance(value, float) and math.isfinite(value)
