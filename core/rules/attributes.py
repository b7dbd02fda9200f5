"""Typed custom customer attributes: the schema a program file declares at its top level
(`customer_attributes: {shoe_size: int, vip_note: string}`) and the check every write of a
customer's attributes goes through on central.

The schema is data like the programs (it arrives in the same file and is kept by central), and
the check is pure: an unknown attribute or a value of the wrong type is refused with the path
of the value (`attributes.shoe_size: expected int`), so a CRM sees exactly what to fix. The
values then reach the rule context as `customer.attributes` with the declared CEL types.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from core.errors import InvalidInput
from core.rules.schema import ProgramError

TYPES = ("int", "string", "bool", "date")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_ATTRIBUTES = 100
MAX_TEXT = 500


class InvalidAttribute(InvalidInput):
    reason = "invalid_attribute"


def parse_schema(raw: Any, where: str) -> dict[str, str]:
    """`customer_attributes` of a program file: attribute name -> one of TYPES."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ProgramError(f"{where}: expected a mapping of attribute name to type")
    if len(raw) > MAX_ATTRIBUTES:
        raise ProgramError(f"{where}: more than {MAX_ATTRIBUTES} attributes")
    out: dict[str, str] = {}
    for name, kind in raw.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ProgramError(f"{where}.{name}: attribute names are lower-case letters, "
                               "digits and '_' (≤ 64)")
        if kind not in TYPES:
            raise ProgramError(f"{where}.{name}: type must be one of {', '.join(TYPES)}")
        out[name] = kind
    return out


def check_attributes(schema: Mapping[str, str], values: Any, where: str = "attributes"
                     ) -> dict[str, Any]:
    """VALUES checked against SCHEMA (a None value removes the attribute: returned as None)."""
    if not isinstance(values, dict):
        raise InvalidAttribute(f"{where}: expected a mapping")
    out: dict[str, Any] = {}
    for name, value in values.items():
        path = f"{where}.{name}"
        kind = schema.get(name) if isinstance(name, str) else None
        if kind is None:
            raise InvalidAttribute(f"{path}: unknown attribute (not in customer_attributes)")
        if value is None:
            out[name] = None
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**53:
                raise InvalidAttribute(f"{path}: expected int")
            out[name] = value
        elif kind == "bool":
            if not isinstance(value, bool):
                raise InvalidAttribute(f"{path}: expected bool")
            out[name] = value
        elif kind == "date":
            try:
                out[name] = dt.date.fromisoformat(value).isoformat() \
                    if isinstance(value, str) and len(value) == 10 else _bad(path, "date")
            except ValueError:
                raise InvalidAttribute(f"{path}: expected date YYYY-MM-DD") from None
        else:
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                raise InvalidAttribute(f"{path}: expected string (≤ {MAX_TEXT} characters)")
            out[name] = value
    return out


def _bad(path: str, kind: str) -> str:
    raise InvalidAttribute(f"{path}: expected {kind} YYYY-MM-DD")
