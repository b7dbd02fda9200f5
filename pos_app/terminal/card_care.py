"""A manager's card jobs at the terminal (`CardCare`, mixed into `TerminalService`): activate and
load a physical card sold at the till, block and unblock a card.

Each is one signed journal entry (or two: `activate` then `load`) carrying the approving
manager's id in `staff`; only a manager of this store may do them (checked here, not by the
screen). Selling a card is online only: central must take the entries in the same breath
(pushed right away, then the card pulled back active with its balance), so a card that was never
activated at central cannot be spent anywhere, and a store cannot mint value while cut off.
Block takes effect here at once (the replica row says `blocked`) and at central on the next
push; unblock likewise, and central refuses it into a conflict case while the card has an open
case (an overdraft block is head office's to lift).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined, InvalidInput
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.money import format_minor, parse_minor
from pos_app.terminal import replica
from pos_app.terminal import staff as staff_mod
from pos_app.terminal.store import CardRow, Store, check_text
from wallet_sync import agent
from wallet_sync.client import CentralRefused, CentralUnreachable


class CardCare:
    """Needs the `TerminalService` attributes: store, clock, identity(), key(), client(),
    sync()."""

    def _manager(self, staff_id: str) -> str:
        found = next((p for p in staff_mod.list_staff(self.store)  # type: ignore[attr-defined]
                      if p.id == staff_id), None)
        if found is None or found.role != "manager":
            raise Declined("only a manager of this store may do this", "manager_required")
        return found.id

    def _card(self, conn: Connection, code_text: str) -> CardRow:
        check_text(code_text, "code")
        code, _ = replica.normalize(replica.load_programs(conn), code_text)
        card = Store.get_card(conn, code)
        if card is None:
            raise Declined(f"card {code} is not in this terminal's replica", "unknown_card")
        return card

    def _append(self, conn: Connection, op: str, card: CardRow, amount: int, staff: str,
                extra: dict[str, Any]) -> dict[str, Any]:
        ident = self.identity()  # type: ignore[attr-defined]
        store: Store = self.store  # type: ignore[attr-defined]
        seq, prev = Store.last_entry(conn)
        versions = {pid: rp.version for pid, rp in replica.load_programs(conn).items()}
        body = EntryBody(terminal=ident.terminal_id, seq=seq + 1,
                         prev_hash=prev or GENESIS_HASH, wall_ms=self.clock(),  # type: ignore[attr-defined]
                         mono=store.next_mono(conn), op=op, amount=amount,
                         currency=card.currency, card=card.code, program=card.program,
                         program_version=versions.get(card.program), staff=staff,
                         offline=False, extra=extra)
        Store.append(conn, sign_entry(body, self.key()), None)  # type: ignore[attr-defined]
        return {"seq": body.seq, "op": op, "card": card.code, "amount": amount}

    def _require_central(self) -> None:
        """A full sync first: proves central answers now, sends what is waiting (the chain
        stays in order) and brings the card's latest state."""
        try:
            self.sync()  # type: ignore[attr-defined]
        except (CentralUnreachable, CentralRefused, agent.CentralError) as exc:
            raise Declined("selling a card needs head office online",
                           "needs_central") from exc

    def activate_and_load(self, code: str, amount: str, staff: str) -> dict[str, Any]:
        """Sell a printed card: `activate` (when it is not active yet) and `load` AMOUNT."""
        manager = self._manager(staff)
        with self.store.read() as conn:  # type: ignore[attr-defined]
            card = self._card(conn, code)
        if card.state not in ("inactive", "active"):
            raise Declined(f"card {card.code} is {card.state}", f"card_{card.state}")
        minor = parse_minor(amount, card.currency)
        if minor <= 0:
            raise InvalidInput("the amount sold must be above zero", "invalid_amount")
        self._require_central()
        entries = []
        with self.store.write() as conn:  # type: ignore[attr-defined]
            card = self._card(conn, code)
            if card.state == "inactive":
                entries.append(self._append(conn, "activate", card, 0, manager, {}))
            entries.append(self._append(conn, "load", card, minor, manager, {"sale": True}))
        synced = True
        try:
            self.sync()  # type: ignore[attr-defined]  # central applies; the card comes back active
        except (CentralUnreachable, CentralRefused, agent.CentralError):
            synced = False  # journaled: the next sync delivers it
        with self.store.read() as conn:  # type: ignore[attr-defined]
            after = self._card(conn, card.code)
        return {"status": "loaded", "code": after.code, "state": after.state,
                "balance": format_minor(after.balance, after.currency),
                "currency": after.currency, "synced": synced, "entries": entries}

    def set_blocked(self, code: str, blocked: bool, staff: str, reason: str) -> dict[str, Any]:
        """Block (or unblock) a card here now, journaled with the manager and the reason."""
        manager = self._manager(staff)
        check_text(reason, "reason", 200)
        if not reason.strip():
            raise InvalidInput("say why", "reason_required")
        with self.store.write() as conn:  # type: ignore[attr-defined]
            card = self._card(conn, code)
            if (card.state == "blocked") == blocked:
                raise Declined(f"card {card.code} is already {card.state}", "nothing_to_do")
            if not blocked and card.state != "blocked":
                raise Declined(f"card {card.code} is {card.state}", f"card_{card.state}")
            entry = self._append(conn, "block" if blocked else "unblock", card, 0, manager,
                                 {"reason": reason.strip()})
            conn.execute(text("UPDATE cards SET state = :s WHERE code = :c"),
                         {"s": "blocked" if blocked else "active", "c": card.code})
        return {"status": "blocked" if blocked else "unblocked", "code": card.code,
                "entries": [entry]}
