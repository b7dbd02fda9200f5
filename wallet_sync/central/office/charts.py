"""Charts for the report pages: horizontal bar charts as inline SVG, drawn on the server (no
script, nothing for the browser to fetch). Every label is escaped; lengths are computed from
Decimal figures in whole pixels, so no float ever holds an amount."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from markupsafe import Markup, escape

WIDTH = 720
BAR_AREA = 430
ROW = 26
COLORS = ("#2f6f9f", "#d08a2c", "#4f9d69", "#b5473a", "#7a5aa6", "#6b7a8f")


def _decimal(value: object) -> Decimal:
    try:
        return abs(Decimal(str(value)))
    except InvalidOperation:
        return Decimal(0)


def bars(rows: list[tuple[str, object]], title: str, series: str = "") -> Markup:
    """One bar per (label, value); VALUE a decimal string or an int."""
    values = [_decimal(v) for _, v in rows]
    top = max(values, default=Decimal(0)) or Decimal(1)
    height = ROW * max(len(rows), 1) + 34
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#222">'
             f'{escape(title)}</text>']
    for i, ((label, raw), value) in enumerate(zip(rows, values, strict=True)):
        y = 28 + i * ROW
        length = int(value * BAR_AREA / top) if value else 0
        color = COLORS[i % len(COLORS)] if not series else COLORS[0]
        parts.append(f'<text x="0" y="{y + 15}" font-size="12" fill="#333">'
                     f'{escape(label)[:40]}</text>')
        parts.append(f'<rect x="220" y="{y + 3}" width="{max(length, 1)}" height="16" '
                     f'fill="{color}"/>')
        parts.append(f'<text x="{226 + length}" y="{y + 15}" font-size="12" fill="#222">'
                     f'{escape(str(raw))}</text>')
    if not rows:
        parts.append('<text x="0" y="44" font-size="12" fill="#666">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
