"""Basket entry: an amount, or line items (SKU, category, quantity, price) typed in, or a basket
handed over by the host POS.

Host POS interface (documented in README): the host writes one JSON file per sale into
`HOME/basket-inbox/` — `{"currency": "EUR", "total"?: "42.00", "lines"?: [{"sku", "category",
"qty", "price"}]}`, amounts as decimal strings, the shape `core.rules.basket.parse_basket`
reads — by writing `name.json.tmp` and renaming it, so a half-written file is never read. The
counter loads the newest file, then moves it to `basket-inbox/done/`. A bad file is moved to
`basket-inbox/rejected/` and the reason is shown. A file drop needs no port, no auth and works
with any host language; a localhost HTTP server would add all three.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLocale, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from core.errors import InvalidInput
from core.money import format_minor, parse_minor
from core.rules.basket import Basket, Line, parse_basket
from pos_app.gui import locale_fmt
from pos_app.gui.reasons import explain


def parse_amount(text: str, currency: str, locale: QLocale | None = None, *,
                 allow_zero: bool = False) -> int:
    """Typed money in the cashier's locale ("12,50" in de) to minor units; InvalidAmount.
    The field's own spacing and group separators go; what is left must be ASCII digits
    (`core.money.parse_minor`)."""
    loc = locale or QLocale()
    cleaned = text.strip().replace(loc.groupSeparator(), "").replace(" ", "")
    return parse_minor(cleaned.replace(loc.decimalPoint(), "."), currency,
                       allow_zero=allow_zero)


class BasketPanel(QWidget):
    changed = Signal()

    def __init__(self, currency: str = "EUR", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.currency = currency
        self._lines: list[Line] = []
        grid = QGridLayout(self)
        title = QLabel(self.tr("Basket"))
        title.setObjectName("panelTitle")
        grid.addWidget(title, 0, 0, 1, 4)
        self.amount = QLineEdit()
        self.amount.setObjectName("amount")
        self.amount.setPlaceholderText(self.tr("Total, e.g. %1").replace(
            "%1", locale_fmt.money(4250, currency).replace("€", "")))
        self.amount.textChanged.connect(self._typed)
        grid.addWidget(QLabel(self.tr("Amount (F2)")), 1, 0)
        grid.addWidget(self.amount, 1, 1, 1, 3)
        self.sku, self.category, self.price = QLineEdit(), QLineEdit(), QLineEdit()
        self.sku.setPlaceholderText(self.tr("SKU"))
        self.category.setPlaceholderText(self.tr("Category"))
        self.price.setPlaceholderText(self.tr("Price"))
        # A plain field, not a spin box: its arrows are too small for a thumb anyway.
        self.qty = QLineEdit("1")
        self.qty.setValidator(QIntValidator(1, 999, self.qty))
        self.qty.setMaximumWidth(90)
        self.qty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QPushButton(self.tr("Add line"))
        self.add_button.clicked.connect(self._add_typed_line)
        self.price.returnPressed.connect(self._add_typed_line)
        for col, w in enumerate((self.sku, self.category, self.qty, self.price)):
            grid.addWidget(w, 2, col)
        grid.addWidget(self.add_button, 3, 3)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Category"),
                                              self.tr("Qty"), self.tr("Price")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(140)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid.addWidget(self.table, 4, 0, 1, 4)
        self.table.hide()  # shown with the first line item
        self.message = QLabel()
        self.message.setObjectName("hint")
        grid.addWidget(self.message, 3, 0, 1, 3)
        self._watcher: QFileSystemWatcher | None = None
        self._inbox: Path | None = None

    # ---- what the rest of the screen reads ----------------------------------------------

    def basket(self) -> Basket | None:
        """The basket, or None while nothing (or nothing valid) is entered."""
        if self._lines:
            return Basket(self.currency, tuple(self._lines))
        try:
            total = parse_amount(self.amount.text(), self.currency)
        except InvalidInput:
            return None
        return Basket(self.currency, (), total) if total > 0 else None

    def total(self) -> int | None:
        basket = self.basket()
        return basket.total if basket is not None else None

    def clear(self) -> None:
        self._lines.clear()
        self.table.setRowCount(0)
        self.table.hide()
        self.amount.clear()
        self.amount.setReadOnly(False)
        self.message.clear()
        self.changed.emit()

    def set_basket(self, basket: Basket) -> None:
        self.clear()
        if basket.lines:
            for line in basket.lines:
                self._append(line)
        self.amount.setText(format_minor(basket.total, basket.currency).replace(
            ".", QLocale().decimalPoint()))
        self.amount.setReadOnly(bool(basket.lines))
        self.changed.emit()

    # ---- internals ----------------------------------------------------------------------

    def _typed(self) -> None:
        text = self.amount.text().strip()
        if text and self.basket() is None and not self._lines:
            self.message.setText(explain("invalid_amount"))
        else:
            self.message.clear()
        self.changed.emit()

    def _add_typed_line(self) -> None:
        try:
            # A free line costs nothing; the total of the basket is what must be above zero.
            price = parse_amount(self.price.text(), self.currency, allow_zero=True)
            line = Line(self.sku.text().strip() or "ITEM", self.category.text().strip(),
                        int(self.qty.text() or "1"), price)
            Basket(self.currency, (*self._lines, line))  # the core's checks, before we keep it
        except InvalidInput as exc:
            self.message.setText(explain(exc.reason))
            return
        self._append(line)
        for w in (self.sku, self.category, self.price):
            w.clear()
        self.qty.setText("1")
        total = sum(li.amount for li in self._lines)
        self.amount.setText(format_minor(total, self.currency).replace(
            ".", QLocale().decimalPoint()))
        self.amount.setReadOnly(True)
        self.changed.emit()

    def _append(self, line: Line) -> None:
        self._lines.append(line)
        self.table.show()
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate((line.sku, line.category, str(line.qty),
                                     locale_fmt.money(line.unit_price, self.currency))):
            self.table.setItem(row, col, QTableWidgetItem(value))

    # ---- host POS file drop ---------------------------------------------------------------

    def watch(self, inbox: Path) -> None:
        inbox.mkdir(parents=True, exist_ok=True)
        self._inbox = inbox
        self._watcher = QFileSystemWatcher([str(inbox)], self)
        self._watcher.directoryChanged.connect(lambda _path: self.take_from_inbox())

    def take_from_inbox(self) -> bool:
        """Load the newest `*.json` basket in the inbox; True when one was loaded."""
        if self._inbox is None:
            return False
        files = sorted(self._inbox.glob("*.json"), key=lambda p: p.stat().st_mtime)
        if not files:
            return False
        newest = files[-1]
        try:
            basket = parse_basket(json.loads(newest.read_text(encoding="utf-8")))
            if basket.currency != self.currency:
                raise InvalidInput("wrong currency", reason="wrong_currency")
        except (OSError, ValueError, InvalidInput) as exc:
            reason = exc.reason if isinstance(exc, InvalidInput) else "invalid_input"
            self._file(newest, "rejected")
            self.message.setText(explain(reason))
            return False
        self._file(newest, "done")
        self.set_basket(basket)
        return True

    @staticmethod
    def _file(path: Path, folder: str) -> None:
        target = path.parent / folder
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
