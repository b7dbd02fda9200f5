"""Exposure, conflicts and terminals in the console: a terminal that loads a card without
central's authority is flagged and its case opened; an admin resolves the case and clears the
flag in the page with reasons (the services behind `resolve-conflict` and `clear-flag`), both
audited; support sees the pages but cannot act."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.integration.central.helpers import Env, Term, issue, load_example_programs

from .world import csrf_of, sign_in, users


def test_admin_resolves_a_case_and_clears_a_flag(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    (code,) = issue(client, "gift-eur", 1, "50.00")
    term = Term(client, "S1")
    rogue = term.entry("load", card=code, amount=5000, offline=False, staff=term.manager())
    assert term.push([rogue]).json()["results"][0]["status"] == "conflict"
    people = users(client)
    support = TestClient(client.app, raise_server_exceptions=False)
    sign_in(support, people["support"])
    page = support.get("/office/terminals").text
    assert term.id in page and "no_authority" in page and "clear-flag" not in page
    assert "no_authority" in support.get("/office/risk").text
    assert "no_authority" in support.get("/office/risk/conflicts.csv").text
    csrf = csrf_of(page)
    assert support.post(f"/office/terminals/{term.id}/clear-flag",
                        data={"csrf": csrf, "reason": "x"}).status_code == 403

    admin = TestClient(client.app, raise_server_exceptions=False)
    sign_in(admin, people["admin"])
    csrf = csrf_of(admin.get("/office/risk").text)
    (case,) = client.get("/v1/admin/conflicts", params={"status": "open"}).json()["conflicts"]
    done = admin.post(f"/office/risk/conflicts/{case['id']}/resolve",
                      data={"csrf": csrf, "reason": "manager's load, keyed wrong; reversed"})
    assert done.status_code == 200 and "Case resolved" in done.text
    assert client.get("/v1/admin/conflicts", params={"status": "open"}).json() == \
        {"conflicts": []}
    twice = admin.post(f"/office/risk/conflicts/{case['id']}/resolve",
                       data={"csrf": csrf, "reason": "again"})
    assert 'data-reason="already_resolved"' in twice.text
    cleared = admin.post(f"/office/terminals/{term.id}/clear-flag",
                         data={"csrf": csrf, "reason": "spoke to the store"})
    assert cleared.status_code == 200 and "Flags cleared" in cleared.text
    view = next(t for t in client.get("/v1/admin/terminals").json()["terminals"]
                if t["id"] == term.id)
    assert view["flagged"] is False and view["flags"][0]["cleared_by"] == "office:admin"
    log = admin.get("/office/audit.csv").text
    assert "conflict_resolved" in log and "flag_cleared" in log and "spoke to the store" in log
