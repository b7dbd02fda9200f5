"""Offline-risk simulation, the long run: tests/reliability/partition_sim.py with more
terminals and operations than CI runs, and more floor seeds.

Escrow: `--terminals` terminals (two stores), random partitions and heals, redemptions, top-ups
and syncs; the invariant and "no overdraft" are checked after every operation, the journals
against central at the end. Floor: `--floor-seeds` runs of rounds that cut terminals off and
settle; each round's loss must stay within the cut-off terminals' caps.

    python -m bench.risk_bench [--terminals 10] [--ops 50000] [--out bench/results/risk.md]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from core.money import format_minor
from tests.reliability.partition_sim import FLOOR_TERMINAL_TOTAL, Sim


def escrow_run(terminals: int, ops: int, seed: int) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = Sim(Path(tmp), "escrow", terminals=terminals, cards=20 * terminals, seed=seed)
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


def floor_run(terminals: int, seed: int, rounds: int, ops: int) -> tuple[list, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = Sim(Path(tmp), "floor", terminals=terminals, cards=12, value="15.00", seed=seed)
        try:
            sim.start()
            per_round = sim.run_floor_rounds(rounds, ops)
            report = sim.final_report()
        finally:
            sim.stop()
    assert all(loss <= caps for loss, caps in per_round), per_round
    return per_round, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terminals", type=int, default=10)
    parser.add_argument("--ops", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--floor-seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench/results/risk.md"))
    args = parser.parse_args()
    load = os.getloadavg()[0]
    report, elapsed = escrow_run(args.terminals, args.ops, args.seed)
    stats = report["stats"]
    ops = stats["redeems"] + stats["syncs"] + stats["topups"]
    floors = [floor_run(5, seed, 3, 250) for seed in range(1, args.floor_seeds + 1)]
    declines = sorted((k.split(":", 1)[1], v) for k, v in stats.items()
                      if k.startswith("declined:"))
    text = [
        "# Offline risk simulation figures",
        "",
        f"Machine: {describe()}; load average at start {load:.1f}.",
        "Reproduce: `python -m bench.risk_bench` (bench/risk_bench.py over "
        "tests/reliability/partition_sim.py).",
        "",
        f"## Escrow: {args.terminals} terminals, {ops:,} operations",
        "",
        "Real terminal stores (SQLite files, one thread each) and a real central on loopback "
        "(SQLite), links cut and healed at random (down about two thirds of the time), "
        "simulated clock; invariant and overdraft checks after every operation.",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| operations (redeems + syncs + top-ups) | {ops:,} |",
        f"| wall time | {elapsed:.0f} s ({ops / elapsed:.0f} operations/s) |",
        f"| approved online / offline (grant) | {stats.get('approved_online', 0):,} / "
        f"{stats.get('approved_offline', 0):,} |",
        f"| redemptions that drew on a grant (incl. online fallback) | "
        f"{report['grant_entries']:,} |",
        f"| grants handed back (release entries) | {report['releases']:,} |",
        f"| partitions / heals | {stats.get('partitions', 0)} / {stats.get('heals', 0)} |",
        f"| syncs (failed while cut off) | {stats['syncs']:,} ({stats.get('sync_failed', 0):,}) |",
        f"| top-ups by head office | {stats['topups']:,} |",
        f"| journal entries on central | {report['entries']:,} |",
        "| **overdrafts / receivables / losses** | **0 / 0 / 0.00** |",
        "",
        "Declines: " + ", ".join(f"`{reason}` {count:,}" for reason, count in declines) + ".",
        "",
        "## Floor: 5 terminals, 3 rounds of 250 operations per seed",
        "",
        f"Each round cuts off each terminal with probability 0.6; a terminal's cap is "
        f"{format_minor(FLOOR_TERMINAL_TOTAL, 'EUR')} EUR.",
        "",
        "| seed | loss per round (EUR) | caps of the cut-off terminals (EUR) | receivables "
        "(all with a case, card blocked) |",
        "| --- | --- | --- | --- |",
    ]
    for seed, (per_round, floor_report) in enumerate(floors, start=1):
        losses = ", ".join(format_minor(loss, "EUR") for loss, _ in per_round)
        caps = ", ".join(format_minor(cap, "EUR") for _, cap in per_round)
        text.append(f"| {seed} | {losses} | {caps} | {floor_report['receivables']} |")
    text.append("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
