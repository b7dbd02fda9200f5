"""What the two reliability harnesses cost CI, the old way and the new way, in one run.

Runs each test file with pytest in a subprocess, alternately in the old configuration and the
new one, and reports the wall time of each:

- tests/reliability/test_kill9.py: every `walletpos` process exec'd afresh
  (`WALLETPOS_LAUNCH=exec`) against forked from a fork server that imported the CLI once
  (the default, `tests/reliability/launcher.py`);
- tests/reliability/test_partition_sim.py: central in a thread of the simulation's process
  (`WALLETPOS_SIM_CENTRAL=thread`) against central in a process of its own (the default), on
  the same simulated clock.

The kill count and the simulation's operation count are options, so a shared machine can
measure a slice (`--kills 40`) and CI keeps its own counts (200 kills, 10,000 operations).

    python -m bench.ci_cost [--kills 40] [--ops 10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import describe

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    ("tests/reliability/test_kill9.py", {"WALLETPOS_LAUNCH": "exec"},
     {"WALLETPOS_LAUNCH": "fork"}),
    ("tests/reliability/test_partition_sim.py", {"WALLETPOS_SIM_CENTRAL": "thread"},
     {"WALLETPOS_SIM_CENTRAL": "process"}),
]


def run(path: str, env: dict[str, str]) -> tuple[float, bool]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           path], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True)
    if proc.returncode:
        print(proc.stdout[-3000:], file=sys.stderr)
    return time.monotonic() - started, proc.returncode == 0


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    base = {"WALLETPOS_KILLS": str(args.kills), "WALLETPOS_SIM_OPS": str(args.ops)}
    print(f"Machine: {describe()}. kills {args.kills}, simulation operations {args.ops}.")
    print("| test file | before s | after s | both passed | load average at the end |")
    print("| --- | --- | --- | --- | --- |")
    for _ in range(args.rounds):
        for path, before, after in CASES:
            old, ok_old = run(path, {**base, **before})
            new, ok_new = run(path, {**base, **after})
            print(f"| {path} | {old:.0f} | {new:.0f} | {ok_old and ok_new} | {load()} |",
                  flush=True)


if __name__ == "__main__":
    main()
