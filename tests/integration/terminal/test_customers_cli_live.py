"""Issue 17's examples black-box from the CLI (in process, `walletpos` commands through typer's
runner) against the REAL central on loopback: "only customers who have spent 2,000 or more"
qualifies after real spend; "newsletter 50 points once per customer" pays once, at a till or
through the events API; "registered in the last 30 days, a 7-day card" issues a card valid 7
days; GDPR export and erase, after which every chain still verifies."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from terminal_live import LiveCentral
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.admin_client import AdminClient

PROGRAMS = """\
version: 1
customer_attributes: {shoe_size: int, vip_note: string}
programs:
  - id: welcome-card
    kind: gift_card
    name: {en: "Welcome card", ja: "ウェルカムカード"}
    currency: EUR
    code_pattern: "WC-####-####"
    default_value: "10.00"
    expiry: {days_after_issue: 365}
    offline: {mode: online}
  - id: club
    kind: loyalty
    name: {en: "Club", ja: "クラブ"}
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: base, on: purchase, points_per_unit: 1}
      - id: big-spender
        on: purchase
        points: 100
        condition: 'customer.lifetime_spend >= 2000.0'
      - {id: newsletter, on: "event:newsletter_signup", points: 50, once_per_customer: true}
    tiers:
      - {id: basic, min_points: 0}
    rewards:
      - id: welcome
        name: {en: "Welcome card", ja: "ウェルカムカード"}
        cost: 10
        gives: {gift_card_credit: {program: welcome-card, amount: "10.00"}}
        condition: 'customer.registered_days_ago <= 30'
        expiry: {days_after_issue: 7}
    offline: {mode: floor, floor_per_transaction: 300, terminal_total: 3000,
              max_offline_hours: 72}
"""


def run(*args: str, ok: bool = True) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    if ok:
        assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_customer_examples_from_the_cli(tmp_path: Path, central: LiveCentral,
                                        admin: AdminClient) -> None:
    source = tmp_path / "programs.yaml"
    source.write_text(PROGRAMS, encoding="utf-8")
    office = ["admin", "--central", central.url, "--key",
              central.admin_key]  # type: ignore[attr-defined]
    run(*office, "load-programs", str(source))
    till = ["terminal", "--home", str(tmp_path / "till")]
    run(*till, "enroll", "--central", central.url, "--code", admin.enroll_code("S1")["code"])

    made = run(*office, "customer", "create", "--program", "club", "--country", "DE",
               "--email", "mia@example.com", "--birthday", "1991-03-04",
               "--attr", "shoe_size=41")
    code = made["code"]
    assert made["profile"]["attributes"] == {"shoe_size": 41}
    refused = run(*office, "customer", "update", code, "--attr", "shoe_size=big", ok=False)
    assert refused == {"error": "invalid_attribute",
                       "message": "attributes.shoe_size: expected int"}

    # "Only customers who have spent 2,000 or more": not before, yes after real spend.
    first = run(*till, "earn", "--member", code, "--amount", "1500.00")
    assert first["points_earned"] == 1500
    assert {"benefit": "earn:club:big-spender",
            "reason": "condition_failed: customer.lifetime_spend"} in first["refused"]
    second = run(*till, "earn", "--member", code, "--amount", "600.00")
    assert second["points_earned"] == 600  # 1,500 spent before this order
    # No sync in between: central's facts plus this till's own entries it has not included.
    third = run(*till, "earn", "--member", code, "--amount", "10.00")
    assert third["points_earned"] == 10 + 100
    run(*till, "sync")
    shown = run(*office, "customer", "show", code)
    assert (shown["facts"]["lifetime_spend"], shown["facts"]["visits"]) == ("2110.00", 3)
    assert shown["facts"]["counters"] == {"earn:base": 3, "earn:big-spender": 1}
    human = CliRunner().invoke(cli, [*office, "customer", "show", code])
    assert human.exit_code == 0 and "spent 2110.00 in 3 visits" in human.output, human.output

    # "Newsletter 50 points once per customer": the till pays once, then says why not;
    # the events API counts the same, and the same key gives the same answer.
    signed_up = run(*till, "earn", "--member", code, "--event", "newsletter_signup")
    assert (signed_up["status"], signed_up["points_earned"]) == ("earned", 50)
    again = run(*till, "earn", "--member", code, "--event", "newsletter_signup")
    assert (again["status"], again["reason"]) == ("declined",
                                                  "limit_reached: once_per_customer")
    api = run(*office, "customer", "event", code, "--event", "newsletter_signup",
              "--key", "crm-1")
    assert (api["status"], api["points"]) == ("refused", 0)
    assert api["refused"] == [{"rule": "newsletter", "reason": "limit_reached: "
                                                               "once_per_customer"}]
    assert run(*office, "customer", "event", code, "--event", "newsletter_signup",
               "--key", "crm-1") == api
    other = run(*office, "customer", "create", "--program", "club", "--country", "AT")["code"]
    paid = run(*office, "customer", "event", other, "--event", "newsletter_signup",
               "--key", "crm-2")
    assert (paid["status"], paid["points"]) == ("awarded", 50)
    assert run(*till, "earn", "--member", other, "--event", "newsletter_signup")["reason"] \
        == "limit_reached: once_per_customer"

    # Offline, a rule counted per customer is refused rather than risk paying twice; a
    # purchase still earns offline.
    third_customer = run(*office, "customer", "create", "--program", "club")["code"]
    run(*till, "sync")
    central.stop()
    try:
        offline = run(*till, "earn", "--member", third_customer, "--event",
                      "newsletter_signup")
        assert (offline["status"], offline["reason"], offline["offline"]) == (
            "declined", "offline_customer_limit", True)
        assert run(*till, "earn", "--member", third_customer, "--amount", "3.00")[
            "points_earned"] == 3
        # the facts shipped with the member decide offline too: a big spender stays one
        big = run(*till, "earn", "--member", code, "--amount", "1.00")
        assert (big["offline"], big["points_earned"]) == (True, 1 + 100)
    finally:
        central.start()

    # "Registered in the last 30 days, a 7-day card": the reward's card expires 7 days on.
    before = int(time.time())  # the card counts its 7 days from the reward's own entry
    welcome = run(*till, "redeem-reward", "--member", code, "--reward", "welcome",
                  "--amount", "1.00")
    assert welcome["status"] == "approved", welcome
    run(*till, "sync")  # central issues the card when the load entry arrives
    after = int(time.time()) + 1
    card = run(*office, "card", welcome["card"])
    issued = run(*office, "customer", "show", code)
    assert [c["code"] for c in issued["cards"]] == [welcome["card"]]  # linked to the member
    assert before + 7 * 86400 <= card["expires_at"] <= after + 7 * 86400

    # GDPR: export everything, erase, and every chain still verifies.
    exported = run(*office, "customer", "export", code)
    assert exported["profile"]["email"] == "mia@example.com"
    # the claim that paid, the claim refused, the CRM event refused
    assert [e["status"] for e in exported["events"]] == ["claimed", "refused", "refused"]
    assert exported["points_lots"]
    assert run(*office, "customer", "erase", code, ok=False)["error"] == \
        "confirmation_required"
    run(*office, "customer", "erase", code, "--yes")
    after = run(*office, "customer", "show", code)
    assert after["profile"]["email"] is None and after["profile"]["birthday"] is None
    run(*till, "sync")
    verified = run(*till, "verify")  # exit 0: chain and signatures of every entry hold
    assert verified["entries"] >= 7, verified
    assert run(*till, "earn", "--member", code, "--amount", "5.00")["status"] == "earned"
