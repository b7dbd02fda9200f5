"""Central ingest, end to end: signed entries pushed over real HTTP by several terminals to a
`walletpos central serve` process, on SQLite or PostgreSQL. Entries are signed before the clock
starts (a terminal signs at commit time, not at push time); the clock covers encoding, HTTP,
signature and chain checks, ledger application and the database commit.

    python -m bench.ingest_bench [--db URL | --pg SERVER_URL] [--terminals 4] [--entries 5000]
                                 [--batch 500] [--workers 1] [--shared-cards]

Each till spends its own cards by default, as the tills of different stores do; with
`--shared-cards` all of them spend the same cards, whose rows their batches then wait on.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.load_bench import drop_database, fresh_database
from bench.machine import describe
from core.journal import GENESIS_HASH, EntryBody, SignedEntry, sign_entry
from core.keys import new_private_key, public_bytes, public_from_bytes, unb64
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import free_port
from wallet_sync.client import CentralClient

ROOT = Path(__file__).resolve().parents[1]
WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def run_json(*args: str) -> dict:
    out = subprocess.run([WALLETPOS, *args, "--json"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def signed_entries(terminal: str, key, cards: list[str], count: int) -> list[SignedEntry]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        body = EntryBody(terminal=terminal, seq=seq, prev_hash=prev,
                         wall_ms=int(time.time() * 1000),
                         mono=seq, op="redeem", amount=1, currency="EUR",
                         card=cards[seq % len(cards)], program="store-credit", program_version=1,
                         offline=True, extra={"request_id": secrets.token_urlsafe(12)})
        entry = sign_entry(body, key)
        entries.append(entry)
        prev = entry.hash
    return entries


def verify_rate(entries: list[SignedEntry], public_key) -> float:
    """Ed25519 verifications a second on one core (this process), over the same entries."""
    started = time.perf_counter()
    for entry in entries:
        assert entry.verify(public_key)
    return len(entries) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None, help="central database URL (default: SQLite file)")
    parser.add_argument("--pg", default=None,
                        help="a PostgreSQL server URL: the bench makes a fresh database there "
                             "and drops it afterwards")
    parser.add_argument("--terminals", type=int, default=4)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--shared-cards", action="store_true",
                        help="every till spends the same cards (their batches then queue on "
                        "the same card rows); default: each till its own store's customers")
    args = parser.parse_args()
    fresh = fresh_database(args.pg) if args.pg else None
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh or args.db or f"sqlite:///{tmp}/central.db"
        admin_key = run_json("central", "init", "--db", db)["admin_key"]
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([WALLETPOS, "central", "serve", "--db", db, "--port", str(port),
                                   "--workers", str(args.workers)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    httpx.get(url + "/v1/health", timeout=0.5)
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            with AdminClient(url, admin_key) as admin:
                admin.load_programs((ROOT / "resources/demo/programs.yaml").read_text(), "yaml")
                # An honest till's offline spends: one per card per outage (the floor
                # policy's once_per_card), so every entry has its own card.
                wanted = args.entries * (1 if args.shared_cards else args.terminals)
                cards: list[str] = []
                while len(cards) < wanted:
                    cards += [c["code"] for c in admin.issue_cards(
                        "store-credit", min(1000, wanted - len(cards)), value="10000.00",
                        activate=True)["cards"]]
                terminals = []
                for _ in range(args.terminals):
                    key = new_private_key()
                    code = admin.enroll_code("bench")["code"]
                    with CentralClient(url) as anon:
                        enrolled = anon.enroll(code, public_bytes(key))
                    central_key = public_from_bytes(unb64(enrolled.central_public_key))
                    # Online once before the outage (a sync's first page): central notes
                    # the floor mark that the offline spends' max_offline_hours count from.
                    with CentralClient(url, terminal_id=enrolled.terminal_id, private_key=key,
                                       central_key=central_key) as till:
                        till.pull(0, 1, head=0)
                    terminals.append((enrolled.terminal_id, key, central_key))
            def till_cards(i: int) -> list[str]:
                return cards if args.shared_cards else \
                    cards[i * args.entries:(i + 1) * args.entries]

            work = [(tid, key, ck, signed_entries(tid, key, till_cards(i), args.entries))
                    for i, (tid, key, ck) in enumerate(terminals)]
            errors: list[BaseException] = []
            cases: list[str | None] = []  # an honest till's entries never open one

            def push_all(tid, key, central_key, entries) -> None:
                try:
                    with CentralClient(url, terminal_id=tid, private_key=key,
                                       central_key=central_key, timeout=60) as client:
                        for i in range(0, len(entries), args.batch):
                            resp = client.push(entries[i:i + args.batch])
                            cases.extend(r.reason for r in resp.results
                                         if r.status != "applied")
                            assert resp.acked == entries[min(i + args.batch, len(entries)) - 1].seq
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=push_all, args=w) for w in work]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - started
            if errors:
                raise errors[0]
            assert not cases, f"{len(cases)} entries became cases, e.g. {cases[0]}"
            total = args.terminals * args.entries
            with AdminClient(url, admin_key) as admin:
                row = next(p for p in admin.liability()["programs"]
                           if p["program"] == "store-credit")
                spent = int(row["redeemed"].replace(".", ""))  # 1 minor unit an entry
            assert spent == total, f"central applied {spent} of {total} entries"
        finally:
            server.terminate()
            server.wait(timeout=20)
            if fresh:
                drop_database(fresh)
    kind = "PostgreSQL" if db.startswith("postgresql") else "SQLite"
    tid, key, _ck, entries = work[0]
    verify = verify_rate(entries, key.public_key())
    rate = total / elapsed
    shape = "same cards" if args.shared_cards else "own cards"
    print(f"| {kind} | {args.workers} | {args.terminals} x {args.entries} ({shape}) | "
          f"{args.batch} | "
          f"{rate:,.0f} entries/s | {verify:,.0f} verifies/s (one core) | "
          f"{rate / verify:.2f}x | {describe()} |")


if __name__ == "__main__":
    main()
