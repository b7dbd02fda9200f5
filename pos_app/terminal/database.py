"""The terminal's local store: one SQLite file, HOME/terminal.db, through SQLAlchemy 2 Core.

What it owns: the connection settings (WAL, synchronous=FULL, busy_timeout), transactions that
begin with BEGIN IMMEDIATE (pysqlite begin-event recipe from the SQLAlchemy docs), schema
migrations (Alembic, run at open), and the table-level operations everyone else uses: meta
values, appending journal rows (the table is append-only, enforced by triggers), the cards,
programs and escrow-grants replicas, and the `LocalStore` protocol the sync agent drives.

The outbox is not a table: it is the journal rows with seq > the push pointer (meta
`acked_seq`), so an entry cannot be committed without also being queued for central.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext

from core.errors import WalletError
from core.journal import GENESIS_HASH, SignedEntry
from core.keys import unb64, verify
from pos_app.terminal import (
    home_files,
    integrity,
    keystore,
    limit_shares,
    members,
    offline_clock,
    program_cache,
    staff,
    standing,
)
from pos_app.terminal.data_keys import DataKeys
from wallet_sync.agent import SyncError
from wallet_sync.protocol import ChangePage, program_message

DB_NAME = "terminal.db"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration's revision id; a test checks it against Alembic's own view. Knowing it
# lets a store that is already current open without importing Alembic (a fifth of CLI start-up).
SCHEMA_HEAD = "0009_orders"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class CardRow:
    code: str
    program: str
    currency: str
    state: str
    balance_minor: int  # central's balance as of acked_seq
    acked_seq: int
    balance: int  # cached local view
    expires_at: int | None


def _engine(path: Path, keys: Callable[[], DataKeys]) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Stop pysqlite from issuing its own BEGIN so the "begin" hook below decides the kind.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed redemption survives power loss (WAL + NORMAL could lose the last
        # commits, and the receipt has already been printed by then).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        # What a sealing or hashing step replaces is overwritten, not left in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()
        # The data keys inside SQL (data_keys): PIN hashes are sealed and card codes hashed in
        # the statements that store them, so no path can write the plain value by forgetting.
        dbapi_conn.create_function("wp_seal_pin", 2, lambda i, h: keys().seal_pin(i, h))
        dbapi_conn.create_function("wp_card_key", 1, lambda c: None if c is None
                                   else keys().card_id(str(c)), deterministic=True)
        dbapi_conn.create_function("wp_seal_pool", 2, lambda c, q: keys().seal_pool(c, q))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a read-check-write sequence (balance
        # check then append) cannot interleave with another process doing the same.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # A damaged file is one typed answer (exit 2, what to do) from whichever statement
        # meets it first, never a driver traceback; other errors keep their own types.
        if integrity.is_corruption(context.original_exception):
            raise integrity.corrupt(path, str(context.original_exception)) \
                from context.original_exception

    return engine


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                   "AND name = 'alembic_version'")).first()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to head in one IMMEDIATE transaction; a no-op when already there."""
    if schema_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        with conn.begin():
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


