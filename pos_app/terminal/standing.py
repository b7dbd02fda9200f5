"""What central says about this terminal, kept where the offline policy reads it.

- **Quarantined**: central refused a signed request 403 `quarantined` (a fork: this terminal's
  journal is not the one it pushed, or a tail central saw the head of is gone). From then on
  central applies nothing of it, so the terminal spends nothing offline either and the counter
  says why (`quarantine` in meta: JSON {message, at_ms}). Only a complete sync — central
  accepting this terminal again — lifts it.
- **Flagged**: central caught this terminal at a rule it cannot break honestly (an offline spend
  over its program's caps, value without authority) and says so in the change feed (kind
  `terminal`, `state: "flagged"` with the rule). It gets no grants and spends nothing offline
  until a person clears the flag at head office (the feed then says `active`).

Both stop offline decisions (`offline_refusal`); online ones are central's to refuse. Plain
SQL on the meta table, so `database` can call it while applying a page.

Public: QUARANTINED, Standing, record_quarantine, apply_feed, clear_quarantine,
offline_refusal, standing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, text

QUARANTINED = "quarantined"
QUARANTINE_KEY = "quarantine"
STATE_KEY = "terminal_state"  # as the feed last said: active | flagged
REASON_KEY = "terminal_state_reason"
MAX_TEXT = 300


@dataclass(frozen=True)
class Standing:
    state: str  # active | flagged | quarantined
    reason: str | None = None  # central's words (the rule, the fork), for the counter's banner
    at_ms: int | None = None  # when the terminal learned it (its wall clock)


def _get(conn: Connection, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
    return row[0] if row else None


def _set(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": value})


def record_quarantine(conn: Connection, message: str, at_ms: int) -> None:
    """Central refused this terminal as quarantined (inside a write transaction)."""
    _set(conn, QUARANTINE_KEY, json.dumps({"message": message[:MAX_TEXT], "at_ms": at_ms},
                                          ensure_ascii=False))


def clear_quarantine(conn: Connection) -> None:
    """A complete sync went through: central accepts this terminal."""
    if _get(conn, QUARANTINE_KEY):
        _set(conn, QUARANTINE_KEY, "")


def apply_feed(conn: Connection, data: dict[str, object]) -> None:
    """The terminal's own row from a change page: active or flagged, and why."""
    state, reason = data.get("state"), data.get("reason")
    if isinstance(state, str):
        _set(conn, STATE_KEY, state[:32])
        _set(conn, REASON_KEY, reason[:MAX_TEXT] if isinstance(reason, str) else "")


def standing(conn: Connection) -> Standing:
    raw = _get(conn, QUARANTINE_KEY)
    if raw:
        try:
            found = json.loads(raw)
        except ValueError:
            found = {}
        found = found if isinstance(found, dict) else {}
        at = found.get("at_ms")
        return Standing(QUARANTINED, str(found.get("message") or "") or None,
                        at if isinstance(at, int) else None)
    state = _get(conn, STATE_KEY) or "active"
    return Standing(state, _get(conn, REASON_KEY) or None) if state != "active" \
        else Standing("active")


def offline_refusal(conn: Connection) -> str | None:
    """Why nothing may be spent offline now (`terminal_quarantined`, `terminal_flagged`), or
    None."""
    state = standing(conn).state
    if state == QUARANTINED:
        return "terminal_quarantined"
    if state != "active":
        return "terminal_flagged"
    return None
