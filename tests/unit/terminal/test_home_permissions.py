"""The terminal home is the owner's alone: 0700 folder, 0600 files from the moment they exist
(the database's WAL and shared-memory files too), and a home someone opened up is refused at
start with the chmod to run (exit 2, JSON error through the CLI)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from terminal_fake_central import FakeCentral
from typer.testing import CliRunner

from pos_app.cli import terminal_app, terminal_cmd
from pos_app.terminal.home_files import HomeTooOpen
from pos_app.terminal.service import TerminalService


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_home_and_every_file_are_owner_only(home: Path, central: FakeCentral) -> None:
    with TerminalService(home, transport=central.transport()) as svc:
        svc.enroll("http://central.test", central.enroll_code())
        svc.redeem(central.issue("store-credit"), "1.00")  # the WAL and shm exist now
        files = sorted(p.name for p in home.iterdir())
        assert {"terminal.db", "terminal.db-wal", "terminal.db-shm", "terminal.key"} <= set(files)
        assert mode(home) == 0o700
        for name in files:
            assert mode(home / name) == 0o600, name


def test_open_home_is_refused_with_the_chmod(home: Path) -> None:
    TerminalService(home).close()
    home.chmod(0o755)
    with pytest.raises(HomeTooOpen) as err:
        TerminalService(home)
    assert err.value.reason == "home_too_open" and f"chmod 700 {home}" in err.value.message
    home.chmod(0o700)
    (home / "terminal.db").chmod(0o644)
    with pytest.raises(HomeTooOpen) as err:
        TerminalService(home)
    assert err.value.reason == "file_too_open"
    assert f"chmod 600 {home / 'terminal.db'}" in err.value.message
    (home / "terminal.db").chmod(0o600)
    TerminalService(home).close()


def test_cli_says_so_with_exit_2(home: Path, central: FakeCentral,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terminal_app, "TerminalService",
                        lambda h: TerminalService(h, transport=central.transport()))
    TerminalService(home).close()
    home.chmod(0o750)
    result = CliRunner().invoke(terminal_cmd.app, ["--home", str(home), "verify", "--json"])
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 2 and out["error"] == "home_too_open"
    assert "chmod 700" in out["message"]
