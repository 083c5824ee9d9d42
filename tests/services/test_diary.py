"""The diary service: what the patient typed is checked by the domain, then saved, in one place
for quick log, the entry form and `diary add`. A real SQLite file, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.diary import AreaScore, DiaryInputError, SavedEntry
from app.services.clock import FixedClock
from app.services.diary import KEEP_DELETED, DiaryService
from app.store.diary_repository import DiaryQueries

NOW = datetime(2026, 11, 28, 14, 30, tzinfo=UTC)
ZONE = "Europe/Berlin"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, ZONE)


@pytest.fixture
def diary(fresh_db, clock) -> DiaryService:
    return DiaryService(fresh_db, clock)


@pytest.fixture
def entries(fresh_db) -> DiaryQueries:
    return DiaryQueries(fresh_db)


def test_add_checks_then_saves_at_the_clocks_time_and_zone(diary, entries):
    saved = diary.add(
        {
            "score": "7",
            "areas": [{"area": "neck", "side": "left", "score": 6}],
            "note": "  after the drive  ",
        }
    )
    assert isinstance(saved, SavedEntry) and isinstance(saved.id, int)
    assert (saved.score, saved.at, saved.zone) == (7, NOW, ZONE)
    assert saved.areas == (AreaScore("neck", "left", 6),)
    assert saved.note == "after the drive"
    assert entries.get(saved.id) == saved


def test_bad_input_names_each_field_and_saves_nothing(diary, entries):
    with pytest.raises(DiaryInputError) as refused:
        diary.add({"score": 11, "at": "2026-11-28T20:00", "note": "x" * 2001})
    assert set(refused.value.errors) == {"score", "at", "note"}
    assert refused.value.errors["at"] == (
        "That time is in the future. Choose now or a time that has passed."
    )
    assert entries.count() == 0


def test_a_zone_the_device_has_not_set_saves_nothing(fresh_db, entries):
    with pytest.raises(DiaryInputError) as refused:
        DiaryService(fresh_db, FixedClock(NOW, "Factory")).add({"score": 3})
    assert list(refused.value.errors) == ["zone"]
    assert entries.count() == 0


def test_add_once_saves_a_retry_once(diary, clock, entries):
    first, already = diary.add_once({"score": 4, "note": "stairs"})
    assert already is False
    clock.advance(timedelta(seconds=30))  # the same command sent again, cut off the first time
    again, already = diary.add_once({"score": 4, "note": "stairs"})
    assert already is True and again == first
    clock.advance(timedelta(minutes=2))
    later, already = diary.add_once({"score": 4, "note": "stairs"})
    assert already is False and later.id != first.id
    assert entries.count() == 2


def test_edit_checks_then_writes_over_the_saved_entry(diary, entries):
    saved = diary.add({"score": 5, "activity": "walking"})
    edited = diary.edit(saved.id, {"score": 2, "at": saved.at, "activity": "resting"})
    assert (edited.id, edited.score, edited.activity, edited.at) == (
        saved.id,
        2,
        "resting",
        saved.at,
    )
    assert entries.get(saved.id) == edited
    assert entries.count() == 1


def test_a_refused_edit_keeps_the_saved_entry(diary, entries):
    saved = diary.add({"score": 5})
    with pytest.raises(DiaryInputError) as refused:
        diary.edit(saved.id, {"score": ""})
    assert list(refused.value.errors) == ["score"]
    assert entries.get(saved.id) == saved


def test_an_edit_of_an_entry_deleted_meanwhile_is_refused(diary):
    saved = diary.add({"score": 5})
    diary.delete(saved.id)
    with pytest.raises(LookupError):
        diary.edit(saved.id, {"score": 3})


def test_delete_hides_and_undo_brings_the_entry_back(diary, entries):
    kept, gone = diary.add({"score": 1}), diary.add({"score": 8})
    diary.delete(gone.id)
    assert entries.get(gone.id) is None
    assert entries.page() == [kept]
    diary.undo_delete(gone.id)
    assert entries.get(gone.id) == gone
    assert entries.count() == 2


def test_forget_deleted_removes_only_what_is_past_its_undo(diary, clock, entries):
    old, recent = diary.add({"score": 1}), diary.add({"score": 2})
    diary.delete(old.id)
    clock.advance(KEEP_DELETED)
    diary.delete(recent.id)
    clock.advance(timedelta(minutes=1))
    assert diary.forget_deleted() == 1
    diary.undo_delete(old.id)  # too late: gone for good
    diary.undo_delete(recent.id)
    assert entries.get(old.id) is None
    assert entries.get(recent.id) == recent
