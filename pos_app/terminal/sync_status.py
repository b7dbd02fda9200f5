"""What the manager's "Sync and conflicts" panel shows (`SyncStatus`, held by
`TerminalService`): what waits to sync, how the last sync went, and the store's open conflict
cases as central last listed them.

- Every `TerminalService.sync()` leaves its outcome in the store's meta table (`recorded`
  runs it): a failure as `last_sync_error` = JSON {reason, message, at_ms} (the terminal's wall
  clock), a success clears it. The error still reaches the caller unchanged.
- `refresh_conflicts()` asks central (`GET /v1/store/conflicts`, signed) for the open cases of
  this terminal's store and keeps the answer in meta (`store_conflicts` = JSON {as_of_ms,
  conflicts, stale}) with the time it was fetched. When central cannot be reached it keeps the
  last list and marks it stale instead of raising: a manager still sees what was known, and
  when. A refusal from central (quarantined, ...) is raised like any other.
- `sync_status()` is `outbox()` (what waits, seqs, last sync) plus the two above and what
  central says about this terminal (`standing`: quarantined, flagged, or active);
  it never touches the network.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from core.errors import WalletError
from pos_app.terminal import standing
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from wallet_sync.client import CentralUnreachable

log = logging.getLogger(__name__)

LAST_ERROR_KEY = "last_sync_error"
CONFLICTS_KEY = "store_conflicts"
CONFLICTS_LIMIT = 500  # central's maximum; a store with more open cases has bigger problems
REFRESH_TIMEOUT_S = 5.0  # the whole budget of one refresh, retries included
MAX_MESSAGE = 500

T = TypeVar("T")


def _json(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class SyncStatus:
    def __init__(self, ctx: TerminalContext) -> None:
        self._ctx = ctx

    def recorded(self, sync: Callable[[], T]) -> T:
        """Run `sync`, recording its failure (reason, message, time) or clearing the last one on
        success. Recording never hides the sync's own outcome."""
        try:
            result = sync()
        except WalletError as exc:
            self._note_sync_error(exc.reason, exc.message)
            raise
        except Exception as exc:  # a bug: still say on the manager screen that sync failed
            self._note_sync_error("internal_error", f"{type(exc).__name__}: {exc}")
            raise
        self._note_sync_error(None, None)
        return result

    def outbox(self) -> dict[str, Any]:
        """What is waiting to sync: {"last_seq", "acked_seq", "outbox", "last_sync_ms"}."""
        with self._ctx.db.read() as conn:
            last, _ = TerminalDB.last_entry(conn)
            acked = TerminalDB.get_int(conn, "acked_seq")
            last_sync = TerminalDB.get_meta(conn, "last_sync_ms")
        return {"last_seq": last, "acked_seq": acked, "outbox": last - acked,
                "last_sync_ms": int(last_sync) if last_sync else None}

    def _note_sync_error(self, reason: str | None, message: str | None) -> None:
        store = self._ctx.db
        try:
            if reason is None:
                if store.meta(LAST_ERROR_KEY):  # a success writes only when there is news
                    with store.write() as conn:
                        TerminalDB.set_meta(conn, LAST_ERROR_KEY, "")
                return
            value = json.dumps({"reason": reason, "message": (message or "")[:MAX_MESSAGE],
                                "at_ms": int(self._ctx.now_ms())},
                               ensure_ascii=False)
            with store.write() as conn:
                TerminalDB.set_meta(conn, LAST_ERROR_KEY, value)
        except Exception:  # the sync's own outcome matters more than this note
            log.exception("could not record the sync outcome")

    def refresh_conflicts(self, timeout: float | None = None) -> dict[str, Any]:
        """Fetch this store's open conflict cases from central and keep them; return
        `sync_status()`. Central unreachable: the kept list, marked stale (never raises)."""
        store = self._ctx.db
        try:
            with self._ctx.client() as client:
                answer = client.store_conflicts(
                    "open", CONFLICTS_LIMIT,
                    timeout=timeout if timeout is not None else REFRESH_TIMEOUT_S)
        except CentralUnreachable:
            cached = _json(store.meta(CONFLICTS_KEY)) or {"as_of_ms": None, "conflicts": []}
            cached["stale"] = True
        else:
            cached = {"as_of_ms": int(self._ctx.now_ms()),
                      "conflicts": answer["conflicts"], "stale": False}
        with store.write() as conn:
            TerminalDB.set_meta(conn, CONFLICTS_KEY, json.dumps(cached, ensure_ascii=False))
        return self.sync_status()

    def standing(self) -> standing.Standing:
        """What central last said about this terminal (no network)."""
        with self._ctx.db.read() as conn:
            return standing.standing(conn)

    def sync_status(self) -> dict[str, Any]:
        """{"outbox", "last_seq", "acked_seq", "last_sync_ms",
        "last_error": {reason, message, at_ms} | None,
        "conflicts": [...], "conflicts_as_of_ms": int | None, "conflicts_stale": bool,
        "standing": {"state": active|flagged|quarantined, "reason", "at_ms"}}
        from local state only (no network)."""
        store = self._ctx.db
        status = self.outbox()
        with store.read() as conn:
            error = _json(TerminalDB.get_meta(conn, LAST_ERROR_KEY))
            cached = _json(TerminalDB.get_meta(conn, CONFLICTS_KEY)) or {}
            held = standing.standing(conn)
        cases = cached.get("conflicts")
        as_of = cached.get("as_of_ms")
        return {**status,
                "last_error": ({"reason": str(error.get("reason") or "sync_failed"),
                                "message": str(error.get("message") or ""),
                                "at_ms": error.get("at_ms")} if error else None),
                "conflicts": cases if isinstance(cases, list) else [],
                "conflicts_as_of_ms": as_of if isinstance(as_of, int) else None,
                "conflicts_stale": bool(cached.get("stale", False)),
                "standing": {"state": held.state, "reason": held.reason, "at_ms": held.at_ms}}
