"""Partition simulation: N real terminal stores (TerminalService on SQLite files, in this
process for speed) and one real central (EmbeddedCentral on loopback, SQLite file, in a process
of its own so that it runs on the other core, not under this process's GIL), with each
terminal's link cut and healed at random by a transport that refuses connections while the
terminal is "partitioned". Random redemptions (online, from a grant, offline), head-office
top-ups and syncs run against one escrow and one floor gift-card program; a simulated clock
(central's business clock, each terminal's wall and boot clocks) moves forward so grants and
holds expire and get extended or released. The simulated time lives in shared memory
(`SimClock`), so central's process reads the very instant the terminals see.

Customers move between the two stores (`move`): a card last used at one store is presented
online at a terminal of the other; when central answers `reserved_elsewhere` (the rest is a
grant at a till of the first store, now recalled) the customer pays what is available at once
and waits for the rest, which that terminal retries on its next steps (`waiting`) until the
holder's sync has released the grant — or it is cut off and the customer gives up.

After every operation `check_central` asserts the escrow invariant on central's database
(balance = reserve + open grants + open holds) and, for escrow cards, a reserve that never goes
negative and no receivable; at the end, that no recalled grant was closed by anything but its
holder's release entry (`recall_report`, which also sums up the recalls: how many, completed,
how long).
At the end everything heals and syncs; `final_report` compares the
terminals' journals with central (same entries, balances = issued + top-ups - redemptions),
checks that every overdraft (floor only) is a receivable with a case and a blocked card, and
that the exposure report adds up to the journals. Used by tests/reliability and bench/.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from core.journal import EntryBody
from pos_app.terminal.service import TerminalService
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral, free_port
from wallet_sync.central.setup import init_central
from wallet_sync.client import CentralError

PROGRAMS = """\
version: 1
programs:
  - id: sim-escrow
    kind: gift_card
    name: {en: "Simulated escrow card"}
    currency: EUR
    code_pattern: "SE-####-####-####"
    offline: {mode: escrow, grant_per_card: "20.00", max_offline_hours: 6}
  - id: sim-floor
    kind: gift_card
    name: {en: "Simulated floor card"}
    currency: EUR
    code_pattern: "SF-####-####-####"
    offline: {mode: floor, floor_per_transaction: "10.00", terminal_total: "40.00",
              max_offline_hours: 6}
"""
FLOOR_TERMINAL_TOTAL = 4000
START = 1_900_000_000.0  # simulated unix time; far from the real clock on purpose


_MP = multiprocessing.get_context("spawn")


class SimClock:
    """Simulated unix time in shared memory: this process moves it, central's reads it."""

    def __init__(self) -> None:
        self.shared = _MP.RawValue("d", START)

    @property
    def now(self) -> float:
        return float(self.shared.value)

    @now.setter
    def now(self, value: float) -> None:
        self.shared.value = value

    def __call__(self) -> float:
        return self.now

    def wall_ms(self) -> int:
        return int(self.now * 1000)

    def boot(self) -> tuple[str, int]:
        return "sim-boot", int((self.now - START) * 1000)


def _serve_central(url: str, port: int, now: object, stop: object) -> None:
    """Central's process: an EmbeddedCentral on the shared simulated clock until `stop`."""
    central = EmbeddedCentral(url, port=port, clock=lambda: float(now.value))  # type: ignore
    central.start()
    stop.wait()  # type: ignore[attr-defined]
    central.stop()


