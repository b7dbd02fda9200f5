"""Escrow on central (SQLite and PostgreSQL): grants go to terminals of stores that saw the
card, travel in the change feed to their own terminal only, draw the reserve down, are used by
entries naming them and come back only through the terminal's release entry — once, however
often the batch is pushed. Online spends never take what is granted. After every step:
balance = reserve + open grants + open holds."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from wallet_sync.central.db import Database
from wallet_sync.central.escrow import EscrowTerms, check, grant_size
from wallet_sync.central.tables import Card, Grant, Hold

from .helpers import Clock, Env, Term, card, issue, load_example_programs


def invariant(db_url: str) -> dict[str, int]:
    """Assert the invariant for every card; return the reserves."""
    db = Database(db_url)
    try:
        with db.read() as session:
            codes = list(session.scalars(select(Card.code)))
            check(session, codes)
            return dict(session.execute(select(Card.code, Card.reserve)).all())
    finally:
        db.dispose()


def grants_in_feed(term: Term, head: int | None = None) -> list[dict]:
    params = {"cursor": 0, "limit": 5000}
    if head is not None:
        params["head"] = head
    resp = term.request("GET", "/v1/changes", params=params)
    assert resp.status_code == 200, resp.text
    return [c["data"] for c in resp.json()["page"]["changes"] if c["kind"] == "grant"]


@pytest.fixture
def terms(client: TestClient) -> tuple[Term, Term, Term]:
    load_example_programs(client)
    return Term(client, "S1"), Term(client, "S1"), Term(client, "S2")


def test_grants_go_to_the_store_that_saw_the_card(client: TestClient, env: Env,
                                                 terms: tuple[Term, Term, Term]) -> None:
    a, b, other = terms
    seen, unseen = issue(client, count=2, value="80.00")
    (floor,) = issue(client, program="store-credit", value="50.00")
    assert a.authorize(seen, "10.00").json()["status"] == "approved"
    a.authorize(floor, "1.00")
    assert grants_in_feed(a) == []  # only a pull that says where the journal ends grants
    got = grants_in_feed(a, head=0)
    # Half the 80.00 stays online (keep_online_percent 50): of the 70.00 reserve, 30.00.
    assert [(g["card"], g["amount_minor"], g["status"]) for g in got] == [(seen, 3000, "open")]
    assert grants_in_feed(a, head=0) == got  # no second grant for the same card
    # B is in the same store: what was grantable is A's already (the two split it).
    assert grants_in_feed(b, head=0) == []
    (seen_b,) = issue(client, value="80.00")
    b.authorize(seen_b, "0.01")
    assert [(g["card"], g["amount_minor"]) for g in grants_in_feed(b, head=0)] == \
        [(seen_b, 3999)]
    assert grants_in_feed(other, head=0) == []  # another store never saw the card
    assert unseen not in {g["card"] for g in grants_in_feed(a, head=0)}
    assert invariant(env.db_url)[seen] == 40_00


def test_online_spends_never_take_what_is_granted(client: TestClient, env: Env,
                                                  terms: tuple[Term, Term, Term]) -> None:
    a, _, other = terms
    (code,) = issue(client, value="80.00")
    a.authorize(code, "0.01")
    grants_in_feed(a, head=0)  # 39.99 granted to A; the reserve keeps 40.00 online
    answer = other.authorize(code, "80.00").json()  # more than the card holds unheld
    assert (answer["status"], answer["reason"], answer["balance"]) == \
        ("declined", "insufficient_funds", "40.00")
    assert other.authorize(code, "40.00").json()["status"] == "approved"
    assert invariant(env.db_url)[code] == 0
    assert card(client, code)["balance"] == "80.00"  # holds and grants are not spends


def test_grant_used_offline_then_released_once(client: TestClient, env: Env,
                                               terms: tuple[Term, Term, Term]) -> None:
    a, _, _ = terms
    (code,) = issue(client, value="80.00")
    auth = a.authorize(code, "10.00").json()["auth_id"]
    assert a.push([a.entry(card=code, amount=1000, auth=auth)]).status_code == 200
    (grant,) = grants_in_feed(a, head=1)
    assert invariant(env.db_url)[code] == 70_00 - 35_00  # half of the balance stays online
    spends = [a.entry(card=code, amount=amount, grant=grant["id"]) for amount in (1500, 2000)]
    release = a.entry(op="release", card=code, amount=1500, grant=grant["id"])
    batch = [*spends, release]
    first = a.push(batch)
    assert first.status_code == 200 and first.json()["acked"] == 4
    assert [r["status"] for r in first.json()["results"]] == ["applied"] * 3
    again = a.push(batch)  # a retried push: same answer, nothing applied twice
    assert again.json() == first.json()
    assert card(client, code)["balance"] == "35.00"
    assert invariant(env.db_url)[code] == 35_00  # nothing of the grant was left unused
    db = Database(env.db_url)
    try:
        with db.read() as session:
            row = session.get(Grant, grant["id"])
            assert row is not None and (row.status, row.used, row.released_seq) == \
                ("released", 3500, 4)
    finally:
        db.dispose()
    # The release reached the feed; the next pull grants afresh.
    states = {g["id"]: g["status"] for g in grants_in_feed(a, head=4)}
    assert states[grant["id"]] == "released"
    assert sum(1 for s in states.values() if s == "open") == 1


def test_release_of_an_unknown_grant_is_a_case(client: TestClient, env: Env,
                                               terms: tuple[Term, Term, Term]) -> None:
    a, b, _ = terms
    (code,) = issue(client, value="80.00")
    a.authorize(code, "1.00")
    (grant,) = grants_in_feed(a, head=0)
    # B cannot spend or release A's grant: B's spend comes from the reserve (a breach of the
    # policy, B is flagged), its release is refused as a case.
    resp = b.push([b.entry(card=code, amount=500, grant=grant["id"]),
                   b.entry(op="release", card=code, grant=grant["id"])])
    assert [(r["status"], r["reason"]) for r in resp.json()["results"]] == [
        ("conflict", "breach:grant_invalid"), ("conflict", "grant_invalid")]
    invariant(env.db_url)


def test_expired_holds_return_to_the_reserve(client: TestClient, env: Env, clock: Clock,
                                             terms: tuple[Term, Term, Term]) -> None:
    a, _, _ = terms
    (code,) = issue(client, program="store-credit", value="50.00")
    a.authorize(code, "20.00")
    assert invariant(env.db_url)[code] == 30_00
    clock.advance(11 * 60)
    grants_in_feed(a, head=0)
    assert invariant(env.db_url)[code] == 50_00
    db = Database(env.db_url)
    try:
        with db.read() as session:
            assert session.scalar(select(Hold.released_at)) is not None
    finally:
        db.dispose()


def test_top_up_grows_the_reserve(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    (code,) = issue(client, value="10.00")
    resp = client.post(f"/v1/admin/cards/{code}/load", json={"amount": "5.50"})
    assert resp.status_code == 200 and resp.json()["balance"] == "15.50"
    assert invariant(env.db_url)[code] == 15_50
    bad = client.post(f"/v1/admin/cards/{code}/load", json={"amount": "-1"})
    assert bad.status_code == 422
    assert client.post("/v1/admin/cards/GC-0000-0000-0000/load",
                       json={"amount": "1.00"}).status_code == 404


def test_a_spend_elsewhere_recalls_the_grant_and_only_the_release_frees_it(
        client: TestClient, env: Env, terms: tuple[Term, Term, Term]) -> None:
    a, _, other = terms
    (code,) = issue(client, value="50.00")
    a.authorize(code, "0.01")
    (grant,) = grants_in_feed(a, head=0)  # 24.99 to A; 25.00 stays online
    assert (grant["amount_minor"], grant["recall"]) == (2499, False)
    answer = other.authorize(code, "30.00").json()
    assert (answer["status"], answer["reason"], answer["balance"]) == \
        ("declined", "reserved_elsewhere", "25.00")
    # The mark is in A's feed; nothing came back to the reserve yet: A may have spent it
    # offline, and only A's signed release can say what is left.
    (marked,) = [g for g in grants_in_feed(a) if g["id"] == grant["id"]]
    assert (marked["status"], marked["recall"]) == ("open", True)
    assert invariant(env.db_url)[code] == 25_00
    assert other.authorize(code, "30.00").json()["reason"] == "reserved_elsewhere"
    # A spent 4.99 of it while cut off; its release comes after that spend in its chain.
    resp = a.push([a.entry(card=code, amount=499, grant=grant["id"]),
                   a.entry(op="release", card=code, amount=2000, grant=grant["id"])])
    assert [r["status"] for r in resp.json()["results"]] == ["applied", "applied"]
    assert invariant(env.db_url)[code] == 45_00
    assert other.authorize(code, "30.00").json()["status"] == "approved"
    # The card was just recalled: A's next pull gets no fresh grant on it.
    assert [g for g in grants_in_feed(a, head=2) if g["status"] == "open"] == []
    assert other.authorize(code, "15.01").json()["reason"] == "insufficient_funds"
    invariant(env.db_url)


def test_a_grant_never_takes_the_share_kept_online() -> None:
    terms = EscrowTerms(per_card=50_00, ttl=3600, keep_percent=50)
    assert grant_size(terms, 50_00, 50_00) == 25_00  # half stays online
    assert grant_size(terms, 200_00, 200_00) == 50_00  # grant_per_card caps it
    assert grant_size(terms, 50_00, 25_00) == 0  # another till took the grantable part
    assert grant_size(terms, 49_99, 49_99) == 24_99  # the kept share is rounded up
    assert grant_size(EscrowTerms(50_00, 3600, 0), 30_00, 30_00) == 30_00
    assert grant_size(EscrowTerms(50_00, 3600, 100), 30_00, 30_00) == 0
