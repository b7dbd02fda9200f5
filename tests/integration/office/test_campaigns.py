"""The console's campaign and A/B report on the A/B world of test_ab_variants (two variants
and a holdout, b's cards redeemed, purchases recorded): the list of triggers with the customers
each reached, a trigger's page with its groups, intervals and chart, a CSV whose figures are
the CLI's `trigger-results --json`, an unknown trigger's 404, Japanese, and the support role
refused."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import httpx
from typer.testing import CliRunner

from pos_app.cli import app as cli
from tests.integration.central.helpers import EXAMPLE_PROGRAMS, Clock, Env, LiveServer
from tests.integration.central.test_ab_variants import CAMPAIGN

from .world import campaign, sign_in, users


def _signed(live: LiveServer, username: str, **headers: str) -> httpx.Client:
    browser = httpx.Client(base_url=live.url, headers=headers)
    assert sign_in(browser, username).status_code == 303
    return browser


def _from_csv(text: str) -> dict[str, Any]:
    """The CLI's JSON shape, rebuilt from the CSV's rows."""
    rows = list(csv.DictReader(io.StringIO(text)))

    def num(value: str, kind: type) -> Any:
        return None if value == "" else kind(value)

    def pair(row: dict[str, str], name: str, kind: type) -> Any:
        low, high = row[f"{name}_low"], row[f"{name}_high"]
        return None if low == "" else [kind(low), kind(high)]

    first = rows[0]
    return {"trigger": first["trigger"], "program": first["program"] or None,
            "currency": first["currency"],
            "holdout_percent": num(first["holdout_percent"], int),
            "variants": [{
                "variant": r["variant"], "reached": int(r["reached"]), "cards": int(r["cards"]),
                "redeemed": int(r["redeemed"]),
                "redemption_rate": num(r["redemption_rate"], float),
                "redemption_rate_ci95": pair(r, "redemption_rate", float),
                "revenue": r["revenue"], "revenue_minor": int(r["revenue_minor"]),
                "revenue_per_customer": num(r["revenue_per_customer"], str),
                "revenue_per_customer_ci95": pair(r, "revenue_per_customer", str)}
                for r in rows]}


def test_campaign_report_pages_csv_and_cli(live: LiveServer, env: Env, clock: Clock) -> None:
    admin = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    groups = campaign(admin, env.db_url, clock)
    sizes = Counter(groups.values())
    people = users(admin)
    marketer = _signed(live, people["marketer"])

    listing = marketer.get("/office/reports/campaigns")
    assert listing.status_code == 200, listing.text
    assert 'href="/office/reports/campaigns/welcome-ab"' in listing.text
    assert "event: customer.created" in listing.text
    row = listing.text.split('campaigns/welcome-ab">welcome-ab</a>')[1].split("</tr>")[0]
    assert "<td>2</td><td>20%</td><td>30</td>" in row.replace("\n", ""), row
    assert 'href="/office/reports/campaigns" class="on"' in listing.text  # the menu entry

    page = marketer.get("/office/reports/campaigns/welcome-ab")
    assert page.status_code == 200, page.text
    table = page.text.split('<table class="figures">')[1]
    assert "<td>b</td>" in table and "<td>holdout</td>" in table
    assert f"<td>b</td><td>{sizes['b']}</td><td>{sizes['b']}</td><td>{sizes['b']}</td>" \
        "<td>100.0%</td>" in table
    assert "<td>20.00</td><td>20.00 – 20.00</td>" in table  # b: per customer, no spread
    assert page.text.count("<rect") == 3  # one bar per group: a, b, holdout
    assert 'href="/office/reports/campaigns/welcome-ab.csv"' in page.text

    # The CSV has the figures the CLI prints with --json (and the admin API serves).
    download = marketer.get("/office/reports/campaigns/welcome-ab.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert 'filename="campaign-welcome-ab.csv"' in download.headers["content-disposition"]
    out = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", env.admin_key,
                                   "trigger-results", "welcome-ab", "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    assert _from_csv(download.text) == printed
    assert [v["variant"] for v in printed["variants"]] == ["a", "b", "holdout"]

    # An unknown trigger is the console's error page, 404, for the page and the CSV.
    for path in ("/office/reports/campaigns/nope", "/office/reports/campaigns/nope.csv"):
        missing = marketer.get(path)
        assert missing.status_code == 404
        assert 'data-reason="unknown_trigger"' in missing.text

    # Japanese, for a browser that prefers it (an auditor reads the report too).
    ja = _signed(live, people["auditor"], **{"Accept-Language": "ja"})
    shown = ja.get("/office/reports/campaigns/welcome-ab").text
    assert "キャンペーン: welcome-ab" in shown and "<td>対照群</td>" in shown
    assert "対象顧客あたりの売上" in shown
    assert "キャンペーンと A/B テストの結果" in ja.get("/office/reports/campaigns").text

    # Support has no "reports": refused everywhere, and no menu entry.
    support = _signed(live, people["support"])
    for path in ("/office/reports/campaigns", "/office/reports/campaigns/welcome-ab",
                 "/office/reports/campaigns/welcome-ab.csv"):
        assert support.get(path).status_code == 403, path
    assert "/office/reports/campaigns" not in support.get("/office").text

    # A file whose triggers no longer hold welcome-ab: it stays listed, with its results.
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        source = f.read() + CAMPAIGN.replace("welcome-ab", "welcome-c")
    assert admin.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                      ).status_code == 200
    listing = marketer.get("/office/reports/campaigns").text
    assert listing.index("welcome-c") < listing.index("welcome-ab")
    gone = listing.split('campaigns/welcome-ab">welcome-ab</a>')[1].split("</tr>")[0]
    assert "no longer in the program file" in gone and "<td>30</td>" in gone
    kept = _from_csv(marketer.get("/office/reports/campaigns/welcome-ab.csv").text)
    assert kept["program"] is None and [(v["variant"], v["reached"]) for v in kept["variants"]] \
        == [(v["variant"], v["reached"]) for v in printed["variants"]]  # no empty "all" group
