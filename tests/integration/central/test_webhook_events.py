"""More webhook events against the real central: `points.expiring` announces a lot once, on
the day it comes within the window; and the automation thread of a serving central
(`create_app(automation=True)`, as `central serve` runs it) delivers without any manual pass."""

from __future__ import annotations

import time

import httpx
from starlette.testclient import TestClient

from wallet_sync.central.app import create_app
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.tables import MemberLot

from .helpers import Clock, Env, LiveServer
from .receivers import Receiver
from .test_webhooks import admin, automation, http, receiver, verify

__all__ = ["automation", "http", "receiver"]  # the fixtures, shared with test_webhooks


def test_points_expiring_is_announced_once(live: LiveServer, env: Env, http: httpx.Client,
                                           receiver: Receiver, automation: Automation,
                                           clock: Clock) -> None:
    admin(live, env, "webhooks", "add", "--url", receiver.url, "--events", "points.expiring")
    code = http.post("/v1/admin/members", json={"program": "club"}).json()["code"]
    lapses = int(clock()) + 14 * 86400 - 3600  # within the window 14 days ahead
    db = Database(env.db_url)
    with db.write() as session:  # a lot as a pushed earn leaves it (expiry from the till)
        session.add(MemberLot(member=code, lot_id="T-1:1", points=80, remaining=80,
                              earned_at=int(clock()), expires_at=lapses))
    db.dispose()
    automation.run_pass()
    clock.advance(86400)  # the next day's scan: the lot is 13 days ahead now, not announced
    automation.run_pass()
    (sent,) = receiver.received
    assert sent.json["type"] == "points.expiring"
    assert sent.json["data"] == {"member": code, "program": "club", "points": 80,
                                 "expires_at": lapses}


def test_the_serve_thread_delivers(env: Env, receiver: Receiver) -> None:
    with TestClient(create_app(env.db_url, automation=True)) as client:
        client.headers["Authorization"] = f"Bearer {env.admin_key}"
        made = client.post("/v1/admin/webhooks", json={"url": receiver.url}).json()
        queued = client.post(f"/v1/admin/webhooks/{made['id']}/test").json()
        deadline = time.monotonic() + 15
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [r.json["id"] for r in receiver.received] == [queued["event"]]
    verify(receiver.received[0], made["secret"])
