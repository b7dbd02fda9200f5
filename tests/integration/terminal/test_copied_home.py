"""A terminal folder copied to another account cannot sign: the real `walletpos` executable and
the real central, the copy run with another OS user's config folder (XDG_CONFIG_HOME, HOME), so
the secret that unlocks terminal.key is not found there. The copy exits 2 `key_unavailable`,
naming where it looked; the original keeps working."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from terminal_live import LiveCentral, issue

from wallet_sync.central.admin_client import AdminClient

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def cli(home: Path, *args: str, **env: str) -> tuple[int, dict[str, Any]]:
    full = {**os.environ, "WALLETPOS_HOME": str(home), **env}
    proc = subprocess.run([WALLETPOS, "terminal", *args, "--json"], capture_output=True,
                          text=True, env=full, timeout=60)
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_copied_folder_cannot_sign(tmp_path: Path, central: LiveCentral,
                                   admin: AdminClient) -> None:
    home = tmp_path / "till"
    code, = issue(admin, "store-credit")
    status, out = cli(home, "enroll", "--central", central.url, "--code",
                      admin.enroll_code("S1")["code"])
    assert status == 0, out
    assert not (home / ".wrapping-key").exists()

    copy = tmp_path / "elsewhere" / "till"
    shutil.copytree(home, copy)
    other = tmp_path / "other-user"
    other.mkdir(mode=0o700)
    elsewhere = {"XDG_CONFIG_HOME": str(other / ".config"), "HOME": str(other)}
    for args in (("sync",), ("redeem", "--code", code, "--amount", "1.00")):
        status, out = cli(copy, *args, **elsewhere)
        assert status == 2 and out["error"] == "key_unavailable", out
        assert "walletpos-terminal" in out["message"]
        assert str(other / ".config" / "walletpos" / "terminal-secrets") in out["message"]

    status, out = cli(home, "redeem", "--code", code, "--amount", "1.00")
    assert status == 0 and out["status"] == "approved" and out["offline"] is False
    assert cli(home, "sync")[0] == 0
