"""Retiring a terminal that never comes back (SQLite and PostgreSQL): refused with the time it
becomes allowed while the terminal may still spend offline; after its maximum offline time its
open grants go back to the reserve and its unused code pool is released, recorded in the feed
and the exposure report; every later request of the terminal is refused."""

from __future__ import annotations

import json

from sqlalchemy import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.db import Database
from wallet_sync.central.tables import CodeReservation, Grant

from .helpers import Clock, Env, Term, card, issue, load_example_programs
from .test_escrow import grants_in_feed, invariant


def test_decommission_returns_grants_and_codes_only_after_the_offline_window(
        client: TestClient, env: Env, clock: Clock) -> None:
    load_example_programs(client)
    gone, other = Term(client, "S1"), Term(client, "S2")
    (code,) = issue(client, value="50.00")
    gone.authorize(code, "0.01")
    (grant,) = grants_in_feed(gone, head=0)  # 24.99; the pull is its last complete sync
    pool = gone.request("POST", "/v1/code-pool", {"program": "gift-eur", "target": 5})
    assert pool.status_code == 200 and len(pool.json()["codes"]) == 5
    assert other.authorize(code, "30.00").json()["reason"] == "reserved_elsewhere"  # recalled
    path = f"/v1/admin/terminals/{gone.id}/decommission"

    early = client.post(path, json={"reason": "till stolen"})
    assert early.status_code == 409 and early.json()["error"] == "too_early"
    allowed = early.json()["allowed_at"]
    # gift-eur allows 72 h offline: the grant's expiry and the last sync + 72 h, + 5 min skew.
    assert allowed == grant["expires_at"] + 300
    clock.advance(allowed - int(clock()) - 1)
    assert client.post(path, json={"reason": "till stolen"}).json()["error"] == "too_early"
    assert invariant(env.db_url)[code] == 25_00  # the recall alone freed nothing

    clock.advance(1)
    done = client.post(path, json={"reason": "till stolen"})
    assert done.status_code == 200, done.text
    record = done.json()["decommission"]
    assert (record["grants_returned"], record["value_returned"], record["codes_released"]) == \
        (1, [{"currency": "EUR", "amount": "24.99"}], 5)
    assert invariant(env.db_url)[code] == 49_99  # the 0.01 hold is still held
    assert card(client, code)["balance"] == "50.00"
    assert other.authorize(code, "30.00").json()["status"] == "approved"
    db = Database(env.db_url)
    try:
        with db.read() as session:
            assert session.scalar(select(Grant.status).where(Grant.id == grant["id"])) == \
                "returned"
            assert all(r.released_at is not None for r in session.scalars(
                select(CodeReservation).where(CodeReservation.terminal == gone.id)))
    finally:
        db.dispose()

    # Whatever the retired terminal sends now is refused.
    for resp in (gone.request("GET", "/v1/changes", params={"cursor": 0, "head": 0}),
                 gone.push([gone.entry(card=code, amount=100, grant=grant["id"])]),
                 gone.authorize(code, "1.00")):
        assert resp.status_code == 403 and resp.json()["error"] == "decommissioned", resp.text
    again = client.post(path, json={"reason": "twice"})
    assert again.status_code == 409 and again.json()["error"] == "already_decommissioned"
    report = client.get("/v1/admin/exposure").json()
    assert [d["terminal"] for d in report["decommissioned"]] == [gone.id]
    assert report["decommissioned"][0]["reason"] == "till stolen"
    assert all(r["grants_outstanding"] == "0.00" and r["floor_allowance"] == "0.00"
               for r in report["terminals"] if r["terminal"] == gone.id)
    assert gone.id not in {q["terminal"] for q in report["quarantined"]}
    assert client.post("/v1/admin/terminals/T-NOPE0000/decommission",
                       json={"reason": "x"}).status_code == 404


def test_the_cli_says_when_a_decommission_will_be_allowed(client: TestClient, env: Env) -> None:
    """`walletpos central admin decommission-terminal` on central's database: a terminal that
    synced just now is refused, with the time from which it is allowed."""
    load_example_programs(client)
    term = Term(client, "S1")
    term.synced()
    result = CliRunner().invoke(cli, ["central", "admin", "decommission-terminal", term.id,
                                      "--reason", "shop closed", "--db", env.db_url, "--json"])
    assert result.exit_code == 2, result.output
    answer = json.loads(result.output.strip().splitlines()[-1])
    assert answer["error"] == "too_early" and answer["allowed_at"] > 0
    assert answer["allowed_at_iso"] in answer["message"]
    assert client.get("/v1/admin/terminals").json()["terminals"][0]["status"] == "active"
