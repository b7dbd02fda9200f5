"""The console over plain HTTP (Starlette's TestClient on the real app and database): what each
role may reach, the CSRF check, the lockout, sessions that end, no open redirect, escaped
output and the security headers. Browser-level flows are in test_office_browser.py."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.integration.central.helpers import Clock, Env, count
from wallet_sync.central.office import sessions
from wallet_sync.central.office import users as office_users
from wallet_sync.central.tables import AuditEvent, OfficeSession

from .world import PASSWORD, csrf_of, sign_in, users


@pytest.fixture
def db_url(tmp_path) -> str:  # noqa: ANN001
    """These pages decide nothing a database could change: SQLite only (the liability and
    browser tests run on PostgreSQL too)."""
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def people(client: TestClient) -> dict[str, str]:
    return users(client)


@pytest.fixture
def browser(client: TestClient) -> Iterator[TestClient]:
    """Another browser on the same central (its own cookies, no admin key)."""
    with TestClient(client.app, raise_server_exceptions=False) as other:
        yield other


def _signed(client: TestClient, username: str) -> TestClient:
    other = TestClient(client.app, raise_server_exceptions=False)
    resp = sign_in(other, username)
    assert resp.status_code == 303, resp.text
    return other


PAGES = {  # page -> the roles that may open it
    "/office/audit": {"admin", "auditor"},
    "/office/audit.csv": {"admin", "auditor"},
    "/office/reports/liability": {"admin", "marketer", "auditor"},
    "/office/reports/points.csv": {"admin", "marketer", "auditor"},
    "/office/reports/activity": {"admin", "marketer", "auditor"},
    "/office/reports/campaigns": {"admin", "marketer", "auditor"},
    "/office/risk": {"admin", "auditor", "support"},
    "/office/terminals.csv": {"admin", "auditor", "support"},
    "/office/programs": {"admin", "marketer", "auditor"},
}


def test_each_role_reaches_only_its_pages(client: TestClient, people: dict[str, str]) -> None:
    for role in ("admin", "marketer", "support", "auditor"):
        browser = _signed(client, people[role])
        for page, allowed in PAGES.items():
            status = browser.get(page).status_code
            assert status == (200 if role in allowed else 403), (role, page, status)
        home = browser.get("/office").text
        assert ('href="/office/audit"' in home) == (role in PAGES["/office/audit"])
    # A marketer cannot resolve a conflict case or read the audit log through any door.
    marketer = _signed(client, people["marketer"])
    csrf = csrf_of(marketer.get("/office").text)
    assert marketer.post("/office/risk/conflicts/1/resolve",
                         data={"csrf": csrf, "reason": "x"}).status_code == 403
    # An auditor reads programs but cannot start a draft.
    auditor = _signed(client, people["auditor"])
    csrf = csrf_of(auditor.get("/office").text)
    assert auditor.post("/office/programs/drafts", data={"csrf": csrf}).status_code == 403


def test_signed_out_pages_lead_to_login_and_never_elsewhere(browser: TestClient,
                                                            people: dict[str, str]) -> None:
    resp = browser.get("/office/audit?action=login", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/office/login?next=/office/audit%3Faction%3Dlogin"
    assert browser.get("/office/audit.csv", follow_redirects=False).status_code == 303
    for hostile in ("//evil.example/office", "https://evil.example/office", "/\\evil.example",
                    "/officer", "javascript:alert(1)", "/office/../evil"):
        resp = sign_in(browser, people["admin"], next_path=hostile)
        assert resp.status_code == 303
        assert resp.headers["location"] == "/office", (hostile, resp.headers["location"])
        browser.cookies.clear()
    resp = sign_in(browser, people["admin"], next_path="/office/reports/liability")
    assert resp.headers["location"] == "/office/reports/liability"


def test_every_post_needs_the_sessions_csrf_token(client: TestClient,
                                                  people: dict[str, str]) -> None:
    admin = _signed(client, people["admin"])
    csrf = csrf_of(admin.get("/office").text)
    assert admin.post("/office/programs/drafts", data={}).status_code == 403
    assert admin.post("/office/programs/drafts", data={"csrf": "forged"}).status_code == 403
    other = _signed(client, people["marketer"])  # another session's token is not this one's
    other_csrf = csrf_of(other.get("/office").text)
    assert admin.post("/office/programs/drafts", data={"csrf": other_csrf}).status_code == 403
    cross = admin.post("/office/programs/drafts", data={"csrf": csrf},
                       headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and 'data-reason="csrf"' in cross.text
    assert admin.post("/office/logout", data={}).status_code == 403
    # The login form has its own token (no session yet).
    page = admin.get("/office/login")
    assert admin.post("/office/login", data={"username": people["admin"], "password": PASSWORD,
                                             "csrf": "nope"}).status_code == 403
    assert csrf_of(page.text)
    ok = admin.post("/office/programs/drafts", data={"csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"].startswith("/office/programs/drafts/")


def test_lockout_after_failed_logins(client: TestClient, clock: Clock, env: Env,
                                     people: dict[str, str], browser: TestClient) -> None:
    for _ in range(office_users.MAX_FAILURES - 1):
        resp = sign_in(browser, people["support"], password="wrong password!")
        assert resp.status_code == 401 and 'data-reason' not in resp.text
    assert sign_in(browser, people["support"], password="wrong password!").status_code == 403
    # Locked: even the right password is refused (it would confirm a guess).
    locked = sign_in(browser, people["support"])
    assert locked.status_code == 403 and "Too many failed logins" in locked.text
    clock.advance(office_users.LOCK_SECONDS + 1)
    assert sign_in(browser, people["support"]).status_code == 303
    assert count(env.db_url, AuditEvent, AuditEvent.action == "login_failed") == \
        office_users.MAX_FAILURES
    assert count(env.db_url, AuditEvent, AuditEvent.action == "login_refused") == 1
    unknown = sign_in(browser, "nobody")
    assert unknown.status_code == 401


def test_sessions_end_at_logout_and_when_idle(client: TestClient, clock: Clock, env: Env,
                                              people: dict[str, str]) -> None:
    admin = _signed(client, people["admin"])
    cookie = admin.cookies.get("walletpos_office")
    assert admin.get("/office/audit").status_code == 200
    clock.advance(sessions.IDLE_SECONDS + 1)
    assert admin.get("/office/audit", follow_redirects=False).status_code == 303
    admin = _signed(client, people["admin"])
    csrf = csrf_of(admin.get("/office").text)
    stolen = admin.cookies.get("walletpos_office")
    assert stolen != cookie
    assert admin.post("/office/logout", data={"csrf": csrf}, follow_redirects=False
                      ).status_code == 303
    replay = TestClient(client.app, raise_server_exceptions=False)
    replay.cookies.set("walletpos_office", stolen, path="/office")
    assert replay.get("/office/audit", follow_redirects=False).status_code == 303
    assert count(env.db_url, OfficeSession, OfficeSession.ended_at.is_not(None)) == 1


def test_cookie_flags_headers_and_escaping(client: TestClient, people: dict[str, str]) -> None:
    hostile = client.post("/v1/admin/office-users", json={
        "username": "mallory", "name": "<script>alert(1)</script>", "role": "auditor",
        "password": PASSWORD})
    assert hostile.status_code == 200
    browser = TestClient(client.app, raise_server_exceptions=False)
    resp = sign_in(browser, "mallory")
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/office" in cookie
    page = browser.get("/office/audit?action=%3Cimg%20src%3Dx%3E")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x>" not in page.text and "&lt;img src=x&gt;" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    weak = client.post("/v1/admin/office-users", json={
        "username": "shorty", "name": "S", "role": "admin", "password": "short"})
    assert weak.status_code == 422 and weak.json()["error"] == "weak_password"
    again = client.post("/v1/admin/office-users", json={
        "username": "mallory", "name": "M", "role": "admin", "password": PASSWORD})
    assert again.status_code == 409
    assert client.post("/v1/admin/office-users", headers={"Authorization": ""}, json={
        "username": "x", "name": "x", "role": "admin", "password": PASSWORD}).status_code == 401


def test_japanese_from_the_browser_or_the_users_setting(client: TestClient,
                                                        people: dict[str, str]) -> None:
    browser = TestClient(client.app, raise_server_exceptions=False)
    assert "ログイン" in browser.get("/office/login",
                                     headers={"Accept-Language": "ja,en;q=0.5"}).text
    assert "Sign in" in browser.get("/office/login",
                                    headers={"Accept-Language": "en-GB,ja;q=0.3"}).text
    sign_in(browser, people["auditor"])
    csrf = csrf_of(browser.get("/office").text)
    browser.post("/office/language", data={"csrf": csrf, "language": "ja",
                                           "back": "/office/audit"})
    assert "監査ログ" in browser.get("/office/audit").text
