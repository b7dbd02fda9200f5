"""Enrollment codes: one use, 15 minutes, a valid key; central's key in the answer."""

from __future__ import annotations

import base64
import threading

import httpx
from starlette.testclient import TestClient

from core.keys import b64, new_private_key, public_bytes
from wallet_sync.central.keys import key_id_for
from wallet_sync.central.tables import EnrollCode, StoreRow, Terminal

from .helpers import Clock, Env, LiveServer, count


def _code(client: TestClient, store: str = "S1") -> str:
    resp = client.post("/v1/admin/enroll-codes", json={"store": store})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert len(body["code"]) == 9 and body["code"][4] == "-"
    return body["code"]


def _enroll(client: TestClient, code: str, key: bytes | None = None):  # type: ignore[no-untyped-def]
    raw = key if key is not None else public_bytes(new_private_key())
    return client.post("/v1/enroll", json={"code": code, "public_key": b64(raw)})


def test_enroll_returns_terminal_store_and_central_key(client: TestClient, env: Env) -> None:
    resp = _enroll(client, _code(client, "Store-7"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["terminal_id"].startswith("T-") and len(body["terminal_id"]) == 10
    assert body["store"] == "Store-7"
    raw = base64.urlsafe_b64decode(body["central_public_key"] + "==")
    assert key_id_for(raw) == env.key_id
    assert body["config"]["push_batch"] > 0


def test_code_is_one_use(client: TestClient, env: Env) -> None:
    code = _code(client)
    assert _enroll(client, code).status_code == 200
    again = _enroll(client, code.lower().replace("-", ""))
    assert again.status_code == 403
    assert again.json()["error"] == "enroll_code_used"
    assert count(env.db_url, Terminal) == 1


def test_expired_code_is_refused(client: TestClient, env: Env, clock: Clock) -> None:
    code = _code(client)
    clock.advance(15 * 60 + 1)
    resp = _enroll(client, code)
    assert resp.status_code == 403 and resp.json()["error"] == "enroll_code_expired"
    assert count(env.db_url, Terminal) == 0


def test_unknown_code_and_bad_key_change_nothing(client: TestClient, env: Env) -> None:
    assert _enroll(client, "ZZZZ-ZZZZ").json()["error"] == "invalid_enroll_code"
    code = _code(client)
    bad = client.post("/v1/enroll", json={"code": code, "public_key": "!" * 43})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_key"
    # The refused attempt did not spend the code.
    assert count(env.db_url, EnrollCode, EnrollCode.used_at.is_not(None)) == 0
    assert _enroll(client, code).status_code == 200


def test_same_key_cannot_enroll_twice(client: TestClient, env: Env) -> None:
    raw = public_bytes(new_private_key())
    assert _enroll(client, _code(client), raw).status_code == 200
    code = _code(client)
    resp = _enroll(client, code, raw)
    assert resp.status_code == 409 and resp.json()["error"] == "key_in_use"
    assert count(env.db_url, EnrollCode, EnrollCode.used_at.is_not(None)) == 1


def test_enroll_code_needs_admin_key(client: TestClient) -> None:
    resp = client.post("/v1/admin/enroll-codes", json={"store": "S1"},
                       headers={"Authorization": ""})
    assert resp.status_code == 401 and resp.json()["error"] == "unauthorized"


def test_concurrent_codes_for_a_new_store_all_succeed(live: LiveServer, env: Env) -> None:
    """Head office enrolling a new store's tills at once (or adding its staff) made two inserts
    of the store's row; on PostgreSQL one of them failed with a 500."""
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def make(i: int) -> None:
        with httpx.Client(base_url=live.url, timeout=30,
                          headers={"Authorization": f"Bearer {env.admin_key}"}) as http:
            barrier.wait()
            if i % 3 == 0:
                resp = http.post("/v1/admin/staff", json={
                    "store": "NEW-1", "name": f"Cashier {i}", "role": "cashier", "pin": "4321"})
            else:
                resp = http.post("/v1/admin/enroll-codes", json={"store": "NEW-1"})
            statuses.append(resp.status_code)

    threads = [threading.Thread(target=make, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 12
    assert count(env.db_url, StoreRow, StoreRow.id == "NEW-1") == 1
