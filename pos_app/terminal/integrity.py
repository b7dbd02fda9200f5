"""Is terminal.db a sound SQLite file? The check at open, the full check of `verify`, and one
typed error for a damaged file wherever SQLite notices it.

A byte flipped on disk (a failing SD card, a power cut on cheap flash, a hand edit) used to
surface as a raw sqlite3 traceback with exit 1, or not at all. Here:

- `check_at_open` runs `PRAGMA quick_check` when the file is at most QUICK_CHECK_MAX_BYTES
  (what that costs is measured by bench/integrity_check.py, docs/PERFORMANCE.md); a bigger file
  is checked when a screen starts (`quick_check`, whatever the size) and by `verify`, which
  always runs the full `PRAGMA integrity_check` (`full_check`).
- `is_corruption` tells SQLite's "file is not a database" (SQLITE_NOTADB) and "database disk
  image is malformed" (SQLITE_CORRUPT, with its extended codes) from every other error, so the
  engine hook in `database` turns exactly those into `DatabaseCorrupt`, whichever statement
  met them. "database is locked" and a full disk stay what they are.

`DatabaseCorrupt` is a `WalletError` (reason `database_corrupt`): the CLI answers it with exit 2
and its JSON error, the screens with their sentence for the reason. Its message says what to do,
because the cashier cannot repair a file: restore the folder from a backup or re-enroll; central
holds every entry the till had synced. The balance view's check against the journal is a
different question (is the figure right, not is the file readable): `balance.mismatch`.

This module imports nothing of the terminal's, so `database` can use it at engine creation.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from core.errors import WalletError

# quick_check reads every page once: 1.4-4 ms a MB on the shared 2-core machine, warm cache
# (docs/PERFORMANCE.md, "Terminal database integrity"), so 16 MB (a store of about 100,000
# cards) costs every command at most ~65 ms. A chain-wide replica of 1,000,000 cards (92 MB,
# 170-230 ms) is checked only where a start is rare: when a screen starts (`quick_check`), and
# by `verify`.
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_MAX_PROBLEMS = 5  # integrity_check lists every damaged page; the first few say enough


class DatabaseCorrupt(WalletError):
    """terminal.db is damaged: nothing is decided from it until it is replaced."""

    reason = "database_corrupt"


def corrupt(path: Path | str, detail: str) -> DatabaseCorrupt:
    """The error for a damaged PATH, with what the person at the till should do next."""
    return DatabaseCorrupt(
        f"the terminal database {path} is damaged ({detail}); nothing was changed. Stop using "
        "this till, restore its folder from the latest backup, or move the folder aside and "
        "enroll the till again (`walletpos terminal enroll`): head office holds every entry "
        "this till had synced")


def is_corruption(exc: BaseException | None) -> bool:
    """True for SQLite's own "not a database" / "malformed" errors, however wrapped."""
    seen = 0
    while exc is not None and seen < 8:  # SQLAlchemy keeps the driver's error in .orig
        if isinstance(exc, sqlite3.DatabaseError):
            code = getattr(exc, "sqlite_errorcode", None)
            if code is not None:
                return (code & 0xFF) in _CORRUPT_CODES  # extended codes keep the primary low
            text = str(exc)
            return "malformed" in text or "not a database" in text
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return False


def check_at_open(conn: Connection, path: Path) -> None:
    """`PRAGMA quick_check` on a file small enough to check at every start; DatabaseCorrupt
    naming the first problems otherwise."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # not created yet: SQLite makes it on first write
    if size <= QUICK_CHECK_MAX_BYTES:
        quick_check(conn, path)


def quick_check(conn: Connection, path: Path) -> None:
    """`PRAGMA quick_check` whatever the size (a screen's start: once a shift)."""
    problems = _pragma(conn, "quick_check", path)
    if problems:
        raise corrupt(path, "; ".join(problems))


def full_check(conn: Connection, path: Path) -> None:
    """`PRAGMA integrity_check` (every page, index and constraint), whatever the size."""
    problems = _pragma(conn, "integrity_check", path)
    if problems:
        raise corrupt(path, "; ".join(problems))


def _pragma(conn: Connection, pragma: str, path: Path) -> list[str]:
    try:
        rows = conn.exec_driver_sql(f"PRAGMA {pragma}({_MAX_PROBLEMS})").fetchall()
    except DBAPIError as exc:  # the engine hook already names corruption; this is for others
        if is_corruption(exc):  # damaged enough that the check itself cannot read it
            raise corrupt(path, str(exc.orig)) from exc
        raise
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found
