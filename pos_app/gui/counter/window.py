"""The counter window: the login screen, then the sale screen (scan, basket, card and loyalty,
receipt), with the header, the offline banner and the status bar around them. It fits a
1024×768 till screen: the camera column shrinks first, and the basket-card-loyalty-receipt
column scrolls up and down (never sideways) when a long basket, a decline and a receipt are all
on screen.

It wires widgets to operations and nothing more: what a card can pay and whether a redemption
is approved come from the terminal service through `tasks`; each widget shows one thing. The
state that must survive a language switch (who is logged in, the card on screen, the last
receipt) lives here, so switching rebuilds the widgets in the new language and shows it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.money import format_minor
from core.rules.basket import Basket
from pos_app.gui import app as gui_app
from pos_app.gui import locale_fmt, offline_wording
from pos_app.gui.counter import tasks
from pos_app.gui.counter.banner import OfflineBanner, StandingBanner
from pos_app.gui.counter.basket import BasketPanel
from pos_app.gui.counter.card_panel import CardPanel
from pos_app.gui.counter.cards_panel import CardsPanel
from pos_app.gui.counter.demo_switch import DemoNetworkSwitch
from pos_app.gui.counter.header import Header
from pos_app.gui.counter.manual_entry import ManualEntry
from pos_app.gui.counter.quote_panel import QuotePanel
from pos_app.gui.counter.receipt_view import ReceiptView
from pos_app.gui.counter.scan_panel import ScanPanel
from pos_app.gui.counter.sound import Beeper
from pos_app.gui.counter.status_bar import StatusBar
from pos_app.gui.operations import OpChanges, Operations, OpError
from pos_app.gui.reasons import explain, reserved_elsewhere
from pos_app.gui.receipts import Receipt, ReceiptPart
from pos_app.gui.scroll import VerticalScroll
from pos_app.gui.staff.idle import DEFAULT_IDLE_SECONDS, IdleLock
from pos_app.gui.staff.login import LoginScreen
from pos_app.scanner.wedge_filter import WedgeFilter
from pos_app.terminal import orders
from pos_app.terminal.redeem import OrderInput
from pos_app.terminal.staff import StaffMember
from pos_app.terminal.standing import Standing

SYNC_EVERY_MS = 10_000  # until the terminal's own interval is read (TerminalFacts)


class CounterWindow(QMainWindow):
    quote_shown = Signal(float)  # time.monotonic() when a look-up's answer was on screen
    scan_ready = Signal()

    def __init__(self, ops: Operations, home: Path, *, camera: int | str | None = None,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS, beeper: Beeper | None = None,
                 auto_sync: bool = True, wedge: bool = True,
                 wedge_clock: Callable[[], float] | None = None,
                 demo_central: Any = None) -> None:
        super().__init__()
        self.demo_central = demo_central  # `walletpos demo`: its central, for the switch
        self.setWindowTitle("walletpos — counter")
        self.ops, self.home, self.camera = ops, Path(home), camera
        self.beeper = beeper or Beeper()
        self.session: tuple[StaffMember, int] | None = None
        self.facts: tasks.TerminalFacts | None = None
        self.online: bool | None = None
        self.lookup: tasks.Lookup | None = None
        self.receipt: Receipt | None = None
        # Several gift cards on one basket: the codes scanned for this sale, its order id and
        # the plan the cards panel shows (the service's, in the order of use).
        self.sale_cards: list[str] = []
        self.order_id = orders.new_order_id()
        self.order_basket: Basket | None = None  # fixed by the sale's first commit
        self.cards_plan: tasks.CardsPlan | None = None
        self.status: dict[str, Any] = {"outbox": 0, "last_sync_ms": None}
        self.standing: Standing | None = None  # what head office says of this terminal
        self.idle = IdleLock(idle_seconds, self)
        self.idle.timeout.connect(self.lock)
        options = {"clock": wedge_clock} if wedge_clock is not None else {}
        self.wedge = WedgeFilter.install(QApplication.instance(), **options) if wedge else None
        if self.wedge is not None:
            self.wedge.scanned.connect(lambda text: self.handle_payload(text, time.monotonic()))
        self.ops.changed.connect(self._changed)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_EVERY_MS)
        self.sync_timer.timeout.connect(self.sync_now)
        self._auto_sync = auto_sync
        self._build()
        self._shortcuts()
        self.resize(1366, 768)

    # ---- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        root = QWidget()
        column = QVBoxLayout(root)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = Header()
        self.header.lock_requested.connect(self.lock)
        self.header.language_requested.connect(self.toggle_language)
        self.header.theme_requested.connect(self.toggle_theme)
        self.banner = OfflineBanner()
        self.standing_banner = StandingBanner()
        self.pages = QStackedWidget()
        self.login = LoginScreen(self.ops)
        self.login.logged_in.connect(self._logged_in)
        self.pages.addWidget(self.login)
        sale = QWidget()
        grid = QHBoxLayout(sale)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setSpacing(12)
        self.scan = ScanPanel()
        self.scan.scanned.connect(self.handle_payload)
        self.manual = ManualEntry()
        self.manual.submitted.connect(lambda text: self.handle_payload(text, time.monotonic()))
        currency = self.facts.currency if self.facts else "EUR"
        self.basket = BasketPanel(currency)
        self.basket.changed.connect(self._basket_changed)
        self.card = CardPanel()
        self.card.redeem_requested.connect(self.redeem)
        self.cards = CardsPanel()
        self.cards.reorder_requested.connect(lambda codes: self._plan_cards(codes, True))
        self.cards.pay_requested.connect(self.pay_cards)
        self.quote = QuotePanel()
        self.quote.apply_requested.connect(self.apply_quote)
        self.receipt_view = ReceiptView(self.home / "receipts")
        left = QVBoxLayout()
        left.addWidget(self.scan, 1)
        left.addWidget(self.manual)
        column_widget = QWidget()
        column_widget.setObjectName("saleColumn")
        right = QVBoxLayout(column_widget)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.basket)
        right.addWidget(self.card)
        right.addWidget(self.cards)
        right.addWidget(self.quote)
        right.addWidget(self.receipt_view)
        right.addStretch(1)
        self.sale_scroll = VerticalScroll(column_widget)
        grid.addLayout(left, 5)
        grid.addWidget(self.sale_scroll, 6)
        self.pages.addWidget(sale)
        self.status_bar = StatusBar()
        self.status_bar.sync_requested.connect(self.sync_now)
        self.demo_switch = None
        if self.demo_central is not None:
            self.demo_switch = DemoNetworkSwitch(self.ops, self.demo_central, self.sync_now)
            self.status_bar.add_button(self.demo_switch)
        for w in (self.header, self.standing_banner, self.banner):
            column.addWidget(w)
        column.addWidget(self.pages, 1)
        column.addWidget(self.status_bar)
        self.setCentralWidget(root)
        self._show_state()

    def _shortcuts(self) -> None:
        for keys, action in (("F2", lambda: self.basket.amount.setFocus()),
                             ("F3", lambda: self.manual.field.setFocus()),
                             ("F4", self.new_sale), ("Esc", self.clear_card),
                             ("F5", lambda: self.card._redeem()),
                             ("F6", lambda: self.quote._apply()),
                             ("F7", lambda: self.cards._pay()),
                             ("F8", self.sync_now),
                             ("F9", lambda: self.receipt_view.print_receipt()),
                             ("F10", self.toggle_language), ("F11", self.toggle_theme),
                             ("F12", self.lock), ("Ctrl+L", self.lock)):
            QShortcut(QKeySequence(keys), self, activated=action)

    def _show_state(self) -> None:
        """Put the state this window holds back on freshly built widgets."""
        if self.facts is not None:
            self._apply_facts(self.facts)
        self.header.set_online(self.online)
        self.banner.set_offline(self.online is False)
        self.standing_banner.show_standing(self.standing)
        self.status_bar.show_status(self.status)
        if self.session is not None:
            self.header.set_staff(self.session[0].name, self.session[0].role, self.session[1])
            self.pages.setCurrentIndex(1)
        else:
            self.header.set_staff(None, None, None)
            self.pages.setCurrentIndex(0)
        if self.lookup is not None:
            self._show_lookup(self.lookup)
        self.cards.show_plan(self.cards_plan)
        self.receipt_view.show_receipt(self.receipt)

    # ---- start, login, lock ---------------------------------------------------------------

    def start(self) -> None:
        self.ops.run(tasks.facts, on_done=self._apply_facts, on_error=self._op_failed)
        # The first quote's one-off work while the cashier logs in; a failure here (not
        # enrolled yet, no programs) shows itself at the first scan instead.
        self.ops.run(lambda s: s.warm_quotes(), on_error=lambda _e: None)
        self.login.refresh()
        self._refresh_status()
        if self._auto_sync:
            self.sync_now()
            self.sync_timer.start()

    def _apply_facts(self, facts: tasks.TerminalFacts) -> None:
        self.facts = facts
        self.header.set_place(facts.store_id, facts.terminal_id)
        self.manual.set_patterns(facts.card_patterns + facts.member_patterns)
        self.banner.set_programs(facts.offline_modes)
        self.basket.currency = facts.currency
        self.sync_timer.setInterval(int(facts.sync_interval_s * 1000))

    def _logged_in(self, staff: StaffMember) -> None:
        self.session = (staff, int(time.time() * 1000))
        self.header.set_staff(staff.name, staff.role, self.session[1])
        self.pages.setCurrentIndex(1)
        self.idle.arm()
        if self.camera is not None and not self.scan.running:
            self.scan.start(self.camera)
        self.basket.amount.setFocus()
        self.scan_ready.emit()

    def lock(self) -> None:
        self.idle.disarm()
        self.scan.stop()
        self.session = None
        self.login.reset()
        self.login.refresh()
        self._show_state()

    @property
    def logged_in(self) -> bool:
        return self.session is not None

    # ---- a sale ---------------------------------------------------------------------------

    def handle_payload(self, payload: str, t0: float) -> None:
        """A scan (camera or wedge) or a typed code: identify it and show what it can do."""
        if not self.logged_in:
            return  # a card waved at a locked screen does nothing

        def shown(lookup: tasks.Lookup) -> None:
            self.lookup = lookup
            self._show_lookup(lookup)
            if lookup.card is not None and lookup.card.code not in self.sale_cards:
                self.sale_cards.append(lookup.card.code)
                self._plan_cards(self.sale_cards, False)
            self.scan.flash(True)
            self.beeper.play("ok")
            self.quote_shown.emit(time.monotonic() - t0)

        def refused(error: OpError) -> None:
            self.scan.flash(False)
            self.beeper.play("error")
            self.card.show_nothing()
            self.card.show_error(error.reason)

        self.ops.run(lambda s: tasks.look_up(s, payload, self.basket.basket()), on_done=shown,
                     on_error=refused)

    def _show_lookup(self, lookup: tasks.Lookup) -> None:
        if lookup.card is not None:
            self.card.show_card(lookup.card, self.basket.total())
        else:
            self.card.show_nothing()
            self.card.code.setText(lookup.identifier.code)
        self.quote.show_quote(lookup.quote)

    def _plan_cards(self, codes: list[str], as_given: bool) -> None:
        """Several cards on this basket: the service's plan, in its default order of use or
        in the order the cashier moved them to."""
        basket = self.basket.basket()
        if len(codes) < 2 or basket is None:
            self.cards_plan = None
            self.cards.show_plan(None)
            return
        order = self._sale_order()

        def planned(plan: tasks.CardsPlan) -> None:
            self.cards_plan = plan
            self.sale_cards = list(plan.cards)
            self.cards.show_plan(plan)
            self.sale_scroll.bring_into_view(self.cards)

        self.ops.run(lambda s: tasks.plan_cards(s, list(codes), order, as_given),
                     on_done=planned, on_error=lambda e: self.card.show_error(e.reason))

    def pay_cards(self, codes: list[str]) -> None:
        """Pay this basket with the cards in the order shown: one entry each, one order."""
        basket = self.basket.basket()
        if self.session is None or basket is None:
            return
        staff, order = self.session[0], self._sale_order()

        def done(paid: tasks.CardsPaid) -> None:
            result = paid.result
            approved = [p for p in result.parts if p.status == "approved"]
            if any(p.offline for p in approved):
                self._set_online(False)
            declined = [p for p in result.parts if p.status != "approved"]
            text = self.tr("Paid %1 with %2 cards; customer pays the other %3.") \
                .replace("%1", locale_fmt.money(result.amount, result.currency)) \
                .replace("%2", str(len(approved))) \
                .replace("%3", locale_fmt.money(result.to_pay, result.currency))
            for p in declined:
                text += "\n✗ " + (p.code or "") + ": " + explain(p.reason)
            self.card.show_outcome(bool(approved), text)
            self.cards_plan = None
            self.cards.show_plan(None)
            if not approved:
                self.beeper.play("error")
                return
            facts = self.facts
            parts = tuple(ReceiptPart(p.code or "", p.amount, p.balance_after, p.seq or 0,
                                      paid.short_hashes.get(p.seq or 0, ""))
                          for p in approved)
            self.receipt = Receipt(facts.store_id if facts else "", facts.terminal_id if facts
                                   else "", staff.name, parts[0].seq, parts[0].short_hash,
                                   approved[0].request_id, parts[0].card, result.amount,
                                   None, result.currency, int(time.time() * 1000),
                                   any(p.offline for p in approved), result.order, parts)
            self.receipt_view.show_receipt(self.receipt)
            self.sale_cards = []
            self._committed(basket, result.to_pay)
            if result.to_pay > 0:
                self.basket.amount.setText(locale_fmt.plain(result.to_pay, result.currency))
            else:
                self.basket.clear()

        self.ops.run(lambda s: tasks.pay_cards(s, list(codes), order, staff.id),
                     on_done=done, on_error=lambda e: self.card.show_error(e.reason),
                     changes=OpChanges(journal=True, network=True))

    def _sale_order(self) -> OrderInput:
        return tasks.sale_order(self.basket.basket(), self.order_id,
                                self.order_basket is not None)

    def _committed(self, basket: Basket | None, to_pay: int) -> None:
        """Something was committed on the sale's order: its basket is fixed from now on, and a
        paid order ends (the next basket is a new order)."""
        if self.order_basket is None:
            self.order_basket = basket
        if to_pay <= 0:
            self.order_id, self.order_basket = orders.new_order_id(), None

    def _basket_changed(self) -> None:
        if len(self.sale_cards) >= 2 and self.logged_in:
            self._plan_cards(self.sale_cards, True)
        if self.lookup is not None and self.logged_in:
            payload = self.lookup.payload
            self.ops.run(lambda s: tasks.look_up(s, payload, self.basket.basket()),
                         on_done=self._relooked, on_error=lambda _e: None)

    def _relooked(self, lookup: tasks.Lookup) -> None:
        self.lookup = lookup
        self._show_lookup(lookup)

    def redeem(self, code: str, amount: int) -> None:
        card = self.card.card
        if card is None or self.session is None:
            return
        staff = self.session[0]
        amount_text = format_minor(amount, card.currency)

        def done(r: tasks.Redemption) -> None:
            result = r.result
            if result.offline:
                self._set_online(False)
            if result.status != "approved":
                # The decline replaces what was on screen: no Redeem to press again, and the
                # last card's receipt goes, so nobody reads it as this sale's.
                self.card.busy(False)
                self.card.show_outcome(False, self._decline_text(result.reason, card,
                                                                 result.available))
                self.receipt = None
                self.receipt_view.show_receipt(None)
                self.beeper.play("error")
                return
            after = (locale_fmt.money(result.balance_after, result.currency)
                     if result.balance_after is not None else "—")
            self.card.show_outcome(True, self.tr("Redeemed %1. Remaining balance %2.")
                                   .replace("%1", locale_fmt.money(result.amount,
                                                                   result.currency))
                                   .replace("%2", after))
            facts = self.facts
            self.receipt = Receipt(facts.store_id if facts else "", facts.terminal_id if facts
                                   else "", staff.name, result.seq or 0, r.short_hash or "",
                                   result.request_id, code, result.amount,
                                   result.balance_after, result.currency,
                                   int(time.time() * 1000), result.offline, result.order)
            self.receipt_view.show_receipt(self.receipt)
            # What is still due goes back in the basket (nothing: it is paid), which re-reads
            # the card, so Redeem never offers the same amount twice.
            due = (self.basket.total() or 0) - result.amount
            self._committed(basket, due)
            if due > 0:
                self.basket.amount.setText(locale_fmt.plain(due, result.currency))
            else:
                self.basket.clear()

        def failed(error: OpError) -> None:
            self.card.busy(False)
            self.card.show_error(error.reason)

        basket, order = self.basket.basket(), self._sale_order()
        self.ops.run(lambda s: tasks.redeem(s, code, amount_text, staff.id, order), on_done=done,
                     on_error=failed, changes=OpChanges(journal=True, network=True))

    def _decline_text(self, reason: str | None, card: tasks.CardInfo,
                      available: int | None = None) -> str:
        """An offline decline names the rule that declined, with this program's figures; a
        card partly reserved at another till says what can be paid now."""
        if reason == "reserved_elsewhere" and available is not None:
            return reserved_elsewhere(locale_fmt.money(available, card.currency))
        if offline_wording.is_offline_decline(reason):
            modes = self.facts.offline_modes if self.facts else []
            mode = next((m for m in modes if m.program == card.program), None)
            return offline_wording.decline(str(reason), mode)
        return explain(reason)

    def apply_quote(self, rewards: list[str]) -> None:
        """Chosen rewards and the points to earn, committed by the service."""
        lookup = self.lookup
        if self.session is None or lookup is None or lookup.quoted is None:
            return
        quoted = lookup.quoted

        order_id, order_basket = self.order_id, self.order_basket
        staff = self.session[0]

        def done(result: Any) -> None:
            if result.status != "committed":
                self.card.show_outcome(False, explain(result.reason))
                return
            points = ", ".join(f"{m}: {locale_fmt.points(p)}" for m, p in result.points.items())
            self.quote.show_quote(None)  # committed: nothing more to apply from this quote
            self.card.show_outcome(True, self.tr("Applied. Points now %1.").replace("%1", points))
            plan = result.plan
            burns = [op for op in plan.operations if op.op == "burn"] if plan else []
            if self.order_basket is None:
                self.order_basket = quoted.request.basket
            if burns:  # the rewards taken, on a receipt that names the order
                facts = self.facts
                first = next(e for e in result.entries if e["op"] == "burn")
                self.receipt = Receipt(
                    facts.store_id if facts else "", facts.terminal_id if facts else "",
                    staff.name, first["seq"], "", str(first["seq"]), "", plan.discount, None,
                    quoted.quote.currency, int(time.time() * 1000), result.offline,
                    result.order, (), tuple((str(op.extra.get("reward")),
                                             int(op.extra["gives"]["value"])) for op in burns))
                self.receipt_view.show_receipt(self.receipt)

        self.ops.run(lambda s: tasks.commit(s, quoted, rewards, order_id, order_basket),
                     on_done=done,
                     on_error=lambda e: self.card.show_error(e.reason),
                     changes=OpChanges(journal=True))

    def new_sale(self) -> None:
        self.sale_cards = []
        self.cards_plan = None
        self.cards.show_plan(None)
        self.order_id, self.order_basket = orders.new_order_id(), None
        self.basket.clear()
        self.clear_card()
        self.receipt = None
        self.receipt_view.show_receipt(None)

    def clear_card(self) -> None:
        self.lookup = None
        self.card.show_nothing()
        self.quote.show_quote(None)

    # ---- sync and status ------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.ops.pending("sync"):
            return  # one sync at a time; the running one will finish the job
        self.status_bar.set_syncing(True)

        def done(result: dict[str, Any]) -> None:
            self._set_online(True)
            self.status = result["status"]
            self.status_bar.sync_finished(result)
            self.status_bar.show_status(self.status)
            if not self.logged_in:
                self.login.refresh()

        def failed(error: OpError) -> None:
            if error.reason in ("central_unreachable", "sync_failed"):
                self._set_online(False)
            self.status_bar.sync_finished(None, error.reason)

        self.ops.run(tasks.sync, lane="sync", reporting=True, on_done=done, on_error=failed,
                     changes=OpChanges(replica=True, network=True, journal=True))

    def _set_online(self, online: bool) -> None:
        self.online = online
        self.header.set_online(online)
        self.banner.set_offline(not online)

    def _refresh_status(self) -> None:
        def shown(status: dict[str, Any]) -> None:
            self.status = status
            self.status_bar.show_status(status)

        def standing(found: Standing) -> None:
            self.standing = found
            self.standing_banner.show_standing(found)

        self.ops.run(lambda s: s.status(), on_done=shown)
        self.ops.run(lambda s: s.standing(), on_done=standing)

    def _changed(self, changes: OpChanges) -> None:
        if changes.journal or changes.network:
            self._refresh_status()
        if changes.replica:
            self.ops.run(tasks.facts, on_done=self._apply_facts, on_error=self._op_failed)

    def _op_failed(self, error: OpError) -> None:
        self.status_bar.message.setText(error.reason)

    # ---- settings -------------------------------------------------------------------------

    def toggle_language(self) -> None:
        app = QApplication.instance()
        gui_app.apply_language(app, "en" if gui_app.language(app) == "ja" else "ja")
        self._rebuild()

    def toggle_theme(self) -> None:
        app = QApplication.instance()
        gui_app.apply_theme(app, "light" if gui_app.theme(app) == "dark" else "dark")

    def _rebuild(self) -> None:
        running = self.scan.running
        self.scan.stop()
        basket = self.basket.basket()
        old = self.centralWidget()
        self._build()
        old.deleteLater()
        if basket is not None:
            self.basket.set_basket(basket)
        self.login.refresh()
        if running and self.camera is not None:
            self.scan.start(self.camera)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.sync_timer.stop()
        self.scan.stop()
        self.idle.close()
        if self.wedge is not None:
            QApplication.instance().removeEventFilter(self.wedge)
            self.wedge = None
