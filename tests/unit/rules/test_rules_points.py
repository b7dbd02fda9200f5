"""Points lots: soonest-expiring first, exact voids, the three expiry policies, replay — with
hypothesis properties over random sequences of operations."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import Declined, InvalidAmount
from core.rules.points import (
    ExpiryPolicy,
    PointsAccount,
    PointsEvent,
    add_months,
    burn,
    earn,
    expire,
    lot_expiry,
    replay,
    void,
)

T0 = int(dt.datetime(2024, 1, 31, 10, tzinfo=dt.UTC).timestamp())
DAY = 86400


def _account() -> PointsAccount:
    acct = PointsAccount("M", "club")
    acct = earn(acct, 100, "late", T0, T0 + 300 * DAY)
    acct = earn(acct, 50, "never", T0)
    return earn(acct, 80, "soon", T0, T0 + 10 * DAY)


def test_burn_takes_soonest_expiring_first_and_void_returns_it() -> None:
    acct = _account()
    after, allocation = burn(acct, 120, T0 + DAY)
    assert allocation == (("late", 40), ("soon", 80))
    assert after.balance(T0 + DAY) == 110
    assert void(after, allocation) == acct.__class__(acct.member, acct.program, acct.lots,
                                                     after.last_activity)


def test_insufficient_points_declines() -> None:
    with pytest.raises(Declined) as err:
        burn(_account(), 231, T0)
    assert err.value.reason == "insufficient_points"
    with pytest.raises(InvalidAmount):
        burn(_account(), 0, T0)


def test_expire_dated_lots_and_dormant_accounts() -> None:
    acct = _account()
    later, gone = expire(acct, T0 + 11 * DAY)
    assert gone == (("soon", 80),) and later.balance(T0 + 11 * DAY) == 150
    assert expire(later, T0 + 11 * DAY)[1] == ()
    dormant = T0 + 366 * DAY
    assert acct.balance(dormant, rolling_months=12) == 0
    _, everything = expire(acct, dormant, rolling_months=12)
    assert sum(p for _, p in everything) == 230  # dormant: every lot with points left


def test_policies_set_lot_expiry() -> None:
    assert lot_expiry(ExpiryPolicy(months_after_earn=1), T0) == add_months(T0, 1)
    assert dt.datetime.fromtimestamp(add_months(T0, 1), dt.UTC).date() == dt.date(2024, 2, 29)
    fixed = lot_expiry(ExpiryPolicy(fixed_date=dt.date(2024, 12, 31)), T0)
    assert fixed == int(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp())
    assert lot_expiry(ExpiryPolicy(rolling_months=12), T0) is None


ops = st.lists(st.tuples(st.sampled_from(["earn", "burn", "void", "expire"]),
                         st.integers(1, 500), st.integers(0, 400)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_points_never_negative_and_replay_matches(steps: list[tuple[str, int, int]]) -> None:
    acct = PointsAccount("M", "club")
    events: list[PointsEvent] = []
    burns: list[tuple[tuple[str, int], ...]] = []
    now = T0
    for i, (op, n, days) in enumerate(steps):
        now += days * 3600
        if op == "earn":
            expires = now + days * DAY if days % 3 else None
            acct = earn(acct, n, f"L{i}", now, expires)
            events.append(PointsEvent("earn", n, f"L{i}", expires, (), now))
        elif op == "burn" and acct.balance(now) >= n:
            before = acct.balance(now)
            acct, allocation = burn(acct, n, now)
            assert sum(p for _, p in allocation) == n
            assert acct.balance(now) == before - n
            burns.append(allocation)
            events.append(PointsEvent("burn", n, None, None, allocation, now))
        elif op == "void" and burns:
            allocation = burns.pop()
            before = sum(lot.remaining for lot in acct.lots)
            acct = void(acct, allocation)
            assert sum(lot.remaining for lot in acct.lots) == before + sum(
                p for _, p in allocation)  # a void returns exactly what was burned
            events.append(PointsEvent("void", 0, None, None, allocation, now))
        elif op == "expire":
            acct, gone = expire(acct, now)
            burns = [b for b in burns if not set(dict(b)) & set(dict(gone))]
            if gone:
                events.append(PointsEvent("expire", 0, None, None, gone, now))
        assert all(0 <= lot.remaining <= lot.points for lot in acct.lots)
        assert acct.balance(now) >= 0
    assert replay("M", "club", events) == acct
