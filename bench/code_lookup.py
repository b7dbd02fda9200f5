"""Looking a typed or scanned card code up in the terminal replica now that the replica keeps
only keyed hashes of codes (issue 13, `data_keys.card_id`): 100,000 cards in a real terminal
SQLite file, each lookup `TerminalDB.get_card` (HMAC-SHA256 of the code inside SQL, then the
primary key's index), beside the same lookup on a table of plain codes in the same file (the
reference: what the replica did before), and the one-time hashing of an upgraded replica.

    python -m bench.code_lookup [--cards 100000] [--lookups 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.machine import describe, percentile
from core.codes import generate_code
from pos_app.terminal import database
from pos_app.terminal.database import TerminalDB

PATTERN = "GC-####-####-####"
PLAIN_TABLE = ("CREATE TABLE plain_cards (code TEXT PRIMARY KEY, program TEXT NOT NULL, "
               "currency TEXT NOT NULL, state TEXT NOT NULL, balance_minor INTEGER NOT NULL, "
               "acked_seq INTEGER NOT NULL, balance INTEGER NOT NULL, expires_at INTEGER, "
               "change_seq INTEGER NOT NULL)")


def timed_us(fn, args: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for arg in args:
        start = time.perf_counter_ns()
        fn(arg)
        out.append((time.perf_counter_ns() - start) / 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    args = parser.parse_args()
    os.environ["WALLETPOS_KEY_PASSPHRASE"] = secrets.token_urlsafe(32)  # no keyring needed
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        db = TerminalDB.open(home)
        # Random order, as a sync delivers them (change_seq order, random codes).
        codes = list({generate_code(PATTERN) for _ in range(args.cards)})
        rows = [{"code": c, "program": "gift-eur", "currency": "EUR", "state": "active",
                 "bal": 5000, "acked": 0, "exp": None, "cseq": i} for i, c in enumerate(codes)]
        start = time.perf_counter()
        with db.write() as conn:
            conn.exec_driver_sql(database._UPSERT_CARD, rows)  # type: ignore[arg-type]
        load_s = time.perf_counter() - start
        # Reference for the load: the same upsert keeping plain codes, in a second home.
        plain_db = TerminalDB.open(Path(tmp) / "plain-home")
        start = time.perf_counter()
        with plain_db.write() as conn:
            conn.exec_driver_sql(database._UPSERT_CARD.replace("wp_card_key(:code)", ":code"),
                                 rows)  # type: ignore[arg-type]
        plain_load_s = time.perf_counter() - start
        plain_db.close()
        with db.write() as conn:
            conn.exec_driver_sql(PLAIN_TABLE)
            conn.exec_driver_sql(
                "INSERT INTO plain_cards SELECT :code, :program, :currency, :state, :bal, "
                ":acked, :bal, :exp, :cseq", rows)  # type: ignore[arg-type]
        # The one-time step of an upgraded replica: the same cards, plain, hashed at start.
        with db.write() as conn:
            conn.exec_driver_sql("DELETE FROM cards")
            conn.exec_driver_sql("INSERT INTO cards SELECT * FROM plain_cards")
            TerminalDB.set_meta(conn, "secrets_pending", 1)
        start = time.perf_counter()
        db.seal_at_rest()
        upgrade_s = time.perf_counter() - start

        random.seed(13)
        hits = random.choices(codes, k=args.lookups)
        misses = [generate_code(PATTERN) for _ in range(args.lookups)]
        def plain_lookup(conn, code: str):  # type: ignore[no-untyped-def]
            # Built as get_card builds its statement, so the two differ only in the hashing.
            return conn.execute(text("SELECT program, currency, state, balance_minor, "
                                     "acked_seq, balance, expires_at FROM plain_cards "
                                     "WHERE code = :c"), {"c": code}).first()

        keys = db.data_keys()
        with db.read() as conn:
            assert TerminalDB.get_card(conn, hits[0]) is not None
            for _ in range(2):  # warm the page cache and the statement caches, then measure
                hashed, plain, missed, hmac_only = [], [], [], []
                for hit, miss in zip(hits, misses, strict=True):  # interleaved: same load
                    hashed += timed_us(lambda c: TerminalDB.get_card(conn, c), [hit])
                    plain += timed_us(lambda c: plain_lookup(conn, c), [hit])
                    missed += timed_us(lambda c: TerminalDB.get_card(conn, c), [miss])
                    hmac_only += timed_us(keys.card_id, [hit])
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT program FROM cards WHERE code = wp_card_key('x')"
            ).all()
        db.close()
    report = {
        "machine": describe(), "cards": len(codes), "lookups": args.lookups,
        "load_cards_s": round(load_s, 2),
        "load_cards_plain_reference_s": round(plain_load_s, 2),
        "upgrade_hash_s": round(upgrade_s, 2),
        "plan": [str(r[-1]) for r in plan],
    }
    for name, samples in (("hashed_get_card", hashed), ("plain_reference", plain),
                          ("hashed_miss", missed), ("hmac_only", hmac_only)):
        report[name] = {"p50_us": round(percentile(samples, 50), 1),
                        "p99_us": round(percentile(samples, 99), 1)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
