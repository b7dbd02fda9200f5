"""The change feed: signed pages, resumable by cursor, compacted, with acked_seq."""

from __future__ import annotations

from starlette.testclient import TestClient

from core.keys import public_from_bytes, unb64, verify
from core.programs import program_from_dict
from wallet_sync.protocol import SignedChangePage, canonical_json

from .helpers import Term, issue, load_example_programs


def _page(term: Term, cursor: int, limit: int) -> SignedChangePage:
    resp = term.changes(cursor, limit)
    assert resp.status_code == 200, resp.text
    signed = SignedChangePage.model_validate(resp.json())
    central = public_from_bytes(unb64(term.enrolled["central_public_key"]))
    assert verify(central, unb64(signed.signature), canonical_json(signed.page))
    return signed


def test_pages_are_signed_and_resumable(client: TestClient) -> None:
    load_example_programs(client)
    term = Term(client)
    codes = issue(client, count=5)
    seen: dict[str, dict] = {}
    cursor, pages = 0, 0
    while True:
        page = _page(term, cursor, 3).page
        assert page.cursor_from == cursor
        assert all(ch.change_seq > cursor for ch in page.changes)
        seen.update({f"{ch.kind}:{ch.key}": ch.data for ch in page.changes})
        cursor, pages = page.cursor, pages + 1
        if not page.more:
            break
    assert pages == 3
    assert set(seen) == {f"card:{c}" for c in codes} | {
        f"program:{p}" for p in ("gift-eur", "store-credit", "gift-weekend", "club")}
    prog = seen["program:gift-eur"]
    assert prog["version"] == 1
    assert program_from_dict(prog["definition"], "gift-eur").default_value == 5000
    assert seen[f"card:{codes[0]}"]["balance"] == "50.00"
    assert _page(term, cursor, 3).page.changes == []

    # A redeem moves the card past the cursor, with acked_seq covering it.
    resp = term.push([term.entry(card=codes[2], amount=700)])
    assert resp.status_code == 200
    page = _page(term, cursor, 100).page
    assert [(ch.key, ch.data["balance_minor"]) for ch in page.changes] == [(codes[2], 4300)]
    assert page.acked_seq == 1 and page.cursor > cursor


def test_tampered_page_does_not_verify(client: TestClient) -> None:
    load_example_programs(client)
    term = Term(client)
    signed = _page(term, 0, 10)
    forged = signed.page.model_copy(update={"acked_seq": 99})
    central = public_from_bytes(unb64(term.enrolled["central_public_key"]))
    assert not verify(central, unb64(signed.signature), canonical_json(forged))


def test_bad_cursor_is_422(client: TestClient) -> None:
    term = Term(client)
    for params in ({"cursor": -1}, {"cursor": "x"}, {"limit": 0}, {"limit": 10**6}):
        resp = term.request("GET", "/v1/changes", params=params)
        assert resp.status_code == 422 and resp.json()["error"] == "invalid_request"