class TerminalDB:
    """Open with `TerminalDB.open(home)`; every method opens its own short transaction unless it
    takes a `conn` (then it runs inside the caller's)."""

    def __init__(self, home: Path, engine: Engine, migrated_from: str | None = SCHEMA_HEAD
                 ) -> None:
        self.home = home
        self.engine = engine
        # The revision this process upgraded the file from (SCHEMA_HEAD: it was current), for
        # the one-time steps an upgrade needs the key for (`seal_at_rest`).
        self.migrated_from = migrated_from
        self._data_keys: DataKeys | None = None
        # The clocks sync marks are taken with; the terminal service injects its own (tests).
        self.wall_clock = now_ms
        self.boot_clock: offline_clock.BootClock = offline_clock.system_boot_clock

    @classmethod
    def open(cls, home: Path) -> TerminalDB:
        home_files.prepare(home)  # 0700 folder, 0600 database (SQLite copies it to -wal/-shm)
        home_files.check(home)
        opened: list[TerminalDB] = []
        engine = _engine(home / DB_NAME, lambda: opened[0].data_keys())
        try:
            with engine.connect() as conn:  # before migrating: never write into a damaged file
                conn.execution_options(sqlite_begin="DEFERRED")
                integrity.check_at_open(conn, home / DB_NAME)
            before = schema_revision(engine)
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        opened.append(cls(home, engine, before))
        return opened[0]

    def data_keys(self) -> DataKeys:
        """The keys for data at rest, from this home's secret (KeyStoreError when it is not on
        this account: a copied folder)."""
        if self._data_keys is None:
            self._data_keys = DataKeys(keystore.wrapping_secret(self.home))
        return self._data_keys

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A BEGIN IMMEDIATE transaction; commits on normal exit, rolls back on error."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A deferred (snapshot) transaction for reads that decide nothing."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    # ---- meta ------------------------------------------------------------------------------

    @staticmethod
    def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
        row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
        return row[0] if row else default

    @staticmethod
    def get_int(conn: Connection, key: str, default: int = 0) -> int:
        value = TerminalDB.get_meta(conn, key)
        return int(value) if value is not None else default

    @staticmethod
    def set_meta(conn: Connection, key: str, value: str | int) -> None:
        conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                     {"k": key, "v": str(value)})

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.read() as conn:
            return self.get_meta(conn, key, default)

    def next_mono(self, conn: Connection) -> int:
        """A counter that only goes up across restarts (the entry's `mono`): it orders entries
        even when the wall clock is set back."""
        mono = self.get_int(conn, "mono") + 1
        self.set_meta(conn, "mono", mono)
        return mono

    # ---- journal ---------------------------------------------------------------------------

    def head(self) -> tuple[int, bytes]:
        """(last seq, its hash; 0 and the genesis hash when empty): the journal head every
        signed request reports to central."""
        with self.read() as conn:
            seq, digest = self.last_entry(conn)
        return seq, digest or GENESIS_HASH

    @staticmethod
    def last_entry(conn: Connection) -> tuple[int, bytes | None]:
        row = conn.execute(text("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")).first()
        return (int(row[0]), bytes(row[1])) if row else (0, None)

    @staticmethod
    def append(conn: Connection, entry: SignedEntry, request_id: str | None) -> None:
        body = entry.body
        conn.execute(
            text("INSERT INTO journal (seq, hash, data, sig, op, card, program, amount, currency, "
                 "offline, wall_ms, request_id, grant_id) VALUES (:seq, :hash, :data, :sig, :op, "
                 ":card, :program, :amount, :currency, :offline, :wall_ms, :request_id, "
                 ":grant_id)"),
            {"seq": body.seq, "hash": entry.hash, "data": entry.data, "sig": entry.signature,
             "op": body.op, "card": body.card, "program": body.program, "amount": body.amount,
             "currency": body.currency, "offline": int(body.offline), "wall_ms": body.wall_ms,
             "request_id": request_id, "grant_id": body.grant})

    def journal_rows(self) -> list[dict[str, Any]]:
        """Every row as stored, in seq order (for `verify`)."""
        with self.read() as conn:
            rows = conn.execute(text("SELECT * FROM journal ORDER BY seq")).mappings().all()
        return [dict(r) for r in rows]

    # ---- replicas --------------------------------------------------------------------------

    @staticmethod
    def get_card(conn: Connection, code: str) -> CardRow | None:
        """The card CODE (as typed or scanned, normalized): the replica keeps only its keyed hash
        (`wp_card_key`, data_keys.card_id), found by the primary key's index all the same."""
        row = conn.execute(text("SELECT program, currency, state, balance_minor, acked_seq, "
                                "balance, expires_at FROM cards WHERE code = wp_card_key(:c)"),
                           {"c": code}).first()
        return CardRow(code, *row) if row else None

    @staticmethod
    def program_version(conn: Connection, program: str | None) -> int | None:
        """The version of PROGRAM in force here (what an entry records it was decided under)."""
        if program is None:
            return None
        row = conn.execute(text("SELECT version FROM programs WHERE id = :p"),
                           {"p": program}).first()
        return int(row[0]) if row else None

    @staticmethod
    def program_definitions(conn: Connection) -> list[tuple[str, int, dict[str, Any]]]:
        rows = conn.execute(text("SELECT id, version, definition FROM programs ORDER BY id"))
        return [(r[0], int(r[1]), json.loads(r[2])) for r in rows]

    @staticmethod
    def pending_redeems(conn: Connection, code: str, after_seq: int) -> int:
        """Own redeems of `code` central had not included (seq > after_seq), in minor units."""
        row = conn.execute(text("SELECT COALESCE(SUM(amount), 0) FROM journal WHERE card = :c "
                                "AND op = 'redeem' AND seq > :s"),
                           {"c": code, "s": after_seq}).first()
        return int(row[0]) if row else 0

    def refresh_balance(self, conn: Connection, code: str) -> None:
        """Recompute the cached local view of one card from central's figure and the journal."""
        card = self.get_card(conn, code)
        if card is None:
            return
        view = card.balance_minor - self.pending_redeems(conn, code, card.acked_seq)
        conn.execute(text("UPDATE cards SET balance = :b WHERE code = wp_card_key(:c)"),
                     {"b": view, "c": code})

    # ---- LocalStore protocol (wallet_sync.agent) -------------------------------------------

    def last_seq(self) -> int:
        with self.read() as conn:
            return self.last_entry(conn)[0]

    def push_pointer(self) -> int:
        with self.read() as conn:
            return self.get_int(conn, "acked_seq")

    def set_push_pointer(self, seq: int, *, allow_backward: bool = False) -> None:
        with self.write() as conn:
            current = self.get_int(conn, "acked_seq")
            # Forward only by default: a slow concurrent push must not undo a newer ack.
            if seq > current or allow_backward:
                self.set_meta(conn, "acked_seq", seq)

    def entries_after(self, seq: int, limit: int) -> list[SignedEntry]:
        with self.read() as conn:
            rows = conn.execute(text("SELECT data, sig FROM journal WHERE seq > :s ORDER BY seq "
                                     "LIMIT :n"), {"s": seq, "n": limit}).all()
        return [SignedEntry.from_wire(bytes(r[0]), bytes(r[1])) for r in rows]

    def pull_cursor(self) -> int:
        with self.read() as conn:
            return self.get_int(conn, "cursor")

    def repull_if_tampered(self) -> bool:
        """A program row that is not as central signed it (edited on disk) is never decided
        with; the next pull starts from the beginning so central's copy replaces it."""
        with self.write() as conn:
            tampered = [pid for pid, why in program_cache.refusals(conn).items()
                        if why == program_cache.TAMPERED]
            for pid in tampered:  # a replica row, not the record: central's copy returns
                conn.execute(text("DELETE FROM programs WHERE id = :i"), {"i": pid})
            if tampered:
                self.set_meta(conn, "cursor", 0)
            return bool(tampered)

    def apply_page(self, page: ChangePage) -> None:
        self.data_keys()  # cards are hashed, PINs sealed: no secret, a clear key_unavailable
        with self.write() as conn:
            cards = [self._card_params(c.data, page.acked_seq, c.change_seq)
                     for c in page.changes if c.kind == "card"]
            if cards:  # one executemany for the page's cards: a bootstrap is mostly cards
                conn.exec_driver_sql(_UPSERT_CARD, cards)  # type: ignore[arg-type]
            for change in page.changes:
                if change.kind == "card":
                    continue
                if change.kind == "program":
                    self._apply_program(conn, change.data, change.change_seq)
                elif change.kind == "staff":
                    staff.apply_change(conn, change.data, change.change_seq)
                elif change.kind == "grant":
                    self._apply_grant(conn, change.data, change.change_seq)
                elif change.kind == "member":
                    members.apply_change(conn, change.data, page.acked_seq, change.change_seq)
                elif change.kind == "limit_share":
                    limit_shares.apply_change(conn, change.data, change.change_seq)
                else:  # kind "terminal": this terminal's own row (flagged or active)
                    standing.apply_feed(conn, change.data)
            # Forward only, for the same reason: a racing sync may already be further along.
            if page.cursor > self.get_int(conn, "cursor"):
                self.set_meta(conn, "cursor", page.cursor)
            last = self.last_entry(conn)[0]
            # Central reporting it holds our entries up to acked_seq is as good as a push ack.
            if min(page.acked_seq, last) > self.get_int(conn, "acked_seq"):
                self.set_meta(conn, "acked_seq", min(page.acked_seq, last))
            # Every verified page is a fresh reading of central's clock (for grant expiry).
            offline_clock.save_central(conn, page.server_time, self.wall_clock(),
                                       self.boot_clock())

    def mark_synced(self, server_time: int) -> None:
        with self.write() as conn:
            # The offline policy's clock and counters restart here: its caps count offline
            # spends with seq > sync_mark_seq and time since this mark (offline_clock).
            offline_clock.save_mark(conn, "sync", self.wall_clock(), self.boot_clock())
            self.set_meta(conn, "sync_mark_seq", self.get_int(conn, "acked_seq"))
            self.set_meta(conn, "central_time", server_time)
            standing.clear_quarantine(conn)  # central took our push and served our pull

    @staticmethod
    def _card_params(data: dict[str, Any], acked: int, cseq: int) -> dict[str, Any]:
        try:
            code, program, currency = str(data["code"]), str(data["program"]), str(data["currency"])
            state, balance = str(data["state"]), data["balance_minor"]
            expires = data.get("expires_at")
            if not isinstance(balance, int) or not (expires is None or isinstance(expires, int)):
                raise TypeError("balance_minor/expires_at")
        except (KeyError, TypeError) as exc:
            raise SyncError(f"malformed card change: {exc}", reason="bad_change") from exc
        return {"code": code, "program": program, "currency": currency, "state": state,
                "bal": balance, "acked": acked, "exp": expires, "cseq": cseq}

    def _apply_grant(self, conn: Connection, data: dict[str, Any], cseq: int) -> None:
        try:
            gid, card, program = str(data["id"]), str(data["card"]), str(data["program"])
            amount, expires, status = data["amount_minor"], data["expires_at"], str(data["status"])
            if not isinstance(amount, int) or not isinstance(expires, int) or amount <= 0:
                raise TypeError("amount_minor/expires_at")
        except (KeyError, TypeError) as exc:
            raise SyncError(f"malformed grant change: {exc}", reason="bad_change") from exc
        if status == "open" and data.get("recall") is True:
            status = "recalled"  # needed elsewhere: released at once, never spent (grants.py)
        # released_seq is ours alone and is never touched by a page.
        conn.execute(
            text("INSERT INTO grants (id, card, program, amount, expires_at, status, change_seq) "
                 "VALUES (:i, :c, :p, :a, :e, :s, :q) ON CONFLICT(id) DO UPDATE SET "
                 "expires_at = excluded.expires_at, status = excluded.status, "
                 "change_seq = excluded.change_seq WHERE excluded.change_seq >= grants.change_seq"),
            {"i": gid, "c": card, "p": program, "a": amount, "e": expires, "s": status[:16],
             "q": cseq})

    def _apply_program(self, conn: Connection, data: dict[str, Any], cseq: int) -> None:
        pid, version, definition = data.get("id"), data.get("version"), data.get("definition")
        signature = data.get("signature")
        if not isinstance(pid, str) or not isinstance(version, int) or not isinstance(
                definition, dict) or not isinstance(signature, str):
            raise SyncError("malformed program change", reason="bad_change")
        key = program_cache.central_key(conn)
        if key is None or not verify(key, _unb64(signature),
                                     program_message(pid, version, definition)):
            raise SyncError(f"program {pid} v{version} is not signed by central",
                            reason="bad_program_signature")
        # A version this build cannot parse never replaces the one in force (program_cache);
        # it is skipped, and the other programs keep updating.
        if not program_cache.acceptable(pid, version, definition):
            return
        conn.execute(
            text("INSERT INTO programs (id, version, definition, change_seq, signature) VALUES "
                 "(:i, :v, :d, :c, :g) ON CONFLICT(id) DO UPDATE SET version = excluded.version, "
                 "definition = excluded.definition, change_seq = excluded.change_seq, "
                 "signature = excluded.signature "
                 "WHERE excluded.change_seq >= programs.change_seq"),
            {"i": pid, "v": version, "d": json.dumps(definition, sort_keys=True), "c": cseq,
             "g": signature})


