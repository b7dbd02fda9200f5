"""Central's database connection: the engine for a URL and the two kinds of transaction the
services run in (`Database.write`, `Database.read`). The tables themselves are `tables.py`.

With a standby (`read_url`, a PostgreSQL streaming replica), `Database.feed` answers a
terminal's pull from it when the standby has replayed at least as far as the pull needs, and
from the primary otherwise; `Database.report` reads head office's reports there. Nothing that
decides money reads the standby.

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

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, make_url, select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import COUNTER_CHANGES, Counter

PRIMARY = "primary"
STANDBY = "standby"


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

    def __init__(self, db_url: str, read_url: str | None = None) -> None:
        self.url = normalize_url(db_url)
        self.engine = make_engine(self.url)
        self._reader = self.engine.execution_options(readonly=True)
        self.postgres = self.engine.dialect.name == "postgresql"
        self.standby: Engine | None = None
        if read_url:
            read = normalize_url(read_url)
            if not (self.postgres and read.startswith("postgresql")):
                raise ValueError("a standby (--read-db) needs PostgreSQL for both databases")
            self.standby = create_engine(read, pool_pre_ping=True, pool_size=10,
                                         max_overflow=10)

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

    @contextmanager
    def feed(self, needed_seq: int) -> Iterator[tuple[Session, str]]:
        """A read snapshot for one page of the change feed, and where it was taken.

        The standby replays the primary's commits in order, and change_seqs commit in order
        (`change_seq.allocate`), so its snapshot is a prefix of the feed: it never shows a
        change the primary has not committed, and never one without those before it. It only
        has to be far enough: a snapshot whose last allocated seq is below `needed_seq` (the
        caller's cursor, or what this request just wrote) could answer "nothing new" for a
        change the terminal must see, so that page comes from the primary."""
        if self.standby is not None:
            bind = self.standby.execution_options(isolation_level="REPEATABLE READ")
            with Session(bind, expire_on_commit=False) as session, session.begin():
                if changes_seq(session) >= needed_seq:
                    yield session, STANDBY
                    return
        with self.read() as session:
            yield session, PRIMARY

    @contextmanager
    def report(self) -> Iterator[Session]:
        """A read for head office's reports: the standby when there is one (a report as of
        a moment a little earlier is still a true report), else the primary."""
        if self.standby is None:
            with self.read() as session:
                yield session
            return
        bind = self.standby.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.standby is not None:
            self.standby.dispose()


def changes_seq(session: Session) -> int:
    """The last change_seq allocated, as this session's snapshot sees it."""
    value = session.execute(select(Counter.value).where(Counter.name == COUNTER_CHANGES)
                            ).scalar_one_or_none()
    return int(value or 0)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a CursorResult)."""
    return cast(CursorResult[Any], result).rowcount
