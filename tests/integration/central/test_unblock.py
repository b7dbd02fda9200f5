"""A manager's `unblock` entry: refused into a case while the card has an open conflict case
(an overdraft's block is head office's to lift), applied once head office resolved the cases."""

from __future__ import annotations

from starlette.testclient import TestClient

from .helpers import Term, card, issue, load_example_programs


def test_unblock_waits_for_head_office_to_resolve_the_case(client: TestClient) -> None:
    load_example_programs(client)
    term, other = Term(client), Term(client)
    code = issue(client, "store-credit", value="50.00")[0]
    term.synced()
    other.push([other.entry(card=code, amount=4000, program="store-credit")])
    # An offline spend within the floor caps, beyond what is left: an overdraft
    over = term.push([term.entry(card=code, amount=2000, offline=True, program="store-credit")])
    assert over.json()["results"][0]["reason"] == "overdraft"
    assert card(client, code)["state"] == "blocked"
    manager = term.manager()
    early = term.push([term.entry("unblock", card=code, staff=manager)])
    assert early.json()["results"][0]["reason"] == "unblock_refused"
    assert card(client, code)["state"] == "blocked"
    for case in client.get("/v1/admin/conflicts", params={"status": "open"}).json()["conflicts"]:
        done = client.post(f"/v1/admin/conflicts/{case['id']}/resolve",
                           json={"reason": "customer paid the difference"})
        assert done.status_code == 200, done.text
    later = term.push([term.entry("unblock", card=code, staff=manager)])
    assert later.json()["results"][0] == {"seq": 3, "status": "applied", "reason": None}
    assert card(client, code)["state"] == "active"
