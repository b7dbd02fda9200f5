"""Referral end to end on central: a member's referral code (from `walletpos admin customer
referral-code`), friends registered with it (`customer create --referred-by`), and at a
friend's first purchase pushed by a terminal both are rewarded — once, only from the minimum
order on, and the referrer only up to `max_per_referrer` friends."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.automation import Automation
from wallet_sync.central.jobs import JobSettings

from .helpers import EXAMPLE_PROGRAMS, Clock, Env, LiveServer, Term
from .test_loyalty import base_earn, loyalty_entry

REFERRAL = """
referral:
  program: club
  referrer: [{grant_points: 100}]
  friend: [{issue_gift_card: {program: gift-eur, amount: "5.00", expires: {days: 30}}}]
  min_order: "10.00"
  max_per_referrer: 1
"""


def purchase(term: Term, code: str, total: int) -> None:
    resp = term.push([loyalty_entry(term, "earn", code, 200, **base_earn(200, expires_at=None),
                                    visit=True, order_total=total)])
    assert resp.status_code == 200 and resp.json()["results"][0]["status"] == "applied", \
        resp.text


def test_first_purchase_rewards_both_once_within_limits(client: TestClient, env: Env,
                                                        clock: Clock, live: LiveServer
                                                        ) -> None:
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        source = f.read() + REFERRAL
    assert client.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                       ).status_code == 200
    central = client.app.state.central  # type: ignore[attr-defined]
    runner = Automation(central.db, central.key, clock, JobSettings())

    def cli_json(*args: str) -> dict[str, Any]:
        result = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key",
                                          env.admin_key, "customer", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)  # type: ignore[no-any-return]

    alice = cli_json("create", "--program", "club")["code"]
    given = cli_json("referral-code", alice)["referral_code"]
    assert given.startswith("R") and cli_json("referral-code", alice)["referral_code"] == given
    bob = cli_json("create", "--program", "club", "--referred-by", given.lower())["code"]
    carl = client.post("/v1/admin/customers", json={"program": "club", "referred_by": given}
                       ).json()["code"]
    unknown = client.post("/v1/admin/customers", json={"program": "club",
                                                       "referred_by": "RNOSUCH1"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_referral_code"

    def view(code: str) -> dict[str, Any]:
        return client.get(f"/v1/admin/customers/{code}").json()  # type: ignore[no-any-return]

    term = Term(client)
    purchase(term, bob, 500)  # below min_order: not the qualifying purchase
    runner.run_pass()
    assert view(bob)["referral"]["purchased_at"] is None and view(alice)["points"] == 0

    purchase(term, bob, 2500)  # bob's first qualifying purchase
    purchase(term, bob, 3000)  # and a second one: nothing more
    runner.run_pass()
    runner.run_pass()
    assert view(alice)["points"] == 100
    (card,) = view(bob)["cards"]
    assert card["balance"] == "5.00" and card["expires_at"] is not None
    assert view(bob)["referral"]["outcome"] == "both_rewarded"
    assert view(bob)["referral"]["referrer"] == alice

    purchase(term, carl, 1500)  # carl qualifies too, but alice's limit is one friend
    runner.run_pass()
    assert view(carl)["referral"]["outcome"] == "referrer_limit"
    assert len(view(carl)["cards"]) == 1 and view(alice)["points"] == 100
    assert len(view(bob)["cards"]) == 1
    runner.close()
