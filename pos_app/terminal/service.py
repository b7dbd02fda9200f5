"""`TerminalService`: the one facade over a terminal HOME, and the typed surface the CLI, the Qt
screens and a host POS call. Nothing above `pos_app/terminal` touches the database or a
private name; everything they need is a method here.

It holds its parts instead of inheriting them (Anki's `Collection` holding its managers): one
`TerminalContext` (database, identity, key, clocks, client factory, timeouts, the journal
writer) and plain job classes that take it — `staff`, `redeemer`, `loyalty`, `kiosk`, `cards`
(card care), `issuing`, `day` (day close) and `sync_status`. The methods below only delegate;
what a quote hands to a commit is the `TerminalQuote` value the caller holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.close_report import CloseReport
from core.payload import Identifier
from core.rules.basket import Basket, order_basket
from core.rules.choose import Choices
from core.rules.context import Customer
from pos_app.terminal import balance as balance_mod
from pos_app.terminal import counter_lookup, enrollment, grants, offline_clock, replica
from pos_app.terminal.authorization import SpendAuthority
from pos_app.terminal.card_care import CardCare
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB, now_ms
from pos_app.terminal.day_close import DayClose, PrintedClose
from pos_app.terminal.issuing import POOL_TARGET, CardIssuing
from pos_app.terminal.kiosk_view import Kiosk, KioskView
from pos_app.terminal.loyalty import CommitResult, Loyalty
from pos_app.terminal.quote_service import TerminalQuote
from pos_app.terminal.redeem import (
    OrderInput,
    PaymentPlan,
    PaymentResult,
    Redeemer,
    RedeemResult,
)
from pos_app.terminal.refunds import Refunds
from pos_app.terminal.staff import LoginResult, StaffMember
from pos_app.terminal.staff_login import StaffLogin
from pos_app.terminal.standing import Standing
from pos_app.terminal.sync_status import SyncStatus
from pos_app.terminal.verify import VerifyReport, verify_journal
from wallet_sync import agent
from wallet_sync.agent import SyncResult
from wallet_sync.client import CentralClient

SYNC_INTERVAL_ENV = "WALLETPOS_SYNC_INTERVAL_S"


def sync_interval(override: str | None, configured: float) -> float:
    """The background sync interval: a valid override (seconds, 2..300) else `configured`."""
    try:
        value = float(override) if override else None
    except ValueError:
        value = None
    if value is not None and 2.0 <= value <= 300.0:
        return value
    return configured


class TerminalService:
    """One terminal HOME. Not thread-safe; open one per thread/process (SQLite serialises)."""

    def __init__(self, home: Path | str, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], int] = now_ms, authorize_timeout: float | None = None,
                 sync_timeout: float | None = None,
                 boot_clock: offline_clock.BootClock = offline_clock.system_boot_clock,
                 retries: int | None = None) -> None:
        self.ctx = TerminalContext.open(
            home, wall_clock=clock, boot_clock=boot_clock, transport=transport,
            authorize_timeout=authorize_timeout, sync_timeout=sync_timeout, retries=retries)
        authority = SpendAuthority(self.ctx)
        self.staff_login = StaffLogin(self.ctx)
        self.redeemer = Redeemer(self.ctx, authority)
        self.loyalty = Loyalty(self.ctx, authority)
        self.kiosk = Kiosk(self.ctx, self.loyalty)
        self.cards = CardCare(self.ctx, self.staff_login, self.sync)
        self.refunds = Refunds(self.ctx, self.staff_login, self.sync)
        self.issuing = CardIssuing(self.ctx, self.staff_login, self.sync)
        self.day = DayClose(self.ctx, self.staff_login)
        self.sync_status_jobs = SyncStatus(self.ctx)

    @property
    def home(self) -> Path:
        return self.ctx.home

    @property
    def store(self) -> TerminalDB:
        """The local database, for tests and the reliability harnesses; callers above the
        terminal package use the methods instead."""
        return self.ctx.db

    @property
    def clock(self) -> Callable[[], int]:
        return self.ctx.wall_clock

    @clock.setter
    def clock(self, clock: Callable[[], int]) -> None:
        self.ctx.set_wall_clock(clock)

    def close(self) -> None:
        self.ctx.close()

    def __enter__(self) -> TerminalService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- identity and wiring ----------------------------------------------------------------

    def identity(self) -> enrollment.Identity:
        return self.ctx.identity()

    def key(self) -> Ed25519PrivateKey:
        return self.ctx.key()

    def client(self, identity: enrollment.Identity | None = None, *,
               timeout: float | None = None, retries: int | None = None) -> CentralClient:
        return self.ctx.client(identity, timeout=timeout, retries=retries)

    def enroll(self, central_url: str, code: str, name: str | None = None) -> dict[str, Any]:
        """Enroll, then pull the first snapshot. A failed first sync leaves the terminal
        enrolled (the next `sync` finishes it) and is reported, not raised."""
        ident = enrollment.enroll(self.ctx.db, central_url, code, name=name,
                                  transport=self.ctx.transport)
        self.ctx.forget_key()
        result: dict[str, Any] = {"terminal_id": ident.terminal_id, "store": ident.store_id,
                                  "central_key_id": ident.central_key_id}
        try:
            result["sync"] = dict(self.sync())
        except agent.CentralError as exc:
            result["sync"] = {"error": exc.reason, "message": exc.message}
        return result

    # ---- sync -------------------------------------------------------------------------------

    def sync(self) -> SyncResult:
        """Push the outbox, hand back due escrow grants, pull changes; then top up the code
        pools. The outcome is kept for the manager's sync panel."""
        return self.sync_status_jobs.recorded(self._sync_once)

    def _sync_once(self) -> SyncResult:
        ident = self.ctx.identity()
        self.ctx.db.repull_if_tampered()  # central's signed copy replaces an edited one
        with self.ctx.client(ident) as client:
            result = agent.sync(self.ctx.db, client, push_batch=ident.config.push_batch,
                                pull_page=ident.config.pull_page,
                                after_push=lambda: self._release_grants(ident))
            # Grants recalled in this pull (a spend at another till needs them) go back now,
            # not a sync later: the other till's customer is waiting.
            with self.ctx.db.read() as conn:
                recalled = grants.recalled_pending(conn)
            if recalled and self._release_grants(ident):
                pushed, conflicts = agent.push_outbox(self.ctx.db, client,
                                                      batch=ident.config.push_batch)
                result = SyncResult(pushed=result["pushed"] + pushed, pulled=result["pulled"],
                                    conflicts=result["conflicts"] + conflicts)
        self.issuing.top_up_pools()  # codes for issuing cards offline, where this terminal issues
        return result

    def _release_grants(self, ident: enrollment.Identity) -> int:
        """Hand back the escrow grants that are due (central is reachable: the push just
        went through)."""
        return grants.release_due(self.ctx.db, self.ctx.journal, self.ctx.now_ms(),
                                  self.ctx.boot())

    def sync_interval_s(self) -> float:
        """How often the counter syncs in the background: `WALLETPOS_SYNC_INTERVAL_S` if set
        (2..300 s), else central's enrollment config (10 s by default). Short, because a grant
        central recalls for another till's customer goes back at this terminal's next sync."""
        return sync_interval(os.environ.get(SYNC_INTERVAL_ENV),
                             self.ctx.identity().config.sync_interval_s)

    def status(self) -> dict[str, Any]:
        """What is waiting to sync: {"last_seq", "acked_seq", "outbox", "last_sync_ms"}."""
        return self.sync_status_jobs.outbox()

    def sync_status(self) -> dict[str, Any]:
        return self.sync_status_jobs.sync_status()

    def standing(self) -> Standing:
        """What central says about this terminal: quarantined (it refuses us), flagged (a
        rule broken, no offline spending until head office clears it), or active. The
        counter shows the first two in a banner."""
        return self.sync_status_jobs.standing()

    def refresh_conflicts(self, timeout: float | None = None) -> dict[str, Any]:
        return self.sync_status_jobs.refresh_conflicts(timeout)

    # ---- gift cards at the counter ----------------------------------------------------------

    def redeem(self, code: str, amount: str, *, staff: str | None = None,
               currency: str | None = None, order: OrderInput | None = None) -> RedeemResult:
        """One card pays exactly AMOUNT of ORDER (default: a new order of that total)."""
        return self.redeemer.redeem(code, amount, staff=staff, currency=currency, order=order)

    def pay(self, codes: Sequence[str], amount: str | None = None, *,
            staff: str | None = None, order: OrderInput | None = None,
            as_given: bool = False) -> PaymentResult:
        """Several cards pay AMOUNT (default: what is left) of ORDER, soonest-expiring then
        smallest balance first unless AS_GIVEN; one signed entry per card."""
        return self.redeemer.pay(list(codes), amount, staff=staff, order=order,
                                 as_given=as_given)

    def plan_payment(self, codes: Sequence[str], amount: str | None = None, *,
                     order: OrderInput | None = None, as_given: bool = False) -> PaymentPlan:
        """What `pay` would take from each card, in the order of use (nothing is written)."""
        return self.redeemer.plan(list(codes), amount, order=order, as_given=as_given)

    def order(self, order_id: str) -> dict[str, Any]:
        """An order as committed here: its total, what is paid and every part, in order."""
        return self.redeemer.order(order_id)

    def balance(self, code: str) -> dict[str, Any]:
        return balance_mod.card_balance(self.ctx.db, code)

    def card_currency(self, codes: Sequence[str]) -> str | None:
        """The currency of the first of CODES this replica holds, else the store's."""
        return balance_mod.card_currency(self.ctx.db, codes)

    def main_currency(self) -> str | None:
        """The store's currency (most of its programs'); None before the first sync."""
        with self.ctx.db.read() as conn:
            return replica.main_currency(replica.load_programs(conn))

    def verify(self) -> VerifyReport:
        ident = self.ctx.identity()
        return verify_journal(self.ctx.db, self.ctx.key().public_key(), ident.terminal_id)

    # ---- identification ---------------------------------------------------------------------

    def identify(self, payload: str) -> Identifier:
        """A scanned or typed payload as a card, member or credential (core.payload rules)."""
        return counter_lookup.identify(self.ctx.db, self.ctx.identity(), payload)

    def code_patterns(self) -> tuple[list[str], list[str]]:
        """(card patterns, member patterns) of the replica, for typed-code feedback."""
        return counter_lookup.code_patterns(self.ctx.db)

    def is_member_code(self, code: str) -> bool:
        return counter_lookup.is_member_code(self.ctx.db, code)

    def offline_modes(self) -> list[counter_lookup.OfflineMode]:
        """Each program's offline policy, for the banner that tells the cashier what works."""
        return counter_lookup.offline_modes(self.ctx.db)

    def entry_hash(self, seq: int) -> bytes | None:
        """The hash of journal entry `seq` (a receipt prints its first 12 hex digits)."""
        return counter_lookup.entry_hash(self.ctx.db, seq)

    # ---- staff ------------------------------------------------------------------------------

    def staff(self) -> list[StaffMember]:
        """The store's cashiers and managers (synced from central; works offline)."""
        return self.staff_login.people()

    def login(self, staff_id: str, pin: str, role: str | None = None) -> LoginResult:
        """Check a PIN offline; 5 wrong in a row lock every login here for 5 minutes.

        With `role="manager"`, a cashier's own correct PIN is refused as `not_manager` and is
        not a failure towards the lockout (only a wrong PIN is); their wrong PIN still counts.
        """
        if role == "manager":
            person = next((p for p in self.staff_login.people() if p.id == staff_id), None)
            if person is not None and person.role != role:
                checked = self.staff_login.login(staff_id, pin)
                if checked.status == "ok":
                    return LoginResult("not_manager", None, checked.attempts_left)
                return checked
        return self.staff_login.login(staff_id, pin, role)

    def login_lock(self) -> LoginResult:
        return self.staff_login.lock_state()

    # ---- loyalty ----------------------------------------------------------------------------

    def basket(self, currency: str, total: str | None, lines: Any = None) -> Basket:
        """A basket from a total and/or JSON lines (malformed input raises InvalidInput)."""
        return order_basket(currency, total, lines)

    def quote(self, basket: Basket, identifiers: Sequence[str], *, events: Sequence[str] = (),
              customer: Customer | None = None, online: bool = True,
              explain: bool = False) -> TerminalQuote:
        return self.loyalty.quote(basket, identifiers, events=events, customer=customer,
                                  online=online, explain=explain)

    def commit(self, choices: Choices, quoted: TerminalQuote, order: str | None = None
               ) -> CommitResult:
        return self.loyalty.commit(choices, quoted, order)

    def warm_quotes(self) -> None:
        """Do the first quote's one-off work now: parse the programs, count the usage."""
        self.loyalty.warm()

    def member_currency(self, member: str) -> str:
        """The currency of MEMBER's program (refreshing the member from central first)."""
        return self.loyalty.member_order(member, None).basket.currency

    def earn(self, member: str, amount: str | None, lines: Any = None,
             event: str | None = None) -> dict[str, Any]:
        return self.loyalty.earn(member, amount, lines, event)

    def redeem_reward(self, member: str, reward: str, basket: Basket | None = None, *,
                      amount: str | None = None, lines: Any = None, order: str | None = None
                      ) -> dict[str, Any]:
        return self.loyalty.redeem_reward(member, reward, basket, amount=amount, lines=lines,
                                          order=order)

    def kiosk_view(self, payload: str, lang: str = "en") -> KioskView:
        return self.kiosk.kiosk_view(payload, lang)

    # ---- a manager's jobs -------------------------------------------------------------------

    def activate_and_load(self, code: str, amount: str, staff: str) -> dict[str, Any]:
        return self.cards.activate_and_load(code, amount, staff)

    def set_blocked(self, code: str, blocked: bool, staff: str, reason: str) -> dict[str, Any]:
        return self.cards.set_blocked(code, blocked, staff, reason)

    def void_redemption(self, seq: int, reason: str, staff: str) -> dict[str, Any]:
        return self.cards.void_redemption(seq, reason, staff)

    def refund(self, reference: str, *, staff: str, lines: Any = None,
               amount: str | None = None, reason: str = "") -> dict[str, Any]:
        """Refund the order a receipt REFERENCE names (whole, LINES or AMOUNT)."""
        return self.refunds.refund(reference, staff=staff, lines=lines, amount=amount,
                                   reason=reason)

    def refund_view(self, reference: str) -> dict[str, Any]:
        """The order a receipt reference names, with what is refunded and left."""
        return self.refunds.show(reference)

    def transfer_balance(self, old_code: str, new_code: str, reason: str, staff: str
                         ) -> dict[str, Any]:
        return self.cards.transfer_balance(old_code, new_code, reason, staff)

    def adjust_points(self, member: str, points: str, sign: str, reason: str, staff: str
                      ) -> dict[str, Any]:
        return self.cards.adjust_points(member, points, sign, reason, staff)

    def close_day(self, staff: str) -> CloseReport:
        return self.day.close_day(staff)

    def print_close(self, report: CloseReport, lang: str = "en") -> PrintedClose:
        """REPORT's Z report PDF in HOME/reports, and its lines for the screen."""
        return self.day.print_report(report, lang)

    def issuing_programs(self) -> list[dict[str, Any]]:
        return self.issuing.issuing_programs()

    def top_up_pool(self, program: str, target: int = POOL_TARGET, quick: bool = False) -> int:
        return self.issuing.top_up_pool(program, target, quick)

    def top_up_pools(self) -> dict[str, int]:
        return self.issuing.top_up_pools()

    def issue_cards(self, program: str, count: int, staff: str, value: str | None = None,
                    expires: str | None = None) -> dict[str, Any]:
        return self.issuing.issue_cards(program, count, staff, value, expires)

    def batches(self, limit: int = 20) -> list[dict[str, Any]]:
        return self.issuing.batches(limit)

    def batch_cards(self, batch: str, lang: str = "en") -> list[Any]:
        return self.issuing.batch_cards(batch, lang)

    def print_batch(self, batch: str, path: Path | str, layout: str = "a4",
                    lang: str = "en", brand: Path | str | None = None) -> dict[str, Any]:
        return self.issuing.print_batch(batch, path, layout, lang, brand)
