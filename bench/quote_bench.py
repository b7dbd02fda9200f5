"""Quote latency through the terminal service over a full-size replica: 1,000,000 gift cards,
100,000 members and 1,000 active earning rules and rewards, in a real terminal SQLite file.

The replica rows are generated straight into the store (this is a bench, not a test: no
central, no sync). Each timed call is `TerminalService.quote(basket, [gift card, member],
online=False)` for a random card and member with a 20-line basket: replica look-ups, the
member's local view, usage tallied from 200 journal entries, and the engine. The first quote
of a process also parses the programs (once per version, `program_cache`) and is reported
apart.

    python -m bench.quote_bench [--cards 1000000] [--members 100000] [--quotes 300]
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
from bench.rules_bench import CATEGORIES, synthetic_program
from core.codes import generate_code
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.keys import b64, new_private_key, public_bytes
from core.programs import parse_programs
from core.rules.basket import Basket, Line
from pos_app.terminal import keystore
from pos_app.terminal.data_keys import DataKeys
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.service import TerminalService
from wallet_sync.protocol import TerminalConfig

NOW_MS = int(time.time() * 1000)


def codes(pattern: str, count: int, seed: int) -> list[str]:
    random.seed(seed)  # generate_code draws from `secrets`; uniqueness is what matters here
    out: set[str] = set()
    while len(out) < count:
        out.add(generate_code(pattern))
    return sorted(out)


def build(home: Path, cards: list[str], members: list[str], rules: int) -> None:
    # The replica keeps card codes as keyed hashes (data_keys): a passphrase in the
    # environment stands in for the enrolled terminal's secret.
    os.environ.setdefault(keystore.PASSPHRASE_ENV, "quote-bench")
    keys = DataKeys(os.environ[keystore.PASSPHRASE_ENV].encode("utf-8"))
    TerminalDB.open(home).close()  # the real schema, migrated
    source = synthetic_program(rules).replace(
        "  - id: big\n    kind: loyalty\n",
        "  - id: big\n    kind: loyalty\n    member_code_pattern: \"LB-########\"\n")
    programs = parse_programs(source, filename="bench.yaml")
    db = sqlite3.connect(home / "terminal.db")
    key = new_private_key()
    meta = {"terminal_id": "T-BENCH001", "store_id": "S1", "central_url": "http://127.0.0.1:9",
            "central_public_key": b64(public_bytes(new_private_key())),
            "config": TerminalConfig(time_zone="Europe/Berlin").model_dump_json(),
            "acked_seq": "0", "cursor": "0"}
    db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
    db.executemany("INSERT INTO programs (id, version, definition, change_seq) VALUES "
                   "(?, 1, ?, ?)", [(p.id, json.dumps(p.raw, sort_keys=True, default=str), i)
                                    for i, p in enumerate(programs.programs, 1)])
    db.executemany(
        "INSERT INTO cards (code, program, currency, state, balance_minor, acked_seq, balance,"
        " expires_at, change_seq) VALUES (?, 'gift-eur', 'EUR', 'active', ?, 0, ?, NULL, ?)",
        ((keys.card_id(code), 5000, 5000, i) for i, code in enumerate(cards)))
    day = 86400
    lots = [[f"L{j}", 100 + j, 100 + j, NOW_MS // 1000 - j * day, NOW_MS // 1000 + 200 * day]
            for j in range(12)]
    db.executemany(
        "INSERT INTO members (code, program, country, data, acked_seq, change_seq) VALUES "
        "(?, 'big', 'DE', ?, 0, ?)",
        ((keys.card_id(code), json.dumps({"program": "big", "country": "DE", "points": 1500,
                                          "tier": "gold", "visits": 37,
                                          "last_activity": NOW_MS // 1000, "lots": lots}), i)
         for i, code in enumerate(members)))
    prev, rows = GENESIS_HASH, []
    for seq in range(1, 201):
        op = "burn" if seq % 2 else "redeem"
        body = EntryBody(terminal="T-BENCH001", seq=seq, prev_hash=prev,
                         wall_ms=NOW_MS - seq * 600_000, mono=seq, op=op, amount=60,
                         currency=None if op == "burn" else "EUR",
                         card=members[seq] if op == "burn" else cards[seq],
                         program="big" if op == "burn" else "gift-eur", program_version=1,
                         extra={"reward": f"r{seq % 50}"} if op == "burn" else {})
        entry = sign_entry(body, key)
        prev = entry.hash
        rows.append((seq, entry.hash, entry.data, entry.signature, op, body.card, body.program,
                     60, body.currency, 0, body.wall_ms, None))
    db.executemany("INSERT INTO journal (seq, hash, data, sig, op, card, program, amount, "
                   "currency, offline, wall_ms, request_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                   rows)
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('acked_seq', '200')")
    db.commit()
    db.close()


def measure(home: Path, cards: list[str], members: list[str], quotes: int
            ) -> dict[str, float]:
    rng = random.Random(7)
    with TerminalService(home, clock=lambda: NOW_MS) as svc:
        def one(n: int) -> tuple[float, int, int]:
            lines = tuple(Line(f"SKU-{i}", CATEGORIES[(i + n) % 8], 1 + i % 3, 150 + i * 10 + n)
                          for i in range(20))
            ids = [rng.choice(cards), rng.choice(members)]
            t0 = time.perf_counter()
            q = svc.quote(Basket("EUR", lines), ids, online=False).quote
            offered = len(q.earn) + len(q.rewards) + len(q.gift_cards)
            return (time.perf_counter() - t0) * 1000, offered, len(q.refused)

        first, _, _ = one(0)
        gc.collect()
        gc.freeze()  # long-lived parsed programs leave the young generations
        samples, offered, refused = [], 0, 0
        for n in range(1, quotes + 1):
            ms, offered, refused = one(n)
            samples.append(ms)
    return {"first": first, "p50": percentile(samples, 50), "p95": percentile(samples, 95),
            "p99": percentile(samples, 99), "offered": offered, "refused": refused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=500, help="earning rules, and as many "
                        "rewards (default 500 + 500 = 1,000 active)")
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench/results/quote.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        cards = codes("GC-####-####-####", args.cards, 1)
        members = codes("LB-########", args.members, 2)
        build(home, cards, members, args.rules)
        built = time.perf_counter() - start
        size = (home / "terminal.db").stat().st_size / 2**20
        r = measure(home, cards, members, args.quotes)
    text = [
        "# Quote latency through the terminal service", "",
        f"Machine: {describe()}.",
        "Reproduce: `python -m bench.quote_bench` (bench/quote_bench.py).", "",
        f"Replica: {args.cards:,} gift cards, {args.members:,} members (12 points lots each), "
        f"{args.rules} earning rules + {args.rules} rewards ({2 * args.rules:,} active) in one "
        f"loyalty program beside the example programs, 200 journal entries; terminal.db "
        f"{size:,.0f} MiB, generated in {built:.0f} s.", "",
        f"Each quote: `TerminalService.quote(basket, [gift card, member], online=False)`, a "
        f"random card and member, a 20-line basket; {args.quotes} quotes after the first.", "",
        "| figure | value |", "| --- | --- |",
        f"| first quote (parses the programs once per version) | {r['first']:.0f} ms |",
        f"| quote p50 | {r['p50']:.2f} ms |", f"| quote p95 | {r['p95']:.2f} ms |",
        f"| quote p99 | {r['p99']:.2f} ms |",
        f"| benefits per quote (offered / refused) | {r['offered']} / {r['refused']} |", "",
        "Target: quote p95 ≤ 20 ms.", "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
