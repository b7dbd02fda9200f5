"""What the presented gift card can do: its balance, how much of this basket it pays, and the
Redeem button (F5) — the service decides, this only shows the answer and asks."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.gui import locale_fmt
from pos_app.gui.counter.tasks import CardInfo
from pos_app.gui.reasons import explain


class CardPanel(QWidget):
    redeem_requested = Signal(str, int)  # code, amount in minor units

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        box = QVBoxLayout(self)
        self.title = QLabel(self.tr("Card"))
        self.title.setObjectName("panelTitle")
        self.code = QLabel()
        self.code.setObjectName("cardCode")
        self.code.setWordWrap(True)
        self.balance = QLabel()
        self.balance.setObjectName("bigMoney")
        self.applies = QLabel()
        self.applies.setObjectName("applies")
        self.applies.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.redeem_button = QPushButton()
        self.redeem_button.setObjectName("primary")
        self.redeem_button.clicked.connect(self._redeem)
        for w in (self.title, self.code, self.balance, self.applies, self.redeem_button,
                  self.outcome):
            box.addWidget(w)
        box.addStretch(1)
        self.card: CardInfo | None = None
        self.show_nothing()

    def show_nothing(self) -> None:
        self.card = None
        self.code.setText(self.tr("Scan or type a gift card or member code."))
        self.balance.clear()
        self.applies.clear()
        self.outcome.clear()
        self.redeem_button.hide()

    def show_card(self, card: CardInfo, basket_total: int | None) -> None:
        if self.card is None or self.card.code != card.code:
            self.outcome.clear()  # a new card; the same card refreshed keeps its last outcome
        self.card = card
        self.code.setText(card.code)
        self.balance.setText(self.tr("Balance %1").replace(
            "%1", locale_fmt.money(card.balance, card.currency)))
        if card.state != "active":
            self.applies.setText(explain({"inactive": "card_inactive",
                                          "blocked": "card_blocked"}.get(card.state,
                                                                         "card_inactive")))
            self.redeem_button.hide()
            return
        if basket_total is None:
            self.applies.setText(self.tr("Enter the basket amount to see what this card pays."))
            self.redeem_button.hide()
            return
        rest = basket_total - card.applies
        text = self.tr("Pays %1 of %2.").replace("%1", locale_fmt.money(card.applies,
                                                                        card.currency)) \
            .replace("%2", locale_fmt.money(basket_total, card.currency))
        if rest > 0:
            text += " " + self.tr("Customer pays the other %1.").replace(
                "%1", locale_fmt.money(rest, card.currency))
        if card.capped_by:
            text += " " + explain("over_order_limit")
        self.applies.setText(text)
        self.redeem_button.setText(self.tr("Redeem %1 (F5)").replace(
            "%1", locale_fmt.money(card.applies, card.currency)))
        self.redeem_button.setVisible(card.applies > 0)
        self.redeem_button.setEnabled(True)

    def show_error(self, reason: str) -> None:
        self.outcome.setText("✗ " + explain(reason))
        self.outcome.setProperty("state", "declined")
        self._repolish()

    def show_outcome(self, approved: bool, text: str) -> None:
        self.outcome.setText(("✓ " if approved else "✗ ") + text)
        self.outcome.setProperty("state", "approved" if approved else "declined")
        self._repolish()
        self.redeem_button.hide()  # approved or declined: this press is answered

    def busy(self, busy: bool) -> None:
        self.redeem_button.setEnabled(not busy)

    def _repolish(self) -> None:
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)

    def _redeem(self) -> None:
        if self.card is not None and self.redeem_button.isVisible() and \
                self.redeem_button.isEnabled():
            self.redeem_button.setEnabled(False)  # one press, one redemption
            self.redeem_requested.emit(self.card.code, self.card.applies)
