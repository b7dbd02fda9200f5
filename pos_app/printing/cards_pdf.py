"""A PDF sheet of CR80 cards (85.60 x 53.98 mm), each with its signed `WP1:` QR, printed code,
program name and the brand's band and logo.

Layouts: `a4` and `letter` put as many cards as fit in a centred grid with 3 mm gutters (A4: 2 x 5,
Letter: 2 x 4) and gang-run crop marks in the page margin at every card edge, so a guillotine can
cut each card out; `card` is one card per page of exactly CR80 size for a card printer (no marks).

The QR is drawn as vector squares (crisp at any printer resolution) from OpenCV's encoder, with
the 4-module quiet zone kept white. Note `cv2.QRCodeEncoder()` segfaults on OpenCV 5: always
`QRCodeEncoder.create(params)`. Text needs a QGuiApplication (fonts); one is made, offscreen,
when the caller (the CLI) has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pos_app.printing.brand import Brand, load_brand
from pos_app.printing.qt_app import ensure_gui_app

CARD_W_MM, CARD_H_MM = 85.60, 53.98
MARGIN_MM, GUTTER_MM = 6.0, 3.0
MARK_LEN_MM, MARK_GAP_MM = 3.5, 1.0
QUIET_MODULES = 4
RESOLUTION_DPI = 600
# name -> page size in mm (width, height); "card" is one card per page
PAGE_LAYOUTS: dict[str, tuple[float, float]] = {
    "a4": (210.0, 297.0), "letter": (215.9, 279.4), "card": (CARD_W_MM, CARD_H_MM)}


@dataclass(frozen=True)
class PrintedCard:
    code: str
    qr: str  # the WP1 credential the QR carries
    program_name: str
    value: str | None = None  # "50.00 EUR" when it is printed on the card


def qr_matrix(text: str) -> np.ndarray:
    """Dark modules as a bool matrix (no quiet zone), error correction level M. zxing-cpp's
    writer: ~0.2 ms a code where OpenCV's encoder took ~18 ms (a 500-card sheet: 9 s), and it
    picks the smaller symbol (49 modules where OpenCV made 53 for a WP1 credential)."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128


