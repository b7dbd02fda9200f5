"""Code pools on central (SQLite and PostgreSQL): codes reserved to one terminal are its alone —
asking again returns the same codes, head office's own batches never hand them out, and a
terminal's `issue` entry creates the card only for a code reserved to that terminal, once."""

from __future__ import annotations

import time
from typing import Any

from starlette.testclient import TestClient

from core.credential import read_credential
from core.journal import EntryBody, SignedEntry, sign_entry
from core.keys import key_id, public_from_bytes, unb64

from .helpers import Term, card, issue, load_example_programs

TINY = """
programs:
  - id: tiny
    kind: gift_card
    name: {en: Tiny}
    currency: EUR
    offline: {mode: online}
    code_pattern: "T-##"
    default_value: "5.00"
"""


def pool(term: Term, program: str, target: int) -> Any:
    return term.request("POST", "/v1/code-pool", {"program": program, "target": target})


def issue_entry(term: Term, code: str, amount: int = 2000, program: str = "gift-eur",
                expires_at: int | None = None, currency: str = "EUR",
                staff: str | None = None) -> SignedEntry:
    term.seq += 1
    body = EntryBody(terminal=term.id, seq=term.seq, prev_hash=term.prev,
                     wall_ms=int(time.time() * 1000), mono=term.seq, op="issue", amount=amount,
                     currency=currency, card=code, program=program, program_version=1,
                     staff=staff or term.manager(), offline=True,
                     extra={"batch": "b1", "expires_at": expires_at})
    signed = sign_entry(body, term.key)
    term.prev = signed.hash
    return signed


def test_pool_is_stable_signed_and_capped(client: TestClient) -> None:
    load_example_programs(client)
    term = Term(client)
    first = pool(term, "gift-eur", 5)
    assert first.status_code == 200, first.text
    codes = first.json()["codes"]
    assert len(codes) == 5
    again = pool(term, "gift-eur", 5)  # a lost answer asked again: the same codes, no more
    assert again.json()["codes"] == codes
    assert len(pool(term, "gift-eur", 8).json()["codes"]) == 8  # topped up, the 5 kept
    raw = unb64(term.enrolled["central_public_key"])
    keys = {key_id(raw): public_from_bytes(raw)}
    for c in codes:
        cred = read_credential(c["qr"], keys)
        assert (cred.code, cred.kind, cred.currency, cred.expiry) == (c["code"], "gift_card",
                                                                      "EUR", None)
    other = Term(client)  # another terminal gets other codes
    theirs = {c["code"] for c in pool(other, "gift-eur", 8).json()["codes"]}
    assert not theirs & {c["code"] for c in codes}
    assert pool(term, "gift-eur", 1001).status_code == 422
    assert pool(term, "club", 5).json()["error"] == "wrong_program_kind"
    assert pool(term, "nope", 5).status_code == 404
    unsigned = client.post("/v1/code-pool", json={"program": "gift-eur", "target": 5},
                           headers={"Authorization": ""})
    assert unsigned.status_code in (401, 403)


def test_head_office_batches_skip_reserved_codes(client: TestClient) -> None:
    resp = client.post("/v1/admin/programs", json={"source": TINY, "format": "yaml"})
    assert resp.status_code == 200, resp.text
    term = Term(client)
    reserved = {c["code"] for c in pool(term, "tiny", 20).json()["codes"]}
    assert len(reserved) == 20
    # "T-##" has 32 codes: head office can only get the 12 nobody reserved.
    issued = set(issue(client, "tiny", 12))
    assert len(issued) == 12 and not issued & reserved


def test_issue_entries_create_cards_only_from_the_terminals_own_pool(client: TestClient
                                                                    ) -> None:
    load_example_programs(client)
    term, other = Term(client), Term(client)
    mine = [c["code"] for c in pool(term, "gift-eur", 5).json()["codes"]]
    theirs = pool(other, "gift-eur", 1).json()["codes"][0]["code"]
    expires = int(time.time()) + 400 * 86400
    batch = [issue_entry(term, mine[0], 2000, expires_at=expires),
             issue_entry(term, mine[1], 0),
             issue_entry(term, mine[0], 2000),  # the same code twice
             issue_entry(term, theirs, 2000),  # another terminal's code
             issue_entry(term, "GC-0000-0000-0000", 2000),  # never reserved
             issue_entry(term, mine[2], 2000, program="store-credit"),  # not its program
             issue_entry(term, mine[3], 5001),  # beyond gift-eur's cap (its 50.00 default)
             issue_entry(term, mine[4], 2000, staff="S-NOBODY")]  # no such manager
    resp = term.push(batch)
    assert resp.status_code == 200, resp.text
    results = [(r["status"], r["reason"]) for r in resp.json()["results"]]
    assert results == [("applied", None), ("applied", None), ("conflict", "code_taken"),
                       ("conflict", "code_not_reserved"), ("conflict", "code_not_reserved"),
                       ("conflict", "wrong_program"), ("conflict", "over_value_cap"),
                       ("conflict", "unknown_staff")]
    # Selling an issued card is online: central authorizes the activation, then it applies.
    resp = term.push([term.value_entry("activate", mine[0])])
    assert resp.json()["results"] == [{"seq": 9, "status": "applied", "reason": None}]
    assert (card(client, mine[0])["state"], card(client, mine[0])["balance"]) == ("active",
                                                                                 "20.00")
    assert card(client, mine[1])["state"] == "inactive"
    assert client.get(f"/v1/admin/cards/{theirs}").status_code == 404
    assert client.get(f"/v1/admin/cards/{mine[2]}").status_code == 404
    # the first card spends like any other: central authorizes against its face value
    assert term.authorize(mine[0], "15.00").json()["status"] == "approved"
    assert term.authorize(mine[0], "10.00").json()["status"] == "declined"
    # the pool no longer offers the issued codes; the conflicted one stays free
    left = {c["code"] for c in pool(term, "gift-eur", 1).json()["codes"]}
    assert {mine[2], mine[3], mine[4]} <= left and not left & {mine[0], mine[1]}
    # the new cards reach every terminal's replica through the change feed
    feed = {ch["key"]: ch["data"] for ch in other.changes().json()["page"]["changes"]
            if ch["kind"] == "card"}
    assert feed[mine[0]]["balance_minor"] == 2000 and feed[mine[0]]["expires_at"] == expires
    assert feed[mine[1]]["state"] == "inactive"
