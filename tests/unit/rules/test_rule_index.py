"""An indexed quote (only the rules the basket and member can trigger) offers exactly what the
full quote offers, in the same order, and leaves out only refusals of rules that could not
have been offered: no qualifying line, an event not sent, a tier not allowed, a free item not
in the basket, or more points than the member has."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.programs import parse_programs
from core.rules.basket import Basket, Line
from core.rules.context import Customer, Store
from core.rules.points import PointsAccount, earn
from core.rules.quote import Membership, quote
from core.rules.rule_index import build_index

CATEGORIES = ["coffee", "tea", "bakery", "deli"]
SKUS = ["S1", "S2", "S3", "S4", "S5"]
EVENTS = ["review", "birthday"]
TIERS = ["basic", "silver", "gold"]
NOW = int(dt.datetime(2024, 5, 11, 12, tzinfo=dt.UTC).timestamp())
STORE = Store("S1", "Europe/Berlin", "DE")

earn_rules = st.fixed_dictionaries({
    "on": st.sampled_from(["purchase", "purchase", "event:review", "event:birthday"]),
    "categories": st.lists(st.sampled_from(CATEGORIES), max_size=2),
    "skus": st.lists(st.sampled_from(SKUS), max_size=2),
    "fixed": st.booleans(),
    "min_order": st.sampled_from([None, 0, 300, 2000]),
    "condition": st.sampled_from([None, "order.total >= 10.0", "customer.visits > 3"]),
})
rewards = st.fixed_dictionaries({
    "cost": st.one_of(st.integers(1, 400), st.sampled_from([60, 120, 180])),  # = points held
    "kind": st.sampled_from(["amount_off", "percent_off", "free_item"]),
    "sku": st.sampled_from(SKUS),
    "tiers": st.lists(st.sampled_from(TIERS), max_size=2, unique=True),
    "condition": st.sampled_from([None, 'order.lines.exists(l, l.category == "tea")']),
})
lines = st.lists(st.tuples(st.sampled_from(SKUS), st.sampled_from(CATEGORIES),
                           st.integers(1, 3), st.integers(0, 900)), max_size=6)


def program_source(earning: list[dict], offered: list[dict], catalog: bool) -> str:
    out = ["version: 1", "programs:", "  - id: club", "    kind: loyalty",
           "    currency: EUR", "    earning:"]
    for i, r in enumerate(earning):
        fixed = r["fixed"] or r["on"] != "purchase"  # events pay fixed points
        amount = "points: 7" if fixed else "points_per_unit: 2"
        parts = [f"id: e{i}", f"on: \"{r['on']}\"", amount]
        if r["on"] == "purchase":
            if r["categories"]:
                parts.append(f"categories: [{', '.join(r['categories'])}]")
            if r["skus"]:
                parts.append(f"skus: [{', '.join(r['skus'])}]")
            if r["min_order"] is not None:
                parts.append(f"min_order: \"{r['min_order'] / 100:.2f}\"")
        if r["condition"]:
            parts.append(f"condition: '{r['condition']}'")
        out.append("      - {" + ", ".join(parts) + "}")
    silver = ", rewards: [r0]" if catalog and offered else ""  # a tier's own catalog
    out += ["    tiers:", "      - {id: basic, min_points: 0}",
            "      - {id: silver, min_points: 100" + silver + "}",
            "      - {id: gold, min_points: 300}", "    rewards:"]
    for i, r in enumerate(offered):
        gives = {"amount_off": "{amount_off: \"2.00\"}", "percent_off": "{percent_off: 10}",
                 "free_item": f"{{free_item: {r['sku']}}}"}[r["kind"]]
        parts = [f"id: r{i}", f"cost: {r['cost']}", f"gives: {gives}"]
        if r["tiers"]:
            parts.append(f"tiers: [{', '.join(r['tiers'])}]")
        if r["condition"]:
            parts.append(f"condition: '{r['condition']}'")
        out.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(out) + "\n"


def could_trigger(benefit: str, basket: Basket, events: list[str], tier: str, points: int,
                  program) -> bool:  # type: ignore[no-untyped-def]
    """Independent of the index: could this benefit have been offered at all?"""
    loyalty = program.loyalty
    kind, _, rule_id = benefit.split(":")
    if kind == "earn":
        rule = next(r for r in loyalty.earning if r.id == rule_id)
        if rule.on != "purchase":
            return rule.on.removeprefix("event:") in events
        if basket.total <= 0:
            return False
        if not rule.categories and not rule.skus:
            return True
        if rule.points is not None and not rule.min_order:
            return True
        return any(ln.category in rule.categories or ln.sku in rule.skus
                   for ln in basket.lines)
    if kind == "reward":
        reward = next(r for r in loyalty.rewards if r.id == rule_id)
        allowed = loyalty.allowed_tiers(reward)
        if (allowed and tier not in allowed) or reward.cost > points:
            return False
        return reward.gives.kind != "free_item" or any(ln.sku == reward.gives.sku
                                                       for ln in basket.lines)
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(earning=st.lists(earn_rules, max_size=8), offered=st.lists(rewards, max_size=8),
       catalog=st.booleans(), basket_lines=lines, events=st.lists(st.sampled_from(EVENTS),
                                                                max_size=2),
       period_points=st.sampled_from([0, 150, 500]), held=st.integers(0, 3))
def test_indexed_quote_equals_full(earning, offered, catalog, basket_lines, events,
                                   period_points, held):
    programs = parse_programs(program_source(earning, offered, catalog), filename="t.yaml")
    program = programs.programs[0]
    account = PointsAccount("M-1", "club")
    for i in range(held):
        account = earn(account, 60, f"L{i}", NOW - 86400 * (i + 1), None)
    member = Membership("club", account, period_points)
    basket = Basket("EUR", tuple(Line(*ln) for ln in basket_lines))
    who = Customer("C1", "DE", visits=5)
    kwargs = {"members": [member], "customer": who, "store": STORE, "now": NOW,
              "events": events}
    full = quote(basket, programs, **kwargs)
    fast = quote(basket, programs, indexed=True, **kwargs)

    assert fast.earn == full.earn
    assert fast.rewards == full.rewards
    assert fast.members == full.members
    assert set(fast.refused) <= set(full.refused)
    view = full.members[0]
    for refusal in set(full.refused) - set(fast.refused):
        assert not could_trigger(refusal.benefit, basket, events, view.tier, view.points,
                                 program), refusal


def test_index_finds_rules_by_category_sku_event_and_cost():
    source = program_source(
        [{"on": "purchase", "categories": ["tea"], "skus": [], "fixed": False,
          "min_order": None, "condition": None},
         {"on": "purchase", "categories": [], "skus": ["S2"], "fixed": False,
          "min_order": None, "condition": None},
         {"on": "event:review", "categories": [], "skus": [], "fixed": True,
          "min_order": None, "condition": None},
         {"on": "purchase", "categories": [], "skus": [], "fixed": False,
          "min_order": None, "condition": None}],
        [{"cost": 50, "kind": "amount_off", "sku": "S1", "tiers": [], "condition": None},
         {"cost": 500, "kind": "amount_off", "sku": "S1", "tiers": [], "condition": None},
         {"cost": 10, "kind": "free_item", "sku": "S3", "tiers": [], "condition": None},
         {"cost": 10, "kind": "percent_off", "sku": "S1", "tiers": ["gold"],
          "condition": None}], False)
    loyalty = parse_programs(source, filename="t.yaml").programs[0].loyalty
    index = build_index(loyalty)
    tea = Basket("EUR", (Line("S9", "tea", 1, 300),))
    assert [r.id for r in index.earning(loyalty, tea, [])] == ["e0", "e3"]
    assert [r.id for r in index.earning(loyalty, tea, ["review"])] == ["e0", "e2", "e3"]
    sku = Basket("EUR", (Line("S2", "deli", 1, 300), Line("S3", "deli", 1, 100)))
    assert [r.id for r in index.earning(loyalty, sku, [])] == ["e1", "e3"]
    assert [r.id for r in index.rewards(loyalty, sku, "basic", 100)] == ["r0", "r2"]
    assert [r.id for r in index.rewards(loyalty, tea, "gold", 1000)] == ["r0", "r1", "r3"]
    assert index.rewards(loyalty, tea, "basic", 5) == []
