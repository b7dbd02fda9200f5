"""Loyalty on central: members, the points ledger built from terminals' earn/burn/void entries
(replayable), expiry produced by central, members in the signed change feed, and the rules
engine at authorize (weekend voucher, per-card daily count). Over SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Any

from sqlalchemy import select

from core.journal import EntryBody, SignedEntry, sign_entry
from core.rules.points import PointsEvent, replay
from wallet_sync.central.db import Database
from wallet_sync.central.tables import Member
from wallet_sync.central.tables import PointsEvent as EventRow

from .helpers import Clock, Env, Term, issue, load_example_programs


def member(client: Any, country: str = "DE") -> str:
    resp = client.post("/v1/admin/members", json={"program": "club", "country": country})
    assert resp.status_code == 200, resp.text
    return resp.json()["code"]


def view(client: Any, code: str) -> dict[str, Any]:
    resp = client.get(f"/v1/admin/members/{code}")
    assert resp.status_code == 200, resp.text
    return resp.json()


def loyalty_entry(term: Term, op: str, card: str, amount: int, ref: int | None = None, *,
                  auth: str | None = None, offline: bool = False, staff: str | None = None,
                  **extra: Any) -> SignedEntry:
    term.seq += 1
    body = EntryBody(terminal=term.id, seq=term.seq, prev_hash=term.prev,
                     wall_ms=int(time.time() * 1000), mono=term.seq, op=op, amount=amount,
                     currency=None, card=card, program="club", program_version=1, ref=ref,
                     auth=auth, offline=offline, staff=staff,
                     extra={"txn": secrets.token_hex(4), **extra})
    signed = sign_entry(body, term.key)
    term.prev = signed.hash
    return signed


def base_earn(points: int, **extra: Any) -> dict[str, Any]:
    """An earn's figures as the club's `base` rule gives them (2 points per 1.00 from 100.00)."""
    return {"benefit": "earn:club:base", "rule": "base", "base": points, "multiplier": "1",
            **extra}


def points_hold(term: Term, code: str, points: int) -> str:
    """Central's hold on POINTS of CODE for an online burn."""
    resp = term.request("POST", "/v1/authorize-points", {
        "request_id": secrets.token_hex(8), "member": code, "program": "club",
        "points": points})
    assert resp.status_code == 200 and resp.json()["status"] == "approved", resp.text
    return str(resp.json()["auth_id"])


def cached_matches_replay(env: Env, code: str, now: int) -> int:
    db = Database(env.db_url)
    try:
        with db.read() as session:
            rows = session.scalars(select(EventRow).where(EventRow.member == code)
                                   .order_by(EventRow.id)).all()
            cached = session.get(Member, code)
            assert cached is not None
            account = replay(code, "club", [
                PointsEvent(r.op, r.points, r.lot_id, r.expires_at,
                            tuple((str(a), int(b)) for a, b in r.allocation), r.at)
                for r in rows])
            assert account.balance(now, 12) == cached.points
            return cached.points
    finally:
        db.dispose()


def test_points_ledger_from_terminal_entries(client: Any, env: Env, clock: Clock) -> None:
    load_example_programs(client)
    code = member(client)
    assert view(client, code)["points"] == 0 and view(client, code)["tier"] == "basic"
    term = Term(client)
    lot = f"{term.id}:1"
    earned = term.push([loyalty_entry(term, "earn", code, 200, **base_earn(
        200, expires_at=None, visit=True))])
    resp = term.push([loyalty_entry(term, "burn", code, 100, auth=points_hold(term, code, 100),
                                    benefit="reward:club:coffee", reward="coffee",
                                    allocation=[[lot, 100]],
                                    gives={"kind": "free_item", "value": 350, "currency": "EUR",
                                           "sku": "SKU-COFFEE"})])
    assert resp.status_code == 200 and [r["status"] for r in earned.json()["results"]
                                        + resp.json()["results"]] == ["applied", "applied"]
    seen = view(client, code)
    assert (seen["points"], seen["visits"], seen["points_to_next"]) == (100, 1, 800)
    # A void returns exactly what the burn took; a second void of it is a conflict.
    manager = term.manager()
    resp = term.push([loyalty_entry(term, "void", code, 0, ref=2, allocation=[[lot, 100]],
                                    staff=manager)])
    assert resp.json()["results"][0]["status"] == "applied"
    assert view(client, code)["points"] == 200
    resp = term.push([loyalty_entry(term, "void", code, 0, ref=2, staff=manager)])
    assert resp.json()["results"][0]["reason"] == "void_invalid"
    # Burning more than central holds (offline, within the club's floor caps): applied as
    # far as the lots go, never negative.
    term.synced()
    resp = term.push([loyalty_entry(term, "burn", code, 250, reward="five-off", offline=True,
                                    allocation=[[lot, 250]])])
    assert resp.json()["results"][0] == {"seq": 5, "status": "conflict",
                                         "reason": "points_overdraft"}
    assert view(client, code)["points"] == 0
    assert cached_matches_replay(env, code, int(clock())) == 0
    # Unknown members are conflicts, not silently dropped.
    resp = term.push([loyalty_entry(term, "earn", "LM-00000000", 200, **base_earn(200))])
    assert resp.json()["results"][0]["reason"] == "unknown_member"


