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
from pathlib import Path

import pytest
from packaging_helpers import Runner

BUNDLE_ENV = "WALLETPOS_BUNDLE"
collect_ignore_glob = [] if os.environ.get(BUNDLE_ENV) else ["test_*.py"]
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


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


@pytest.fixture(scope="session")
def walletpos(bundle: Path, clean_env: dict[str, str], user_home: Path) -> Runner:
    return Runner(str(bundle / "walletpos"), clean_env, user_home)
