"""Running the jobs: one pass takes due jobs (`jobs.take`) and does each by kind — deliver a
webhook, run the triggers for an event or a schedule, send a message — then reports the
outcome under its lease. `central serve` runs passes on a daemon thread (`AutomationWorker`,
like the daily segments thread); `walletpos central run-jobs` runs one pass by hand or from an
external scheduler. Any number of processes may run passes on one PostgreSQL database: a job is
taken by one of them (`FOR UPDATE SKIP LOCKED`), a schedule occurrence becomes one job (its
key), and a trigger fires once per customer and occurrence (`trigger_firings`' unique key).

What happens inside the database (a trigger's points, gift card, message job) commits in one
transaction with the firing row, so it happens once. What leaves central (an HTTP POST, an
SMTP message) is at least once: after a crash between sending and recording, the lease runs
out and the job is tried again — with the same event id, which receivers deduplicate on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

import httpx

from wallet_sync.central import jobs, messages, referrals, triggers, webhooks
from wallet_sync.central.data_keys import DataKeys
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings, Taken
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.messages import MessageSettings

log = logging.getLogger("walletpos.central")
MAX_BATCHES = 50  # per pass: the next pass takes the rest


class Automation:
    def __init__(self, db: Database, key: SigningKey, clock: Callable[[], float] = time.time,
                 settings: JobSettings | None = None,
                 message_settings: MessageSettings | None = None) -> None:
        self.db, self.clock, self.key = db, clock, key
        self.keys = DataKeys(key)
        self.settings = settings or JobSettings.from_env()
        self.messages = message_settings or MessageSettings.from_env()
        self.http = httpx.Client(timeout=self.settings.http_timeout_s, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def now(self) -> int:
        return int(self.clock())

    def run_pass(self) -> dict[str, int]:
        """Schedules that are due become jobs; then due jobs until none is left (or
        MAX_BATCHES). Counts by outcome: done, retry, failed."""
        counts: Counter[str] = Counter()
        counts["scheduled"] = triggers.schedule_due(self.db, self.now(),
                                                    self.settings.expiring_days)
        for _ in range(MAX_BATCHES):
            taken = jobs.take(self.db, self.now(), self.settings)
            for job in taken:
                counts[self._run(job)] += 1
            if not taken:  # jobs the last ones made (a trigger's message) are due at once
                break
        return dict(counts)

    def _run(self, job: Taken) -> str:
        try:
            if job.kind == "webhook":
                return self._webhook(job)
            if job.kind == "schedule":
                return self._schedule(job)
            if job.kind == "referral":
                with self.db.write() as session:
                    note = referrals.run_job(session, job, self.now(), self.key)
                    jobs.succeed(session, job, self.now(), note=note)
                return "done"
            if job.kind in ("trigger", "expiring"):
                with self.db.write() as session:
                    note = triggers.run_job(session, job, self.now(), self.key)
                    jobs.succeed(session, job, self.now(), note=note)
                return "done"
            if job.kind in messages.CHANNELS:
                return self._message(job)
            return self._failed(job, None, f"unknown job kind {job.kind!r}")
        except Exception as exc:  # one job's failure must not stop the others
            log.exception("job %s (%s) failed", job.id, job.kind)
            return self._failed(job, None, f"{type(exc).__name__}: {exc}")

    def _schedule(self, job: Taken) -> str:
        """A day's scan, one transaction per batch of members, the lease renewed each time."""
        after: str | None = ""
        fired = 0
        while after is not None:
            with self.db.write() as session:
                if not jobs.renew(session, job, self.now(), self.settings):
                    return "lost"  # the lease ran out and another process has the job
                done, after = triggers.run_schedule_batch(session, job, after, self.now(),
                                                          self.key)
                fired += done
        with self.db.write() as session:
            jobs.succeed(session, job, self.now(), note=f"fired {fired}")
        return "done"

    def _failed(self, job: Taken, status: int | None, error: str) -> str:
        with self.db.write() as session:
            return jobs.retry_or_give_up(session, job, self.now(), self.settings,
                                         status=status, error=error)

    def _webhook(self, job: Taken) -> str:
        with self.db.read() as session:
            delivery = webhooks.prepare(session, self.keys, job.target or "", job.event or "")
        if isinstance(delivery, str):
            with self.db.write() as session:  # nothing to retry: given up at once
                jobs.retry_or_give_up(session, job, self.now(),
                                      jobs.JobSettings(give_up_s=0), status=None,
                                      error=delivery)
            return "failed"
        status, note = webhooks.post(delivery, self.http, self.now())
        if status is not None and 200 <= status < 300:
            with self.db.write() as session:
                jobs.succeed(session, job, self.now(), status=status)
            return "done"
        return self._failed(job, status, note)

    def _message(self, job: Taken) -> str:
        with self.db.read() as session:
            prepared = messages.prepare(session, self.keys, job, self.messages)
        if isinstance(prepared, str):  # no consent (any more), no contact: nothing to send
            with self.db.write() as session:
                jobs.succeed(session, job, self.now(), note=prepared)
            return "skipped"
        error = messages.send(prepared, self.messages, self.http)
        if error is None:
            with self.db.write() as session:
                jobs.succeed(session, job, self.now())
            return "done"
        return self._failed(job, None, error)


class AutomationWorker:
    """Passes on a daemon thread every INTERVAL seconds (sooner while there is work)."""

    def __init__(self, automation: Automation, *, interval: float = 2.0) -> None:
        self.automation, self.interval = automation, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="walletpos-automation",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)
        self.automation.close()

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.automation.run_pass()
            except Exception:  # the next pass tries again; serving must not stop for this
                log.exception("automation pass failed")
