"""The connection the repositories use: `execute`, `atomic`, `conn` and `close`, and no more.

sqlite-utils' `Database` offers the same calls, and the schema steps still run through it
(`app/store/migrations.py`). The repositories only ever write SQL, so on every ordinary start
this thin wrapper over `sqlite3` stands in for it and the app opens without loading
sqlite-utils at all (a fifth of a bare Kivy window's start-up time).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def _first_keyword(sql: str) -> str:
    words = sql.split(None, 1)
    return words[0].upper() if words else ""


class Database:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] | dict | None = None) -> sqlite3.Cursor:
        """Run one statement. A write outside a transaction is committed at once, and a failed
        one leaves no transaction open: the same rules as sqlite-utils' `execute`."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql, parameters if parameters is not None else ())
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if (
            not was_in_transaction
            and self.conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in TRANSACTION_CONTROL
        ):
            self.conn.execute("COMMIT")
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A write transaction; nested, a savepoint (as sqlite-utils' `atomic` does).

        It takes the write lock at its start (`BEGIN IMMEDIATE`), waiting up to the busy timeout
        for another process. A deferred `BEGIN` would read first and then fail at once with
        "database is locked" when the reminder agent commits in between, without waiting."""
        if self.conn.in_transaction:
            # What secrets.token_hex does, without loading OpenSSL at start.
            savepoint = f"facet_{os.urandom(8).hex()}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def table_names(self) -> list[str]:
        return [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]

    def close(self) -> None:
        self.conn.close()


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id SQLite gave the row an INSERT on `cursor` just added. sqlite3 types `lastrowid` as
    optional (it is None before any INSERT); after one it is always set."""
    if cursor.lastrowid is None:
        raise sqlite3.ProgrammingError("The statement added no row, so there is no id to give.")
    return cursor.lastrowid
