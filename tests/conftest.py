"""Every test runs away from the developer's own secrets: the OS keyring is the null backend
(it stores nothing, so the code falls back to its secret files) and the OS user's config
folder is a temporary one, shared by the processes a test starts. Set before any test module
imports keyring or platformdirs.

Under xdist (`make test`: a file per worker), the long reliability harnesses are collected
first so that each starts at once on a worker while the other works through the rest, instead
of one of them starting last and running alone for minutes (`--no-loadscope-reorder` keeps
this order; xdist would otherwise put the files with the most tests first)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CONFIG_HOME = tempfile.mkdtemp(prefix="walletpos-config-")


def pytest_configure(config: pytest.Config) -> None:
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    os.environ["XDG_CONFIG_HOME"] = _CONFIG_HOME
    for name in ("WALLETPOS_KEY_PASSPHRASE", "WALLETPOS_CENTRAL_KEY_PASSPHRASE",
                 "WALLETPOS_CENTRAL_KEY_FILE"):
        os.environ.pop(name, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CONFIG_HOME, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: slow first
