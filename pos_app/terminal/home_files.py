"""Who may read the terminal home: the folder is 0700 and every file the terminal keeps in it
is 0600, because `terminal.db` holds the store's staff (sealed PIN hashes), balances and the
journal, and `terminal.key` the encrypted signing key.

Set on creation (the folder made 0700; `terminal.db` made empty with 0600 before SQLite opens
it, so SQLite gives its `-wal`/`-shm`/`-journal` companions the same mode) and checked at every
start: a home or file that group or others may read is refused with the `chmod` to run, never
silently repaired (who made it readable, and who read it meanwhile, is the store's question).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from core.errors import WalletError

DB_NAME = "terminal.db"
# The files the terminal writes in its home; other files a person puts there are theirs.
OWN_PREFIXES = ("terminal.db", "terminal.key", "terminal.id")


class HomeTooOpen(WalletError):
    reason = "home_too_open"


def prepare(home: Path) -> None:
    """Make HOME (0700) and an empty 0600 `terminal.db` when they do not exist yet."""
    if not home.exists():
        home.mkdir(mode=0o700, parents=True)
        os.chmod(home, 0o700)  # mkdir's mode is filtered by the umask; be exact
    db = home / DB_NAME
    if not db.exists():
        try:
            fd = os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago
            return
        os.close(fd)


def check(home: Path) -> None:
    """Raise HomeTooOpen when HOME or one of the terminal's files in it is readable (or
    writable) by anyone but its owner."""
    mode = stat.S_IMODE(home.stat().st_mode)
    if mode & 0o077:
        raise HomeTooOpen(f"the terminal home {home} is open to other users (mode "
                          f"{mode:o}); run: chmod 700 {home}", "home_too_open")
    for path in sorted(home.iterdir()):
        if not path.name.startswith(OWN_PREFIXES) or not path.is_file():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise HomeTooOpen(f"{path} is open to other users (mode {mode:o}); run: "
                              f"chmod 600 {path}", "file_too_open")
