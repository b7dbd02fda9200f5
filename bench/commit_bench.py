"""Terminal commit latency: the money path's one SQLite transaction (BEGIN IMMEDIATE, re-check
the card, sign, append to the journal, refresh the balance view, fsync on commit), measured
beside a bare fsync'd SQLite insert on the same disk, and the whole online redemption
(authorize at central + commit + best-effort push) over loopback HTTP.

    python -m bench.commit_bench [--n 2000]
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.machine import describe, percentile
from pos_app.terminal import replica
from pos_app.terminal.authorization import Authorization, Spend
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.setup import init_central

ROOT = Path(__file__).resolve().parents[1]


def bare_sqlite(path: Path, n: int) -> list[float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    samples = []
    for seq in range(1, n + 1):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?)", (seq, secrets.token_bytes(300)))
        db.execute("COMMIT")
        samples.append((time.perf_counter() - started) * 1000)
    db.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        root = Path(tmp)
        bare = bare_sqlite(root / "bare.db", args.n)
        db_url = f"sqlite:///{root / 'central.db'}"
        admin_key = init_central(db_url)["admin_key"]
        with EmbeddedCentral(db_url) as central:
            with AdminClient(central.url, admin_key) as admin:
                admin.load_programs((ROOT / "resources/demo/programs.yaml").read_text(), "yaml")
                cards = [c["code"] for c in admin.issue_cards(
                    "store-credit", 50, value="100000.00", activate=True)["cards"]]
                code = admin.enroll_code("bench")["code"]
            with TerminalService(root / "terminal") as terminal:
                terminal.enroll(central.url, code)
                with terminal.store.read() as conn:
                    program = replica.load_programs(conn)["store-credit"]
                commit = []
                for i in range(args.n):
                    started = time.perf_counter()
                    # The commit step alone, as after an online approval (no HTTP).
                    terminal.redeemer.commit(Spend(cards[i % len(cards)], 1, "EUR", program),
                                             Authorization("online", asked=time.monotonic()),
                                             None, secrets.token_urlsafe(12))
                    commit.append((time.perf_counter() - started) * 1000)
                terminal.sync()
                online = []
                for i in range(min(args.n, 500)):
                    started = time.perf_counter()
                    result = terminal.redeem(cards[i % len(cards)], "0.01")
                    online.append((time.perf_counter() - started) * 1000)
                    assert result.status == "approved", result
    rows = [("bare SQLite insert (WAL, synchronous=FULL)", bare),
            ("terminal commit (check, sign, journal, balance view, fsync)", commit),
            ("online redemption (authorize + commit + push, loopback)", online)]
    print(f"Machine: {describe()}; {args.n} operations each (online: {len(online)}).\n")
    print("| operation | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- |")
    for name, samples in rows:
        print(f"| {name} | {percentile(samples, 50):.2f} | {percentile(samples, 99):.2f} | "
              f"{max(samples):.2f} |")


if __name__ == "__main__":
    main()
