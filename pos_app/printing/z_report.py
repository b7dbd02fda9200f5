"""The Z report of a day close as a one-page PDF (QPdfWriter): who closed, the period, totals per
operation and currency, the perpetual grand total and the close entry's hash, so the paper can
be matched to the signed journal entry."""

from __future__ import annotations

from pathlib import Path

from core.money import format_minor
from pos_app.printing.cards_pdf import _ensure_gui
from pos_app.terminal.day_close import CloseReport, Totals

_POINT_OPS = ("earn", "burn", "expire")


def _amount(op: str, unit: str, amount: int) -> str:
    if op in _POINT_OPS or len(unit) != 3 or not unit.isupper():
        return f"{amount} pt"
    return f"{format_minor(amount, unit)} {unit}"


def report_lines(report: CloseReport, when: str) -> list[str]:
    """The report as text lines (also what the manager screen shows)."""
    lines = [f"Z report no. {report.number}", f"Store {report.store}, terminal {report.terminal}",
             f"Closed {when} by {report.staff_name} ({report.staff})",
             f"Journal entries {report.first_seq}..{report.last_seq}", "",
             "This period"]
    lines += _table(report.totals) or ["  (no entries)"]
    lines += ["", "Grand total (perpetual)"]
    lines += _table(report.grand) or ["  (no entries)"]
    lines += ["", f"Close entry #{report.seq}", f"SHA-256 {report.hash_hex[:32]}",
              f"        {report.hash_hex[32:]}"]
    return lines


def _table(totals: Totals) -> list[str]:
    return [f"  {op:<10} {count:>5} x  {_amount(op, unit, amount):>18}"
            for op, units in sorted(totals.items())
            for unit, (count, amount) in sorted(units.items())]


def write_z_report(path: Path | str, report: CloseReport, when: str) -> Path:
    _ensure_gui()
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(f"Z report {report.number}")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    try:
        font = QFont()
        font.setFamilies(["DejaVu Sans Mono", "Noto Sans Mono", "Noto Sans CJK JP"])
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(11)
        painter.setFont(font)
        step = painter.fontMetrics().height() * 1.25
        for i, line in enumerate(report_lines(report, when)):
            painter.drawText(QPointF(0, step * (i + 1)), line)
    finally:
        painter.end()
    return path
