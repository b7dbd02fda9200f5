"""Crash harness: real `walletpos` processes killed with SIGKILL at random moments.

A central runs as its own process on a SQLite file; a terminal home is driven only through
the CLI (`redeem`, `sync`, and now and then `refund` of an order a redeem reported approved,
whole or a part), two processes at a time, each killed at a random instant of its life
(start-up, authorization, commit, the best-effort push, a sync's push or pull). Central itself
is killed and restarted now and then, so redemptions also happen offline under the floor
policy. At the end central comes back, the terminal syncs, and `check()` compares the two
ledgers. Used by tests/reliability (≥ 200 kills in CI) and by bench/ci_cost.py.

Processes are forked from a fork server that imported the CLI once (`launcher.py`): each is
still its own OS process, SIGKILLed for real, but a kill no longer waits a second of imports
for each few milliseconds of work. `WALLETPOS_LAUNCH=exec` brings back one interpreter each.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from core.journal import EntryBody
from tests.reliability.launcher import ExecLauncher, ForkLauncher, Proc, launcher
from wallet_sync.central.embedded import free_port


@dataclass
class Harness:
    root: Path
    seed: int = 0
    rng: random.Random = field(init=False)
    port: int = field(default_factory=free_port)
    central: Proc | None = None
    launch: ExecLauncher | ForkLauncher = field(default_factory=launcher)
    spawned: int = 0
    approved: list[dict[str, Any]] = field(default_factory=list)
    issued: dict[str, int] = field(default_factory=dict)  # code -> issued minor units
    refunded: list[dict[str, Any]] = field(default_factory=list)  # refunds reported done
    manager: str = ""
    kills: int = 0
    central_kills: int = 0
    finished: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.db_path = self.root / "central.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.home = self.root / "terminal"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- central process ----------------------------------------------------------------

    def start_central(self) -> None:
        log = self.root / "central.log"
        self.central = self.launch.start(
            ["central", "serve", "--db", self.db_url, "--host", "127.0.0.1",
             "--port", str(self.port)], log, log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/v1/health", timeout=0.5)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("central did not start: see central.log")

    def kill_central(self) -> None:
        if self.central is not None:
            self.central.kill()  # SIGKILL
            self.central = None
            self.central_kills += 1

    # ---- set-up ---------------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 60) -> dict[str, Any]:
        """Run one `walletpos ARGS --json` to its end (through the same launcher) and return
        the JSON it printed last."""
        self.spawned += 1
        out = self.root / "out" / f"{self.spawned}.json"
        proc = self.launch.start([*args, "--json"], out, self.root / "cli.log")
        deadline = time.monotonic() + timeout
        while proc.poll() is None:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"walletpos {' '.join(args)} did not finish")
            time.sleep(0.01)
        lines = [line for line in proc.output().splitlines() if line.startswith("{")]
        if not lines:
            raise RuntimeError(f"walletpos {' '.join(args)} printed nothing: see cli.log")
        return json.loads(lines[-1])

    def set_up(self, programs_file: Path, cards: int = 30, value: str = "200.00") -> None:
        (self.root / "out").mkdir(parents=True, exist_ok=True)
        admin_key = self.cli("central", "init", "--db", self.db_url)["admin_key"]
        self.start_central()
        admin = ("admin", "--central", self.url, "--key", admin_key)
        self.cli(*admin, "load-programs", str(programs_file))
        for program in ("store-credit", "gift-eur"):
            out = self.cli(*admin, "issue-cards", "--program", program, "--count", str(cards),
                          "--value", value, "--activate")
            for card in out["cards"]:
                self.issued[card["code"]] = int(value.replace(".", ""))
        self.manager = self.cli(*admin, "create-staff", "--store", "s1", "--name", "Mia",
                                "--role", "manager", "--pin", "246813")["id"]
        code = self.cli(*admin, "enroll-code", "--store", "s1")["code"]
        self.cli("terminal", "--home", str(self.home), "enroll", "--central", self.url,
                "--code", code)
        self.admin = admin

    # ---- the loop -------------------------------------------------------------------------

    def _spawn(self) -> tuple[Proc, str]:
        home = ["terminal", "--home", str(self.home)]
        self.spawned += 1
        out = self.root / "out" / f"{self.spawned}.json"
        draw = self.rng.random()
        if draw < 0.25:
            return self.launch.start([*home, "sync", "--json"], out), "sync"
        if draw < 0.35 and self.approved:
            # A refund of an order reported approved: whole, or a part of it. Asked again for
            # the same order it is refused (already refunded, more than is left), never doubled.
            order = self.rng.choice(self.approved)["order"]
            part = ["--amount", "1.00"] if self.rng.random() < 0.5 else []
            return self.launch.start([*home, "refund", "--order", order, "--staff",
                                      self.manager, *part, "--json"], out), "refund"
        code = self.rng.choice(sorted(self.issued))
        amount = f"{self.rng.randint(1, 30)}.{self.rng.randint(0, 99):02d}"
        return self.launch.start([*home, "redeem", "--code", code, "--amount", amount,
                                  "--json"], out), "redeem"

    def calibrate(self) -> float:
        """Median life of an unkilled redeem process: kill moments are drawn around it."""
        lives = []
        for _ in range(3):
            started = time.monotonic()
            proc, kind = self._spawn()
            self._collect(proc, kind)
            lives.append(time.monotonic() - started)
        return sorted(lives)[1]

    def run(self, kills: int, parallel: int = 2, central_every: int = 40) -> None:
        life = self.calibrate()
        running: list[tuple[Proc, str, float]] = []
        iteration = 0
        while self.kills < kills:
            while len(running) < parallel:
                iteration += 1
                if iteration % central_every == 0:
                    if self.central is None:
                        self.start_central()
                    else:
                        self.kill_central()
                proc, kind = self._spawn()
                # Some processes live to the end (so there are approvals to check); the rest die
                # at a random instant anywhere from start-up to just after their natural end.
                doomed = self.rng.random() < 0.6
                kill_at = time.monotonic() + (self.rng.uniform(0.1, 1.2) * life if doomed
                                              else 3600.0)
                running.append((proc, kind, kill_at))
            time.sleep(0.01)
            for item in list(running):
                proc, kind, kill_at = item
                if proc.poll() is not None:
                    self._collect(proc, kind)
                    running.remove(item)
                elif time.monotonic() >= kill_at:
                    proc.kill()  # SIGKILL
                    self.kills += 1
                    running.remove(item)
        for proc, kind, _ in running:
            proc.wait()
            self._collect(proc, kind)

    def _collect(self, proc: Proc, kind: str) -> None:
        proc.wait()
        lines = [line for line in proc.output().splitlines() if line.startswith("{")]
        if not lines:
            self.finished[f"{kind}:no_output"] += 1
            return
        result = json.loads(lines[-1])
        if kind == "redeem" and result.get("status") == "approved":
            self.approved.append(result)
        if kind == "refund" and result.get("status") == "refunded":
            self.refunded.append(result)
        label = result.get("status") or ("error" if "error" in result else "ok")
        self.finished[f"{kind}:{label}"] += 1

    # ---- the end --------------------------------------------------------------------------

    def settle(self) -> None:
        """Central back, then sync until the outbox is empty."""
        if self.central is None:
            self.start_central()
        for _ in range(10):
            result = self.cli("terminal", "--home", str(self.home), "sync")
            if "error" not in result and self._outbox() == 0:
                return
            time.sleep(0.5)
        raise AssertionError(f"outbox did not drain: {result}")

    def _outbox(self) -> int:
        with sqlite3.connect(self.home / "terminal.db") as db:
            last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchone()[0]
            row = db.execute("SELECT value FROM meta WHERE key = 'acked_seq'").fetchone()
        return int(last) - int(row[0] if row else 0)

    def stop(self) -> None:
        if self.central is not None:
            self.central.kill()
            self.central = None
        self.launch.close()

    def check(self) -> dict[str, Any]:
        """Compare terminal and central; raise AssertionError on any difference."""
        verify = self.cli("terminal", "--home", str(self.home), "verify")
        assert verify.get("ok") is True, verify
        with sqlite3.connect(self.home / "terminal.db") as db:
            local = db.execute("SELECT seq, hash, data FROM journal ORDER BY seq").fetchall()
        with sqlite3.connect(self.db_path) as db:
            terminal_id = db.execute("SELECT id FROM terminals").fetchone()[0]
            status = db.execute("SELECT status FROM terminals").fetchone()[0]
            remote = db.execute("SELECT seq, hash, status FROM entries WHERE terminal = ? "
                                "ORDER BY seq", (terminal_id,)).fetchall()
            balances = dict(db.execute("SELECT code, balance_minor FROM cards").fetchall())
            conflicts = db.execute("SELECT COUNT(*) FROM conflicts").fetchone()[0]
        assert status == "active", f"terminal {status}"
        assert [(s, bytes(h)) for s, h, _ in local] == [(s, bytes(h)) for s, h, _ in remote], \
            "central does not hold exactly the terminal's journal"
        assert all(st == "applied" for _, _, st in remote)
        assert conflicts == 0
        bodies = [EntryBody.decode(bytes(data)) for _, _, data in local]
        by_request = Counter(b.extra.get("request_id") for b in bodies)
        for result in self.approved:
            assert by_request[result["request_id"]] == 1, result
            assert bodies[result["seq"] - 1].extra["request_id"] == result["request_id"]
        by_refund = Counter(b.extra.get("refund") for b in bodies if b.op == "refund")
        for result in self.refunded:  # every refund reported is in the journal, once
            assert by_refund[result["refund"]] == len(result["parts"]), result
        spent: Counter[str] = Counter()
        given: Counter[int] = Counter()
        for body in bodies:
            if body.op == "redeem" and body.card:
                spent[body.card] += body.amount
            elif body.op == "refund" and body.card and body.ref:
                spent[body.card] -= body.amount
                given[body.ref] += body.amount
                target = bodies[body.ref - 1]
                assert (target.op, target.card) == ("redeem", body.card), body
                assert given[body.ref] <= target.amount, f"refund past what #{body.ref} paid"
        for code, issued in self.issued.items():
            assert balances[code] == issued - spent[code], code
        grants = self._check_grants(bodies)
        return {"kills": self.kills, "central_kills": self.central_kills,
                "entries": len(local), "approved_reported": len(self.approved),
                "offline": sum(1 for b in bodies if b.offline),
                "grant_spends": sum(1 for b in bodies if b.op == "redeem" and b.grant),
                "refunds": sum(1 for b in bodies if b.op == "refund"),
                "refunds_reported": len(self.refunded),
                "grants": grants, "outcomes": dict(self.finished)}

    def _check_grants(self, bodies: list[EntryBody]) -> int:
        """With kills anywhere in a sync: every grant's use on central is exactly the journal's
        redemptions naming it, it is released on central iff the journal holds its release
        (at that seq), the terminal agrees, and balance = reserve + open grants + open holds."""
        used: Counter[str] = Counter()
        releases: dict[str, int] = {}
        for body in bodies:
            if body.op == "redeem" and body.grant:
                used[body.grant] += body.amount
            elif body.op == "release" and body.grant:
                assert body.grant not in releases, f"grant {body.grant} released twice"
                releases[body.grant] = body.seq
        with sqlite3.connect(self.db_path) as db:
            rows = db.execute("SELECT id, used, status, released_seq FROM grants").fetchall()
            cards = db.execute(
                "SELECT c.code, c.balance_minor, c.reserve, "
                "(SELECT COALESCE(SUM(amount - used), 0) FROM grants g WHERE g.card = c.code "
                " AND g.status = 'open'), (SELECT COALESCE(SUM(amount), 0) FROM holds h "
                " WHERE h.card = c.code AND h.consumed_seq IS NULL AND h.released_at IS NULL) "
                "FROM cards c").fetchall()
        with sqlite3.connect(self.home / "terminal.db") as db:
            local = dict(db.execute("SELECT id, released_seq FROM grants").fetchall())
        for gid, used_central, status, released_seq in rows:
            assert used_central == used[gid], (gid, used_central, used[gid])
            assert (status == "released") == (gid in releases), gid
            assert released_seq == releases.get(gid) == local.get(gid), gid
        assert set(used) <= {r[0] for r in rows}, "a journal names a grant central never gave"
        for code, balance, reserve, granted, held in cards:
            assert balance == reserve + granted + held, (code, balance, reserve, granted, held)
        return len(rows)


def main() -> None:  # pragma: no cover - used by bench/kill_run.py
    import tempfile

    kills = int(os.environ.get("WALLETPOS_KILLS", "200"))
    with tempfile.TemporaryDirectory() as tmp:
        harness = Harness(Path(tmp), seed=int(os.environ.get("WALLETPOS_SEED", "1")))
        try:
            harness.set_up(Path(__file__).resolve().parents[2] / "resources/demo/programs.yaml")
            harness.run(kills)
            harness.settle()
            print(json.dumps(harness.check()))
        finally:
            harness.stop()
