"""Two central processes share the jobs and never do one twice: two `walletpos central
run-jobs` processes started together on one PostgreSQL database (rows taken `FOR UPDATE SKIP
LOCKED`) work through webhook deliveries, the birthday schedule, its trigger firings and their
emails — and the receiver gets every event exactly once, every customer one firing and one
email. (On SQLite one process runs the jobs; the takers would serialise at BEGIN IMMEDIATE.)"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from core.rules.context import local_time
from wallet_sync.central.app import open_central_key
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings
from wallet_sync.central.messages import MessageSettings
from wallet_sync.central.tables import Job, OutboxEvent, TriggerFiring

from .helpers import EXAMPLE_PROGRAMS, Env, LiveServer, count
from .receivers import Mailbox, Receiver

CUSTOMERS = 8
TRIGGERS = """
triggers:
  - id: birthday-points
    program: club
    on: {date: birthday, at: "00:00"}
    actions:
      - grant_points: 10
      - send_message: {channel: email, subject: "Happy birthday", text: "10 points for you."}
"""


@pytest.fixture
def http(live: LiveServer, env: Env) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"},
                      timeout=30) as client:
        yield client


def run_jobs(db_url: str, mailbox: Mailbox) -> subprocess.Popen[str]:
    env = {**os.environ, "WALLETPOS_SMTP_HOST": "127.0.0.1",
           "WALLETPOS_SMTP_PORT": str(mailbox.port), "WALLETPOS_JOBS_BATCH": "2",
           "WALLETPOS_JOBS_BACKOFF_BASE_S": "1"}
    return subprocess.Popen([sys.executable, "-m", "pos_app.cli", "central", "run-jobs",
                             "--db", db_url, "--json"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_processes_never_deliver_or_fire_twice(http: httpx.Client, env: Env) -> None:
    if not env.db_url.startswith("postgresql"):
        pytest.skip("several central processes share jobs on PostgreSQL")
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        source = f.read() + TRIGGERS
    assert http.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                     ).status_code == 200
    with Receiver() as receiver, Mailbox() as mailbox:
        receiver.meet(2)  # the first deliveries wait until both processes are sending
        made = http.post("/v1/admin/webhooks", json={
            "url": receiver.url, "events": ["customer.created", "points.earned"]})
        assert made.status_code == 200, made.text
        today = local_time(int(time.time()), "UTC").date()
        born = dt.date(1992, today.month, today.day).isoformat()
        for i in range(CUSTOMERS):
            code = http.post("/v1/admin/customers", json={
                "program": "club", "birthday": born, "email": f"c{i}@example.com"}).json()["code"]
            token = http.post(f"/v1/admin/customers/{code}/consent/request",
                              json={"channel": "email", "source": "test"}).json()["token"]
            http.post("/v1/admin/consent/confirm", json={"token": token})

        procs = [run_jobs(env.db_url, mailbox) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (_, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err[-2000:]
        worked = [sum(v for k, v in json.loads(out)["jobs"].items() if k != "scheduled")
                  for out, _ in outs]
        assert all(worked), worked  # both took jobs: they really shared the queue
        # Whatever one process made late (a message after the other's last take) is left for
        # the next pass; a third pass (this process) finishes it and repeats nothing either.
        db = Database(env.db_url)
        tail = Automation(db, open_central_key(db), settings=JobSettings(),
                          message_settings=MessageSettings(smtp_host="127.0.0.1",
                                                           smtp_port=mailbox.port))
        tail.run_pass()
        tail.close()
        db.dispose()

        ids = collections.Counter(r.json["id"] for r in receiver.received)
        assert ids and max(ids.values()) == 1, ids.most_common(3)
        events = count(env.db_url, OutboxEvent)
        assert len(ids) == events == 2 * CUSTOMERS  # customer.created + points.earned each
        assert count(env.db_url, TriggerFiring) == CUSTOMERS
        to = collections.Counter(m["To"] for m in mailbox.messages)
        assert len(to) == CUSTOMERS and max(to.values()) == 1, to.most_common(3)
        assert count(env.db_url, Job, Job.status != "done") == 0
        assert count(env.db_url, Job, Job.kind == "schedule") == 1
