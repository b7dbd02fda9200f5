"""A two-variant A/B campaign with a holdout, end to end on central: a welcome trigger gives
variant a 5.00 cards and variant b 10.00 cards and the holdout nothing; each customer's group is
the deterministic `assign`; after terminals redeem b's cards and record purchases, the results
show reach, redemptions and revenue (spend since the firing) per group, with 95% intervals,
through the admin API and `walletpos admin trigger-results`."""

from __future__ import annotations

import json
from collections import Counter

from starlette.testclient import TestClient
from typer.testing import CliRunner

from core.rules.triggers import assign
from pos_app.cli import app as cli
from wallet_sync.central import trigger_results
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings
from wallet_sync.central.tables import TriggerFiring
from wallet_sync.central.trigger_definitions import definitions

from .helpers import EXAMPLE_PROGRAMS, Clock, Env, LiveServer, Term
from .test_loyalty import base_earn, loyalty_entry

CUSTOMERS = 30
CAMPAIGN = """
triggers:
  - id: welcome-ab
    program: club
    on: {event: customer.created}
    holdout: 20
    variants:
      - {id: a, weight: 1, actions: [{issue_gift_card: {program: gift-eur, amount: "5.00"}}]}
      - {id: b, weight: 1, actions: [{issue_gift_card: {program: gift-eur, amount: "10.00"}}]}
"""


def test_two_variants_and_a_holdout_with_results(client: TestClient, env: Env, clock: Clock,
                                                 live: LiveServer) -> None:
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        source = f.read() + CAMPAIGN
    assert client.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                       ).status_code == 200
    codes = [client.post("/v1/admin/customers", json={"program": "club"}).json()["code"]
             for _ in range(CUSTOMERS)]
    central = client.app.state.central  # type: ignore[attr-defined]
    runner = Automation(central.db, central.key, clock, JobSettings())
    runner.run_pass()
    runner.close()

    db = Database(env.db_url)
    with db.read() as session:
        (trigger,) = definitions(session)
        firings = {f.member: f for f in session.query(TriggerFiring)}
    assert sorted(firings) == sorted(codes)
    groups = {code: firings[code].variant for code in codes}
    assert all(groups[c] == assign(trigger, c)[0] for c in codes)  # deterministic
    sizes = Counter(groups.values())
    assert set(sizes) == {"a", "b", "holdout"}, sizes
    cards = {c: client.get(f"/v1/admin/customers/{c}").json()["cards"] for c in codes}
    assert all(not cards[c] for c in codes if groups[c] == "holdout")
    assert {cards[c][0]["balance"] for c in codes if groups[c] == "a"} == {"5.00"}
    assert {cards[c][0]["balance"] for c in codes if groups[c] == "b"} == {"10.00"}

    # At the till: every b customer spends their card and buys for 20.00; the holdout buys for
    # 10.00 each; a does nothing.
    term = Term(client)
    entries = []
    for c in codes:
        if groups[c] == "b":
            entries.append(term.entry("redeem", card=cards[c][0]["code"], amount=1000))
        spend = {"b": 2000, "holdout": 1000}.get(groups[c])
        if spend:
            entries.append(loyalty_entry(term, "earn", c, 200, **base_earn(200, expires_at=None),
                                         visit=True, order_total=spend))
    resp = term.push(entries)
    assert resp.status_code == 200, resp.text
    assert {r["status"] for r in resp.json()["results"]} == {"applied"}, resp.text

    shown = client.get("/v1/admin/triggers/welcome-ab/results")
    assert shown.status_code == 200, shown.text
    by = {v["variant"]: v for v in shown.json()["variants"]}
    assert [v["variant"] for v in shown.json()["variants"]] == ["a", "b", "holdout"]
    a, b, held = by["a"], by["b"], by["holdout"]
    assert (a["reached"], b["reached"], held["reached"]) == \
        (sizes["a"], sizes["b"], sizes["holdout"])
    assert (a["cards"], a["redeemed"], a["redemption_rate"], a["revenue"]) == \
        (sizes["a"], 0, 0.0, "0.00")
    assert (b["cards"], b["redeemed"], b["redemption_rate"]) == (sizes["b"], sizes["b"], 1.0)
    low, high = b["redemption_rate_ci95"]
    assert 0.5 < low < 1.0 and high == 1.0
    assert b["revenue_minor"] == 2000 * sizes["b"] and b["revenue_per_customer"] == "20.00"
    assert b["revenue_per_customer_ci95"] == ["20.00", "20.00"]  # no spread
    assert held["cards"] == 0 and held["redemption_rate"] is None
    assert held["revenue_minor"] == 1000 * sizes["holdout"]
    assert trigger_results.wilson(0, 0) is None

    base = ["admin", "--central", live.url, "--key", env.admin_key, "trigger-results",
            "welcome-ab"]
    as_json = CliRunner().invoke(cli, [*base, "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output) == shown.json()
    human = CliRunner().invoke(cli, base).output
    assert f"b: reached {sizes['b']}, redeemed {sizes['b']}/{sizes['b']}" in human
    assert "per customer 20.00 (20.00-20.00)" in human
    db.dispose()