def grid(layout: str) -> tuple[int, int, float, float]:
    """(columns, rows, left, top) in mm for a sheet layout."""
    page_w, page_h = PAGE_LAYOUTS[layout]
    if layout == "card":
        return 1, 1, 0.0, 0.0
    cols = int((page_w - 2 * MARGIN_MM + GUTTER_MM) // (CARD_W_MM + GUTTER_MM))
    rows = int((page_h - 2 * MARGIN_MM + GUTTER_MM) // (CARD_H_MM + GUTTER_MM))
    used_w = cols * CARD_W_MM + (cols - 1) * GUTTER_MM
    used_h = rows * CARD_H_MM + (rows - 1) * GUTTER_MM
    return cols, rows, (page_w - used_w) / 2, (page_h - used_h) / 2


def write_card_sheet(path: Path | str, cards: Sequence[PrintedCard], *, layout: str = "a4",
                     brand: Brand | None = None) -> int:
    """Write the sheet; returns the number of pages."""
    if layout not in PAGE_LAYOUTS:
        raise ValueError(f"layout is one of {', '.join(PAGE_LAYOUTS)}")
    if not cards:
        raise ValueError("no cards to print")
    ensure_gui_app()
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    brand = brand or load_brand()
    page_w, page_h = PAGE_LAYOUTS[layout]
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setTitle(f"{brand.name} cards")
    writer.setCreator("walletpos")
    size = QPageSize(QSizeF(page_w, page_h), QPageSize.Unit.Millimeter, layout,
                     QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    cols, rows, left, top = grid(layout)
    per_page = cols * rows
    painter = QPainter(writer)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pages = (len(cards) + per_page - 1) // per_page
        for page in range(pages):
            if page:
                writer.newPage()
            chunk = cards[page * per_page:(page + 1) * per_page]
            for i, card in enumerate(chunk):
                col, row = i % cols, i // cols
                _CardPainter(painter, brand).draw(
                    card, left + col * (CARD_W_MM + GUTTER_MM),
                    top + row * (CARD_H_MM + GUTTER_MM))
            if layout != "card":
                _crop_marks(painter, cols, rows, left, top, page_w, page_h)
    finally:
        painter.end()
    return pages


# ---- internals below ---------------------------------------------------------------------------

def _px(mm: float) -> float:
    return mm * RESOLUTION_DPI / 25.4


def _crop_marks(painter, cols: int, rows: int, left: float, top: float,  # type: ignore[no-untyped-def]
                page_w: float, page_h: float) -> None:
    from PySide6.QtCore import QLineF, Qt
    from PySide6.QtGui import QPen

    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(_px(0.15))
    painter.setPen(pen)
    xs = [left + c * (CARD_W_MM + GUTTER_MM) + dx for c in range(cols) for dx in (0, CARD_W_MM)]
    ys = [top + r * (CARD_H_MM + GUTTER_MM) + dy for r in range(rows) for dy in (0, CARD_H_MM)]
    grid_top, grid_bottom = ys[0], ys[-1]
    grid_left, grid_right = xs[0], xs[-1]
    for x in xs:  # vertical marks above and below the grid
        painter.drawLine(QLineF(_px(x), _px(grid_top - MARK_GAP_MM - MARK_LEN_MM),
                                _px(x), _px(grid_top - MARK_GAP_MM)))
        painter.drawLine(QLineF(_px(x), _px(grid_bottom + MARK_GAP_MM),
                                _px(x), _px(min(page_h, grid_bottom + MARK_GAP_MM
                                                + MARK_LEN_MM))))
    for y in ys:  # horizontal marks left and right of the grid
        painter.drawLine(QLineF(_px(grid_left - MARK_GAP_MM - MARK_LEN_MM), _px(y),
                                _px(grid_left - MARK_GAP_MM), _px(y)))
        painter.drawLine(QLineF(_px(grid_right + MARK_GAP_MM), _px(y),
                                _px(min(page_w, grid_right + MARK_GAP_MM + MARK_LEN_MM)),
                                _px(y)))


class _CardPainter:
    """One card at (x, y) mm: brand band with logo and name, QR on the right, text on the left."""

    BAND_MM, STRIPE_MM, PAD_MM, QR_MM = 11.0, 1.2, 3.5, 36.0

    def __init__(self, painter, brand: Brand) -> None:  # type: ignore[no-untyped-def]
        self.p = painter
        self.brand = brand

    def draw(self, card: PrintedCard, x: float, y: float) -> None:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QFont, QPen

        p, b = self.p, self.brand
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.fillRect(QRectF(_px(x), _px(y), _px(CARD_W_MM), _px(CARD_H_MM)), QColor("#ffffff"))
        p.fillRect(QRectF(_px(x), _px(y), _px(CARD_W_MM), _px(self.BAND_MM)), QColor(b.primary))
        p.fillRect(QRectF(_px(x), _px(y + self.BAND_MM), _px(CARD_W_MM), _px(self.STRIPE_MM)),
                   QColor(b.accent))
        logo_mm = self.BAND_MM - 3.0
        self._logo(QRectF(_px(x + self.PAD_MM), _px(y + 1.5), _px(logo_mm), _px(logo_mm)))
        font = QFont()
        font.setFamilies(["Noto Sans", "DejaVu Sans", "Noto Sans CJK JP"])
        font.setBold(True)
        font.setPointSizeF(12)
        p.setFont(font)
        p.setPen(QPen(QColor(b.on_primary)))
        name_left = x + self.PAD_MM + logo_mm + 2.0
        p.drawText(QRectF(_px(name_left), _px(y), _px(CARD_W_MM - name_left + x - self.PAD_MM),
                          _px(self.BAND_MM)),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), b.name)
        # QR, bottom-right, with its quiet zone inside the white square
        qr_x = x + CARD_W_MM - self.QR_MM - 2.0
        qr_y = y + self.BAND_MM + self.STRIPE_MM + (CARD_H_MM - self.BAND_MM - self.STRIPE_MM
                                                    - self.QR_MM) / 2
        self._qr(card.qr, qr_x, qr_y, self.QR_MM)
        # program, value and code on the left
        text_w = qr_x - x - self.PAD_MM - 1.0
        p.setPen(QPen(QColor(b.text)))
        font.setPointSizeF(9.5)
        p.setFont(font)
        body_top = y + self.BAND_MM + self.STRIPE_MM + 3.0
        p.drawText(QRectF(_px(x + self.PAD_MM), _px(body_top), _px(text_w), _px(12.0)),
                   int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
                       | Qt.TextFlag.TextWordWrap), card.program_name)
        if card.value:
            font.setPointSizeF(14)
            p.setFont(font)
            p.drawText(QRectF(_px(x + self.PAD_MM), _px(body_top + 12.0), _px(text_w),
                              _px(8.0)),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       card.value)
        mono = QFont()
        mono.setFamilies(["DejaVu Sans Mono", "Noto Sans Mono", "Monospace"])
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(7.2 if len(card.code) > 14 else 8.5)
        p.setFont(mono)
        p.drawText(QRectF(_px(x + self.PAD_MM), _px(y + CARD_H_MM - 9.0), _px(text_w + 1.0),
                          _px(6.0)),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), card.code)
        p.restore()

    def _qr(self, text: str, x: float, y: float, side: float) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor

        modules = qr_matrix(text)
        n = modules.shape[0] + 2 * QUIET_MODULES
        step = _px(side) / n
        left, top = _px(x), _px(y)
        self.p.fillRect(QRectF(left, top, _px(side), _px(side)), QColor("#ffffff"))
        black = QColor("#000000")
        for r, row in enumerate(modules):
            # one rectangle per run of dark modules in a row (a third of the rectangles), with a
            # hair of overlap so no anti-aliased seam shows between neighbouring ones
            edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
            for start, end in zip(edges[::2], edges[1::2], strict=True):
                self.p.fillRect(QRectF(left + (start + QUIET_MODULES) * step,
                                       top + (r + QUIET_MODULES) * step,
                                       (end - start) * step + 0.5, step + 0.5), black)

    def _logo(self, rect) -> None:  # type: ignore[no-untyped-def]
        logo = self.brand.logo
        if logo is None:
            return
        if logo.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(str(logo))
            if renderer.isValid():
                renderer.render(self.p, rect)
            return
        from PySide6.QtGui import QImage

        image = QImage(str(logo))
        if not image.isNull():
            self.p.drawImage(rect, image)