def _unb64(text_in: str) -> bytes:
    try:
        return unb64(text_in)
    except WalletError:
        return b""


# A card as central reported it, with its local balance view (central's figure less this
# terminal's own redeems central had not included: refresh_balance, in the same statement).
_PENDING = ("(SELECT COALESCE(SUM(j.amount), 0) FROM journal j WHERE j.card = {code} "
            "AND j.op = 'redeem' AND j.seq > {acked})")
_UPSERT_CARD = (  # sqlite3's own named parameters: straight to the driver's executemany
    # The row's key is the code's keyed hash; the journal (this terminal's own entries, which
    # central needs to read) names the plain code, so the pending redeems join on :code.
    "INSERT INTO cards (code, program, currency, state, balance_minor, acked_seq, balance, "
    "expires_at, change_seq) VALUES (wp_card_key(:code), :program, :currency, :state, :bal, "
    ":acked, :bal - " + _PENDING.format(code=":code", acked=":acked") + ", :exp, :cseq) "
    "ON CONFLICT(code) DO UPDATE SET program = excluded.program, "
    "currency = excluded.currency, state = excluded.state, "
    "balance_minor = excluded.balance_minor, acked_seq = excluded.acked_seq, "
    "balance = excluded.balance_minor - "
    + _PENDING.format(code=":code", acked="excluded.acked_seq") + ", "
    "expires_at = excluded.expires_at, change_seq = excluded.change_seq "
    # Two syncs racing: an older page applied last must not roll a card back.
    "WHERE excluded.change_seq >= cards.change_seq")