def test_manual_point_adjustments(client: Any, env: Env, clock: Clock) -> None:
    load_example_programs(client)
    code = member(client)
    term = Term(client)
    manager = term.manager()
    goodwill = term.authority("adjust", code, 50, currency=None)
    resp = term.push([loyalty_entry(term, "earn", code, 200, **base_earn(200, expires_at=None)),
                      loyalty_entry(term, "adjust", code, 50, sign="+", reason="goodwill",
                                    auth=goodwill, staff=manager)])
    assert [r["status"] for r in resp.json()["results"]] == ["applied", "applied"]
    assert view(client, code)["points"] == 250
    resp = term.push([loyalty_entry(term, "adjust", code, 220, sign="-", reason="double scan",
                                    staff=manager)])
    assert resp.json()["results"][0]["status"] == "applied"
    assert view(client, code)["points"] == 30
    # Never below zero: the rest is a conflict case.
    resp = term.push([loyalty_entry(term, "adjust", code, 40, sign="-", reason="again",
                                    staff=manager)])
    assert resp.json()["results"][0]["reason"] == "points_overdraft"
    assert view(client, code)["points"] == 0
    assert cached_matches_replay(env, code, int(clock())) == 0
    resp = term.push([loyalty_entry(term, "adjust", code, 5, sign="*", reason="?",
                                    staff=manager)])
    assert resp.json()["results"][0]["reason"] == "invalid_adjust"
    assert view(client, code)["visits"] == 0  # an adjustment is no visit


def test_central_expires_lapsed_points(client: Any, env: Env, clock: Clock) -> None:
    load_example_programs(client)
    code = member(client)
    term = Term(client)
    term.push([loyalty_entry(term, "earn", code, 300, **base_earn(300, expires_at=None))])
    assert view(client, code)["points"] == 300
    clock.advance(400 * 86400)  # past the club's rolling 12 months without activity
    swept = client.post("/v1/admin/points/expire").json()
    assert swept == {"members": 1, "points": 300}
    assert view(client, code)["points"] == 0
    assert client.post("/v1/admin/points/expire").json() == {"members": 0, "points": 0}
    assert cached_matches_replay(env, code, int(clock())) == 0
    db = Database(env.db_url)
    try:
        with db.read() as session:
            ops = list(session.scalars(select(EventRow.op).where(EventRow.member == code)
                                       .order_by(EventRow.id)))
    finally:
        db.dispose()
    assert ops == ["earn", "expire"]


def test_members_are_in_the_signed_change_feed(client: Any) -> None:
    load_example_programs(client)
    code = member(client, "AT")
    term = Term(client)
    term.push([loyalty_entry(term, "earn", code, 50, benefit="earn:club:newsletter",
                             rule="newsletter", base=50, multiplier="1")])
    page = term.changes().json()["page"]
    members = [c for c in page["changes"] if c["kind"] == "member"]
    assert [m["key"] for m in members] == [code]
    data = members[0]["data"]
    assert (data["country"], data["points"], data["program"]) == ("AT", 50, "club")
    assert data["lots"] == [[f"{term.id}:1", 50, 50, data["lots"][0][3], None]]
    snap = term.request("GET", f"/v1/members/{code}").json()
    assert snap["snapshot"]["member"] == data and snap["signature"]


def test_create_member_refuses_bad_input(client: Any) -> None:
    load_example_programs(client)
    assert client.post("/v1/admin/members", json={"program": "gift-eur"}).status_code == 422
    assert client.post("/v1/admin/members", json={"program": "nope"}).status_code == 404
    assert client.post("/v1/admin/members",
                       json={"program": "club", "country": "D1"}).json()["error"] == \
        "invalid_country"
    assert client.get("/v1/admin/members/LM-ZZZZZZZZ").json()["error"] == "unknown_member"


def _offset_to(weekday: int, clock: Clock) -> None:
    """Move central's clock to noon UTC on the next `weekday` (0 = Monday)."""
    now = dt.datetime.fromtimestamp(clock(), dt.UTC)
    days = (weekday - now.weekday()) % 7 or 7
    target = (now + dt.timedelta(days=days)).replace(hour=12, minute=0, second=0)
    clock.advance(target.timestamp() - clock())


def test_authorize_applies_valid_when_and_daily_count(client: Any, clock: Clock) -> None:
    load_example_programs(client)
    term = Term(client)
    voucher, = issue(client, "gift-weekend", value="10.00")
    _offset_to(2, clock)  # a Wednesday
    answer = term.authorize(voucher, "5.00").json()
    assert (answer["status"], answer["reason"]) == ("declined", "not_valid_now: now.weekday")
    _offset_to(5, clock)  # the Saturday after
    assert term.authorize(voucher, "5.00").json()["status"] == "approved"
    gift, = issue(client, "gift-eur", value="50.00")
    for _ in range(5):  # gift-eur: per_card_daily_count 5 (open holds count)
        assert term.authorize(gift, "1.00").json()["status"] == "approved"
    answer = term.authorize(gift, "1.00").json()
    assert (answer["status"], answer["reason"]) == ("declined",
                                                    "limit_reached: per_card_daily_count")
