"""`TerminalService`: the one facade over the terminal's jobs — enroll, redeem, balance, sync,
verify — used by the CLI now and the Qt screens later. It wires the store, the key, the
identity and the central client together; the jobs themselves live in their own modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.terminal import balance as balance_mod
from pos_app.terminal import enrollment, keystore
from pos_app.terminal.redeem import Redeemer, RedeemResult
from pos_app.terminal.store import Store, now_ms
from pos_app.terminal.verify import VerifyReport, verify_journal
from wallet_sync import agent
from wallet_sync.agent import SyncResult
from wallet_sync.client import CentralClient


class TerminalService:
    """One terminal HOME. Not thread-safe; open one per thread/process (SQLite serialises)."""

    def __init__(self, home: Path | str, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], int] = now_ms, authorize_timeout: float | None = None,
                 sync_timeout: float | None = None) -> None:
        self.home = Path(home)
        self.transport = transport
        self.clock = clock  # wall clock in unix ms; injectable so tests can age an outage
        self.authorize_timeout = authorize_timeout
        self.sync_timeout = sync_timeout
        self.store = Store.open(self.home)
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

    def client(self, identity: enrollment.Identity | None = None) -> CentralClient:
        ident = identity or self.identity()
        kwargs: dict[str, Any] = {}
        if self.sync_timeout is not None:
            kwargs["timeout"] = self.sync_timeout
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

    def sync(self) -> SyncResult:
        ident = self.identity()
        with self.client(ident) as client:
            return agent.sync(self.store, client, push_batch=ident.config.push_batch,
                              pull_page=ident.config.pull_page)

    def redeem(self, code: str, amount: str, *, staff: str | None = None,
               currency: str | None = None) -> RedeemResult:
        ident = self.identity()
        with self.client(ident) as client:
            redeemer = Redeemer(self.store, ident, self.key(), client, self.clock,
                                self.authorize_timeout)
            return redeemer.redeem(code, amount, staff=staff, currency=currency)

    def balance(self, code: str) -> dict[str, Any]:
        return balance_mod.card_balance(self.store, code)

    def verify(self) -> VerifyReport:
        ident = self.identity()
        return verify_journal(self.store, self.key().public_key(), ident.terminal_id)

    def status(self) -> dict[str, Any]:
        """What is waiting to sync (for the manager screen)."""
        with self.store.read() as conn:
            last, _ = Store.last_entry(conn)
            acked = Store.get_int(conn, "acked_seq")
            last_sync = Store.get_meta(conn, "last_sync_ms")
        return {"last_seq": last, "acked_seq": acked, "outbox": last - acked,
                "last_sync_ms": int(last_sync) if last_sync else None}
