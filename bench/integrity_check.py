"""What checking terminal.db costs: `PRAGMA quick_check` (the check at every open, up to
integrity.QUICK_CHECK_MAX_BYTES), the full `PRAGMA integrity_check` and the balance recount of
`verify`, and the one-card recount before an offline spend, on replicas of N cards; beside a
plain read of the same file (the floor any whole-file check pays), measured in the same run.

The files are built the way a bootstrap leaves them (the terminal's own migrations, cards
upserted in pages) plus a journal of signed redeems spread over the cards; the page cache is
warm (the file was just written), as it is on a till that opens its database all day long.

    python -m bench.integrity_check [--cards 10000,100000,1000000] [--journal 5000]
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.machine import describe
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from core.keys import new_private_key
from pos_app.terminal import balance, integrity
from pos_app.terminal.database import DB_NAME, TerminalDB

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3  # best of three: the machine is shared, the minimum is the cost itself


def build(home: Path, cards: int, journal: int) -> list[str]:
    TerminalDB.open(home).close()
    codes = [f"GC-{i:08d}-{secrets.token_hex(2).upper()}" for i in range(cards)]
    raw = sqlite3.connect(home / DB_NAME, isolation_level=None)
    raw.execute("BEGIN")
    raw.executemany(
        "INSERT INTO cards (code, program, currency, state, balance_minor, acked_seq, balance, "
        "expires_at, change_seq) VALUES (?, 'store-credit', 'EUR', 'active', 5000, 0, 5000, "
        "NULL, ?)", ((code, n) for n, code in enumerate(codes, start=1)))
    key, prev = new_private_key(), GENESIS_HASH
    for seq in range(1, journal + 1):
        code = codes[(seq * 7919) % cards]
        body = EntryBody(terminal="T-bench", seq=seq, prev_hash=prev, wall_ms=seq, mono=seq,
                         op="redeem", amount=100, currency="EUR", card=code,
                         program="store-credit", program_version=1,
                         extra={"request_id": secrets.token_urlsafe(12)})
        entry = sign_entry(body, key)
        raw.execute("INSERT INTO journal (seq, hash, data, sig, op, card, program, amount, "
                    "currency, offline, wall_ms, request_id, grant_id) VALUES (?, ?, ?, ?, "
                    "'redeem', ?, 'store-credit', 100, 'EUR', 0, ?, NULL, NULL)",
                    (seq, entry.hash, entry.data, entry.signature, code, seq))
        raw.execute("UPDATE cards SET balance = balance - 100 WHERE code = ?", (code,))
        prev = entry.hash
    raw.execute("COMMIT")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return codes


def best_ms(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def read_file(path: Path) -> None:
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass


def measure(cards: int, journal: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        home = Path(tmp) / "terminal"
        codes = build(home, cards, journal)
        path = home / DB_NAME
        raw = sqlite3.connect(path)
        out = {"mb": path.stat().st_size / 1e6,
               "read": best_ms(lambda: read_file(path)),
               "quick": best_ms(lambda: raw.execute("PRAGMA quick_check").fetchall()),
               "full": best_ms(lambda: raw.execute("PRAGMA integrity_check").fetchall())}
        raw.close()
        out["open"] = best_ms(lambda: TerminalDB.open(home).close())
        db = TerminalDB.open(home)

        def recount() -> None:
            with db.read() as conn:
                assert balance.all_mismatches(conn) == []

        def one_card() -> None:
            with db.read() as conn:
                assert balance.mismatch(conn, codes[7919 % cards]) is None

        out["recount"] = best_ms(recount)
        out["card"] = best_ms(one_card)
        db.close()
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", default="10000,100000,1000000")
    parser.add_argument("--journal", type=int, default=5000)
    args = parser.parse_args()
    print(describe())
    print(f"quick check at open up to {integrity.QUICK_CHECK_MAX_BYTES / 2**20:.0f} MiB; "
          f"journal of {args.journal:,} signed redeems; best of {REPEAT}")
    print("| cards | file MB | read file ms | quick_check ms | integrity_check ms | "
          "open ms | verify recount ms | one-card recount ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in (int(x) for x in args.cards.split(",")):
        r = measure(n, args.journal)
        print(f"| {n:,} | {r['mb']:.1f} | {r['read']:.1f} | {r['quick']:.1f} | {r['full']:.1f} "
              f"| {r['open']:.1f} | {r['recount']:.1f} | {r['card']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
