"""Journal push: idempotent, gap-free, fork-proof, all-or-nothing on bad input, and every
overdraft kept as a receivable + blocked card + conflict case."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from core.journal import SignedEntry
from core.keys import b64
from core.ledger import replay
from wallet_sync.central import accounts
from wallet_sync.central.db import Database
from wallet_sync.central.tables import Card, CardLot, Entry, Receivable, Terminal

from .helpers import Env, Term, card, count, issue, load_example_programs, table_counts, wire


@pytest.fixture
def setup(client: TestClient) -> tuple[Term, str]:
    load_example_programs(client)
    return Term(client), issue(client, value="50.00")[0]


def test_push_applies_and_same_batch_again_is_idempotent(client: TestClient, env: Env,
                                                         setup: tuple[Term, str]) -> None:
    term, code = setup
    batch = [term.entry(card=code, amount=1000), term.entry(card=code, amount=250),
             term.entry("close")]
    first = term.push(batch)
    assert first.status_code == 200, first.text
    assert first.json()["acked"] == 3
    assert [r["status"] for r in first.json()["results"]] == ["applied"] * 3
    before = table_counts(env.db_url)
    again = term.push(batch)
    assert again.status_code == 200 and again.json() == first.json()
    assert table_counts(env.db_url) == before
    assert card(client, code)["balance"] == "37.50"
    # A batch straddling what central holds applies only the new tail.
    more = [term.entry(card=code, amount=50)]
    resp = term.push(batch[1:] + more)
    assert resp.json()["acked"] == 4 and len(resp.json()["results"]) == 3
    assert card(client, code)["balance"] == "37.00"
    assert count(env.db_url, Entry) == 4


def test_gap_is_409_with_expected_seq(client: TestClient, env: Env,
                                      setup: tuple[Term, str]) -> None:
    term, code = setup
    e1, e2, e3 = (term.entry(card=code, amount=100) for _ in range(3))
    assert term.push([e1]).status_code == 200
    resp = term.push([e3])
    assert resp.status_code == 409
    assert resp.json()["error"] == "gap" and resp.json()["expected_seq"] == 2
    assert count(env.db_url, Entry) == 1
    assert term.push([e2, e3]).json()["acked"] == 3


def test_fork_quarantines_the_terminal(client: TestClient, env: Env,
                                       setup: tuple[Term, str]) -> None:
    term, code = setup
    original = [term.entry(card=code, amount=100), term.entry(card=code, amount=200)]
    assert term.push(original).status_code == 200
    term.seq, term.prev = 1, original[0].hash  # rewrite history from seq 2
    forged = term.entry(card=code, amount=5000)
    resp = term.push([forged])
    assert resp.status_code == 403 and resp.json()["error"] == "quarantined"
    assert card(client, code)["balance"] == "47.00"
    cases = client.get("/v1/admin/conflicts").json()["conflicts"]
    assert [c["reason"] for c in cases] == ["fork"]
    assert {e["hash"] for e in cases[0]["entries"]} == {original[1].hash.hex(), forged.hash.hex()}
    # From then on nothing from this terminal is accepted.
    after = term.push([term.entry(card=code, amount=1)])
    assert after.status_code == 403 and after.json()["error"] == "quarantined"
    assert term.changes().status_code == 403
    assert count(env.db_url, Entry) == 2


def _tamper(entry: SignedEntry) -> SignedEntry:
    sig = bytes([entry.signature[0] ^ 1]) + entry.signature[1:]
    return SignedEntry(entry.data, sig, entry.body)


def test_bad_signature_or_broken_chain_applies_nothing(client: TestClient, env: Env,
                                                       setup: tuple[Term, str]) -> None:
    term, code = setup
    batch = [term.entry(card=code, amount=100) for _ in range(3)]
    before = table_counts(env.db_url)
    resp = term.push(batch[:2] + [_tamper(batch[2])])
    assert resp.status_code == 422 and resp.json()["error"] == "bad_signature"
    resp = term.push([batch[0], batch[2]])
    assert resp.status_code == 422 and resp.json()["error"] == "broken_chain"
    other = Term(client)
    stranger = other.entry(card=code, amount=100, offline=True)
    resp = term.push([stranger])
    assert resp.status_code == 422 and resp.json()["error"] == "wrong_terminal"
    junk = {"terminal": term.id, "entries": [{"data": b64(b"\xff\x00junk"), "sig": b64(b"x")}]}
    resp = term.request("POST", "/v1/journal", junk)
    assert resp.status_code == 422 and resp.json()["error"] == "malformed_entry"
    after = table_counts(env.db_url)
    assert {k: v for k, v in after.items() if k not in ("terminals", "enroll_codes", "stores")} \
        == {k: v for k, v in before.items() if k not in ("terminals", "enroll_codes", "stores")}
    assert card(client, code)["balance"] == "50.00"
    assert term.push(batch).json()["acked"] == 3


def test_request_signature_is_required(client: TestClient, env: Env,
                                       setup: tuple[Term, str]) -> None:
    term, code = setup
    payload = wire(term.id, [term.entry(card=code, amount=100)])
    unsigned = client.post("/v1/journal", json=payload)
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "bad_request_signature"
    # Signed by a key that is not the terminal's.
    impostor = Term(client)
    impostor.id = term.id
    resp = impostor.request("POST", "/v1/journal", payload)
    assert resp.status_code == 401
    ghost = Term(client)
    resp = ghost.request("POST", "/v1/journal", payload, key_id="T-NOTATERM")
    assert resp.status_code == 403 and resp.json()["error"] == "unknown_terminal"
    assert count(env.db_url, Entry) == 0


def test_overdraft_makes_receivable_blocks_card_and_opens_case(
        client: TestClient, env: Env, setup: tuple[Term, str]) -> None:
    a, _ = setup
    (code,) = issue(client, program="store-credit", value="50.00")
    b = Term(client, store="S2")
    b.synced()  # B's outage starts here, its replica saying 50.00
    assert a.push([a.entry(card=code, amount=4000, program="store-credit")]
                  ).json()["results"][0]["status"] == "applied"
    # B, cut off, spends 20.00 within store-credit's floor caps: 10.00 more than is left.
    resp = b.push([b.entry(card=code, amount=2000, offline=True, program="store-credit")])
    assert resp.json()["results"][0] == {"seq": 1, "status": "conflict", "reason": "overdraft"}
    view = card(client, code)
    assert view["state"] == "blocked" and view["balance"] == "0.00"
    assert count(env.db_url, Receivable, Receivable.amount == 1000) == 1
    (case,) = client.get("/v1/admin/conflicts").json()["conflicts"]
    assert case["reason"] == "overdraft" and case["shortfall"] == "10.00"
    assert case["currency"] == "EUR" and case["status"] == "open" and case["card"] == code
    assert {(e["terminal"], e["seq"]) for e in case["entries"]} == {(a.id, 1), (b.id, 1)}
    # Unknown card: stored, conflict, case; never dropped.
    resp = b.push([b.entry(card="GC-0000-0000-0000", amount=500, offline=True)])
    assert resp.json()["results"][0]["reason"] == "unknown_card"
    assert count(env.db_url, Entry, Entry.status == "conflict") == 2


def test_load_activate_void_and_cached_balances_replay(client: TestClient, env: Env,
                                                       setup: tuple[Term, str]) -> None:
    term, code = setup
    (fresh,) = issue(client, value="10.00", activate=False)
    manager = term.manager()
    sold = term.push([term.value_entry("activate", fresh), term.value_entry("load", fresh, 2500)])
    batch = [term.entry(card=fresh, amount=3000), term.entry(card=code, amount=1234)]
    batch.append(term.entry("void", card=fresh, currency="EUR", ref=3, staff=manager))
    resp = term.push(batch)
    assert [r["status"] for r in sold.json()["results"] + resp.json()["results"]] \
        == ["applied"] * 5, resp.text
    assert card(client, fresh) | {"expires_at": None} == {
        "code": fresh, "state": "active", "balance": "35.00", "currency": "EUR",
        "program": "gift-eur", "expires_at": None}
    again = term.push([term.entry("void", card=fresh, currency="EUR", ref=3, staff=manager)])
    assert again.json()["results"][0]["reason"] == "void_invalid"
    _assert_every_cached_balance_replays(env.db_url)


def _assert_every_cached_balance_replays(db_url: str) -> None:
    db = Database(db_url)
    now = int(time.time())
    try:
        with db.read() as session:
            cards = session.query(Card).all()
            assert cards
            for c in cards:
                account = replay(c.code, c.currency, accounts.events_of(session, c.code))
                assert account.balance(now) == c.balance_minor, c.code
                assert account.state == c.state
                lots = {lot.lot_id: lot.remaining for lot in
                        session.query(CardLot).filter(CardLot.card == c.code)}
                assert {lot.lot_id: lot.remaining for lot in account.lots} == lots
    finally:
        db.dispose()


def test_terminal_state_tracks_last_seq_and_hash(client: TestClient, env: Env,
                                                 setup: tuple[Term, str]) -> None:
    term, code = setup
    batch = [term.entry(card=code, amount=1) for _ in range(5)]
    assert term.push(batch).json()["acked"] == 5
    db = Database(env.db_url)
    try:
        with db.read() as session:
            row = session.get(Terminal, term.id)
            assert row is not None and row.last_seq == 5 and bytes(row.last_hash) == batch[-1].hash
    finally:
        db.dispose()
