"""Custom events and the per-customer limits of event earning rules, counted on central
(issue 17): the events API pays within `once_per_customer` / `max_per_customer` /
`cooldown_days`, a key gives the same answer again, a till's claim shares the count, and an
earn entry that reaches central without a claim is counted at ingest (beyond the limit it is
not applied). Over SQLite and PostgreSQL, in process."""

from __future__ import annotations

import secrets
from typing import Any

from .helpers import Clock, Term
from .test_loyalty import loyalty_entry

PROGRAMS = """\
version: 1
programs:
  - id: club
    kind: loyalty
    name: Club
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: review, on: "event:review", points: 20, max_per_customer: 2}
      - {id: visit-app, on: "event:app_open", points: 5, cooldown_days: 30}
      - {id: signup, on: "event:newsletter_signup", points: 50, once_per_customer: true}
      - {id: plain, on: "event:survey", points: 7}
    tiers: [{id: basic, min_points: 0}]
"""


def event(client: Any, code: str, name: str, key: str | None = None) -> dict[str, Any]:
    resp = client.post("/v1/admin/events", json={"member": code, "event": name,
                                                 "key": key or secrets.token_hex(6)})
    assert resp.status_code == 200, resp.text
    return resp.json()


def setup(client: Any) -> str:
    resp = client.post("/v1/admin/programs", json={"source": PROGRAMS, "format": "yaml"})
    assert resp.status_code == 200, resp.text
    resp = client.post("/v1/admin/customers", json={"program": "club"})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["code"])


def test_event_limits_and_idempotency(client: Any, clock: Clock) -> None:
    code = setup(client)
    assert [event(client, code, "review")["points"] for _ in range(3)] == [20, 20, 0]
    assert event(client, code, "review")["refused"] == [
        {"rule": "review", "reason": "limit_reached: max_per_customer"}]
    first = event(client, code, "app_open", key="k-1")
    assert first["status"] == "awarded" and first["points"] == 5
    assert event(client, code, "app_open", key="k-1") == first  # same key, same answer
    assert event(client, code, "app_open")["refused"] == [
        {"rule": "visit-app", "reason": "limit_reached: cooldown_days"}]
    clock.advance(31 * 86400)
    assert event(client, code, "app_open")["points"] == 5
    assert [event(client, code, "survey")["points"] for _ in range(2)] == [7, 7]
    unknown = event(client, code, "birthday_party")
    assert (unknown["status"], unknown["points"]) == ("recorded", 0)
    reused = client.post("/v1/admin/events", json={"member": code, "event": "survey",
                                                   "key": "k-1"})
    assert reused.status_code == 409 and reused.json()["error"] == "key_reused"
    bad = client.post("/v1/admin/events", json={"member": code, "event": "Bad Name",
                                                "key": "k-9"})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_event"
    shown = client.get(f"/v1/admin/customers/{code}").json()
    assert shown["points"] == 20 + 20 + 5 + 5 + 7 + 7
    assert shown["facts"]["counters"]["event:review"] == 4


def test_claims_and_unclaimed_entries_share_the_count(client: Any) -> None:
    code = setup(client)
    term = Term(client)

    def claim(request_id: str) -> dict[str, Any]:
        resp = term.request("POST", "/v1/event-claims", {
            "request_id": request_id, "member": code, "program": "club",
            "event": "newsletter_signup"})
        assert resp.status_code == 200, resp.text
        return resp.json()

    approved = claim("r-1")
    assert approved["status"] == "approved" and approved["approved"] == ["signup"]
    assert claim("r-1") == approved  # a lost answer asked again
    assert claim("r-2")["reason"] == "limit_reached: once_per_customer"
    signup = {"benefit": "earn:club:signup", "rule": "signup", "base": 50, "multiplier": "1"}
    entries = [loyalty_entry(term, "earn", code, 50, claim=approved["claim"], **signup),
               # the same claim again, and one naming none: neither pays
               loyalty_entry(term, "earn", code, 50, claim=approved["claim"], **signup),
               loyalty_entry(term, "earn", code, 50, **signup)]
    results = term.push(entries).json()["results"]
    assert [(r["status"], r["reason"]) for r in results] == [
        ("applied", None), ("conflict", "claim_invalid"),
        ("conflict", "limit_reached: once_per_customer")]
    assert client.get(f"/v1/admin/customers/{code}").json()["points"] == 50
    # Without any claim (a till that could not ask), the first within the limit pays.
    other = client.post("/v1/admin/customers", json={"program": "club"}).json()["code"]
    review = {"benefit": "earn:club:review", "rule": "review", "base": 20, "multiplier": "1"}
    results = term.push([loyalty_entry(term, "earn", other, 20, **review)
                         for _ in range(3)]).json()["results"]
    assert [r["reason"] for r in results] == [None, None, "limit_reached: max_per_customer"]
    assert event(client, other, "review")["refused"][0]["reason"] == \
        "limit_reached: max_per_customer"
