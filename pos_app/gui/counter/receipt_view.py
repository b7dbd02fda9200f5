"""The last receipt on screen, with Print (F9): a PDF under HOME/receipts/, and the ESC/POS
printer too when one is configured. Printing happens only for a committed redemption."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.gui.receipts import Receipt, print_escpos


class ReceiptView(QWidget):
    printed = Signal(str)  # the PDF path

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.folder = folder
        box = QVBoxLayout(self)
        title = QLabel(self.tr("Receipt"))
        title.setObjectName("panelTitle")
        self.body = QLabel()
        self.body.setObjectName("receipt")
        self.print_button = QPushButton(self.tr("Print receipt (F9)"))
        self.print_button.clicked.connect(self.print_receipt)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        for w in (title, self.body, self.print_button, self.status):
            box.addWidget(w)
        self.receipt: Receipt | None = None
        self.last_pdf: Path | None = None
        self.show_receipt(None)

    def show_receipt(self, receipt: Receipt | None) -> None:
        self.receipt = receipt
        self.setVisible(receipt is not None)
        self.status.clear()
        if receipt is not None:
            self.body.setText("<table>" + "".join(
                f"<tr><td>{k}&nbsp;&nbsp;</td><td><b>{v}</b></td></tr>"
                for k, v in receipt.lines()) + "</table>")

    def print_receipt(self) -> Path | None:
        if self.receipt is None:
            return None
        r = self.receipt
        path = r.write_pdf(self.folder / f"receipt-{r.terminal}-{r.seq:06d}.pdf")
        self.last_pdf = path
        text = self.tr("Saved %1").replace("%1", str(path))
        try:
            if print_escpos(r):
                text += "  " + self.tr("and sent to the receipt printer.")
        except Exception as exc:  # noqa: BLE001 - a printer fault must not lose the PDF
            text += "  " + self.tr("Receipt printer failed: %1").replace("%1", str(exc)[:80])
        self.status.setText(text)
        self.printed.emit(str(path))
        return path
