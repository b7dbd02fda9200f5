"""Customers as first-class on central (issue 17): the profile beside a member, typed custom
attributes from the program file's schema, consent per channel with double opt-in, gift cards
linked to a customer, facts from the ingested journal in the feed, and GDPR export/erase with
every chain still verifying. Over SQLite and PostgreSQL, in process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.journal import SignedEntry, entry_hash
from wallet_sync.central import consent
from wallet_sync.central.db import Database
from wallet_sync.central.tables import CustomerProfile, Entry

from .helpers import EXAMPLE_PROGRAMS, Env, Term, issue
from .test_loyalty import base_earn, loyalty_entry

SCHEMA = "customer_attributes: {shoe_size: int, vip_note: string, vip: bool}\n"


def load_with_schema(client: Any) -> None:
    source = SCHEMA + Path(EXAMPLE_PROGRAMS).read_text(encoding="utf-8")
    resp = client.post("/v1/admin/programs", json={"source": source, "format": "yaml"})
    assert resp.status_code == 200, resp.text


def new_customer(client: Any, **fields: Any) -> dict[str, Any]:
    resp = client.post("/v1/admin/customers", json={"program": "club", "country": "DE",
                                                    **fields})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_profile_attributes_and_consent(client: Any, env: Env) -> None:
    load_with_schema(client)
    made = new_customer(client, birthday="1990-05-17", language="ja",
                        email="hana@example.com", attributes={"shoe_size": 38})
    code = made["code"]
    assert made["profile"] == {"country": "DE", "birthday": "1990-05-17", "language": "ja",
                               "email": "hana@example.com", "phone": None,
                               "attributes": {"shoe_size": 38}}
    assert made["facts"]["registered_at"] > 0 and made["facts"]["visits"] == 0
    # Unknown or ill-typed attributes are refused with the path; nothing changes.
    for attrs, message in (({"shoe_size": "38"}, "attributes.shoe_size: expected int"),
                           ({"hat": 1}, "attributes.hat: unknown attribute")):
        resp = client.post(f"/v1/admin/customers/{code}/profile", json={"attributes": attrs})
        assert resp.status_code == 422 and resp.json()["error"] == "invalid_attribute"
        assert resp.json()["message"].startswith(message), resp.text
    resp = client.post(f"/v1/admin/customers/{code}/profile",
                        json={"attributes": {"vip": True, "shoe_size": None},
                              "phone": "+4930123456"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["profile"]["attributes"] == {"vip": True}
    assert resp.json()["profile"]["phone"] == "+4930123456"
    assert client.post(f"/v1/admin/customers/{code}/profile",
                        json={"email": "not-an-email"}).json()["error"] == "invalid_email"
    # Double opt-in: nothing is allowed until the token comes back, and only once.
    db = Database(env.db_url)
    try:
        def allowed(channel: str) -> bool:
            with db.read() as session:
                return consent.marketing_allowed(session, code, channel)

        asked = client.post(f"/v1/admin/customers/{code}/consent/request",
                            json={"channel": "email", "source": "shop-signup"})
        assert asked.status_code == 200 and asked.json()["status"] == "pending"
        shown = client.get(f"/v1/admin/customers/{code}").json()["consent"]["email"]
        assert shown["status"] == "none" and shown["pending"] is True and not allowed("email")
        token = asked.json()["token"]
        done = client.post("/v1/admin/consent/confirm", json={"token": token})
        assert done.status_code == 200 and done.json()["status"] == "granted"
        assert client.post("/v1/admin/consent/confirm",
                           json={"token": token}).json()["error"] == "token_used"
        assert allowed("email") and not allowed("sms")
        shown = client.get(f"/v1/admin/customers/{code}").json()["consent"]["email"]
        assert shown["source"] == "double_opt_in:shop-signup" and shown["at"] > 0
        # Withdrawal stops marketing at once.
        resp = client.post(f"/v1/admin/customers/{code}/consent/withdraw",
                           json={"channel": "email", "source": "unsubscribe-link"})
        assert resp.status_code == 200 and not allowed("email")
        # No token for a channel without a contact.
        other = new_customer(client)["code"]
        assert client.post(f"/v1/admin/customers/{other}/consent/request",
                           json={"channel": "email", "source": "x"}).json()["error"] \
            == "no_contact"
    finally:
        db.dispose()


def test_example_file_loads_without_a_schema(client: Any) -> None:
    from .helpers import load_example_programs

    load_example_programs(client)
    code = new_customer(client)["code"]
    resp = client.post(f"/v1/admin/customers/{code}/profile", json={"attributes": {"shoe_size": 1}})
    assert resp.status_code == 422 and "unknown attribute" in resp.json()["message"]


def test_facts_feed_link_card_export_and_erase(client: Any, env: Env) -> None:
    load_with_schema(client)
    code = new_customer(client, email="k@example.com", birthday="1985-01-02")["code"]
    gift = issue(client)[0]
    linked = client.post(f"/v1/admin/customers/{code}/cards", json={"card": gift})
    assert linked.status_code == 200, linked.text
    term = Term(client)
    entries = [loyalty_entry(term, "earn", code, 300, **base_earn(
        300, visit=True, order_total=150_00)),
        loyalty_entry(term, "earn", code, 400, **base_earn(400, visit=True,
                                                           order_total=200_00))]
    resp = term.push(entries)
    assert [r["status"] for r in resp.json()["results"]] == ["applied", "applied"]
    facts = client.get(f"/v1/admin/customers/{code}").json()["facts"]
    assert (facts["lifetime_spend"], facts["visits"], facts["counters"]) == \
        ("350.00", 2, {"earn:base": 2})
    assert facts["last_visit"] == entries[1].body.wall_ms // 1000 and facts["as_of"] > 0
    # The feed carries the facts (and the birthday) to terminals.
    page = term.changes().json()["page"]
    row = next(c for c in page["changes"] if c["kind"] == "member" and c["key"] == code)
    assert row["data"]["lifetime_spend_minor"] == 350_00
    assert row["data"]["birthday"] == "1985-01-02" and row["data"]["registered_at"] > 0
    exported = client.get(f"/v1/admin/customers/{code}/export").json()
    assert exported["profile"]["email"] == "k@example.com"
    assert [c["code"] for c in exported["cards"]] == [gift]
    assert len(exported["points_lots"]) == 2 and exported["facts"]["visits"] == 2
    # Erase: the profile is gone, the ledger keeps the pseudonymous code, chains verify.
    erased = client.post(f"/v1/admin/customers/{code}/erase")
    assert erased.status_code == 200, erased.text
    after = client.get(f"/v1/admin/customers/{code}/export").json()
    assert after["profile"] == {"country": "", "birthday": None, "language": "",
                                "email": None, "phone": None, "attributes": {}}
    assert after["points"] == 700 and after["erased_at"] is not None
    assert client.post(f"/v1/admin/customers/{code}/erase").json()["error"] == \
        "customer_erased"
    db = Database(env.db_url)
    try:
        with db.read() as session:
            assert session.get(CustomerProfile, code) is None
            rows = session.scalars(select(Entry).where(Entry.terminal == term.id)
                                   .order_by(Entry.seq)).all()
            prev = bytes(32)
            for row in rows:  # every stored entry still verifies and links
                signed = SignedEntry.from_wire(bytes(row.data), bytes(row.signature))
                assert signed.body.prev_hash == prev and entry_hash(signed.data) == row.hash
                assert signed.body.card == code
                prev = bytes(row.hash)
            assert len(rows) == 2
    finally:
        db.dispose()
    page = term.changes().json()["page"]
    row = next(c for c in page["changes"] if c["kind"] == "member" and c["key"] == code)
    assert row["data"]["birthday"] == "" and row["data"]["country"] == ""


def test_per_customer_gift_card_limit_counts_every_linked_card(client: Any) -> None:
    text = Path(EXAMPLE_PROGRAMS).read_text(encoding="utf-8").replace(
        "      per_card_daily_count: 5\n",
        "      per_card_daily_count: 5\n      per_customer_daily_count: 1\n")
    resp = client.post("/v1/admin/programs", json={"source": text, "format": "yaml"})
    assert resp.status_code == 200, resp.text
    code = new_customer(client)["code"]
    resp = client.post("/v1/admin/cards", json={"program": "gift-eur", "count": 2,
                                                "value": "50.00", "activate": True,
                                                "customer": code})
    assert resp.status_code == 200, resp.text
    first, second = (c["code"] for c in resp.json()["cards"])
    unlinked = issue(client)[0]
    term = Term(client)
    assert term.authorize(first, "5.00").json()["status"] == "approved"
    declined = term.authorize(second, "5.00").json()
    assert (declined["status"], declined["reason"]) == (
        "declined", "limit_reached: per_customer_daily_count")
    assert term.authorize(unlinked, "5.00").json()["status"] == "approved"
    shown = client.get(f"/v1/admin/customers/{code}").json()
    assert sorted(c["code"] for c in shown["cards"]) == sorted([first, second])


def test_a_profile_update_moves_segments_and_erase_clears_them(client: Any) -> None:
    source = (SCHEMA + "segments: {vip: '\"vip\" in customer.attributes && "
              "customer.attributes[\"vip\"] == true'}\n"
              + Path(EXAMPLE_PROGRAMS).read_text(encoding="utf-8"))
    assert client.post("/v1/admin/programs", json={"source": source, "format": "yaml"}
                       ).status_code == 200
    code = new_customer(client)["code"]
    term = Term(client)
    cursor = [0]

    def feed_row() -> dict[str, Any] | None:
        page = term.changes(cursor[0]).json()["page"]
        cursor[0] = page["cursor"]
        return next((c for c in page["changes"] if c["kind"] == "member"
                     and c["key"] == code), None)

    assert client.get(f"/v1/admin/customers/{code}").json()["facts"]["segments"] == []
    feed_row()
    # A change that leaves the segments (and everything terminals read) alone ships nothing.
    client.post(f"/v1/admin/customers/{code}/profile", json={"language": "ja"})
    assert feed_row() is None
    done = client.post(f"/v1/admin/customers/{code}/profile", json={"attributes": {"vip": True}})
    assert done.json()["facts"]["segments"] == ["vip"]
    shipped = feed_row()
    assert shipped is not None and shipped["data"]["segments"] == ["vip"]
    assert client.post(f"/v1/admin/customers/{code}/erase").status_code == 200
    assert client.get(f"/v1/admin/customers/{code}").json()["facts"]["segments"] == []
