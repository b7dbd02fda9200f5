"""Resident memory of the counter app with a 1,000,000-card replica.

Builds the same replica as bench/quote_bench.py (1,000,000 gift cards, 100,000 members, 1,000
active rules and rewards), then in a fresh process starts the real counter window (offscreen),
waits until it has loaded the terminal's facts, runs 200 quotes for random cards and members
through `TerminalService.quote` as a busy counter would, and reports the resident set (current
and peak) from /proc.

    python -m bench.memory_bench [--cards 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(home: str, cards: list[str], members: list[str]) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from bench.rules_bench import CATEGORIES
    from core.rules.basket import Basket, Line
    from pos_app.gui.app import make_app
    from pos_app.gui.counter.sound import Beeper
    from pos_app.gui.counter.window import CounterWindow
    from pos_app.gui.operations import Operations
    from pos_app.terminal.service import TerminalService

    app = make_app(lang="en", theme="light")
    ops = Operations(Path(home))
    window = CounterWindow(ops, Path(home), beeper=Beeper(), auto_sync=False)
    window.show()
    window.start()
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: (window.facts is not None and ops.pending() == 0)
                         and loop.quit())
    poll.start(5)
    loop.exec()
    started = _rss_mib()
    rng = random.Random(3)
    with TerminalService(Path(home)) as service:
        for n in range(200):
            lines = tuple(Line(f"SKU-{i}", CATEGORIES[(i + n) % 8], 1 + i % 3, 150 + i * 10)
                          for i in range(20))
            service.quote(Basket("EUR", lines), [rng.choice(cards), rng.choice(members)],
                          online=False)
            app.processEvents()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"after_start_mib": started, "after_quotes_mib": _rss_mib(),
                      "peak_mib": peak}))
    window.shutdown()
    ops.shutdown()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        spec = json.loads(Path(sys.argv[2]).read_text())
        _child(spec["home"], spec["cards"], spec["members"])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=500)
    args = parser.parse_args()
    from bench.machine import describe
    from bench.quote_bench import build, codes

    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        home = Path(tmp) / "terminal"
        cards = codes("GC-####-####-####", args.cards, 1)
        members = codes("LB-########", args.members, 2)
        started = time.perf_counter()
        build(home, cards, members, args.rules)
        built = time.perf_counter() - started
        spec = Path(tmp) / "spec.json"
        sample = random.Random(5)
        spec.write_text(json.dumps({"home": str(home), "cards": sample.sample(cards, 2000),
                                    "members": sample.sample(members, 2000)}))
        out = subprocess.run([sys.executable, "-m", "bench.memory_bench", "--child", str(spec)],
                             cwd=ROOT, capture_output=True, text=True, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        size = (home / "terminal.db").stat().st_size / 2**20
    print(f"Machine: {describe()}. Replica {args.cards:,} cards, {args.members:,} members, "
          f"{2 * args.rules} rules/rewards; terminal.db {size:.0f} MiB built in {built:.0f} s.")
    print(f"RSS after start {figures['after_start_mib']:.0f} MiB, after 200 quotes "
          f"{figures['after_quotes_mib']:.0f} MiB, peak {figures['peak_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
