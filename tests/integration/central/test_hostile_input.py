"""Hostile input at central's API (issue 13): amounts that are not plain ASCII decimals above
zero, and ids out of any range, get a typed 4xx and change nothing — never a 500, which a
terminal would take for "central is down" and spend offline."""

from __future__ import annotations

import cbor2
import pytest
from starlette.testclient import TestClient

from core.journal import GENESIS_HASH, EntryBody
from core.keys import b64

from .helpers import Env, Term, issue, load_example_programs, table_counts

NOT_AMOUNTS = ["0", "0.00", "-1", "-0.01", "٣", "１２.００", "12.٠٠", "²", " 12.00", "12.00 ",
               "12.00\n", "+1", ""]


@pytest.fixture
def term(client: TestClient) -> Term:
    load_example_programs(client)
    return Term(client)


def test_authorize_refuses_what_is_not_an_amount(client: TestClient, env: Env,
                                                 term: Term) -> None:
    (code,) = issue(client, value="50.00")
    before = table_counts(env.db_url)
    for amount in NOT_AMOUNTS:
        resp = term.authorize(code, amount)
        assert resp.status_code == 422, (amount, resp.text)
        assert resp.json()["error"] == "invalid_amount", amount
    assert table_counts(env.db_url) == before
    assert term.authorize(code, "12.00").json()["status"] == "approved"


def test_head_office_amounts_are_ascii_decimals_above_zero(client: TestClient, env: Env,
                                                           term: Term) -> None:
    (code,) = issue(client, value="50.00")
    before = table_counts(env.db_url)
    for amount in NOT_AMOUNTS:
        resp = client.post(f"/v1/admin/cards/{code}/load", json={"amount": amount})
        assert (resp.status_code, resp.json()["error"]) == (422, "invalid_amount"), amount
    for value in ("-1", "٣", "１２.００", " 5.00", "5.00 "):
        resp = client.post("/v1/admin/cards", json={"program": "gift-eur", "count": 1,
                                                    "value": value})
        assert (resp.status_code, resp.json()["error"]) == (422, "invalid_amount"), value
    assert table_counts(env.db_url) == before
    # A blank card is issued with nothing on it: zero is a value here, and only here.
    (blank,) = issue(client, value="0.00", activate=False)
    assert client.get(f"/v1/admin/cards/{blank}").json()["balance"] == "0.00"


OUT_OF_RANGE = [str(2**63), str(2**64), "9" * 30, "-1", "abc", "٣", "²", "1e3", "0x10", "",
                "1" * 5000]


def test_ids_out_of_range_are_404_or_422_never_500(client: TestClient, env: Env,
                                                   term: Term) -> None:
    before = table_counts(env.db_url)
    for conflict_id in [*OUT_OF_RANGE, "0"]:
        resp = client.post(f"/v1/admin/conflicts/{conflict_id}/resolve",
                           json={"reason": "checked"})
        assert resp.status_code in (404, 405, 422), (conflict_id[:40], resp.text[:200])
        assert set(resp.json()) >= {"error", "message"}
    resp = client.post(f"/v1/admin/conflicts/{2**63 - 1}/resolve", json={"reason": "checked"})
    assert (resp.status_code, resp.json()["error"]) == (404, "unknown_conflict")
    for name in ("cursor", "limit", "head"):
        for value in [*OUT_OF_RANGE, str(2**62 + 1)]:
            resp = term.request("GET", "/v1/changes", params={name: value})
            assert resp.status_code == 422, (name, value[:40], resp.text[:200])
            assert resp.json()["error"] == "invalid_request"
    for params in ({"limit": "²"}, {"limit": str(2**63)}, {"limit": "0"}, {"status": "x"}):
        resp = term.request("GET", "/v1/store/conflicts", params=params)
        assert (resp.status_code, resp.json()["error"]) == (422, "invalid_request"), params
    resp = client.get("/v1/admin/conflicts", params={"status": "nope"})
    assert (resp.status_code, resp.json()["error"]) == (422, "invalid_request")
    assert table_counts(env.db_url) == before


@pytest.mark.parametrize("field", ["wall_ms", "mono", "amount", "program_version", "ref"])
def test_a_signed_entry_with_a_number_no_column_holds_is_refused(
        client: TestClient, env: Env, term: Term, field: str) -> None:
    # An enrolled terminal (or a thief with its key) signs an entry whose integers overflow
    # BIGINT: a typed refusal, not a database error halfway through the batch.
    (code,) = issue(client, value="50.00")
    before = table_counts(env.db_url)
    body = EntryBody(terminal=term.id, seq=1, prev_hash=GENESIS_HASH, wall_ms=1, mono=1,
                     op="redeem", amount=100, currency="EUR", card=code, program="gift-eur",
                     program_version=1, offline=True, extra={"request_id": "r1"})
    data = cbor2.dumps({**{name: getattr(body, name) for name in body.__slots__},
                        field: 2**63}, canonical=True)
    signed = {"data": b64(data), "sig": b64(term.key.sign(data))}
    resp = term.request("POST", "/v1/journal", {"terminal": term.id, "entries": [signed]})
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "malformed_entry"
    assert table_counts(env.db_url) == before
