"""Central checks every refund at ingest (issue 16 part 2), on SQLite and PostgreSQL: a refund
gives back at most what its redeem took minus the refunds already applied — a forged entry
asking for more is applied only up to that, with a `breach:refund_over_paid` case and the
terminal flagged — it needs a manager, points at a redeem of the same card, a refunded redeem
cannot be voided on top, and a replayed batch changes nothing."""

from __future__ import annotations

from starlette.testclient import TestClient

from wallet_sync.central.tables import CardEvent, Conflict

from .helpers import Env, Term, card, count, issue, load_example_programs
from .test_loyalty import base_earn, loyalty_entry, member, points_hold, view


def results(resp) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.text
    return [(r["status"], r.get("reason")) for r in resp.json()["results"]]


def test_a_forged_over_refund_opens_a_case_and_gives_back_only_what_is_left(
        client: TestClient, env: Env) -> None:
    load_example_programs(client)
    term = Term(client)
    code = issue(client, value="50.00")[0]
    manager = term.manager()
    spent = term.entry("redeem", card=code, amount=3000, data={"order": "O-r1"})
    first = term.entry("refund", card=code, amount=2000, ref=spent.seq, staff=manager,
                       data={"order": "O-r1", "of": "redeem"})
    batch = [spent, first]
    assert results(term.push(batch)) == [("applied", None)] * 2
    assert card(client, code)["balance"] == "40.00"
    assert results(term.push(batch)) == [("applied", None)] * 2  # the replay: nothing new
    assert card(client, code)["balance"] == "40.00"
    # A terminal that claims 20.00 more of a redeem that has only 10.00 left to give back.
    forged = term.entry("refund", card=code, amount=2000, ref=spent.seq, staff=manager,
                        data={"order": "O-r1", "of": "redeem"})
    assert results(term.push([forged])) == [("conflict", "breach:refund_over_paid")]
    assert card(client, code)["balance"] == "50.00"  # 10.00 given back, never more
    assert count(env.db_url, Conflict, Conflict.reason == "breach:refund_over_paid") == 1
    # Nothing left: a further refund gives nothing and opens a case too; a void on top of the
    # refunds is refused.
    more = term.entry("refund", card=code, amount=100, ref=spent.seq, staff=manager,
                      data={"order": "O-r1"})
    void = term.entry("void", card=code, amount=3000, ref=spent.seq, staff=manager)
    assert results(term.push([more, void])) == [("conflict", "breach:refund_over_paid"),
                                                 ("conflict", "void_invalid")]
    assert card(client, code)["balance"] == "50.00"
    assert count(env.db_url, CardEvent, CardEvent.op == "refund") == 2


def test_a_refund_needs_a_manager_and_a_redeem_of_its_card(client: TestClient, env: Env
                                                           ) -> None:
    load_example_programs(client)
    term = Term(client)
    code, other = issue(client, value="50.00", count=2)
    manager = term.manager()
    spent = term.entry("redeem", card=code, amount=1000, data={"order": "O-r2"})
    assert results(term.push([spent])) == [("applied", None)]
    nobody = term.entry("refund", card=code, amount=1000, ref=spent.seq,
                        data={"order": "O-r2"})
    wrong = term.entry("refund", card=other, amount=1000, ref=spent.seq, staff=manager,
                       data={"order": "O-r2"})
    dangling = term.entry("refund", card=code, amount=1000, ref=9999, staff=manager,
                          data={"order": "O-r2"})
    elsewhere = term.entry("refund", card=code, amount=1000, ref=spent.seq, staff=manager,
                           data={"order": "O-other"})
    out = results(term.push([nobody, wrong, dangling, elsewhere]))
    assert out[0][0] == "conflict" and out[0][1] in ("unknown_staff", "manager_required")
    assert out[1:] == [("conflict", "refund_invalid")] * 3
    assert card(client, other)["balance"] == "50.00"
    assert count(env.db_url, CardEvent, CardEvent.op == "refund") == 0


def test_points_taken_back_and_a_reward_returned_once(client: TestClient, env: Env) -> None:
    load_example_programs(client)
    code = member(client)
    term = Term(client)
    manager = term.manager()
    lot = f"{term.id}:1"
    earn = loyalty_entry(term, "earn", code, 200, order="O-p1", **base_earn(200,
                                                                            expires_at=None))
    assert results(term.push([earn])) == [("applied", None)]
    burn = loyalty_entry(term, "burn", code, 100, auth=points_hold(term, code, 100),
                         order="O-p1", benefit="reward:club:coffee", reward="coffee",
                         allocation=[[lot, 100]],
                         gives={"kind": "free_item", "value": 350, "currency": "EUR",
                                "sku": "SKU-COFFEE"})
    back = loyalty_entry(term, "refund", code, 120, ref=earn.seq, staff=manager, order="O-p1")
    assert results(term.push([burn, back])) == [("applied", None)] * 2
    assert view(client, code)["points"] == 0  # 100 left after the burn: only those can go
    rest = loyalty_entry(term, "refund", code, 80, ref=earn.seq, staff=manager, order="O-p1")
    reward = loyalty_entry(term, "refund", code, 100, ref=burn.seq, staff=manager,
                           order="O-p1")
    again = loyalty_entry(term, "refund", code, 100, ref=burn.seq, staff=manager,
                          order="O-p1")
    out = results(term.push([rest, reward, again]))
    assert out == [("applied", None), ("applied", None),
                   ("conflict", "breach:refund_over_paid")]
    assert view(client, code)["points"] == 100  # the reward's 100 came back, once
