"""Program definitions (gift-card and loyalty) as loaded from YAML or JSON.

This module validates the parts that decide gift-card money today — currency, code pattern,
default value, expiry, limits and the offline risk policy — and keeps the whole definition as
data so nothing in a file is lost (loyalty earning, tiers and rewards take effect in the rules
engine). Errors name the file, the program and the field, e.g.
`programs.yaml: programs[1].offline.floor_per_transaction: not a decimal amount`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from core.errors import InvalidInput
from core.money import exponent, parse_minor

OfflineMode = Literal["online", "escrow", "floor"]
KINDS = ("gift_card", "loyalty")


class ProgramError(InvalidInput):
    reason = "invalid_program"


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML follows YAML 1.1, where a bare `on`, `off`, `yes` or `no` is a boolean — so the
    example file's `on: purchase` would arrive as `True: purchase`. Program files are read with
    YAML 1.2's rule instead: only true/false are booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def load_document(text: str, fmt: str = "yaml") -> Any:
    """Parse YAML (1.2 booleans) or JSON text; errors are the caller's to wrap."""
    return yaml.load(text, Loader=_Yaml12Loader) if fmt == "yaml" else json.loads(text)


@dataclass(frozen=True, slots=True)
class OfflinePolicy:
    mode: OfflineMode = "online"
    grant_per_card: int | None = None  # escrow, minor units (points for loyalty)
    floor_per_transaction: int | None = None  # floor
    terminal_total: int | None = None  # floor
    max_offline_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    per_order_max: int | None = None
    per_card_daily_count: int | None = None


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    kind: str
    currency: str
    name: dict[str, str]
    offline: OfflinePolicy
    limits: Limits = Limits()
    code_pattern: str | None = None
    member_code_pattern: str | None = None
    default_value: int | None = None
    expiry_months: int | None = None
    valid_when: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def display_name(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass(frozen=True, slots=True)
class ProgramSet:
    version: int
    programs: tuple[Program, ...]

    def get(self, program_id: str) -> Program | None:
        return next((p for p in self.programs if p.id == program_id), None)


def parse_programs(text: str, fmt: str = "yaml", filename: str = "programs") -> ProgramSet:
    """Parse and validate a program file; raise ProgramError naming file, program and field."""
    try:
        doc = load_document(text, fmt)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ProgramError(f"{filename}: not valid {fmt}: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("programs"), list):
        raise ProgramError(f"{filename}: expected a mapping with a 'programs' list")
    version = doc.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgramError(f"{filename}: version: must be a positive integer")
    programs = [program_from_dict(p, f"{filename}: programs[{i}]")
                for i, p in enumerate(doc["programs"])]
    ids = [p.id for p in programs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ProgramError(f"{filename}: duplicate program ids {dupes}")
    return ProgramSet(version, tuple(programs))


def program_from_dict(data: Any, where: str) -> Program:
    if not isinstance(data, dict):
        raise ProgramError(f"{where}: expected a mapping")
    pid = _required(data, "id", where)
    where = f"{where} ({pid})"
    kind = _required(data, "kind", where)
    if kind not in KINDS:
        raise ProgramError(f"{where}.kind: must be one of {', '.join(KINDS)}")
    currency = _required(data, "currency", where)
    try:
        exponent(currency)
    except InvalidInput as exc:
        raise ProgramError(f"{where}.currency: unknown currency {currency!r}") from exc
    name = data.get("name", {"en": pid})
    if isinstance(name, str):
        name = {"en": name}
    if not isinstance(name, dict) or not all(isinstance(v, str) for v in name.values()):
        raise ProgramError(f"{where}.name: expected text or a mapping of language to text")
    points = kind == "loyalty"
    offline = _offline(data.get("offline", {}), f"{where}.offline", currency, points)
    limits = data.get("limits", {}) or {}
    if not isinstance(limits, dict):
        raise ProgramError(f"{where}.limits: expected a mapping")
    expiry = data.get("expiry") or {}
    months = expiry.get("months_after_issue") if isinstance(expiry, dict) else None
    if months is not None and (not isinstance(months, int) or months <= 0):
        raise ProgramError(f"{where}.expiry.months_after_issue: must be a positive integer")
    code_pattern = _str(data, "code_pattern", where, required=kind == "gift_card")
    if code_pattern is not None and "#" not in code_pattern:
        raise ProgramError(f"{where}.code_pattern: needs '#' characters for the random part")
    return Program(
        id=pid, kind=kind, currency=currency, name=dict(name), offline=offline,
        limits=Limits(
            per_order_max=_amount(limits, "per_order_max", f"{where}.limits", currency, False),
            per_card_daily_count=_int(limits, "per_card_daily_count", f"{where}.limits"),
        ),
        code_pattern=code_pattern,
        member_code_pattern=_str(data, "member_code_pattern", where),
        default_value=_amount(data, "default_value", where, currency, False),
        expiry_months=months,
        valid_when=_str(data, "valid_when", where),
        raw=data,
    )


def _offline(data: Any, where: str, currency: str, points: bool) -> OfflinePolicy:
    if not isinstance(data, dict):
        raise ProgramError(f"{where}: expected a mapping")
    mode = data.get("mode", "online")
    if mode not in ("online", "escrow", "floor"):
        raise ProgramError(f"{where}.mode: must be online, escrow or floor")
    policy = OfflinePolicy(
        mode=mode,
        grant_per_card=_amount(data, "grant_per_card", where, currency, points),
        floor_per_transaction=_amount(data, "floor_per_transaction", where, currency, points),
        terminal_total=_amount(data, "terminal_total", where, currency, points),
        max_offline_hours=_int(data, "max_offline_hours", where),
    )
    if mode == "floor" and (policy.floor_per_transaction is None or policy.terminal_total is None):
        raise ProgramError(f"{where}: floor mode needs floor_per_transaction and terminal_total")
    return policy


def _str(data: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ProgramError(f"{where}.{key}: required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ProgramError(f"{where}.{key}: expected text")
    return value


def _required(data: dict[str, Any], key: str, where: str) -> str:
    value = _str(data, key, where, required=True)
    assert value is not None
    return value


def _int(data: dict[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ProgramError(f"{where}.{key}: must be a non-negative integer")
    return value


def _amount(data: dict[str, Any], key: str, where: str, currency: str, points: bool
            ) -> int | None:
    """Money fields are decimal strings in the program currency; point fields are integers."""
    value = data.get(key)
    if value is None:
        return None
    if points:
        return _int(data, key, where)
    if isinstance(value, float):
        raise ProgramError(f"{where}.{key}: write amounts as quoted decimal strings, not floats")
    try:
        return parse_minor(str(value), currency)
    except InvalidInput as exc:
        raise ProgramError(f"{where}.{key}: not a decimal amount ({exc.message})") from exc
