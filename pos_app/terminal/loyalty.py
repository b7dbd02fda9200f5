"""Quote and commit at the till (`LoyaltyJobs`, mixed into `TerminalService`).

`quote(basket, identifiers)` refreshes each presented member from central (a signed snapshot,
within the authorize budget; unreachable means the quote is *offline*), then asks the engine
over the replica (`quote_service`). `commit(choices)` turns the quote into journal entries:
`choose` plans them, gift-card redemptions are authorized online first (else the card
program's offline policy), and ONE BEGIN IMMEDIATE transaction re-quotes at the quote's time,
refuses with `quote_changed` if the token differs, checks the offline policies, and appends
every entry. A declined commit writes nothing.

Offline, earning is always allowed; burning points follows the loyalty program's `offline`
policy: `online` → `offline_not_allowed`, `escrow` → `no_offline_grant` (points have no
grants), `floor` → `floor_per_transaction` and `terminal_total` in points since the last
complete sync, within `max_offline_hours`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from core.codes import generate_code
from core.errors import InvalidInput, WalletError
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.money import format_minor
from core.programs import Program
from core.rules.basket import Basket
from core.rules.choose import Choices, Plan, choose
from core.rules.context import Customer
from pos_app.terminal import members, offline_clock, quote_service, redeem
from pos_app.terminal.quote_service import QuoteRequest, Replica, TerminalQuote
from pos_app.terminal.store import Store
from wallet_sync.agent import push_outbox
from wallet_sync.client import CentralRefused, CentralUnreachable
from wallet_sync.protocol import AuthorizeRequest

QUOTE_TTL_S = 600  # a quote older than this is re-quoted, not committed


class _Declined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class CommitResult:
    status: str  # committed | declined
    reason: str | None = None
    plan: Plan | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    offline: bool = False
    points: dict[str, int] = field(default_factory=dict)  # member -> points after

    def as_json(self, currency: str) -> dict[str, Any]:
        plan = self.plan
        return {
            "status": self.status, "reason": self.reason, "offline": self.offline,
            "entries": self.entries, "points_after": self.points,
            "dropped": [{"benefit": d.benefit, "reason": d.code} for d in plan.dropped]
            if plan else [],
            "discount": format_minor(plan.discount, currency) if plan else None,
            "to_pay": format_minor(plan.to_pay, currency) if plan else None,
        }


def burn_offline_reason(conn: Connection, program: Program, points: int, now_ms: int,
                        boot: tuple[str, int]) -> str | None:
    policy = program.offline
    if Store.get_meta(conn, "terminal_state", "active") != "active":
        return "terminal_quarantined"
    if policy.mode == "online":
        return "offline_not_allowed"
    if policy.mode == "escrow":
        return "no_offline_grant"
    elapsed = offline_clock.elapsed_ms(conn, "sync", now_ms, boot)
    if elapsed is None or (policy.max_offline_hours is not None
                           and elapsed > policy.max_offline_hours * 3_600_000):
        return "offline_too_long"
    if policy.floor_per_transaction is not None and points > policy.floor_per_transaction:
        return "offline_limit"
    spent = conn.execute(text(
        "SELECT COALESCE(SUM(amount), 0) FROM journal WHERE op = 'burn' AND offline = 1 "
        "AND program = :p AND seq > :m"), {"p": program.id,
                                           "m": Store.get_int(conn, "sync_mark_seq")}).scalar()
    if policy.terminal_total is not None and int(spent or 0) + points > policy.terminal_total:
        return "offline_limit"
    return None


class LoyaltyJobs:
    """Needs the `TerminalService` attributes: store, clock, boot_clock, authorize_timeout,
    identity(), key(), client()."""

    _last_quote: TerminalQuote | None = None

    def _replica(self, conn: Connection) -> Replica:
        ident = self.__dict__.get("_loyalty_identity")
        if ident is None:  # fixed once enrolled; read once per service
            ident = self.__dict__["_loyalty_identity"] = self.identity()  # type: ignore[attr-defined]
        return Replica.open(conn, ident.terminal_id, ident.store_id,
                            getattr(ident.config, "time_zone", "UTC") or "UTC")

    def _refresh_members(self, identifiers: Sequence[str]) -> bool:
        """Pull each presented member's snapshot from central; False when unreachable."""
        store: Store = self.store  # type: ignore[attr-defined]
        with store.read() as conn:
            rep = self._replica(conn)
            codes = [c for c in (rep.member_code(i) for i in identifiers) if c]
        if not codes:
            return True
        ident = self.identity()  # type: ignore[attr-defined]
        budget = self.authorize_timeout if self.authorize_timeout is not None \
            else ident.config.authorize_timeout_s  # type: ignore[attr-defined]
        try:
            with self.client(ident) as client:  # type: ignore[attr-defined]
                snaps = []
                for code in codes:
                    try:
                        snaps.append(client.member(code, timeout=budget))
                    except CentralRefused as exc:
                        if exc.reason != "unknown_member":
                            raise
        except CentralUnreachable:
            return False
        with store.write() as conn:
            for snap in snaps:
                cseq = conn.execute(text("SELECT change_seq FROM members WHERE code = :c"),
                                    {"c": snap.member.get("code")}).scalar() or 0
                members.apply_change(conn, snap.member, snap.acked_seq, int(cseq))
        return True

    def quote(self, basket: Basket, identifiers: Sequence[str], *, events: Sequence[str] = (),
              customer: Customer | None = None, online: bool = True) -> TerminalQuote:
        for ident in identifiers:
            if not isinstance(ident, str) or not 0 < len(ident) <= 64:
                raise InvalidInput("an identifier is 1 to 64 characters", "invalid_code")
        request = QuoteRequest(basket, tuple(identifiers), tuple(events), customer)
        offline = not self._refresh_members(identifiers) if online else True
        now = self.clock() // 1000  # type: ignore[attr-defined]
        with self.store.read() as conn:  # type: ignore[attr-defined]
            result = quote_service.build(self._replica(conn), request, now)
        result = TerminalQuote(request, result.quote, result.unknown, offline, result.members,
                               result.cards)
        self._last_quote = result
        return result

    def commit(self, choices: Choices, quoted: TerminalQuote | None = None) -> CommitResult:
        quoted = quoted or self._last_quote
        if quoted is None:
            raise InvalidInput("commit needs a quote first", reason="no_quote")
        q = quoted.quote
        if self.clock() // 1000 - q.now > QUOTE_TTL_S:  # type: ignore[attr-defined]
            return CommitResult("declined", "quote_expired")
        plan = choose(q, choices)
        txn = secrets.token_urlsafe(12)
        auths: dict[str, tuple[str | None, dict[str, Any]]] = {}  # card -> auth id, extra
        ident = self.identity()  # type: ignore[attr-defined]
        redeems = [op for op in plan.operations if op.op == "redeem"]
        if redeems:
            with self.client(ident) as client:  # type: ignore[attr-defined]
                for op in redeems:
                    try:
                        answer = client.authorize(AuthorizeRequest(
                            request_id=secrets.token_urlsafe(12), card=op.card,
                            amount=format_minor(op.amount, op.currency or ""),
                            currency=op.currency or ""),
                            timeout=self.authorize_timeout or ident.config.authorize_timeout_s)
                    except CentralUnreachable:
                        auths[op.card] = (None, {})
                        continue
                    except CentralRefused as exc:
                        return CommitResult("declined", exc.reason, plan)
                    if answer.status != "approved" or not answer.auth_id:
                        return CommitResult("declined", answer.reason or "declined_by_central",
                                            plan)
                    auths[op.card] = (answer.auth_id, {"auth_sig": answer.signature,
                                                       "auth_exp": answer.expires_at})
        try:
            result = self._journal(quoted, choices, plan, auths, txn)
        except _Declined as exc:
            return CommitResult("declined", exc.reason, plan, offline=quoted.offline)
        if not result.offline:
            try:  # best effort, like a redeem: the next sync carries whatever this misses
                with self.client(ident) as client:  # type: ignore[attr-defined]
                    push_outbox(self.store, client, batch=ident.config.push_batch,  # type: ignore[attr-defined]
                                timeout=0.5, retries=0, max_batches=1)
            except (WalletError, OSError):
                pass
        return result

    def _journal(self, quoted: TerminalQuote, choices: Choices, plan: Plan,
                 auths: dict[str, tuple[str | None, dict[str, Any]]], txn: str) -> CommitResult:
        store: Store = self.store  # type: ignore[attr-defined]
        ident = self.identity()  # type: ignore[attr-defined]
        key = self.key()  # type: ignore[attr-defined]
        boot = self.boot_clock()  # type: ignore[attr-defined]
        entries: list[dict[str, Any]] = []
        with store.write() as conn:
            now_ms = self.clock()  # type: ignore[attr-defined]
            rep = self._replica(conn)
            fresh = quote_service.build(rep, quoted.request, quoted.quote.now)
            if fresh.quote.token != quoted.quote.token:
                raise _Declined("quote_changed")
            plan = choose(fresh.quote, choices)
            if not plan.operations:
                raise _Declined(plan.dropped[0].code if plan.dropped else "nothing_to_commit")
            burned: dict[str, int] = {}
            for op in plan.operations:
                if op.op == "burn":
                    burned[op.program] = burned.get(op.program, 0) + op.amount
            if quoted.offline:
                for pid, points in burned.items():
                    why = burn_offline_reason(conn, rep.programs[pid].program, points, now_ms,
                                              boot)
                    if why:
                        raise _Declined(why)
            grants: dict[str, str | None] = {}
            for op in plan.operations:
                if op.op == "redeem" and auths.get(op.card, (None, {}))[0] is None:
                    why, grants[op.card] = redeem.offline_decision(
                        conn, rep.programs[op.program], op.card, op.amount, now_ms, boot)
                    if why:
                        raise _Declined(why)
            last_seq, prev = Store.last_entry(conn)
            visit = fresh.quote.total > 0
            for op in plan.operations:
                extra: dict[str, Any] = {**op.extra, "txn": txn}
                card, auth, offline = op.card, None, quoted.offline
                if op.op == "earn" and visit:
                    extra["visit"], visit = True, False
                if op.op == "load":
                    card = self._new_card_code(conn, rep.programs[op.program].program)
                if op.op == "redeem":
                    auth, more = auths.get(op.card, (None, {}))
                    extra.update({k: v for k, v in more.items() if v is not None})
                    extra["request_id"] = txn
                    offline = auth is None
                last_seq += 1
                body = EntryBody(
                    terminal=ident.terminal_id, seq=last_seq, prev_hash=prev or GENESIS_HASH,
                    wall_ms=now_ms, mono=store.next_mono(conn), op=op.op, amount=op.amount,
                    currency=op.currency, card=card, program=op.program,
                    program_version=op.program_version, auth=auth,
                    grant=grants.get(card) if op.op == "redeem" else None, offline=offline,
                    extra=extra)
                entry = sign_entry(body, key)
                Store.append(conn, entry, txn)
                prev = entry.hash
                if op.op == "redeem":
                    store.refresh_balance(conn, card)
                entries.append({"seq": body.seq, "op": op.op, "card": card,
                                "program": op.program, "amount": op.amount})
            points = {}
            for view in fresh.quote.members:
                m = rep.membership(view.member, now_ms // 1000)
                if m is not None:
                    points[view.member] = m.account.balance(now_ms // 1000, view.rolling_months)
        return CommitResult("committed", None, plan, entries, quoted.offline, points)

    @staticmethod
    def _new_card_code(conn: Connection, program: Program) -> str:
        """A gift-card credit reward issues a new card: the code is made here so the receipt
        can print it; central creates the card when the `load` entry arrives."""
        for _ in range(20):
            code = generate_code(program.code_pattern or "GC-####-####-####")
            if Store.get_card(conn, code) is None:
                return code
        raise _Declined("codes_exhausted")  # pragma: no cover

    # ---- the two counter flows the CLI offers ---------------------------------------------

    def member_basket(self, member: str, amount: str | None, lines: Any = None,
                      currency: str | None = None) -> tuple[str, Basket]:
        """The member's canonical code and a basket in their program's currency (malformed
        input raises InvalidInput: the CLI's exit 2)."""
        from core.rules.basket import parse_basket

        check = self.store  # type: ignore[attr-defined]
        self._member_online = self._refresh_members([member])
        with check.read() as conn:
            rep = self._replica(conn)
            code = rep.member_code(member)
            if code is None:
                raise InvalidInput(f"{member[:64]!r} is not a member code", "invalid_code")
            row = members.get(conn, code)
            rp = rep.programs.get(row.program) if row else None
        cur = currency or (rp.program.currency if rp else "EUR")
        if lines is not None and not isinstance(lines, list):
            raise InvalidInput("lines must be a JSON list", "invalid_basket")
        data: dict[str, Any] = {"currency": cur}
        if lines:
            data["lines"] = [{**ln, "price": _price(ln.get("price"))} if isinstance(ln, dict)
                             else ln for ln in lines]
        if amount is not None or not lines:
            data["total"] = amount if amount is not None else "0"
        return code, parse_basket(data)

    def _member_quote(self, code: str, basket: Basket, events: Sequence[str]) -> TerminalQuote:
        online = getattr(self, "_member_online", True)
        result = self.quote(basket, [code], events=events, online=False)
        result = TerminalQuote(result.request, result.quote, result.unknown, not online,
                               result.members, result.cards)
        self._last_quote = result
        return result

    def earn(self, member: str, amount: str | None, lines: Any = None,
             event: str | None = None) -> dict[str, Any]:
        code, basket = self.member_basket(member, amount, lines)
        q = self._member_quote(code, basket, [event] if event else [])
        mine = [r for r in (*q.unknown, *q.quote.refused)
                if r.benefit.startswith(("earn:", "milestone:", "member:", "code:"))]
        view = next((v for v in q.quote.members if v.member == code), None)
        out: dict[str, Any] = {"member": code, "points_earned": 0,
                               "points_after": view.points if view else None,
                               "tier": view.tier if view else None, "offline": q.offline,
                               "refused": [{"benefit": r.benefit, "reason": r.code}
                                           for r in mine], "entries": []}
        if not q.quote.earn:
            reason = mine[0].code if mine else "nothing_to_earn"
            return {"status": "declined", "reason": reason, **out}
        done = self.commit(Choices(earn=True), q)
        if done.status != "committed":
            return {"status": "declined", "reason": done.reason, **out}
        return {**out, "status": "earned", "reason": None,
                "points_earned": q.quote.points_to_earn,
                "points_after": done.points.get(code), "entries": done.entries}

    def redeem_reward(self, member: str, reward: str, basket: Basket | None = None, *,
                      amount: str | None = None, lines: Any = None) -> dict[str, Any]:
        if basket is None:
            code, basket = self.member_basket(member, amount, lines)
        else:
            code = member
            self._member_online = self._refresh_members([member])
        q = self._member_quote(code, basket, [])
        view = next((v for v in q.quote.members if v.member == code), None)
        benefit = f"reward:{view.program}:{reward}" if view else f"reward:?:{reward}"
        out: dict[str, Any] = {"member": code, "reward": reward, "points_burned": 0,
                               "points_after": view.points if view else None,
                               "offline": q.offline, "entries": []}
        offer = next((r for r in q.quote.rewards if r.benefit == benefit), None)
        if offer is None:
            refusal = q.quote.refusal(benefit) or next(iter(q.unknown), None)
            return {"status": "declined",
                    "reason": refusal.code if refusal else "unknown_reward", **out}
        done = self.commit(Choices(rewards=(benefit,), earn=False), q)
        if done.status != "committed":
            return {"status": "declined", "reason": done.reason, **out}
        burn_op = next(e for e in done.entries if e["op"] == "burn")
        card = next((e["card"] for e in done.entries if e["op"] == "load"), None)
        return {**out, "status": "approved", "reason": None, "points_burned": burn_op["amount"],
                "points_after": done.points.get(code), "gives": offer.gives.kind,
                "value": format_minor(offer.value, offer.currency),
                "discount": format_minor(done.plan.discount if done.plan else 0,
                                         offer.currency),
                "card": card, "entries": done.entries}


def _price(value: Any) -> Any:
    """Prices from a JSON lines file: decimal strings, or JSON numbers taken as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return value
