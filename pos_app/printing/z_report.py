"""The Z report of a day close as a one-page PDF (QPdfWriter): who closed, the period, totals per
operation and currency, the perpetual grand total and the close entry's hash, so the paper can
be matched to the signed journal entry.

In English or Japanese (`lang`): the words come from `z_labels` (a table, not Qt's tr()), the
amounts stay `core.money.format_minor` digits. The table is fixed-width in display columns (an
East Asian wide character counts two, `display_width`), and the Japanese PDF is set in a
monospace CJK font whose wide glyphs are exactly two narrow ones, so the columns line up on
paper too."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from core.close_report import CloseReport, Totals
from core.money import format_minor
from pos_app.printing import z_labels
from pos_app.printing.qt_app import ensure_gui_app

_POINT_OPS = ("earn", "burn", "expire")
OP_WIDTH, AMOUNT_WIDTH = 10, 18  # display columns; the op column grows for longer labels

# Monospace first (the table is aligned in character cells); CJK ones set wide glyphs at exactly
# two cells. The first family the machine has wins; none at all leaves Qt's monospace default.
_FONTS = {"en": ("DejaVu Sans Mono", "Noto Sans Mono", "Noto Sans Mono CJK JP"),
          "ja": ("Noto Sans Mono CJK JP", "Noto Sans CJK JP", "DejaVu Sans Mono")}


def display_width(text: str) -> int:
    """Columns TEXT takes in a terminal or a CJK monospace font: wide and fullwidth characters
    two, combining marks none, everything else one."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """TEXT padded with spaces to WIDTH display columns, left (`<`) or right (`>`) aligned."""
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


def _amount(op: str, unit: str, amount: int, words: dict[str, str]) -> str:
    if op in _POINT_OPS or len(unit) != 3 or not unit.isupper():
        return words["points"].format(points=amount)
    return f"{format_minor(amount, unit)} {unit}"


def report_lines(report: CloseReport, when: str, lang: str = "en") -> list[str]:
    """The report as text lines (also what the manager screen shows), in `lang` ("en", "ja";
    anything else is English)."""
    words = z_labels.text(lang)
    none = ["  " + words["none"]]
    ops = [op for t in (report.totals, report.grand) for op in t]
    op_width = max([OP_WIDTH] + [display_width(z_labels.op_label(op, lang)) for op in ops])
    lines = [words["title"].format(number=report.number),
             words["where"].format(store=report.store, terminal=report.terminal),
             words["closed"].format(when=when, name=report.staff_name, staff=report.staff),
             words["entries"].format(first=report.first_seq, last=report.last_seq), "",
             words["period"]]
    lines += _table(report.totals, lang, op_width) or none
    lines += ["", words["grand"]]
    lines += _table(report.grand, lang, op_width) or none
    lines += ["", words["close_entry"].format(seq=report.seq), f"SHA-256 {report.hash_hex[:32]}",
              f"        {report.hash_hex[32:]}"]
    return lines


def _table(totals: Totals, lang: str, op_width: int) -> list[str]:
    words = z_labels.text(lang)
    return [f"  {pad(z_labels.op_label(op, lang), op_width)} "
            f"{words['count'].format(count=count)}  "
            f"{pad(_amount(op, unit, amount, words), AMOUNT_WIDTH, '>')}"
            for op, units in sorted(totals.items())
            for unit, (count, amount) in sorted(units.items())]


def report_font(lang: str = "en"):  # type: ignore[no-untyped-def]
    """The PDF's QFont for `lang`: the preferred families this machine has (QFontDatabase),
    else Qt's default monospace. Needs a QGuiApplication."""
    from PySide6.QtGui import QFont, QFontDatabase

    font = QFont()
    families = [f for f in _FONTS.get(lang, _FONTS["en"]) if QFontDatabase.hasFamily(f)]
    if families:
        font.setFamilies(families)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSizeF(11)
    return font


def write_z_report(path: Path | str, report: CloseReport, when: str, lang: str = "en") -> Path:
    ensure_gui_app()
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(z_labels.text(lang)["pdf_title"].format(number=report.number))
    writer.setCreator("walletpos")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    try:
        painter.setFont(report_font(lang))
        metrics = painter.fontMetrics()
        step = metrics.height() * 1.25
        for i, line in enumerate(report_lines(report, when, lang)):
            painter.drawText(QPointF(0, step * i + metrics.ascent()), line)
    finally:
        painter.end()
    return path
