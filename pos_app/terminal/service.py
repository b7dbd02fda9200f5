"""`TerminalService`: the one facade over the terminal's jobs — enroll, redeem, balance, sync
(handing back due escrow grants after the push), verify — used by the CLI now and the Qt
screens later. It wires the store, the key, the identity and the central client together; the
jobs themselves live in their own modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.payload import Identifier
from pos_app.terminal import balance as balance_mod
from pos_app.terminal import counter_lookup, enrollment, grants, keystore, offline_clock
from pos_app.terminal import staff as staff_mod
from pos_app.terminal.card_care import CardCare
from pos_app.terminal.day_close import DayClose
from pos_app.terminal.issuing import CardIssuing
from pos_app.terminal.kiosk_view import KioskJobs
from pos_app.terminal.loyalty import LoyaltyJobs
from pos_app.terminal.redeem import Redeemer, RedeemResult
from pos_app.terminal.store import Store, now_ms
from pos_app.terminal.sync_status import SyncStatusJobs, recorded
from pos_app.terminal.verify import VerifyReport, verify_journal
from wallet_sync import agent
from wallet_sync.agent import SyncResult
from wallet_sync.client import CentralClient


# One module per job family.
class TerminalService(LoyaltyJobs, KioskJobs, CardIssuing, CardCare, DayClose, SyncStatusJobs):
    """One terminal HOME. Not thread-safe; open one per thread/process (SQLite serialises)."""

    def __init__(self, home: Path | str, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], int] = now_ms, authorize_timeout: float | None = None,
                 sync_timeout: float | None = None,
                 boot_clock: offline_clock.BootClock = offline_clock.system_boot_clock,
                 retries: int | None = None) -> None:
        self.home = Path(home)
        self.transport = transport
        self.clock = clock  # wall clock in unix ms; injectable so tests can age an outage
        self.boot_clock = boot_clock  # (boot id, ms since boot): what a clock change can't move
        self.authorize_timeout = authorize_timeout
        self.sync_timeout = sync_timeout
        self.retries = retries  # network retries per call (None: the client's default)
        self.store = Store.open(self.home)
        self.store.wall_clock, self.store.boot_clock = clock, boot_clock
        self._key: Ed25519PrivateKey | None = None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> TerminalService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- wiring ----------------------------------------------------------------------------

    def identity(self) -> enrollment.Identity:
        return enrollment.load_identity(self.store)

    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = keystore.load_key(self.home)
        return self._key

    def client(self, identity: enrollment.Identity | None = None, *,
               timeout: float | None = None, retries: int | None = None) -> CentralClient:
        """A signed client; `timeout`/`retries` override the service's for one quick question."""
        ident = identity or self.identity()
        kwargs: dict[str, Any] = {}
        if timeout is not None or self.sync_timeout is not None:
            kwargs["timeout"] = timeout if timeout is not None else self.sync_timeout
        if retries is not None or self.retries is not None:
            kwargs["retries"] = retries if retries is not None else self.retries
        return CentralClient(ident.central_url, terminal_id=ident.terminal_id,
                             private_key=self.key(), central_key=ident.central_key,
                             transport=self.transport, **kwargs)

    # ---- jobs ------------------------------------------------------------------------------

    def enroll(self, central_url: str, code: str, name: str | None = None) -> dict[str, Any]:
        """Enroll, then pull the first snapshot. A failed first sync leaves the terminal
        enrolled (the next `sync` finishes it) and is reported, not raised."""
        ident = enrollment.enroll(self.store, central_url, code, name=name,
                                  transport=self.transport)
        self._key = None
        result: dict[str, Any] = {"terminal_id": ident.terminal_id, "store": ident.store_id,
                                  "central_key_id": ident.central_key_id}
        try:
            result["sync"] = dict(self.sync())
        except agent.CentralError as exc:
            result["sync"] = {"error": exc.reason, "message": exc.message}
        return result

    @recorded  # the outcome is kept for the manager's sync panel (sync_status)
    def sync(self) -> SyncResult:
        ident = self.identity()
        with self.client(ident) as client:
            result = agent.sync(self.store, client, push_batch=ident.config.push_batch,
                                pull_page=ident.config.pull_page,
                                after_push=lambda: self._release_grants(ident))
        self.top_up_pools()  # codes for issuing cards offline, where this terminal issues
        return result

    def _release_grants(self, ident: enrollment.Identity) -> int:
        """Hand back the escrow grants that are due (central is reachable: the push just
        went through)."""
        return grants.release_due(self.store, ident.terminal_id, self.key(), self.clock(),
                                  self.boot_clock())

    def redeem(self, code: str, amount: str, *, staff: str | None = None,
               currency: str | None = None) -> RedeemResult:
        ident = self.identity()
        with self.client(ident) as client:
            redeemer = Redeemer(self.store, ident, self.key(), client, self.clock,
                                self.authorize_timeout, self.boot_clock)
            return redeemer.redeem(code, amount, staff=staff, currency=currency)

    def balance(self, code: str) -> dict[str, Any]:
        return balance_mod.card_balance(self.store, code)

    def verify(self) -> VerifyReport:
        ident = self.identity()
        return verify_journal(self.store, self.key().public_key(), ident.terminal_id)

    # ---- counter screen: staff, identification, receipts ------------------------------------

    def staff(self) -> list[staff_mod.StaffMember]:
        """The store's cashiers and managers (synced from central; works offline)."""
        return staff_mod.list_staff(self.store)

    def login(self, staff_id: str, pin: str, role: str | None = None) -> staff_mod.LoginResult:
        """Check a PIN offline; 5 wrong in a row lock every login here for 5 minutes."""
        return staff_mod.login(self.store, staff_id, pin, self.clock(), role=role)

    def login_lock(self) -> staff_mod.LoginResult:
        return staff_mod.lock_state(self.store, self.clock())

    def identify(self, payload: str) -> Identifier:
        """A scanned or typed payload as a card, member or credential (core.payload rules)."""
        return counter_lookup.identify(self.store, self.identity(), payload)

    def code_patterns(self) -> tuple[list[str], list[str]]:
        """(card patterns, member patterns) of the replica, for typed-code feedback."""
        return counter_lookup.code_patterns(self.store)

    def entry_hash(self, seq: int) -> bytes | None:
        """The hash of journal entry `seq` (a receipt prints its first 12 hex digits)."""
        return counter_lookup.entry_hash(self.store, seq)

    def status(self) -> dict[str, Any]:
        """What is waiting to sync (for the manager screen)."""
        with self.store.read() as conn:
            last, _ = Store.last_entry(conn)
            acked = Store.get_int(conn, "acked_seq")
            last_sync = Store.get_meta(conn, "last_sync_ms")
        return {"last_seq": last, "acked_seq": acked, "outbox": last - acked,
                "last_sync_ms": int(last_sync) if last_sync else None}
