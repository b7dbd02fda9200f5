"""Admin API: keys required, program loading and versioning, card issue, and hostile input
answered with 4xx JSON while nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core.credential import read_credential
from core.keys import public_from_bytes
from wallet_sync.central.db import Database
from wallet_sync.central.tables import CentralKey, Program

from .helpers import EXAMPLE_PROGRAMS, Env, Term, card, issue, load_example_programs, table_counts

ADMIN_CALLS = [
    ("POST", "/v1/admin/programs", {"source": "version: 1\nprograms: []\n"}),
    ("POST", "/v1/admin/enroll-codes", {"store": "S1"}),
    ("POST", "/v1/admin/cards", {"program": "gift-eur", "count": 1}),
    ("GET", "/v1/admin/cards/GC-0000-0000-0000", None),
    ("GET", "/v1/admin/conflicts", None),
]


@pytest.mark.parametrize("auth", ["", "Bearer ", "Bearer wpk_wrong", "Basic abc"])
def test_admin_key_required(client: TestClient, env: Env, auth: str) -> None:
    before = table_counts(env.db_url)
    for method, path, body in ADMIN_CALLS:
        resp = client.request(method, path, json=body, headers={"Authorization": auth})
        assert resp.status_code == 401, path
        assert resp.json()["error"] == "unauthorized"
    assert table_counts(env.db_url) == before


def _programs(db_url: str) -> dict[str, tuple[int, int]]:
    db = Database(db_url)
    try:
        with db.read() as s:
            return {p.id: (p.version, p.change_seq) for p in s.scalars(select(Program))}
    finally:
        db.dispose()


def test_example_programs_load_unchanged_and_version_on_change(client: TestClient,
                                                               env: Env) -> None:
    load_example_programs(client)
    first = _programs(env.db_url)
    assert set(first) == {"gift-eur", "store-credit", "gift-weekend", "club"}
    assert all(v == 1 for v, _ in first.values())
    load_example_programs(client)
    assert _programs(env.db_url) == first  # same file: nothing new published
    source = Path(EXAMPLE_PROGRAMS).read_text(encoding="utf-8").replace(
        'default_value: "10.00"', 'default_value: "15.00"')
    resp = client.post("/v1/admin/programs", json={"source": source})
    assert resp.status_code == 200
    after = _programs(env.db_url)
    assert after["gift-weekend"][0] == 2
    assert after["gift-weekend"][1] > max(seq for _, seq in first.values())
    assert {k: v for k, v in after.items() if k != "gift-weekend"} == \
        {k: v for k, v in first.items() if k != "gift-weekend"}


def test_invalid_program_file_changes_nothing(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    before = table_counts(env.db_url)
    for source in ("programs: [", "version: 1\nprograms:\n  - {id: x, kind: bogus}\n",
                   "version: 1\nprograms:\n  - {id: g, kind: gift_card, currency: EUR, "
                   "code_pattern: 'G-##', default_value: 1.5}\n"):
        resp = client.post("/v1/admin/programs", json={"source": source})
        assert resp.status_code == 422, source
        assert resp.json()["error"] == "invalid_program" and resp.json()["message"]
    assert table_counts(env.db_url) == before


def test_issue_cards_uses_program_defaults_and_signs_qr(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    resp = client.post("/v1/admin/cards", json={"program": "gift-eur", "count": 3})
    assert resp.status_code == 200
    cards = resp.json()["cards"]
    assert len({c["code"] for c in cards}) == 3
    db = Database(env.db_url)
    with db.read() as s:
        key = s.scalars(select(CentralKey)).one()
        issuer = {key.key_id: public_from_bytes(key.public_key)}
    db.dispose()
    for c in cards:
        cred = read_credential(c["qr"], issuer)
        assert cred.code == c["code"] and cred.kind == "gift_card" and cred.currency == "EUR"
        view = card(client, c["code"].lower())
        assert (view["state"], view["balance"]) == ("inactive", "50.00")
        issued = dt.datetime.fromtimestamp(cred.issued, dt.UTC)
        expiry = dt.datetime.fromtimestamp(view["expires_at"], dt.UTC)
        assert (expiry.year - issued.year) * 12 + expiry.month - issued.month == 24
        assert cred.expiry == view["expires_at"]
    (active,) = issue(client, value="12.34", activate=True)
    assert card(client, active)["state"] == "active"
    assert card(client, active)["balance"] == "12.34"


def test_hostile_admin_input_is_4xx_json_and_writes_nothing(client: TestClient,
                                                            env: Env) -> None:
    load_example_programs(client)
    before = table_counts(env.db_url)
    bad = [
        ("POST", "/v1/admin/cards", {"program": "gift-eur", "count": 0}, 422),
        ("POST", "/v1/admin/cards", {"program": "gift-eur", "count": 10**9}, 422),
        ("POST", "/v1/admin/cards", {"program": "gift-eur", "count": 1, "value": "1.001"}, 422),
        ("POST", "/v1/admin/cards", {"program": "gift-eur", "count": 1, "value": 1.5}, 422),
        ("POST", "/v1/admin/cards", {"program": "nope", "count": 1}, 404),
        ("POST", "/v1/admin/cards", {"program": "club", "count": 1}, 422),
        ("POST", "/v1/admin/enroll-codes", {"store": "x" * 65}, 422),
        ("POST", "/v1/admin/enroll-codes", {"store": "S1", "extra": 1}, 422),
        ("POST", "/v1/admin/programs", {"source": "x" * 2_000_001}, 422),
        ("GET", "/v1/admin/cards/" + "A" * 100, None, 422),
        ("GET", "/v1/nowhere", None, 404),
    ]
    for method, path, body, status in bad:
        resp = client.request(method, path, json=body)
        assert resp.status_code == status, (path, body, resp.text[:200])
        assert set(resp.json()) >= {"error", "message"}
    resp = client.post("/v1/admin/cards", content=b"{\"program\": ", headers={
        "content-type": "application/json"})
    assert resp.status_code == 422 and resp.json()["error"] == "invalid_request"
    assert table_counts(env.db_url) == before


def test_hostile_terminal_input_is_4xx_json_and_writes_nothing(client: TestClient,
                                                               env: Env) -> None:
    load_example_programs(client)
    term = Term(client)
    before = table_counts(env.db_url)
    too_many = {"terminal": term.id, "entries": [{"data": "AA", "sig": "AA"}] * 1001}
    too_big = {"terminal": term.id, "entries": [{"data": "A" * 6001, "sig": "AA"}]}
    for payload in (too_many, too_big, {"terminal": term.id, "entries": []}, [1, 2], "x"):
        resp = term.request("POST", "/v1/journal", payload)
        assert resp.status_code == 422, str(payload)[:80]
        assert resp.json()["error"] == "invalid_request"
    resp = term.request("POST", "/v1/journal", raw=b"\xff\xfe not json")
    assert resp.status_code == 422
    huge = client.post("/v1/journal", content=b"x" * (9 * 1024 * 1024))
    assert huge.status_code == 413 and huge.json()["error"] == "request_too_large"
    assert table_counts(env.db_url) == before