class CentralProcess:
    """One EmbeddedCentral in a spawned process, on loopback, reading the shared SimClock."""

    def __init__(self, db_url: str, clock: SimClock) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stop_event = _MP.Event()
        self.process = _MP.Process(target=_serve_central, daemon=True,
                                   args=(db_url, self.port, clock.shared, self.stop_event))

    def start(self, timeout: float = 60.0) -> CentralProcess:
        self.process.start()
        deadline = time.monotonic() + timeout
        while True:
            try:
                httpx.get(self.url + "/v1/health", timeout=1.0)
                return self
            except httpx.HTTPError:
                if not self.process.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("central's process did not start") from None
                time.sleep(0.05)

    def store_of(self, t: int) -> str:
        return "S1" if t < (self.terminals + 1) // 2 else "S2"

    def stop(self) -> None:
        self.stop_event.set()
        self.process.join(timeout=15)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class PartitionTransport(httpx.BaseTransport):
    """A real HTTP transport that refuses to connect while `down`. Kept open across clients
    (close is a no-op) so a terminal reuses its loopback connection."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("partitioned", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        pass


@dataclass
class Sim:
    root: Path
    mode: str  # "escrow" | "floor"
    terminals: int = 5
    cards: int = 40
    value: str = "60.00"
    seed: int = 1
    rng: random.Random = field(init=False)
    clock: SimClock = field(default_factory=SimClock)
    stats: Counter[str] = field(default_factory=Counter)
    issued: dict[str, int] = field(default_factory=dict)
    topups: Counter[str] = field(default_factory=Counter)
    # Central in a process of its own (the default) or in a thread of this one, as it was
    # before (`WALLETPOS_SIM_CENTRAL=thread`; bench/ci_cost.py compares the two).
    central_apart: bool = field(
        default_factory=lambda: os.environ.get("WALLETPOS_SIM_CENTRAL", "process") != "thread")
    # Share of a terminal's steps where a customer arrives from the other store (escrow).
    moves: float = 0.1
    last_store: dict[str, str] = field(default_factory=dict)  # card -> store it was last used
    waiting: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # t -> (card, rest,
    # tries left): a customer waiting for the rest of a card reserved at another store's till

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.RLock()
        self.program = f"sim-{self.mode}"
        self.db_path = self.root / "central.db"

    # ---- set-up ---------------------------------------------------------------------------

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{self.db_path}"
        admin_key = init_central(url)["admin_key"]
        self.central: CentralProcess | EmbeddedCentral = (
            CentralProcess(url, self.clock) if self.central_apart
            else EmbeddedCentral(url, clock=self.clock)).start()
        self.admin = AdminClient(self.central.url, admin_key)
        self.admin.load_programs(PROGRAMS, "yaml", "sim.yaml")
        for card in self.admin.issue_cards(self.program, self.cards, self.value, True)["cards"]:
            self.issued[card["code"]] = int(self.value.replace(".", ""))
        self.codes = sorted(self.issued)
        self.links: list[PartitionTransport] = []
        self.terms: list[TerminalService] = []
        for i in range(self.terminals):
            link = PartitionTransport()
            svc = TerminalService(self.root / f"t{i}", transport=link, clock=self.clock.wall_ms,
                                  boot_clock=self.clock.boot, authorize_timeout=5.0,
                                  sync_timeout=10.0, retries=0)
            store = self.store_of(i)
            out = svc.enroll(self.central.url, self.admin.enroll_code(store)["code"])
            assert "error" not in out["sync"], out
            self.links.append(link)
            self.terms.append(svc)
        self.db = sqlite3.connect(self.db_path, check_same_thread=False)

    def store_of(self, t: int) -> str:
        return "S1" if t < (self.terminals + 1) // 2 else "S2"

    def stop(self) -> None:
        for svc in getattr(self, "terms", []):
            svc.close()
        for link in getattr(self, "links", []):
            link.inner.close()
        if hasattr(self, "db"):
            self.db.close()
        if hasattr(self, "admin"):
            self.admin.close()
        if hasattr(self, "central"):
            self.central.stop()

    # ---- operations -----------------------------------------------------------------------

    def count(self, key: str) -> None:
        with self.lock:
            self.stats[key] += 1

    def redeem(self, t: int, rng: random.Random, code: str | None = None,
               cents: int | None = None) -> Any:
        code = code or rng.choice(self.codes)
        cents = cents or rng.choice((100, 250, 500, 800, 1000, 1500, 2000))
        result = self.terms[t].redeem(code, f"{cents // 100}.{cents % 100:02d}")
        if result.status == "approved":
            self.count("approved_offline" if result.offline else "approved_online")
            with self.lock:
                self.last_store[code] = self.store_of(t)
        else:
            self.count(f"declined:{result.reason}")
        self.count("redeems")
        return result

    def move(self, t: int, rng: random.Random) -> None:
        """A customer who last paid at the other store pays here; a `reserved_elsewhere`
        answer: pay what is available now, wait for the rest."""
        here = self.store_of(t)
        with self.lock:
            movers = sorted(c for c, s in self.last_store.items() if s != here)
        if not movers:
            self.redeem(t, rng)
            return
        code = rng.choice(movers)
        cents = rng.choice((1500, 2000, 2500, 3000))
        self.count("moves")
        result = self.redeem(t, rng, code, cents)
        if result.reason != "reserved_elsewhere":
            return
        self.count("moves_reserved_elsewhere")
        now = int(result.available or 0)
        if now > 0 and self.redeem(t, rng, code, now).status == "approved":
            self.count("moves_paid_available_at_once")
            cents -= now
        self.waiting[t] = (code, cents, 20)

    def retry_waiting(self, t: int, rng: random.Random) -> None:
        code, cents, tries = self.waiting.pop(t)
        result = self.redeem(t, rng, code, cents)
        if result.status == "approved":
            self.count("moves_rest_paid_after_recall")
        elif result.reason == "reserved_elsewhere" and tries > 1:
            self.waiting[t] = (code, cents, tries - 1)
        else:
            self.count("moves_gave_up")

    def sync(self, t: int) -> bool:
        self.count("syncs")
        try:
            self.terms[t].sync()
        except CentralError:
            self.count("sync_failed")
            return False
        return True

    def top_up(self, rng: random.Random) -> None:
        code = rng.choice(self.codes)
        self.admin.load_card(code, "10.00")
        with self.lock:
            self.topups[code] += 1000
            self.stats["topups"] += 1

    def step(self, t: int, rng: random.Random) -> None:
        """One random operation of terminal `t` (or head office), then the central checks."""
        with self.lock:
            self.clock.now += rng.uniform(0, 40 / len(self.terms))
        link = self.links[t]
        # Cut with 5%, heal with 2.5% a step of this terminal: each link is down about two
        # thirds of the time, in outages of ~40 of its steps (hours of simulated time).
        if rng.random() < (0.025 if link.down else 0.05):
            link.down = not link.down
            self.count("heals" if not link.down else "partitions")
            if not link.down:
                self.sync(t)  # back online: a terminal syncs first thing
        roll = rng.random()
        if roll < 0.05:
            self.top_up(rng)
        elif roll < 0.15:
            self.sync(t)
        elif t in self.waiting and not link.down:
            self.retry_waiting(t, rng)
        elif self.mode == "escrow" and roll < 0.15 + self.moves:
            self.move(t, rng)
        else:
            self.redeem(t, rng)
        self.check_central()

    def done(self, operations: int) -> bool:
        with self.lock:
            return self.stats["redeems"] + self.stats["syncs"] + self.stats["topups"] \
                >= operations

    def run(self, operations: int) -> None:
        """All terminals at once, one thread each (their stores are separate; central serves
        them concurrently, as it would a real store's counters)."""
        errors: list[BaseException] = []

        def work(t: int) -> None:
            rng = random.Random(self.seed * 1000 + t)
            try:
                while not errors and not self.done(operations):
                    self.step(t, rng)
            except BaseException as exc:  # re-raised in the caller's thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(len(self.terms))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def run_floor_rounds(self, rounds: int, ops_per_round: int) -> list[tuple[int, int]]:
        """Floor: each round cuts some terminals off, spends, heals and settles; returns
        (loss in the round, sum of the partitioned terminals' caps) per round."""
        out = []
        for _ in range(rounds):
            before = self.losses()
            cut = [t for t in range(len(self.terms)) if self.rng.random() < 0.6]
            for t in cut:
                self.links[t].down = True
            for _ in range(ops_per_round):
                self.clock.now += self.rng.uniform(0, 30)
                t = self.rng.randrange(len(self.terms))
                self.redeem(t, self.rng) if self.rng.random() < 0.9 else self.sync(t)
                self.check_central()
            self.settle()
            out.append((self.losses() - before, FLOOR_TERMINAL_TOTAL * len(cut)))
        return out

    def settle(self) -> None:
        for link in self.links:
            link.down = False
        for _ in range(2):  # the second pass carries what the first one's pulls made due
            for t in range(len(self.terms)):
                assert self.sync(t)
        self.check_central()

    # ---- checks ---------------------------------------------------------------------------

    def check_central(self) -> None:
        with self.lock:
            self._check_central()

    def _check_central(self) -> None:
        bad = self.db.execute(
            "SELECT c.code, c.balance_minor, c.reserve, "
            "(SELECT COALESCE(SUM(amount - used), 0) FROM grants g WHERE g.card = c.code "
            " AND g.status = 'open'), "
            "(SELECT COALESCE(SUM(amount), 0) FROM holds h WHERE h.card = c.code "
            " AND h.consumed_seq IS NULL AND h.released_at IS NULL) FROM cards c").fetchall()
        for code, balance, reserve, granted, held in bad:
            assert balance == reserve + granted + held, (code, balance, reserve, granted, held)
            if self.mode == "escrow":
                assert reserve >= 0, (code, reserve)
        if self.mode == "escrow":
            assert self._losses() == 0, "an escrow card was overdrawn"

    def recall_report(self) -> dict[str, Any]:
        """Recalls on central: how many, how many completed (released by the holder), and
        how long they took in simulated seconds (central's recalled_at to released_at).
        Asserts that a recall only marked: every recalled grant that is no longer open was
        closed by its holder's release entry. Checked once at the end (a grant never reopens,
        so that is as strong as after every operation, and the CI run stays as fast)."""
        closed_otherwise = self.db.execute(
            "SELECT COUNT(*) FROM grants WHERE recalled_at IS NOT NULL AND status != 'open' "
            "AND (status != 'released' OR released_seq IS NULL)").fetchone()[0]
        assert closed_otherwise == 0, "a recalled grant came back without its release"
        rows = self.db.execute("SELECT status, released_at - recalled_at FROM grants "
                               "WHERE recalled_at IS NOT NULL").fetchall()
        took = sorted(int(d) for status, d in rows if status == "released" and d is not None)

        def pct(p: float) -> int | None:
            return took[min(len(took) - 1, round(p / 100 * (len(took) - 1)))] if took else None

        return {"recalls": len(rows), "completed": len(took), "median_s": pct(50),
                "p95_s": pct(95), "max_s": took[-1] if took else None}

    def losses(self) -> int:
        with self.lock:
            return self._losses()

    def _losses(self) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(amount), 0) FROM receivables")
                   .fetchone()[0])

    def journals(self) -> dict[str, list[tuple[int, bytes, EntryBody]]]:
        out = {}
        for svc in self.terms:
            rows = svc.store.journal_rows()
            out[svc.identity().terminal_id] = [
                (int(r["seq"]), bytes(r["hash"]), EntryBody.decode(bytes(r["data"])))
                for r in rows]
        return out

    def final_report(self) -> dict[str, Any]:
        journals = self.journals()
        spent: Counter[str] = Counter()
        for terminal, entries in journals.items():
            remote = self.db.execute("SELECT seq, hash FROM entries WHERE terminal = ? "
                                     "ORDER BY seq", (terminal,)).fetchall()
            assert [(s, h) for s, h, _ in entries] == [(s, bytes(h)) for s, h in remote], \
                f"central does not hold exactly {terminal}'s journal"
            for _, _, body in entries:
                if body.op == "redeem" and body.card:
                    spent[body.card] += body.amount
        balances = dict(self.db.execute("SELECT code, balance_minor FROM cards").fetchall())
        overdraft = 0
        for code, issued in self.issued.items():
            value = issued + self.topups[code]
            assert balances[code] == max(value - spent[code], 0), code
            overdraft += max(spent[code] - value, 0)
        assert self.losses() == overdraft, (self.losses(), overdraft)
        cases = self.db.execute("SELECT COUNT(*) FROM receivables r JOIN conflicts c "
                                "ON c.id = r.conflict_id WHERE c.reason = 'overdraft'"
                                ).fetchone()[0]
        receivables = self.db.execute("SELECT COUNT(*) FROM receivables").fetchone()[0]
        assert cases == receivables, "an overdraft without its case"
        blocked = {code for (code,) in self.db.execute(
            "SELECT DISTINCT r.card FROM receivables r JOIN cards c ON c.code = r.card "
            "WHERE c.state = 'blocked'")}
        owed = {code for (code,) in self.db.execute("SELECT DISTINCT card FROM receivables")}
        assert owed == blocked, "an overdrawn card is not blocked"
        self.check_exposure(journals)
        return {"mode": self.mode, "terminals": len(self.terms), "cards": len(self.issued),
                "losses_minor": self.losses(), "receivables": receivables,
                "entries": sum(len(e) for e in journals.values()),
                "grant_entries": sum(1 for e in journals.values() for _, _, b in e
                                     if b.op == "redeem" and b.grant),
                "releases": sum(1 for e in journals.values() for _, _, b in e
                                if b.op == "release"),
                "recall": self.recall_report(),
                "stats": dict(self.stats)}

    def check_exposure(self, journals: dict[str, list[tuple[int, bytes, EntryBody]]]) -> None:
        """The report's grants and losses per terminal equal what the journals say."""
        report = self.admin.exposure()
        used: Counter[str] = Counter()
        for entries in journals.values():
            for _, _, body in entries:
                if body.op == "redeem" and body.grant:
                    used[body.grant] += body.amount
        expected: Counter[str] = Counter()
        for gid, terminal, amount in self.db.execute(
                "SELECT id, terminal, amount FROM grants WHERE status = 'open'"):
            expected[terminal] += amount - used[gid]
        losses: Counter[str] = Counter()
        for terminal, amount in self.db.execute("SELECT terminal, amount FROM receivables"):
            losses[terminal] += amount
        by_store: Counter[str] = Counter()
        for row in report["terminals"]:
            assert _minor(row["grants_outstanding"]) == expected[row["terminal"]], row
            assert _minor(row["realised_losses"]) == losses[row["terminal"]], row
            assert _minor(row["exposure"]) == (_minor(row["grants_outstanding"])
                                               + _minor(row["floor_allowance"]))
            by_store[row["store"]] += _minor(row["exposure"])
        for row in report["stores"]:
            assert _minor(row["exposure"]) == by_store[row["store"]], row


def _minor(text: str) -> int:
    units, _, cents = text.partition(".")
    sign = -1 if units.startswith("-") else 1
    return sign * (abs(int(units)) * 100 + int(cents or 0))
