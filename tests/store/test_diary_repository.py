"""Diary entries on disk: what goes in comes back, in the order the screens need."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.diary import AreaScore, PainEntry
from app.domain.trend import DaySummary
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository

UTC = UTC
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def entry(score: int = 5, at: datetime = T0, zone: str = "UTC", **fields) -> PainEntry:
    return PainEntry(score=score, at=at.astimezone(UTC), zone=zone, **fields)


def test_add_and_get_round_trip_everything(repo):
    new = entry(
        score=7,
        at=datetime(2026, 11, 20, 9, 15, 30, 123456, tzinfo=UTC),
        zone="Europe/Berlin",
        areas=(AreaScore("lower_back", "both", 7), AreaScore("leg", "left", 4)),
        activity="Gardening 🌱",
        medication="Ibuprofen 400 mg",
        medication_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        note="Stiff after kneeling — 膝",
    )
    saved = repo.add(new)
    assert isinstance(saved.id, int)
    assert saved == replace(new, id=saved.id)
    assert repo.get(saved.id) == saved
    assert repo.get(saved.id).at.utcoffset() == timedelta(0)
    assert repo.count() == 1


def test_get_of_an_unknown_id_is_none(repo):
    assert repo.get(12345) is None


def test_update_replaces_fields_and_areas(repo):
    saved = repo.add(entry(areas=(AreaScore("neck", "left", 5), AreaScore("arm", "left", 2))))
    changed = replace(
        saved,
        score=3,
        note="better",
        areas=(AreaScore("head", "both", 3),),
        at=T0 - timedelta(hours=2),
    )
    assert repo.update(changed) == changed
    assert repo.get(saved.id) == changed
    assert repo.db.execute("SELECT count(*) FROM entry_areas").fetchone()[0] == 1


def test_update_needs_a_saved_live_entry(repo):
    with pytest.raises(ValueError):
        repo.update(entry())
    saved = repo.add(entry())
    repo.delete(saved.id, now=T0)
    with pytest.raises(LookupError):
        repo.update(replace(saved, score=1))


def test_delete_hides_and_restore_brings_back(repo):
    kept = repo.add(entry(score=2))
    gone = repo.add(
        entry(score=8, at=T0 + timedelta(hours=1), areas=(AreaScore("neck", "right", 8),))
    )

    repo.delete(gone.id, now=T0 + timedelta(hours=2))
    assert repo.get(gone.id) is None
    assert repo.count() == 1
    assert repo.page() == [kept]
    assert list(repo.since()) == [kept]
    assert [d.count for d in repo.day_summaries()] == [1]

    repo.restore(gone.id)
    assert repo.get(gone.id) == gone
    assert repo.count() == 2
    assert repo.page() == [gone, kept]


def test_purge_deleted_removes_only_entries_deleted_before_the_cutoff(repo):
    old = repo.add(entry(score=1, areas=(AreaScore("neck", "left", 1),)))
    recent = repo.add(entry(score=2))
    live = repo.add(entry(score=3))
    repo.delete(old.id, now=T0 + timedelta(days=1))
    repo.delete(recent.id, now=T0 + timedelta(days=10))

    assert repo.purge_deleted(before=T0 + timedelta(days=5)) == 1

    repo.restore(old.id)  # too late: it is gone for good, areas included
    repo.restore(recent.id)
    assert repo.get(old.id) is None
    assert repo.get(recent.id) == recent
    assert repo.get(live.id) == live
    assert (
        repo.db.execute("SELECT count(*) FROM entry_areas WHERE entry_id = ?", [old.id]).fetchone()[
            0
        ]
        == 0
    )


def test_page_is_newest_first_and_the_cursor_walks_equal_timestamps(repo):
    # Five entries share one instant: only the id can order them, and the cursor must not
    # skip or repeat any of them across page boundaries.
    same = T0 + timedelta(hours=5)
    saved = [
        repo.add(entry(score=i % 11, at=same if 2 <= i <= 6 else T0 + timedelta(hours=i)))
        for i in range(10)
    ]
    expected = sorted(saved, key=lambda e: (e.at, e.id), reverse=True)

    walked, after = [], None
    while True:
        page = repo.page(after=after, limit=3)
        if not page:
            break
        assert len(page) <= 3
        walked += page
        after = page[-1]
    assert walked == expected
    assert len({e.id for e in walked}) == 10
    assert repo.page(limit=100) == expected


def test_page_from_a_first_local_day(repo):
    ny = "America/New_York"
    # 23:30 on 9 March in New York is already 10 March in UTC.
    late = repo.add(entry(at=datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo(ny)), zone=ny))
    next_day = repo.add(entry(at=datetime(2026, 3, 10, 8, 0, tzinfo=ZoneInfo(ny)), zone=ny))
    repo.add(entry(at=datetime(2026, 3, 8, 12, 0, tzinfo=ZoneInfo(ny)), zone=ny))

    assert repo.page(first_day=date(2026, 3, 10)) == [next_day]
    assert repo.page(first_day=date(2026, 3, 9)) == [next_day, late]
    assert len(repo.page(first_day=None)) == 3


def test_since_is_oldest_first_from_the_instant_on(repo):
    saved = [repo.add(entry(score=i, at=T0 + timedelta(minutes=10 * (i % 4)))) for i in range(8)]
    expected = sorted(saved, key=lambda e: (e.at, e.id))
    assert list(repo.since()) == expected
    cut = T0 + timedelta(minutes=20)
    assert list(repo.since(cut)) == [e for e in expected if e.at >= cut]
    # The same instant written in another zone means the same thing.
    assert list(repo.since(cut.astimezone(ZoneInfo("Asia/Tokyo")))) == list(repo.since(cut))
    assert list(repo.since(T0 + timedelta(days=1))) == []
    # To an instant, included: the hours of a block's diary.
    assert list(repo.since(T0 + timedelta(minutes=10), until=cut)) == [
        e for e in expected if T0 + timedelta(minutes=10) <= e.at <= cut
    ]
    assert [e.at for e in repo.since(until=T0)] == [T0, T0]


def test_since_pages_through_more_than_one_batch(repo):
    with repo.db.atomic():
        for i in range(1203):
            repo.add(entry(score=i % 11, at=T0 + timedelta(seconds=i // 3)))
    got = list(repo.since())
    assert len(got) == 1203
    assert [(e.at, e.id) for e in got] == sorted((e.at, e.id) for e in got)
    assert len({e.id for e in got}) == 1203


def test_day_summaries_per_local_day_in_the_zone_the_entry_was_logged_in(repo):
    ny, tokyo = ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    # 10 March: three entries, one of them at 23:30 New York time (daylight time: 03:30 UTC on
    # 11 March) and one logged in Tokyo on the morning of 10 March (still 9 March in UTC).
    repo.add(entry(score=2, at=datetime(2026, 3, 10, 8, 0, tzinfo=ny), zone="America/New_York"))
    repo.add(entry(score=9, at=datetime(2026, 3, 10, 23, 30, tzinfo=ny), zone="America/New_York"))
    repo.add(entry(score=4, at=datetime(2026, 3, 10, 7, 0, tzinfo=tokyo), zone="Asia/Tokyo"))
    # 11 March: one entry.
    repo.add(entry(score=6, at=datetime(2026, 3, 11, 12, 0, tzinfo=ny), zone="America/New_York"))
    # 12 March: deleted, so not counted.
    gone = repo.add(
        entry(score=10, at=datetime(2026, 3, 12, 9, 0, tzinfo=ny), zone="America/New_York")
    )
    repo.delete(gone.id, now=datetime(2026, 3, 12, 15, 0, tzinfo=UTC))

    assert repo.day_summaries() == [
        DaySummary(date(2026, 3, 10), average=5.0, low=2, high=9, count=3),
        DaySummary(date(2026, 3, 11), average=6.0, low=6, high=6, count=1),
    ]
    assert repo.day_summaries(first_day=date(2026, 3, 11)) == [
        DaySummary(date(2026, 3, 11), average=6.0, low=6, high=6, count=1),
    ]


def test_an_entry_is_on_disk_once_add_returns(data_dir):
    db = open_database(data_dir)
    saved = DiaryRepository(db).add(entry(score=6, note="durable"))
    # A second connection, as another process would have, sees it without db being closed.
    other = open_database(data_dir)
    try:
        assert DiaryRepository(other).get(saved.id) == saved
    finally:
        other.close()
        db.close()


def test_a_failed_add_leaves_nothing_behind(repo):
    bad = entry(score=4, areas=(AreaScore("neck", "left", 99),))  # breaks the CHECK on areas
    with pytest.raises(sqlite3.IntegrityError):
        repo.add(bad)
    assert repo.count() == 0
    assert repo.db.execute("SELECT count(*) FROM entry_areas").fetchone()[0] == 0
