"""Whatever is typed or passed in, the diary either refuses it politely or saves it faithfully.

Every input goes through `validate_entry`; what passes is saved to a real SQLite file through
`DiaryRepository` and must read back equal to the validated entry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.domain.diary import (
    AREAS,
    NOTE_MAX_CHARS,
    SIDES,
    TEXT_MAX_CHARS,
    DiaryInputError,
    validate_entry,
)
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository

NOW = datetime(2026, 11, 28, 14, 30, 15, 123456, tzinfo=UTC)
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
]

ODD_BITS = [
    "\x00",
    "\ud800",
    "\udfff",
    "😀",
    "👩🏽‍⚕️",
    "中文",
    "مرحبا",
    "\u200b",
    "\r\n",
    " ",
    "\t",
]

any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # surrogates and NUL too
spliced_text = st.builds(
    lambda a, odd, b: a + odd + b, any_text, st.sampled_from(ODD_BITS), any_text
)
near_limit_text = st.builds(
    lambda n, filler, tail: filler * n + tail,
    st.integers(NOTE_MAX_CHARS - 5, NOTE_MAX_CHARS + 5),
    st.sampled_from(["x", "é", "😀", " "]),
    st.sampled_from(["", " ", "\n", "\x00"]),
)
texts = st.one_of(
    st.none(), st.text(), any_text, spliced_text, near_limit_text, st.integers(), st.just("")
)

scores = st.one_of(
    st.integers(-3, 14),
    st.integers(),
    st.integers(min_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 7.0, 10.0, 2.5, -0.0]),
    st.integers(-3, 14).map(str),
    st.integers(-3, 14).map(lambda n: f" {n:02d} "),
    st.text(max_size=12),
    any_text,
    st.booleans(),
    st.none(),
    st.just(""),
    st.lists(st.integers(0, 10), max_size=2),
)

near_now = st.datetimes(
    min_value=(NOW - timedelta(days=370)).replace(tzinfo=None),
    max_value=(NOW + timedelta(hours=2)).replace(tzinfo=None),
)
instants = st.one_of(
    st.none(),
    st.just(""),
    near_now,  # naive: read in the patient's zone
    near_now.map(lambda t: t.replace(tzinfo=UTC)),
    st.builds(lambda t, z: t.replace(tzinfo=z), near_now, st.timezones()),
    near_now.map(lambda t: t.isoformat(sep=" ", timespec="minutes")),
    near_now.map(lambda t: t.replace(tzinfo=timezone(timedelta(hours=-7))).isoformat()),
    st.datetimes(),
    st.dates(),
    any_text,
    st.integers(),
)

area_names = st.one_of(
    st.sampled_from(list(AREAS)),
    st.text(max_size=8),
    st.none(),
    st.integers(),
    st.lists(st.just("neck"), max_size=1),
)
side_names = st.one_of(
    st.sampled_from(list(SIDES)),
    st.text(max_size=8),
    st.none(),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
area_items = st.one_of(
    st.fixed_dictionaries(
        {
            "area": st.sampled_from(list(AREAS)),
            "side": st.sampled_from(list(SIDES)),
            "score": st.integers(0, 10),
        }
    ),
    st.fixed_dictionaries({"area": area_names, "side": side_names, "score": scores}),
    st.fixed_dictionaries({}, optional={"area": area_names, "side": side_names}),
    st.integers(),
    st.text(max_size=5),
)
area_lists = st.one_of(
    st.lists(area_items, max_size=5),
    st.none(),
    st.integers(),
    st.text(max_size=10),
)

# Input a person could plausibly give, so that a good share of examples is saved, not refused.
plausible_texts = st.one_of(st.text(max_size=60), spliced_text, near_limit_text, st.just(""))
plausible_entries = st.fixed_dictionaries(
    {"score": st.one_of(st.integers(0, 10), st.integers(0, 10).map(str))},
    optional={
        "at": st.one_of(
            st.none(),
            st.datetimes(
                min_value=(NOW - timedelta(days=360)).replace(tzinfo=None),
                max_value=(NOW - timedelta(days=1)).replace(tzinfo=None),
            ),
        ),
        "areas": st.lists(
            st.fixed_dictionaries(
                {
                    "area": st.sampled_from(list(AREAS)),
                    "side": st.sampled_from(list(SIDES)),
                    "score": st.integers(0, 10),
                }
            ),
            max_size=4,
        ),
        "activity": st.text(max_size=30),
        "medication": st.text(max_size=30),
        "note": plausible_texts,
    },
)
wild_entries = st.fixed_dictionaries(
    {},
    optional={
        "score": scores,
        "at": instants,
        "areas": area_lists,
        "activity": texts,
        "medication": texts,
        "medication_at": instants,
        "note": texts,
    },
)
raw_entries = st.one_of(plausible_entries, wild_entries)


@pytest.fixture(scope="module")
def saving_repo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("property") / "data")
    yield DiaryRepository(db)
    db.close()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(raw=raw_entries, zone=st.sampled_from(ZONES))
def test_any_input_is_refused_with_messages_or_saved_and_read_back_equal(saving_repo, raw, zone):
    try:
        entry = validate_entry(raw, now=NOW, zone=zone)
    except DiaryInputError as error:
        assert error.errors, "a refusal must say what is wrong"
        for key, message in error.errors.items():
            assert isinstance(key, str) and key
            assert isinstance(message, str) and message.strip()
        assert str(error)
        event("refused")
        return
    event("saved")

    assert type(entry.score) is int and 0 <= entry.score <= 10
    assert entry.at.utcoffset() == timedelta(0)
    assert NOW - timedelta(days=366) <= entry.at <= NOW + timedelta(minutes=5)
    assert entry.zone == zone
    assert len(entry.note) <= NOTE_MAX_CHARS
    assert len(entry.activity) <= TEXT_MAX_CHARS and len(entry.medication) <= TEXT_MAX_CHARS
    assert all(0 <= a.score <= 10 and a.area in AREAS and a.side in SIDES for a in entry.areas)
    assert len({(a.area, a.side) for a in entry.areas}) == len(entry.areas)

    saved = saving_repo.add(entry)
    assert isinstance(saved.id, int)
    assert saved == replace(entry, id=saved.id)
    assert saving_repo.get(saved.id) == saved
