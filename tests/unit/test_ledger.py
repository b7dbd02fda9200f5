"""Gift-card ledger: lots, soonest-expiring first, voids back to their lots, never negative."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import ledger
from core.errors import Declined, InvalidAmount

NOW = 1_800_000_000


def active_card(*lots):
    account = ledger.activate(ledger.issue("GC-1", "EUR", 0, "L0"))
    for i, (amount, expires) in enumerate(lots):
        account = ledger.load(account, amount, f"L{i + 1}", expires)
    return account


def test_partial_redemption_leaves_the_rest():
    card = active_card((5000, None))
    spend = ledger.redeem(card, 1250, NOW)
    assert spend.account.balance(NOW) == 3750
    assert spend.allocation == (("L1", 1250),)


def test_soonest_expiring_lot_is_spent_first_and_void_returns_it():
    card = active_card((1000, None), (1000, NOW + 100), (1000, NOW + 50))
    spend = ledger.redeem(card, 1500, NOW)
    assert dict(spend.allocation) == {"L3": 1000, "L2": 500}
    restored = ledger.void(spend.account, spend.allocation)
    assert restored == card


def test_expired_lots_do_not_count_and_expire_records_them():
    card = active_card((1000, NOW - 1), (300, None))
    assert card.balance(NOW) == 300
    after, gone = ledger.expire(card, NOW)
    assert gone == (("L1", 1000),)
    assert after.balance(NOW) == 300


@pytest.mark.parametrize(
    ("account", "amount", "currency", "reason"),
    [
        (ledger.issue("GC-1", "EUR", 5000, "L0"), 100, "EUR", "card_inactive"),
        (ledger.set_blocked(active_card((5000, None)), True), 100, "EUR", "card_blocked"),
        (active_card((5000, None)), 100, "USD", "wrong_currency"),
        (active_card((5000, None)), 5001, "EUR", "insufficient_funds"),
    ],
)
def test_declines_carry_the_reason(account, amount, currency, reason):
    with pytest.raises(Declined) as err:
        ledger.redeem(account, amount, NOW, currency)
    assert err.value.reason == reason


def test_expired_card_is_declined():
    card = ledger.activate(ledger.issue("GC-1", "EUR", 5000, "L0", expires_at=NOW - 10))
    with pytest.raises(Declined) as err:
        ledger.redeem(card, 100, NOW)
    assert err.value.reason == "expired"


@pytest.mark.parametrize("amount", [0, -1, True])
def test_non_positive_amounts_are_refused(amount):
    with pytest.raises(InvalidAmount):
        ledger.redeem(active_card((5000, None)), amount, NOW)


def test_forced_redeem_reports_shortfall_instead_of_going_negative():
    spend = ledger.force_redeem(active_card((1000, None)), 1500, NOW)
    assert spend.account.balance(NOW) == 0
    assert spend.shortfall == 500


operations = st.lists(
    st.one_of(
        st.tuples(st.just("load"), st.integers(1, 10_000),
                  st.one_of(st.none(), st.integers(-50, 500))),
        st.tuples(st.just("redeem"), st.integers(1, 12_000), st.none()),
        st.tuples(st.just("void_last"), st.just(0), st.none()),
    ),
    max_size=40,
)


@settings(max_examples=200)
@given(operations)
def test_balance_never_negative_value_conserved_and_replay_matches(ops):
    account = ledger.activate(ledger.issue("GC-1", "EUR", 0, "L0"))
    events = [ledger.LedgerEvent("issue", 0, "L0"), ledger.LedgerEvent("activate")]
    loaded = spent = 0
    redeems: list[ledger.Spend] = []
    for i, (op, amount, expiry) in enumerate(ops):
        if op == "load":
            expires = None if expiry is None else NOW + expiry
            account = ledger.load(account, amount, f"L{i + 1}", expires)
            events.append(ledger.LedgerEvent("load", amount, f"L{i + 1}", expires))
            loaded += amount
        elif op == "redeem":
            try:
                spend = ledger.redeem(account, amount, NOW)
            except Declined:
                assert amount > account.balance(NOW)
                continue
            account = spend.account
            redeems.append(spend)
            events.append(ledger.LedgerEvent("redeem", amount, allocation=spend.allocation))
            spent += amount
        elif redeems:
            spend = redeems.pop()
            account = ledger.void(account, spend.allocation)
            events.append(ledger.LedgerEvent("void", allocation=spend.allocation))
            spent -= sum(a for _, a in spend.allocation)
        assert account.balance(NOW) >= 0
        assert all(0 <= lot.remaining <= lot.amount for lot in account.lots)
    remaining = sum(lot.remaining for lot in account.lots)
    assert remaining == loaded - spent
    assert ledger.replay("GC-1", "EUR", events) == account
