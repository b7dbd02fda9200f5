"""Store staff: head office adds a cashier with a PIN, central keeps only the argon2 hash, and
exactly that store's terminals receive it in the change feed (SQLite and PostgreSQL)."""

from __future__ import annotations

from argon2 import PasswordHasher

from .helpers import Term


def _staff_changes(term: Term) -> list[dict]:
    resp = term.request("GET", "/v1/changes", params={"cursor": 0, "limit": 1000})
    assert resp.status_code == 200, resp.text
    return [c for c in resp.json()["page"]["changes"] if c["kind"] == "staff"]


def test_staff_reach_only_their_stores_terminals_as_hashes(client):
    made = client.post("/v1/admin/staff", json={"store": "S1", "name": "Alex",
                                                 "role": "cashier", "pin": "1234"})
    assert made.status_code == 200, made.text
    assert set(made.json()) == {"id", "store", "name", "role"}  # never the PIN or its hash
    client.post("/v1/admin/staff", json={"store": "S2", "name": "Kim", "role": "manager",
                                         "pin": "999900"})
    here, elsewhere = Term(client, "S1"), Term(client, "S2")
    mine = _staff_changes(here)
    assert [c["data"]["name"] for c in mine] == ["Alex"]
    pin_hash = mine[0]["data"]["pin_hash"]
    assert pin_hash.startswith("$argon2id$") and "1234" not in pin_hash
    assert PasswordHasher().verify(pin_hash, "1234")
    assert [c["data"]["name"] for c in _staff_changes(elsewhere)] == ["Kim"]


def test_bad_staff_requests_are_refused_and_change_nothing(client):
    for body, reason in (
        ({"store": "S1", "name": "A", "role": "owner", "pin": "1234"}, "invalid_role"),
        ({"store": "S1", "name": "A", "role": "cashier", "pin": "12a4"}, "invalid_pin"),
        ({"store": "S1", "name": "A\x00", "role": "cashier", "pin": "1234"}, "invalid_name"),
        ({"store": "S1", "name": "A", "role": "cashier", "pin": "12"}, "invalid_request"),
        ({"store": "S1", "name": "A", "role": "manager", "pin": "12345"}, "invalid_pin"),
    ):
        resp = client.post("/v1/admin/staff", json=body)
        assert resp.status_code == 422 and resp.json()["error"] == reason, resp.text
    assert _staff_changes(Term(client, "S1")) == []
    unauth = client.post("/v1/admin/staff", headers={"Authorization": ""},
                         json={"store": "S1", "name": "A", "role": "cashier", "pin": "1234"})
    assert unauth.status_code == 401
