"""The thin connection the repositories use keeps sqlite-utils' transaction rules."""

import sqlite3

import pytest

from app.store.connection import Database


@pytest.fixture
def db(tmp_path):
    database = Database(sqlite3.connect(tmp_path / "t.db"))
    database.execute("CREATE TABLE t (n INTEGER)")
    yield database
    database.close()


def count(path):
    with sqlite3.connect(path) as other:
        return other.execute("SELECT count(*) FROM t").fetchone()[0]


def test_a_write_outside_a_transaction_is_committed_at_once(db, tmp_path):
    db.execute("INSERT INTO t VALUES (1)")
    assert not db.conn.in_transaction
    assert count(tmp_path / "t.db") == 1


def test_a_failed_write_leaves_no_transaction_open(db):
    with pytest.raises(sqlite3.OperationalError):
        db.execute("INSERT INTO missing VALUES (1)")
    assert not db.conn.in_transaction


def test_atomic_commits_together_or_not_at_all(db, tmp_path):
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        db.execute("INSERT INTO t VALUES (2)")
    assert count(tmp_path / "t.db") == 2
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t VALUES (3)")
        raise RuntimeError("stop")
    assert count(tmp_path / "t.db") == 2


def test_a_nested_block_rolls_back_alone(db, tmp_path):
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("inner")
    assert [n for (n,) in db.execute("SELECT n FROM t")] == [1]
    assert count(tmp_path / "t.db") == 1


def test_begin_is_not_committed_behind_the_callers_back(db):
    db.execute("BEGIN")
    db.execute("INSERT INTO t VALUES (1)")
    assert db.conn.in_transaction
    db.execute("ROLLBACK")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
