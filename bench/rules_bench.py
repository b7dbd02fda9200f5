"""Rules-engine benchmark: CEL evaluations per second, and quote (+ choose) latency with 1,000
active earning rules and rewards.

A synthetic loyalty program holds `--rules` earning rules and as many rewards (half of each
with a CEL condition, per-category filters, tier restrictions, count limits), beside the example
file's gift-card programs. It is the worst case for the rule index: every basket holds all
eight categories and the member affords every reward, so every rule is evaluated
(bench/quote_bench.py measures a chain-shaped program, where most rules do not trigger).
Each quote sees a 20-line basket, a gold member with 12 points lots,
two gift cards and usage tallied from 200 journal records. The quote function takes no storage,
so the replica-size part of the budget (1,000,000 cards / 100,000 members) is measured with the
terminal store, where only the look-up of the presented card and member depends on size.

    python -m bench.rules_bench [--rules 500] [--quotes 300] [--out bench/results/rules.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import time
from pathlib import Path

import cel

from bench.machine import describe, percentile
from core.ledger import activate, issue
from core.programs import parse_programs
from core.rules.basket import Basket, Line
from core.rules.choose import Choices, choose
from core.rules.context import Customer, Store, build_context
from core.rules.expressions import compile_expression, evaluate
from core.rules.limits import UsageRecord, tally
from core.rules.points import PointsAccount, earn
from core.rules.quote import CardHolding, Membership, quote

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "programs.yaml"
CATEGORIES = ["coffee", "tea", "bakery", "deli", "dairy", "fruit", "snacks", "drinks"]
NOW = int(dt.datetime(2024, 5, 11, 12, tzinfo=dt.UTC).timestamp())
STORE = Store("S1", "Europe/Berlin", "DE")
CUSTOMER = Customer("C1", "DE", {"vip": True, "age": 41}, ("students",), dt.date(1983, 5, 11),
                    250_000, 37)
EXPRESSIONS = [
    'customer.country in ["DE", "AT"]',
    "order.total >= 50.0",
    'now.weekday in ["Sat", "Sun"]',
    'order.lines.exists(l, l.category == "coffee" && l.qty >= 2)',
    '"students" in customer.segments && customer.visits > 10',
]


def synthetic_program(rules: int) -> str:
    out = ["  - id: big", "    kind: loyalty", "    currency: EUR",
           "    eligibility: 'customer.country in [\"DE\", \"AT\"]'", "    earning:"]
    for i in range(rules):
        cat = CATEGORIES[i % len(CATEGORIES)]
        cond = f", condition: 'order.total >= {i % 90}.0'" if i % 2 else ""
        out.append(f"      - {{id: e{i}, on: purchase, points_per_unit: {1 + i % 3}, "
                   f"categories: [{cat}]{cond}}}")
    out += ["    tiers:", "      - {id: basic, min_points: 0}",
            "      - {id: gold, min_points: 1000, earn_multiplier: 2}",
            "    points_expiry: {months_after_earn: 12}", "    rewards:"]
    for i in range(rules):
        cond = (f", condition: 'order.lines.exists(l, l.category == \"{CATEGORIES[i % 8]}\")'"
                if i % 2 else "")
        tiers = ", tiers: [gold]" if i % 5 == 0 else ""
        limits = ", limits: {per_customer_daily_count: 2}" if i % 7 == 0 else ""
        out.append(f"      - {{id: r{i}, cost: {50 + i % 400}, gives: {{amount_off: "
                   f"\"{1 + i % 9}.00\"}}{cond}{tiers}{limits}}}")
    out += ["    stacking: {max_rewards_per_order: 3}"]
    return EXAMPLE.read_text(encoding="utf-8") + "\n".join(out) + "\n"


def bench_cel(seconds: float = 1.0) -> list[tuple[str, float]]:
    basket = Basket("EUR", tuple(Line(f"SKU-{i}", CATEGORIES[i % 8], 1 + i % 3, 150 + i * 10)
                                 for i in range(20)))
    ctx = build_context(basket, CUSTOMER, STORE, NOW)
    rows = []
    for src in EXPRESSIONS:
        expr = compile_expression(src, "bench", "bench")
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / len(EXPRESSIONS):
            for _ in range(1000):
                evaluate(expr, ctx)
            n += 1000
        rows.append((src, n / (time.perf_counter() - start)))
    start = time.perf_counter()
    builds = 200
    for _ in range(builds):
        build_context(basket, CUSTOMER, STORE, NOW)
    rows.append(("(building the context of a 20-line order)",
                 builds / (time.perf_counter() - start)))
    raw = cel.compile(EXPRESSIONS[1])
    plain = {"order": {"total": 55.0, "lines": []}}
    start = time.perf_counter()
    for _ in range(20_000):
        raw.execute(plain)
    rows.append(("(cel.Program.execute with a fresh dict, 1 field)",
                 20_000 / (time.perf_counter() - start)))
    return rows


def bench_quote(rules: int, quotes: int) -> dict[str, float]:
    source = synthetic_program(rules)
    start = time.perf_counter()
    programs = parse_programs(source, filename="bench.yaml")
    load_ms = (time.perf_counter() - start) * 1000
    # Long-lived program objects leave the GC's young generations, as a terminal does after
    # loading its replica's programs; without this a gen-2 pass lands in ~1% of quotes.
    gc.collect()
    gc.freeze()
    acct = PointsAccount("LM-1", "big")
    for i in range(12):
        acct = earn(acct, 100 + i, f"L{i}", NOW - i * 86400, NOW + (i + 1) * 30 * 86400)
    member = Membership("big", acct, 1500)
    cards = [CardHolding("gift-eur", activate(issue("GC-1", "EUR", 5000, "L0"))),
             CardHolding("store-credit", activate(issue("SC-1", "EUR", 2500, "L0")))]
    records = [UsageRecord(NOW - i * 900, "big", f"r{i % 50}", 60, card="LM-1", customer="C1")
               for i in range(200)]
    samples: list[float] = []
    offered = refused = 0
    for n in range(quotes):
        lines = tuple(Line(f"SKU-{i}", CATEGORIES[(i + n) % 8], 1 + i % 3, 150 + i * 10 + n)
                      for i in range(20))
        t0 = time.perf_counter()
        usage = tally(records, now=NOW, time_zone=STORE.time_zone, card="LM-1", customer="C1")
        q = quote(Basket("EUR", lines), programs, cards=cards, members=[member],
                  customer=CUSTOMER, store=STORE, usage=usage, now=NOW, indexed=True)
        choose(q, Choices(rewards=tuple(r.benefit for r in q.rewards[:3]),
                          gift_cards=(("GC-1", None),)))
        samples.append((time.perf_counter() - t0) * 1000)
        offered, refused = len(q.earn) + len(q.rewards) + len(q.gift_cards), len(q.refused)
    return {"load_ms": load_ms, "p50": percentile(samples, 50), "p95": percentile(samples, 95),
            "p99": percentile(samples, 99), "offered": offered, "refused": refused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=500,
                        help="earning rules, and as many rewards (default 500 + 500)")
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench/results/rules.md"))
    args = parser.parse_args()
    cel_rows = bench_cel()
    q = bench_quote(args.rules, args.quotes)
    text = [
        "# Rules engine figures", "",
        f"Machine: {describe()}; load average at start {os.getloadavg()[0]:.1f} "
        "(shared machine: other work was running).",
        "Reproduce: `python -m bench.rules_bench` (bench/rules_bench.py).", "",
        "## CEL evaluations per second (one prebuilt context, 20-line order)", "",
        "| expression | evaluations/s |", "| --- | --- |",
        *[f"| `{src}` | {rate:,.0f} |" for src, rate in cel_rows], "",
        f"## Quote + choose with {args.rules} earning rules and {args.rules} rewards "
        f"({2 * args.rules} active), {args.quotes} quotes", "",
        "Each quote: 20-line basket, a gold member with 12 points lots, two gift cards, usage "
        "tallied from 200 journal records inside the timed section, then `choose` with three "
        "rewards and a gift card. No storage involved (replica size measured with the "
        "terminal store). `gc.freeze()` after loading the programs, as the terminal should.",
        "",
        "| figure | value |", "| --- | --- |",
        f"| program file load + CEL compile + checks | {q['load_ms']:.0f} ms |",
        f"| quote + choose p50 | {q['p50']:.2f} ms |",
        f"| quote + choose p95 | {q['p95']:.2f} ms |",
        f"| quote + choose p99 | {q['p99']:.2f} ms |",
        f"| benefits per quote (offered / refused) | {q['offered']} / {q['refused']} |",
        "", "Budget (DESIGN.md): quote p95 ≤ 20 ms with 1,000 active programs/rewards.", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
