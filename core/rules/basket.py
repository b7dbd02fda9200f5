"""The basket a quote is made for: currency, lines (sku, category, quantity, unit price) and
the channel. Validated on construction so the rules never see a negative quantity, an unknown
currency or an absurd size; every refusal is a `BasketError` with a reason code.

A basket may have no lines and only a total (the CLI's `earn --amount`); with lines the total is
their sum. Prices are non-negative integer minor units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import InvalidAmount, InvalidInput
from core.money import exponent, parse_minor

MAX_LINES = 500
MAX_QTY = 10_000
MAX_TOTAL = 10**11  # minor units; 1,000,000,000.00 in a 2-decimal currency
MAX_TEXT = 64


class BasketError(InvalidInput):
    reason = "invalid_basket"


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    category: str
    qty: int
    unit_price: int  # minor units

    @property
    def amount(self) -> int:
        return self.qty * self.unit_price


@dataclass(frozen=True, slots=True)
class Basket:
    currency: str
    lines: tuple[Line, ...] = ()
    total: int = -1  # -1: the sum of the lines
    channel: str = "pos"

    def __post_init__(self) -> None:
        try:
            exponent(self.currency)
        except InvalidAmount as exc:
            raise BasketError(f"unknown currency {self.currency!r}", "unknown_currency") from exc
        if not isinstance(self.lines, tuple) or len(self.lines) > MAX_LINES:
            raise BasketError(f"a basket has at most {MAX_LINES} lines", "basket_too_large")
        for i, line in enumerate(self.lines):
            _check_line(line, i)
        _text(self.channel, "channel")
        computed = sum(line.amount for line in self.lines)
        if self.total == -1:
            object.__setattr__(self, "total", computed)
        elif isinstance(self.total, bool) or not isinstance(self.total, int) or self.total < 0:
            raise BasketError("total must be a non-negative integer of minor units", "bad_total")
        elif self.lines and self.total != computed:
            raise BasketError("total differs from the sum of the lines", "total_mismatch")
        if self.total > MAX_TOTAL:
            raise BasketError("basket total out of range", "total_out_of_range")


def _text(value: Any, name: str) -> None:
    if not isinstance(value, str) or len(value) > MAX_TEXT or not value.isprintable():
        raise BasketError(f"{name} must be printable text of at most {MAX_TEXT} characters",
                          "bad_line")


def _check_line(line: Any, i: int) -> None:
    if not isinstance(line, Line):
        raise BasketError(f"lines[{i}]: not a line", "bad_line")
    _text(line.sku, f"lines[{i}].sku")
    _text(line.category, f"lines[{i}].category")
    if isinstance(line.qty, bool) or not isinstance(line.qty, int) or not 0 < line.qty <= MAX_QTY:
        raise BasketError(f"lines[{i}].qty must be an integer from 1 to {MAX_QTY}", "bad_quantity")
    price = line.unit_price
    if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= MAX_TOTAL:
        raise BasketError(f"lines[{i}].price must be a non-negative amount", "bad_price")


def parse_basket(data: Mapping[str, Any]) -> Basket:
    """A basket from JSON-like data: {"currency", "total"?, "channel"?, "lines"?: [{"sku",
    "category"?, "qty", "price"}]} with amounts as decimal strings."""
    if not isinstance(data, Mapping):
        raise BasketError("a basket is a mapping", "bad_basket")
    unknown = set(data) - {"currency", "total", "channel", "lines"}
    if unknown:
        raise BasketError(f"unknown basket fields {sorted(map(str, unknown))}", "bad_basket")
    currency = data.get("currency")
    if not isinstance(currency, str):
        raise BasketError("currency is required", "unknown_currency")
    try:
        exponent(currency)
    except InvalidAmount as exc:
        raise BasketError(f"unknown currency {currency!r}", "unknown_currency") from exc
    raw_lines = data.get("lines") or []
    if not isinstance(raw_lines, Sequence) or isinstance(raw_lines, str):
        raise BasketError("lines must be a list", "bad_basket")
    if len(raw_lines) > MAX_LINES:
        raise BasketError(f"a basket has at most {MAX_LINES} lines", "basket_too_large")
    lines = tuple(_line(raw, i, currency) for i, raw in enumerate(raw_lines))
    total = -1
    if data.get("total") is not None:
        total = _money(data["total"], "total", currency, "bad_total")
    elif not lines:
        raise BasketError("a basket needs lines or a total", "bad_basket")
    return Basket(currency, lines, total, data.get("channel", "pos"))


def _line(raw: Any, i: int, currency: str) -> Line:
    if not isinstance(raw, Mapping) or set(raw) - {"sku", "category", "qty", "price"}:
        raise BasketError(f"lines[{i}]: expected {{sku, category, qty, price}}", "bad_line")
    qty = raw.get("qty", 1)
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise BasketError(f"lines[{i}].qty must be an integer", "bad_quantity")
    if qty <= 0:
        raise BasketError(f"lines[{i}].qty must be positive", "bad_quantity")
    price = _money(raw.get("price"), f"lines[{i}].price", currency, "bad_price")
    return Line(raw.get("sku", ""), raw.get("category", ""), qty, price)


def _money(value: Any, name: str, currency: str, reason: str) -> int:
    try:
        return parse_minor(value, currency, allow_zero=True)  # an event, a free line
    except InvalidAmount as exc:
        raise BasketError(f"{name}: {exc.message}", reason) from exc


def order_basket(currency: str, total: str | None, lines: Any = None) -> Basket:
    """A basket from what a host or a lines file gives: a total (decimal string), lines as
    parsed from JSON (prices as decimal strings, or JSON numbers taken as written), or both.
    With neither, the order's total is zero (an event with no purchase)."""
    if lines is not None and not isinstance(lines, list):
        raise BasketError("lines must be a JSON list", "invalid_basket")
    data: dict[str, Any] = {"currency": currency}
    if lines:
        data["lines"] = [{**ln, "price": _json_price(ln.get("price"))} if isinstance(ln, Mapping)
                         else ln for ln in lines]
    if total is not None or not lines:
        data["total"] = total if total is not None else "0"
    return parse_basket(data)


def _json_price(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # refused by the line check, with its path
    if isinstance(value, int | float):
        return repr(value)  # 12.5 in the file means "12.5", never a float amount
    return value
