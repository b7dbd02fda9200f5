"""Receipts: the same few lines on screen, in a PDF (Qt's QPdfWriter, so any printer driver or a
"print to file" works) and on an ESC/POS receipt printer through python-escpos when one is
configured (`WALLETPOS_ESCPOS=usb:0x04b8:0x0202` or `network:192.168.1.50`; optional extra
`walletpos[escpos]`, imported only when used).

A receipt is made only after the service returned an approved, committed redemption, and it
carries what ties it to the signed journal: the entry's `seq`, the first 12 hex digits of its
hash (core.journal.short_hash) and the request id, plus the remaining balance. Every receipt
names its order; an order paid with several cards lists every card's part (each its own
entry, in the order used) and every reward taken on it. The order id is the receipt reference a
refund finds the order by: printed as text, and as a QR holding `WPO:<order id>` (`qr_payload`).
A refund has its own receipt (`RefundReceipt`): each card's part given back (last-used card
first), the points taken back and rewards returned, the refund id and the order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from core.money import parse_minor
from core.rules.refunds import receipt_reference
from pos_app.gui import locale_fmt

RECEIPT_WIDTH_MM = 80  # the common thermal roll; the PDF matches it
QR_URL = "walletpos-receipt-qr.png"


def qr_image(payload: str, scale: int = 8) -> QImage:
    """The receipt reference as a QR image (4 white modules around), for the PDF."""
    from pos_app.printing.cards_pdf import qr_matrix

    dark = qr_matrix(payload)
    n = dark.shape[0] + 8
    image = QImage(n * scale, n * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, x in zip(*dark.nonzero(), strict=True):
        painter.fillRect((int(x) + 4) * scale, (int(y) + 4) * scale, scale, scale,
                         QColor("black"))
    painter.end()
    return image


@dataclass(frozen=True)
class ReceiptPart:
    """One card's part of an order paid with several cards."""

    card: str
    amount: int
    balance_after: int | None
    seq: int
    short_hash: str


