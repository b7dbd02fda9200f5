"""Segment recompute timing (bench/results/segments.md): N members of the example club on a
fresh SQLite central, three segments. `python -m bench.segments_bench 20000`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from wallet_sync.central.db import Database
from wallet_sync.central.programs import load_programs
from wallet_sync.central.segments import recompute_all, recompute_batched
from wallet_sync.central.setup import init_central
from wallet_sync.central.tables import Member

EXAMPLE = Path("/work/shared/examples/programs.yaml")
SEGMENTS = ("segments:\n  big_spender: 'customer.lifetime_spend >= 2000.0'\n"
            "  dormant: 'customer.last_visit_days_ago >= 60'\n"
            "  regular: 'customer.visits >= 10 && customer.last_visit_days_ago < 30'\n")
DAY = 86400


def timed(label: str, call: object) -> None:
    start = time.perf_counter()
    result = call()  # type: ignore[operator]
    print(f"{label}: {result} {time.perf_counter() - start:.2f}s")


def main(n: int) -> None:
    path = Path("/tmp/walletpos-segments-bench.db")
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    init_central(url)
    db = Database(url)
    now = int(time.time())
    with db.write() as s:
        load_programs(s, EXAMPLE.read_text(), "yaml", None, now)
    with db.write() as s:
        s.add_all(Member(code=f"LM-{i:08d}", program="club", country="DE", attributes={},
                         points=0, tier="", visits=i % 20, created_at=now,
                         change_seq=10**6 + i, lifetime_spend=(i % 400) * 10_00,
                         last_visit=now - (i % 120) * DAY, counters={}, segments=[])
                  for i in range(n))

    def pass_without_definitions() -> dict[str, int]:
        with db.write() as s:
            return recompute_all(s, now)

    def load_with_definitions() -> str:
        with db.write() as s:
            load_programs(s, SEGMENTS + EXAMPLE.read_text(), "yaml", None, now)
        return "loaded"

    timed("pass with no definitions", pass_without_definitions)
    timed("load adding 3 definitions", load_with_definitions)
    timed("batched pass, 6 days on", lambda: recompute_batched(db, now + 6 * DAY))
    timed("batched pass, 5 days on", lambda: recompute_batched(db, now + 5 * DAY))
    db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
