"""Lock order between one till's online authorizations and its own sync, on a real central
over PostgreSQL: a till syncs in the background while the cashier takes a card online, so its
pull (which locks the till's row, then the cards it grants on) and its authorizations (which
lock a card, then insert a hold that references the till's row) run at once. They once
deadlocked, and PostgreSQL answered one of them with a 500."""

from __future__ import annotations

import threading

import httpx
import pytest

from .helpers import Env, LiveServer, Term, issue, load_example_programs


@pytest.mark.parametrize("db_url", ["pg"], indirect=True)
def test_pull_and_authorizations_of_one_till_never_deadlock(live: LiveServer, env: Env
                                                            ) -> None:
    http = httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {env.admin_key}"})
    try:
        load_example_programs(http)
        cards = issue(http, "gift-eur", count=40, value="1000.00")
        first = Term(http)
        for code in cards:  # seen at the store: a till's pull grants on each of them
            assert first.authorize(code, "0.01").json()["status"] == "approved"
        statuses: list[int] = []
        for round_ in range(6):
            till = Term(http)  # a till of the store with no grant yet
            barrier = threading.Barrier(5)

            def pull() -> None:
                with httpx.Client(base_url=live.url, timeout=30) as own:
                    barrier.wait()
                    statuses.append(till.request(
                        "GET", "/v1/changes", params={"cursor": 0, "limit": 10, "head": 0},
                        http=own).status_code)

            def spend(part: list[str]) -> None:
                with httpx.Client(base_url=live.url, timeout=30) as own:
                    barrier.wait()
                    for code in part:
                        statuses.append(till.request("POST", "/v1/authorize", {
                            "request_id": f"r{round_}-{code}", "card": code, "amount": "0.01",
                            "currency": "EUR"}, http=own).status_code)

            threads = [threading.Thread(target=pull)]
            threads += [threading.Thread(target=spend, args=(cards[i::4],)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert set(statuses) == {200}, statuses
    finally:
        http.close()
