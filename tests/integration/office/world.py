"""A small real world for the console's tests, built through central's own API by an enrolled
terminal: gift cards issued, activated, loaded, redeemed and a redemption voided; a loyalty
member earning points; console users of every role. The figures it leaves are `EXPECTED`.
`campaign` builds the A/B world of tests/integration/central/test_ab_variants.py instead."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.integration.central.helpers import EXAMPLE_PROGRAMS, Term, issue, load_example_programs
from tests.integration.central.test_ab_variants import CAMPAIGN
from tests.integration.central.test_loyalty import base_earn, loyalty_entry, member

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "marketer", "support", "auditor")

# gift-eur: A, B 50.00 active; C 25.00 activated at the till; D 40.00 never activated (not
# owed to anyone). Loads A +20.00 (head office), B +15.00 (till). Redeemed A 30.00, B 10.00
# then voided. store-credit: S 50.00, 5.00 redeemed; it expires after 12 months.
EXPECTED = {
    "gift-eur": {"issued": "125.00", "loaded": "35.00", "redeemed": "30.00", "expired": "0.00",
                 "voided": "0.00", "outstanding": "130.00"},
    "store-credit": {"issued": "50.00", "loaded": "0.00", "redeemed": "5.00",
                     "expired": "0.00", "voided": "0.00", "outstanding": "45.00"},
}


def build(http: httpx.Client) -> dict[str, Any]:
    load_example_programs(http)
    a, b = issue(http, "gift-eur", 2, "50.00")
    (c,) = issue(http, "gift-eur", 1, "25.00", activate=False)
    issue(http, "gift-eur", 1, "40.00", activate=False)
    (s,) = issue(http, "store-credit", 1, "50.00")
    assert http.post(f"/v1/admin/cards/{a}/load", json={"amount": "20.00"}).status_code == 200
    term = Term(http, "S1")
    entries = [term.value_entry("activate", c), term.value_entry("load", b, 1500),
               term.entry(card=a, amount=3000), term.entry(card=b, amount=1000)]
    redeem_b = term.seq
    entries += [term.entry("void", card=b, currency="EUR", ref=redeem_b, staff=term.manager()),
                term.entry(card=s, amount=500, program="store-credit")]
    resp = term.push(entries)
    assert resp.status_code == 200, resp.text
    assert {r["status"] for r in resp.json()["results"]} == {"applied"}, resp.text
    code = member(http)
    earned = term.push([loyalty_entry(term, "earn", code, 200, **base_earn(200)),
                        loyalty_entry(term, "earn", code, 300, **base_earn(300))])
    assert earned.status_code == 200, earned.text
    return {"cards": {"A": a, "B": b, "C": c, "S": s}, "member": code, "term": term}


def campaign(http: httpx.Client, db_url: str, clock: Callable[[], float] = time.time,
             customers: int = 30) -> dict[str, str]:
    """The welcome-ab campaign (variants a: 5.00 card, b: 10.00 card, 20% holdout) fired for
    CUSTOMERS new members by one automation pass; then every b customer redeems the card and
    buys for 20.00, every holdout customer buys for 10.00, a does nothing (as
    test_ab_variants). Returns member code -> group."""
    from wallet_sync.central.app import open_central_key
    from wallet_sync.central.automation import Automation
    from wallet_sync.central.db import Database
    from wallet_sync.central.jobs import JobSettings
    from wallet_sync.central.tables import TriggerFiring

    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        resp = http.post("/v1/admin/programs", json={"source": f.read() + CAMPAIGN,
                                                     "format": "yaml"})
    assert resp.status_code == 200, resp.text
    codes = [http.post("/v1/admin/customers", json={"program": "club"}).json()["code"]
             for _ in range(customers)]
    db = Database(db_url)
    try:
        runner = Automation(db, open_central_key(db), clock, JobSettings())
        runner.run_pass()
        runner.close()
        with db.read() as session:
            groups = {f.member: f.variant for f in session.query(TriggerFiring)
                      if f.trigger == "welcome-ab"}
    finally:
        db.dispose()
    assert set(codes) <= set(groups)
    term = Term(http, "S1")
    entries = []
    for c in codes:
        if groups[c] == "b":
            (card,) = http.get(f"/v1/admin/customers/{c}").json()["cards"]
            entries.append(term.entry("redeem", card=card["code"], amount=1000))
        spend = {"b": 2000, "holdout": 1000}.get(groups[c])
        if spend:
            entries.append(loyalty_entry(term, "earn", c, 200, **base_earn(200, expires_at=None),
                                         visit=True, order_total=spend))
    resp = term.push(entries)
    assert resp.status_code == 200, resp.text
    assert {r["status"] for r in resp.json()["results"]} == {"applied"}, resp.text
    return {c: groups[c] for c in codes}


def users(http: httpx.Client) -> dict[str, str]:
    """One console user per role (plus a second marketer): role -> username."""
    out = {}
    for role in (*ROLES, "marketer2"):
        name = role if role != "marketer2" else "maria"
        resp = http.post("/v1/admin/office-users", json={
            "username": name, "name": name.title(), "role": role.rstrip("2"),
            "password": PASSWORD})
        assert resp.status_code == 200, resp.text
        out[role] = name
    return out


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(http: httpx.Client, username: str, password: str = PASSWORD,
            next_path: str = "/office") -> httpx.Response:
    """The login form as a browser sends it (its CSRF token from the login page's cookie)."""
    page = http.get("/office/login")
    return http.post("/office/login", data={"username": username, "password": password,
                                            "csrf": csrf_of(page.text), "next": next_path},
                     follow_redirects=False)
