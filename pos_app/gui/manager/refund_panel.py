"""The manager screen's "Refunds" tab: scan or type a receipt's reference (its QR `WPO:...` or
the order id printed under it), see the order's lines and parts, and refund the whole order or
the lines ticked. A refund needs a manager, as a void does, so it lives on the manager screen,
behind its PIN; the service decides everything (`TerminalService.refund_view`, `refund`) and
this tab only shows the answer and the refund's receipt in the screen's language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.money import parse_minor
from pos_app.gui import locale_fmt
from pos_app.gui.app import language
from pos_app.gui.receipts import RefundReceipt

Run = Callable[[Callable[[Any], Any], Callable[[Any], None]], None]


class RefundPanel(QWidget):
    def __init__(self, run: Run, say: Callable[..., None], manager_id: Callable[[], str],
                 folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run, self._say, self._manager, self.folder = run, say, manager_id, folder
        self.last_pdf: Path | None = None
        self.order: dict[str, Any] | None = None
        self.last_receipt: RefundReceipt | None = None
        column = QVBoxLayout(self)
        box = QGroupBox(self.tr("Refund an order (scan or type the receipt reference)"))
        inner = QVBoxLayout(box)
        row = QHBoxLayout()
        self.reference = QLineEdit(objectName="refundReference")
        self.reference.setPlaceholderText(self.tr("Receipt reference, e.g. O-1a2b3c4d5e6f7a8b"))
        self.reference.returnPressed.connect(self.find)
        self.find_button = QPushButton(self.tr("Find order"))
        self.find_button.clicked.connect(self.find)
        row.addWidget(self.reference, 1)
        row.addWidget(self.find_button)
        inner.addLayout(row)
        self.summary = QLabel(objectName="refundSummary")
        self.summary.setWordWrap(True)
        inner.addWidget(self.summary)
        self.lines = QListWidget(objectName="refundLines")
        inner.addWidget(self.lines)
        self.reason = QLineEdit(objectName="refundReason")
        self.reason.setPlaceholderText(self.tr("Reason, e.g. returned unopened"))
        inner.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.whole_button = QPushButton(self.tr("Refund whole order"), objectName="primary")
        self.whole_button.clicked.connect(lambda: self.refund(False))
        self.lines_button = QPushButton(self.tr("Refund ticked lines"))
        self.lines_button.clicked.connect(lambda: self.refund(True))
        for b in (self.whole_button, self.lines_button):
            b.setEnabled(False)
            buttons.addWidget(b)
        inner.addLayout(buttons)
        column.addWidget(box)
        self.receipt = QLabel(objectName="receipt")
        self.receipt.setProperty("lang", language())
        self.receipt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.receipt, 1)

    def scanned(self, text: str) -> None:
        """A receipt's QR read by the wedge while this tab is shown."""
        self.reference.setText(text)
        self.find()

    def clear(self) -> None:
        for w in (self.reference, self.reason):
            w.clear()
        self.lines.clear()
        self.summary.clear()
        self.receipt.clear()
        self.order = None
        for b in (self.whole_button, self.lines_button):
            b.setEnabled(False)

    def find(self, quiet: bool = False) -> None:
        ref = self.order["id"] if quiet and self.order else self.reference.text().strip()
        self._run(lambda s: s.refund_view(ref), lambda o: self._found(o, quiet))

    def _money(self, amount: str) -> str:
        cur = (self.order or {}).get("currency", "EUR")
        return locale_fmt.money(parse_minor(amount, cur, allow_zero=True), cur)

    def _found(self, order: dict[str, Any], quiet: bool = False) -> None:
        self.order = order
        self.lines.clear()
        for ln in order["lines"]:
            item = QListWidgetItem(f"{ln['sku']} ×{ln['qty']}  {self._money(ln['amount'])}"
                                   + ("  " + self.tr("(refunded)") if ln["refunded"] else ""))
            item.setData(Qt.ItemDataRole.UserRole, ln["index"])
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags if not ln["refunded"] else Qt.ItemFlag.NoItemFlags)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.lines.addItem(item)
        cards = [p for p in order["parts"] if p["op"] == "redeem"]
        self.summary.setText(
            self.tr("Order %1: total %2, paid by %3 card(s) %4, refunded %5, left to refund %6.")
            .replace("%1", order["id"]).replace("%2", self._money(order["total"]))
            .replace("%3", str(len(cards))).replace("%4", self._money(order["paid"]))
            .replace("%5", self._money(order["refunded"]))
            .replace("%6", self._money(order["refundable"])))
        left = order["refundable"] != "0.00" or any(
            not ln["refunded"] for ln in order["lines"])
        self.whole_button.setEnabled(left)
        self.lines_button.setEnabled(bool(order["lines"]) and left)
        if not quiet:
            self._say(self.tr("Order %1 found.").replace("%1", order["id"]))

    def ticked(self) -> list[int]:
        return [int(self.lines.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.lines.count())
                if self.lines.item(i).checkState() == Qt.CheckState.Checked]

    def refund(self, only_lines: bool) -> None:
        if self.order is None:
            return
        ref, staff, reason = self.order["id"], self._manager(), self.reason.text().strip()
        lines = self.ticked() if only_lines else None
        if only_lines and not lines:
            self._say(self.tr("Tick the lines to refund."), True)
            return
        self._run(lambda s: s.refund(ref, staff=staff, lines=lines, reason=reason),
                  self._refunded)

    def _refunded(self, r: dict[str, Any]) -> None:
        self.last_receipt = RefundReceipt.from_result(r, str(r.get("store", "")),
                                                      str(r.get("terminal", "")),
                                                      self._manager())
        self.receipt.setText(self.last_receipt.text())
        saved = ""
        if self.folder is not None:  # the refund's receipt as a PDF, beside the sales' ones
            self.last_pdf = self.last_receipt.write_pdf(
                self.folder / f"refund-{r['terminal']}-{r['refund']}.pdf")
            saved = " " + self.tr("Receipt saved: %1").replace("%1", str(self.last_pdf))
        self._say(self.tr("Refunded %1 of order %2.").replace("%1", self._money(r["amount"]))
                  .replace("%2", r["order"]) + ("" if r["synced"] else " " + self.tr(
                      "Head office will confirm at the next sync.")) + saved)
        self.find(quiet=True)  # the order as it is now

