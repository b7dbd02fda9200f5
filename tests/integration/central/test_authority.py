"""Central trusts only what it can check (issue 12), tried the way a hostile insider would —
someone with a copy of a terminal's key signing whatever entries they like — against the real
central on loopback, over SQLite and PostgreSQL:

- value from nothing: a `load` naming no real manager, or without central's authorization,
  mints nothing, holds the card and flags the terminal;
- the same points twice: two tills holding one member's 100 points at the same moment get
  exactly one approval;
- spends over the offline policy are caught at ingest, rule by rule, against the signed
  program version they name; the breaching terminal gets no grants until a person clears it;
- a tail central saw the head of cannot be rewritten or dropped: fork, quarantine.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from core.journal import GENESIS_HASH
from wallet_sync.central.heads import ROLLBACK_AFTER_S

from .helpers import (
    EXAMPLE_PROGRAMS,
    Clock,
    Env,
    LiveServer,
    Term,
    card,
    issue,
    load_example_programs,
)


@pytest.fixture
def http(live: LiveServer, env: Env) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": f"Bearer {env.admin_key}"}) as client:
        load_example_programs(client)
        yield client


def cases(http: httpx.Client) -> list[dict[str, Any]]:
    return list(http.get("/v1/admin/conflicts").json()["conflicts"])


def grants_at_pull(term: Term) -> list[dict[str, Any]]:
    page = term.synced().json()["page"]
    return [c for c in page["changes"] if c["kind"] == "grant"]


def test_a_load_naming_no_manager_mints_nothing_and_holds_the_card(http: httpx.Client) -> None:
    (code,) = issue(http, "gift-eur", value="10.00")
    insider, elsewhere = Term(http), Term(http, store="S2")
    # Signed with the terminal's key, naming a staff id that does not exist.
    resp = insider.push([insider.entry("load", card=code, amount=100_000, offline=False,
                                       staff="S-NOBODY00")])
    assert resp.json()["results"] == [{"seq": 1, "status": "conflict", "reason": "unknown_staff"}]
    assert (card(http, code)["balance"], card(http, code)["state"]) == ("10.00", "blocked")
    # Nothing on the card is spendable anywhere until a person looks.
    answer = elsewhere.authorize(code, "5.00").json()
    assert (answer["status"], answer["reason"]) == ("declined", "card_blocked")
    [case] = cases(http)
    assert (case["reason"], case["card"], case["terminal"]) == ("unknown_staff", code, insider.id)
    report = http.get("/v1/admin/exposure").json()
    assert [(c["id"], c["reason"]) for c in report["cases"]] == [(case["id"], "unknown_staff")]
    assert report["flagged"] == [{"terminal": insider.id, "store": "S1",
                                  "rules": ["unknown_staff"], "quarantined": False,
                                  "status_reason": None}]


def test_value_needs_central_authorization_for_exactly_that_entry(http: httpx.Client) -> None:
    fresh, other = issue(http, "gift-eur", count=2, value="0.00", activate=False)
    term = Term(http)
    manager = term.manager()
    cashier = http.post("/v1/admin/staff", json={"store": "S1", "name": "Cass",
                                                 "role": "cashier", "pin": "1111"}).json()["id"]
    refused = term.request("POST", "/v1/authorize-value", {
        "request_id": secrets.token_hex(8), "op": "load", "card": fresh, "amount": "25.00",
        "currency": "EUR", "staff": cashier}).json()
    assert (refused["status"], refused["reason"]) == ("declined", "manager_required")
    theirs = http.post("/v1/admin/staff", json={"store": "S2", "name": "Kim",
                                                "role": "manager", "pin": "246800"}).json()["id"]
    elsewhere = term.request("POST", "/v1/authorize-value", {
        "request_id": secrets.token_hex(8), "op": "load", "card": fresh, "amount": "25.00",
        "currency": "EUR", "staff": theirs}).json()
    assert (elsewhere["status"], elsewhere["reason"]) == ("declined", "unknown_staff")
    activation = term.authority("activate", fresh)
    load = term.authority("load", fresh, 2500)
    resp = term.push([
        term.entry("activate", card=fresh, auth=activation, offline=False, staff=manager),
        # a real manager, but an amount central never authorized
        term.entry("load", card=fresh, amount=250_000, auth=load, offline=False, staff=manager),
        # a real manager, no authorization at all, on another card
        term.entry("activate", card=other, offline=False, staff=manager),
        # a manager of another store
        term.entry("load", card=other, amount=2500, offline=False, staff=theirs)])
    assert [(r["status"], r["reason"]) for r in resp.json()["results"]] == [
        ("applied", None), ("conflict", "no_authority"), ("conflict", "no_authority"),
        ("conflict", "unknown_staff")]
    assert (card(http, fresh)["balance"], card(http, fresh)["state"]) == ("0.00", "blocked")
    assert card(http, other)["state"] == "blocked"


def race_for_points(http: httpx.Client, tills: tuple[Term, Term], code: str, points: int
                    ) -> dict[str, dict[str, Any]]:
    """Both tills ask central to hold the same POINTS of CODE at one barrier."""
    start = threading.Barrier(len(tills))
    answers: dict[str, dict[str, Any]] = {}

    def ask(term: Term) -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as own:
            start.wait()
            answers[term.id] = term.request("POST", "/v1/authorize-points", {
                "request_id": secrets.token_hex(8), "member": code, "program": "club",
                "points": points}, http=own).json()

    threads = [threading.Thread(target=ask, args=(t,)) for t in tills]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_two_tills_redeem_the_same_100_points_at_once_exactly_one_is_approved(
        http: httpx.Client) -> None:
    a, b = Term(http), Term(http)
    tries, doubled = 20, 0  # a race is a race: try it 20 times
    for _ in range(tries):
        code = http.post("/v1/admin/members", json={"program": "club", "country": "DE"}
                         ).json()["code"]
        earned = a.push([a.entry("earn", card=code, amount=50, currency=None, program="club",
                                 offline=False, data={
                                     "benefit": "earn:club:newsletter", "rule": "newsletter",
                                     "base": 50, "multiplier": "1"})
                         for _ in range(2)])
        assert [r["status"] for r in earned.json()["results"]] == ["applied", "applied"]
        answers = race_for_points(http, (a, b), code, 100)
        approved = [t for t in (a, b) if answers[t.id]["status"] == "approved"]
        doubled += len(approved) > 1
        loser = next((x for x in answers.values() if x["status"] == "declined"), None)
        assert loser is not None and (loser["reason"], loser["points"]) == (
            "insufficient_points", 0), answers
        # Each till that was approved journals its burn under the hold, as an honest one does.
        for till in approved:
            burn = till.push([till.entry("burn", card=code, amount=100, currency=None,
                                         program="club", auth=answers[till.id]["auth_id"],
                                         offline=False, data={
                                             "benefit": "reward:club:coffee",
                                             "reward": "coffee"})])
            assert burn.json()["results"][0]["status"] == "applied"
        assert http.get(f"/v1/admin/members/{code}").json()["points"] == 0
    assert doubled == 0
    assert [c["reason"] for c in cases(http)] == []  # no points_overdraft, nothing at all


def test_offline_burns_are_rechecked_against_the_points_floor(http: httpx.Client,
                                                              clock: Clock) -> None:
    """The club burns offline on the floor: 300 points a sale, 3,000 an outage, 72 hours."""
    code = http.post("/v1/admin/members", json={"program": "club", "country": "DE"}
                     ).json()["code"]
    term = Term(http)
    earned = term.push([term.entry("earn", card=code, amount=4000, currency=None,
                                   program="club", offline=False, data={
                                       "benefit": "earn:club:base", "rule": "base",
                                       "base": 4000, "multiplier": "1"})])
    assert earned.json()["results"][0]["status"] == "applied"
    term.synced()  # the outage starts now, as central sees it

    def burn(points: int, txn: str, **kw: Any) -> Any:
        kw.setdefault("offline", True)
        return term.entry("burn", card=code, amount=points, currency=None, program="club",
                          data={"txn": txn, "benefit": "reward:club:coffee",
                                "reward": "coffee"}, **kw)

    later = int((clock() + 73 * 3600) * 1000)
    batch = [burn(250, "t0"), burn(100, "t0"),  # one sale of 350 points: over 300
             *[burn(250, f"t{i}") for i in range(1, 12)],  # 3,100 points in the outage
             burn(100, "late", wall_ms=later),
             burn(100, "forged", auth="P-forged", offline=False)]  # "online", no hold
    results = [(r["seq"], r["reason"]) for r in term.push(batch).json()["results"]
               if r["reason"]]
    assert results == [(3, "breach:floor_per_transaction"), (14, "breach:terminal_total"),
                       (15, "breach:max_offline_hours"), (16, "breach:no_authorization")]
    # The sales happened: every burn is applied, and each breach is a case and a flag.
    assert http.get(f"/v1/admin/members/{code}").json()["points"] == 4000 - 3300
    report = http.get("/v1/admin/exposure").json()
    assert [c["reason"] for c in report["cases"]] == [reason for _, reason in results]
    assert report["flagged"][0]["rules"] == [reason for _, reason in results]


def test_offline_spends_are_rechecked_against_the_signed_program(http: httpx.Client,
                                                                 clock: Clock) -> None:
    cards = issue(http, "store-credit", count=17, value="50.00")
    (gift,) = issue(http, "gift-eur", value="80.00")
    (weekend,) = issue(http, "gift-weekend", value="10.00")
    term = Term(http)
    term.synced()  # the outage starts now, as central sees it

    def offline(code: str, amount: int, program: str = "store-credit", **kw: Any) -> Any:
        return term.entry(card=code, amount=amount, offline=True, program=program, **kw)

    later = int((clock() + 25 * 3600) * 1000)  # store-credit allows 24 hours without sync
    batch = [offline(cards[0], 2500),  # over the 20.00 a sale
             offline(cards[1], 500), offline(cards[1], 500),  # twice on one card
             *[offline(c, 2000) for c in cards[2:16]],  # 14 x 20.00 more: 305.00 in all
             offline(cards[16], 100, wall_ms=later),
             offline(gift, 500, program="gift-eur"),  # escrow: only on a grant
             offline(weekend, 500, program="gift-weekend"),  # online only
             term.entry(card=cards[16], amount=100, auth="A-forged", offline=False,
                        program="store-credit")]
    results = [(r["seq"], r["reason"]) for r in term.push(batch).json()["results"]
               if r["reason"]]
    assert results == [(1, "breach:floor_per_transaction"), (3, "breach:once_per_card"),
                       (17, "breach:terminal_total"), (18, "breach:max_offline_hours"),
                       (19, "breach:no_offline_grant"), (20, "breach:offline_not_allowed"),
                       (21, "breach:no_authorization")]
    # Every spend happened and is applied; each breach is a case and flags the terminal.
    assert card(http, cards[0])["balance"] == "25.00"
    report = http.get("/v1/admin/exposure").json()
    assert [c["reason"] for c in report["cases"]] == [reason for _, reason in results]
    [flagged] = report["flagged"]
    assert flagged["terminal"] == term.id and "breach:terminal_total" in flagged["rules"]
    # Flagged: no grants for the escrow card it has seen, until a person clears the flag.
    assert grants_at_pull(term) == []
    page = term.changes().json()["page"]
    assert [c["data"]["state"] for c in page["changes"] if c["kind"] == "terminal"] == [
        "flagged"]
    cleared = http.post(f"/v1/admin/terminals/{term.id}/clear-flag",
                        json={"reason": "store manager explained the outage"})
    assert cleared.status_code == 200 and cleared.json()["terminal"]["flagged"] is False
    assert http.post(f"/v1/admin/terminals/{term.id}/clear-flag",
                     json={"reason": "again"}).json()["error"] == "not_flagged"
    granted = grants_at_pull(term)
    # 75.00: half stays online (keep_online_percent), 37.50 is grantable.
    assert [(g["data"]["card"], g["data"]["amount_minor"]) for g in granted] == [(gift, 3750)]
    assert http.get("/v1/admin/exposure").json()["flagged"] == []
    # A grant edited larger at the till: central counts what is left of it.
    over = term.push([term.entry(card=gift, amount=6000, grant=granted[0]["data"]["id"],
                                 offline=True)])
    assert over.json()["results"][0]["reason"] == "breach:grant_exhausted"
    assert card(http, gift)["balance"] == "15.00"
    assert http.get("/v1/admin/exposure").json()["flagged"][0]["rules"] == [
        "breach:grant_exhausted"]


def test_once_per_card_counts_the_outage_s_earlier_batches(http: httpx.Client) -> None:
    """A second offline spend of a card is a breach whichever batch of the outage carried the
    first; a spend before the outage began does not count."""
    before, first, fresh = issue(http, "store-credit", count=3, value="50.00")
    term = Term(http)

    def offline(code: str) -> Any:
        return term.entry(card=code, amount=500, offline=True, program="store-credit")

    term.synced()
    assert term.push([offline(before)]).json()["results"][0]["reason"] is None
    term.synced()  # the outage starts after that spend
    assert term.push([offline(first)]).json()["results"][0]["reason"] is None
    results = term.push([offline(first), offline(fresh), offline(before)]).json()["results"]
    assert [r["reason"] for r in results] == ["breach:once_per_card", None, None]
    assert card(http, first)["balance"] == "40.00"  # applied all the same


def test_an_offline_spend_under_an_older_program_version_is_a_breach(http: httpx.Client,
                                                                   clock: Clock) -> None:
    (code,) = issue(http, "store-credit", value="50.00")
    term = Term(http)
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        tighter = f.read().replace('floor_per_transaction: "20.00"',
                                   'floor_per_transaction: "10.00"')
    assert http.post("/v1/admin/programs", json={"source": tighter}).json()["programs"]
    clock.advance(2 * 3600)  # version 2 has long been in force when the outage starts
    term.synced()
    # The terminal decides under its copy of version 1 (20.00 a sale): central knows better.
    resp = term.push([term.entry(card=code, amount=1500, offline=True, program="store-credit")])
    assert resp.json()["results"][0]["reason"] == "breach:stale_program_version"


def test_a_head_central_saw_cannot_be_rewritten(http: httpx.Client) -> None:
    (code,) = issue(http, "store-credit", value="50.00")
    term = Term(http)
    term.synced()
    sale = term.entry(card=code, amount=500, offline=True, program="store-credit")
    # Still offline for pushes, the terminal reports its head on another signed request.
    seen = term.request("GET", "/v1/store/conflicts", head=(sale.seq, sale.hash))
    assert seen.status_code == 200
    # The insider deletes that sale and journals another one in its place.
    term.seq, term.prev = 0, GENESIS_HASH
    other = term.entry(card=code, amount=100, offline=True, program="store-credit")
    resp = term.push([other], head=(other.seq, other.hash))
    assert resp.status_code == 403 and resp.json()["error"] == "quarantined"
    assert card(http, code)["balance"] == "50.00"
    [case] = cases(http)
    assert case["reason"] == "fork" and {e["hash"] for e in case["entries"]} == {
        sale.hash.hex(), other.hash.hex()}
    assert term.request("GET", "/v1/store/conflicts").status_code == 403
    assert http.get("/v1/admin/exposure").json()["flagged"][0]["quarantined"] is True


def test_a_tail_central_saw_the_head_of_cannot_be_dropped(http: httpx.Client,
                                                          clock: Clock) -> None:
    (code,) = issue(http, "store-credit", value="50.00")
    term = Term(http)
    term.synced()
    kept = term.entry(card=code, amount=500, offline=True, program="store-credit")
    dropped = term.entry(card=code, amount=700, offline=True, program="store-credit")
    assert term.push([kept], head=(dropped.seq, dropped.hash)).status_code == 200
    # A moment later the same head is fine: a request signed before the drop may still be
    # on its way.
    ok = term.request("GET", "/v1/changes", params={"cursor": 0, "limit": 1, "head": 1},
                      head=(kept.seq, kept.hash))
    assert ok.status_code == 200
    clock.advance(ROLLBACK_AFTER_S + 1)
    # Long after it said it had entry 2, the terminal says its journal ends at 1.
    resp = term.request("GET", "/v1/changes", params={"cursor": 0, "limit": 1, "head": 1},
                        head=(kept.seq, kept.hash))
    assert resp.status_code == 403 and resp.json()["error"] == "quarantined"
    assert "rollback" in resp.json()["message"]
    assert [c["reason"] for c in cases(http)] == ["fork"]


def test_a_head_that_is_not_the_pushed_entry_is_a_fork(http: httpx.Client) -> None:
    (code,) = issue(http, "store-credit", value="50.00")
    term = Term(http)
    sale = term.entry(card=code, amount=500)
    assert term.push([sale]).status_code == 200
    honest = term.request("GET", "/v1/store/conflicts", head=(1, sale.hash))
    assert honest.status_code == 200
    resp = term.request("GET", "/v1/store/conflicts", head=(1, bytes(32)))
    assert resp.status_code == 403 and resp.json()["error"] == "quarantined"
