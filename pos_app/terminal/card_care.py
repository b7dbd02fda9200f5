"""A manager's card jobs at the terminal (`CardCare`, held by `TerminalService`): activate and
load a physical card sold at the till, block and unblock a card, void a redemption with a reason,
move the balance of a lost card to a new card, adjust a member's points by hand.

Each is one signed journal entry (or two: `activate` then `load`) carrying the approving
manager's id in `staff`; only a manager of this store may do them (checked here, not by the
screen). Selling a card is online only: central must take the entries in the same breath
(pushed right away, then the card pulled back active with its balance), so a card that was never
activated at central cannot be spent anywhere, and a store cannot mint value while cut off.
Block takes effect here at once (the replica row says `blocked`) and at central on the next
push; unblock likewise, and central refuses it into a conflict case while the card has an open
case (an overdraft block is head office's to lift). Voiding a redemption is online only like
selling (it gives value back): a `void` entry with `ref` = the redeem's seq on this terminal and
the reason; central returns that redeem's allocation and refuses a second void of it.
Moving a balance is online only too, and one commit (one `extra.txn`): a `redeem` of the old
card's whole balance with `extra {reason, transfer_to}`, a `block` of the old card, then
`activate` (if needed) and a `load` of the same amount on the new card with `extra
{reason, transfer_from}`. A redeem and a load rather than a new op: central already squares
both, the day close counts them, and the journal shows plainly where the money went.
A point adjustment is online only as well: one `adjust` entry (`amount` = points, `extra
{sign, reason}`); central adds a lot for `+` and burns soonest-expiring first for `-`.

Every entry that raises a balance or points (`activate`, `load`, a `+` adjust) names central's
value authorization for exactly it in `auth` (`authorization.ValueAuthority`), asked after the
sync and before the entry is written: central applies none without one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from core.errors import Declined, InvalidInput
from core.journal import EntryBody
from core.money import format_minor, parse_minor
from core.rules.schema import MAX_POINTS
from core.text_input import check_text
from pos_app.terminal import members, replica
from pos_app.terminal.authorization import ValueApproval, ValueAuthority, ValueOp
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import CardRow, TerminalDB
from pos_app.terminal.staff_login import StaffLogin
from wallet_sync import agent
from wallet_sync.client import CentralRefused, CentralUnreachable

SYNC_FAILURES = (CentralUnreachable, CentralRefused, agent.CentralError)
# What central is asked to authorize: (op, card, amount, currency, transfer_from).
Wanted = tuple[ValueOp, str, int, str | None, str | None]


class CardCare:
    """A manager's card jobs. `sync` is the terminal's full sync (push, release, pull): these
    jobs need central in the same breath."""

    def __init__(self, ctx: TerminalContext, staff: StaffLogin, sync: Callable[[], object]
                 ) -> None:
        self._ctx = ctx
        self._staff = staff
        self._sync = sync
        self._authority = ValueAuthority(ctx)

    def _approve(self, wanted: Sequence[Wanted], staff: str) -> list[ValueApproval]:
        """Central's value authorization for each (op, card, amount, currency, transfer_from),
        in order; Declined (`needs_central` or central's reason) when any is refused."""
        with self._ctx.client() as client:
            return [self._authority.ask(client, op, card, amount, currency, staff, source)
                    for op, card, amount, currency, source in wanted]

    def _manager(self, staff_id: str) -> str:
        return self._staff.manager(staff_id).id

    def _card(self, conn: Connection, code_text: str) -> CardRow:
        check_text(code_text, "code")
        code, _ = replica.normalize(replica.load_programs(conn), code_text)
        card = TerminalDB.get_card(conn, code)
        if card is None:
            raise Declined(f"card {code} is not in this terminal's replica", "unknown_card")
        return card

    def _append(self, conn: Connection, op: str, card: CardRow, amount: int, staff: str,
                extra: dict[str, Any], ref: int | None = None,
                approval: ValueApproval | None = None) -> dict[str, Any]:
        return self._append_to(conn, op, card.code, card.program, card.currency, amount, staff,
                               extra, ref, approval)

    def _append_to(self, conn: Connection, op: str, code: str, program: str,
                   currency: str | None, amount: int, staff: str, extra: dict[str, Any],
                   ref: int | None = None, approval: ValueApproval | None = None
                   ) -> dict[str, Any]:
        if approval is not None:
            extra = {**extra, **{k: v for k, v in approval.extra.items() if v is not None}}
        entry = self._ctx.journal.append(
            conn, op, card=code, program=program,
            program_version=TerminalDB.program_version(conn, program), amount=amount,
            currency=currency, staff=staff, ref=ref, extra=extra,
            auth=approval.auth_id if approval else None)
        return {"seq": entry.body.seq, "op": op, "card": code, "amount": amount}

    def _require_central(self, what: str = "selling a card") -> None:
        """A full sync first: proves central answers now, sends what is waiting (the chain
        stays in order) and brings the card's latest state."""
        try:
            self._sync()
        except SYNC_FAILURES as exc:
            raise Declined(f"{what} needs head office online",
                           "needs_central") from exc

    def activate_and_load(self, code: str, amount: str, staff: str) -> dict[str, Any]:
        """Sell a printed card: `activate` (when it is not active yet) and `load` AMOUNT, the
        amount the customer paid. A card issued with a face value sells at that value: AMOUNT
        empty or equal to it activates only, and any other amount is refused
        (`face_value_mismatch`) rather than loaded on top. An active card is topped up."""
        manager = self._manager(staff)
        with self._ctx.db.read() as conn:
            card = self._card(conn, code)
        if card.state not in ("inactive", "active"):
            raise Declined(f"card {card.code} is {card.state}", f"card_{card.state}")
        face_value = card.balance if card.state == "inactive" else 0
        minor = parse_minor(amount, card.currency) if str(amount).strip() else 0
        if face_value:
            if minor not in (0, face_value):
                value = format_minor(face_value, card.currency)
                raise Declined(f"card {card.code} carries {value} {card.currency} already: "
                               f"leave the amount empty to sell it at its value",
                               "face_value_mismatch")
            minor = 0  # the value is on the card: activation is the sale
        elif minor <= 0:
            raise InvalidInput("the amount sold must be above zero", "invalid_amount")
        self._require_central()
        with self._ctx.db.read() as conn:
            card = self._card(conn, code)  # as the sync left it
        activate = card.state == "inactive"
        if not activate and not minor:  # sold by someone else meanwhile: no sale
            raise Declined(f"card {card.code} is already active", "nothing_to_do")
        wanted: list[Wanted] = [("activate", card.code, 0, card.currency, None)] if activate \
            else []
        wanted += [("load", card.code, minor, card.currency, None)] if minor else []
        approvals = self._approve(wanted, manager)
        entries = []
        with self._ctx.db.write() as conn:
            card = self._card(conn, code)
            if (card.state == "inactive") != activate:  # someone else sold it meanwhile
                raise Declined(f"card {card.code} is already {card.state}", "nothing_to_do")
            if activate:
                entries.append(self._append(conn, "activate", card, 0, manager, {},
                                            approval=approvals[0]))
            if minor:
                entries.append(self._append(conn, "load", card, minor, manager, {"sale": True},
                                            approval=approvals[-1]))
        synced = True
        try:
            self._sync()  # central applies; the card comes back active
        except SYNC_FAILURES:
            synced = False  # journaled: the next sync delivers it
        with self._ctx.db.read() as conn:
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
        with self._ctx.db.write() as conn:
            card = self._card(conn, code)
            if (card.state == "blocked") == blocked:
                raise Declined(f"card {card.code} is already {card.state}", "nothing_to_do")
            if not blocked and card.state != "blocked":
                raise Declined(f"card {card.code} is {card.state}", f"card_{card.state}")
            entry = self._append(conn, "block" if blocked else "unblock", card, 0, manager,
                                 {"reason": reason.strip()})
            conn.execute(text("UPDATE cards SET state = :s WHERE code = wp_card_key(:c)"),
                         {"s": "blocked" if blocked else "active", "c": card.code})
        return {"status": "blocked" if blocked else "unblocked", "code": card.code,
                "entries": [entry]}

    def _redeem_entry(self, conn: Connection, seq: int) -> tuple[str, int]:
        """(card, amount) of this terminal's redeem `seq`, refused when it is no redeem or has a
        void already (voids are few: decoding each one's `ref` is cheap)."""
        row = conn.execute(text("SELECT op, card, amount FROM journal WHERE seq = :s"),
                           {"s": seq}).first()
        if row is None or row[0] != "redeem" or row[1] is None:
            raise Declined(f"entry {seq} is not a redemption of this terminal", "not_a_redeem")
        for op, data in conn.execute(text("SELECT op, data FROM journal WHERE op IN "
                                          "('void', 'refund') AND card = :c"), {"c": row[1]}):
            if EntryBody.decode(bytes(data)).ref == seq:
                if op == "refund":  # voiding it on top would give its value back twice
                    raise Declined(f"redemption {seq} is refunded", "already_refunded")
                raise Declined(f"redemption {seq} is already voided", "already_voided")
        return str(row[1]), int(row[2])

    def void_redemption(self, seq: int, reason: str, staff: str) -> dict[str, Any]:
        """Void this terminal's redemption SEQ (the receipt's entry number): the money goes back
        on the card at central, which applies the void by `ref`."""
        manager = self._manager(staff)
        check_text(reason, "reason", 200)
        if not reason.strip():
            raise InvalidInput("say why", "reason_required")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise InvalidInput("an entry number is a positive whole number", "invalid_input")
        with self._ctx.db.read() as conn:
            self._redeem_entry(conn, seq)  # refuse before asking central
        self._require_central("voiding a redemption")
        with self._ctx.db.write() as conn:
            code, amount = self._redeem_entry(conn, seq)  # again: the write lock is held now
            card = self._card(conn, code)
            entry = self._append(conn, "void", card, amount, manager,
                                 {"reason": reason.strip()}, ref=seq)
        synced = True
        try:
            self._sync()  # central applies; the balance comes back
        except SYNC_FAILURES:
            synced = False  # journaled: the next sync delivers it
        with self._ctx.db.read() as conn:
            after = self._card(conn, code)
        return {"status": "voided", "code": after.code, "ref": seq,
                "amount": format_minor(amount, after.currency),
                "balance": format_minor(after.balance, after.currency),
                "currency": after.currency, "synced": synced, "entries": [entry]}

    def transfer_balance(self, old_code: str, new_code: str, reason: str, staff: str
                         ) -> dict[str, Any]:
        """Move OLD's whole balance to NEW (a lost card replaced): OLD ends blocked at zero."""
        manager = self._manager(staff)
        check_text(reason, "reason", 200)
        if not reason.strip():
            raise InvalidInput("say why", "reason_required")
        self._require_central("moving a balance")  # and the old card's latest balance
        with self._ctx.db.read() as conn:
            old, new = self._card(conn, old_code), self._card(conn, new_code)
        wanted: list[Wanted] = [("activate", new.code, 0, new.currency, None)] \
            if new.state == "inactive" else []
        wanted.append(("load", new.code, old.balance, new.currency, old.code))
        if old.balance > 0 and old.code != new.code and new.currency == old.currency \
                and new.state in ("inactive", "active") and old.state in ("active", "blocked"):
            approvals = self._approve(wanted, manager)
        else:
            approvals = []  # refused below, with the reason
        entries = []
        with self._ctx.db.write() as conn:
            old, new = self._card(conn, old_code), self._card(conn, new_code)
            if old.code == new.code:
                raise InvalidInput("the new card must be another card", "same_card")
            if old.state not in ("active", "blocked"):
                raise Declined(f"card {old.code} is {old.state}", f"card_{old.state}")
            if new.state not in ("inactive", "active"):
                raise Declined(f"card {new.code} is {new.state}", f"card_{new.state}")
            if new.currency != old.currency:
                raise Declined("the new card is in another currency", "wrong_currency")
            amount = old.balance  # central's figure: the sync above left nothing pending
            if amount <= 0:
                raise Declined(f"card {old.code} has nothing to move", "nothing_to_move")
            if not approvals or amount != wanted[-1][2] \
                    or (new.state == "inactive") != (len(approvals) == 2):
                raise Declined("the cards changed meanwhile: try again", "quote_changed")
            why, txn = reason.strip(), secrets.token_urlsafe(12)
            entries.append(self._append(conn, "redeem", old, amount, manager,
                                        {"reason": why, "transfer_to": new.code, "txn": txn}))
            if old.state != "blocked":
                entries.append(self._append(conn, "block", old, 0, manager,
                                            {"reason": why, "txn": txn}))
            if new.state == "inactive":
                entries.append(self._append(conn, "activate", new, 0, manager, {"txn": txn},
                                            approval=approvals[0]))
            entries.append(self._append(conn, "load", new, amount, manager,
                                        {"reason": why, "transfer_from": old.code, "txn": txn},
                                        approval=approvals[-1]))
            conn.execute(text("UPDATE cards SET state = 'blocked' WHERE code = wp_card_key(:c)"),
                         {"c": old.code})
            self._ctx.db.refresh_balance(conn, old.code)
        synced = True
        try:
            self._sync()  # central applies; the new card comes back
        except SYNC_FAILURES:
            synced = False  # journaled: the next sync delivers it
        with self._ctx.db.read() as conn:
            after_old, after_new = self._card(conn, old.code), self._card(conn, new.code)
        return {"status": "moved", "from": old.code, "to": new.code,
                "amount": format_minor(amount, old.currency), "currency": old.currency,
                "balance_from": format_minor(after_old.balance, old.currency),
                "balance_to": format_minor(after_new.balance, new.currency),
                "state_from": after_old.state, "state_to": after_new.state,
                "synced": synced, "entries": entries}

    def _member_points(self, conn: Connection, code: str) -> int:
        row = members.get(conn, code)
        if row is None:
            raise Declined(f"member {code} is not in this terminal's replica", "unknown_member")
        local = members.local(conn, row, self._ctx.identity().terminal_id)
        return local.account.balance(self._ctx.now_ms() // 1000)

    def adjust_points(self, member: str, points: str, sign: str, reason: str, staff: str
                      ) -> dict[str, Any]:
        """Add (`+`) or take away (`-`) POINTS on MEMBER by hand, journaled with the reason."""
        manager = self._manager(staff)
        check_text(reason, "reason", 200)
        check_text(member, "member")
        if not reason.strip():
            raise InvalidInput("say why", "reason_required")
        if sign not in ("+", "-"):
            raise InvalidInput("sign is + or -", "invalid_input")
        raw = str(points)
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 12) \
                or not 0 < int(raw) <= MAX_POINTS:
            raise InvalidInput("points are a whole number above zero", "invalid_amount")
        amount = int(raw)
        with self._ctx.db.read() as conn:
            code = self._ctx.replica_view(conn).member_code(member)
            if code is None:
                raise InvalidInput(f"{member[:64]!r} is not a member code", "invalid_code")
        self._require_central("adjusting points")
        approval = self._approve([("adjust", code, amount, None, None)], manager)[0] \
            if sign == "+" else None
        with self._ctx.db.write() as conn:
            have = self._member_points(conn, code)
            if sign == "-" and amount > have:  # central would clamp it; say so here instead
                raise Declined(f"member {code} has {have} points", "points_overdraft")
            row = members.get(conn, code)
            assert row is not None  # checked by _member_points
            entry = self._append_to(conn, "adjust", code, row.program, None, amount, manager,
                                    {"sign": sign, "reason": reason.strip()},
                                    approval=approval)
        synced = True
        try:
            self._sync()
        except SYNC_FAILURES:
            synced = False  # journaled: the next sync delivers it
        with self._ctx.db.read() as conn:
            after = self._member_points(conn, code)
        return {"status": "adjusted", "member": code, "sign": sign, "points": amount,
                "points_after": after, "synced": synced, "entries": [entry]}
