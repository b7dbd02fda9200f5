"""Issue 17 in the pure core: the program file's `customer_attributes` schema and the check of
a customer's attributes (refusals name the path), `expiry: {days_after_issue}` for gift cards
and reward credits, per-customer limits on event rules, and the customer facts the rule
context exposes (`registered_days_ago`, `birthday_today`, `lifetime_spend`, ...)."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_fixtures import EXAMPLE as EXAMPLE_FILE

from core.errors import InvalidInput
from core.programs import ProgramError, parse_programs
from core.rules.attributes import check_attributes
from core.rules.basket import Basket
from core.rules.context import Customer, Store, customer_from_data
from core.rules.points import PointsAccount
from core.rules.quote import Membership, quote

EXAMPLE = EXAMPLE_FILE.read_text(encoding="utf-8")
DAY = 86400
NOW = int(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC).timestamp())
CLUB = """\
version: 1
customer_attributes: {shoe_size: int, vip: bool, note: string, since: date}
programs:
  - id: club
    kind: loyalty
    name: Club
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: big, on: purchase, points: 100, condition: 'customer.lifetime_spend >= 2000.0'}
      - {id: new, on: purchase, points: 10, condition: 'customer.registered_days_ago <= 30'}
      - {id: bday, on: purchase, points: 5, condition: 'customer.birthday_today'}
      - {id: back, on: purchase, points: 3, condition: 'customer.last_visit_days_ago > 60'}
    tiers: [{id: basic, min_points: 0}]
"""


def test_example_file_still_loads_without_a_schema() -> None:
    assert parse_programs(EXAMPLE, filename="programs.yaml").customer_attributes is None


def test_schema_and_attribute_checks() -> None:
    schema = parse_programs(CLUB).customer_attributes
    assert schema == {"shoe_size": "int", "vip": "bool", "note": "string", "since": "date"}
    assert check_attributes(schema, {"shoe_size": 41, "vip": True, "since": "2020-01-31",
                                     "note": None}) == \
        {"shoe_size": 41, "vip": True, "since": "2020-01-31", "note": None}
    for values, message in (({"shoe_size": "41"}, "attributes.shoe_size: expected int"),
                            ({"shoe_size": True}, "attributes.shoe_size: expected int"),
                            ({"vip": 1}, "attributes.vip: expected bool"),
                            ({"since": "2020-02-30"}, "attributes.since: expected date"),
                            ({"hat": "x"}, "attributes.hat: unknown attribute")):
        with pytest.raises(InvalidInput) as err:
            check_attributes(schema, values)
        assert err.value.message.startswith(message) and err.value.reason == \
            "invalid_attribute"
    for bad, message in (("{Shoe: int}", "customer_attributes.Shoe: attribute names"),
                         ("{shoe: float}", "customer_attributes.shoe: type must be")):
        with pytest.raises(ProgramError, match=message):
            parse_programs(f"customer_attributes: {bad}\n" + CLUB.split("\n", 2)[2]
                           .replace("customer_attributes", "#"), filename="p.yaml")


def test_days_after_issue_expiry() -> None:
    text = EXAMPLE.replace("expiry: {months_after_issue: 24}", "expiry: {days_after_issue: 7}")
    gift = parse_programs(text).get("gift-eur")
    assert gift is not None and gift.expiry_days == 7 and gift.card_expiry(NOW) == NOW + 7 * DAY
    both = EXAMPLE.replace("expiry: {months_after_issue: 24}",
                           "expiry: {months_after_issue: 1, days_after_issue: 7}")
    with pytest.raises(ProgramError, match="exactly one of months_after_issue, days_after"):
        parse_programs(both)
    credit = EXAMPLE.replace("        gives: {free_item: \"SKU-COFFEE\"}",
                             "        gives: {free_item: \"SKU-COFFEE\"}\n"
                             "        expiry: {days_after_issue: 7}")
    with pytest.raises(ProgramError, match=r"rewards\[0\].expiry: only a gift_card_credit"):
        parse_programs(credit)


def test_event_rule_limits_parse() -> None:
    once = EXAMPLE.replace("        points: 50\n", "        points: 50\n"
                           "        once_per_customer: true\n")
    rule = parse_programs(once).get("club").loyalty.earning[1]  # type: ignore[union-attr]
    assert rule.per_customer and rule.max_awards == 1
    on_purchase = EXAMPLE.replace("        min_order: \"100.00\"",
                                  "        min_order: \"100.00\"\n        cooldown_days: 3")
    with pytest.raises(ProgramError, match=r"earning\[0\]: once_per_customer, max_per_"):
        parse_programs(on_purchase)
    both = once.replace("once_per_customer: true", "once_per_customer: true\n"
                        "        max_per_customer: 3")
    with pytest.raises(ProgramError, match="not both"):
        parse_programs(both)


def _earned(customer: Customer, *, now: int = NOW) -> set[str]:
    club = parse_programs(CLUB).programs[0]
    member = Membership("club", PointsAccount(customer.id, "club", (), None), 0, 0, customer)
    q = quote(Basket("EUR", (), total=1000), [club], members=[member],
              store=Store("S1", "Europe/Berlin"), now=now)
    return {e.rule for e in q.earn}


def test_customer_facts_in_the_context() -> None:
    fresh = customer_from_data({"registered_at": NOW - 29 * DAY, "lifetime_spend_minor": 199_999,
                                "last_visit": NOW - 2 * DAY, "birthday": "1990-06-15",
                                "visits": 4}, "LM-1")
    assert fresh.visits == 4 and fresh.birthday == dt.date(1990, 6, 15)
    assert _earned(fresh) == {"new", "bday"}
    old = Customer("LM-2", registered_at=NOW - 31 * DAY, lifetime_spend=200_000,
                   last_visit=NOW - 61 * DAY, birthday=dt.date(1990, 6, 16))
    assert _earned(old) == {"big", "back"}
    # Unknown registration is not "recent"; never visited is "no visit in 60 days".
    assert _earned(Customer("LM-3")) == {"back"}
