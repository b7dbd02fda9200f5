"""Money and times for people: integer minor units and unix milliseconds in, text for the
cashier's locale out (QLocale's separators and currency placement). Money never passes through
a float here: the digits come from `core.money.format_minor`, only the punctuation from Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale

from core.money import format_minor

# Symbols we print; anything else shows its ISO code, which every cashier can read.
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF"}


def money(minor: int, currency: str, locale: QLocale | None = None) -> str:
    """12.50 EUR in the locale's style: "€12.50" (en), "€12.50" (ja), "12,50 €" (de)."""
    loc = locale or QLocale()
    plain = format_minor(abs(minor), currency)
    whole, _, frac = plain.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    number = loc.groupSeparator().join(groups)
    if frac:
        number += loc.decimalPoint() + frac
    # The locale's own layout of "<symbol><number>": ask Qt with placeholders, fill ours in.
    layout = loc.toCurrencyString(0, "@@", 0)
    text = layout.replace("0", number, 1).replace("@@", _SYMBOLS.get(currency, currency))
    return ("-" + text) if minor < 0 else text


def plain(minor: int, currency: str, locale: QLocale | None = None) -> str:
    """An amount as a cashier would type it back into a field ("12.50", "12,50" in de)."""
    return format_minor(minor, currency).replace(".", (locale or QLocale()).decimalPoint())


def when(ms: int | None, locale: QLocale | None = None) -> str:
    if ms is None:
        return "—"
    loc = locale or QLocale()
    return loc.toString(QDateTime.fromMSecsSinceEpoch(int(ms)), QLocale.FormatType.ShortFormat)


def clock(ms: int, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    return loc.toString(QDateTime.fromMSecsSinceEpoch(int(ms)).time(),
                        QLocale.FormatType.ShortFormat)


def points(n: int, locale: QLocale | None = None) -> str:
    return (locale or QLocale()).toString(int(n))
