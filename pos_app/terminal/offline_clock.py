"""How long the terminal has been on its own, and what time it is at central — measured so that
moving the wall clock cannot stretch an offline window or a grant.

A mark is taken when something trustworthy happens (a complete sync; each change page, which
carries central's `server_time`): the wall clock, and the boot clock (id of this boot plus
milliseconds since boot, CLOCK_BOOTTIME, which includes suspend and which nobody sets). Time
since a mark is:

- the same boot: the larger of the boot clock's and the wall clock's elapsed time — setting the
  wall clock back changes nothing, setting it forward only shortens what is allowed;
- after a reboot (boot clock unusable): the wall clock, which must not read earlier than the
  latest wall time the journal has recorded — if it does, the clock was set back and nothing is
  trusted (the window counts as used up). What remains is a reboot plus a clock set back to a
  time after the newest entry: bounded by how long the terminal sat idle before it, and in
  escrow it can never overdraw anyway (a grant is reserved on central until released).

Central's clock now = the last page's server_time + time since that mark. Grants carry their
expiry in central time, so the terminal's own clock never decides how long a grant lives.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, text

BootClock = Callable[[], tuple[str, int]]  # (boot id, ms since boot)
_BOOT_ID = "/proc/sys/kernel/random/boot_id"
UNTRUSTED_MS = 10**15  # "longer than any window": the clock cannot be believed


def system_boot_clock() -> tuple[str, int]:
    """Linux: the kernel's boot id and CLOCK_BOOTTIME. Elsewhere no boot id ("": never matches),
    so only the guarded wall clock is used."""
    try:
        with open(_BOOT_ID, encoding="ascii") as f:
            boot_id = f.read().strip()
        return boot_id, time.clock_gettime_ns(time.CLOCK_BOOTTIME) // 1_000_000
    except (OSError, AttributeError):
        return "", time.monotonic_ns() // 1_000_000


def _meta(conn: Connection, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).first()
    return row[0] if row else None


def _set(conn: Connection, key: str, value: str | int) -> None:
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": str(value)})


def save_mark(conn: Connection, name: str, wall_ms: int, boot: tuple[str, int]) -> None:
    """Record a mark `name` ("sync" or "central"). The sync mark's wall part keeps its old key
    `last_sync_ms`, which `balance` reports as the replica's as-of time."""
    _set(conn, "last_sync_ms" if name == "sync" else f"{name}_wall_ms", wall_ms)
    _set(conn, f"{name}_boot_id", boot[0])
    _set(conn, f"{name}_boot_ms", boot[1])


def elapsed_ms(conn: Connection, name: str, now_wall_ms: int, boot: tuple[str, int]
               ) -> int | None:
    """Milliseconds since mark `name`, never less than really passed (see the module doc);
    None if there is no such mark."""
    wall = _meta(conn, "last_sync_ms" if name == "sync" else f"{name}_wall_ms")
    if wall is None:
        return None
    latest = conn.execute(text("SELECT MAX(wall_ms) FROM journal")).scalar() or 0
    wall_elapsed = max(now_wall_ms, int(latest)) - int(wall)
    boot_id, boot_ms = _meta(conn, f"{name}_boot_id"), _meta(conn, f"{name}_boot_ms")
    if boot_id and boot_ms is not None and boot_id == boot[0]:
        return max(wall_elapsed, boot[1] - int(boot_ms))
    if now_wall_ms < int(latest):
        return UNTRUSTED_MS
    return wall_elapsed


def central_now(conn: Connection, now_wall_ms: int, boot: tuple[str, int]) -> int | None:
    """Central's clock as this terminal can vouch for it (unix seconds); None before any page."""
    server = _meta(conn, "central_server_s")
    since = elapsed_ms(conn, "central", now_wall_ms, boot)
    if server is None or since is None:
        return None
    return int(server) + max(since, 0) // 1000


def save_central(conn: Connection, server_s: int, wall_ms: int, boot: tuple[str, int]) -> None:
    _set(conn, "central_server_s", server_s)
    save_mark(conn, "central", wall_ms, boot)
