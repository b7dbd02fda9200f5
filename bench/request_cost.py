"""What one terminal request costs central, request by request: the three kinds the load bench
makes (a sync's signed first page of the change feed, an online authorization, a push of one
entry), each run one after another against an in-process central on PostgreSQL, with the SQL
statements each one sends counted (a SQLAlchemy `before_cursor_execute` listener on central's
engines, and the transactions begun) and the client's signing cost beside it. Wall time on a
shared machine moves with its neighbours; `*_cpu_ms` (this process's CPU per request: the
server's threads, the test client's share is small) moves much less.

    python -m bench.request_cost [--pg URL] [--rounds 200] [--profile /tmp/central.prof]

`--profile` writes a cProfile of the server side of all rounds (read it with `pstats`).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import secrets
import statistics
import time
import warnings
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import event

from bench.load_bench import (
    PROGRAM,
    PROGRAMS,
    Bench,
    Till,
    drop_database,
    feed_end,
    fresh_database,
    run_json,
    start_central,
    stop_central,
)
from bench.machine import describe, percentile
from core.keys import b64
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


class Statements:
    """Counts the SQL statements sent on the engines it listens to, by their first words."""

    def __init__(self) -> None:
        self.count = 0
        self.kinds: Counter[str] = Counter()

    def listen(self, engine: Any) -> None:
        event.listen(engine, "before_cursor_execute", self._seen)
        event.listen(engine, "begin", self._begun)

    def _begun(self, _conn: Any) -> None:
        self.kinds["(transaction)"] += 1

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.count += 1
        self.kinds[" ".join(statement.split()[:3])[:60]] += 1


def setup(pg: str, cards: int, tills: int) -> tuple[str, list[Till], Bench]:
    db_url = fresh_database(pg)
    admin_key = run_json("central", "init", "--db", db_url)["admin_key"]
    server, url = start_central(db_url, 1)
    try:
        with AdminClient(url, admin_key, timeout=120) as admin:
            admin.load_programs(PROGRAMS.read_text(), "yaml", "programs.yaml")
            codes = [c["code"] for c in admin.issue_cards(PROGRAM, cards, "1000.00",
                                                         True)["cards"]]
        import asyncio

        async def enroll() -> tuple[Bench, list[Till]]:
            async with httpx.AsyncClient(timeout=60) as http:
                bench = Bench(url, admin_key, codes, 5, -(-tills // 5))
                return bench, await bench.enroll(http, tills)

        bench, enrolled = asyncio.run(enroll())
    finally:
        stop_central(server)
    end = feed_end(db_url)
    for till in enrolled:
        till.cursor = end
    return db_url, enrolled, bench


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_url, tills, bench = setup(args.pg, args.cards, args.tills)
    try:
        app = create_app(db_url)
        central = app.state.central
        counted = Statements()
        # One listener per pool: an engine copy with other options (Database.lookup_engine)
        # fires its parent's listeners too.
        for engine in {e.pool: e for e in (central.db.engine, central.db._reader)}.values():
            counted.listen(engine)
        base = "http://testserver"
        timings: dict[str, list[float]] = {"pull": [], "authorize": [], "push": [],
                                           "sign": []}
        cpu: dict[str, list[float]] = {"pull": [], "authorize": [], "push": []}
        statements: dict[str, list[int]] = {"pull": [], "authorize": [], "push": []}
        kinds: dict[str, Counter[str]] = {k: Counter() for k in statements}
        profiler = cProfile.Profile() if args.profile else None

        def call(kind: str, client: TestClient, till: Till, method: str, url: str,
                 body: bytes) -> httpx.Response:
            started = time.perf_counter()
            headers = till.headers(method, url, body)
            timings["sign"].append((time.perf_counter() - started) * 1000)
            before, seen = counted.count, Counter(counted.kinds)
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            resp = client.request(method, url, content=body or None, headers=headers)
            if profiler:
                profiler.disable()
            timings[kind].append((time.perf_counter() - started) * 1000)
            cpu[kind].append((time.process_time() - cpu_started) * 1000)
            statements[kind].append(counted.count - before)
            kinds[kind].update(counted.kinds - seen)
            if resp.status_code != 200:
                raise RuntimeError(f"{kind}: {resp.status_code} {resp.text[:200]}")
            return resp

        with TestClient(app) as client:
            for i in range(args.rounds):
                till = tills[i % len(tills)]
                card = secrets.choice(bench.cards[till.store])
                url = base + "/v1/changes?" + urlencode({"cursor": till.cursor, "limit": 1000,
                                                         "head": till.seq})
                till.cursor = call("pull", client, till, "GET", url, b"").json()["page"][
                    "cursor"]
                body = json.dumps({"request_id": secrets.token_hex(8), "card": card,
                                   "amount": "0.01", "currency": "EUR"}).encode()
                answer = call("authorize", client, till, "POST", base + "/v1/authorize",
                              body).json()
                till.redeem(card, 1, answer["auth_id"])
                batch, till.pending = till.pending, []
                body = json.dumps({"terminal": till.id, "entries": [
                    {"data": b64(e.data), "sig": b64(e.signature)} for e in batch]}).encode()
                call("push", client, till, "POST", base + "/v1/journal", body)
        if profiler:
            profiler.dump_stats(args.profile)
        warm = slice(min(20, args.rounds // 4), None)  # the first rounds fill caches
        out: dict[str, Any] = {"machine": describe(), "rounds": args.rounds}
        for kind, samples in timings.items():
            out[f"{kind}_mean_ms"] = round(statistics.fmean(samples[warm]), 2)
            out[f"{kind}_median_ms"] = round(statistics.median(samples[warm]), 2)
        for kind, samples in cpu.items():
            out[f"{kind}_cpu_ms"] = round(statistics.fmean(samples[warm]), 2)
            # The fastest tenth: what a request costs when the neighbours leave the core be.
            out[f"{kind}_cpu_p10_ms"] = round(percentile(samples[warm], 10), 2)
        for kind, counts in statements.items():
            out[f"{kind}_statements"] = round(statistics.fmean(counts[warm]), 1)
            per = len(counts)
            out[f"{kind}_statement_kinds"] = {k: round(v / per, 2)
                                              for k, v in kinds[kind].most_common()}
        return out
    finally:
        if args.keep:
            print(f"kept {db_url}")
        else:
            drop_database(db_url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get(
        "WALLETPOS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--tills", type=int, default=20)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database (print its URL)")
    args = parser.parse_args()
    print(json.dumps(run(args), indent=1))


if __name__ == "__main__":
    main()
