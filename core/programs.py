"""Program definitions (gift-card and loyalty) as loaded from YAML or JSON.

Every field is validated strictly on load — unknown fields, wrong types, negative costs, tiers
out of order and CEL expressions that do not compile are refused — with errors naming the file,
the program and the field, e.g. `programs.yaml: programs[3] (club).earning[0].min_order: not a
decimal amount`. A loaded `Program` carries its compiled expressions, limits and (for loyalty)
the parsed rules of `core.rules.loyalty`, and keeps the whole definition as `raw` data: central
stores and signs `raw`, terminals re-parse it with `program_from_dict`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from core.dates import gift_card_expiry
from core.errors import InvalidInput
from core.money import exponent
from core.rules.attributes import parse_schema
from core.rules.expressions import Expression, compile_expression
from core.rules.limits import Limits, parse_limits
from core.rules.loyalty import LOYALTY_FIELDS, Loyalty, parse_loyalty
from core.rules.referral import Referral, parse_referral
from core.rules.schema import ProgramError, date, integer, mapping, names, quantity, text
from core.rules.segments import parse_segments
from core.rules.triggers import Trigger, parse_triggers

OfflineMode = Literal["online", "escrow", "floor"]
KINDS = ("gift_card", "loyalty")
COMMON_FIELDS = ("id", "kind", "name", "currency", "offline", "limits", "eligibility",
                 "valid_when")
GIFT_CARD_FIELDS = ("code_pattern", "default_value", "expiry", "max_face_value")
OFFLINE_FIELDS = ("mode", "grant_per_card", "floor_per_transaction", "terminal_total",
                  "max_offline_hours", "keep_online_percent")
KEEP_ONLINE_PERCENT_DEFAULT = 50  # escrow: the share of a card's balance never granted out

__all__ = ["KINDS", "Limits", "OfflinePolicy", "Program", "ProgramError", "ProgramSet",
           "load_document", "parse_programs", "program_from_dict"]


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
    # escrow: grants never take a card's unreserved balance (its reserve) below this share of
    # its balance, so a card seen at another store can always pay that much online at once.
    keep_online_percent: int = KEEP_ONLINE_PERCENT_DEFAULT


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
    expiry_date: dt.date | None = None  # gift card: expires at the end of this day
    eligibility: Expression | None = None
    when: Expression | None = None  # valid_when, compiled
    loyalty: Loyalty | None = None  # kind == "loyalty"
    version: int = 0  # central's version of this program; set by whoever knows it
    max_face_value: int | None = None  # gift card: the most a card issued at a store carries
    expiry_days: int | None = None  # gift card: `expiry: {days_after_issue: N}`

    @property
    def face_value_cap(self) -> int:
        """The highest face value a store may issue a card of this program with from its code
        pool: `max_face_value`, else the program's `default_value`, else 0 (blank cards)."""
        if self.max_face_value is not None:
            return self.max_face_value
        return self.default_value or 0

    def card_expiry(self, issued_at: int) -> int | None:
        """When a card of this gift-card program issued at ISSUED_AT expires (None: never)."""
        return gift_card_expiry(self.expiry_months, self.expiry_date, issued_at,
                                self.expiry_days)

    def display_name(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass(frozen=True, slots=True)
class ProgramSet:
    version: int
    programs: tuple[Program, ...]
    # The file's `customer_attributes` schema (name -> type); None when the file has none.
    customer_attributes: dict[str, str] | None = None
    # The file's `segments` (name -> compiled CEL over customer.*); None when it has none.
    segments: dict[str, Expression] | None = None
    # The file's `triggers` (core.rules.triggers); None when it has none.
    triggers: tuple[Trigger, ...] | None = None
    # The file's `referral` (core.rules.referral); None when it has none.
    referral: Referral | None = None

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
    mapping(doc, filename, {"version", "programs", "customer_attributes", "segments",
                            "triggers", "referral"})
    version = doc.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgramError(f"{filename}: version: must be a positive integer")
    programs = [program_from_dict(p, f"{filename}: programs[{i}]")
                for i, p in enumerate(doc["programs"])]
    ids = [p.id for p in programs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ProgramError(f"{filename}: duplicate program ids {dupes}")
    _check_references(programs, filename)
    schema = (parse_schema(doc["customer_attributes"], f"{filename}: customer_attributes")
              if "customer_attributes" in doc else None)
    segments = (parse_segments(doc["segments"], f"{filename}: segments")
                if "segments" in doc else None)
    triggers = (parse_triggers(doc["triggers"], f"{filename}: triggers",
                               {p.id: p for p in programs}) if "triggers" in doc else None)
    referral = (parse_referral(doc["referral"], f"{filename}: referral",
                               {p.id: p for p in programs}) if "referral" in doc else None)
    return ProgramSet(version, tuple(programs), schema, segments, triggers, referral)


def _check_references(programs: list[Program], filename: str) -> None:
    """Rewards that credit a gift card must name a gift-card program in the same currency."""
    by_id = {p.id: p for p in programs}
    for i, prog in enumerate(programs):
        for j, reward in enumerate(prog.loyalty.rewards if prog.loyalty else ()):
            target_id = reward.gives.program
            if reward.gives.kind != "gift_card_credit":
                continue
            where = (f"{filename}: programs[{i}] ({prog.id}).rewards[{j}].gives."
                     "gift_card_credit.program")
            target = by_id.get(target_id)
            if target is None or target.kind != "gift_card":
                raise ProgramError(f"{where}: {target_id!r} is not a gift-card program here")
            if target.currency != prog.currency:
                raise ProgramError(f"{where}: {target_id!r} is in {target.currency}, "
                                   f"not {prog.currency}")


def program_from_dict(data: Any, where: str, version: int = 0) -> Program:
    """One program definition (as in a file, or as central stores it); `version` is central's
    version of it, recorded in each journal entry decided under it."""
    if not isinstance(data, dict):
        raise ProgramError(f"{where}: expected a mapping")
    pid = _required(data, "id", where)
    where = f"{where} ({pid})"
    kind = _required(data, "kind", where)
    if kind not in KINDS:
        raise ProgramError(f"{where}.kind: must be one of {', '.join(KINDS)}")
    own = GIFT_CARD_FIELDS if kind == "gift_card" else LOYALTY_FIELDS
    for key in data:
        if key not in COMMON_FIELDS and key not in own:
            other = "loyalty" if key in LOYALTY_FIELDS else "gift_card"
            known = key in LOYALTY_FIELDS or key in GIFT_CARD_FIELDS
            raise ProgramError(f"{where}.{key}: " + (f"only for {other} programs" if known
                                                     else "unknown field"))
    currency = _required(data, "currency", where)
    try:
        exponent(currency)
    except InvalidInput as exc:
        raise ProgramError(f"{where}.currency: unknown currency {currency!r}") from exc
    name = names(data, "name", where, pid)
    points = kind == "loyalty"
    offline = _offline(data.get("offline", {}), f"{where}.offline", currency, points)
    limits = parse_limits(data.get("limits"), f"{where}.limits", currency, points)
    months, expiry_date, days = None, None, None
    if data.get("expiry") is not None:
        expiry = mapping(data["expiry"], f"{where}.expiry",
                         {"months_after_issue", "fixed_date", "days_after_issue"})
        months = integer(expiry, "months_after_issue", f"{where}.expiry", minimum=1,
                         maximum=1200)
        expiry_date = date(expiry, "fixed_date", f"{where}.expiry")
        days = integer(expiry, "days_after_issue", f"{where}.expiry", minimum=1,
                       maximum=36600)
        if sum(v is not None for v in (months, expiry_date, days)) != 1:
            raise ProgramError(f"{where}.expiry: give exactly one of months_after_issue, "
                               "days_after_issue or fixed_date")
    code_pattern = text(data, "code_pattern", where, required=kind == "gift_card")
    if code_pattern is not None and "#" not in code_pattern:
        raise ProgramError(f"{where}.code_pattern: needs '#' characters for the random part")
    member_pattern = text(data, "member_code_pattern", where)
    if member_pattern is not None and "#" not in member_pattern:
        raise ProgramError(f"{where}.member_code_pattern: needs '#' characters")
    valid_when = text(data, "valid_when", where)
    return Program(
        id=pid, kind=kind, currency=currency, name=name, offline=offline, limits=limits,
        code_pattern=code_pattern, member_code_pattern=member_pattern,
        default_value=quantity(data, "default_value", where, currency, False),
        expiry_months=months, valid_when=valid_when, raw=data, expiry_date=expiry_date,
        eligibility=_expr(data, "eligibility", where),
        when=_expr(data, "valid_when", where),
        loyalty=parse_loyalty(data, where, currency) if points else None, version=version,
        max_face_value=quantity(data, "max_face_value", where, currency, False),
        expiry_days=days,
    )


def _expr(data: dict[str, Any], key: str, where: str) -> Expression | None:
    if data.get(key) is None:
        return None
    return compile_expression(data[key], f"{where}.{key}", key)


def _offline(data: Any, where: str, currency: str, points: bool) -> OfflinePolicy:
    mapping(data, where, OFFLINE_FIELDS)
    mode = data.get("mode", "online")
    if mode not in ("online", "escrow", "floor"):
        raise ProgramError(f"{where}.mode: must be online, escrow or floor")
    policy = OfflinePolicy(
        mode=mode,
        grant_per_card=quantity(data, "grant_per_card", where, currency, points),
        floor_per_transaction=quantity(data, "floor_per_transaction", where, currency, points),
        terminal_total=quantity(data, "terminal_total", where, currency, points),
        max_offline_hours=integer(data, "max_offline_hours", where),
        keep_online_percent=_keep_online(data, where, mode),
    )
    if mode == "floor" and (policy.floor_per_transaction is None or policy.terminal_total is None):
        raise ProgramError(f"{where}: floor mode needs floor_per_transaction and terminal_total")
    if mode == "escrow" and policy.grant_per_card is None:
        raise ProgramError(f"{where}: escrow mode needs grant_per_card")
    return policy


def _keep_online(data: dict[str, Any], where: str, mode: str) -> int:
    """`keep_online_percent`: an integer 0..100, escrow only (default 50)."""
    value = integer(data, "keep_online_percent", where, maximum=100)
    if value is None:
        return KEEP_ONLINE_PERCENT_DEFAULT
    if mode != "escrow":
        raise ProgramError(f"{where}.keep_online_percent: only for escrow mode")
    return value


def _required(data: dict[str, Any], key: str, where: str) -> str:
    value = text(data, key, where, required=True)
    assert value is not None
    return value
