"""Central's database connection: the engine for a URL and the two kinds of transaction the
services run in (`Database.write`, `Database.read`). The tables themselves are `tables.py`.

With a standby (`read_url`, a PostgreSQL streaming replica), `Database.feed` answers a
terminal's pull from it when the standby has replayed at least as far as the pull needs, and
from the primary otherwise; `Database.report` reads head office's reports there. Nothing that
decides money reads the standby.

PostgreSQL connections are pinged on checkout only after they sat idle in the pool for
`PING_AFTER_IDLE_S` (`_ping_when_idle`): a connection handed back a moment ago is alive, and a
ping per checkout was a round trip on every transaction; one that waited longer (a database
restart while central was quiet) is still tested and replaced before a request uses it.
`Database.lookup` runs single statements outside any transaction (autocommit): a signed
request's terminal row is one SELECT, with no BEGIN and COMMIT around it.

SQLite: a new file is 0600; WAL, synchronous=FULL and a busy timeout on every connection, and
writers open with `BEGIN IMMEDIATE` (the pysqlite recipe from the SQLAlchemy docs) so concurrent
writers serialise at BEGIN instead of failing on lock upgrade. PostgreSQL: row locks
(`FOR UPDATE`) do the same job.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, exc, make_url, select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import COUNTER_CHANGES, Counter

PING_AFTER_IDLE_S = 2.0
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


def make_engine(db_url: str, isolation_level: str | None = None) -> Engine:
    url = normalize_url(db_url)
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    extra = {"isolation_level": isolation_level} if isolation_level else {}
    engine = create_engine(url, pool_size=10, max_overflow=10, **extra)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """`pool_pre_ping`, for connections that were idle: the pessimistic disconnect recipe
    (a DisconnectionError from checkout makes the pool replace the connection and retry)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return  # new (just connected) or handed back a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as error:
            raise exc.DisconnectionError() from error


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
        self._reader: Engine = self.engine.execution_options(readonly=True)
        self.postgres = self.engine.dialect.name == "postgresql"
        if self.postgres:
            # Reads get a pool of their own whose connections are REPEATABLE READ from the
            # start (psycopg then opens with `BEGIN ISOLATION LEVEL ...`): an engine copy with
            # that execution option set and reset it on every checkout, two round trips each.
            self._reader = make_engine(self.url, isolation_level="REPEATABLE READ")
        # Single statements, autocommit, on the readers' pool (psycopg switches autocommit on
        # the client, no round trip; the pool puts REPEATABLE READ back on checkin). SQLite:
        # the deferred reader, where one statement is its own snapshot too.
        self.lookup_engine: Engine = self._reader
        if self.postgres:
            self.lookup_engine = self._reader.execution_options(isolation_level="AUTOCOMMIT")
        self.standby: Engine | None = None
        if read_url:
            read = normalize_url(read_url)
            if not (self.postgres and read.startswith("postgresql")):
                raise ValueError("a standby (--read-db) needs PostgreSQL for both databases")
            self.standby = make_engine(read, isolation_level="REPEATABLE READ")

    @contextmanager
    def write(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        # PostgreSQL: one snapshot for the whole page (acked_seq and balances must agree).
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def lookup(self) -> Iterator[Session]:
        """A session for one read statement outside any transaction (PostgreSQL: autocommit,
        so no BEGIN/COMMIT round trips; each statement sees the latest commit)."""
        with Session(self.lookup_engine, expire_on_commit=False) as session:
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
            with Session(self.standby, expire_on_commit=False) as session, session.begin():
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
        with Session(self.standby, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader is not self.engine:
            self._reader.dispose()
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
