"""Fixtures for central's integration tests: a freshly initialised central database per test,
parametrized over a SQLite file and a real PostgreSQL database (WALLETPOS_TEST_PG_URL; skipped
when unset, a failure when WALLETPOS_CI=1 and PostgreSQL cannot be reached), the FastAPI app
on a controllable clock, and a real uvicorn server on a loopback port."""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

with warnings.catch_warnings():
    # Starlette 0.5x nags about httpx vs httpx2; the test client works the same either way.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from wallet_sync.central.app import create_app
from wallet_sync.central.migrate import upgrade
from wallet_sync.central.setup import init_central

from .helpers import Clock, Env, LiveServer

PG_ENV = "WALLETPOS_TEST_PG_URL"


def _pg_server_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _admin_engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A migrated template database that each PostgreSQL test clones (fast and isolated)."""
    url = _pg_server_url()
    if url is None:
        yield None
        return
    admin = _admin_engine(url)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure: the server is not there
        admin.dispose()
        if os.environ.get("WALLETPOS_CI") == "1":
            pytest.fail(f"PostgreSQL at {PG_ENV} is unreachable in CI: {exc}")
        yield None
        return
    name = f"walletpos_tpl_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    tpl_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    upgrade(tpl_url)
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.db'}"
        return
    pg_template = request.getfixturevalue("pg_template")  # only PostgreSQL runs need it
    if pg_template is None:
        pytest.skip(f"{PG_ENV} not set")
    url = _pg_server_url()
    assert url is not None
    name = f"walletpos_test_{secrets.token_hex(5)}"
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def env(db_url: str) -> Env:
    result = init_central(db_url)
    return Env(db_url=db_url, admin_key=result["admin_key"], key_id=result["key_id"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(env: Env, clock: Clock) -> Iterator[TestClient]:
    app = create_app(env.db_url, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as c:
        c.headers["Authorization"] = f"Bearer {env.admin_key}"
        yield c


@pytest.fixture
def live(env: Env, clock: Clock) -> Iterator[LiveServer]:
    server = LiveServer(env.db_url, clock=clock).start()
    try:
        yield server
    finally:
        server.stop()
