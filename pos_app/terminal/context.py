"""`TerminalContext`: what every terminal job needs and nothing else — the local database, the
identity and signing key, the wall and boot clocks, the central client factory and the
timeouts. Jobs take a context instead of reaching into a service object, so who owns what is
visible in each constructor (the way Anki's `Collection` hands itself to its managers).

It also owns the one journal writer (`journal`), so every entry the terminal writes goes
through the same chain rule (`journal_writer`), and makes every central client the same way:
each signed request reports the journal head, and a `quarantined` refusal from central is
kept where the offline policy and the counter read it (`standing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from pos_app.terminal import at_rest, enrollment, keystore, offline_clock, standing
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.journal_writer import JournalWriter
from pos_app.terminal.quote_service import ReplicaView
from wallet_sync.client import CentralClient, CentralRefused

log = logging.getLogger(__name__)
BEST_EFFORT_PUSH_TIMEOUT_S = 0.5  # the quick push after an online commit; sync does the rest


@dataclass
class TerminalContext:
    """One terminal HOME, opened. Not thread-safe; one per thread/process (SQLite serialises)."""

    home: Path
    db: TerminalDB
    wall_clock: Callable[[], int]  # unix ms; injectable so tests can age an outage
    boot_clock: offline_clock.BootClock  # (boot id, ms since boot): what a clock change can't move
    transport: httpx.BaseTransport | None = None
    authorize_timeout: float | None = None  # None: central's configured budget
    sync_timeout: float | None = None
    retries: int | None = None  # network retries per call (None: the client's default)
    journal: JournalWriter = field(init=False)
    _key: Ed25519PrivateKey | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.db.wall_clock, self.db.boot_clock = self.wall_clock, self.boot_clock
        self.journal = JournalWriter(self.db, self.key, self.now_ms)

    @classmethod
    def open(cls, home: Path | str, **options: Any) -> TerminalContext:
        """Open HOME (permissions checked by the database); an old home's secret is moved out
        of it, and an enrolled home whose secret is not on this account (a copied folder) is
        refused here, `key_unavailable`, before anything reads or signs."""
        folder = Path(home)
        db = TerminalDB.open(folder)
        try:
            keystore.migrate_legacy(folder)
            if (folder / keystore.KEY_FILE).exists():
                at_rest.seal_at_rest(db)  # finds the secret first: key_unavailable when absent
        except BaseException:
            db.close()
            raise
        return cls(folder, db, **options)

    def close(self) -> None:
        self.db.close()

    def set_wall_clock(self, clock: Callable[[], int]) -> None:
        """Move the terminal to another wall clock (tests age an outage or pick a weekday)."""
        self.wall_clock = self.db.wall_clock = clock

    def now_ms(self) -> int:
        return self.wall_clock()

    def boot(self) -> tuple[str, int]:
        return self.boot_clock()

    def identity(self) -> enrollment.Identity:
        return enrollment.load_identity(self.db)

    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = keystore.load_key(self.home)
        return self._key

    def forget_key(self) -> None:
        """After enrolling: the next signature loads the new key."""
        self._key = None

    def authorize_budget(self, identity: enrollment.Identity | None = None) -> float:
        """Seconds an online authorization may take before the offline policy decides."""
        if self.authorize_timeout is not None:
            return self.authorize_timeout
        return (identity or self.identity()).config.authorize_timeout_s

    def client(self, identity: enrollment.Identity | None = None, *,
               timeout: float | None = None, retries: int | None = None) -> CentralClient:
        """A signed client; `timeout`/`retries` override the context's for one quick question."""
        ident = identity or self.identity()
        kwargs: dict[str, Any] = {}
        if timeout is not None or self.sync_timeout is not None:
            kwargs["timeout"] = timeout if timeout is not None else self.sync_timeout
        if retries is not None or self.retries is not None:
            kwargs["retries"] = retries if retries is not None else self.retries
        return CentralClient(ident.central_url, terminal_id=ident.terminal_id,
                             private_key=self.key(), central_key=ident.central_key,
                             transport=self.transport, head=self.db.head,
                             on_refused=self._refused, **kwargs)

    def _refused(self, refused: CentralRefused) -> None:
        """Central's 403 `quarantined` (or `decommissioned`: head office retired this till):
        no more offline spending here, and the counter says why (`standing`)."""
        if refused.reason in (standing.QUARANTINED, "decommissioned") \
                and refused.status == 403:
            try:
                with self.db.write() as conn:
                    standing.record_quarantine(conn, refused.message, self.now_ms())
            except OperationalError:  # the refusal itself still reaches the caller
                log.exception("could not record the quarantine")

    def replica_view(self, conn: Connection) -> ReplicaView:
        """The quote engine's view of the replica inside `conn`."""
        ident = self.identity()
        return ReplicaView.open(conn, ident.terminal_id, ident.store_id, ident.config.time_zone)
