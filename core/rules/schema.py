"""Strict readers for program-file fields: every value is checked for type and range, and every
mapping for unknown keys, with errors that name the file, the program and the field
(`programs.yaml: programs[3] (club).earning[0].min_order: not a decimal amount`).

`ProgramError` lives here (and is re-exported by `core.programs`) so the rule modules can raise
it without importing the program model they are part of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from core.errors import InvalidInput
from core.money import parse_minor


class ProgramError(InvalidInput):
    reason = "invalid_program"


MAX_POINTS = 10**12
MAX_ITEMS = 1000  # rules, rewards, tiers per program


def mapping(value: Any, where: str, allowed: Iterable[str], required: Iterable[str] = ()
            ) -> dict[str, Any]:
    """A mapping whose keys are all in `allowed` and include every `required` key."""
    if not isinstance(value, dict):
        raise ProgramError(f"{where}: expected a mapping")
    allowed = set(allowed)
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            raise ProgramError(f"{where}.{key}: unknown field")
    for key in required:
        if value.get(key) is None:
            raise ProgramError(f"{where}.{key}: required")
    return value


def items(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProgramError(f"{where}.{key}: expected a list")
    if len(value) > MAX_ITEMS:
        raise ProgramError(f"{where}.{key}: more than {MAX_ITEMS} entries")
    return value


def text(data: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ProgramError(f"{where}.{key}: required")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise ProgramError(f"{where}.{key}: expected text")
    return value


def identifier(data: dict[str, Any], key: str, where: str) -> str:
    value = text(data, key, where, required=True)
    assert value is not None
    if len(value) > 64 or not all(c.isalnum() or c in "-_." for c in value):
        raise ProgramError(f"{where}.{key}: ids use letters, digits, '-', '_' and '.' (≤ 64)")
    return value


def text_list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = items(data, key, where)
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise ProgramError(f"{where}.{key}[{i}]: expected text")
    return tuple(values)


def integer(data: dict[str, Any], key: str, where: str, minimum: int = 0,
            maximum: int = MAX_POINTS) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProgramError(f"{where}.{key}: must be an integer")
    if value < minimum:
        word = "negative" if minimum == 0 else f"less than {minimum}"
        raise ProgramError(f"{where}.{key}: must not be {word}")
    if value > maximum:
        raise ProgramError(f"{where}.{key}: must be at most {maximum}")
    return value


def boolean(data: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ProgramError(f"{where}.{key}: must be true or false")
    return value


def amount(data: dict[str, Any], key: str, where: str, currency: str) -> int | None:
    """Money is a decimal string in the program currency ("12.50"); floats are refused."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float):
        raise ProgramError(f"{where}.{key}: write amounts as quoted decimal strings, not floats")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ProgramError(f"{where}.{key}: not a decimal amount")
    try:
        return parse_minor(str(value), currency, allow_zero=True)  # a cap of nothing
    except InvalidInput as exc:
        raise ProgramError(f"{where}.{key}: not a decimal amount ({exc.message})") from exc


def quantity(data: dict[str, Any], key: str, where: str, currency: str, points: bool
             ) -> int | None:
    """A field that is money in gift-card programs and integer points in loyalty programs."""
    return integer(data, key, where) if points else amount(data, key, where, currency)


def ratio(data: dict[str, Any], key: str, where: str) -> Fraction | None:
    """A positive multiplier: an integer or a decimal with at most two places (1.5, "1.25")."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ProgramError(f"{where}.{key}: must be a number")
    try:
        exact = Decimal(str(value))
    except InvalidOperation as exc:
        raise ProgramError(f"{where}.{key}: must be a number") from exc
    if not exact.is_finite() or exact <= 0 or exact > 100 or exact != exact.quantize(
            Decimal("0.01")):
        raise ProgramError(f"{where}.{key}: must be a positive number with at most 2 decimals")
    return Fraction(exact)


def date(data: dict[str, Any], key: str, where: str) -> dt.date | None:
    """A calendar date: YAML's unquoted 2025-12-31 or the ISO text central stores."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ProgramError(f"{where}.{key}: expected a date YYYY-MM-DD")


def names(data: dict[str, Any], key: str, where: str, default: str) -> dict[str, str]:
    """Display text: plain text (English) or a mapping of language code to text."""
    value = data.get(key, default)
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict) or not value or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ProgramError(f"{where}.{key}: expected text or a mapping of language to text")
    return dict(value)