@dataclass(frozen=True)
class Receipt:
    store: str
    terminal: str
    staff: str | None
    seq: int
    short_hash: str
    request_id: str
    card: str
    amount: int
    balance_after: int | None
    currency: str
    wall_ms: int
    offline: bool
    order: str | None = None
    parts: tuple[ReceiptPart, ...] = ()  # several cards: each card's part, in order of use
    rewards: tuple[tuple[str, int], ...] = ()  # (reward name, value in minor units)

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows, translated and formatted for the current locale."""
        rows = [
            (QCoreApplication.translate("receipt", "Store"), self.store),
            (QCoreApplication.translate("receipt", "Terminal"), self.terminal),
            (QCoreApplication.translate("receipt", "Date"), locale_fmt.when(self.wall_ms)),
        ]
        if self.staff:
            rows.append((QCoreApplication.translate("receipt", "Cashier"), self.staff))
        if self.order:
            rows.append((QCoreApplication.translate("receipt", "Order"), self.order))
        for name, value in self.rewards:
            rows.append((QCoreApplication.translate("receipt", "Reward %1").replace("%1", name),
                         "−" + locale_fmt.money(value, self.currency)))
        if self.parts:
            return rows + self._part_rows()
        if not self.card:  # rewards only: what they took off, and the entry
            return rows + [(QCoreApplication.translate("receipt", "Entry"), f"#{self.seq}")]
        rows += [
            (QCoreApplication.translate("receipt", "Gift card"), mask(self.card)),
            (QCoreApplication.translate("receipt", "Redeemed"),
             locale_fmt.money(self.amount, self.currency)),
        ]
        if self.balance_after is not None:
            rows.append((QCoreApplication.translate("receipt", "Remaining balance"),
                         locale_fmt.money(self.balance_after, self.currency)))
        rows += [
            (QCoreApplication.translate("receipt", "Entry"), f"#{self.seq}"),
            (QCoreApplication.translate("receipt", "Signature"), self.short_hash),
            (QCoreApplication.translate("receipt", "Reference"), self.request_id),
        ]
        if self.offline:
            rows.append((QCoreApplication.translate("receipt", "Mode"),
                         QCoreApplication.translate("receipt",
                                                    "offline, sent to head office later")))
        return rows

    def _part_rows(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for i, part in enumerate(self.parts, start=1):
            rows.append((QCoreApplication.translate("receipt", "Gift card %1")
                         .replace("%1", str(i)), mask(part.card)))
            rows.append((QCoreApplication.translate("receipt", "Redeemed"),
                         locale_fmt.money(part.amount, self.currency)))
            if part.balance_after is not None:
                rows.append((QCoreApplication.translate("receipt", "Remaining balance"),
                             locale_fmt.money(part.balance_after, self.currency)))
            rows.append((QCoreApplication.translate("receipt", "Entry"),
                         f"#{part.seq} {part.short_hash}"))
        rows.append((QCoreApplication.translate("receipt", "Paid by gift cards"),
                     locale_fmt.money(sum(p.amount for p in self.parts), self.currency)))
        rows.append((QCoreApplication.translate("receipt", "Reference"), self.request_id))
        if self.offline:
            rows.append((QCoreApplication.translate("receipt", "Mode"),
                         QCoreApplication.translate("receipt",
                                                    "offline, sent to head office later")))
        return rows

    @property
    def qr_payload(self) -> str | None:
        """What the receipt's QR holds: its order, for a refund to find it."""
        return receipt_reference(self.order) if self.order else None

    def text(self) -> str:
        width = max(len(label) for label, _ in self.lines()) + 2
        return "\n".join(f"{label:<{width}}{value}" for label, value in self.lines())

    def html(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(k)}</td><td align='right'><b>{escape(v)}</b></td></tr>"
                       for k, v in self.lines())
        thanks = QCoreApplication.translate("receipt", "Thank you!")
        qr = ""
        if self.qr_payload and self.order:  # the image is the document's resource QR_URL
            label = QCoreApplication.translate("receipt", "Receipt reference")
            qr = (f"<p align='center'><img src='{QR_URL}' width='110' height='110'><br>"
                  f"{escape(label)}: {escape(self.order)}</p>")
        return (f"<h3 align='center'>walletpos</h3><table width='100%' cellspacing='2'>"
                f"{rows}</table>{qr}<p align='center'>{escape(thanks)}</p>")

    def write_pdf(self, path: Path) -> Path:
        """An 80 mm wide PDF (receipt-roll shaped), text kept as text so it can be searched."""
        return write_pdf(path, f"walletpos receipt {self.terminal} #{self.seq}", self.html(),
                         self.qr_payload)


