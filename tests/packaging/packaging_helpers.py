"""What the packaging smoke tests share: a runner that starts a program as a store's user
would (given environment and folder, output captured), and a free loopback port."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class Runner:
    """Runs one program (the bundle's or the installed `walletpos`) like a user would."""

    def __init__(self, exe: str, env: dict[str, str], cwd: Path) -> None:
        self.exe, self.env, self.cwd = exe, env, cwd

    def __call__(self, *args: str, timeout: float = 120, check: bool = True
                 ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([self.exe, *args], capture_output=True, text=True,
                              timeout=timeout, env=self.env, cwd=self.cwd)
        if check:
            assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}"
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([self.exe, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=self.env, cwd=self.cwd)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
