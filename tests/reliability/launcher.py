"""How the crash harness starts its `walletpos` processes: exec'd afresh, or forked from a
fork server that has imported the CLI once.

Most of a `walletpos terminal redeem` process's life is Python importing SQLAlchemy, pydantic,
httpx and the CEL engine (about a second on a loaded 2-core machine); the redemption itself
takes tens of milliseconds. The harness kills processes to test what happens to the terminal's
store and to central when a process dies in the middle of its work, so paying the import for
every one of hundreds of processes buys nothing. `ForkLauncher` uses the standard library's
fork server (`multiprocessing`, start method "forkserver", CLI modules preloaded): every
process it starts is still a separate OS process with its own pid, its own SQLite connections
and sockets, killed with a real SIGKILL; it only skips the imports. Nothing is opened in the
fork server before it forks (it only imports), so no connection or lock is shared.

`ExecLauncher` is the old way (`subprocess.Popen` of the console script); `bench/ci_cost.py`
runs both in one run to measure what the fork server saves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Protocol

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))
# What a harness process imports, loaded once in the fork server ("__main__": the caller's main
# module, which a forked child would otherwise re-import each time; it must guard its entry).
PRELOAD = ["__main__", "pos_app.cli", "pos_app.cli.terminal_cmd", "pos_app.cli.central_cmd",
           "wallet_sync.central.server"]


class Proc(Protocol):
    pid: int

    def poll(self) -> int | None: ...

    def kill(self) -> None: ...

    def wait(self) -> int: ...

    def output(self) -> str: ...


class _Popen:
    def __init__(self, args: list[str], out: Path, err: Path | None) -> None:
        self.out = out
        with open(out, "wb") as stdout, open(err or os.devnull, "ab") as stderr:
            self.proc = subprocess.Popen([WALLETPOS, *args], stdout=stdout, stderr=stderr)
        self.pid = self.proc.pid

    def poll(self) -> int | None:
        return self.proc.poll()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def wait(self) -> int:
        return self.proc.wait()

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")


class ExecLauncher:
    """A fresh interpreter per process (`walletpos ARGS`)."""

    def start(self, args: list[str], out: Path, err: Path | None = None) -> Proc:
        return _Popen(args, out, err)

    def close(self) -> None:
        pass


def _child(args: list[str], out: str, err: str | None) -> None:
    """Runs in the forked process: stdout and stderr to files, then the CLI as `walletpos`."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.close(fd)
    efd = os.open(err or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(efd, 2)
    os.close(efd)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - own streams
    sys.argv = [WALLETPOS, *args]
    from pos_app.cli import main

    main()


class _Forked:
    def __init__(self, process: multiprocessing.process.BaseProcess, out: Path) -> None:
        self.process = process
        self.out = out
        assert process.pid is not None
        self.pid = process.pid

    def poll(self) -> int | None:
        return self.process.exitcode

    def kill(self) -> None:
        self.process.kill()  # SIGKILL
        self.process.join()

    def wait(self) -> int:
        self.process.join()
        return int(self.process.exitcode or 0)

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")


class ForkLauncher:
    """Processes forked from one fork server that imported the CLI (see module doc)."""

    def __init__(self) -> None:
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(PRELOAD)

    def start(self, args: list[str], out: Path, err: Path | None = None) -> Proc:
        process = self.ctx.Process(target=_child, args=(args, str(out), err and str(err)))
        process.start()
        return _Forked(process, out)

    def close(self) -> None:
        # The fork server is the multiprocessing module's own; it exits with this process.
        pass


def launcher(kind: str | None = None) -> ExecLauncher | ForkLauncher:
    """`WALLETPOS_LAUNCH=exec` brings back one interpreter per process."""
    kind = kind or os.environ.get("WALLETPOS_LAUNCH", "fork")
    return ExecLauncher() if kind == "exec" else ForkLauncher()
