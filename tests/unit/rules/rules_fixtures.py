"""Shared builders for the rules engine: the example program file, a Wednesday and a Saturday
in Berlin, and builders for members, cards and baskets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.ledger import GiftCardAccount, activate, issue
from core.rules.basket import Basket, Line
from core.rules.context import Customer, Store
from core.rules.points import PointsAccount, earn
from core.rules.quote import CardHolding, Membership

_REPO = Path(__file__).resolve().parents[3]
EXAMPLE = next(p for p in (_REPO.parent / "shared" / "examples" / "programs.yaml",
                           Path("/work/shared/examples/programs.yaml"),
                           _REPO / "resources" / "demo" / "programs.yaml") if p.exists())

BERLIN = Store("S1", "Europe/Berlin", "DE")
WEDNESDAY = int(dt.datetime(2024, 5, 8, 12, tzinfo=dt.UTC).timestamp())
SATURDAY = int(dt.datetime(2024, 5, 11, 12, tzinfo=dt.UTC).timestamp())
GERMAN = Customer("C1", "DE")


def basket(total: str | None = None, *lines: tuple[str, str, int, int]) -> Basket:
    if lines:
        return Basket("EUR", tuple(Line(*ln) for ln in lines))
    major, _, minor = (total or "0").partition(".")
    return Basket("EUR", (), int(major) * 100 + int((minor or "0").ljust(2, "0")))


def member(points: int = 0, period_points: int = 0, code: str = "LM-00000001",
           at: int = WEDNESDAY - 3600) -> Membership:
    account = PointsAccount(code, "club")
    if points:
        account = earn(account, points, "L1", at)
    return Membership("club", account, period_points)


def gift(code: str = "GC-1", value: int = 5000, program: str = "gift-eur") -> CardHolding:
    account: GiftCardAccount = activate(issue(code, "EUR", value, "L0"))
    return CardHolding(program, account)
