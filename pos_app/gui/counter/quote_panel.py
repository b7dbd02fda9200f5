"""Loyalty as the quote states it (core.rules.offers.Quote): points, tier and the way to the
next one, rewards available now with their cost, the points this order earns, and every refused
benefit with its reason in the cashier's language. Rewards are ticked and applied through the
service (`commit`); this panel decides nothing about what may combine — the engine does."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.gui import locale_fmt
from pos_app.gui.reasons import explain


class QuotePanel(QWidget):
    apply_requested = Signal(list)  # chosen reward benefit ids (points are always earned)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.box = QVBoxLayout(self)
        title = QLabel(self.tr("Loyalty"))
        title.setObjectName("panelTitle")
        self.box.addWidget(title)
        self.body = QVBoxLayout()
        self.box.addLayout(self.body)
        self.apply_button = QPushButton(self.tr("Apply rewards and earn points (F6)"))
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self._apply)
        self.box.addWidget(self.apply_button)
        self.quote: Any = None
        self.choices: dict[str, QCheckBox] = {}
        self.show_quote(None)

    def _clear(self) -> None:
        while self.body.count():
            item = self.body.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.choices = {}

    def _label(self, text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        if name:
            label.setObjectName(name)
        self.body.addWidget(label)
        return label

    def show_quote(self, quote: Any) -> None:
        """Render a core.rules.offers.Quote (None: nothing to show)."""
        self._clear()
        self.quote = quote
        if quote is None or not (quote.members or quote.rewards or quote.earn or quote.refused):
            self.hide()
            return
        self.show()
        for m in quote.members:
            self._label(self.tr("Member %1").replace("%1", m.member), "cardCode")
            self._label(self.tr("%1 points").replace("%1", locale_fmt.points(m.points)),
                        "bigMoney")
            tier = self._label(self.tr("Tier: %1").replace("%1", m.tier))
            if m.next_tier:
                bar = QProgressBar()
                total = max(1, m.points_to_next + m.points)
                bar.setRange(0, total)
                bar.setValue(m.points)
                bar.setFormat(self.tr("%1 points to %2").replace(
                    "%1", locale_fmt.points(m.points_to_next)).replace("%2", m.next_tier))
                self.body.addWidget(bar)
            del tier
        if quote.points_to_earn:
            self._label(self.tr("This order earns %1 points").replace(
                "%1", locale_fmt.points(quote.points_to_earn)), "applies")
        for r in quote.rewards:
            box = QCheckBox(self.tr("%1 — %2 points (worth %3)").replace("%1", r.reward)
                            .replace("%2", locale_fmt.points(r.cost))
                            .replace("%3", locale_fmt.money(r.value, r.currency)))
            box.setObjectName("reward")
            self.body.addWidget(box)
            self.choices[r.benefit] = box
        for refusal in quote.refused:
            name = refusal.benefit.split(":")[-1]
            self._label(f"✗ {name}: {explain(refusal.reason, refusal.detail)}", "refused")
        self.apply_button.setVisible(bool(quote.rewards or quote.earn))

    def chosen(self) -> list[str]:
        return [b for b, box in self.choices.items() if box.isChecked()]

    def _apply(self) -> None:
        if self.quote is not None and self.apply_button.isVisible():
            self.apply_requested.emit(self.chosen())
