"""The packaging smoke tests run against a built bundle and .deb, never in a plain `make test`:
`make package-test` sets WALLETPOS_BUNDLE (and WALLETPOS_DEB) and names this folder. Without
WALLETPOS_BUNDLE nothing here is collected; with it, a missing bundle fails — never skips —
so CI cannot pass on a package it did not build.

Every command runs as a store's user would run it: from an empty folder outside the checkout,
with PATH holding only the system's folders (no venv, no PYTHONPATH, no VIRTUAL_ENV), a fresh
HOME, and the offscreen Qt platform.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

BUNDLE_ENV = "WALLETPOS_BUNDLE"
collect_ignore_glob = [] if os.environ.get(BUNDLE_ENV) else ["test_*.py"]
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundle() -> Path:
    path = Path(os.environ[BUNDLE_ENV])
    exe = path / "walletpos"
    assert exe.is_file() and os.access(exe, os.X_OK), f"no bundle at {path}: run `make package`"
    return path


@pytest.fixture(scope="session")
def user_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store-user")


@pytest.fixture(scope="session")
def clean_env(user_home: Path) -> dict[str, str]:
    env = {"PATH": SYSTEM_PATH, "HOME": str(user_home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(user_home / "run")}
    (user_home / "run").mkdir(mode=0o700, exist_ok=True)
    return env


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


@pytest.fixture(scope="session")
def walletpos(bundle: Path, clean_env: dict[str, str], user_home: Path) -> Runner:
    return Runner(str(bundle / "walletpos"), clean_env, user_home)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
