"""What the patient chose to tell the app about themselves for reports: a name and a date of
birth, both optional. A report shows them only when they were entered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain.diary import _checked_text
from app.domain.typed import shown
from app.i18n import _

NAME_MAX_CHARS = 100
OLDEST_YEARS = 130


@dataclass(frozen=True)
class PatientDetails:
    name: str = ""
    birth_date: date | None = None

    @property
    def is_empty(self) -> bool:
        return not self.name and self.birth_date is None


@dataclass
class PatientInputError(ValueError):
    errors: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return " ".join(self.errors.values())


def validate_patient(raw: Mapping[str, Any], *, today: date) -> PatientDetails:
    """Check a name (any script, up to 100 characters) and a date of birth (YYYY-MM-DD, not in
    the future, at most 130 years ago); either may be empty."""
    errors: dict[str, str] = {}
    name = _checked_text(raw.get("name"), "name", "The name", NAME_MAX_CHARS, errors)
    birth_date = None
    value = raw.get("birth_date")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and value.strip():
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors["birth_date"] = _("“{typed}” is not a date; write it like 1961-04-23.").format(
                typed=shown(value)
            )
    if isinstance(value, date):
        if value > today:
            errors["birth_date"] = _("The date of birth is in the future. Check the year.")
        elif value.year < today.year - OLDEST_YEARS:
            errors["birth_date"] = _("That date of birth is too long ago. Check the year.")
        else:
            birth_date = value
    elif value not in (None, "") and "birth_date" not in errors:
        errors["birth_date"] = _("That is not a date.")
    if errors:
        raise PatientInputError(errors)
    return PatientDetails(name=name, birth_date=birth_date)
