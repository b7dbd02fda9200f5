"""The serve process's daily job: recompute every member's segments (`segments.recompute_all`)
a minute after start and then every 24 hours, on a daemon thread of its own.

A segment such as `dormant` changes with the calendar alone, so something must look at every
member daily; a thread in the serve process needs no cron. Each uvicorn worker runs its own
(harmless: the pass is idempotent, a second run finds nothing moved); `walletpos central
recompute-segments` runs the same pass by hand or from an external scheduler.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from wallet_sync.central import segments
from wallet_sync.central.db import Database

log = logging.getLogger("walletpos.central")
DAY = 24 * 3600
FIRST_DELAY = 60.0


class DailySegments:
    def __init__(self, db: Database, clock: Callable[[], float], *,
                 first_delay: float = FIRST_DELAY, interval: float = DAY) -> None:
        self.db, self.clock = db, clock
        self.first_delay, self.interval = first_delay, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="walletpos-daily-segments",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)

    def run_once(self) -> dict[str, int]:
        return segments.recompute_batched(self.db, int(self.clock()))

    def _run(self) -> None:
        delay = self.first_delay
        while not self.stopped.wait(delay):
            delay = self.interval
            try:
                result = self.run_once()
                log.info("daily segments: %(changed)d of %(members)d members moved", result)
            except Exception:  # the next day tries again; serving must not stop for this
                log.exception("daily segment recompute failed")
