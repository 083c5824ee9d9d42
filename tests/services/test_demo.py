from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.demo_story import demo_entries
from app.services.demo import create_demo_data_dir
from app.store.database import database_path, open_database
from app.store.diary_repository import DiaryRepository

NOW = datetime(2026, 11, 28, 15, 20, tzinfo=UTC)
ZONE = "Europe/London"


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """Keep mkdtemp's folders inside pytest's own temporary folder, and plant a user data folder."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(root))
    user_dir = tmp_path / "user-data"
    user_dir.mkdir()
    monkeypatch.setenv("FACET_DATA_DIR", str(user_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return root, user_dir


def test_a_new_folder_outside_the_users_data(temp_root, tmp_path):
    root, user_dir = temp_root
    folder = create_demo_data_dir(NOW, ZONE)
    assert folder.parent == root
    assert folder.name.startswith("facet-demo-")
    assert database_path(folder).exists()
    assert list(user_dir.iterdir()) == []
    assert not (tmp_path / "xdg").exists()


def test_each_call_makes_another_folder(temp_root):
    first = create_demo_data_dir(NOW, ZONE)
    second = create_demo_data_dir(NOW, ZONE)
    assert first != second


def test_the_folder_holds_the_whole_story(temp_root):
    folder = create_demo_data_dir(NOW, ZONE, seed=3)
    expected = demo_entries(NOW, ZONE, 3)
    db = open_database(folder)
    try:
        diary = DiaryRepository(db)
        assert diary.count() == len(expected)
        saved = list(diary.since())
    finally:
        db.close()
    assert [replace(e, id=None) for e in saved] == expected
    assert all(e.id is not None for e in saved)


def test_never_reads_the_data_folder_setting(temp_root, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the demo must not look for the user's data folder")

    monkeypatch.setattr("app.services.paths.resolve_data_dir", refuse)
    monkeypatch.setattr("app.services.paths.desktop_user_data_dir", refuse)
    folder = create_demo_data_dir(NOW, ZONE)
    assert isinstance(folder, Path) and folder.is_dir()


def test_the_demo_report_shows_what_a_real_cycle_holds(temp_root, tmp_path):
    from pypdf import PdfReader

    from app.services.reports import collect_report, export_report

    folder = create_demo_data_dir(NOW, ZONE)
    db = open_database(folder)
    try:
        data = collect_report(db, now=NOW, zone=ZONE)
        pdf = export_report(db, "pdf", tmp_path / "demo.pdf", now=NOW, zone=ZONE)
    finally:
        db.close()
    first, confirm = data.blocks
    assert [b.score for b in first.baselines] == [7, 6]
    assert [e.minutes for e in first.entries if e.missed] == [180]
    assert len([e for e in confirm.entries if not e.missed]) == 11
    assert first.days and confirm.days  # the everyday diary around each block
    [comparison] = data.comparisons
    assert comparison.areas
    [rfa] = data.rfas
    assert [c.week for c in rfa.checkins] == [0, 2] and rfa.checkins[0].peg is not None
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", " ")
    for expected in (
        "Test block",
        "Confirming block",
        "Lower back, right side",
        "Buttock, right side",
        "missed",
        "The two blocks compared",
        "Everyday diary around the block",
        "Outcomes after the RFA",
        "Before the RFA",
        "Week 2",
    ):
        assert expected in text, expected
    assert "No baseline or diary scores" not in text
