"""Gift-card and points liability from the ledger, on a real world (activations, loads,
redemptions, a voided redemption, expiry): the identity issued + loaded - redeemed - expired -
voided = outstanding holds, the figures are the ones the world made, the outstanding value is
what the cards' cached balances say, "as of" cuts at the end of a day, and the CLI's
`liability --json` prints the same figures as the admin API and the console's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from typer.testing import CliRunner

from pos_app.cli import app as cli
from tests.integration.central.helpers import Env, LiveServer
from wallet_sync.central.db import Database
from wallet_sync.central.tables import Card

from .world import EXPECTED, PASSWORD, build, sign_in


def _identity(row: dict[str, str]) -> bool:
    d = {k: Decimal(v) for k, v in row.items() if k not in ("program", "currency")}
    return d["issued"] + d["loaded"] - d["redeemed"] - d["expired"] - d["voided"] \
        == d["outstanding"]


def test_liability_adds_up_from_the_ledger_and_matches_the_cli(live: LiveServer,
                                                               env: Env) -> None:
    admin = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    world = build(admin)
    today = dt.datetime.now(dt.UTC).date()

    report = admin.get("/v1/admin/reports/liability").json()
    assert report["as_of"] == today.isoformat()
    by_program = {r["program"]: r for r in report["programs"]}
    assert set(by_program) == set(EXPECTED)
    for program, figures in EXPECTED.items():
        row = by_program[program]
        assert row["currency"] == "EUR" and _identity(row), row
        assert {k: row[k] for k in figures} == figures, row

    # Outstanding is what the activated cards hold in central's cached balances.
    db = Database(env.db_url)
    try:
        with db.read() as session:
            cached = session.scalar(select(func.sum(Card.balance_minor)).where(
                Card.program == "gift-eur", Card.state == "active"))
    finally:
        db.dispose()
    assert Decimal(cached) / 100 == Decimal(by_program["gift-eur"]["outstanding"])

    # As of yesterday nothing had happened; 13 months on, store credit has lapsed (breakage).
    before = admin.get("/v1/admin/reports/liability",
                       params={"as_of": (today - dt.timedelta(days=1)).isoformat()}).json()
    assert before["programs"] == []
    later = admin.get("/v1/admin/reports/liability",
                      params={"as_of": (today + dt.timedelta(days=400)).isoformat()}).json()
    lapsed = {r["program"]: r for r in later["programs"]}["store-credit"]
    assert lapsed["expired"] == "45.00" and lapsed["outstanding"] == "0.00" and _identity(lapsed)
    assert {r["program"]: r for r in later["programs"]}["gift-eur"]["outstanding"] == "130.00"
    assert admin.get("/v1/admin/reports/liability",
                     params={"as_of": "2026-13-01"}).json()["error"] == "invalid_date"

    # The CLI prints the same JSON.
    out = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                   "liability", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == report
    out = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                   "liability", "--as-of",
                                   (today + dt.timedelta(days=400)).isoformat(), "--json"])
    assert json.loads(out.output) == later

    # Points: 200 + 300 earned by the member, nothing burned or expired yet.
    points = admin.get("/v1/admin/reports/points-liability").json()["programs"]
    assert points == [{"program": "club", "earned": 500, "burned": 0, "expired": 0,
                       "outstanding": 500, "members": 1}]
    assert world["member"]

    # The console's CSV (an auditor's download, the user made with the CLI) has the same
    # figures.
    made = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                    "create-user", "--username", "Auditor", "--name", "Aud Itor",
                                    "--role", "auditor", "--password", PASSWORD, "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["username"] == "auditor"
    browser = httpx.Client(base_url=live.url)
    assert sign_in(browser, "auditor").status_code == 303
    text = browser.get("/office/reports/liability.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [{k: v for k, v in r.items() if k != "as_of"} for r in rows] == report["programs"]
