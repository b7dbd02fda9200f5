"""Limits counted across tills (issue 17): what counting a use on central costs an online
redemption, measured end to end at a real terminal against a real central on loopback.

Three gift-card programs, all online only, on cards linked to customers: `plain` (no limits),
`card_limited` (`per_card_daily_count`: the rules engine's existing check at central's
authorize, the reference) and `counted` (the same plus `per_program_daily_count` and
`per_customer_daily_count`, high enough never to refuse: central's counts across tills),
redeemed in turn so all see the same machine. Each
redemption is the terminal's whole online path: replica checks, central's authorize (for
`counted` also the counter check under its key lock and the limit hold), the signed commit and
the best-effort push that consumes the hold and records the use. Beside them, a sync with
nothing to push while a floor program's limit is shared (its share issued at the first pull,
checked at every later one).

    python -m bench.limits_bench [--redeems 200] [--db URL] [--out bench/results/limits.md]
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
from wallet_sync.central.admin_client import AdminClient
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.setup import init_central

PROGRAMS = """\
version: 1
programs:
  - id: plain
    kind: gift_card
    name: {en: "Plain", ja: "通常"}
    currency: EUR
    code_pattern: "PL-####-####"
    default_value: "100.00"
    offline: {mode: online}
  - id: card_limited
    kind: gift_card
    name: {en: "Card limited", ja: "カード上限"}
    currency: EUR
    code_pattern: "CL-####-####"
    default_value: "100.00"
    limits: {per_card_daily_count: 1000}
    offline: {mode: online}
  - id: counted
    kind: gift_card
    name: {en: "Counted", ja: "集計"}
    currency: EUR
    code_pattern: "CT-####-####"
    default_value: "100.00"
    limits: {per_program_daily_count: 1000000, per_customer_daily_count: 1000}
    offline: {mode: online}
  - id: shared
    kind: gift_card
    name: {en: "Shared", ja: "配分"}
    currency: EUR
    code_pattern: "SH-####-####"
    default_value: "100.00"
    limits: {per_program_daily_count: 1000000}
    offline: {mode: floor, floor_per_transaction: "20.00", terminal_total: "300.00",
              max_offline_hours: 24}
  - id: club
    kind: loyalty
    name: {en: "Club", ja: "クラブ"}
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: base, on: purchase, points_per_unit: 1}
    tiers:
      - {id: basic, min_points: 0}
    offline: {mode: online}
"""


def run(redeems: int, db_url: str | None) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"plain": [], "card_limited": [], "counted": [],
                                     "idle_sync": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = db_url or f"sqlite:///{root / 'central.db'}"
        key = init_central(url)["admin_key"]
        central = EmbeddedCentral(url).start()
        try:
            with AdminClient(central.url, key) as admin:
                admin.load_programs(PROGRAMS, "yaml", "bench.yaml")
                customers = [admin.create_member("club")["code"] for _ in range(10)]

                def cards(program: str) -> list[str]:
                    return [c["code"] for i in range(10) for c in admin.issue_cards(
                        program, redeems // 10, "100.00", True, customer=customers[i])["cards"]]

                plain, limited, counted = cards("plain"), cards("card_limited"), cards("counted")
                till = TerminalService(root / "till", authorize_timeout=5.0, sync_timeout=10.0)
                try:
                    out = till.enroll(central.url, admin.enroll_code("S1")["code"])
                    assert "error" not in out["sync"], out
                    for a, b, c in zip(plain, limited, counted, strict=False):
                        for name, code in (("plain", a), ("card_limited", b), ("counted", c)):
                            t0 = time.perf_counter()
                            assert till.redeem(code, "1.00").status == "approved"
                            times[name].append((time.perf_counter() - t0) * 1000)
                    for _ in range(20):
                        t0 = time.perf_counter()
                        till.sync()
                        times["idle_sync"].append((time.perf_counter() - t0) * 1000)
                finally:
                    till.close()
        finally:
            central.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redeems", type=int, default=200)
    parser.add_argument("--db", default=None, help="central database URL (default: SQLite)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/limits.md"))
    args = parser.parse_args()
    load = os.getloadavg()[0]
    times = run(args.redeems, args.db)

    def row(name: str) -> str:
        s = times[name]
        return f"| {name} | {len(s)} | {median(s):.1f} | {percentile(s, 95):.1f} |"

    ratio = percentile(times["counted"], 95) / percentile(times["card_limited"], 95)
    text = [
        "# Limits counted across tills: cost of an online redemption",
        "",
        f"Machine: {describe()}; load average at start {load:.1f}; central on "
        f"{'PostgreSQL' if args.db else 'SQLite'}.",
        "Reproduce: `python -m bench.limits_bench` (bench/limits_bench.py).",
        "",
        "| path (ms, terminal end to end) | n | median | p95 |",
        "| --- | --- | --- | --- |",
        row("plain"), row("card_limited"), row("counted"), row("idle_sync"),
        "",
        f"p95 counted / p95 card_limited (same run): {ratio:.2f}.",
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
