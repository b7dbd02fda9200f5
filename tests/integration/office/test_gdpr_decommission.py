"""The console's GDPR actions on the customer page and the terminals' decommission: the export
is the JSON `walletpos admin customer export` writes, the erase needs a reason and the member
code typed again and leaves the page showing an erased customer, decommission is an admin's and
is refused `too_early` (with the allowed time in UTC) until the terminal can spend nothing more
offline; each is audited, without the erased data; every form needs its CSRF token."""

from __future__ import annotations

import datetime as dt
import json
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.integration.central.helpers import Clock, Env

from .world import build, csrf_of, sign_in, users

EMAIL = "hana@example.com"


def _desk(client: TestClient, username: str) -> TestClient:
    desk = TestClient(client.app, raise_server_exceptions=False)
    assert sign_in(desk, username).status_code == 303
    return desk


def test_support_exports_and_erases_a_customer(client: TestClient, env: Env) -> None:
    world = build(client)
    people = users(client)
    code = world["member"]
    assert client.post(f"/v1/admin/customers/{code}/profile",
                       json={"email": EMAIL, "birthday": "1990-05-17"}).status_code == 200
    desk = _desk(client, people["support"])
    page = desk.get(f"/office/customers/{code}").text
    assert 'id="export"' in page and 'id="erase"' in page
    ja = desk.get(f"/office/customers/{code}", headers={"accept-language": "ja"}).text
    assert "すべてをエクスポート" in ja and "確認のため会員コードを入力" in ja
    csrf = csrf_of(page)

    exported = desk.get(f"/office/customers/{code}/export.json")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/json")
    assert "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["code"] == code and document["profile"]["email"] == EMAIL
    assert len(document["points_lots"]) == 2  # the same document as the admin API's
    assert document.keys() == client.get(f"/v1/admin/customers/{code}/export").json().keys()

    no_token = desk.post(f"/office/customers/{code}/erase",
                         data={"reason": "customer asked", "confirm": code})
    assert no_token.status_code == 403 and 'data-reason="csrf"' in no_token.text
    wrong = desk.post(f"/office/customers/{code}/erase",
                      data={"csrf": csrf, "reason": "customer asked", "confirm": "X" + code})
    assert wrong.status_code == 422 and 'data-reason="confirm_code"' in wrong.text
    no_reason = desk.post(f"/office/customers/{code}/erase",
                          data={"csrf": csrf, "reason": "  ", "confirm": code})
    assert no_reason.status_code == 422 and 'data-reason="reason_required"' in no_reason.text
    assert desk.get(f"/office/customers/{code}/export.json").json()["profile"]["email"] == EMAIL

    erased = desk.post(f"/office/customers/{code}/erase",
                       data={"csrf": csrf, "reason": "art. 17 request #42", "confirm": code})
    assert erased.status_code == 200 and 'id="erased"' in erased.text
    assert 'id="notice"' in erased.text and EMAIL not in erased.text
    assert 'id="erase"' not in erased.text  # nothing left to erase
    after = desk.get(f"/office/customers/{code}/export.json").json()
    assert after["erased_at"] is not None and EMAIL not in json.dumps(after)
    assert after["profile"]["email"] is None and after["profile"]["birthday"] is None
    again = desk.post(f"/office/customers/{code}/erase",
                      data={"csrf": csrf, "reason": "twice", "confirm": code})
    assert again.status_code == 422 and 'data-reason="customer_erased"' in again.text

    auditor = _desk(client, people["auditor"])
    log = auditor.get("/office/audit.csv").text
    erase_rows = [line for line in log.splitlines() if "customer_erased" in line]
    assert len(erase_rows) == 1, log
    assert people["support"] in erase_rows[0] and f"member:{code}" in erase_rows[0]
    assert "art. 17 request #42" in erase_rows[0]
    assert log.count("customer_exported") == 3
    assert EMAIL not in log and "1990-05-17" not in log  # the log keeps no erased data
    assert auditor.get(f"/office/customers/{code}/export.json").status_code == 403
    marketer = _desk(client, people["marketer"])
    assert marketer.get(f"/office/customers/{code}/export.json").status_code == 403


def test_admin_decommissions_a_terminal_after_its_offline_window(
        client: TestClient, env: Env, clock: Clock) -> None:
    world = build(client)
    people = users(client)
    term = world["term"].id
    path = f"/office/terminals/{term}/decommission"
    support = _desk(client, people["support"])
    page = support.get("/office/terminals").text
    assert 'class="decommission"' not in page  # support reads the page, cannot retire
    refused = support.post(path, data={"csrf": csrf_of(page), "reason": "stolen"})
    assert refused.status_code == 403

    admin = _desk(client, people["admin"])
    page = admin.get("/office/terminals").text
    assert 'class="decommission"' in page
    csrf = csrf_of(page)
    assert admin.post(path, data={"reason": "stolen"}).status_code == 403  # no token
    early = admin.post(path, data={"csrf": csrf, "reason": "till stolen"})
    assert early.status_code == 409 and 'data-reason="too_early"' in early.text
    allowed = client.post(f"/v1/admin/terminals/{term}/decommission",
                          json={"reason": "x"}).json()["allowed_at"]
    shown = dt.datetime.fromtimestamp(allowed, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert f'data-allowed-at="{allowed}"' in early.text and shown in early.text

    clock.advance(allowed - int(clock()) + 1)
    admin = _desk(client, people["admin"])  # days later: the old session has expired
    csrf = csrf_of(admin.get("/office/terminals").text)
    blank = admin.post(path, data={"csrf": csrf, "reason": " "})
    assert blank.status_code == 422 and 'data-reason="invalid_reason"' in blank.text
    done = admin.post(path, data={"csrf": csrf, "reason": "till stolen"})
    assert done.status_code == 200 and 'id="notice"' in done.text
    row = next(line for line in done.text.splitlines() if f"<td>{term}</td>" in line)
    assert "decommissioned" in row and "till stolen" in row
    assert 'class="decommission"' not in done.text  # nothing else to retire
    assert "廃止済み" in admin.get("/office/terminals", headers={"accept-language": "ja"}).text
    listed = {t["id"]: t["status"] for t in client.get("/v1/admin/terminals").json()
              ["terminals"]}
    assert listed[term] == "decommissioned"
    assert "decommissioned" in admin.get("/office/terminals.csv").text
    again = admin.post(path, data={"csrf": csrf, "reason": "again"})
    assert again.status_code == 409 and 'data-reason="already_decommissioned"' in again.text

    auditor = _desk(client, people["auditor"])
    log = [line for line in auditor.get("/office/audit.csv").text.splitlines()
           if "terminal_decommissioned" in line]
    assert len(log) == 1 and people["admin"] in log[0] and f"terminal:{term}" in log[0]
    assert "till stolen" in log[0]
