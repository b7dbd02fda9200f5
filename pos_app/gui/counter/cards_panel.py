"""Several gift cards on one basket: the cards scanned for this sale, in the order they will be
used (the service's default: soonest-expiring first, then smallest balance), what each pays,
and why a card pays nothing (a restricted card with no eligible line, a reward that does not
combine with gift cards). The cashier moves a card up or down; the service re-plans and Pay
(F7) commits the parts in the order shown — one signed entry per card, one order.

It decides nothing: the amounts and the reasons come from `tasks.plan_cards`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.gui import locale_fmt
from pos_app.gui.counter.tasks import CardsPlan
from pos_app.gui.reasons import explain


def short(code: str) -> str:
    """A card on the screen by its last group (as on the receipt, without the bullets)."""
    return "…" + code.rpartition("-")[2]


class CardsPanel(QWidget):
    reorder_requested = Signal(list)  # card codes in the order the cashier wants
    pay_requested = Signal(list)  # card codes in the order shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        box = QVBoxLayout(self)
        title = QLabel(self.tr("Cards for this sale"))
        title.setObjectName("panelTitle")
        self.hint = QLabel(self.tr("Used in this order; move a card to change it."))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("saleCards")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        self.dropped = QLabel()
        self.dropped.setObjectName("refused")
        self.dropped.setWordWrap(True)
        self.total = QLabel()
        self.total.setObjectName("applies")
        self.total.setWordWrap(True)
        self.pay_button = QPushButton()
        self.pay_button.setObjectName("primary")
        self.pay_button.clicked.connect(self._pay)
        for widget in (title, self.hint, self.list):
            box.addWidget(widget)
        box.addLayout(moves)
        for label in (self.total, self.dropped, self.pay_button):
            box.addWidget(label)
        self.plan: CardsPlan | None = None
        self.show_plan(None)

    def codes(self) -> list[str]:
        """The cards in the order shown."""
        return [self.list.item(i).data(256) for i in range(self.list.count())]

    def show_plan(self, plan: CardsPlan | None) -> None:
        self.plan = plan
        self.list.clear()
        if plan is None or len(plan.cards) < 2:
            self.hide()
            return
        self.show()
        pays = dict(plan.parts)
        for i, code in enumerate(plan.cards, start=1):
            amount = pays.get(code, 0)
            text = self.tr("%1. %2 pays %3 (balance %4)").replace("%1", str(i)) \
                .replace("%2", short(code)).replace("%3", locale_fmt.money(amount, plan.currency)) \
                .replace("%4", locale_fmt.money(plan.balances.get(code, 0), plan.currency))
            item = QListWidgetItem(text)
            item.setData(256, code)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        rows = sum(max(self.list.sizeHintForRow(i), self.fontMetrics().height() + 6)
                   for i in range(min(6, self.list.count())))
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)
        paid = sum(a for _, a in plan.parts)
        self.total.setText(self.tr("Cards pay %1; customer pays the other %2.")
                           .replace("%1", locale_fmt.money(paid, plan.currency))
                           .replace("%2", locale_fmt.money(plan.to_pay, plan.currency)))
        self.dropped.setText("\n".join(
            f"✗ {short(d.benefit.removeprefix('gift:'))}: {explain(d.reason, d.detail)}"
            for d in plan.dropped))
        self.pay_button.setText(self.tr("Pay %1 with cards (F7)").replace(
            "%1", locale_fmt.money(paid, plan.currency)))
        self.pay_button.setVisible(paid > 0)
        self.pay_button.setEnabled(True)

    def select(self, row: int) -> None:
        self.list.setCurrentRow(row)

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        codes = self.codes()
        to = row + step
        if row < 0 or not 0 <= to < len(codes):
            return
        codes[row], codes[to] = codes[to], codes[row]
        self.reorder_requested.emit(codes)
        self._selected_after_move = to

    def _pay(self) -> None:
        if self.plan is not None and self.pay_button.isVisible() and self.pay_button.isEnabled():
            self.pay_button.setEnabled(False)  # one press, one payment
            self.pay_requested.emit(self.codes())
