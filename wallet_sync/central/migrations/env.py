"""Alembic environment for central: uses the connection `migrate.upgrade` hands over (so the
SQLite pragmas and BEGIN IMMEDIATE apply), or builds an engine from the configured URL."""

from __future__ import annotations

from typing import Any

from alembic import context

from wallet_sync.central.db import make_engine
from wallet_sync.central.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Any) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
