"""Head office over the risk: resolving a conflict case with a reason (an immutable row; the
case and its entries stay as they were), and the exposure report per terminal and store — via
the admin API and the `walletpos admin` CLI against a live central."""

from __future__ import annotations

import json

import httpx
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.tables import ConflictResolution, Entry

from .helpers import EXAMPLE_PROGRAMS, Env, LiveServer, Term, count, issue, load_example_programs


def _cli(*args: str, code: int = 0) -> dict:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def _overdraft(client: TestClient) -> tuple[Term, Term, str]:
    a, b = Term(client, "S1"), Term(client, "S2")
    (code,) = issue(client, program="store-credit", value="50.00")
    b.synced()  # B's outage starts with the card at 50.00
    a.push([a.entry(card=code, amount=4000, program="store-credit")])
    # B, cut off, spends 20.00 (store-credit's floor cap): 10.00 short, a receivable and a case
    b.push([b.entry(card=code, amount=2000, offline=True, program="store-credit")])
    return a, b, code


def test_resolve_a_case_with_a_reason(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    a, b, code = _overdraft(client)
    (case,) = client.get("/v1/admin/conflicts", params={"status": "open"}).json()["conflicts"]
    assert case["status"] == "open" and case["resolution"] is None
    resp = client.post(f"/v1/admin/conflicts/{case['id']}/resolve",
                       json={"reason": "customer paid the 10.00 at the till"})
    assert resp.status_code == 200, resp.text
    done = resp.json()["conflict"]
    assert done["status"] == "resolved"
    assert done["resolution"]["reason"] == "customer paid the 10.00 at the till"
    assert done["entries"] == case["entries"] and done["shortfall"] == "10.00"
    again = client.post(f"/v1/admin/conflicts/{case['id']}/resolve", json={"reason": "twice"})
    assert again.status_code == 409 and again.json()["error"] == "already_resolved"
    assert client.get("/v1/admin/conflicts", params={"status": "open"}).json() == \
        {"conflicts": []}
    assert len(client.get("/v1/admin/conflicts",
                          params={"status": "resolved"}).json()["conflicts"]) == 1
    assert client.post("/v1/admin/conflicts/999/resolve",
                       json={"reason": "x"}).json()["error"] == "unknown_conflict"
    assert client.post(f"/v1/admin/conflicts/{case['id']}/resolve",
                       json={"reason": ""}).status_code == 422
    assert client.get("/v1/admin/conflicts",
                      params={"status": "bogus"}).json()["error"] == "invalid_request"
    assert count(env.db_url, ConflictResolution) == 1
    assert count(env.db_url, Entry, Entry.status == "conflict") == 1  # entries untouched


def test_exposure_adds_up(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    a, b, _ = _overdraft(client)
    (gift,) = issue(client, value="110.00")
    a.authorize(gift, "5.00")
    a.request("GET", "/v1/changes", params={"cursor": 0, "head": 1})  # grants 50.00 to A
    report = client.get("/v1/admin/exposure").json()
    rows = {r["terminal"]: r for r in report["terminals"]}
    # Floor: store-credit allows 300.00 per terminal; B's 20.00 offline spend came after its
    # floor mark; A's 40.00 was authorized online.
    assert rows[a.id] == {"terminal": a.id, "store": "S1", "currency": "EUR",
                          "grants_outstanding": "50.00", "holds_outstanding": "5.00",
                          "floor_allowance": "300.00", "exposure": "350.00",
                          "realised_losses": "0.00"}
    assert rows[b.id]["floor_allowance"] == "280.00"
    assert rows[b.id]["realised_losses"] == "10.00" and rows[b.id]["exposure"] == "280.00"
    stores = {r["store"]: r for r in report["stores"]}
    assert stores["S1"]["exposure"] == "350.00" and stores["S2"]["realised_losses"] == "10.00"
    assert report["totals"] == [{"currency": "EUR", "grants_outstanding": "50.00",
                                 "holds_outstanding": "5.00", "floor_allowance": "580.00",
                                 "exposure": "630.00", "realised_losses": "10.00"}]


def test_cli_resolve_and_exposure(live: LiveServer, env: Env) -> None:
    admin = ["admin", "--central", live.url, "--key", env.admin_key]
    _cli(*admin, "load-programs", EXAMPLE_PROGRAMS)
    (code,) = [c["code"] for c in _cli(*admin, "issue-cards", "--program", "store-credit",
                                       "--count", "1", "--value", "10.00",
                                       "--activate")["cards"]]
    assert _cli(*admin, "load-card", code, "--amount", "5.00")["balance"] == "15.00"
    http = httpx.Client(base_url=live.url,
                        headers={"Authorization": f"Bearer {env.admin_key}"})
    a, b = Term(http, "S1"), Term(http, "S1")
    b.synced()
    a.push([a.entry(card=code, amount=1000, program="store-credit")])
    b.push([b.entry(card=code, amount=1000, offline=True, program="store-credit")])
    (case,) = _cli(*admin, "conflicts")["conflicts"]
    out = _cli(*admin, "resolve-conflict", str(case["id"]), "--reason", "written off")
    assert out["conflict"]["status"] == "resolved"
    assert out["conflict"]["resolution"]["reason"] == "written off"
    again = _cli(*admin, "resolve-conflict", str(case["id"]), "--reason", "x", code=2)
    assert again["error"] == "already_resolved"
    report = _cli(*admin, "exposure")
    assert {r["store"] for r in report["stores"]} == {"S1"}
    assert report["totals"][0]["realised_losses"] == "5.00"
    text = CliRunner().invoke(cli, [*admin, "exposure"])
    assert text.exit_code == 0 and "store S1: exposure" in text.output
