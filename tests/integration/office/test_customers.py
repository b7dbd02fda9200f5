"""The support desk in the console: find a member and a card by code, the single view, and
actions with a reason — points adjusted up and down (replayable ledger events), a card blocked
(terminals receive it in the change feed) — each audited; a marketer cannot reach it."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.integration.central.helpers import EXAMPLE_PROGRAMS, Env, card
from tests.integration.central.test_loyalty import cached_matches_replay, view

from .world import build, csrf_of, sign_in, users


def test_support_finds_a_customer_and_acts_with_a_reason(client: TestClient, env: Env) -> None:
    world = build(client)
    people = users(client)
    desk = TestClient(client.app, raise_server_exceptions=False)
    assert sign_in(desk, people["support"]).status_code == 303
    member, code_a = world["member"], world["cards"]["A"]

    found = desk.get("/office/customers", params={"q": member[:5]}).text
    assert member in found
    page = desk.get(f"/office/customers/{member}").text
    assert '<td id="points">500</td>' in page
    assert '<td id="lifetime-spend">0.00</td>' in page  # the facts beside the points
    assert '<td id="segments"></td>' in page  # no segment defined yet
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:  # the same file, plus a segment
        source = f.read().rstrip("\n") + ("\nsegments:\n  regular: 'customer.points >= 500'\n"
                                           "  top: 'customer.points >= 1000'\n")
    assert client.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                       ).status_code == 200
    assert '<td id="segments">regular</td>' in desk.get(f"/office/customers/{member}").text
    csrf = csrf_of(page)
    up = desk.post(f"/office/customers/{member}/adjust-points",
                   data={"csrf": csrf, "points": "50", "reason": "goodwill: late delivery"})
    assert up.status_code == 200 and '<td id="points">550</td>' in up.text
    no_reason = desk.post(f"/office/customers/{member}/adjust-points",
                          data={"csrf": csrf, "points": "50", "reason": " "})
    assert no_reason.status_code == 422 and 'data-reason="reason_required"' in no_reason.text
    too_many = desk.post(f"/office/customers/{member}/adjust-points",
                         data={"csrf": csrf, "points": "-600", "reason": "mistake"})
    assert too_many.status_code == 422 and 'data-reason="insufficient_points"' in too_many.text
    down = desk.post(f"/office/customers/{member}/adjust-points",
                     data={"csrf": csrf, "points": "-30", "reason": "double earn at till 2"})
    assert '<td id="points">520</td>' in down.text
    assert view(client, member)["points"] == 520
    assert cached_matches_replay(env, member, int(client.app.state.central.now())) == 520

    before = world["term"].changes().json()["page"]["cursor"]
    blocked = desk.post(f"/office/customers/{code_a}/block",
                        data={"csrf": csrf, "reason": "reported stolen"})
    assert blocked.status_code == 200 and "card-state" in blocked.text
    assert card(client, code_a)["state"] == "blocked"
    feed = world["term"].changes(cursor=before).json()["page"]["changes"]
    assert any(ch["kind"] == "card" and ch["key"] == code_a and ch["data"]["state"] == "blocked"
               for ch in feed), feed
    again = desk.post(f"/office/customers/{code_a}/block",
                      data={"csrf": csrf, "reason": "twice"})
    assert again.status_code == 409

    auditor = TestClient(client.app, raise_server_exceptions=False)
    sign_in(auditor, people["auditor"])
    log = auditor.get("/office/audit.csv").text
    assert log.count("points_adjusted") == 2 and "reported stolen" in log
    assert auditor.get("/office/customers").status_code == 403
    marketer = TestClient(client.app, raise_server_exceptions=False)
    sign_in(marketer, people["marketer"])
    assert marketer.get(f"/office/customers/{member}").status_code == 403
