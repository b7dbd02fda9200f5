"""The console driven in a real browser (Chromium through Playwright) against a live central:
signing in and landing where the login was asked for, a report's CSV downloaded and read, a
draft edited with live validation, submitted, and approved by a second person, a form whose CSRF
token was tampered with refused, the lockout as a person meets it, and a campaign's A/B results
reached from the campaign list, with their chart and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.central.helpers import Clock, Env, LiveServer

from .browser import VIEWPORT, chromium  # noqa: F401
from .world import EXPECTED, PASSWORD, build, campaign, users


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """One store is enough here (the same pages run on PostgreSQL in test_liability)."""
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def console(live: LiveServer, env: Env) -> dict[str, Any]:
    api = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    return {"url": live.url, "world": build(api), "people": users(api)}


@pytest.fixture
def person(chromium: Any) -> Iterator[Any]:  # noqa: F811
    """A factory of browser pages, each its own context (a different person's cookies)."""
    contexts: list[Any] = []

    def open_page(lang: str = "en-GB", bypass_csp: bool = False) -> Any:
        # bypass_csp: only for a test that plays an attacker editing the page with script
        # (the console's own policy forbids eval, which Playwright's evaluate needs).
        context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True, locale=lang,
                                       bypass_csp=bypass_csp)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Any, url: str, username: str, password: str = PASSWORD) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#sign-in")


def test_login_lands_on_the_report_and_its_csv_downloads(console: dict[str, Any],
                                                         person: Any) -> None:
    page = person()
    page.goto(console["url"] + "/office/reports/liability")
    assert page.url.startswith(console["url"] + "/office/login?next=")
    sign_in(page, console["url"], console["people"]["auditor"])
    page.wait_for_url(console["url"] + "/office/reports/liability")
    assert "130.00" in page.inner_text("table.figures")
    assert page.locator("svg.chart rect").count() == 2
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert {r["program"]: {k: r[k] for k in EXPECTED[r["program"]]} for r in rows} == EXPECTED
    assert download.suggested_filename.startswith("liability-")


def test_a_draft_needs_a_second_person(console: dict[str, Any], person: Any) -> None:
    url = console["url"]
    author = person()
    author.goto(url + "/office/programs")
    sign_in(author, url, console["people"]["marketer"])
    author.wait_for_url(url + "/office/programs")
    author.click("#new-draft")
    author.wait_for_selector("#source")
    author.wait_for_load_state("load")  # office.js listens for typing only once it has run
    source = author.input_value("#source")
    # Live validation while typing: load-programs' error with its path, then valid again.
    author.fill("#source", source.replace("points_per_unit: 2", "points_per_unit: two"))
    author.wait_for_selector("#validation.error")
    assert "earning[0].points_per_unit" in author.inner_text("#validation")
    author.fill("#source", source.replace("points_per_unit: 2", "points_per_unit: 3"))
    author.wait_for_selector("#validation.ok")
    author.click("#save")
    author.wait_for_selector("#notice")
    assert "+    points_per_unit: 3" in author.inner_text("#diff")
    author.click("#submit")
    author.wait_for_selector("[data-status=submitted]")
    assert author.locator("#approve").count() == 0  # not offered to the author
    draft_url = author.url.split("?")[0]

    second = person()
    second.goto(draft_url)
    sign_in(second, url, console["people"]["marketer2"])
    second.wait_for_url(draft_url)
    second.click("#approve")
    second.wait_for_selector("[data-status=published]")
    assert "Published" in second.inner_text("#notice")
    assert "points_per_unit: 3" in second.input_value("#source")


def test_a_tampered_form_is_refused(console: dict[str, Any], person: Any) -> None:
    url = console["url"]
    page = person(bypass_csp=True)
    page.goto(url + "/office/programs")
    sign_in(page, url, console["people"]["admin"])
    page.wait_for_url(url + "/office/programs")
    page.eval_on_selector("form[action='/office/programs/drafts'] input[name=csrf]",
                          "el => el.value = 'forged-token'")
    page.click("#new-draft")
    page.wait_for_selector("#refusal")
    assert page.get_attribute("#refusal", "data-reason") == "csrf"
    page.goto(url + "/office/programs")
    assert "#1" not in page.inner_text("main")  # no draft was made


def test_lockout_after_repeated_wrong_passwords(console: dict[str, Any], person: Any) -> None:
    url = console["url"]
    page = person()
    page.goto(url + "/office/login")
    for _ in range(5):
        sign_in(page, url, console["people"]["support"], password="not the password")
        page.wait_for_selector("#login-error")
    assert "Too many failed logins" in page.inner_text("#login-error")
    sign_in(page, url, console["people"]["support"])
    page.wait_for_selector("#login-error")
    assert "Too many failed logins" in page.inner_text("#login-error")
    assert "/office/login" in page.url


def test_a_campaigns_results_from_the_list(live: LiveServer, env: Env, clock: Clock,
                                           person: Any) -> None:
    api = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    groups = campaign(api, env.db_url, clock, customers=12)
    people = users(api)
    page = person()
    page.goto(live.url + "/office/reports/campaigns")
    sign_in(page, live.url, people["marketer"])
    page.wait_for_url(live.url + "/office/reports/campaigns")
    page.click("#campaigns a[href$='/welcome-ab']")
    page.wait_for_url(live.url + "/office/reports/campaigns/welcome-ab")
    assert "welcome-ab" in page.inner_text("h1")
    assert page.locator("svg.chart rect").count() == 3
    assert "holdout" in page.inner_text("table.figures")
    with page.expect_download() as info:
        page.click("#download")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert [r["variant"] for r in rows] == ["a", "b", "holdout"]
    assert {r["variant"]: int(r["reached"]) for r in rows} == {
        g: sum(1 for v in groups.values() if v == g) for g in ("a", "b", "holdout")}
