"""A real PostgreSQL primary and its hot standby for the standby tests: `initdb` a primary on a
free loopback port, `pg_basebackup -R` it into a standby on another port, start both, stop and
remove both afterwards. The CI server on 5432 is left alone (its pg_hba.conf has no replication
line). PostgreSQL refuses to run as root, so under root the servers run as `postgres`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from wallet_sync.central.embedded import free_port


def bindir() -> Path | None:
    """PostgreSQL's server programs (`pg_config --bindir`), or None when not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    found = Path(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                check=True).stdout.strip())
    return found if (found / "postgres").exists() and (found / "pg_basebackup").exists() else None


class StandbyPair:
    """`primary_url` and `standby_url` (psycopg URLs, user postgres, database `walletpos`)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="walletpos-standby-"))
        self.as_root = os.geteuid() == 0
        self.primary_port, self.standby_port = free_port(), free_port()
        self.primary_dir, self.standby_dir = self.root / "primary", self.root / "standby"
        self.started: list[Path] = []

    def url(self, port: int, database: str = "walletpos") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}")

    def _start(self, data: Path, port: int) -> None:
        self._run("pg_ctl", "-D", str(data), "-w", "-t", "60", "-l", str(data / "log"),
                  "-o", f"-p {port} -c listen_addresses=127.0.0.1 "
                        f"-c unix_socket_directories={self.root} -c fsync=off", "start")
        self.started.append(data)

    def start(self) -> StandbyPair:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.primary_dir), "-U", "postgres", "-A", "trust",
                  "--no-sync")
        self._start(self.primary_dir, self.primary_port)
        engine = create_engine(self.url(self.primary_port, "postgres"),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CREATE DATABASE walletpos"))
        engine.dispose()
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
                  "-U", "postgres", "-D", str(self.standby_dir), "-R", "-X", "stream", "-c", "fast",
                  "--no-sync")
        self._start(self.standby_dir, self.standby_port)
        return self

    def replayed(self) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        primary = create_engine(self.url(self.primary_port, "postgres"))
        standby = create_engine(self.url(self.standby_port, "postgres"))
        try:
            with primary.connect() as conn:
                target = conn.execute(text("SELECT pg_current_wal_lsn()")).scalar_one()
            deadline = time.monotonic() + 30
            while True:
                with standby.connect() as conn:
                    behind = conn.execute(
                        text("SELECT pg_wal_lsn_diff(:t, pg_last_wal_replay_lsn()) > 0"),
                        {"t": target}).scalar_one()
                if not behind:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError("the standby did not catch up in 30 s")
                time.sleep(0.05)
        finally:
            primary.dispose()
            standby.dispose()

    def replay(self, paused: bool) -> None:
        """Pause or resume the standby's replay (it keeps receiving WAL meanwhile)."""
        engine = create_engine(self.url(self.standby_port, "postgres"),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_pause()" if paused
                              else "SELECT pg_wal_replay_resume()"))
        engine.dispose()

    def stop(self) -> None:
        for data in reversed(self.started):
            try:
                self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
