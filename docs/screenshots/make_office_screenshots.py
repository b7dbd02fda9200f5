"""Render the head-office console (/office) at 1366x768 into docs/screenshots/ from a real
world: central on loopback over a temporary SQLite file, a terminal's activations, loads,
redemptions, a void and points earned (tests/integration/office/world.py), a marketer's draft
with its diff and simulation, the audit log and a customer; then, on the A/B world of
test_ab_variants (tests/integration/office/world.py `campaign`), a campaign's results in English
and Japanese. Chromium is Debian's. Run:
`.venv/bin/python docs/screenshots/make_office_screenshots.py` (add `campaigns` for only those).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.integration.office.world import PASSWORD, build, campaign, users  # noqa: E402
from wallet_sync.central.embedded import EmbeddedCentral  # noqa: E402
from wallet_sync.central.setup import init_central  # noqa: E402

OUT = Path(__file__).resolve().parent
VIEWPORT = {"width": 1366, "height": 768}


def sign_in(page, url: str, username: str) -> None:  # noqa: ANN001
    page.goto(url + "/office/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(url + "/office")


def campaigns(browser, url: str, db: str, api: httpx.Client,  # noqa: ANN001
              people: dict[str, str]) -> None:
    """The campaign report on the A/B world, in English and Japanese."""
    campaign(api, db)
    for lang, locale, headers in (("en", "en-GB", {}), ("ja", "ja-JP", {"Accept-Language": "ja"})):
        page = browser.new_context(viewport=VIEWPORT, locale=locale,
                                   extra_http_headers=headers).new_page()
        sign_in(page, url, people["marketer"])
        page.goto(url + "/office/reports/campaigns/welcome-ab")
        page.screenshot(path=str(OUT / f"office-campaigns-{lang}.png"))
        if lang == "en":
            page.goto(url + "/office/reports/campaigns")
            page.screenshot(path=str(OUT / "office-campaign-list-en.png"))


def campaigns_only() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/central.db"
        key = init_central(db)["admin_key"]
        central = EmbeddedCentral(db).start()
        api = httpx.Client(base_url=central.url, headers={"Authorization": f"Bearer {key}"})
        people = users(api)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox"])
            campaigns(browser, central.url, db, api, people)
            browser.close()
        central.stop()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/central.db"
        key = init_central(db)["admin_key"]
        central = EmbeddedCentral(db).start()
        url = central.url
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"})
        world = build(api)
        people = users(api)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox"])
            en = browser.new_context(viewport=VIEWPORT, locale="en-GB").new_page()
            en.goto(url + "/office/login")
            en.screenshot(path=str(OUT / "office-login-en.png"))
            sign_in(en, url, people["admin"])
            for name, path in (("liability", "/office/reports/liability"),
                               ("activity", "/office/reports/activity?days=7"),
                               ("risk", "/office/risk"), ("terminals", "/office/terminals")):
                en.goto(url + path)
                en.screenshot(path=str(OUT / f"office-{name}-en.png"))
            marketer = browser.new_context(viewport=VIEWPORT, locale="en-GB").new_page()
            sign_in(marketer, url, people["marketer"])
            marketer.goto(url + "/office/programs")
            marketer.click("#new-draft")
            marketer.wait_for_selector("#source")
            source = marketer.input_value("#source")
            marketer.fill("#source", source.replace("points_per_unit: 2", "points_per_unit: 3"))
            marketer.click("#save")
            marketer.wait_for_selector("#notice")
            draft = marketer.url.split("?")[0]
            marketer.goto(draft + "?days=7")
            marketer.screenshot(path=str(OUT / "office-draft-en.png"))
            marketer.goto(draft + "?days=7#simulation")
            marketer.screenshot(path=str(OUT / "office-simulation-en.png"))
            ja = browser.new_context(viewport=VIEWPORT, locale="ja-JP",
                                     extra_http_headers={"Accept-Language": "ja"}).new_page()
            sign_in(ja, url, people["auditor"])
            ja.goto(url + "/office/reports/liability")
            ja.screenshot(path=str(OUT / "office-liability-ja.png"))
            ja.goto(url + "/office/audit")
            ja.screenshot(path=str(OUT / "office-audit-ja.png"))
            support = browser.new_context(viewport=VIEWPORT, locale="en-GB").new_page()
            sign_in(support, url, people["support"])
            support.goto(url + f"/office/customers/{world['member']}")
            support.screenshot(path=str(OUT / "office-member-en.png"))
            campaigns(browser, url, db, api, people)
            browser.close()
        central.stop()


if __name__ == "__main__":
    campaigns_only() if sys.argv[1:] == ["campaigns"] else main()
