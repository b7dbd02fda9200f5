"""Central under many terminals at once: N simulated tills against a `walletpos central serve`
process on PostgreSQL, with 1 and 2 API processes.

Every till does what a real one does while online: a sync every `--interval` seconds (a signed
first page of the change feed with its journal head, then a push of the entries it made since),
and online authorizations of gift-card spends, `--auth-per-till` a second each on average
(Poisson arrivals across all tills), each followed by its signed journal entry, pushed at the
till's next sync. Tills start already bootstrapped (their cursor at the feed's end), as they
are in a running chain. Tills are grouped `--tills-per-store` to a store, and each store's
tills take its own customers' cards (`--cards` spread over the stores), so a pull's escrow
grants (gift-eur is an escrow program) cover that store's recent cards. Every request is
signed (RFC 9421, Ed25519) as a till signs it.

For each API-process count, the tills are stepped up (`--steps`); each step runs `--seconds`
after a warm-up of one sync interval, and reports online-authorization p50/p99, pull p99,
push p99, requests done and errors. The largest step whose authorization p99 stays under
100 ms with 0 errors is the figure. Beside it, in the same run: a bare authorization on an
idle central (the reference).

    python -m bench.load_bench [--pg URL] [--steps 250,500,1000,2000] [--workers 1,2]
                               [--seconds 30] [--interval 15] [--auth-per-till 0.1]
                               [--out bench/results/load.md]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, make_url, text

from bench.machine import describe, percentile
from core.journal import GENESIS_HASH, EntryBody, SignedEntry, sign_entry
from core.keys import b64, new_private_key, public_bytes
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import free_port
from wallet_sync.httpsig import SignableMessage, sign_request
from wallet_sync.protocol import HEAD_HEADER, head_header

ROOT = Path(__file__).resolve().parents[1]
WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
PROGRAM = "gift-eur"
PROGRAMS = Path("/work/shared/examples/programs.yaml")
TARGET_P99_MS = 100.0
LOG = Path(os.environ.get("WALLETPOS_LOAD_LOG", "/tmp/walletpos-load-central.log"))


@dataclass
class Till:
    id: str
    key: object
    store: int
    cursor: int = 0
    seq: int = 0
    prev: bytes = GENESIS_HASH
    pending: list[SignedEntry] = field(default_factory=list)

    def headers(self, method: str, url: str, body: bytes) -> httpx.Headers:
        headers = httpx.Headers({"content-type": "application/json"} if body else {})
        headers[HEAD_HEADER] = head_header(self.seq, self.prev)
        message = SignableMessage(method, url, headers, body)
        sign_request(message, self.id, self.key)  # type: ignore[arg-type]
        return httpx.Headers(message.headers)

    def redeem(self, card: str, amount: int, auth: str) -> None:
        self.seq += 1
        body = EntryBody(terminal=self.id, seq=self.seq, prev_hash=self.prev,
                         wall_ms=int(time.time() * 1000), mono=self.seq, op="redeem",
                         amount=amount, currency="EUR", card=card, program=PROGRAM,
                         program_version=1, auth=auth, offline=False,
                         extra={"request_id": secrets.token_hex(8)})
        entry = sign_entry(body, self.key)  # type: ignore[arg-type]
        self.prev = entry.hash
        self.pending.append(entry)


@dataclass
class Step:
    auth_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    push_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    measuring: bool = False

    def record(self, kind: str, ms: float) -> None:
        if self.measuring:
            getattr(self, kind).append(ms)

    def error(self, what: str) -> None:
        if self.measuring:
            self.errors[what] = self.errors.get(what, 0) + 1


def run_json(*args: str) -> dict:
    out = subprocess.run([WALLETPOS, *args, "--json"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class Bench:
    def __init__(self, url: str, admin_key: str, cards: list[str], tills_per_store: int,
                 stores: int) -> None:
        self.url = url
        self.admin = {"Authorization": f"Bearer {admin_key}"}
        self.per_store = tills_per_store
        # A store's customers: the cards its tills take (and central grants on at its pulls).
        self.cards = [cards[i::stores] for i in range(stores)]

    async def enroll(self, http: httpx.AsyncClient, count: int) -> list[Till]:
        sem = asyncio.Semaphore(16)

        async def one(i: int) -> Till:
            store = i // self.per_store
            async with sem:
                made = await http.post(self.url + "/v1/admin/enroll-codes", headers=self.admin,
                                       json={"store": f"S{store}"})
                made.raise_for_status()
                code = made.json()["code"]
                key = new_private_key()
                resp = await http.post(self.url + "/v1/enroll", json={
                    "code": code, "public_key": b64(public_bytes(key))})
                resp.raise_for_status()
                return Till(resp.json()["terminal_id"], key, store)

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    async def authorize(self, http: httpx.AsyncClient, till: Till, step: Step) -> None:
        card = random.choice(self.cards[till.store])
        url = self.url + "/v1/authorize"
        body = json.dumps({"request_id": secrets.token_hex(8), "card": card, "amount": "0.01",
                           "currency": "EUR"}).encode()
        started = time.perf_counter()
        try:
            resp = await http.post(url, content=body, headers=till.headers("POST", url, body))
        except httpx.HTTPError as exc:
            step.error(f"authorize {type(exc).__name__}")
            return
        step.record("auth_ms", (time.perf_counter() - started) * 1000)
        answer = resp.json() if resp.status_code == 200 else {}
        if answer.get("status") != "approved":
            step.error(f"authorize {resp.status_code} {answer.get('reason') or resp.text[:60]}")
            return
        till.redeem(card, 1, answer["auth_id"])

    async def sync(self, http: httpx.AsyncClient, till: Till, step: Step) -> None:
        url = self.url + "/v1/changes?" + urlencode({"cursor": till.cursor, "limit": 1000,
                                                    "head": till.seq})
        started = time.perf_counter()
        try:
            resp = await http.get(url, headers=till.headers("GET", url, b""))
        except httpx.HTTPError as exc:
            step.error(f"pull {type(exc).__name__}")
            return
        step.record("pull_ms", (time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            step.error(f"pull {resp.status_code} {resp.text[:60]}")
            return
        till.cursor = resp.json()["page"]["cursor"]
        if not till.pending:
            return
        batch, till.pending = till.pending, []
        url = self.url + "/v1/journal"
        body = json.dumps({"terminal": till.id, "entries": [
            {"data": b64(e.data), "sig": b64(e.signature)} for e in batch]}).encode()
        started = time.perf_counter()
        try:
            resp = await http.post(url, content=body, headers=till.headers("POST", url, body))
        except httpx.HTTPError as exc:
            step.error(f"push {type(exc).__name__}")
            till.pending = batch + till.pending
            return
        except asyncio.CancelledError:
            # The step ended with this push in flight: push it again at the next step
            # (central answers entries it already has as duplicates), or that step would
            # start with a gap.
            till.pending = batch + till.pending
            raise
        step.record("push_ms", (time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            step.error(f"push {resp.status_code} {resp.text[:60]}")
            till.pending = batch + till.pending

    async def till_loop(self, http: httpx.AsyncClient, till: Till, step: Step,
                        interval: float, stop: asyncio.Event) -> None:
        await asyncio.sleep(random.uniform(0, interval))  # tills are not in step
        while not stop.is_set():
            started = time.monotonic()
            await self.sync(http, till, step)
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    async def auth_loop(self, http: httpx.AsyncClient, tills: list[Till], rate: float,
                        step: Step, stop: asyncio.Event) -> None:
        tasks: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            await asyncio.sleep(random.expovariate(rate))
            task = asyncio.create_task(self.authorize(http, random.choice(tills), step))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)

    async def step(self, tills: list[Till], rate: float, interval: float, seconds: float
                   ) -> tuple[Step, float]:
        step, stop = Step(), asyncio.Event()
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:
            loops = [asyncio.create_task(self.till_loop(http, t, step, interval, stop))
                     for t in tills]
            loops.append(asyncio.create_task(self.auth_loop(http, tills, rate, step, stop)))
            await asyncio.sleep(interval)  # warm-up: every till has synced once
            step.measuring = True
            started = time.perf_counter()
            await asyncio.sleep(seconds)
            step.measuring = False
            elapsed = time.perf_counter() - started
            stop.set()
            for task in loops:
                task.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
        return step, elapsed

    async def reference(self, till: Till, count: int = 200) -> list[float]:
        """Authorizations one after another on an otherwise idle central."""
        step = Step(measuring=True)
        async with httpx.AsyncClient(timeout=30) as http:
            for _ in range(count):
                await self.authorize(http, till, step)
            await self.sync(http, till, Step())
        return step.auth_ms


def fresh_database(server_url: str) -> str:
    name = f"walletpos_load_{secrets.token_hex(4)}"
    admin = create_engine(make_url(server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(db_url: str) -> None:
    url = make_url(db_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def feed_end(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM counters WHERE name = 'changes'")).scalar()
    engine.dispose()
    return int(value or 0)


def start_central(db_url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([WALLETPOS, "central", "serve", "--db", db_url, "--port",
                               str(port), "--workers", str(workers)],
                              stdout=LOG.open("ab"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            if httpx.get(url + "/v1/health", timeout=0.5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("central did not start")


def stop_central(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def row(workers: int, tills: int, rate: float, step: Step, elapsed: float) -> dict:
    done = len(step.auth_ms) + len(step.pull_ms) + len(step.push_ms)
    return {
        "workers": workers, "tills": tills, "auth_rate": rate,
        "auth_per_s": round(len(step.auth_ms) / elapsed, 1),
        "auth_p50_ms": round(percentile(step.auth_ms, 50), 1) if step.auth_ms else None,
        "auth_p99_ms": round(percentile(step.auth_ms, 99), 1) if step.auth_ms else None,
        "pull_p99_ms": round(percentile(step.pull_ms, 99), 1) if step.pull_ms else None,
        "push_p99_ms": round(percentile(step.push_ms, 99), 1) if step.push_ms else None,
        "requests_per_s": round(done / elapsed, 1),
        "errors": sum(step.errors.values()), "error_kinds": step.errors,
    }


async def main_async(args: argparse.Namespace) -> list[dict]:
    steps = [int(s) for s in args.steps.split(",")]
    db_url = fresh_database(args.pg)
    results: list[dict] = []
    try:
        admin_key = run_json("central", "init", "--db", db_url)["admin_key"]
        server, url = start_central(db_url, 1)
        try:
            with AdminClient(url, admin_key, timeout=120) as admin:
                admin.load_programs(PROGRAMS.read_text(), "yaml", "programs.yaml")
                cards: list[str] = []
                while len(cards) < args.cards:
                    cards += [c["code"] for c in admin.issue_cards(
                        PROGRAM, min(1000, args.cards - len(cards)), "1000.00", True)["cards"]]
            async with httpx.AsyncClient(timeout=60) as http:
                count = max(steps) + 1
                stores = -(-count // args.tills_per_store)
                bench = Bench(url, admin_key, cards, args.tills_per_store, stores)
                tills = await bench.enroll(http, count)
        finally:
            stop_central(server)
        end = feed_end(db_url)
        for till in tills:
            till.cursor = end
        for workers in [int(w) for w in args.workers.split(",")]:
            server, url = start_central(db_url, workers)
            bench.url = url
            try:
                ref = await bench.reference(tills[-1])
                print(f"workers={workers} idle authorization p50 "
                      f"{percentile(ref, 50):.1f} ms p99 {percentile(ref, 99):.1f} ms",
                      flush=True)
                results.append({"workers": workers, "tills": 0, "reference": True,
                                "auth_p50_ms": round(percentile(ref, 50), 1),
                                "auth_p99_ms": round(percentile(ref, 99), 1)})
                for n in steps:
                    rate = n * args.auth_per_till
                    step, elapsed = await bench.step(tills[:n], rate, args.interval,
                                                     args.seconds)
                    results.append(row(workers, n, rate, step, elapsed))
                    print(json.dumps(results[-1]), flush=True)
            finally:
                stop_central(server)
    finally:
        drop_database(db_url)
    return results


def report(results: list[dict]) -> str:
    lines = [f"Machine: {describe()}", "",
             "| API processes | tills | authorizations/s (asked / done) | auth p50 | auth p99 "
             "| pull p99 | push p99 | requests/s | errors |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    best: dict[int, int] = {}
    for r in results:
        if r.get("reference"):
            lines.append(f"| {r['workers']} | idle (reference) | one at a time | "
                         f"{r['auth_p50_ms']} ms | {r['auth_p99_ms']} ms | | | | |")
            continue
        lines.append(f"| {r['workers']} | {r['tills']:,} | {r['auth_rate']:.0f} / "
                     f"{r['auth_per_s']:.0f} | {r['auth_p50_ms']} ms | {r['auth_p99_ms']} ms | "
                     f"{r['pull_p99_ms']} ms | {r['push_p99_ms']} ms | {r['requests_per_s']:.0f} "
                     f"| {r['errors']} |")
        if r["errors"] == 0 and r["auth_p99_ms"] is not None \
                and r["auth_p99_ms"] < TARGET_P99_MS:
            best[r["workers"]] = max(best.get(r["workers"], 0), r["tills"])
    lines.append("")
    for workers in sorted({r["workers"] for r in results}):
        lines.append(f"- {workers} API process(es): largest step with authorization p99 under "
                     f"{TARGET_P99_MS:.0f} ms and 0 errors: "
                     f"{best[workers]:,} tills" if workers in best else
                     f"- {workers} API process(es): no step stayed under "
                     f"{TARGET_P99_MS:.0f} ms p99 with 0 errors")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get(
        "WALLETPOS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--steps", default="250,500,1000,2000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=15.0)
    parser.add_argument("--auth-per-till", type=float, default=0.1)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--tills-per-store", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    text_out = report(results)
    print(text_out)
    if args.out:
        args.out.write_text("# Central under load (bench/load_bench.py)\n\n" + text_out)


if __name__ == "__main__":
    main()
