"""`saved_id`: the id of a value the store saved, or a named error for one it never saw."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain.diary import PainEntry
from app.domain.plan import Procedure
from app.domain.saved import NotSavedError

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNSAVED = [
    Procedure(kind="test-block", region="lumbar", side="right", at=AT, zone="Europe/London"),
    PainEntry(score=4, at=AT, zone="Europe/London"),
]


@pytest.mark.parametrize("value", UNSAVED, ids=lambda value: type(value).__name__)
def test_a_saved_value_gives_its_id_and_an_unsaved_one_says_it_was_never_saved(value):
    assert replace(value, id=7).saved_id == 7
    with pytest.raises(NotSavedError, match=f"this {type(value).__name__} was never saved"):
        _ = value.saved_id
