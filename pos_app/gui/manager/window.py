"""The manager's screen: a manager PIN, then selling printed cards (activate and load), blocking
and unblocking a card, voiding a redemption by its receipt's entry number, refunding an order
found by its receipt reference (the Refunds tab, `refund_panel`), moving a lost card's
balance to a new card, adjusting a member's points by hand, closing the day with its Z report,
and what waits to sync.

Every action is one `TerminalService` call through `Operations` (which decides and journals
with the manager's id); this screen only collects the card, the amount and the reason, and
shows the answer. A card comes from a keyboard-wedge scan or typing into the card field. The
screen locks back to the PIN after `idle_seconds`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.money import parse_minor
from pos_app.gui import locale_fmt
from pos_app.gui.app import apply_language, language
from pos_app.gui.manager.issue_panel import IssuePanel
from pos_app.gui.manager.refund_panel import RefundPanel
from pos_app.gui.manager.sync_panel import SyncPanel
from pos_app.gui.operations import OpChanges, Operations, OpError
from pos_app.gui.reasons import explain
from pos_app.gui.scroll import VerticalScroll
from pos_app.gui.staff.idle import IdleLock
from pos_app.gui.staff.login import LoginScreen
from pos_app.scanner.wedge_filter import WedgeFilter

IDLE_SECONDS = 120


def _shown(amount: str, currency: str) -> str:
    """An amount the terminal service answered ("0.00" for an emptied card) in the manager's
    locale."""
    return locale_fmt.money(parse_minor(amount, currency, allow_zero=True), currency)


class ManagerWindow(QMainWindow):
    answered = Signal()  # an action's answer (or refusal) is on screen

    def __init__(self, ops: Operations, home: Path, *, idle_seconds: float = IDLE_SECONDS,
                 wedge: bool = True, wedge_clock: Any = None) -> None:
        super().__init__()
        self.setWindowTitle("walletpos — manager")
        self.ops, self.home = ops, Path(home)
        self.manager: Any = None
        self.last_report: Path | None = None
        self.idle = IdleLock(idle_seconds, self)
        self.idle.timeout.connect(self.lock)
        options = {"clock": wedge_clock} if wedge_clock is not None else {}
        self.wedge = WedgeFilter.install(QApplication.instance(), **options) if wedge else None
        if self.wedge is not None:
            self.wedge.scanned.connect(self.card_scanned)
        self._build()
        self.resize(1366, 768)

    def _build(self) -> None:
        self.pages = QStackedWidget()
        self.login = LoginScreen(self.ops)
        self.login.title.setText(self.tr("Manager login"))
        self.login.logged_in.connect(self._logged_in)
        self.pages.addWidget(self.login)
        work = QWidget()
        column = QVBoxLayout(work)
        column.setContentsMargins(24, 16, 24, 16)
        top = QHBoxLayout()
        self.who = QLabel(objectName="managerTitle")
        top.addWidget(self.who, 1)
        self.lang_button = QPushButton("日本語 / English", objectName="headerButton")
        self.lang_button.clicked.connect(self.toggle_language)
        self.lock_button = QPushButton(self.tr("Lock"), objectName="headerButton")
        self.lock_button.clicked.connect(self.lock)
        top.addWidget(self.lang_button)
        top.addWidget(self.lock_button)
        column.addLayout(top)
        self.tabs = QTabWidget(objectName="managerTabs")
        cards_tab = QWidget()
        cards_column = QVBoxLayout(cards_tab)
        card_box = QGroupBox(self.tr("Card (scan or type the code)"))
        form = QFormLayout(card_box)
        self.code = QLineEdit(objectName="codeField")
        self.amount = QLineEdit(objectName="amount")
        self.amount.setPlaceholderText("25.00")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. reported lost"))
        form.addRow(self.tr("Card"), self.code)
        form.addRow(self.tr("Amount sold"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QHBoxLayout()
        self.look_up = QPushButton(self.tr("Look up"))
        self.look_up.clicked.connect(self.look_up_card)
        self.sell = QPushButton(self.tr("Activate and load"), objectName="primary")
        self.sell.clicked.connect(self.activate_and_load)
        self.block = QPushButton(self.tr("Block"))
        self.block.clicked.connect(lambda: self.set_blocked(True))
        self.unblock = QPushButton(self.tr("Unblock"))
        self.unblock.clicked.connect(lambda: self.set_blocked(False))
        for b in (self.look_up, self.sell, self.block, self.unblock):
            buttons.addWidget(b)
        form.addRow(buttons)
        cards_column.addWidget(card_box)
        void_box = QGroupBox(self.tr("Void a redemption (uses the reason above)"))
        void_row = QHBoxLayout(void_box)
        self.void_seq = QLineEdit(objectName="voidSeq")
        self.void_seq.setPlaceholderText(self.tr("Entry number on the receipt"))
        self.void_button = QPushButton(self.tr("Void redemption"))
        self.void_button.clicked.connect(self.void_redemption)
        void_row.addWidget(self.void_seq, 1)
        void_row.addWidget(self.void_button)
        cards_column.addWidget(void_box)
        move_box = QGroupBox(self.tr("Move a lost card's balance (uses the reason above)"))
        move_row = QHBoxLayout(move_box)
        self.move_from = QLineEdit(objectName="moveFrom")
        self.move_from.setPlaceholderText(self.tr("Lost card"))
        self.move_to = QLineEdit(objectName="moveTo")
        self.move_to.setPlaceholderText(self.tr("New card"))
        self.move_button = QPushButton(self.tr("Move balance"))
        self.move_button.clicked.connect(self.transfer_balance)
        move_row.addWidget(self.move_from, 1)
        move_row.addWidget(self.move_to, 1)
        move_row.addWidget(self.move_button)
        cards_column.addWidget(move_box)
        points_box = QGroupBox(self.tr("Adjust a member's points (uses the reason above)"))
        points_row = QHBoxLayout(points_box)
        self.points_member = QLineEdit(objectName="pointsMember")
        self.points_member.setPlaceholderText(self.tr("Member code"))
        self.points_amount = QLineEdit(objectName="pointsAmount")
        self.points_amount.setPlaceholderText(self.tr("Points"))
        self.points_add = QPushButton(self.tr("Add points"))
        self.points_add.clicked.connect(lambda: self.adjust_points("+"))
        self.points_remove = QPushButton(self.tr("Remove points"))
        self.points_remove.clicked.connect(lambda: self.adjust_points("-"))
        for w in (self.points_member, self.points_amount):
            points_row.addWidget(w, 1)
        points_row.addWidget(self.points_add)
        points_row.addWidget(self.points_remove)
        cards_column.addWidget(points_box)
        cards_column.addStretch(1)
        self.tabs.addTab(VerticalScroll(cards_tab), self.tr("Cards"))
        self.issue_panel = IssuePanel(self.ops, self.home, self._run, self._say,
                                      lambda: self.manager.id if self.manager else "")
        self.tabs.addTab(VerticalScroll(self.issue_panel), self.tr("Issue and print"))
        self.refund_panel = RefundPanel(self._run, self._say,
                                        lambda: self.manager.id if self.manager else "",
                                        self.home / "receipts")
        self.refund_tab = VerticalScroll(self.refund_panel)
        self.tabs.addTab(self.refund_tab, self.tr("Refunds"))
        day_tab = QWidget()
        day = QVBoxLayout(day_tab)
        self.close_button = QPushButton(self.tr("Close the day (Z report)"), objectName="primary")
        self.close_button.clicked.connect(self.close_day)
        self.report = QLabel(objectName="receipt")
        self.report.setProperty("lang", language())  # a CJK monospace font keeps columns
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        day.addWidget(self.close_button)
        day.addWidget(self.report, 1)
        self.tabs.addTab(VerticalScroll(day_tab), self.tr("Day close"))
        self.sync_panel = SyncPanel(self.ops)
        self.tabs.addTab(VerticalScroll(self.sync_panel), self.tr("Sync and conflicts"))
        column.addWidget(self.tabs, 1)
        self.result = QLabel(objectName="managerResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.result)
        self.pages.addWidget(work)
        self.setCentralWidget(self.pages)

    # ---- session ------------------------------------------------------------------------------

    def start(self) -> None:
        self.ops.run(lambda s: [p for p in s.staff() if p.role == "manager"],
                     on_done=self.login.set_staff)

    def _logged_in(self, manager: Any) -> None:
        self.manager = manager
        self.who.setText(self.tr("Manager: %1").replace("%1", manager.name))
        self.pages.setCurrentIndex(1)
        self.idle.arm()
        self.refresh_status()

    def lock(self) -> None:
        self.manager = None
        self.idle.disarm()
        self.login.reset()
        for field in (self.code, self.amount, self.reason, self.void_seq, self.move_from,
                      self.move_to, self.points_member, self.points_amount):
            field.clear()
        self.result.clear()
        self.report.clear()
        self.refund_panel.clear()
        self.pages.setCurrentIndex(0)

    def toggle_language(self) -> None:
        apply_language(QApplication.instance(), "en" if language() == "ja" else "ja")
        manager, old = self.manager, self.centralWidget()
        self._build()
        old.deleteLater()
        self.start()
        if manager is not None:
            self._logged_in(manager)

    def card_scanned(self, text: str) -> None:
        if self.manager is not None and self.tabs.currentWidget() is self.refund_tab:
            self.refund_panel.scanned(text)  # a receipt's QR on the Refunds tab
            return
        if self.manager is not None:  # into the move fields when one has focus, else the card
            target = next((f for f in (self.move_from, self.move_to, self.points_member)
                           if f.hasFocus()), self.code)
            target.setText(text)

    # ---- actions --------------------------------------------------------------------------------

    def _run(self, fn: Any, done: Any) -> None:
        if self.manager is None:
            return
        self.result.setProperty("state", "busy")
        self.ops.run(fn, on_done=lambda r: (done(r), self._after()), on_error=self._refused,
                     changes=OpChanges(journal=True))

    def _after(self) -> None:
        self.refresh_status()
        self.answered.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setProperty("state", "error" if error else "ok")
        self.result.style().polish(self.result)
        self.result.setText(text)

    def _refused(self, error: OpError) -> None:
        self._say(explain(error.reason) or error.message, True)
        self.answered.emit()

    def look_up_card(self) -> None:
        code = self.code.text().strip()
        self._run(lambda s: s.balance(code), self._looked_up)

    def _looked_up(self, r: dict[str, Any]) -> None:
        states = {"active": self.tr("active"), "inactive": self.tr("not activated"),
                  "blocked": self.tr("blocked"), "voided": self.tr("voided")}
        expiry = locale_fmt.when(r["expires_at"] * 1000) if r["expires_at"] else self.tr("never")
        self._say(self.tr("%1 (%2): %3, balance %4, expires %5.")
                  .replace("%1", r["code"]).replace("%2", r["program"])
                  .replace("%3", states.get(r["state"], r["state"]))
                  .replace("%4", _shown(r["balance"], r["currency"]))
                  .replace("%5", expiry))

    def activate_and_load(self) -> None:
        code, amount, staff = self.code.text().strip(), self.amount.text().strip(), \
            self.manager.id if self.manager else ""
        self._run(lambda s: s.activate_and_load(code, amount, staff), self._sold)

    def _sold(self, r: dict[str, Any]) -> None:
        balance = _shown(r["balance"], r["currency"])
        self._say(self.tr("%1 activated: balance %2.").replace("%1", r["code"])
                  .replace("%2", balance) + ("" if r["synced"] else " " + self.tr(
                      "Head office will confirm at the next sync.")))
        self.amount.clear()

    def set_blocked(self, blocked: bool) -> None:
        code, reason = self.code.text().strip(), self.reason.text().strip()
        staff = self.manager.id if self.manager else ""
        self._run(lambda s: s.set_blocked(code, blocked, staff, reason),
                  lambda r: self._say((self.tr("%1 is blocked.") if blocked
                                       else self.tr("%1 is unblocked.")).replace("%1", r["code"])))

    def void_redemption(self) -> None:
        raw, reason = self.void_seq.text().strip(), self.reason.text().strip()
        staff = self.manager.id if self.manager else ""
        # The receipt prints a plain number; anything else is a typo.
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            self._say(self.tr("Enter the entry number printed on the receipt."), True)
            self.answered.emit()
            return
        self._run(lambda s: s.void_redemption(int(raw), reason, staff), self._voided)

    def _voided(self, r: dict[str, Any]) -> None:
        def money(v: str) -> str:
            return _shown(v, r["currency"])

        self._say(self.tr("Redemption %1 voided: %2 back on %3, balance %4.")
                  .replace("%1", str(r["ref"])).replace("%2", money(r["amount"]))
                  .replace("%3", r["code"]).replace("%4", money(r["balance"]))
                  + ("" if r["synced"] else " " + self.tr(
                      "Head office will confirm at the next sync.")))
        self.void_seq.clear()

    def transfer_balance(self) -> None:
        old, new = self.move_from.text().strip(), self.move_to.text().strip()
        reason, staff = self.reason.text().strip(), self.manager.id if self.manager else ""
        self._run(lambda s: s.transfer_balance(old, new, reason, staff), self._moved)

    def _moved(self, r: dict[str, Any]) -> None:
        def money(v: str) -> str:
            return _shown(v, r["currency"])

        self._say(self.tr("%1 moved from %2 (now blocked) to %3: balance %4.")
                  .replace("%1", money(r["amount"])).replace("%2", r["from"])
                  .replace("%3", r["to"]).replace("%4", money(r["balance_to"]))
                  + ("" if r["synced"] else " " + self.tr(
                      "Head office will confirm at the next sync.")))
        self.move_from.clear()
        self.move_to.clear()

    def adjust_points(self, sign: str) -> None:
        member, points = self.points_member.text().strip(), self.points_amount.text().strip()
        reason, staff = self.reason.text().strip(), self.manager.id if self.manager else ""
        self._run(lambda s: s.adjust_points(member, points, sign, reason, staff),
                  self._adjusted)

    def _adjusted(self, r: dict[str, Any]) -> None:
        self._say((self.tr("%1 points added to %2: now %3.") if r["sign"] == "+" else
                   self.tr("%1 points taken from %2: now %3.")).replace("%1", str(r["points"]))
                  .replace("%2", r["member"]).replace("%3", str(r["points_after"]))
                  + ("" if r["synced"] else " " + self.tr(
                      "Head office will confirm at the next sync.")))
        self.points_amount.clear()

    def close_day(self) -> None:
        staff = self.manager.id if self.manager else ""
        lang = language()
        self._run(lambda s: s.print_close(s.close_day(staff), lang), self._closed)

    def _closed(self, printed: Any) -> None:
        self.last_report = printed.path
        self._say(self.tr("Day closed: Z report %1 saved to %2.").replace(
            "%1", str(printed.report.number)).replace("%2", str(printed.path)))
        self.report.setText("\n".join(printed.lines))

    def refresh_status(self) -> None:
        """What waits to sync, the store's open cases, the pool and the batches: after login
        and after every action."""
        self.sync_panel.refresh()
        self.issue_panel.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.idle.close()
        if self.wedge is not None:
            QApplication.instance().removeEventFilter(self.wedge)
            self.wedge = None
