"""Money as an integer count of minor units plus an ISO 4217 currency.

Amounts cross every boundary (CLI, API, YAML) as decimal strings such as "12.50"; they are
parsed exactly (no float ever involved) against the currency's number of decimals. Floats are
refused outright: a float cannot hold 0.10 exactly and money must never be rounded by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import InvalidAmount

# ISO 4217 minor-unit exponents for the currencies we accept. Unknown currencies are refused
# rather than guessed: a wrong exponent would silently multiply amounts by 100.
CURRENCY_EXPONENTS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2, "NOK": 2,
    "DKK": 2, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "BGN": 2, "SGD": 2, "HKD": 2, "CNY": 2,
    "INR": 2, "MXN": 2, "BRL": 2, "ZAR": 2, "TWD": 2, "THB": 2, "ILS": 2, "TRY": 2,
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
}

# ASCII digits only, nothing around them: `\d` would take "٣" and "１２", `$` a trailing "\n".
_DECIMAL = re.compile(r"(?P<sign>-?)(?P<int>[0-9]{1,15})(?:\.(?P<frac>[0-9]{1,3}))?")
MAX_MINOR = 10**15  # far above any real gift-card value; rejects absurd input early


def exponent(currency: str) -> int:
    if not isinstance(currency, str) or currency not in CURRENCY_EXPONENTS:
        raise InvalidAmount(f"unknown currency {currency!r}", reason="unknown_currency")
    return CURRENCY_EXPONENTS[currency]


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An exact amount: `minor` units of `currency` (EUR 12.50 is Money(1250, "EUR"))."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise InvalidAmount(f"money must be an integer of minor units, got {self.minor!r}")
        if abs(self.minor) > MAX_MINOR:
            raise InvalidAmount("amount out of range")
        exponent(self.currency)

    @classmethod
    def parse(cls, text: str, currency: str, *, allow_zero: bool = False,
              allow_negative: bool = False) -> Money:
        return cls(parse_minor(text, currency, allow_zero=allow_zero,
                               allow_negative=allow_negative), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def __str__(self) -> str:
        return format_minor(self.minor, self.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidAmount(
                f"currency mismatch: {self.currency} and {other.currency}", reason="wrong_currency"
            )

    def as_json(self) -> dict[str, str]:
        return {"amount": str(self), "currency": self.currency}


def parse_minor(text: str, currency: str, *, allow_zero: bool = False,
                allow_negative: bool = False) -> int:
    """Parse a decimal string ("12.50", "12.5", "12") into minor units of `currency`.

    What a person or a program typed as money: ASCII digits, an optional "." and at most the
    currency's decimals, nothing around it (no spaces, no sign, no other script's digits). An
    amount is above zero unless the caller says otherwise: `allow_zero` where nothing is a
    meaningful value (a blank card's face value, a basket total for an event, a cap in a
    program), `allow_negative` for balances central reports. Refusals are InvalidAmount
    (`invalid_amount`, `unknown_currency`).
    """
    if isinstance(text, float):
        raise InvalidAmount("amounts must be decimal strings, not floats")
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise InvalidAmount(f"amount must be a decimal string, got {type(text).__name__}")
    digits = exponent(currency)
    match = _DECIMAL.fullmatch(text)
    if not match:
        raise InvalidAmount(f"not a decimal amount: {text[:40]!r}")
    frac = match.group("frac") or ""
    if len(frac) > digits:
        raise InvalidAmount(f"{currency} has {digits} decimals; got {text!r}")
    minor = int(match.group("int")) * 10**digits + int(frac.ljust(digits, "0") or "0")
    if match.group("sign"):
        if not allow_negative:
            raise InvalidAmount(f"amount must not be negative: {text!r}")
        minor = -minor
    if minor == 0 and not allow_zero:
        raise InvalidAmount(f"amount must be above zero: {text!r}")
    if abs(minor) > MAX_MINOR:
        raise InvalidAmount("amount out of range")
    return minor


def format_minor(minor: int, currency: str) -> str:
    """Format minor units as the canonical decimal string ("1250", "EUR" -> "12.50")."""
    digits = exponent(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}" if digits else f"{sign}{whole}"
