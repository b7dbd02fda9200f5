"""Escrow grants that follow the customer (issue 15): how recalls behave in the partition
simulation with customers moving between stores, and how long one recall takes on loopback.

1. Simulation (tests/reliability/partition_sim.py, escrow, `--terminals` terminals in two
   stores, `--ops` operations, random partitions): operations, customers who moved, recalls
   made and completed, the simulated time from a recall to its holder's release (the holder
   syncs on 10% of its steps and is cut off about two thirds of the time, so this is
   dominated by partitions), and the invariant and zero overdrafts (checked after every
   operation).
2. Loopback (`--recalls` cards): a real central (EmbeddedCentral, SQLite) and two real
   terminals in two stores. Store 1's till holds a grant on each card; store 2 asks for more
   than is unreserved (`reserved_elsewhere`), store 1 syncs once (pull, release, push), store
   2 pays the rest. Beside it, measured in the same run: a sync with nothing to do and a plain
   online redemption. At the counter a recall completes within the holder's background sync
   interval (10 s by default) plus these times.

    python -m bench.recall_bench [--terminals 5] [--ops 10000] [--recalls 30]
                                 [--out bench/results/recall.md]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from statistics import median

from bench.machine import describe, percentile
from pos_app.terminal.service import TerminalService
from tests.reliability.partition_sim import PROGRAMS, Sim
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.setup import init_central


def simulation(terminals: int, ops: int, seed: int) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = Sim(Path(tmp), "escrow", terminals=terminals, cards=8 * terminals, seed=seed)
        try:
            sim.start()
            started = time.perf_counter()
            sim.run(ops)
            sim.settle()
            elapsed = time.perf_counter() - started
            report = sim.final_report()
        finally:
            sim.stop()
    assert report["losses_minor"] == 0 and report["receivables"] == 0, report
    return report, elapsed


def _till(home: Path, url: str, admin: AdminClient, store: str) -> TerminalService:
    svc = TerminalService(home, authorize_timeout=5.0, sync_timeout=10.0)
    out = svc.enroll(url, admin.enroll_code(store)["code"])
    assert "error" not in out["sync"], out
    return svc


def loopback(count: int) -> dict[str, list[float]]:
    """Milliseconds per step; every recall must complete after exactly one holder sync."""
    times: dict[str, list[float]] = {k: [] for k in (
        "idle_sync", "online_redeem", "declined", "holder_sync", "rest_paid", "recall")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'central.db'}"
        key = init_central(url)["admin_key"]
        central = EmbeddedCentral(url).start()
        try:
            with AdminClient(central.url, key) as admin:
                admin.load_programs(PROGRAMS, "yaml", "sim.yaml")
                # 60.00 cards; sim-escrow grants at most 20.00 and keeps half online.
                cards = [c["code"] for c in admin.issue_cards(
                    "sim-escrow", 2 * count, "60.00", True)["cards"]]
                s1 = _till(root / "s1", central.url, admin, "S1")
                s2 = _till(root / "s2", central.url, admin, "S2")
                try:
                    for code in cards[:count]:
                        assert s1.redeem(code, "1.00").status == "approved"
                    s1.sync()  # 20.00 of each of the first cards is store 1's grant now
                    for code in cards[count:]:  # the references
                        t0 = time.perf_counter()
                        assert s2.redeem(code, "5.00").status == "approved"
                        t1 = time.perf_counter()
                        s1.sync()
                        t2 = time.perf_counter()
                        times["online_redeem"].append((t1 - t0) * 1000)
                        times["idle_sync"].append((t2 - t1) * 1000)
                    for code in cards[:count]:
                        t0 = time.perf_counter()
                        first = s2.redeem(code, "50.00")  # 39.00 free, 20.00 at store 1
                        t1 = time.perf_counter()
                        assert first.reason == "reserved_elsewhere", first
                        s1.sync()
                        t2 = time.perf_counter()
                        rest = s2.redeem(code, "50.00")
                        t3 = time.perf_counter()
                        assert rest.status == "approved", rest
                        times["declined"].append((t1 - t0) * 1000)
                        times["holder_sync"].append((t2 - t1) * 1000)
                        times["rest_paid"].append((t3 - t2) * 1000)
                        times["recall"].append((t3 - t1) * 1000)
                finally:
                    s1.close()
                    s2.close()
        finally:
            central.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=5)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--recalls", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("bench/results/recall.md"))
    args = parser.parse_args()
    load = os.getloadavg()[0]
    report, elapsed = simulation(args.terminals, args.ops, args.seed)
    stats, recall = report["stats"], report["recall"]
    ops = stats["redeems"] + stats["syncs"] + stats["topups"]
    times = loopback(args.recalls)

    def row(name: str, key: str) -> str:
        samples = times[key]
        return (f"| {name} | {median(samples):.1f} | {percentile(samples, 95):.1f} | "
                f"{max(samples):.1f} |")

    text = [
        "# Recall figures (escrow grants follow the customer)",
        "",
        f"Machine: {describe()}; load average at start {load:.1f}.",
        "Reproduce: `python -m bench.recall_bench` (bench/recall_bench.py over "
        "tests/reliability/partition_sim.py).",
        "",
        f"## Simulation: {args.terminals} terminals in two stores, {ops:,} operations",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| operations (redeems + syncs + top-ups) | {ops:,} in {elapsed:.0f} s |",
        f"| customers who moved to the other store | {stats.get('moves', 0):,} |",
        f"| ... answered `reserved_elsewhere` | {stats.get('moves_reserved_elsewhere', 0):,} "
        f"(paid the free part at once: {stats.get('moves_paid_available_at_once', 0):,}; "
        f"the rest after the recall: {stats.get('moves_rest_paid_after_recall', 0):,}; "
        f"gave up, holder cut off: {stats.get('moves_gave_up', 0):,}) |",
        f"| all `reserved_elsewhere` answers (movers and others) | "
        f"{stats.get('declined:reserved_elsewhere', 0):,} |",
        f"| grants recalled / released by their holder | {recall['recalls']:,} / "
        f"{recall['completed']:,} |",
        f"| recall to release, simulated seconds (median / p95 / max) | {recall['median_s']} / "
        f"{recall['p95_s']} / {recall['max_s']} |",
        f"| approved online / offline (grant) | {stats.get('approved_online', 0):,} / "
        f"{stats.get('approved_offline', 0):,} |",
        f"| partitions / heals | {stats.get('partitions', 0)} / {stats.get('heals', 0)} |",
        "| **overdrafts / receivables / losses** | **0 / 0 / 0.00** |",
        "",
        f"## One recall on loopback ({args.recalls} cards), milliseconds",
        "",
        "| step | p50 | p95 | max |",
        "| --- | --- | --- | --- |",
        row("reference: plain online redemption (authorize + commit + push)", "online_redeem"),
        row("reference: sync with nothing to do (push, pull)", "idle_sync"),
        row("store 2 declined `reserved_elsewhere` (central marks the recall)", "declined"),
        row("store 1's sync: pull the recall, journal the release, push it", "holder_sync"),
        row("store 2 pays the rest", "rest_paid"),
        row("**recall complete** (decline to the rest paid, without the wait for store 1's "
            "next background sync)", "recall"),
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
