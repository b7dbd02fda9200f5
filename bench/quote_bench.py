"""Quote latency through the terminal service over a full-size replica: 1,000,000 gift cards,
100,000 members, and a loyalty program of 10 and of 1,000 active rules, measured in the same
run (`--rules 10,1000`), in a real terminal SQLite file.

The program is shaped like a chain's (`chain_program`): a base earn rate on every purchase,
event bonuses, bonus points per category (of 300) and per product (of a 20,000-SKU catalogue),
free-item rewards for products, and rewards priced from 100 to 20,000 points, some for higher
tiers only. Each basket is 20 lines drawn from the catalogue, so a quote meets the rules a real
basket meets; the rest are left out by the rule index (core/rules/rule_index.py). Programs are
signed with a central key, as a terminal keeps them.

The replica rows are generated straight into the store (this is a bench, not a test: no
central, no sync). Each timed call is `TerminalService.quote(basket, [gift card, member],
online=False)` for a random card and member: replica look-ups, the member's local view, usage
tallied from the journal, and the engine. The first quote after a program change also parses
the program (once per version, `program_cache`) and is reported apart.

    python -m bench.quote_bench [--cards 1000000] [--members 100000] [--rules 10,1000]
                                [--quotes 300] [--journal 50000] [--explain]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.machine import describe, percentile
from bench.rules_bench import EXAMPLE
from core.codes import generate_code
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.keys import b64, new_private_key, public_bytes
from core.programs import parse_programs
from core.rules.basket import Basket, Line
from pos_app.terminal import keystore
from pos_app.terminal.data_keys import DataKeys
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.service import TerminalService
from wallet_sync.protocol import TerminalConfig, program_message

NOW_MS = int(time.time() * 1000)
CENTRAL = new_private_key()  # signs the programs, as central signs each version
CATEGORIES = [f"cat{i:03d}" for i in range(300)]
SKUS = [f"SKU-{i:05d}" for i in range(20_000)]
EVENTS = ["birthday", "review", "app_signup", "survey", "referral"]


def category_of(sku: int) -> str:
    return CATEGORIES[sku % len(CATEGORIES)]


def program_id(rules: int) -> str:
    return f"big-{rules}"


def chain_program(rules: int) -> str:
    """A loyalty program `big-RULES` of RULES active earning rules and rewards, in a chain's mix:
    2 base rates, up to 5 events, then a third each of category bonuses, product bonuses and
    rewards (half free items for a product, half priced 100-20,000 points, every fifth for
    gold only)."""
    rng = random.Random(rules)
    earning = ["      - {id: base, on: purchase, points_per_unit: 1}",
               "      - {id: weekend, on: purchase, points_per_unit: 1, "
               "condition: 'now.weekday in [\"Sat\", \"Sun\"]'}"]
    earning += [f"      - {{id: ev-{e}, on: \"event:{e}\", points: 50}}"
                for e in EVENTS[:max(1, min(5, rules // 100))]]
    left = max(0, rules - len(earning))
    cats, prods = left // 3, left // 3
    rewards = left - cats - prods
    for i in range(cats):
        earning.append(f"      - {{id: c{i}, on: purchase, points_per_unit: {1 + i % 3}, "
                       f"categories: [{rng.choice(CATEGORIES)}]}}")
    for i in range(prods):
        earning.append(f"      - {{id: p{i}, on: purchase, points: {10 * (1 + i % 5)}, "
                       f"min_order: \"0.01\", skus: [{rng.choice(SKUS)}]}}")
    out = [f"  - id: {program_id(rules)}", "    kind: loyalty", "    currency: EUR",
           "    member_code_pattern: \"LB-########\"",
           "    eligibility: 'customer.country in [\"DE\", \"AT\"]'", "    earning:",
           *earning,
           "    tiers:", "      - {id: basic, min_points: 0}",
           "      - {id: gold, min_points: 1000, earn_multiplier: 2}",
           "    points_expiry: {months_after_earn: 12}", "    rewards:"]
    for i in range(rewards):
        if i % 2:
            gives = f"{{free_item: {rng.choice(SKUS)}}}"
            cost = 100 + 50 * (i % 20)
        else:
            gives = f"{{amount_off: \"{1 + i % 20}.00\"}}"
            cost = rng.randrange(100, 20_001, 50)
        tiers = ", tiers: [gold]" if i % 5 == 0 else ""
        limits = ", limits: {per_customer_daily_count: 2}" if i % 7 == 0 else ""
        out.append(f"      - {{id: r{i}, cost: {cost}, gives: {gives}{tiers}{limits}}}")
    out += ["    stacking: {max_rewards_per_order: 3}"]
    return "\n".join(out) + "\n"


def codes(pattern: str, count: int, seed: int) -> list[str]:
    random.seed(seed)  # generate_code draws from `secrets`; uniqueness is what matters here
    out: set[str] = set()
    while len(out) < count:
        out.add(generate_code(pattern))
    return sorted(out)


def build(home: Path, cards: list[str], members: dict[str, int], journal: int) -> None:
    """The replica: CARDS gift cards, MEMBERS (code -> rule count of their program) and a
    JOURNAL of signed redeems and burns."""
    # The replica keeps card codes as keyed hashes (data_keys): a passphrase in the
    # environment stands in for the enrolled terminal's secret.
    os.environ.setdefault(keystore.PASSPHRASE_ENV, "quote-bench")
    keys = DataKeys(os.environ[keystore.PASSPHRASE_ENV].encode("utf-8"))
    TerminalDB.open(home).close()  # the real schema, migrated
    db = sqlite3.connect(home / "terminal.db")
    key = new_private_key()
    meta = {"terminal_id": "T-BENCH001", "store_id": "S1", "central_url": "http://127.0.0.1:9",
            "central_public_key": b64(public_bytes(CENTRAL)),
            "config": TerminalConfig(time_zone="Europe/Berlin").model_dump_json(),
            "acked_seq": "0", "cursor": "0"}
    db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
    db.executemany(
        "INSERT INTO cards (code, program, currency, state, balance_minor, acked_seq, balance,"
        " expires_at, change_seq) VALUES (?, 'gift-eur', 'EUR', 'active', ?, 0, ?, NULL, ?)",
        ((keys.card_id(code), 5000, 5000, i) for i, code in enumerate(cards)))
    day = 86400
    lots = [[f"L{j}", 100 + j, 100 + j, NOW_MS // 1000 - j * day, NOW_MS // 1000 + 200 * day]
            for j in range(12)]
    db.executemany(
        "INSERT INTO members (code, program, country, data, acked_seq, change_seq) VALUES "
        "(?, ?, 'DE', ?, 0, ?)",
        ((keys.card_id(code), program_id(rules),
          json.dumps({"program": program_id(rules), "country": "DE", "points": 1500,
                      "tier": "gold", "visits": 37, "last_activity": NOW_MS // 1000,
                      "lots": lots}), i)
         for i, (code, rules) in enumerate(members.items())))
    codes = list(members)
    prev, rows = GENESIS_HASH, []
    for seq in range(1, journal + 1):
        op = "burn" if seq % 2 else "redeem"
        body = EntryBody(terminal="T-BENCH001", seq=seq, prev_hash=prev,
                         wall_ms=NOW_MS - seq * 60_000, mono=seq, op=op, amount=60,
                         currency=None if op == "burn" else "EUR",
                         card=codes[seq % len(codes)] if op == "burn"
                         else cards[seq % len(cards)],
                         program=program_id(members[codes[seq % len(codes)]]) if op == "burn"
                         else "gift-eur", program_version=1,
                         extra={"reward": f"r{seq % 50}"} if op == "burn" else {})
        entry = sign_entry(body, key)
        prev = entry.hash
        rows.append((seq, entry.hash, entry.data, entry.signature, op, body.card, body.program,
                     60, body.currency, 0, body.wall_ms, None))
    db.executemany("INSERT INTO journal (seq, hash, data, sig, op, card, program, amount, "
                   "currency, offline, wall_ms, request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   rows)
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('acked_seq', ?)",
               (str(journal),))
    db.commit()
    db.close()



def set_programs(home: Path, counts: list[int]) -> None:
    """The replica's programs: the example file plus one chain-shaped loyalty program per rule
    count, each signed by the bench's central key as central signs a program version."""
    source = EXAMPLE.read_text(encoding="utf-8") + "".join(chain_program(n) for n in counts)
    programs = parse_programs(source, filename="bench.yaml")
    db = sqlite3.connect(home / "terminal.db")
    db.execute("DELETE FROM programs")
    rows = []
    for i, p in enumerate(programs.programs, 1):
        definition = json.loads(json.dumps(p.raw, sort_keys=True, default=str))
        signature = b64(CENTRAL.sign(program_message(p.id, 1, definition)))
        rows.append((p.id, 1, json.dumps(definition, sort_keys=True), i, signature))
    db.executemany("INSERT INTO programs (id, version, definition, change_seq, signature) "
                   "VALUES (?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()


def measure(home: Path, cards: list[str], members: dict[str, int], counts: list[int],
            quotes: int, explain: bool = False) -> dict[int, dict[str, float]]:
    """QUOTES quotes per rule count, taken in turn (10 rules, 1,000 rules, 10 rules, ...) so
    that the machine's drift falls on every count alike."""
    rng = random.Random(7)
    by_count = {n: [code for code, rules in members.items() if rules == n] for n in counts}
    with TerminalService(home, clock=lambda: NOW_MS) as svc:
        def one(rules: int) -> tuple[float, int, int]:
            picks = rng.sample(range(len(SKUS)), 20)
            lines = tuple(Line(SKUS[i], category_of(i), 1 + i % 3, 150 + i % 900)
                          for i in picks)
            ids = [rng.choice(cards), rng.choice(by_count[rules])]
            t0 = time.perf_counter()
            q = svc.quote(Basket("EUR", lines), ids, online=False, explain=explain).quote
            offered = len(q.earn) + len(q.rewards) + len(q.gift_cards)
            return (time.perf_counter() - t0) * 1000, offered, len(q.refused)

        first = {n: one(n)[0] for n in counts}
        gc.collect()
        gc.freeze()  # long-lived parsed programs leave the young generations
        samples: dict[int, list[tuple[float, int, int]]] = {n: [] for n in counts}
        for _ in range(quotes):
            for n in counts:
                samples[n].append(one(n))
        gc.unfreeze()
    out = {}
    for n in counts:
        ms = [s[0] for s in samples[n]]
        if min(s[1] for s in samples[n]) == 0:
            raise SystemExit("a quote offered nothing: the replica is not what the bench meant")
        out[n] = {"first": first[n], "p50": percentile(ms, 50), "p95": percentile(ms, 95),
                  "p99": percentile(ms, 99),
                  "offered": sum(s[1] for s in samples[n]) / quotes,
                  "refused": sum(s[2] for s in samples[n]) / quotes}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rules", default="10,1000",
                        help="active earning rules + rewards of the loyalty program, each "
                        "count measured in turn over the same replica (default 10,1000)")
    parser.add_argument("--journal", type=int, default=50_000,
                        help="redeems and burns in this year's journal, whose limit usage "
                        "every quote counts (default 50,000: a busy till's year)")
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--explain", action="store_true",
                        help="every rule evaluated (the full listing, as before the rule "
                        "index), to compare")
    parser.add_argument("--out", type=Path, default=Path("bench/results/quote.md"))
    args = parser.parse_args()
    counts = [int(n) for n in args.rules.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        cards = codes("GC-####-####-####", args.cards, 1)
        members = {code: counts[i % len(counts)]
                   for i, code in enumerate(codes("LB-########", args.members, 2))}
        build(home, cards, members, args.journal)
        set_programs(home, counts)
        built = time.perf_counter() - start
        size = (home / "terminal.db").stat().st_size / 2**20
        results = measure(home, cards, members, counts, args.quotes, args.explain)
    ref = results[counts[0]]
    text = [
        "# Quote latency through the terminal service", "",
        f"Machine: {describe()}; load average at start {os.getloadavg()[0]:.1f}.",
        f"Reproduce: `python -m bench.quote_bench --rules {args.rules}"
        f"{' --explain' if args.explain else ''}` "
        "(bench/quote_bench.py).", "",
        f"Replica: {args.cards:,} gift cards, {args.members:,} members (12 points lots each, "
        f"gold, 1,500 points), {args.journal:,} journal entries; terminal.db "
        f"{size:,.0f} MiB, generated in {built:.0f} s. One loyalty program per rule count, "
        "each shaped like a chain's (`chain_program`): base rates, event bonuses, category "
        "bonuses over 300 categories, product bonuses and free items over a 20,000-SKU "
        "catalogue, rewards priced 100-20,000 points; the members are dealt to the programs "
        "in turn.", "",
        f"Each quote: `TerminalService.quote(basket, [gift card, member], online=False)`, a "
        f"random card and member, 20 random catalogue lines; {args.quotes} quotes per rule "
        "count after the first, taken in turn (one of each count, then again) in one "
        "process.", "",
        "| active rules | first quote (the first of all parses the programs) | p50 | p95 | p99 "
        "| p95 / reference | offered / refused per quote |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[f"| {n:,}{' (reference)' if n == counts[0] else ''} | {r['first']:.0f} ms "
          f"| {r['p50']:.2f} ms | {r['p95']:.2f} ms | {r['p99']:.2f} ms "
          f"| {r['p95'] / ref['p95']:.2f}x | {r['offered']:.1f} / {r['refused']:.1f} |"
          for n, r in results.items()], "",
        "Targets (issue 21): p95 with 1,000 rules at most 1.5x the p95 with 10 rules in the "
        "same run, and at most 5 ms at 1,000,000 cards.", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
