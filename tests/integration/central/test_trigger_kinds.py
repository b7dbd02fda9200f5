"""More triggers against the real central on loopback: a daily grant that moves a member to
gold fires the tier-change trigger (a gift-card credit reward with its own expiry), an
inactivity trigger fires once per absence, and an SMS goes to the provider's webhook (signed)
only for the customer with SMS consent, in their language."""

from __future__ import annotations

import httpx
import pytest

from wallet_sync.central.app import open_central_key
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings
from wallet_sync.central.messages import Brand, MessageSettings
from wallet_sync.central.tables import TriggerFiring

from .helpers import Clock, Env, count
from .receivers import Receiver
from .test_triggers import automation, customer, http, load, mailbox, programs_with

__all__ = ["automation", "http", "mailbox"]  # the fixtures, shared with test_triggers


CHAIN = """
triggers:
  - id: daily-boost
    program: club
    on: {daily: "00:00"}
    actions: [{grant_points: 1000}]
  - id: gold-gift
    program: club
    on: {tier_change: {to: gold}}
    actions: [{give_reward: five-off-card}]
  - id: come-back
    program: club
    on: {inactive_days: 30, at: "00:00"}
    condition: customer.points >= 1000
    actions: [{grant_points: 7}]
"""
REWARD = """      - id: five-off-card
        name: "5 EUR card"
        cost: 500
        gives: {gift_card_credit: {program: gift-eur, amount: "5.00"}}
        expiry: {days_after_issue: 14}
"""


def test_tier_change_and_inactivity_triggers(http: httpx.Client, env: Env, clock: Clock,
                                             automation: Automation) -> None:
    source = programs_with(CHAIN).replace("    rewards:\n", "    rewards:\n" + REWARD, 1)
    assert load(http, source).status_code == 200, load(http, source).text
    code = customer(http, birthday=None, language="en", email="g@example.com", consent=False)
    automation.run_pass()
    shown = http.get(f"/v1/admin/customers/{code}").json()
    # daily-boost gave 1000 points; the tier moved to gold, which fired gold-gift (a chain of
    # jobs in one pass): the reward's card, linked, with the reward's own 14-day expiry.
    assert shown["points"] == 1000 and shown["tier"] == "gold"
    (card,) = shown["cards"]
    assert card["balance"] == "5.00" and card["expires_at"] == pytest.approx(
        clock() + 14 * 86400, abs=60)
    assert count(env.db_url, TriggerFiring, TriggerFiring.trigger == "come-back") == 0

    clock.advance(31 * 86400)  # no visit in 31 days
    automation.run_pass()
    automation.run_pass()
    assert count(env.db_url, TriggerFiring, TriggerFiring.trigger == "come-back") == 1
    assert count(env.db_url, TriggerFiring, TriggerFiring.trigger == "gold-gift") == 1
    assert count(env.db_url, TriggerFiring, TriggerFiring.trigger == "daily-boost") == 2
    assert http.get(f"/v1/admin/customers/{code}").json()["points"] == 2007


def test_sms_and_push_go_to_the_providers_only_with_that_consent(
        http: httpx.Client, env: Env, clock: Clock) -> None:
    source = programs_with("""
triggers:
  - id: hello
    program: club
    on: {event: customer.created}
    actions:
      - send_message: {channel: sms, text: {en: "Hi from {{ brand.name }}", ja: "こんにちは"}}
      - send_message: {channel: push, subject: Hello, text: "Welcome to {{ brand.name }}"}
""")
    assert load(http, source).status_code == 200
    codes = []
    for phone, channels in (("+819012345678", ("sms",)), ("+819087654321", ("push",))):
        code = http.post("/v1/admin/customers", json={
            "program": "club", "language": "ja", "phone": phone}).json()["code"]
        for channel in channels:
            token = http.post(f"/v1/admin/customers/{code}/consent/request",
                              json={"channel": channel, "source": "app"}).json()["token"]
            assert http.post("/v1/admin/consent/confirm",
                             json={"token": token}).status_code == 200
        codes.append(code)
    db = Database(env.db_url)
    with Receiver() as provider:
        runner = Automation(db, open_central_key(db), clock, JobSettings(),
                            MessageSettings(sms_url=provider.url + "/sms",
                                            push_url=provider.url + "/push",
                                            provider_secret="prov-secret",
                                            brand=Brand(name="Kissa Club")))
        done = runner.run_pass()
        runner.close()
    db.dispose()
    by_path = {r.path: r for r in provider.received}
    assert sorted(by_path) == ["/push", "/sms"] and len(provider.received) == 2
    sms, push = by_path["/sms"].json, by_path["/push"].json
    assert (sms["to"], sms["customer"], sms["language"]) == ("+819012345678", codes[0], "ja")
    assert "こんにちは" in sms["text"]
    assert (push["to"], push["channel"]) == (codes[1], "push")
    assert "Welcome to Kissa Club" in push["text"]
    assert by_path["/sms"].headers["Walletpos-Signature"].startswith("t=")
    assert done.get("skipped") == 2  # each customer's other channel: no consent, not sent
