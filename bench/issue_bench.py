"""Issuing and printing physical cards at the store: how long a manager waits for the largest
batch (500 cards) offline from the code pool, for its A4 sheet and card-printer PDF, for filling
the pool from central, and for central to confirm the batch at sync.

    python -m bench.issue_bench [--count 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from pos_app import demo
from pos_app.terminal.service import TerminalService

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def run_once(count: int) -> dict[str, float]:
    """One fresh demo world: seconds per step for a batch of COUNT cards."""
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        world = demo.build(Path(tmp) / "demo")
        manager = next(s["id"] for s in world.staff if s["role"] == "manager")
        try:
            with TerminalService(world.terminal_home, sync_timeout=2.0, retries=0) as t:
                _, fill = timed(lambda: t.top_up_pool("gift-eur", count))
                world.central.stop()
                out, issue = timed(lambda: t.issue_cards("gift-eur", count, manager))
                assert out["offline"] and out["count"] == count
                batch = out["batch"]
                _, a4 = timed(lambda: t.print_batch(batch, Path(tmp) / "a4.pdf"))
                _, card = timed(lambda: t.print_batch(batch, Path(tmp) / "c.pdf", "card"))
                world.central.start()
                pushed, confirm = timed(t.sync)
                assert pushed["conflicts"] == 0 and pushed["pushed"] >= count
        finally:
            world.central.stop()
    return {"fill the pool from central": fill, "issue offline (journal + replica)": issue,
            "A4 sheet PDF": a4, "card-printer PDF (1 card/page)": card,
            "sync: central confirms the batch": confirm}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, seconds in run_once(args.count).items():
            rows.setdefault(name, []).append(seconds)
    print(f"{describe()}; {args.count} cards, median of {args.runs} runs")
    print("| step | seconds |\n|---|---|")
    for name, samples in rows.items():
        print(f"| {name} | {statistics.median(samples):.2f} |")


if __name__ == "__main__":
    main()
