"""The money path: redeeming (part of) a gift card at the counter.

1. Parse and check against the local replica (state, expiry, amount, currency, local balance
   view, per-order limit). A decline writes nothing.
2. Online first: POST /v1/authorize within the configured budget. An approval counts only with
   central's valid signature (kept in the entry: `auth`, extra `auth_sig`/`auth_exp`) and is
   committed within AUTH_COMMIT_WINDOW_S of asking. Central's decline is final — except that
   `insufficient_funds` may still be covered by this terminal's own escrow grant (central's
   reserve excludes it). When central cannot be reached the program's offline policy decides:
   `online` never spends offline, `escrow` draws only on this terminal's grant for the card
   (`no_offline_grant`, `grant_expired`, `grant_exhausted`), `floor` spends within its caps.
3. Commit in ONE BEGIN IMMEDIATE transaction: re-check the card (another process may have spent
   it), the grant or the floor caps, then append the signed entry and update the cached balance
   view. Only after the commit returns does the caller print anything.
4. After an online commit, one quick best-effort push; sync carries anything it misses.

Offline caps and grant use are counted from the journal and meta (never from memory), so
restarting the terminal cannot reset them; time is measured by `offline_clock`, so moving the
wall clock cannot stretch them.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, text

from core.errors import InvalidInput, WalletError
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.money import format_minor, parse_minor
from pos_app.terminal import grants, offline_clock, replica
from pos_app.terminal.enrollment import Identity
from pos_app.terminal.store import CardRow, Store, check_text
from wallet_sync.agent import push_outbox
from wallet_sync.client import CentralClient, CentralRefused, CentralUnreachable
from wallet_sync.protocol import AUTH_COMMIT_WINDOW_S, AuthorizeRequest, AuthorizeResponse

BEST_EFFORT_PUSH_TIMEOUT_S = 0.5
MAX_STAFF_LENGTH = 64
_STATE_REASONS = {"inactive": "card_inactive", "blocked": "card_blocked", "voided": "card_voided"}


@dataclass(frozen=True)
class RedeemResult:
    status: str  # "approved" | "declined"
    reason: str | None
    amount: int
    currency: str
    balance_after: int | None
    seq: int | None
    request_id: str
    offline: bool
    code: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "reason": self.reason,
            "amount": format_minor(self.amount, self.currency), "currency": self.currency,
            "balance_after": (format_minor(self.balance_after, self.currency)
                              if self.balance_after is not None else None),
            "seq": self.seq, "request_id": self.request_id, "offline": self.offline,
        }


class _Declined(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def card_reason(card: CardRow | None, program: replica.ReplicaProgram | None, amount: int,
                currency: str, now_s: int) -> str | None:
    """The replica checks, in the order a cashier should hear them; None when spendable."""
    if card is None:
        return "unknown_card"
    if program is None:
        return "program_unavailable"
    if card.state != "active":
        return _STATE_REASONS.get(card.state, "card_inactive")
    if card.expires_at is not None and now_s >= card.expires_at:
        return "expired"
    if amount <= 0:
        return "invalid_amount"
    if currency != card.currency or currency != program.program.currency:
        return "wrong_currency"
    if amount > card.balance:
        return "insufficient_funds"
    limit = program.program.limits.per_order_max
    if limit is not None and amount > limit:
        return "over_order_limit"
    return None


def offline_decision(conn: Connection, program: replica.ReplicaProgram, code: str,
                     amount: int, now_ms: int, boot: tuple[str, int]
                     ) -> tuple[str | None, str | None]:
    """The offline policy, evaluated inside the commit transaction so two processes cannot
    both take the last of a cap or a grant: (decline reason, grant id to draw on)."""
    policy = program.program.offline
    if Store.get_meta(conn, "terminal_state", "active") != "active":
        return "terminal_quarantined", None  # central said so in a change page; trust nothing
    if policy.mode == "online":
        return "offline_not_allowed", None
    if policy.mode == "escrow":
        grant, reason = grants.choose(conn, code, amount,
                                      offline_clock.central_now(conn, now_ms, boot))
        return reason, grant
    return offline_reason(conn, program, code, amount, now_ms, boot), None


def offline_reason(conn: Connection, program: replica.ReplicaProgram, code: str, amount: int,
                   now_ms: int, boot: tuple[str, int]) -> str | None:
    """Floor mode: per-transaction cap, one spend per card per outage, the terminal total and
    the time since the last complete sync."""
    policy = program.program.offline
    elapsed = offline_clock.elapsed_ms(conn, "sync", now_ms, boot)
    if elapsed is None:
        return "offline_too_long"  # never synced: nothing to trust offline
    if policy.max_offline_hours is not None and elapsed > policy.max_offline_hours * 3_600_000:
        return "offline_too_long"
    if policy.floor_per_transaction is not None and amount > policy.floor_per_transaction:
        return "offline_limit"
    mark = Store.get_int(conn, "sync_mark_seq")
    same_card = conn.execute(
        text("SELECT COUNT(*) FROM journal WHERE op = 'redeem' AND offline = 1 AND card = :c "
             "AND seq > :m"), {"c": code, "m": mark}).scalar()
    if same_card:
        return "offline_limit"  # one offline spend per card per terminal per outage
    spent = conn.execute(
        text("SELECT COALESCE(SUM(amount), 0) FROM journal WHERE op = 'redeem' AND offline = 1 "
             "AND program = :p AND seq > :m"), {"p": program.program.id, "m": mark}).scalar()
    if policy.terminal_total is not None and int(spent or 0) + amount > policy.terminal_total:
        return "offline_limit"
    return None


class Redeemer:
    def __init__(self, store: Store, identity: Identity, key: Ed25519PrivateKey,
                 client: CentralClient, clock: Callable[[], int],
                 authorize_timeout: float | None = None,
                 boot_clock: offline_clock.BootClock = offline_clock.system_boot_clock) -> None:
        self.store = store
        self.identity = identity
        self.key = key
        self.client = client
        self.clock = clock
        self.boot_clock = boot_clock
        self.authorize_timeout = (authorize_timeout if authorize_timeout is not None
                                  else identity.config.authorize_timeout_s)

    def redeem(self, code_text: str, amount_text: str, *, staff: str | None = None,
               currency: str | None = None) -> RedeemResult:
        check_text(code_text, "code")
        check_text(amount_text, "amount")
        check_text(currency, "currency", 3)
        check_text(staff, "staff id", MAX_STAFF_LENGTH)
        if staff is not None and not staff.strip():
            raise InvalidInput("staff id is empty", reason="invalid_input")
        request_id = secrets.token_urlsafe(12)
        with self.store.read() as conn:
            programs = replica.load_programs(conn)
            code, by_pattern = replica.normalize(programs, code_text)
            card = Store.get_card(conn, code)
        program = programs.get(card.program) if card else by_pattern
        card_currency = card.currency if card else by_pattern.program.currency
        # Malformed amounts ("abc", "1.234" in EUR, negative) are errors, not declines.
        amount = parse_minor(amount_text, card_currency)
        want = currency or card_currency

        def declined(reason: str, offline: bool = False) -> RedeemResult:
            balance = self._balance(code) if card else None
            return RedeemResult("declined", reason, amount, want if _known(want) else
                                card_currency, balance, None, request_id, offline, code)

        reason = card_reason(card, program, amount, want, self.clock() // 1000)
        if reason is None and card is not None and program is not None:
            with self.store.read() as conn:  # valid_when, windows, limits: the rules engine
                reason = self._rules_reason(conn, program, card, amount, want, self.clock())
        if reason is not None or card is None or program is None:
            return declined(reason or "unknown_card")

        approval: AuthorizeResponse | None = None
        mode = "online"
        asked = time.monotonic()
        try:
            answer = self.client.authorize(
                AuthorizeRequest(request_id=request_id, card=code,
                                 amount=format_minor(amount, want), currency=want),
                timeout=self.authorize_timeout)
        except CentralUnreachable:
            mode = "offline"
        except CentralRefused as exc:
            return declined(exc.reason)  # central answered; its refusal stands
        else:
            if answer.status == "approved" and answer.auth_id:
                approval = answer
            elif answer.reason == "insufficient_funds" and program.program.offline.mode == "escrow":
                mode = "grant"  # central's reserve excludes what it granted this terminal
            else:
                return declined(answer.reason or "declined_by_central")

        offline = mode == "offline"
        try:
            result = self._commit(code, program, amount, want, staff, approval, mode,
                                  request_id, asked)
        except _Declined as exc:
            return declined("insufficient_funds" if mode == "grant" else exc.reason, offline)
        if not offline:
            self._best_effort_push()
        return result

    def _commit(self, code: str, program: replica.ReplicaProgram, amount: int, currency: str,
                staff: str | None, approval: AuthorizeResponse | None, mode: str,
                request_id: str, asked: float) -> RedeemResult:
        offline = mode == "offline"
        extra: dict[str, Any] = {"request_id": request_id}
        if approval is not None:
            extra.update(auth_sig=approval.signature, auth_exp=approval.expires_at)
        with self.store.write() as conn:
            now = self.clock()
            card = Store.get_card(conn, code)  # fresh: another process may have spent it
            reason = card_reason(card, program, amount, currency, now // 1000)
            if reason is None and card is not None:
                reason = self._rules_reason(conn, program, card, amount, currency, now)
            grant: str | None = None
            if reason is None and approval is not None \
                    and time.monotonic() - asked > AUTH_COMMIT_WINDOW_S:
                # Central releases a hold on the promise that no entry commits after this.
                reason = "authorization_expired"
            if reason is None and offline:
                reason, grant = offline_decision(conn, program, code, amount, now,
                                                 self.boot_clock())
            elif reason is None and mode == "grant":
                grant, reason = grants.choose(
                    conn, code, amount, offline_clock.central_now(conn, now, self.boot_clock()))
            if reason is not None:
                raise _Declined(reason)  # rolls back; nothing was written anyway
            last_seq, last_hash = Store.last_entry(conn)
            body = EntryBody(
                terminal=self.identity.terminal_id, seq=last_seq + 1,
                prev_hash=last_hash or GENESIS_HASH, wall_ms=now,
                mono=self.store.next_mono(conn), op="redeem", amount=amount, currency=currency,
                card=code, program=program.program.id, program_version=program.version,
                staff=staff, auth=approval.auth_id if approval else None, grant=grant,
                offline=offline, extra=extra)
            entry = sign_entry(body, self.key)
            Store.append(conn, entry, request_id)
            self.store.refresh_balance(conn, code)
            after = Store.get_card(conn, code)
        assert after is not None
        return RedeemResult("approved", None, amount, currency, after.balance, body.seq,
                            request_id, offline, code)

    def _rules_reason(self, conn: Connection, program: replica.ReplicaProgram, card: CardRow,
                      amount: int, currency: str, now_ms: int) -> str | None:
        from pos_app.terminal.quote_service import gift_card_reason  # local: imports replica

        ident = self.identity
        return gift_card_reason(conn, program, card, amount, currency, now_ms,
                                ident.terminal_id, ident.store_id,
                                getattr(ident.config, "time_zone", "UTC") or "UTC")

    def _balance(self, code: str) -> int | None:
        with self.store.read() as conn:
            card = Store.get_card(conn, code)
        return card.balance if card else None

    def _best_effort_push(self) -> None:
        try:
            push_outbox(self.store, self.client, batch=self.identity.config.push_batch,
                        timeout=BEST_EFFORT_PUSH_TIMEOUT_S, retries=0, max_batches=1)
        except (WalletError, OSError):
            pass  # the entry is committed and queued; the next sync carries it


def _known(currency: str) -> bool:
    try:
        format_minor(0, currency)
    except WalletError:
        return False
    return True
