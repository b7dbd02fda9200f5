"""Webhooks end to end against the real central on loopback: `walletpos admin webhooks add`
prints {"id", "secret"}; an online redemption pushed by a terminal reaches a real HTTP receiver
as a correctly signed `redemption.created`; after the receiver answers 500 the retry carries the
same id; a delivery that keeps failing is given up and `webhooks list` shows it; the secret is
sealed at rest; only http(s) URLs are accepted."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.app import open_central_key
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings
from wallet_sync.central.tables import Job, OutboxEvent, WebhookEndpoint

from .helpers import Clock, Env, LiveServer, Term, count, issue, load_example_programs
from .receivers import Receiver

FAST = JobSettings(backoff_base_s=2, backoff_cap_s=4, give_up_s=60, http_timeout_s=5)


@pytest.fixture
def http(live: LiveServer, env: Env) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"},
                      timeout=30) as client:
        load_example_programs(client)
        yield client


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def automation(env: Env, clock: Clock) -> Iterator[Automation]:
    db = Database(env.db_url)
    runner = Automation(db, open_central_key(db), clock, FAST)
    try:
        yield runner
    finally:
        runner.close()
        db.dispose()


def admin(live: LiveServer, env: Env, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                      *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def verify(received: Any, secret: str) -> int:
    """What an integrator does (docs/MESSAGING.md): the signed time, or an AssertionError."""
    parts = dict(p.split("=", 1) for p in received.headers["Walletpos-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + received.body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return int(parts["t"])


def test_signed_redemption_created_and_the_retry_keeps_its_id(
        live: LiveServer, env: Env, http: httpx.Client, receiver: Receiver,
        automation: Automation, clock: Clock) -> None:
    made = admin(live, env, "webhooks", "add", "--url", receiver.url + "/hooks",
                 "--events", "redemption.created,card.loaded")
    assert set(made) == {"id", "secret"} and made["id"].startswith("we_")
    # Sealed at rest: the database holds no plain secret.
    db = Database(env.db_url)
    with db.read() as session:
        stored = session.get(WebhookEndpoint, made["id"])
        assert stored is not None and made["secret"] not in stored.secret
    db.dispose()

    term = Term(http)
    (code,) = issue(http, value="50.00")
    resp = term.push([term.entry("redeem", card=code, amount=1250)])  # authorized online
    assert resp.status_code == 200 and resp.json()["results"][0]["status"] == "applied"

    receiver.statuses.append(500)
    assert automation.run_pass().get("retry") == 1
    listed = admin(live, env, "webhooks", "list", "--json")["webhooks"][0]
    assert listed["retrying"][0]["last_status"] == 500 and listed["deliveries"]["pending"] == 1
    assert automation.run_pass().get("retry") is None  # not due yet (backoff)
    clock.advance(5)
    assert automation.run_pass().get("done") == 1

    first, retry = receiver.received
    assert first.path == "/hooks" and first.body == retry.body
    # Each attempt is signed anew at central's time (advanced 5 s here), so an integrator's
    # replay window never rejects a retry.
    assert verify(retry, made["secret"]) >= verify(first, made["secret"]) + 5
    event = retry.json
    assert set(event) == {"id", "type", "created", "data"}
    assert event["id"].startswith("evt_") and event["type"] == "redemption.created"
    assert event["data"] | {"store": "S1"} == {
        "card": code, "amount": "12.50", "amount_minor": 1250, "currency": "EUR",
        "store": "S1", "terminal": term.id, "seq": 1, "online": True}
    listed = admin(live, env, "webhooks", "list", "--json")["webhooks"][0]
    assert listed["deliveries"] == {"pending": 0, "done": 1, "failed": 0}
    # A second pass sends nothing again.
    assert automation.run_pass().get("done") is None and len(receiver.received) == 2


def test_a_delivery_that_keeps_failing_is_given_up_and_listed(
        live: LiveServer, env: Env, http: httpx.Client, receiver: Receiver,
        automation: Automation, clock: Clock) -> None:
    made = admin(live, env, "webhooks", "add", "--url", receiver.url)
    queued = admin(live, env, "webhooks", "test", made["id"], "--json")
    receiver.statuses.extend([503] * 50)
    outcomes: dict[str, int] = {}
    for _ in range(30):
        for k, v in automation.run_pass().items():
            outcomes[k] = outcomes.get(k, 0) + v
        clock.advance(5)
        if outcomes.get("failed"):
            break
    assert outcomes.get("failed") == 1 and outcomes.get("retry", 0) >= 3
    ids = {r.json["id"] for r in receiver.received}
    assert ids == {queued["event"]}  # every attempt the same event
    assert receiver.received[0].json["type"] == "webhook.test"
    listed = admin(live, env, "webhooks", "list", "--json")["webhooks"][0]
    assert listed["deliveries"]["failed"] == 1
    assert listed["failed"][0]["event"] == queued["event"]
    assert listed["failed"][0]["last_status"] == 503
    human = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                     "webhooks", "list"])
    assert f"failed {queued['event']}" in human.output

    assert admin(live, env, "webhooks", "remove", made["id"], "--json")["id"] == made["id"]
    assert admin(live, env, "webhooks", "list", "--json")["webhooks"] == []


def test_no_listener_no_event_and_only_http_urls(env: Env, http: httpx.Client) -> None:
    term = Term(http)
    (code,) = issue(http, value="50.00")
    assert term.push([term.entry("redeem", card=code, amount=100)]).status_code == 200
    assert count(env.db_url, OutboxEvent) == 0 and count(env.db_url, Job) == 0
    for url in ("file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)", "http://"):
        resp = http.post("/v1/admin/webhooks", json={"url": url})
        assert resp.status_code == 422 and resp.json()["error"] == "invalid_url", url
    resp = http.post("/v1/admin/webhooks", json={"url": "https://example.com/h",
                                                 "events": ["no.such"]})
    assert resp.status_code == 422 and resp.json()["error"] == "invalid_events"
    assert count(env.db_url, WebhookEndpoint) == 0

