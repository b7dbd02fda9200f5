"""The console's tests reuse central's fixtures (a fresh central per test over SQLite and
PostgreSQL, the app on a controllable clock, a live server on a loopback port)."""

from tests.integration.central.conftest import (  # noqa: F401
    client,
    clock,
    db_url,
    env,
    live,
    pg_template,
)
