"""Money: exact decimal strings in, integer minor units held, floats refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidAmount
from core.money import Money, format_minor, parse_minor


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("12.50", "EUR", 1250), ("12.5", "EUR", 1250), ("12", "EUR", 1200), ("0.01", "EUR", 1),
     ("1500", "JPY", 1500), ("1.234", "KWD", 1234), ("007.00", "USD", 700)],
)
def test_parses_decimal_strings_exactly(text, currency, minor):
    assert parse_minor(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [("12.505", "EUR"), ("1.5", "JPY"), ("abc", "EUR"), ("", "EUR"), ("1e3", "EUR"),
     ("-5.00", "EUR"), ("12,50", "EUR"), ("1" * 40, "EUR"), ("5.00", "XXX"), ("NaN", "EUR")],
)
def test_refuses_what_is_not_an_exact_amount(text, currency):
    with pytest.raises(InvalidAmount):
        parse_minor(text, currency)


@pytest.mark.parametrize("text", [
    "٣", "１２.００", "12.٠٠", "²", "𝟙𝟚", " 12.00", "12.00 ", "12.00\n", "\t1", "+1", "1_000",
    "0", "0.00", "000", "-0", "-1", "-0.01", ".5", "5.", "1.2.3",
])
def test_money_typed_by_a_person_is_ascii_digits_above_zero(text):
    # Other scripts' digits, surrounding space, a sign, nothing: each refused with the reason.
    with pytest.raises(InvalidAmount) as err:
        parse_minor(text, "EUR")
    assert err.value.reason == "invalid_amount"


def test_zero_only_where_the_caller_asks_for_it():
    assert parse_minor("0", "EUR", allow_zero=True) == 0
    assert parse_minor("0.00", "EUR", allow_zero=True) == 0
    assert parse_minor("-0.50", "EUR", allow_negative=True) == -50
    with pytest.raises(InvalidAmount):
        parse_minor("0.00", "EUR", allow_negative=True)
    with pytest.raises(InvalidAmount):
        parse_minor("-1", "EUR", allow_zero=True)
    with pytest.raises(InvalidAmount):
        parse_minor("٠", "EUR", allow_zero=True)


def test_floats_never_hold_money():
    with pytest.raises(InvalidAmount):
        parse_minor(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        Money(12.5, "EUR")  # type: ignore[arg-type]


def test_currencies_do_not_mix():
    with pytest.raises(InvalidAmount) as err:
        Money(100, "EUR") + Money(100, "USD")
    assert err.value.reason == "wrong_currency"


@given(st.integers(min_value=-(10**12), max_value=10**12),
       st.sampled_from(["EUR", "JPY", "KWD"]))
def test_format_then_parse_round_trips(minor, currency):
    text = format_minor(minor, currency)
    assert parse_minor(text, currency, allow_zero=True, allow_negative=True) == minor
