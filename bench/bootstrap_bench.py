"""Replica bootstrap and delta: a new terminal enrolls against a central that holds N gift cards
and pulls the whole snapshot through the real signed change feed (budget: 1,000,000 cards in
60 s); then 1,000 cards change at central (head office top-ups) and the terminal pulls the
delta (budget: 1 s).

Central runs as its own process (`walletpos central serve`), as in a store. Its cards are
bulk-inserted (valid codes of the demo pattern, one lot each, the change
counter moved past them) because issuing a million cards one credential at a time measures
something else.

    python -m bench.bootstrap_bench [--cards 1000000] [--db URL]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import insert, update

from bench.machine import describe
from core.codes import ALPHABET, check_char
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.db import Database
from wallet_sync.central.embedded import free_port
from wallet_sync.central.setup import init_central
from wallet_sync.central.tables import COUNTER_CHANGES, Card, CardLot, Counter, table_of

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 20_000


def code_for(i: int, rng: random.Random) -> str:
    data = "".join(rng.choice(ALPHABET) for _ in range(11))
    data = data[:3] + "".join(ALPHABET[(i >> (5 * k)) & 31] for k in range(5)) + data[8:]
    full = data + check_char(data)
    return f"SC-{full[0:4]}-{full[4:8]}-{full[8:12]}"


def fill(db_url: str, count: int) -> list[str]:
    """COUNT active store-credit cards of 50.00 EUR straight into central's tables."""
    rng = random.Random(7)
    db = Database(db_url)
    codes: list[str] = []
    try:
        with db.write() as session:
            start = int(session.get(Counter, COUNTER_CHANGES).value)
        for first in range(0, count, CHUNK):
            chunk = [code_for(i, rng) for i in range(first, min(count, first + CHUNK))]
            codes += chunk
            with db.write() as session:
                conn = session.connection()
                conn.execute(insert(table_of(Card)), [
                    {"code": c, "program": "store-credit", "currency": "EUR", "state": "active",
                     "balance_minor": 5000, "expires_at": None, "issued_at": 1_700_000_000,
                     "qr": None, "change_seq": start + first + n + 1, "reserve": 5000}
                    for n, c in enumerate(chunk)])
                conn.execute(insert(table_of(CardLot)), [
                    {"card": c, "lot_id": "L0", "amount": 5000, "remaining": 5000,
                     "expires_at": None} for c in chunk])
        with db.write() as session:
            session.execute(update(Counter).where(Counter.name == COUNTER_CHANGES)
                            .values(value=start + count))
    finally:
        db.dispose()
    return codes


@contextmanager
def central_process(db_url: str) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(Path(sys.executable).with_name("walletpos")), "central",
                             "serve", "--db", db_url, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("central did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--delta", type=int, default=1000)
    parser.add_argument("--db", default=None, help="central database URL (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        db_url = args.db or f"sqlite:///{Path(tmp) / 'central.db'}"
        admin_key = init_central(db_url)["admin_key"]
        with central_process(db_url) as url, AdminClient(url, admin_key) as admin:
            admin.load_programs((ROOT / "resources/demo/programs.yaml").read_text(), "yaml")
            started = time.perf_counter()
            codes = fill(db_url, args.cards)
            print(f"central filled with {args.cards:,} cards in "
                  f"{time.perf_counter() - started:.1f} s")
            enroll = admin.enroll_code("bench")["code"]
            with TerminalService(Path(tmp) / "terminal", sync_timeout=60.0) as terminal:
                started = time.perf_counter()
                out = terminal.enroll(url, enroll)
                bootstrap = time.perf_counter() - started
                assert out["sync"].get("pulled", 0) >= args.cards, out
                changed = random.Random(3).sample(codes, args.delta)
                for code in changed:
                    admin.load_card(code, "1.00")
                started = time.perf_counter()
                delta = terminal.sync()
                seconds = time.perf_counter() - started
                assert delta["pulled"] >= args.delta, delta
                assert terminal.balance(changed[0])["balance"] == "51.00"
        print(describe())
        print(f"| bootstrap: enroll + pull {args.cards:,} cards | {bootstrap:.1f} s | "
              f"{args.cards / bootstrap:,.0f} cards/s |")
        print(f"| delta: sync pulling {args.delta:,} changed cards | {seconds:.2f} s | |")


if __name__ == "__main__":
    main()