def write_pdf(path: Path, title: str, html: str, qr: str | None = None) -> Path:
    """HTML as an 80 mm wide receipt PDF; QR (a payload) is the image the HTML names QR_URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("walletpos")
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QSizeF(RECEIPT_WIDTH_MM, 160), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(4, 4, 4, 4), QPageLayout.Unit.Millimeter)
    doc = QTextDocument()
    font = QFont()
    font.setPointSize(8)
    doc.setDefaultFont(font)
    if qr:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(QR_URL), qr_image(qr))
    doc.setHtml(html)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    return path


@dataclass(frozen=True)
class RefundReceipt:
    """A refund's receipt: what went back where, tied to the refund's entries."""

    store: str
    terminal: str
    staff: str | None
    order: str
    refund: str
    currency: str
    wall_ms: int
    parts: tuple[tuple[str, str, int, int | None, int], ...]  # (of, card, amount, balance, seq)
    synced: bool = True

    @classmethod
    def from_result(cls, r: dict[str, object], store: str, terminal: str, staff: str | None,
                    wall_ms: int | None = None) -> RefundReceipt:
        """From `TerminalService.refund`'s answer."""
        import time

        cur = str(r["currency"])
        parts = []
        for p in r["parts"]:  # type: ignore[attr-defined]
            money = p["of"] == "redeem"
            amount = parse_minor(p["amount"], cur) if money else int(p["amount"])
            balance = parse_minor(p["balance"], cur, allow_zero=True) \
                if money and p.get("balance") else None
            parts.append((str(p["of"]), str(p["card"]), amount, balance, int(p["seq"])))
        return cls(store, terminal, staff, str(r["order"]), str(r["refund"]), cur,
                   wall_ms if wall_ms is not None else int(time.time() * 1000), tuple(parts),
                   bool(r.get("synced", True)))

    def lines(self) -> list[tuple[str, str]]:
        t = QCoreApplication.translate
        rows = [(t("receipt", "Refund"), self.refund), (t("receipt", "Store"), self.store),
                (t("receipt", "Terminal"), self.terminal),
                (t("receipt", "Date"), locale_fmt.when(self.wall_ms))]
        if self.staff:
            rows.append((t("receipt", "Approved by"), self.staff))
        rows.append((t("receipt", "Order"), self.order))
        total = 0
        for of, card, amount, balance, seq in self.parts:
            if of == "redeem":
                total += amount
                rows.append((t("receipt", "Back on gift card"), mask(card)))
                rows.append((t("receipt", "Refunded"), locale_fmt.money(amount, self.currency)))
                if balance is not None:
                    rows.append((t("receipt", "Balance"),
                                 locale_fmt.money(balance, self.currency)))
            elif of == "earn":
                rows.append((t("receipt", "Points taken back"), str(amount)))
            else:
                rows.append((t("receipt", "Reward points returned"), str(amount)))
            rows.append((t("receipt", "Entry"), f"#{seq}"))
        rows.append((t("receipt", "Refunded to gift cards"),
                     locale_fmt.money(total, self.currency)))
        if not self.synced:
            rows.append((t("receipt", "Mode"), t("receipt", "offline, sent to head office later")))
        return rows

    def text(self) -> str:
        width = max(len(label) for label, _ in self.lines()) + 2
        return "\n".join(f"{label:<{width}}{value}" for label, value in self.lines())

    def html(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(k)}</td><td align='right'><b>{escape(v)}</b></td></tr>"
                       for k, v in self.lines())
        return (f"<h3 align='center'>walletpos</h3><table width='100%' cellspacing='2'>"
                f"{rows}</table>")

    def write_pdf(self, path: Path) -> Path:
        return write_pdf(path, f"walletpos refund {self.terminal} {self.refund}", self.html())


def mask(code: str) -> str:
    """Only the last group on paper: a receipt in the bin must not be a spendable card."""
    head, _, tail = code.rpartition("-")
    return ("•" * len(head) + "-" + tail) if head else code


def escpos_target() -> str | None:
    return os.environ.get("WALLETPOS_ESCPOS") or None


def print_escpos(receipt: Receipt, target: str | None = None) -> bool:
    """Print on the configured ESC/POS printer; False when none is configured. Raises OSError
    (or python-escpos' own errors) when the printer is configured but does not answer."""
    target = target or escpos_target()
    if not target:
        return False
    from escpos import printer  # optional dependency: walletpos[escpos]

    kind, _, where = target.partition(":")
    if kind == "usb":
        vendor, _, product = where.partition(":")
        device = printer.Usb(int(vendor, 16), int(product, 16))
    elif kind == "network":
        device = printer.Network(where)
    else:
        raise OSError(f"WALLETPOS_ESCPOS must be usb:VID:PID or network:HOST, not {target!r}")
    device.set(align="center", bold=True)
    device.text("walletpos\n")
    device.set(align="left", bold=False)
    device.text(receipt.text() + "\n")
    if receipt.qr_payload:  # the receipt reference a refund finds the order by
        device.set(align="center")
        device.qr(receipt.qr_payload, size=4)
        device.text((receipt.order or "") + "\n")
    device.cut()
    device.close()
    return True
