"""Central's database connection: the engine for a URL and the two kinds of transaction the
services run in (`Database.write`, `Database.read`). The tables themselves are `tables.py`.

SQLite: a new file is 0600; WAL, synchronous=FULL and a busy timeout on every connection, and
writers open with `BEGIN IMMEDIATE` (the pysqlite recipe from the SQLAlchemy docs) so concurrent
writers serialise at BEGIN instead of failing on lock upgrade. PostgreSQL: row locks
(`FOR UPDATE`) do the same job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, make_url
from sqlalchemy.orm import Session


def normalize_url(db_url: str) -> str:
    """Accept a bare file path for SQLite and plain postgresql:// URLs (use psycopg 3)."""
    if "://" not in db_url:
        return "sqlite:///" + os.path.abspath(os.path.expanduser(db_url))
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix):]
    return db_url


def make_engine(db_url: str) -> Engine:
    url = normalize_url(db_url)
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _create_private(path: str | None) -> None:
    """A new SQLite file is made 0600 before SQLite opens it (SQLite gives its -wal and -shm
    files the database's mode): it holds card codes, balances and the encrypted key."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # an existing database keeps the mode its owner gave it


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Readers take a deferred snapshot; writers lock up front so two writers never both
        # read then fail to upgrade.
        mode = "DEFERRED" if conn.get_execution_options().get("readonly") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """The engine plus the two kinds of transaction central runs."""

    def __init__(self, db_url: str) -> None:
        self.url = normalize_url(db_url)
        self.engine = make_engine(self.url)
        self._reader = self.engine.execution_options(readonly=True)
        self.postgres = self.engine.dialect.name == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        bind = self._reader
        if self.postgres:
            # One snapshot for the whole page: acked_seq and balances must agree.
            bind = self._reader.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount
