"""End to end over real HTTP: uvicorn on a loopback port, the `walletpos` CLI for head-office
calls, terminals pushing and authorizing concurrently, and two central instances (as separate
workers would be) sharing one database without double-applying anything."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.db import Database
from wallet_sync.central.tables import Base, Card, Entry, Hold

from .helpers import EXAMPLE_PROGRAMS, Clock, Env, LiveServer, Term, card, count


def _cli(*args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_cli_against_live_server(live: LiveServer, env: Env) -> None:
    admin = ["admin", "--central", live.url, "--key", env.admin_key]
    loaded = _cli(*admin, "load-programs", EXAMPLE_PROGRAMS)
    assert [p["version"] for p in loaded["programs"]] == [1, 1, 1, 1]
    code = _cli(*admin, "enroll-code", "--store", "S9")
    assert set(code) >= {"code", "expires_at"}
    cards = _cli(*admin, "issue-cards", "--program", "gift-eur", "--count", "2",
                 "--value", "25.00", "--activate")["cards"]
    assert len(cards) == 2 and all(c["qr"].startswith("WP1:") for c in cards)
    view = _cli(*admin, "card", cards[0]["code"])
    assert {k: view[k] for k in ("code", "state", "balance", "currency")} == {
        "code": cards[0]["code"], "state": "active", "balance": "25.00", "currency": "EUR"}
    assert _cli(*admin, "conflicts") == {"conflicts": []}
    bad = CliRunner().invoke(cli, ["admin", "--central", live.url, "--key", "wpk_nope",
                                   "conflicts", "--json"])
    assert bad.exit_code == 2 and json.loads(bad.output)["error"] == "unauthorized"


def test_concurrent_authorizations_never_exceed_balance(live: LiveServer, env: Env) -> None:
    http = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"})
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        http.post("/v1/admin/programs", json={"source": f.read()})
    (code,) = [c["code"] for c in http.post("/v1/admin/cards", json={
        "program": "gift-eur", "count": 1, "value": "50.00", "activate": True}).json()["cards"]]
    terms = [Term(http) for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: terms[i % 4].authorize(code, "10.00").json(),
                                range(12)))
    assert sum(a["status"] == "approved" for a in answers) == 5
    assert count(env.db_url, Hold) == 5
    http.close()


def test_two_central_instances_do_not_double_apply(env: Env) -> None:
    """The same batches pushed at the same time through two app instances (separate engines
    and pools, as separate uvicorn workers have) are stored and applied exactly once."""
    clock = Clock()
    one, two = (LiveServer(env.db_url, clock=clock).start() for _ in range(2))
    try:
        admin = httpx.Client(base_url=one.url,
                             headers={"Authorization": f"Bearer {env.admin_key}"})
        with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
            admin.post("/v1/admin/programs", json={"source": f.read()})
        codes = [c["code"] for c in admin.post("/v1/admin/cards", json={
            "program": "gift-eur", "count": 3, "value": "100.00", "activate": True}
        ).json()["cards"]]
        terms = [Term(admin) for _ in range(3)]
        batches = {t.id: [t.entry(card=codes[(i + j) % 3], amount=100) for i in range(40)]
                   for j, t in enumerate(terms)}
        clients = [httpx.Client(base_url=s.url) for s in (one, two)]

        def push(job: tuple[int, Term]) -> int:
            n, term = job
            # Overlapping batches (1..20 and 1..40) through both instances at once.
            resp = term.push(batches[term.id][: 20 + n % 2 * 20], http=clients[n % 2])
            return resp.status_code

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(push, [(n, t) for n in range(4) for t in terms]))
        assert set(statuses) <= {200, 409}
        for t in terms:  # finish whatever a 409 left
            assert t.push(batches[t.id], http=clients[0]).json()["acked"] == 40
        assert count(env.db_url, Entry) == 120
        for code in codes:
            assert card(admin, code)["balance"] == "60.00"
        for c in clients:
            c.close()
        admin.close()
    finally:
        one.stop()
        two.stop()


def test_migrations_match_the_models(env: Env) -> None:
    db = Database(env.db_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        assert count(env.db_url, Card) == 0
    finally:
        db.dispose()


def test_server_answers_health(live: LiveServer, env: Env) -> None:
    started = time.time()
    resp = httpx.get(f"{live.url}/v1/health")
    assert resp.status_code == 200 and resp.json()["key_id"] == env.key_id
    assert abs(resp.json()["time"] - started) < 60
