"""`walletpos --version`, `walletpos doctor` and `walletpos central migrate` as a user runs
them from the venv (the packaging smoke tests run the same commands inside the bundle)."""

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

WALLETPOS = str(Path(sys.executable).with_name("walletpos"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WALLETPOS, *args], capture_output=True, text=True, timeout=120)


def test_version_is_the_installed_distributions() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout == f"walletpos {version('walletpos')}\n"


def test_doctor_finds_the_decoders_qt_and_the_sound_backend() -> None:
    done = run("doctor", "--json")
    report = json.loads(done.stdout)
    assert report["frozen"] is False
    assert report["decoders"] == {"ok": True, "zxing": True, "pyzbar": True, "opencv": True}
    assert report["multimedia"]["backend_formats"] > 0
    assert done.returncode == (0 if report["ok"] else 1)


def test_migrate_brings_a_database_to_head_without_a_new_admin_key(tmp_path: Path) -> None:
    db = str(tmp_path / "central.db")
    assert json.loads(run("central", "init", "--db", db, "--json").stdout)["admin_key"]
    done = run("central", "migrate", "--db", db, "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == {"migrated": True}
    broken = run("central", "migrate", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x",
                 "--json")
    assert broken.returncode == 2 and json.loads(broken.stdout)["error"] == "migrate_failed"
