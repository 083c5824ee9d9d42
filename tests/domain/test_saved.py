"""`saved_id`: the id of a value the store saved, or a named error for one it never saw. A diary
entry says it by its type instead: a `SavedEntry` cannot be made without an id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain.diary import PainEntry, SavedEntry
from app.domain.plan import Procedure
from app.domain.saved import NotSavedError

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNSAVED = [
    Procedure(kind="test-block", region="lumbar", side="right", at=AT, zone="Europe/London"),
]


@pytest.mark.parametrize("value", UNSAVED, ids=lambda value: type(value).__name__)
def test_a_saved_value_gives_its_id_and_an_unsaved_one_says_it_was_never_saved(value):
    assert replace(value, id=7).saved_id == 7
    with pytest.raises(NotSavedError, match=f"this {type(value).__name__} was never saved"):
        _ = value.saved_id


def test_a_saved_diary_entry_has_its_id_by_type_and_equals_the_entry_it_was():
    entry = PainEntry(score=4, at=AT, zone="Europe/London")
    saved = entry.saved_as(7)
    assert isinstance(saved, SavedEntry) and saved.id == 7
    assert saved == replace(entry, id=7) and hash(saved) == hash(replace(entry, id=7))
    assert saved != entry  # the unsaved one has no id
    with pytest.raises(TypeError, match="id"):
        SavedEntry(score=4, at=AT, zone="Europe/London")
