"""Fixtures shared by the plain tests. No Kivy here: tests/ui has its own conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import i18n
from app.store.connection import Database
from app.store.database import open_database
from app.store.diary_repository import DiaryRepository

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english_after_each_test():
    """Tests run in English unless they choose a language; a test that does leaves English."""
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def fresh_db(data_dir: Path):
    """A real, migrated SQLite file in a temporary folder."""
    db = open_database(data_dir)
    yield db
    db.close()


@pytest.fixture
def repo(fresh_db: Database) -> DiaryRepository:
    return DiaryRepository(fresh_db)
